/**
 * Every TypeScript and JavaScript sample of the README and docs/ runs, against the built package as a
 * user imports it (`dt-ingest`, `dt-ingest/serve`: self-reference through the exports map): each
 * ```ts / ```js block is written to a file, the whole set is type-checked with strict settings, and
 * each file is run with Node and must exit 0 (samples check their claims with `node:assert`). A block
 * that cannot run says so right before it: `<!-- sample: not run: <reason> -->`. Shell, YAML, JSON and
 * console blocks are not samples.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../dist/built.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Inside the package (not under node_modules), so `import 'dt-ingest'` resolves to the package itself. */
const work = join(root, 'test', 'docs', '.samples');
const NOT_RUN = /^<!-- sample: not run: (.+) -->$/;

interface Sample {
  file: string;
  line: number;
  lang: string;
  code: string;
  skip?: string;
}

/** The documents with samples: the README and every file of docs/ but the vendored spec. */
function documents(): string[] {
  return [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
}

function samplesOf(file: string): Sample[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const out: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)/.exec(lines[i]!);
    if (open === null) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`${file}:${i + 1}: unclosed code block`);
    const lang = open[1]!;
    if (['ts', 'js', 'typescript', 'javascript'].includes(lang)) {
      let prev = i - 1;
      while (prev >= 0 && lines[prev]!.trim() === '') prev--;
      const skip = prev >= 0 ? NOT_RUN.exec(lines[prev]!.trim())?.[1] : undefined;
      out.push({ file, line: i + 1, lang, code: lines.slice(i + 1, end).join('\n'), ...(skip !== undefined ? { skip } : {}) });
    }
    i = end;
  }
  return out;
}

const samples = documents().flatMap(samplesOf);
const run = samples.filter((s) => s.skip === undefined);
const nameOf = (s: Sample): string => `${s.file.replace(/[/.]/g, '_')}_${s.line}`;
let typeErrors = '';

beforeAll(() => {
  ensureBuilt();
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const s of run) {
    // `export {}` makes each file a module of its own (top-level await, no shared globals)
    writeFileSync(join(work, `${nameOf(s)}.ts`), `${s.code}\nexport {};\n`);
    writeFileSync(join(work, `${nameOf(s)}.mjs`), transformSync(`${s.code}\nexport {};\n`, { loader: 'ts', format: 'esm', target: 'node20' }).code);
  }
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022', 'DOM'],
        types: ['node'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        typeRoots: [join(root, 'node_modules', '@types')],
      },
      include: ['*.ts'],
    }),
  );
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', work], { encoding: 'utf8' });
  typeErrors = tsc.status === 0 ? '' : tsc.stdout + tsc.stderr;
}, 180_000);

describe('the samples of the README and docs/', () => {
  it('are there, and the ones not run say why', () => {
    expect(run.length).toBeGreaterThanOrEqual(20);
    for (const s of samples.filter((x) => x.skip !== undefined)) expect(s.skip!.length, `${s.file}:${s.line}`).toBeGreaterThan(10);
  });

  it('type-check against the built package (strict)', () => {
    // name the document lines, not the generated files
    const readable = typeErrors.replace(/([\w_]+)_(\d+)\.ts\((\d+),(\d+)\)/g, (_m, name: string, line: string, l: string, c: string) => {
      const s = run.find((x) => nameOf(x) === `${name}_${line}`);
      return s === undefined ? _m : `${s.file}:${Number(line) + Number(l)} col ${c}`;
    });
    expect(readable).toBe('');
  });

  for (const s of run) {
    it(`${s.file}:${s.line} runs`, () => {
      const r = spawnSync(process.execPath, [join(work, `${nameOf(s)}.mjs`)], {
        cwd: root,
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, DT_INGEST_NATIVE: '' },
      });
      expect(r.status, `${s.file}:${s.line} (${relative(root, join(work, nameOf(s)))}.ts)\n${r.stderr}`).toBe(0);
    }, 40_000);
  }
});
