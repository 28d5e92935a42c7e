/**
 * The commands of examples/README.md do what their comments say (exit code and the endpoint's
 * status), so the shipped examples are validated as documented, `--now` included.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../dist/built.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const block = /^```sh\n([\s\S]*?)\n```/m.exec(readFileSync(join(root, 'examples', 'README.md'), 'utf8'))![1]!;
const commands = block.split('\n').map((line) => {
  const m = /^dt-ingest (.+?)\s+# exit (\d) \((\d{3})\)/.exec(line);
  if (m === null) throw new Error(`examples/README.md: a command without '# exit N (status)': ${line}`);
  return { line, args: m[1]!.split(/\s+/), exit: Number(m[2]), status: m[3]! };
});

beforeAll(() => ensureBuilt(), 120_000);

describe('examples/README.md', () => {
  it('lists every shipped example', () => {
    expect(commands.length).toBe(7);
  });

  for (const c of commands) {
    it(c.line.replace(/\s+#.*$/, ''), () => {
      const r = spawnSync(process.execPath, [join(root, 'bin', 'dt-ingest.cjs'), ...c.args], { cwd: root, encoding: 'utf8' });
      expect(r.status, r.stdout + r.stderr).toBe(c.exit);
      expect(r.stdout).toContain(`endpoint status ${c.status}`);
    });
  }
});
