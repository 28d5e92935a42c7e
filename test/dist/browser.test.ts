/**
 * The runtime-neutral root, as a bundler for browsers, edge functions and workers sees it: esbuild
 * bundles `import ... from 'dt-ingest'` for `--platform=browser` (the exports map gives the root, not
 * the `node` entry) and must find no Node built-in; the bundle then runs in a bare V8 context (no
 * `process`, `require`, `Buffer`, only the Web APIs it is given) and answers as the Node package does.
 * A bundle of one normalizer stays small (tree-shaking: `sideEffects` and the pure annotations hold).
 */
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  normalizeDimensionKey,
  normalizeDimensionValue,
  normalizeMetadataValue,
  normalizeMetricKey,
  validateMetrics,
  validateSmartscapeEvents,
} from '../../src/index.js';
import { loadMetricVectors } from '../helpers/vectors.js';
import { ensureBuilt, root } from './built.js';

/**
 * Upper bound of a minified bundle that imports `normalizeMetricKey` only. It needs the options
 * defaults, the char tables and the key checks (about 3.3 KB today); the rule tables alone are about
 * 10 KB, so a change that drags the validator or the tables in fails here.
 */
const ONE_NORMALIZER_MAX_BYTES = 6_000;

async function bundle(source: string, format: 'iife' | 'esm'): Promise<{ text: string; inputs: string[] }> {
  const r = await build({
    stdin: { contents: source, resolveDir: root, loader: 'js' },
    bundle: true,
    platform: 'browser',
    format,
    globalName: format === 'iife' ? 'dtIngest' : undefined,
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { text: r.outputFiles[0]!.text, inputs: Object.keys(r.metafile.inputs) };
}

const NOW = 1_700_000_000_000;
const rows = loadMetricVectors();

beforeAll(() => ensureBuilt(), 120_000);

describe('the root entry in a browser bundle', () => {
  let text = '';
  let inputs: string[] = [];
  beforeAll(async () => {
    ({ text, inputs } = await bundle("export * from 'dt-ingest';", 'iife'));
  }, 60_000);

  it('resolves to the neutral build and pulls in no Node built-in (esbuild fails on one for the browser)', () => {
    expect(inputs).toContain('dist/index.js');
    expect(inputs.filter((f) => f.startsWith('node:') || f === 'dist/node.js' || f.startsWith('node_modules/'))).toEqual([]);
    // whole identifiers only: `ArrayBuffer.isView` is a standard global, `Buffer.from` is Node's
    for (const global of ['process.', 'require(', 'Buffer.', '__filename', 'import.meta'])
      expect(new RegExp(`(?<![\\w$.])${global.replace(/[.(]/g, '\\$&')}`).test(text), global).toBe(false);
  });

  it('runs in a bare context and answers as the Node package does', async () => {
    const probe = `
      const m = dtIngest;
      const out = { nativeAvailable: m.nativeAvailable(), metrics: [], normalized: [], smartscape: [] };
      for (const input of inputs) { out.metrics.push(m.validateMetrics(input, { now })); }
      for (const [kind, input] of normalize) out.normalized.push(m[kind](input));
      for (const body of smartscape) { out.smartscape.push(m.validateSmartscapeEvents(body)); }
      out.streamed = (async () => {
        const source = new ReadableStream({ start(c) { c.enqueue('cpu.temp 1\\nbad'); c.enqueue(' line\\n'); c.close(); } });
        let summary;
        for await (const r of m.validateMetricsStream(source, { now })) if ('summary' in r) summary = r.summary;
        return summary.body;
      })();
      out;`;
    const normalizeRows = rows.filter((r) => ['metric_key', 'dim_key', 'dim_value', 'metadata_value'].includes(r.kind));
    const kindFn: Record<string, string> = {
      metric_key: 'normalizeMetricKey',
      dim_key: 'normalizeDimensionKey',
      dim_value: 'normalizeDimensionValue',
      metadata_value: 'normalizeMetadataValue',
    };
    const metricInputs = rows.filter((r) => r.kind === 'line' || r.kind === 'body').map((r) => r.input);
    const smartscape = ['[{"type":"HOST","id_components":[{"hostname":"h1"}]}]', '[{"id":"host-1"}]', '{'];
    // only the Web APIs the library may use; everything Node-specific is absent
    const context = {
      TextEncoder,
      TextDecoder,
      ReadableStream,
      WritableStream,
      TransformStream,
      DOMException,
      inputs: metricInputs,
      normalize: normalizeRows.map((r) => [kindFn[r.kind], r.input]),
      smartscape,
      now: NOW,
    };
    runInNewContext(text, context);
    const out = runInNewContext(probe, context) as {
      nativeAvailable: boolean;
      metrics: unknown[];
      normalized: unknown[];
      smartscape: unknown[];
      streamed: Promise<unknown>;
    };
    // plain data out of the other realm, compared as JSON
    const same = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
    expect(out.nativeAvailable).toBe(false);
    expect(out.metrics.length).toBeGreaterThan(90);
    expect(same(out.metrics)).toEqual(same(metricInputs.map((input) => validateMetrics(input, { now: NOW, backend: 'js' }))));
    // the vectors' own verdicts, independently of the Node run
    const lineRows = rows.filter((r) => r.kind === 'line' || r.kind === 'body');
    lineRows.forEach((r, i) => {
      const status = (out.metrics[i] as { status: number }).status;
      expect(status, `row ${r.row}`).toBe(r.expect === 'invalid' ? 400 : 202);
    });
    const local = { normalizeMetricKey, normalizeDimensionKey, normalizeDimensionValue, normalizeMetadataValue } as Record<
      string,
      (s: string) => string | null
    >;
    expect(same(out.normalized)).toEqual(normalizeRows.map((r) => local[kindFn[r.kind]!]!(r.input)));
    expect(same(out.smartscape)).toEqual(same(smartscape.map((b) => validateSmartscapeEvents(b))));
    expect(same(await out.streamed)).toEqual(validateMetrics('cpu.temp 1\nbad line\n', { now: NOW }).body);
  });
});

describe('tree-shaking the root', () => {
  it(`a bundle of normalizeMetricKey alone stays under ${ONE_NORMALIZER_MAX_BYTES} bytes`, async () => {
    const { text, inputs } = await bundle("export { normalizeMetricKey } from 'dt-ingest';", 'esm');
    expect(text.length).toBeLessThan(ONE_NORMALIZER_MAX_BYTES);
    // and it works
    const m = (await import(`data:text/javascript,${encodeURIComponent(text)}`)) as { normalizeMetricKey: (s: string) => string | null };
    expect(m.normalizeMetricKey('1case')).toBe('_case');
    expect(inputs).toContain('dist/index.js');
  });

  it('the bound is meaningful: the whole root is many times larger', async () => {
    const { text } = await bundle("export * from 'dt-ingest';", 'esm');
    expect(text.length).toBeGreaterThan(10 * ONE_NORMALIZER_MAX_BYTES);
  });
});
