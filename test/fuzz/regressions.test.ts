/**
 * Replays every kept fuzz input of fuzz/regressions/. A file with `"open": "<description>"` documents
 * a library bug that is not fixed yet: its replay is expected to fail (`it.fails`), so the test turns
 * red when the bug is fixed, and the `open` note then becomes a `"fixed"` one.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeArgs, targetByName, timedCheck, type Regression } from '../../fuzz/properties.js';

const dir = fileURLToPath(new URL('../../fuzz/regressions/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('fuzz regressions', () => {
  it('has kept inputs', () => expect(files.length).toBeGreaterThan(0));
  for (const file of files) {
    const reg = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Regression;
    const target = targetByName(reg.target);
    const skip = target.available !== undefined && !target.available();
    const run = async (): Promise<void> => timedCheck(target, decodeArgs(reg.args) as unknown[], 5_000);
    if (reg.open !== undefined) {
      it.skipIf(skip).fails(`${file} (open bug: ${reg.open.split(':')[0]})`, run);
    } else {
      it.skipIf(skip)(file, run);
    }
  }
});
