/**
 * The shared part of the readers that take metrics lines in recording mode: the columnar batch's
 * sink (`batch.ts`) and the cardinality analyzer's line reader (`analyze/lines.ts`). Both hand
 * complete lines to the fused pass (`region.ts`) in recording mode, read the lines it hands on with
 * the reference scanner, keep the dimension scratch the pass fills, and resolve escaped dimension
 * values into bytes; what they do with a point is their own.
 *
 * @module
 */
import type { ResolvedMetricsOptions } from '../protocol/options.js';
import { LF } from '../protocol/chars.js';
import type { LineSink } from '../scan/lines.js';
import { RegionScanner, type RegionRecorder } from './region.js';
import { LineScanner } from './scanner.js';
import { DIM_QUOTED, DIM_STRIDE, EMPTY, unescapeValueBytes, type MetricLine } from './view.js';

/**
 * A reader of lines in recording mode: subclasses say what a point, a line the fused pass hands on,
 * and a line too long to read become.
 *
 * @example
 * class Keys extends LineRecorder {
 *   point(line, buf, keyStart, keyEnd) { seen.add(decode(buf, keyStart, keyEnd)); }
 *   line(buf, start, end, n) { const view = this.scanLine(buf, start, end, n); ... }
 *   tooLong() {}
 * }
 */
export abstract class LineRecorder implements LineSink, RegionRecorder {
  /** The resolved options lines are read with. */
  readonly metricsOptions: ResolvedMetricsOptions;
  /** RegionRecorder: the dimension records of the line the fused pass is reading. */
  dims: Int32Array;
  /** RegionRecorder: the accepted line's numbers, by `NumberSlot`. */
  readonly numbers: Float64Array = new Float64Array(8);
  /** The bytes of the last value {@link unescape} resolved (made on the first escaped value). */
  protected unescaped: Uint8Array = EMPTY;
  private readonly region: RegionScanner;
  /** The reference scanner and its view, made on first use (a body the fused pass reads whole never needs them). */
  private referenceScanner: LineScanner | undefined;
  private referenceView: MetricLine | undefined;

  /**
   * @param options how lines are read
   * @param initialDims dimension records the scratch starts with (grown by the fused pass as needed)
   */
  protected constructor(options: ResolvedMetricsOptions, initialDims: number) {
    this.metricsOptions = options;
    this.dims = new Int32Array(initialDims * DIM_STRIDE);
    this.region = new RegionScanner(options);
  }

  /** LineSink: the fused pass in recording mode over complete lines (it needs the region to end with an LF). */
  bulkLines(buf: Uint8Array, start: number, end: number, firstLine: number): number {
    if (buf[end - 1] !== LF) return -1;
    this.region.record(buf, start, end, firstLine, this);
    return this.region.lines;
  }

  /** RegionRecorder: makes room for at least `count` dimension records. */
  growDims(count: number): Int32Array {
    let n = this.dims.length / DIM_STRIDE;
    while (n < count) n *= 2;
    const dims = new Int32Array(n * DIM_STRIDE);
    dims.set(this.dims);
    this.dims = dims;
    return dims;
  }

  /** LineSink, RegionHost: a line the fused pass hands on (or one the splitter gives alone). */
  abstract line(buf: Uint8Array, start: number, end: number, lineNumber: number): void;

  /** LineSink: a line past `maxLineLength`, skipped unread. */
  abstract tooLong(lineNumber: number, units: number, prefix: Uint8Array, prefixLength: number): void;

  /** RegionRecorder: a valid data line the fused pass accepted; its dimensions are in {@link dims}. */
  abstract point(line: number, buf: Uint8Array, keyStart: number, keyEnd: number, dimCount: number, payloadType: number, suffix: number): void;

  /** The reference scanner's (reused) view of the line `buf[start, end)`. */
  protected scanLine(buf: Uint8Array, start: number, end: number, lineNumber: number): MetricLine {
    const scanner = (this.referenceScanner ??= new LineScanner(this.metricsOptions));
    const view = (this.referenceView ??= scanner.createView());
    scanner.scan(view, buf, start, end, lineNumber);
    return view;
  }

  /**
   * Resolves the escapes of the dimension value `buf[start, end)` (its record's `flags` say whether it
   * is quoted) into {@link unescaped}; returns the length. Read `unescaped` after the call: it grows.
   */
  protected unescape(buf: Uint8Array, start: number, end: number, flags: number): number {
    if (this.unescaped.length < end - start) this.unescaped = new Uint8Array(Math.max(64, 2 * (end - start)));
    return unescapeValueBytes(buf, start, end, (flags & DIM_QUOTED) !== 0, this.unescaped);
  }
}
