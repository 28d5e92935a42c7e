/**
 * The declarations as a consumer's compiler reads them, checked with their strictest settings and
 * `skipLibCheck: false` (so the package's own .d.ts files are checked too): a project under
 * `module: node16` (ESM and CommonJS files) with `exactOptionalPropertyTypes`, and an old-style
 * `module: commonjs` project (`moduleResolution: node10`, no `esModuleInterop`). Each imports every
 * entry and uses a few types, so a declaration that only compiles under looser settings fails here
 * (TS2430 on `MetricsRequestIssue.line?: undefined`, TS1192 on a default import of `node:http`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from './built.js';

const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'dt-ingest-types-'));
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(root, join(dir, 'node_modules', 'dt-ingest'), 'dir');
  symlinkSync(join(root, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'), 'dir');
}, 120_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const STRICT = { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: false, noEmit: true, types: ['node'] };

const USE = `
const r = validateMetrics('a.b 1\\n');
const issue: MetricsRequestIssue | undefined = undefined;
const n: number = r.status + (issue === undefined ? 0 : 1);
export const out = [n, nativeStatus().available, typeof startServer];
`;

function check(name: string, tsconfig: Record<string, unknown>, files: Record<string, string>): string {
  const project = join(dir, name);
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...STRICT, ...tsconfig }, include: Object.keys(files) }));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(project, file), text);
  const r = spawnSync(process.execPath, [tsc, '-p', project], { cwd: project, encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.trim();
}

describe("the declarations under a consumer's strict settings, skipLibCheck: false", () => {
  it('module node16 with exactOptionalPropertyTypes: ESM and CommonJS files', () => {
    writeFileSync(join(dir, 'package.json'), '{ "name": "consumer", "type": "module" }');
    const out = check(
      'node16',
      { module: 'node16', moduleResolution: 'node16', target: 'es2022' },
      {
        'a.ts': `import { validateMetrics, nativeStatus, type MetricsRequestIssue } from 'dt-ingest';\nimport { startServer } from 'dt-ingest/serve';\n${USE}`,
        'b.cts': `import { validateMetrics, nativeStatus, type MetricsRequestIssue } from 'dt-ingest';\nimport { startServer } from 'dt-ingest/serve';\n${USE}`,
      },
    );
    expect(out).toBe('');
  }, 120_000);

  it('module commonjs, moduleResolution node10, without esModuleInterop', () => {
    const out = check(
      'node10',
      { module: 'commonjs', moduleResolution: 'node10', target: 'es2022', esModuleInterop: false },
      {
        'a.ts': `import { validateMetrics, nativeStatus, MetricsRequestIssue } from 'dt-ingest';\nimport { startServer } from 'dt-ingest/serve';\n${USE}`,
      },
    );
    expect(out).toBe('');
  }, 120_000);
});
