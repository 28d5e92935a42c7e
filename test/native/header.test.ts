/**
 * The C++ header with the rule codes and the layout is generated from the TypeScript sources; the
 * committed copy must be a fresh generation (never edited by hand, never stale).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('native/src/rules.h', () => {
  it('equals a fresh generation from src/protocol/rules.ts and src/protocol/native-layout.ts', () => {
    const fresh = execFileSync(process.execPath, [join(root, 'scripts', 'gen-rules-header.mjs'), '--stdout'], { encoding: 'utf8' });
    const committed = readFileSync(join(root, 'native', 'src', 'rules.h'), 'utf8');
    expect(committed.startsWith('// generated, do not edit')).toBe(true);
    expect(committed).toBe(fresh);
  });
});
