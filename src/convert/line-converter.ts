/**
 * The streaming frame of the line-oriented converters (StatsD, Influx line protocol): bytes in any
 * chunking through the shared `LineSplitter` (an unfinished line is carried, a line past
 * `maxLineBytes` is skipped in bounded memory), one reused {@link MetricBatch} handed to the sink
 * after each chunk and whenever `batchPoints` points have gathered, counts, and problems built from
 * the one rules table (`protocol/convert-rules.ts`) only when the sink listens for them.
 *
 * A format supplies `readLine(buf, start, end, line)` for one complete line (LF removed).
 *
 * @module
 */
import type { MetricBatch } from '../metrics/batch.js';
import { CR } from '../protocol/chars.js';
import { type ConvertRuleId, convertRule } from '../protocol/convert-rules.js';
import { METRICS_DEFAULTS, type MetricsOptions } from '../protocol/options.js';
import { formatTemplate } from '../protocol/rules.js';
import { LineSplitter } from '../scan/lines.js';
import { NameFate, NameMapper } from './names.js';
import type { ConvertCounts, ConvertSink, SourceConverter } from './source.js';

/** The values a rule's template may name (see `protocol/convert-rules.ts`). */
export interface ProblemValues {
  /** The metric name as sent. */
  name?: string;
  /** What it became. */
  new?: string;
  /** A label (dimension, tag, field) key. */
  label?: string;
  /** A measured value. */
  n?: number;
  /** A limit. */
  max?: number;
  /** The offending token. */
  token?: string;
  /** Free text. */
  hint?: string;
}

const decoder = /* @__PURE__ */ new TextDecoder();

/** Longest token quoted in a problem message, in bytes. */
const MAX_TOKEN_BYTES = 80;

/**
 * Base of a line-oriented {@link SourceConverter}: subclasses read one line at a time.
 * @example
 * class Mine extends LineConverter {
 *   protected readLine(buf: Uint8Array, start: number, end: number, line: number): void {}
 * }
 */
export abstract class LineConverter implements SourceConverter {
  /** Counts so far. */
  readonly counts: ConvertCounts = { lines: 0, points: 0, invalid: 0, byRule: {} };
  /** Names, values and the batch they are interned into. */
  protected readonly names: NameMapper;
  protected readonly sink: ConvertSink;
  private readonly splitter: LineSplitter;
  /** Longest line read (longer ones are reported and skipped). */
  protected readonly maxLineBytes: number;
  private readonly batchPoints: number;
  /** Most dimensions a point may have (more: the point is dropped, as the endpoint drops the line). */
  protected readonly maxDimensions: number;

  /**
   * @param sink where batches and problems go
   * @param maxLineBytes longest line read
   * @param batchPoints points per batch handed to the sink
   * @param maxStringBytes interned bytes kept before the tables start afresh
   * @param metrics line-protocol options the output must satisfy
   */
  constructor(sink: ConvertSink, maxLineBytes: number, batchPoints: number, maxStringBytes: number, metrics: MetricsOptions | undefined) {
    this.sink = sink;
    this.maxLineBytes = maxLineBytes;
    this.batchPoints = batchPoints;
    this.names = new NameMapper(metrics ?? {}, maxStringBytes);
    this.maxDimensions = metrics?.maxDimensions ?? METRICS_DEFAULTS.maxDimensions;
    this.splitter = new LineSplitter(this, maxLineBytes, true);
  }

  /** Reads a chunk; its complete lines go to the sink. */
  push(chunk: Uint8Array): void {
    this.names.startBatch();
    this.splitter.push(chunk);
    this.flush();
  }

  /** Reads the last line (one without LF) and flushes. The converter can be used again afterwards. */
  end(): void {
    this.names.startBatch();
    this.splitter.end();
    this.flush();
  }

  /** Hands the batch on when it holds points. */
  private flush(): void {
    const batch = this.names.batch;
    if (batch.length > 0) {
      this.counts.points += batch.length;
      this.sink.points(batch);
    }
    batch.clear();
  }

  /** The line splitter calls it (the `LineSink` contract of `scan/lines.ts`). */
  line(buf: Uint8Array, start: number, end: number, lineNumber: number): void {
    this.counts.lines++;
    if (end > start && buf[end - 1] === CR) end--;
    if (end - start > this.maxLineBytes) {
      this.invalid('convert-line-too-long', lineNumber, 1, { max: this.maxLineBytes });
      return;
    }
    this.makeRoom();
    this.readLine(buf, start, end, lineNumber);
  }

  /**
   * The line splitter calls it with every complete line of a chunk (the optional bulk path of the
   * `LineSink` contract): a format with a fused chunk scan reads them in one loop (`readLines`),
   * the others decline and get `line` per line.
   */
  bulkLines(buf: Uint8Array, start: number, end: number, firstLine: number): number {
    return this.readLines(buf, start, end, firstLine);
  }

  /**
   * Reads every line of `buf[start, end)` (`end` just past an LF, or the end of one last line) and
   * returns how many physical lines there were, or -1 to decline (the default). An override counts
   * each line it reads itself in `counts.lines`, calls `makeRoom` before each point, and hands
   * any line it does not read itself (blank, too long, unusual) to `line`.
   */
  protected readLines(_buf: Uint8Array, _start: number, _end: number, _firstLine: number): number {
    return -1;
  }

  /** Hands the batch on when it holds `batchPoints` points, before the next line adds one. */
  protected makeRoom(): void {
    if (this.names.batch.length >= this.batchPoints) {
      this.flush();
      this.names.startBatch();
    }
  }

  /** The line splitter calls it (the `LineSink` contract of `scan/lines.ts`). */
  tooLong(lineNumber: number): void {
    this.counts.lines++;
    this.invalid('convert-line-too-long', lineNumber, 1, { max: this.maxLineBytes });
  }

  /** Reads one complete line `buf[start, end)` (no LF, no trailing CR). */
  protected abstract readLine(buf: Uint8Array, start: number, end: number, line: number): void;

  /** The batch being filled. */
  protected get batch(): MetricBatch {
    return this.names.batch;
  }

  /** Counts and reports an unreadable line. */
  protected invalid(rule: ConvertRuleId, line: number, column: number, values: ProblemValues): void {
    this.counts.invalid++;
    this.problem(rule, line, column, values);
  }

  /** Counts and reports a problem (the message is built only when the sink listens). */
  protected problem(rule: ConvertRuleId, line: number, column: number, values: ProblemValues): void {
    const row = convertRule(rule);
    // every rule counted, unreadable lines too (the CLI's mapping report reads the counts)
    this.counts.byRule[rule] = (this.counts.byRule[rule] ?? 0) + 1;
    const listener = this.sink.problem;
    if (listener === undefined) return;
    listener.call(this.sink, { kind: row.kind, rule, line, column, message: formatTemplate(row.report, values) });
  }

  /** Whether the sink listens for problems (so callers skip building their values). */
  protected get listening(): boolean {
    return this.sink.problem !== undefined;
  }

  /** A token of the input for a message, cut to a readable length. */
  protected token(buf: Uint8Array, start: number, end: number): string {
    return decoder.decode(buf.subarray(start, Math.min(end, start + MAX_TOKEN_BYTES)));
  }

  /**
   * Adds a dimension from key and value bytes (already unescaped) to the last point, reporting a
   * renamed or dropped key or value. Returns false when the key or value gave nothing.
   */
  protected dimension(buf: Uint8Array, ks: number, ke: number, vbuf: Uint8Array, vs: number, ve: number, line: number): boolean {
    const names = this.names;
    const key = names.dimensionKey(buf, ks, ke);
    if (names.fate !== NameFate.VALID) {
      if (key < 0) {
        this.problem('convert-dimension-key-invalid', line, ks + 1, { label: names.lastRaw });
        return false;
      }
      this.problem('convert-dimension-key-normalized', line, ks + 1, { label: names.lastRaw, new: this.names.batch.strings.text(key) });
    }
    const value = names.dimensionValue(vbuf, vs, ve);
    if (value < 0) {
      this.problem('convert-dimension-empty', line, ks + 1, { label: this.listening ? this.token(buf, ks, ke) : '' });
      return false;
    }
    if (names.fate === NameFate.RENAMED)
      this.problem('convert-dimension-value-normalized', line, ks + 1, { label: this.listening ? this.token(buf, ks, ke) : '', max: 0 });
    this.names.batch.addDimension(key, value);
    return true;
  }

  /** The metric key id for `buf[start, end)`, reporting a rename; -1 (reported) when nothing is left. */
  protected metricKey(buf: Uint8Array, start: number, end: number, line: number, column: number): number {
    const id = this.names.metricKey(buf, start, end);
    if (this.names.fate !== NameFate.VALID) this.keyProblem(id, line, column);
    return id;
  }

  /** `metricKey` with the name's FNV-1a hash computed by the caller's scan. */
  protected metricKeyHashed(buf: Uint8Array, start: number, end: number, hash: number, line: number): number {
    const id = this.names.metricKeyHashed(buf, start, end, hash);
    if (this.names.fate !== NameFate.VALID) this.keyProblem(id, line, 1);
    return id;
  }

  /** Reports a renamed or dropped metric key, with the reason its fate names. */
  private keyProblem(id: number, line: number, column: number): void {
    const names = this.names;
    if (id >= 0) this.problem('convert-metric-key-normalized', line, column, { name: names.lastRaw, new: names.batch.strings.text(id) });
    else if (names.fate === NameFate.RESERVED) this.problem('convert-metric-key-reserved', line, column, { name: names.lastRaw });
    else this.problem('convert-metric-key-invalid', line, column, { name: names.lastRaw });
  }

  /**
   * Ends the last point: drops it when it has more dimensions than the endpoint takes (reported), as
   * the endpoint drops such a line. Returns whether the point stays.
   */
  protected endPoint(line: number): boolean {
    const batch = this.names.batch;
    const p = batch.length - 1;
    const n = batch.dimOffsets[p + 1]! - batch.dimOffsets[p]!;
    if (n <= this.maxDimensions) return true;
    batch.length = p;
    this.problem('convert-too-many-dimensions', line, 1, { n, max: this.maxDimensions });
    return false;
  }
}
