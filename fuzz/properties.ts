/**
 * The fuzz targets of dt-ingest, one per entry point, shared by the long runs (`npm run fuzz`, which
 * bundles this file with esbuild) and the short runs inside `npm test` (test/fuzz/short.test.ts,
 * which imports it directly). Each target is a fast-check arbitrary of an argument tuple and a
 * `check` that throws when an invariant breaks, so a counterexample can be kept as a file in
 * `fuzz/regressions/` and replayed exactly (test/fuzz/regressions.test.ts).
 *
 * Invariants: never throws; never hangs (every single check is timed: a check slower than
 * `SLOW_MS` fails); the result is identical however the input is chunked; the native backend
 * equals the TypeScript reference; fix output always validates; the streaming splitter equals the
 * one-call splitter; the JSON validators give the same answer for a string and its UTF-8 bytes.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { OtlpBatchDecoder, otlpToLines, validateOtlpMetrics } from '../src/index.js';
import { type Mutation, decodeRequest, encodeRequest, mutate, mutationArb, oraclePoints, requestArb } from '../test/helpers/otlp.js';
import { PassThrough, Readable } from 'node:stream';
import {
  LineKind,
  MetricBatchDecoder,
  MetricsFixer,
  PayloadType,
  VALUE_STRIDE,
  type MetricPoint,
  MetricsParser,
  MetricsValidator,
  createMetricsSplitter,
  fixMetrics,
  metadataOf,
  nativeAvailable,
  pointOf,
  readIngestResponse,
  splitMetrics,
  validateCustomDevice,
  validateEvents,
  validateMetrics,
  validateSmartscapeEvents,
  validateSyntheticTests,
  type MetricsOptions,
  type SplitPiece,
} from '../src/node.js'; // as Node.js users import it: with the native backend
import { runCli } from '../src/cli/main.js';
import { InfluxConverter } from '../src/convert/influx.js';
import { StatsdConverter } from '../src/convert/statsd.js';
import { assertAllValid, bodyAndCut, influxLine, runConverter, statsdLine } from '../test/helpers/convert.js';
import { convertPieces, promExposition, promOptions } from '../test/helpers/prometheus.js';
import { diagnosedError } from '../src/metrics/diagnose.js';
// @ts-expect-error plain JS module shared with fuzz/differential.mjs and test/native
import { body as bodyArb, cuts, grammarLine, options as optionsArb, piecesOf } from './bodies.mjs';

/** A fixed clock, so that a kept counterexample replays identically on any day. */
export const NOW = 1_700_000_000_000;
/** A single check slower than this is a hang (inputs are at most a few KB). */
export const SLOW_MS = 2_000;

export interface FuzzTarget {
  name: string;
  /** The argument tuple. */
  arb: () => fc.Arbitrary<unknown[]>;
  /**
   * Throws when an invariant is broken. May be async (the CLI).
   */
  check: (args: unknown[]) => void | Promise<void>;
  /** Async targets run with fc.asyncProperty. */
  async?: boolean;
  /** Skipped when this returns false (the native target without the addon). */
  available?: () => boolean;
}

/*
 * Library bugs found by fuzzing so far are all fixed; their inputs stay in fuzz/regressions/ (each
 * with a "fixed" note) and are replayed by test/fuzz/regressions.test.ts. A bug found and not fixed
 * yet is kept with an "open" note instead, and replayed as an expected failure.
 */

class InvariantError extends Error {}
function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new InvariantError(message);
}
function same(a: unknown, b: unknown, what: string): void {
  if (!isDeepStrictEqual(a, b))
    throw new InvariantError(`${what} differ:\n${JSON.stringify(a, null, 1)?.slice(0, 2000)}\nvs\n${JSON.stringify(b, null, 1)?.slice(0, 2000)}`);
}

/** `bytes` cut at `points` (the shared helper of the fuzzers and tests). */
function pieces(bytes: Uint8Array, points: number[]): Uint8Array[] {
  return piecesOf(bytes, points) as Uint8Array[];
}

// --- inputs -------------------------------------------------------------------------------------------

const metricsBody = (): fc.Arbitrary<Uint8Array> => bodyArb(NOW) as fc.Arbitrary<Uint8Array>;
const metricsOptions = (): fc.Arbitrary<MetricsOptions> => optionsArb(NOW) as fc.Arbitrary<MetricsOptions>;
const cutPoints = (): fc.Arbitrary<number[]> => cuts(8) as fc.Arbitrary<number[]>;
/** Hostile shapes that grammar lines rarely reach: long runs of one character. */
const runs = fc
  .array(fc.tuple(fc.constantFrom('\\', '"', ',', '=', ' ', 'a', '\n', '\r', '#', '9', 'e', '.', '\u0000', '\u00ff'), fc.integer({ min: 1, max: 400 })), {
    minLength: 1,
    maxLength: 6,
  })
  .map((parts) => new TextEncoder().encode(parts.map(([c, n]) => c.repeat(n)).join('')));
const anyMetricsBody = (): fc.Arbitrary<Uint8Array> => fc.oneof({ weight: 8, arbitrary: metricsBody() }, { weight: 1, arbitrary: runs });

function validateChunks(chunks: Uint8Array[], opts: MetricsOptions, backend: 'js' | 'native', issues = true): unknown {
  const v = new MetricsValidator({ ...opts, backend }, { issues });
  for (const c of chunks) v.push(c);
  return v.end();
}

/** Typed parse: every line's typed value (points, metadata) or its error, as plain data. */
function typedLines(chunks: Uint8Array[], opts: MetricsOptions): unknown[] {
  const out: unknown[] = [];
  const p = new MetricsParser({ ...opts, backend: 'js' }, (view) => {
    // the rule that explains the error, as the batch and the report give it (metrics/diagnose.ts)
    if (view.error !== 0) out.push({ line: view.line, error: diagnosedError(view, p.options) });
    else if (view.kind === LineKind.DATA) out.push({ line: view.line, point: pointOf(view) });
    else if (view.kind === LineKind.METADATA) out.push({ line: view.line, meta: metadataOf(view) });
  });
  for (const c of chunks) p.push(c);
  p.end();
  return out;
}

/** The columnar batch's points and invalid lines, as plain data in line order. */
function batchLines(chunks: Uint8Array[], opts: MetricsOptions): unknown[] {
  const out: { line: number }[] = [];
  const decoder = new MetricBatchDecoder(opts, (b) => {
    for (let p = 0; p < b.length; p++)
      out.push({
        line: b.lines[p]!,
        key: b.key(p),
        type: b.types[p]!,
        values: Array.from(b.values.subarray(p * VALUE_STRIDE, (p + 1) * VALUE_STRIDE)),
        timestamp: b.timestamps[p]!,
        dims: b.dimensions(p),
      } as { line: number });
    for (let k = 0; k < b.invalid; k++) out.push({ line: b.invalidLines[k]!, error: b.invalidCodes[k]! } as { line: number });
  });
  for (const c of chunks) decoder.push(c);
  decoder.end();
  return out.sort((a, b) => a.line - b.line);
}

/** {@link typedLines} in the batch's terms (metadata lines are only counted there, so dropped). */
function typedAsBatchLines(lines: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const entry of lines as { line: number; error?: number; point?: MetricPoint }[]) {
    if (entry.error !== undefined) out.push({ line: entry.line, error: entry.error });
    else if (entry.point !== undefined) {
      const p = entry.point;
      const pay = p.payload;
      const type = pay.type === 'summary' ? PayloadType.SUMMARY : pay.type === 'count' ? PayloadType.COUNT : PayloadType.GAUGE;
      const values = pay.type === 'summary' ? [pay.min, pay.max, pay.sum, pay.count] : [pay.type === 'count' ? pay.delta : pay.value, 0, 0, 0];
      out.push({ line: entry.line, key: p.key, type, values, timestamp: p.timestamp ?? -1, dims: p.dimensions.map((d) => [d.key, d.value]) });
    }
  }
  return out;
}

// JSON bodies: grammar-aware event-like objects, raw JSON values, raw text and raw bytes
const hex16 = fc.array(fc.constantFrom(...'0123456789ABCDEF'), { minLength: 16, maxLength: 16 }).map((a) => a.join(''));
const jsonLeaf = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('CUSTOM_INFO', 'AVAILABILITY_EVENT', 'HOST', 'HOST-0123456789ABCDEF', '2024-01-01T00:00:00Z', '__proto__', 'constructor', '\ud800', ''),
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -0, 1_700_000_000_000, 2 ** 53 + 1, true, false, null),
);
const jsonKey = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    'event.type',
    'title',
    'timestamp',
    'startTime',
    'endTime',
    'entitySelector',
    'properties',
    'dt.source_entity',
    'type',
    'id',
    'id_components',
    'name',
    'static_edges',
    'dynamic_edges',
    'event.version',
    'dt.security_context',
    'tests',
    'testResults',
    'locations',
    'syntheticEngineName',
    'messageTimestamp',
    'series',
    'displayName',
    'ipAddresses',
    'listenPorts',
    'hostNames',
    'group',
    'timeseriesId',
    'dataPoints',
    'dimensions',
    '__proto__',
    'constructor',
    'prototype',
  ),
);
const { tree: jsonTree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, jsonLeaf, tie('arr'), tie('obj')),
  arr: fc.array(tie('tree'), { maxLength: 4 }),
  obj: fc.array(fc.tuple(jsonKey, tie('tree')), { maxLength: 6 }).map((kv) => {
    // build with defineProperty so a `__proto__` key is an own key, as JSON.parse makes it
    const o: Record<string, unknown> = {};
    for (const [k, v] of kv) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
  }),
}));
const validEvent = fc.record({
  'event.type': fc.constantFrom('CUSTOM_INFO', 'CUSTOM_ALERT', 'AVAILABILITY_EVENT', 'ERROR_EVENT'),
  title: fc.string({ maxLength: 30 }),
  timestamp: fc.integer({ min: NOW - 3_600_000, max: NOW }),
  'dt.source_entity': hex16.map((h) => `HOST-${h}`),
  properties: fc.dictionary(fc.string({ maxLength: 8 }), jsonLeaf, { maxKeys: 4 }),
});
/** JSON text that is almost valid: a serialised body with a few character edits. */
function mutateText(text: string, edits: [number, number, string][]): string {
  let s = text;
  for (const [op, at, ch] of edits) {
    const i = s.length === 0 ? 0 : at % (s.length + 1);
    s = op === 0 ? s.slice(0, i) + ch + s.slice(i) : op === 1 ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + ch + s.slice(i + 1);
  }
  return s;
}
const jsonEdit = fc.tuple(
  fc.integer({ min: 0, max: 2 }),
  fc.nat(),
  fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', '1', 'e', '-', ' ', '\u0000', '\ud83d', 'n'),
);
const jsonBodyText = fc.oneof(
  { weight: 3, arbitrary: fc.oneof(jsonTree, fc.array(validEvent, { maxLength: 3 }), validEvent).map((v) => JSON.stringify(v) ?? 'null') },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.oneof(jsonTree, fc.array(validEvent, { maxLength: 3 })), fc.array(jsonEdit, { minLength: 1, maxLength: 3 }))
      .map(([v, e]) => mutateText(JSON.stringify(v) ?? 'null', e)),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('[', '{"a":', '"\\', '1e', '-'), fc.integer({ min: 1, max: 3000 })).map(([u, n]) => u.repeat(n)) },
);
const JSON_VALIDATORS = {
  events: (b: unknown) => validateEvents(b, { now: NOW }),
  smartscape: (b: unknown) => validateSmartscapeEvents(b, { now: NOW }),
  synthetic: (b: unknown) => validateSyntheticTests(b, { now: NOW }),
  'custom-device': (b: unknown) => validateCustomDevice('my-device', b, { now: NOW }),
} as const;

function isWellFormed(s: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

function checkJson(name: keyof typeof JSON_VALIDATORS, text: string, bytes: boolean, parsed: boolean): void {
  const validate = JSON_VALIDATORS[name];
  const fromText = validate(text);
  assert(typeof fromText.status === 'number' && fromText.status >= 200 && fromText.status < 600, `${name}: status ${fromText.status}`);
  assert(Array.isArray(fromText.issues), `${name}: issues is not an array`);
  JSON.stringify(fromText.body); // the endpoint answer must be serialisable
  // a lone surrogate has no UTF-8 form (TextEncoder writes U+FFFD), so only well-formed text compares
  if (bytes && isWellFormed(text)) same(validate(new TextEncoder().encode(text)), fromText, `${name}: string and its UTF-8 bytes`);
  if (parsed) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return;
    }
    const fromValue = validate(value);
    assert(typeof fromValue.status === 'number', `${name}: status of the parsed value`);
  }
}

// --- targets ------------------------------------------------------------------------------------------

export const targets: FuzzTarget[] = [
  {
    // whole vs chunked, full report vs validate-only, typed parse never throws
    name: 'metrics',
    arb: () => fc.tuple(anyMetricsBody(), cutPoints(), metricsOptions()),
    check: ([bytes, points, opts]) => {
      const b = bytes as Uint8Array;
      const o = opts as MetricsOptions;
      const whole = validateChunks([b], o, 'js');
      same(validateChunks(pieces(b, points as number[]), o, 'js'), whole, 'whole and chunked results');
      const r = whole as ReturnType<typeof validateMetrics>;
      assert([202, 400, 413].includes(r.status), `status ${r.status}`);
      const lean = validateChunks(pieces(b, points as number[]), o, 'js', false) as ReturnType<typeof validateMetrics>;
      same({ status: lean.status, body: lean.body }, { status: r.status, body: r.body }, 'validate-only and full report answers');
      same(typedLines(pieces(b, points as number[]), o), typedLines([b], o), 'typed parse, whole and chunked');
    },
  },
  {
    // the fused pass against the reference scanner (onLine sends every line through it), and the
    // columnar batch against the typed objects, whole and chunked
    name: 'metrics-fused',
    arb: () => fc.tuple(anyMetricsBody(), cutPoints(), metricsOptions()),
    check: ([bytes, points, opts]) => {
      const c = pieces(bytes as Uint8Array, points as number[]);
      const o = { ...(opts as MetricsOptions), backend: 'js' as const };
      const reference = new MetricsValidator(o, { onLine: () => {} });
      for (const x of c) reference.push(x);
      same(validateChunks(c, o, 'js'), reference.end(), 'fused pass and reference scanner results');
      same(batchLines(c, o), batchLines([bytes as Uint8Array], o), 'columnar batch, whole and chunked');
      same(batchLines([bytes as Uint8Array], o), typedAsBatchLines(typedLines([bytes as Uint8Array], o)), 'columnar batch and typed objects');
    },
  },
  {
    name: 'metrics-native',
    available: () => nativeAvailable(),
    arb: () => fc.tuple(anyMetricsBody(), cutPoints(), metricsOptions(), fc.boolean()),
    check: ([bytes, points, opts, issues]) => {
      const c = pieces(bytes as Uint8Array, points as number[]);
      same(
        validateChunks(c, opts as MetricsOptions, 'native', issues as boolean),
        validateChunks(c, opts as MetricsOptions, 'js', issues as boolean),
        'native and TypeScript results',
      );
    },
  },
  {
    // raw bytes over the whole byte range (invalid UTF-8, NUL, lone CR)
    name: 'metrics-bytes',
    arb: () => fc.tuple(fc.uint8Array({ maxLength: 600 }), cutPoints()),
    check: ([bytes, points]) => {
      const b = bytes as Uint8Array;
      const whole = validateChunks([b], { now: NOW }, 'js');
      same(validateChunks(pieces(b, points as number[]), { now: NOW }, 'js'), whole, 'whole and chunked results');
      if (nativeAvailable()) same(validateChunks([b], { now: NOW }, 'native'), whole, 'native and TypeScript results');
      typedLines([b], { now: NOW });
    },
  },
  ...(Object.keys(JSON_VALIDATORS) as (keyof typeof JSON_VALIDATORS)[]).map(
    (name): FuzzTarget => ({
      name: `json-${name}`,
      arb: () => fc.tuple(jsonBodyText, fc.boolean()),
      check: ([text, parsed]) => checkJson(name, text as string, true, parsed as boolean),
    }),
  ),
  {
    name: 'json-bytes',
    arb: () => fc.tuple(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...(Object.keys(JSON_VALIDATORS) as (keyof typeof JSON_VALIDATORS)[]))),
    check: ([bytes, name]) => {
      const r = JSON_VALIDATORS[name as keyof typeof JSON_VALIDATORS](bytes as Uint8Array);
      assert(typeof r.status === 'number', 'status');
      JSON.stringify(r.body);
    },
  },
  {
    // one-call splitter vs streaming splitter cut anywhere; pieces bounded; lines preserved
    name: 'splitter',
    arb: () => fc.tuple(anyMetricsBody(), cutPoints(), fc.integer({ min: 1, max: 400 }), fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined })),
    check: ([bytes, points, maxBytes, maxLines]) => {
      const b = bytes as Uint8Array;
      const opts = { maxBytes: maxBytes as number, ...(maxLines === undefined ? {} : { maxLines: maxLines as number }) };
      const whole = splitMetrics(b, opts);
      const streamed: SplitPiece[] = [];
      const s = createMetricsSplitter({ ...opts, onPiece: (p) => streamed.push(p) });
      for (const c of pieces(b, points as number[])) s.push(c);
      const summary = s.end();
      const plain = (ps: SplitPiece[]): unknown => ps.map((p) => ({ body: Array.from(p.body), lineMap: Array.from(p.lineMap) }));
      same(plain(streamed), plain(whole.pieces), 'streaming and one-call pieces');
      same(summary.oversized, whole.oversized, 'oversized lines');
      for (const p of whole.pieces) {
        assert(p.body.length <= (maxBytes as number), `piece of ${p.body.length} > maxBytes ${maxBytes}`);
        // maxLines counts non-blank lines (lineMap also lists the blank lines inside a piece)
        const nonBlank = new TextDecoder()
          .decode(p.body)
          .split('\n')
          .filter((l) => !/^ *\r?$/.test(l)).length;
        if (maxLines !== undefined) assert(nonBlank <= (maxLines as number), `piece of ${nonBlank} non-blank lines > maxLines ${maxLines}`);
      }
    },
  },
  {
    // fix output always validates under the same options; chunked fix equals whole fix
    name: 'fix',
    arb: () => fc.tuple(anyMetricsBody(), cutPoints(), metricsOptions()),
    check: ([bytes, points, opts]) => {
      const o = { ...(opts as MetricsOptions), maxBodyBytes: Number.POSITIVE_INFINITY };
      const r = fixMetrics(bytes as Uint8Array, o);
      assert(r.linesKept + r.linesRepaired === r.lineMap.length, 'lineMap length');
      if (r.output.length > 0) {
        const v = validateMetrics(r.output, o);
        assert(
          v.body !== null && (v.body as { linesInvalid?: number }).linesInvalid === 0 && v.status === 202,
          `fix output does not validate: status ${v.status}, ${JSON.stringify(v.issues.slice(0, 3))}\noutput: ${JSON.stringify(r.output.slice(0, 500))}`,
        );
      }
      const lines: string[] = [];
      const f = new MetricsFixer(o, { onLine: (t) => lines.push(t), onIssue: () => {} });
      for (const c of pieces(bytes as Uint8Array, points as number[])) f.push(c);
      f.end();
      same(lines.length === 0 ? '' : lines.join('\n') + '\n', r.output, 'chunked and whole fix output');
    },
  },
  {
    name: 'response',
    arb: () =>
      fc.tuple(
        fc.oneof(fc.constantFrom(200, 202, 400, 413, 429, 500, 503), fc.integer({ min: -5, max: 1000 }), fc.double()),
        fc.oneof(
          jsonBodyText,
          fc
            .record(
              {
                linesOk: jsonLeaf,
                linesInvalid: jsonLeaf,
                error: fc.oneof(
                  jsonTree,
                  fc.record({ code: jsonLeaf, message: jsonLeaf, invalidLines: fc.array(fc.record({ line: jsonLeaf, error: jsonLeaf }), { maxLength: 4 }) }),
                ),
                warnings: jsonTree,
              },
              { requiredKeys: [] },
            )
            .map((v) => JSON.stringify(v)),
        ),
        fc.option(fc.array(fc.integer({ min: -3, max: 100 }), { maxLength: 5 }), { nil: undefined }),
        fc.option(
          fc.dictionary(
            fc.constantFrom('retry-after', 'Retry-After', 'x'),
            fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('120', '-1', '1e999', 'Wed, 21 Oct 2015 07:28:00 GMT', '99999999999999999999')),
          ),
          { nil: undefined },
        ),
        fc.oneof(fc.nat(40), fc.constantFrom(-1, 1e6, Number.NaN, Number.POSITIVE_INFINITY)),
      ),
    check: ([status, text, map, headers, attempt]) => {
      const r = readIngestResponse(
        status as number,
        text as string,
        map as number[] | undefined,
        headers as Record<string, string> | undefined,
        attempt as number,
      );
      assert(['accepted', 'partial', 'rejected', 'retryable', 'too-large', 'unknown'].includes(r.kind), `kind ${r.kind}`);
      assert(['all', 'lines', 'none', 'unknown'].includes(r.stored), `stored ${r.stored}`);
      // only an answer that stored nothing may be retried; success needs a ValidationResponse
      if (r.kind === 'retryable') assert(r.stored === 'none', 'retryable but stored');
      if (r.kind === 'accepted') assert(r.validationResponse, 'accepted without a ValidationResponse');
      assert(typeof r.message === 'string' && r.message.length > 0, 'message');
      if (r.retryAfterMs !== undefined) assert(Number.isFinite(r.retryAfterMs) && r.retryAfterMs >= 0, `retryAfterMs ${r.retryAfterMs}`);
      assert(Number.isFinite(r.linesOk) && Number.isFinite(r.linesInvalid), 'counts');
    },
  },
  {
    // the CLI on stdin: never throws, exit 0/1/2, never writes files (no -o, no serve). It agrees
    // with the CLI's rules: --help (before any --) of a known command is exit 0; a flag that is not
    // repeatable given twice is a usage error (exit 2); a validate command's one --format json
    // report is ESLint-shaped JSON (an array of file results)
    name: 'cli',
    async: true,
    arb: () =>
      fc.tuple(
        fc.oneof(
          fc.constant(['validate', 'metrics']),
          fc.constantFrom(
            ['validate', 'events'],
            ['validate', 'smartscape'],
            ['validate', 'synthetic'],
            ['validate', 'custom-device', '--id', 'dev'],
            ['fix', 'metrics'],
            ['validate'],
            ['fix'],
            ['bogus'],
            [],
          ),
        ),
        fc.array(
          fc.constantFrom(
            '-',
            '--format',
            'json',
            'stylish',
            'dynatrace',
            'sarif',
            'github',
            'junit',
            'xml',
            '--now',
            '1700000000000',
            'abc',
            '--max-line-length',
            '10',
            '-1',
            '--no-collapse-spaces',
            '--collapse-spaces',
            '--id',
            '--',
            '--help',
            '--unknown',
            '/nonexistent/file.txt',
            '-q',
            '--quiet',
            '--max-warnings',
            '0',
            '--rule',
            'metric-key-changed=off',
            'payload-missing=warn',
            '--split',
            '--fromat',
            '-x',
            '--stdin',
          ),
          { maxLength: 6 },
        ),
        fc.oneof(
          metricsBody(),
          jsonBodyText.map((t) => new TextEncoder().encode(t)),
        ),
      ),
    check: async ([head, flags, stdin]) => {
      const argv = [...(head as string[]), ...(flags as string[])];
      assert(!argv.includes('-o') && !argv.includes('--output') && !argv.includes('--output-file') && !argv.includes('serve'), 'unsafe argv');
      let out = '';
      const stdout = new PassThrough();
      stdout.on('data', (d: Buffer) => (out += d.toString()));
      const stderr = new PassThrough();
      stderr.resume();
      const code = await runCli(argv, { stdin: Readable.from([Buffer.from(stdin as Uint8Array)]), stdout, stderr, stderrIsTTY: false });
      assert(code === 0 || code === 1 || code === 2, `exit code ${code}`);
      const end = argv.indexOf('--');
      const before = end < 0 ? argv : argv.slice(0, end);
      if (before.includes('--help')) {
        // help of a whole command, of validate/fix before a family, or of dt-ingest itself
        const h = head as string[];
        const next = argv[h.length];
        const known = h.length >= 2 || ((h[0] === 'validate' || h[0] === 'fix') && next !== undefined && next.startsWith('-')) || argv[0] === '--help';
        if (known) assert(code === 0 && out.length > 0, `--help of a known command: exit ${code}`);
        return;
      }
      const formats = before.filter((a) => a === '--format').length;
      if (formats >= 2) assert(code === 2, `--format given ${formats} times: exit ${code}, expected 2`);
      const quiet = before.filter((a) => a === '--quiet' || a === '-q').length;
      if (quiet >= 2) assert(code === 2, `--quiet given ${quiet} times: exit ${code}, expected 2`);
      if (argv[0] === 'validate' && formats === 1 && before[before.indexOf('--format') + 1] === 'json' && code !== 2) {
        const report = JSON.parse(out) as unknown;
        assert(
          Array.isArray(report) && report.length === 1 && typeof (report[0] as { filePath?: unknown }).filePath === 'string',
          `json report: ${out.slice(0, 200)}`,
        );
      }
    },
  },
  {
    // grammar lines fed one per chunk through the streaming parser with a full typed view
    name: 'typed-stream',
    arb: () => fc.tuple(fc.array(grammarLine(NOW) as fc.Arbitrary<string>, { maxLength: 20 }), metricsOptions()),
    check: ([lines, opts]) => {
      const enc = new TextEncoder();
      const chunks = (lines as string[]).map((l) => enc.encode(l + '\n'));
      const body = enc.encode((lines as string[]).map((l) => l + '\n').join(''));
      same(typedLines(chunks, opts as MetricsOptions), typedLines([body], opts as MetricsOptions), 'typed parse per line and whole');
    },
  },
  {
    // OTLP requests, generated then mutated: the wire reader never throws, the typed path fails exactly
    // when the validator answers 400, whatever we accept protobufjs (the oracle) decodes with the same
    // number of points, and the converter never throws
    name: 'otlp',
    arb: () => fc.tuple(requestArb, fc.array(mutationArb, { maxLength: 4 })),
    check: ([req, ms]) => {
      const bytes = mutate(encodeRequest(req as object), ms as Mutation[]);
      const r = validateOtlpMetrics(bytes);
      const batch = new OtlpBatchDecoder().decode(bytes);
      if ((batch === null) !== (r.status === 400)) throw new Error(`typed path and validator disagree (status ${r.status})`);
      otlpToLines(bytes);
      if (r.status === 400) return;
      const decoded = decodeRequest(bytes);
      if (decoded === undefined) throw new Error('we accepted what protobufjs cannot decode');
      if (oraclePoints(decoded) !== r.points) throw new Error(`points: ours ${r.points}, protobufjs ${oraclePoints(decoded)}`);
    },
  },
  {
    // Prometheus / OpenMetrics text, generated then spliced with bytes: never throws, the same lines and
    // problems however the input is chunked, and every written line passes the metrics validator
    name: 'prometheus',
    arb: () =>
      fc.tuple(
        fc.oneof(promExposition(false), promExposition(true)).map((t) => new TextEncoder().encode(t)),
        fc.uint8Array({ maxLength: 24 }),
        fc.nat(),
        cutPoints(),
        fc.boolean(),
        promOptions(),
      ),
    check: ([text, junk, at, points, openMetrics, options]) => {
      const t = text as Uint8Array;
      const j = junk as Uint8Array;
      const i = (at as number) % (t.length + 1);
      const bytes = new Uint8Array(t.length + j.length);
      bytes.set(t.subarray(0, i));
      bytes.set(j, i);
      bytes.set(t.subarray(i), i + j.length);
      const o = options as Parameters<typeof convertPieces>[1];
      const whole = convertPieces([bytes], o, openMetrics as boolean);
      same(convertPieces(pieces(bytes, points as number[]), o, openMetrics as boolean), whole, 'whole and chunked conversions');
      if (whole.text === '') return;
      const r = validateMetrics(whole.text, { now: NOW, timestampPastMs: 1e13, timestampFutureMs: 1e13 });
      assert((r.body as { linesInvalid?: number }).linesInvalid === 0, `a written line is rejected: ${JSON.stringify(r.body).slice(0, 500)}`);
    },
  },
  {
    // StatsD text (grammar-shaped lines and hostile bytes): never throws, every written line passes
    // validateMetrics, the output is the same whatever the cut
    name: 'statsd',
    arb: () => bodyAndCut(statsdLine).map((x) => [...x]),
    check: ([text, cut]) => convertedSame((sink) => new StatsdConverter(sink, { sets: 'distinct' }), text as string, cut as number),
  },
  {
    // Influx line protocol text, every escape: the same invariants
    name: 'influx',
    arb: () => bodyAndCut(influxLine).map((x) => [...x]),
    check: ([text, cut]) => convertedSame((sink) => new InfluxConverter(sink), text as string, cut as number),
  },
];

/** A converter's invariants on one body: valid lines only, and the same output however it is cut. */
function convertedSame(open: Parameters<typeof runConverter>[0], text: string, cut: number): void {
  const bytes = new TextEncoder().encode(text);
  const whole = runConverter(open, [bytes]);
  assertAllValid(whole.text);
  const split = runConverter(open, [bytes.subarray(0, cut), bytes.subarray(cut)]);
  if (split.text !== whole.text || split.counts.invalid !== whole.counts.invalid) throw new Error(`output changed when cut at byte ${cut}`);
}

/** Wraps a check with the hang detector. */
export async function timedCheck(t: FuzzTarget, args: unknown[], slowMs = SLOW_MS): Promise<void> {
  const t0 = performance.now();
  await t.check(args);
  const ms = performance.now() - t0;
  if (ms > slowMs) throw new InvariantError(`${t.name}: one check took ${ms.toFixed(0)} ms (> ${slowMs} ms): a hang or super-linear path`);
}

/** The fast-check property of a target (sync targets stay sync, so they run fast). */
export function propertyOf(t: FuzzTarget, slowMs = SLOW_MS): fc.IRawProperty<unknown[]> {
  if (t.async) return fc.asyncProperty(t.arb(), async (args) => timedCheck(t, args, slowMs));
  return fc.property(t.arb(), (args) => {
    const t0 = performance.now();
    const r = t.check(args);
    if (r instanceof Promise) throw new Error(`${t.name} is async`);
    const ms = performance.now() - t0;
    if (ms > slowMs) throw new InvariantError(`${t.name}: one check took ${ms.toFixed(0)} ms (> ${slowMs} ms)`);
  });
}

// --- counterexamples as files ---------------------------------------------------------------------

/** JSON with Uint8Array as `{ "$bytes": base64 }` and non-finite numbers as `{ "$num": "NaN" }`. */
export function encodeArgs(args: unknown): unknown {
  if (args instanceof Uint8Array) return { $bytes: Buffer.from(args).toString('base64') };
  if (typeof args === 'number' && !Number.isFinite(args)) return { $num: String(args) };
  if (typeof args === 'number' && Object.is(args, -0)) return { $num: '-0' };
  if (Array.isArray(args)) return args.map(encodeArgs);
  if (args !== null && typeof args === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(args))
      Object.defineProperty(o, k, { value: encodeArgs((args as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return args;
}
export function decodeArgs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeArgs);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$bytes === 'string' && Object.keys(o).length === 1) return new Uint8Array(Buffer.from(o.$bytes, 'base64'));
    if (typeof o.$num === 'string' && Object.keys(o).length === 1) return Number(o.$num);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) Object.defineProperty(out, k, { value: decodeArgs(o[k]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

/** A kept failing input: `fuzz/regressions/<target>-<id>.json`. */
export interface Regression {
  target: string;
  /** The argument tuple, encoded with {@link encodeArgs}. */
  args: unknown;
  seed?: number;
  path?: string;
  found?: string;
  error?: string;
  /** Set while the library bug is open: the replay test expects the failure (it.fails). */
  open?: string;
}

export function targetByName(name: string): FuzzTarget {
  const t = targets.find((x) => x.name === name);
  if (t === undefined) throw new Error(`unknown fuzz target ${name}`);
  return t;
}
