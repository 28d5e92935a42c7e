/**
 * Imports point one way (docs/architecture.md): each folder of src/ may import its own files and
 * those of lower layers only. A new arrow running back up (or a circle between folders) fails here,
 * so it is a decision someone makes, not an accident.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

/** The layers, bottom up. A folder (or top-level file) may import from its own layer and those below. */
const LAYERS: readonly (readonly string[])[] = [
  ['protocol'],
  ['scan', 'backend', 'types.ts'],
  ['metrics', 'events'],
  ['otlp'],
  ['report'],
  ['produce', 'stream'],
  ['convert'],
  ['analyze'],
  ['endpoints'],
  ['index.ts'],
  ['node.ts'],
  ['serve'],
  ['cli'],
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

/** Import specifiers of a file (static imports, exports and side-effect imports; type-only ones count too). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s(?:[^'"]*?from\s*)?'([^']+)'/g)) out.push(m[1]!);
  return out;
}

/** Relative import specifiers of a file. */
function imports(file: string): string[] {
  return specifiers(file).filter((s) => s.startsWith('./') || s.startsWith('../'));
}

/** Every file the import graph of `entry` reaches, and the packages and built-ins it names. */
function graph(entry: string): { files: string[]; external: string[] } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of specifiers(file)) {
      if (spec.startsWith('.'))
        visit(resolve(dirname(file), spec.replace(/\.js$/, existsSync(resolve(dirname(file), spec.replace(/\.js$/, '.ts'))) ? '.ts' : '.js')));
      else external.add(spec);
    }
  };
  visit(entry);
  return { files: [...files].map((f) => relative(src, f)), external: [...external] };
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

  it('the grammar layer is given its scanners: no file of metrics/ asks the backend registry (report/parser.ts does)', () => {
    const asking = sources(join(src, 'metrics')).filter((f) => imports(f).some((s) => s.includes('backend/')));
    expect(asking.map((f) => relative(src, f))).toEqual([]);
    expect(imports(join(src, 'report', 'parser.ts')).some((s) => s.includes('backend/registry'))).toBe(true);
  });

  it('sees the imports it checks (the reader is not blind)', () => {
    expect(imports(join(src, 'report', 'validate.ts')).some((s) => s.includes('metrics/parser'))).toBe(true);
    expect(layerOf(join(src, 'cli', 'main.ts')).rank).toBeGreaterThan(layerOf(join(src, 'serve', 'server.ts')).rank);
  });
});

describe('the runtime-neutral root', () => {
  it('src/index.ts reaches no Node built-in and no Node-only file (types included)', () => {
    const { files, external } = graph(join(src, 'index.ts'));
    expect(external).toEqual([]);
    expect(
      files.filter(
        (f) => f === 'node.ts' || f.startsWith('serve') || f.startsWith('cli') || f === join('stream', 'node.ts') || f === join('backend', 'node-addon.ts'),
      ),
    ).toEqual([]);
    expect(files.length).toBeGreaterThan(30);
  });

  it('the node entry does reach them (the walk sees built-ins)', () => {
    const { external } = graph(join(src, 'node.ts'));
    expect(external).toEqual(expect.arrayContaining(['node:stream', 'node:fs', 'node:module']));
  });
});
