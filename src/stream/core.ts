/**
 * What the stream adapters share, whatever the stream flavour: the per-line result shape, the
 * collectors that turn a {@link MetricsValidator}'s reused views into plain objects or filtered bytes,
 * option splitting and the `AbortError`.
 *
 * Each collector is fed chunk by chunk and hands back what one chunk produced, so that an adapter can
 * pass it on under its own backpressure rules; the views are copied here, during the callback.
 *
 * @module
 */
import type { MetricsOptions } from '../protocol/options.js';
import { LF } from '../protocol/chars.js';
import type { MetricMetadata, MetricPoint, MetricsIssue, MetricsLineIssue, MetricsValidationResult } from '../types.js';
import { LineKind, type MetricLine } from '../metrics/view.js';
import { toBytes } from '../metrics/parser.js';
import { metadataOf, pointOf } from '../report/typed.js';
import { MetricsValidator } from '../report/validate.js';

/**
 * The per-line result of a valid data line.
 * @example { line: 1, ok: true, kind: 'data', point: { key: 'cpu.temp', dimensions: [], payload: { type: 'gauge', value: 42 }, timestamp: null } }
 */
export interface MetricsPointResult {
  /** 1-based physical line number in the body. */
  line: number;
  ok: true;
  kind: 'data';
  /** The typed point (absent with `typed: false`). */
  point?: MetricPoint;
  /** Warnings of this line (key rewrites), when there are any. */
  warnings?: MetricsLineIssue[];
}

/**
 * The per-line result of a valid metadata line.
 * @example { line: 2, ok: true, kind: 'metadata', metadata: { key: 'cpu.temp', type: 'gauge', properties: { unit: 'Cel' } } }
 */
export interface MetricsMetadataResult {
  /** 1-based physical line number in the body. */
  line: number;
  ok: true;
  kind: 'metadata';
  /** The metadata (absent with `typed: false`). */
  metadata?: MetricMetadata;
  /** Warnings of this line (a repeated metadata key), when there are any. */
  warnings?: MetricsLineIssue[];
}

/**
 * The per-line result of an invalid line: the endpoint counts it in `linesInvalid`.
 * @example { line: 3, ok: false, kind: 'data', issue: { rule: 'metric-key-char', severity: 'error', message: '...', line: 3, column: 4 } }
 */
export interface MetricsInvalidResult {
  /** 1-based physical line number in the body. */
  line: number;
  ok: false;
  /** What the line looked like: a `#` line is `metadata`. */
  kind: 'data' | 'metadata';
  /** The line's error (the first problem, reading left to right, as the endpoint reports it). */
  issue: MetricsLineIssue;
}

/**
 * One entry per non-blank line, in line order. Its issues are exactly the ones the summary's
 * `issues` holds for that line (the same objects).
 * @example if (r.ok) send(r.kind === 'data' ? r.point : r.metadata); else console.error(r.line, r.issue.message);
 */
export type MetricsLineResult = MetricsPointResult | MetricsMetadataResult | MetricsInvalidResult;

/**
 * The last entry of every object stream: the whole body's verdict, identical to
 * `validateMetrics(wholeBody, options)` (however the body was cut into chunks).
 * @example { summary: { status: 400, body: { linesOk: 1, linesInvalid: 1, error: { ... }, warnings: null }, issues: [...] } }
 */
export interface MetricsSummary {
  summary: MetricsValidationResult;
}

/**
 * What the object streams yield: line results, then exactly one {@link MetricsSummary} last.
 * @example for await (const r of validateMetricsStream(src)) if ('summary' in r) done(r.summary); else line(r);
 */
export type MetricsStreamResult = MetricsLineResult | MetricsSummary;

/**
 * Whether a stream entry is the final summary.
 * @example for await (const r of validateMetricsStream(body)) if (isMetricsSummary(r)) console.log(r.summary.status);
 */
export function isMetricsSummary(r: MetricsStreamResult): r is MetricsSummary {
  return (r as Partial<MetricsSummary>).summary !== undefined;
}

/**
 * Settings every stream adapter understands, given in the same bag as the protocol options.
 * @example createMetricsLineFilter({ now: Date.now(), signal: AbortSignal.timeout(5000), summaryIssues: false })
 */
export interface MetricsStreamSettings {
  /**
   * Aborting stops the stream: a transform is destroyed (Node) or errored (web), an iterator stops
   * reading, cancels its source and throws; the error is a `DOMException` named `AbortError` (the
   * signal's reason is its `cause` when that reason is not itself an `AbortError`).
   */
  signal?: AbortSignal;
  /**
   * Keep every issue for the summary's `issues`, as `validateMetrics` does. Default `true`. `false`
   * keeps memory constant on endless streams: the summary's `issues` is then empty (the line results
   * still carry their own issues).
   */
  summaryIssues?: boolean;
}

/**
 * Settings of the adapters that yield {@link MetricsStreamResult} objects.
 * @example createMetricsValidatorStream({ lines: 'issues', typed: false })
 */
export interface MetricsResultSettings extends MetricsStreamSettings {
  /**
   * Which lines get a result: `'all'` (default) every non-blank line; `'issues'` only lines with an
   * error or a warning; `'none'` none (only the summary).
   */
  lines?: 'all' | 'issues' | 'none';
  /** Attach the typed `point` / `metadata` to valid lines. Default `true`; `false` allocates less. */
  typed?: boolean;
}

/** Keys of the adapter settings, which are not protocol options. */
const SETTING_KEYS: ReadonlySet<string> = new Set([
  'signal',
  'summaryIssues',
  'lines',
  'typed',
  'readableHighWaterMark',
  'writableHighWaterMark',
  'readableStrategy',
  'writableStrategy',
]);

/**
 * The protocol options of a merged options bag (adapter settings removed), so that
 * `resolveMetricsOptions` sees only its own keys.
 * @example metricsOptionsOf({ now: 1, signal }) // { now: 1 }
 */
export function metricsOptionsOf(options: object | undefined): MetricsOptions | undefined {
  if (options === undefined || options === null) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(options)) if (!SETTING_KEYS.has(key)) out[key] = (options as Record<string, unknown>)[key];
  return out as MetricsOptions;
}

/**
 * The error an aborted stream fails with: a `DOMException` named `AbortError`, as `fetch` and the
 * web streams use. The signal's own reason is returned when it already is one, else kept as `cause`.
 * @example stream.destroy(abortError(signal))
 */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new DOMException('The operation was aborted', 'AbortError');
  if (reason !== undefined) Object.defineProperty(error, 'cause', { value: reason, configurable: true, writable: true });
  return error;
}

/**
 * A promise with its settlers, whose rejection is never reported as unhandled when nobody awaits it.
 * @example const d: Deferred<number> = defer();
 */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** @example const d = defer<number>(); d.resolve(1); await d.promise */
export function defer<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // a stream that fails reports the error on the stream itself; `result` is a convenience on top
  promise.catch(noop);
  return { promise, resolve, reject };
}

function noop(): void {}

const HIGH_SURROGATE_FIRST = 0xd800;
const HIGH_SURROGATE_LAST = 0xdbff;

/**
 * Feeds chunks to a validator. String chunks are encoded here, holding back a high surrogate that
 * ends a chunk until the next one: a code point cut in two by a string stream is then encoded whole,
 * exactly as `TextEncoder` would encode the joined string.
 */
class Feeder {
  private readonly validator: MetricsValidator;
  private held = '';

  constructor(validator: MetricsValidator) {
    this.validator = validator;
  }

  feed(chunk: Uint8Array | string | ArrayBuffer): void {
    if (typeof chunk === 'string') {
      if (this.held !== '') {
        chunk = this.held + chunk;
        this.held = '';
      }
      const last = chunk.length - 1;
      const code = last >= 0 ? chunk.charCodeAt(last) : 0;
      if (code >= HIGH_SURROGATE_FIRST && code <= HIGH_SURROGATE_LAST) {
        this.held = chunk.slice(last);
        chunk = chunk.slice(0, last);
      }
      if (chunk.length > 0) this.validator.push(chunk);
      return;
    }
    this.flushHeld();
    this.validator.push(toBytes(chunk));
  }

  finish(): MetricsValidationResult {
    this.flushHeld();
    return this.validator.end();
  }

  private flushHeld(): void {
    if (this.held === '') return;
    // a lone high surrogate: TextEncoder writes U+FFFD for it, as for the whole string
    this.validator.push(this.held);
    this.held = '';
  }
}

/**
 * Turns chunks into {@link MetricsStreamResult} objects: `push(chunk)` returns the results of the
 * lines that chunk completed, `end()` those of the last line and the summary.
 *
 * @example
 * const c = new LineResultCollector({ now: Date.now() });
 * for (const r of c.push('cpu.temp 1\nbad')) console.log(r);
 * for (const r of c.end()) console.log(r); // { line: 2, ok: false, ... }, then { summary }
 */
export class LineResultCollector {
  private readonly feeder: Feeder;
  private out: MetricsStreamResult[] = [];
  /** Issues of the line being judged (the validator reports them before `onLine`). */
  private pending: MetricsLineIssue[] = [];
  private readonly all: MetricsIssue[] | undefined;
  private readonly mode: 'all' | 'issues' | 'none';
  private readonly typed: boolean;

  /** @param options protocol options and {@link MetricsResultSettings} in one bag */
  constructor(options?: MetricsOptions & MetricsResultSettings) {
    const mode = options?.lines ?? 'all';
    if (mode !== 'all' && mode !== 'issues' && mode !== 'none') throw new TypeError("dt-ingest: setting lines must be 'all', 'issues' or 'none'");
    const summaryIssues = options?.summaryIssues !== false;
    const perLine = mode !== 'none';
    const wanted = perLine || summaryIssues;
    const validator = new MetricsValidator(metricsOptionsOf(options), {
      issues: wanted,
      onIssue: wanted ? (issue) => this.issue(issue) : undefined,
      onLine: perLine ? (view) => this.line(view) : undefined,
    });
    this.feeder = new Feeder(validator);
    this.mode = mode;
    this.typed = options?.typed !== false;
    this.all = summaryIssues ? [] : undefined;
  }

  /** Feeds a chunk; returns the results of the lines it completed (a fresh array, yours to keep). */
  push(chunk: Uint8Array | string | ArrayBuffer): MetricsStreamResult[] {
    this.feeder.feed(chunk);
    return this.take();
  }

  /** Ends the input; returns the last line's result (if any) and the {@link MetricsSummary}, last. */
  end(): MetricsStreamResult[] {
    const summary = this.feeder.finish();
    // the validator streamed the issues to issue(): the summary lists them all (or none, as asked)
    summary.issues = this.all ?? [];
    this.pending.length = 0;
    this.out.push({ summary });
    return this.take();
  }

  private take(): MetricsStreamResult[] {
    const out = this.out;
    if (out.length > 0) this.out = [];
    return out;
  }

  private issue(issue: MetricsIssue): void {
    if (this.all !== undefined) this.all.push(issue);
    // a request-level issue (empty or too large body) belongs to no line: the summary has it
    if (this.mode !== 'none' && issue.line !== undefined) this.pending.push(issue);
  }

  private line(view: MetricLine): void {
    const issues = this.pending;
    if (issues.length > 0) this.pending = [];
    const kind = view.kind === LineKind.METADATA ? 'metadata' : 'data';
    if (view.error !== 0) {
      // an invalid line has exactly one issue, its error
      this.out.push({ line: view.line, ok: false, kind, issue: issues[0]! });
      return;
    }
    if (issues.length === 0 && this.mode === 'issues') return;
    let r: MetricsLineResult;
    if (kind === 'metadata') {
      r = this.typed ? { line: view.line, ok: true, kind, metadata: metadataOf(view) } : { line: view.line, ok: true, kind };
    } else {
      r = this.typed ? { line: view.line, ok: true, kind, point: pointOf(view) } : { line: view.line, ok: true, kind };
    }
    if (issues.length > 0) r.warnings = issues;
    this.out.push(r);
  }
}

/** Initial room of a filter's output buffer beyond the chunk's own size. */
const FILTER_SLACK = 256;

/**
 * Keeps the valid lines: `push(chunk)` returns the valid lines that chunk completed, each followed by
 * one LF (a CR before it is dropped when `ignoreCarriageReturn` is on, blank lines are dropped,
 * metadata lines stay), as one fresh byte array; `end()` the last line's bytes and the whole body's
 * result.
 *
 * @example
 * const f = new LineFilterCollector({ now: Date.now() });
 * const bytes = f.push('cpu.temp 1\nbad\n'); // 'cpu.temp 1\n'
 * const { bytes: tail, result } = f.end();
 */
export class LineFilterCollector {
  private readonly feeder: Feeder;
  private buf: Uint8Array = new Uint8Array(0);
  private length = 0;

  /** @param options protocol options and {@link MetricsStreamSettings} in one bag */
  constructor(options?: MetricsOptions & MetricsStreamSettings) {
    const validator = new MetricsValidator(metricsOptionsOf(options), {
      issues: options?.summaryIssues !== false,
      onLine: (view) => this.line(view),
    });
    this.feeder = new Feeder(validator);
  }

  /** Feeds a chunk; returns the valid lines it completed (empty when none), a fresh array. */
  push(chunk: Uint8Array | string | ArrayBuffer): Uint8Array {
    // most lines are valid: room for the whole chunk usually avoids any growth
    this.buf = new Uint8Array((typeof chunk === 'string' ? chunk.length * 3 : chunk.byteLength) + FILTER_SLACK);
    this.length = 0;
    this.feeder.feed(chunk);
    return this.take();
  }

  /** Ends the input: the last line (if valid and unterminated) and the whole body's result. */
  end(): { bytes: Uint8Array; result: MetricsValidationResult } {
    this.buf = new Uint8Array(FILTER_SLACK);
    this.length = 0;
    const result = this.feeder.finish();
    return { bytes: this.take(), result };
  }

  private take(): Uint8Array {
    const out = this.buf.subarray(0, this.length);
    this.buf = EMPTY;
    this.length = 0;
    return out;
  }

  private line(view: MetricLine): void {
    if (view.error !== 0) return;
    const n = view.end - view.start;
    const need = this.length + n + 1;
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(view.buf.subarray(view.start, view.end), this.length);
    this.buf[this.length + n] = LF;
    this.length = need;
  }
}

const EMPTY = /* @__PURE__ */ new Uint8Array(0);
