/**
 * The built package, as users get it: `require('dt-ingest')` and `import('dt-ingest')` (self-reference
 * through the exports map) give the same API with the same answers, and type declarations exist for
 * both conditions. `npm install` builds dist/ (the `prepare` script); a missing build is built here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

beforeAll(() => {
  if (!existsSync(root + 'dist/index.cjs') || !existsSync(root + 'dist/index.js')) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
}, 120_000);

const probe = `JSON.stringify({ exports: Object.keys(m).length, validate: m.validateMetrics('abc 1\\nbad', { now: 1 }).body, smart: m.validateSmartscapeEvents('[]').status, backend: m.backend })`;

function run(args: string[]): unknown {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe('the built package', () => {
  it('require and import give the same API and answers', () => {
    const cjs = run(['-e', `const m = require('dt-ingest'); console.log(${probe})`]);
    const esm = run(['--input-type=module', '-e', `const m = await import('dt-ingest'); console.log(${probe})`]);
    expect(cjs).toEqual(esm);
    expect((cjs as { exports: number }).exports).toBeGreaterThan(100);
    expect((cjs as { validate: unknown }).validate).toEqual({ linesOk: 1, linesInvalid: 1, error: { code: 400, message: '1 invalid lines', invalidLines: [{ line: 2, error: 'invalid metric type' }] }, warnings: null });
  });

  it('ships type declarations for both conditions and the bin shim', () => {
    for (const f of ['dist/index.d.ts', 'dist/index.d.cts', 'dist/cli.cjs', 'bin/dt-ingest.cjs']) expect(existsSync(root + f), f).toBe(true);
    const r = spawnSync(process.execPath, [root + 'bin/dt-ingest.cjs', '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
