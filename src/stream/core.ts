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
import { LineMap, copyValidLines } from '../scan/line-map.js';

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

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * Feeds chunks to a validator. String chunks are encoded here, holding back a high surrogate that
 * ends a chunk until the next one: a code point cut in two by a string stream is then encoded whole,
 * exactly as `TextEncoder` would encode the joined string.
 */
class Feeder {
  readonly validator: MetricsValidator;
  private held = '';

  constructor(validator: MetricsValidator) {
    this.validator = validator;
  }

  /** Feeds a chunk; returns the bytes it pushed (of a held surrogate too), in body order. */
  feed(chunk: Uint8Array | string | ArrayBuffer): Uint8Array {
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
      if (chunk.length === 0) return EMPTY;
      const bytes = encoder.encode(chunk);
      this.validator.push(bytes);
      return bytes;
    }
    const held = this.flushHeld();
    const bytes = toBytes(chunk);
    this.validator.push(bytes);
    return held.length === 0 ? bytes : joined(held, bytes);
  }

  /** Pushes a held surrogate, if any (before the input ends); returns its bytes. */
  flushHeld(): Uint8Array {
    if (this.held === '') return EMPTY;
    // a lone high surrogate: TextEncoder writes U+FFFD for it, as for the whole string
    const bytes = encoder.encode(this.held);
    this.held = '';
    this.validator.push(bytes);
    return bytes;
  }

  finish(): MetricsValidationResult {
    this.flushHeld();
    return this.validator.end();
  }
}

function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
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

/**
 * Keeps the valid lines: `push(chunk)` returns the valid lines that chunk completed, each followed by
 * one LF (a CR before it is dropped when `ignoreCarriageReturn` is on, blank lines are dropped,
 * metadata lines stay), as one fresh byte array; `end()` the last line's bytes and the whole body's
 * result.
 *
 * The validator judges in its verdict mode and maps the lines it cut (the one line map,
 * `scan/line-map.ts`); the valid lines are copied by reading that map (`copyValidLines`), so the
 * filter never looks for a line or judges one itself. It keeps only the start of the unfinished last
 * line, bounded: a line longer than the options allow is invalid, so its bytes need not be kept.
 *
 * @example
 * const f = new LineFilterCollector({ now: Date.now() });
 * const bytes = f.push('cpu.temp 1\nbad\n'); // 'cpu.temp 1\n'
 * const { bytes: tail, result } = f.end();
 */
export class LineFilterCollector {
  private readonly feeder: Feeder;
  private readonly map = new LineMap();
  /** Body offset of the next byte pushed. */
  private pushed = 0;
  /** The unfinished last line's bytes so far, from body offset {@link tailBase}. */
  private tail: Uint8Array = EMPTY;
  private tailLength = 0;
  private tailBase = 0;
  /** The unfinished line outgrew {@link maxTail}: it is too long, so invalid, and no longer kept. */
  private tailDropped = false;
  /**
   * Bytes of an unfinished line kept at most: a line the validator does not skip as too long has at
   * most `maxLineLength + 1` UTF-16 units (a CR besides), and a unit is at most three UTF-8 bytes.
   */
  private readonly maxTail: number;

  /** @param options protocol options and {@link MetricsStreamSettings} in one bag */
  constructor(options?: MetricsOptions & MetricsStreamSettings) {
    const validator = new MetricsValidator(metricsOptionsOf(options), { issues: options?.summaryIssues !== false, lineMap: this.map });
    this.feeder = new Feeder(validator);
    this.maxTail = 3 * (validator.options.maxLineLength + 1);
  }

  /** Feeds a chunk; returns the valid lines it completed (empty when none), a fresh array. */
  push(chunk: Uint8Array | string | ArrayBuffer): Uint8Array {
    const bytes = this.feeder.feed(chunk);
    const base = this.pushed;
    this.pushed += bytes.length;
    const map = this.map;
    if (map.count === 0) {
      this.keep(bytes, 0, base);
      return EMPTY;
    }
    // the lines the chunk completed end at its last LF
    const done = bytes.lastIndexOf(LF) + 1;
    map.finish(base + done, LF);
    const out = this.copy(bytes, done, base);
    this.tailLength = 0;
    this.tailDropped = false;
    this.keep(bytes, done, base);
    return out;
  }

  /** Ends the input: the last line (if valid and unterminated) and the whole body's result. */
  end(): { bytes: Uint8Array; result: MetricsValidationResult } {
    const held = this.feeder.flushHeld();
    this.keep(held, 0, this.pushed);
    this.pushed += held.length;
    const result = this.feeder.validator.end();
    const bytes = this.map.count === 0 ? EMPTY : this.copy(EMPTY, 0, this.pushed);
    return { bytes, result };
  }

  /** Copies the valid lines of the map (the first one joined from the kept tail, then `bytes[0, done)`) into a fresh array; forgets them. */
  private copy(bytes: Uint8Array, done: number, base: number): Uint8Array {
    const map = this.map;
    const out = new Uint8Array(this.tailLength + done + map.count);
    let length = 0;
    // a dropped tail is the first line's, which the validator skipped as too long (invalid): not copied
    let from = this.tailDropped ? 1 : 0;
    if (this.tailLength > 0) {
      // the first line began in an earlier chunk: it alone is joined from the tail (the map's next
      // start, or its closing sentinel, is where it ends in this chunk)
      const firstEnd = Math.min(map.starts[1]! - base, done);
      const first = new Uint8Array(this.tailLength + firstEnd);
      first.set(this.tail.subarray(0, this.tailLength));
      first.set(bytes.subarray(0, firstEnd), this.tailLength);
      length = copyValidLines(first, this.tailBase, map, 0, 1, out, 0);
      from = 1;
    }
    length = copyValidLines(bytes, base, map, from, map.count, out, length);
    map.forget();
    return out.subarray(0, length);
  }

  /** Keeps `bytes[from, end)`, the unfinished line's (or its start), up to {@link maxTail}. */
  private keep(bytes: Uint8Array, from: number, base: number): void {
    const n = bytes.length - from;
    if (n === 0 || this.tailDropped) return;
    if (this.tailLength === 0) this.tailBase = base + from;
    const need = this.tailLength + n;
    if (need > this.maxTail) {
      this.tailDropped = true;
      this.tailLength = 0;
      return;
    }
    if (need > this.tail.length) {
      const grown = new Uint8Array(Math.min(this.maxTail, Math.max(need, this.tail.length * 2, 256)));
      grown.set(this.tail.subarray(0, this.tailLength));
      this.tail = grown;
    }
    this.tail.set(bytes.subarray(from), this.tailLength);
    this.tailLength = need;
  }
}

const EMPTY = /* @__PURE__ */ new Uint8Array(0);
