/**
 * The C++ protocol data (rule codes, line kinds, record layout, char-class tables, the grammar's fixed
 * words, the summary tolerance, the Options struct and its defaults) is generated from the TypeScript
 * tables; the committed header must be a fresh generation (never edited by hand, never stale), and the
 * C++ sources must take that data from it rather than restate it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAR_CLASS, UNIT_CHAR } from '../../src/protocol/chars.js';
import { WORDS } from '../../src/protocol/words.js';

const root = join(import.meta.dirname, '..', '..');
const header = readFileSync(join(root, 'native', 'src', 'generated.h'), 'utf8');

describe('native/src/generated.h', () => {
  it('equals a fresh generation from src/protocol/*.ts and src/metrics/view.ts', () => {
    const fresh = execFileSync(process.execPath, [join(root, 'scripts', 'gen-native-header.mjs'), '--stdout'], { encoding: 'utf8' });
    expect(header.startsWith('// generated, do not edit')).toBe(true);
    expect(header).toBe(fresh);
  });

  it('holds the char-class tables byte for byte', () => {
    for (const [name, table] of [
      ['CHAR_CLASS', CHAR_CLASS],
      ['UNIT_CHAR', UNIT_CHAR],
    ] as const) {
      const start = header.indexOf(`constexpr uint8_t ${name}[256] = {`);
      expect(start).toBeGreaterThan(0);
      const body = header.slice(header.indexOf('\n', start), header.indexOf('};', start));
      const values = body
        .split('\n')
        .flatMap((row) =>
          row
            .split('//')[0]!
            .split(',')
            .map((x) => x.trim())
            .filter((x) => x !== ''),
        )
        .map(Number);
      expect(values).toEqual(Array.from(table));
    }
  });

  it('holds every word of the grammar', () => {
    for (const [name, word] of Object.entries(WORDS)) expect(header).toContain(`constexpr char W_${name}[] = "${word}";`);
  });

  it('is the only place the C++ sources get protocol data from (no restated tables or words)', () => {
    const dir = join(root, 'native', 'src');
    const sources = readdirSync(dir).filter((f) => /\.(cc|h)$/.test(f) && f !== 'generated.h');
    expect(sources).toEqual(expect.arrayContaining(['scanner.cc', 'fused.cc', 'classify.cc', 'reference.h', 'classify.h']));
    for (const file of sources) {
      const text = readFileSync(join(dir, file), 'utf8');
      // string literals of grammar words, and a char table of its own, would be copies that can drift
      for (const word of Object.values(WORDS)) expect(text, file).not.toContain(`"${word}"`);
      expect(text, file).not.toMatch(/struct\s+CharTable|constexpr\s+uint\d+_t\s+C_[A-Z_]+\s*=|uint8_t\s+\w+\[256\]\s*=\s*\{/);
      expect(text, file).not.toMatch(/1e-6/);
    }
  });
});
