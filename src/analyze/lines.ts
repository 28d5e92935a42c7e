/**
 * The metrics line protocol into the cardinality analyzer, read in place: the fused pass in recording
 * mode (as `MetricBatchDecoder` reads it, and the reference scanner for the lines the pass hands on)
 * gives each valid line's key and dimension offsets, and the analyzer hashes those bytes where they
 * lie. Nothing is interned and no string is made per line, so it keeps up with the validator
 * (bench/analyze.mjs). Invalid lines are counted and skipped, as the endpoint drops them.
 *
 * @module
 */
import { withUtf8 } from '../metrics/parser.js';
import { LineRecorder } from '../metrics/recorder.js';
import { DIM_ESCAPED, DIM_FLAGS, DIM_KEY_END, DIM_KEY_START, DIM_STRIDE, DIM_VALUE_END, DIM_VALUE_START, LineKind, NumberSlot } from '../metrics/view.js';
import type { AnalyzeOptions } from '../protocol/analyze-options.js';
import { type MetricsOptions, type ResolvedMetricsOptions, resolveMetricsOptions } from '../protocol/options.js';
import { LineSplitter } from '../scan/lines.js';
import { CardinalityAnalyzer } from './analyzer.js';
import { combine, seriesHash } from './hash.js';

/**
 * How far back and ahead of `now` a timestamp may lie when captured payloads are analyzed: the
 * endpoint's window (an hour back) would reject a capture of last week; the analyzer counts tuples of
 * any time, so the window is opened to about 30,000 years either way.
 */
export const ANALYZE_TIMESTAMP_SLACK_MS = 1e15;

/**
 * The metrics options the analyzer reads lines with: the endpoint's grammar, with the timestamp
 * window opened (see {@link ANALYZE_TIMESTAMP_SLACK_MS}) unless the caller set one.
 * @example analyzeMetricsOptions({}).timestampPastMs // 1e15
 */
export function analyzeMetricsOptions(options?: MetricsOptions): ResolvedMetricsOptions {
  return resolveMetricsOptions({ timestampPastMs: ANALYZE_TIMESTAMP_SLACK_MS, timestampFutureMs: ANALYZE_TIMESTAMP_SLACK_MS, ...options });
}

/** Dimension records the scratch starts with (grown by the fused pass as needed). */
const INITIAL_DIMS = 8;

/**
 * Streams metrics line protocol into a {@link CardinalityAnalyzer}: `push` chunks cut anywhere,
 * `end()` after the last; `report()` at any time.
 *
 * @example
 * const a = new LineProtocolAnalyzer();
 * a.push('req.count,request_id=7f3c... count,delta=1\n');
 * a.end();
 * a.report().findings;
 */
export class LineProtocolAnalyzer extends LineRecorder {
  /** The analyzer the points go to (shared across inputs: several files make one sample). */
  readonly analyzer: CardinalityAnalyzer;
  private splitter: LineSplitter;
  private readonly h = new Int32Array(2);
  /** A DataView over the buffer lines are read from (one per buffer, not per line). */
  private view: DataView | undefined;
  private viewOf: Uint8Array | undefined;
  /** Last line number of the current input. */
  private lastLine = 0;

  /**
   * @param options the analyzer's options, or an analyzer to feed (several sources into one sample)
   * @param metricsOptions how lines are read (default: the endpoint's grammar with any timestamp)
   */
  constructor(options?: AnalyzeOptions | CardinalityAnalyzer, metricsOptions?: MetricsOptions) {
    const analyzer = options instanceof CardinalityAnalyzer ? options : new CardinalityAnalyzer(options);
    super(analyzeMetricsOptions(metricsOptions), INITIAL_DIMS);
    this.analyzer = analyzer;
    this.splitter = new LineSplitter(this, this.metricsOptions.maxLineLength, this.metricsOptions.ignoreCarriageReturn);
  }

  /** Reads a chunk's complete lines. */
  push(chunk: Uint8Array | string): void {
    withUtf8(chunk, (bytes) => this.splitter.push(bytes));
  }

  /** Reads the last line (one without LF), if any, and starts line numbers afresh for the next input. */
  end(): void {
    this.splitter.end();
    this.analyzer.lines += this.lastLine;
    this.lastLine = 0;
    this.splitter = new LineSplitter(this, this.metricsOptions.maxLineLength, this.metricsOptions.ignoreCarriageReturn);
  }

  /** The analyzer's report. */
  report(): ReturnType<CardinalityAnalyzer['report']> {
    return this.analyzer.report();
  }

  /** @internal LineSink: the fused pass in recording mode over complete lines. */
  override bulkLines(buf: Uint8Array, start: number, end: number, firstLine: number): number {
    const lines = super.bulkLines(buf, start, end, firstLine);
    if (lines < 0) return lines;
    if (firstLine + lines - 1 > this.lastLine) this.lastLine = firstLine + lines - 1;
    return lines;
  }

  /** @internal LineSink, RegionHost: a line through the reference scanner. */
  line(buf: Uint8Array, start: number, end: number, lineNumber: number): void {
    if (lineNumber > this.lastLine) this.lastLine = lineNumber;
    const view = this.scanLine(buf, start, end, lineNumber);
    if (view.kind === LineKind.BLANK || view.kind === LineKind.METADATA) return;
    if (view.error !== 0) {
      this.analyzer.invalid++;
      return;
    }
    this.commit(view.line, buf, view.keyStart, view.keyEnd, view.dims, view.dimCount, view.keySuffix, view.numbers[NumberSlot.TIMESTAMP]!);
  }

  /** @internal LineSink */
  tooLong(lineNumber: number): void {
    if (lineNumber > this.lastLine) this.lastLine = lineNumber;
    this.analyzer.invalid++;
  }

  /** @internal RegionRecorder: a line the fused pass accepted. */
  point(line: number, buf: Uint8Array, keyStart: number, keyEnd: number, dimCount: number, _payloadType: number, suffix: number): void {
    this.commit(line, buf, keyStart, keyEnd, this.dims, dimCount, suffix, this.numbers[NumberSlot.TIMESTAMP]!);
  }

  private commit(line: number, buf: Uint8Array, keyStart: number, keyEnd: number, dims: Int32Array, dimCount: number, suffix: number, timestamp: number): void {
    const a = this.analyzer;
    // the series as bytes (key to the last dimension's value): a line seen before adds nothing but a point
    const seriesEnd = dimCount === 0 ? keyEnd : dims[(dimCount - 1) * DIM_STRIDE + DIM_VALUE_END]!;
    const h = this.h;
    if (buf !== this.viewOf) {
      this.viewOf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    seriesHash(buf, keyStart, seriesEnd, h, this.view);
    const s0 = combine(h[0]!, suffix);
    const s1 = h[1]!;
    if (a.repeatedSeries(s0, s1, timestamp)) return;
    a.beginPoint(line, buf, keyStart, keyEnd, suffix, timestamp);
    for (let k = 0; k < dimCount; k++) {
      const r = k * DIM_STRIDE;
      const ks = dims[r + DIM_KEY_START]!;
      const ke = dims[r + DIM_KEY_END]!;
      const vs = dims[r + DIM_VALUE_START]!;
      const ve = dims[r + DIM_VALUE_END]!;
      const flags = dims[r + DIM_FLAGS]!;
      if ((flags & DIM_ESCAPED) === 0) a.dimension(buf, ks, ke, buf, vs, ve, buf, vs, ve);
      else {
        // escaped: hashed by the bytes it stands for, so `a\ b` and "a b" are one value
        const n = this.unescape(buf, vs, ve, flags);
        a.dimension(buf, ks, ke, this.unescaped, 0, n, buf, vs, ve);
      }
    }
    a.endPoint();
    a.rememberSeries(s0, s1);
  }
}
