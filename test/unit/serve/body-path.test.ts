/**
 * The files the body of the serve metrics route crosses (docs/architecture.md, "The body's path
 * through serve's metrics route"): an allow-list per mode, checked against the imports of the files
 * on the path and, at run time, against who hands the chunks to the validator and whether a line
 * map is made. A new hop (a file taking the body from the route or the validator) fails here until
 * it is listed, and the lists may not grow past the counts the docs give.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startServer } from '../../../src/serve/index.js';
import { MetricsValidator } from '../../../src/report/validate.js';
import { LineMap } from '../../../src/scan/line-map.js';
import { TEXT, Started, send, startUpstream } from './helpers.js';

const NOW = 1_700_000_000_000;

/** Mock mode (`--no-ui`, no record file), backend auto: the files whose code receives the body or its line map. */
const MOCK = ['serve/http.ts', 'report/validate.ts', 'metrics/parser.ts', 'scan/lines.ts', 'native addon', 'metrics/region.ts', 'scan/line-map.ts'];

/** Proxy mode without `filter`, an upstream that accepts the body. */
const PROXY = [
  'serve/http.ts',
  'serve/routes/metrics.ts',
  'report/validate.ts',
  'metrics/parser.ts',
  'scan/lines.ts',
  'native addon',
  'metrics/region.ts',
  'scan/line-map.ts',
  'serve/proxy.ts',
  'produce/send.ts',
  'serve/upstream-http.ts',
];

/** The counts docs/architecture.md gives (after issue 20's last item): the lists may shrink, never grow. */
const DOCUMENTED = { mock: 7, proxy: 11 };

/**
 * Each value import of a file on the path, by name: `body` names take the body (a chunk, the
 * collected body, or the line map) and lead to the file given; `out` names never see it (options,
 * answers, constants, one line's helpers), with the reason. An import missing here fails the test.
 */
const IMPORTS: Record<string, Record<string, { body: string } | { out: string }>> = {
  'serve/routes/metrics.ts': {
    MetricsValidator: { body: 'report/validate.ts' },
    readBody: { body: 'serve/http.ts' },
    forwardMetrics: { body: 'serve/proxy.ts' },
    LineMap: { body: 'scan/line-map.ts' },
    copyValidLines: { body: 'scan/line-map.ts' },
    LineVerdict: { out: 'a constant table' },
    ResponseBuilder: { out: 'the 413 answer from a byte count' },
    formatLineRanges: { out: 'line numbers to text' },
    LF: { out: 'a constant' },
    WarningFragments: { out: 'the answer, from the validator’s warnings' },
    answerBytes: { out: 'the answer, from the validator’s warnings' },
  },
  'serve/http.ts': {},
  'report/validate.ts': {
    MetricsLineParser: { body: 'metrics/parser.ts' },
    toBytes: { body: 'metrics/parser.ts' },
    withUtf8: { out: 'validateMetrics’ own input, not serve’s' },
    LineNumbers: { out: 'line numbers' },
    lastValidLines: { body: 'scan/line-map.ts' },
    resolveMetricsOptions: { out: 'options' },
    RuleCode: { out: 'rules table' },
    formatTemplate: { out: 'rules table' },
    lineRule: { out: 'rules table' },
    requestRule: { out: 'rules table' },
    REWRITE_TEXT_CACHE_KEYS: { out: 'a constant' },
    RewriteTexts: { out: 'one warned line’s key' },
    endpointError: { out: 'one invalid line' },
    errorIssue: { out: 'one invalid line' },
    ResponseBuilder: { out: 'the answer, from counts and line numbers' },
    LineKind: { out: 'a constant table' },
    metricsScanners: { out: 'picks the scanners when the validator is made' },
  },
  'metrics/parser.ts': {
    resolveMetricsOptions: { out: 'options' },
    LF: { out: 'a constant' },
    bytesOfInput: { out: 'an ArrayBuffer or a detached input: never a socket chunk' },
    NativeHeader: { out: 'the addon’s record layout' },
    NativeNumber: { out: 'the addon’s record layout' },
    NativeOption: { out: 'the addon’s record layout' },
    NativeRecord: { out: 'the addon’s record layout' },
    packNativeOptions: { out: 'options' },
    LineSplitter: { body: 'scan/lines.ts' },
    LineVerdict: { out: 'a constant table' },
    RegionScanner: { body: 'metrics/region.ts' },
    LineScanner: { out: 'one invalid or metadata line' },
    LineKind: { out: 'a constant table' },
    NumberSlot: { out: 'a constant table' },
  },
  'scan/lines.ts': {
    CR: { out: 'a constant' },
    LF: { out: 'a constant' },
    lineCuts: { out: 'a counter' },
  },
};

/** The named value imports (not `import type`, not `type X` members) of a file of src/, by source file. */
function valueImports(file: string): Map<string, string> {
  const text = readFileSync(new URL(`../../../src/${file}`, import.meta.url), 'utf8');
  const out = new Map<string, string>();
  for (const m of text.matchAll(/(?:^|\n)import\s+(?!type\s)\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
    for (const part of m[1]!.split(',')) {
      const name = part.trim();
      if (name === '' || name.startsWith('type ')) continue;
      out.set(name.split(/\s+as\s+/)[0]!, m[2]!);
    }
  }
  return out;
}

const started = new Started();
afterEach(async () => {
  vi.restoreAllMocks();
  await started.closeAll();
});

/** Who calls `MetricsValidator.push` during one request (the frame under it), and whether a line map was filled. */
async function trace(post: (url: string) => Promise<unknown>, url: string): Promise<{ callers: Set<string>; mapped: boolean }> {
  const callers = new Set<string>();
  let mapped = false;
  const push = MetricsValidator.prototype.push;
  vi.spyOn(MetricsValidator.prototype, 'push').mockImplementation(function (this: MetricsValidator, chunk) {
    const frame = (new Error().stack ?? '').split('\n')[3] ?? '';
    callers.add(/src\/(serve\/[\w/-]+\.ts)/.exec(frame)?.[1] ?? frame);
    return push.call(this, chunk);
  });
  const reserve = LineMap.prototype.reserve;
  const begin = LineMap.prototype.begin;
  vi.spyOn(LineMap.prototype, 'reserve').mockImplementation(function (this: LineMap, n) {
    mapped = true;
    return reserve.call(this, n);
  });
  vi.spyOn(LineMap.prototype, 'begin').mockImplementation(function (this: LineMap, line, start) {
    mapped = true;
    return begin.call(this, line, start);
  });
  await post(url);
  return { callers, mapped };
}

describe("the body's path through serve's metrics route", () => {
  it('the lists are no longer than the counts the docs give', () => {
    expect(MOCK.length).toBeLessThanOrEqual(DOCUMENTED.mock);
    expect(PROXY.length).toBeLessThanOrEqual(DOCUMENTED.proxy);
    const docs = readFileSync(new URL('../../../docs/architecture.md', import.meta.url), 'utf8');
    expect(docs).toContain(`After, mock mode (\`--no-ui\`): ${DOCUMENTED.mock} files`);
    expect(docs).toContain(`Proxy mode (no \`filter\`, the upstream accepts): ${DOCUMENTED.proxy} files`);
    for (const file of [...MOCK, ...PROXY]) expect(docs, file).toContain(file === 'native addon' ? file : `\`${file}\``);
  });

  it("every value import of a file on the path is classified, and the body's lead to listed files", () => {
    for (const [file, known] of Object.entries(IMPORTS)) {
      const imports = valueImports(file);
      for (const [name] of imports)
        expect(known[name], `${file} imports ${name}: classify it here (body or out) and count it in docs/architecture.md`).toBeDefined();
      for (const [name, c] of Object.entries(known)) {
        expect(imports.has(name), `${file} no longer imports ${name}: drop it here`).toBe(true);
        if ('body' in c) expect(PROXY.includes(c.body) || MOCK.includes(c.body), `${name} leads to ${c.body}`).toBe(true);
      }
    }
    // in mock mode the route takes no body: what it imports for the body serves proxy mode and the record file
    expect(MOCK).not.toContain('serve/routes/metrics.ts');
  });

  it('mock mode (--no-ui): the chunks go from readBody straight into the validator, and no line map is made', async () => {
    const server = await startServer({ port: 0, ui: false, metrics: { now: NOW } });
    started.servers.push(server);
    const body = Array.from({ length: 3000 }, (_, i) => `cpu.temp,host=h${i} ${i}`).join('\n');
    const { callers, mapped } = await trace(async (url) => {
      const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', body, TEXT);
      expect(r.status).toBe(202);
    }, server.url);
    expect([...callers]).toEqual(['serve/http.ts']);
    expect(mapped).toBe(false);
    expect(server.handler.store.snapshot().metrics.items.at(-1)).toBe('cpu.temp,host=h2999 2999');
  });

  it('proxy mode: the route collects the body beside the validator (its Tee), and the map is made once', async () => {
    const up = await startUpstream();
    started.upstreams.push(up);
    const server = await startServer({ port: 0, mode: 'proxy', upstream: up.url, metrics: { now: NOW } });
    started.servers.push(server);
    const { callers, mapped } = await trace(async (url) => {
      const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', 'cpu.temp 1\n', { ...TEXT, authorization: 'Api-Token x' });
      expect(r.status).toBeLessThan(300);
    }, server.url);
    expect([...callers]).toEqual(['serve/routes/metrics.ts']);
    expect(mapped).toBe(true);
  });
});
