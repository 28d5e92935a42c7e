/**
 * The built package, as Node.js users get it (self-reference through the exports map): `require` and
 * `import` of `dt-ingest` (the `node` condition: root + native backend + Node Transforms), of
 * `dt-ingest/serve` and of `dt-ingest/schemas/*.json` give the same API and the same answers, and the
 * entries of one module system share one native backend registry.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { linuxLibc, nativePackageName } from '../../src/backend/node-addon.js';
import { BUILT_FILES, ensureBuilt, root } from './built.js';

beforeAll(() => ensureBuilt(), 120_000);

const target = nativePackageName(process.platform, process.arch, linuxLibc()).slice('dt-ingest-'.length);
const addonBuilt = existsSync(root + 'native/build/Release/dt_ingest.node') || existsSync(`${root}npm/${target}/dt_ingest.node`);

const probe = `JSON.stringify({
  exports: Object.keys(m).sort(),
  validate: m.validateMetrics('abc 1\\nbad', { now: 1 }).body,
  smart: m.validateSmartscapeEvents('[]').status,
  native: m.nativeAvailable(),
  transform: typeof m.createMetricsValidator,
})`;

function run(args: string[], env: NodeJS.ProcessEnv = {}): Record<string, unknown> {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, DT_INGEST_NATIVE: '', ...env } });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}
const cjs = (code: string, env?: NodeJS.ProcessEnv): Record<string, unknown> => run(['-e', code], env);
const esm = (code: string, env?: NodeJS.ProcessEnv): Record<string, unknown> => run(['--input-type=module', '-e', code], env);

describe('dt-ingest under Node.js (the node condition)', () => {
  it('require and import give the same API and answers, with the Node Transforms and the native backend', () => {
    const a = cjs(`const m = require('dt-ingest'); console.log(${probe})`);
    const b = esm(`const m = await import('dt-ingest'); console.log(${probe})`);
    expect(a).toEqual(b);
    expect(a.validate).toEqual({
      linesOk: 1,
      linesInvalid: 1,
      error: { code: 400, message: '1 invalid lines', invalidLines: [{ line: 2, error: 'invalid metric type' }] },
      warnings: null,
    });
    expect(a.smart).toBe(202);
    expect(a.transform).toBe('function');
    expect(a.native).toBe(addonBuilt);
  });

  it('DT_INGEST_NATIVE=0 keeps the addon out', () => {
    expect(esm(`const m = await import('dt-ingest'); console.log(${probe})`, { DT_INGEST_NATIVE: '0' }).native).toBe(false);
  });

  it('the node entry is the neutral root plus the Node parts', () => {
    const node = esm(`const m = await import('dt-ingest'); console.log(JSON.stringify({ exports: Object.keys(m).sort() }))`).exports as string[];
    const neutral = esm(`const m = await import('./dist/index.js'); console.log(JSON.stringify({ exports: Object.keys(m).sort() }))`).exports as string[];
    expect(node.filter((k) => !neutral.includes(k)).sort()).toEqual(['createMetricsLineFilter', 'createMetricsValidator']);
    expect(neutral.every((k) => node.includes(k))).toBe(true);
  });
});

describe('dt-ingest/serve', () => {
  const serveProbe = `JSON.stringify({ startServer: typeof s.startServer, handler: typeof s.createIngestHandler, fastify: typeof s.fastifyIngest, express: typeof s.ingestMiddleware, native: root.nativeAvailable() })`;

  it('require and import give the server; importing it registers the native backend in the shared registry', () => {
    // the neutral root file loaded first does not load the addon; the server's import of the node entry does
    const a = cjs(
      `const root = require('./dist/index.cjs'); const before = root.nativeAvailable(); const s = require('dt-ingest/serve'); console.log(JSON.stringify({ before, after: JSON.parse(${serveProbe}) }))`,
    );
    const b = esm(
      `const root = await import('./dist/index.js'); const before = root.nativeAvailable(); const s = await import('dt-ingest/serve'); console.log(JSON.stringify({ before, after: JSON.parse(${serveProbe}) }))`,
    );
    expect(a).toEqual(b);
    expect(a.before).toBe(false);
    expect(a.after).toEqual({ startServer: 'function', handler: 'function', fastify: 'function', express: 'function', native: addonBuilt });
  });

  it('answers a metrics request', () => {
    const r = esm(`
      const { startServer } = await import('dt-ingest/serve');
      const server = await startServer({ port: 0 });
      const res = await fetch(server.url + '/api/v2/metrics/ingest', { method: 'POST', body: 'cpu.temp 1\\nbad', headers: { 'content-type': 'text/plain' } });
      const out = { status: res.status, body: await res.json() };
      await server.close();
      console.log(JSON.stringify(out));`);
    expect(r.status).toBe(400);
    expect((r.body as { linesOk: number }).linesOk).toBe(1);
  });
});

describe('dt-ingest/schemas/*.json', () => {
  it('require and import with a JSON attribute give the shipped schemas', () => {
    const file = JSON.parse(readFileSync(root + 'schemas/smartscape-events.schema.json', 'utf8')) as { $schema: string };
    const a = cjs(`console.log(JSON.stringify(require('dt-ingest/schemas/smartscape-events.schema.json')))`);
    const b = esm(
      `const m = await import('dt-ingest/schemas/smartscape-events.schema.json', { with: { type: 'json' } }); console.log(JSON.stringify(m.default))`,
    );
    expect(a).toEqual(file);
    expect(b).toEqual(file);
  });
});

describe('the files', () => {
  it('ships declarations for both module systems and the bin shim', () => {
    for (const f of [...BUILT_FILES, 'bin/dt-ingest.cjs', 'serve/package.json']) expect(existsSync(root + f), f).toBe(true);
    const r = spawnSync(process.execPath, [root + 'bin/dt-ingest.cjs', '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('sideEffects lists exactly the files that load the addon or run a program', () => {
    const pkg = JSON.parse(readFileSync(root + 'package.json', 'utf8')) as { sideEffects: string[] };
    expect(pkg.sideEffects.sort()).toEqual([
      './bin/dt-ingest.cjs',
      './dist/cli.cjs',
      './dist/node.cjs',
      './dist/node.js',
      './dist/serve.cjs',
      './dist/serve.js',
      // bundles of the sources (the fuzzers', the CLI tests') keep its registration too
      './src/node.ts',
    ]);
    // the one module with a top-level effect is its own file, not part of a shared chunk
    expect(readFileSync(root + 'dist/node.js', 'utf8')).toMatch(/registerNativeBackend\(/);
    expect(readFileSync(root + 'dist/serve.js', 'utf8')).toMatch(/import ["']\.\/node\.js["']/);
    expect(readFileSync(root + 'dist/serve.cjs', 'utf8')).toMatch(/require\(["']\.\/node\.cjs["']\)/);
  });
});
