/**
 * Imports point one way (docs/ARCHITECTURE.md): each folder of src/ may import its own files and
 * those of lower layers only. A new arrow running back up (or a circle between folders) fails here,
 * so it is a decision someone makes, not an accident.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

/** The layers, bottom up. A folder (or top-level file) may import from its own layer and those below. */
const LAYERS: readonly (readonly string[])[] = [
  ['protocol'],
  ['scan', 'backend', 'types.ts'],
  ['metrics', 'events'],
  ['report'],
  ['produce', 'stream'],
  ['serve'],
  ['cli'],
  ['index.ts'],
];

function layerOf(path: string): { name: string; rank: number } {
  const name = relative(src, path).split(/[\\/]/)[0]!;
  const rank = LAYERS.findIndex((layer) => layer.includes(name));
  if (rank < 0) throw new Error(`src/${name} is in no layer of this test: place it`);
  return { name, rank };
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative import specifiers of a file (static imports and exports; type-only ones count too). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*'(\.{1,2}\/[^']+)'/g)) out.push(m[1]!);
  return out;
}

describe('layers of src/', () => {
  it('every import points to the same layer or one below', () => {
    const upward: string[] = [];
    for (const file of sources(src)) {
      const from = layerOf(file);
      for (const spec of imports(file)) {
        const to = layerOf(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
        if (to.name !== from.name && to.rank >= from.rank) upward.push(`${relative(src, file)} -> ${spec} (${from.name} imports ${to.name})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('sees the imports it checks (the reader is not blind)', () => {
    expect(imports(join(src, 'report', 'validate.ts')).some((s) => s.includes('metrics/parser'))).toBe(true);
    expect(layerOf(join(src, 'cli', 'main.ts')).rank).toBeGreaterThan(layerOf(join(src, 'serve', 'server.ts')).rank);
  });
});
