/**
 * Every source the analyzer reads, into one {@link CardinalityAnalyzer}: a source format's converter
 * (through its sink), OTLP requests (the typed decoder's columns), and `serve --record` files (NDJSON
 * of `{"route","receivedAt","item"}`: a metrics line as a string item, an OTLP point as an object with
 * `metric` and `attributes`; the arrival time places lines without a timestamp on the time axis).
 *
 * @module
 */
import type { ConvertSink } from '../convert/source.js';
import { MetricBatch } from '../metrics/batch.js';
import { KeyTable } from '../metrics/keys.js';
import { OtlpBatchDecoder } from '../otlp/typed.js';
import type { OtlpOptions } from '../protocol/otlp-options.js';
import { KeySuffix, PayloadType } from '../metrics/view.js';
import { LineSplitter } from '../scan/lines.js';
import type { CardinalityAnalyzer } from './analyzer.js';
import { LineProtocolAnalyzer } from './lines.js';

/**
 * A converter sink that hands every batch to the analyzer (problems are the converter's to report).
 * @example sourceFormat('statsd')!.open(analyzerSink(analyzer))
 */
export function analyzerSink(analyzer: CardinalityAnalyzer): ConvertSink {
  return { points: (batch) => analyzer.addBatch(batch) };
}

/**
 * Analyzes one uncompressed OTLP metrics request (protobuf); returns `false` when its wire format is
 * broken (nothing is counted then but one invalid record). Metric names are counted as sent (the
 * endpoint may normalize them).
 * @example analyzeOtlp(analyzer, bytes, decoder)
 */
export function analyzeOtlp(analyzer: CardinalityAnalyzer, body: Uint8Array, decoder: OtlpBatchDecoder = new OtlpBatchDecoder()): boolean {
  const batch = decoder.decode(body);
  analyzer.lines++;
  if (batch === null) {
    analyzer.invalid++;
    return false;
  }
  analyzer.addBatch(batch);
  return true;
}

/** {@link OtlpBatchDecoder} for callers above this layer. */
export function otlpDecoder(options?: OtlpOptions): OtlpBatchDecoder {
  return new OtlpBatchDecoder(options);
}

/** Longest record line read from a record file (longer ones are counted invalid). */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;
/** Interned bytes of the OTLP points of a record file kept before the table starts afresh. */
const RECORD_STRING_BYTES = 8 * 1024 * 1024;

const utf8 = /* @__PURE__ */ new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * Streams a `serve --record` file (NDJSON) into the analyzer: each record's item is a metrics line
 * (read as the line protocol, its arrival time as the clock) or an OTLP point (`metric`,
 * `attributes`, `timestamp`); other records (events, logs) are skipped and counted.
 *
 * @example
 * const r = new RecordFileAnalyzer(analyzer);
 * r.push(chunk); r.end();
 */
export class RecordFileAnalyzer {
  /** Records of other routes (not metrics), skipped. */
  skipped = 0;
  private readonly lines: LineProtocolAnalyzer;
  private splitter: LineSplitter;
  private readonly strings = new KeyTable();
  private readonly batch = new MetricBatch(this.strings);
  private scratch = new Uint8Array(256);

  /** @param analyzer where the points go */
  constructor(readonly analyzer: CardinalityAnalyzer) {
    this.lines = new LineProtocolAnalyzer(analyzer);
    this.splitter = new LineSplitter(this, MAX_RECORD_BYTES, true);
  }

  /** Reads a chunk's complete records. */
  push(chunk: Uint8Array): void {
    this.splitter.push(chunk);
  }

  /** Reads the last record. */
  end(): void {
    this.splitter.end();
    this.flushBatch();
    this.lines.end();
    this.splitter = new LineSplitter(this, MAX_RECORD_BYTES, true);
  }

  /** @internal LineSink */
  line(buf: Uint8Array, start: number, end: number, lineNumber: number): void {
    if (start === end) return;
    let record: unknown;
    try {
      record = JSON.parse(utf8.decode(buf.subarray(start, end)));
    } catch {
      this.analyzer.lines++;
      this.analyzer.invalid++;
      return;
    }
    const r = record as { receivedAt?: unknown; item?: unknown } | null;
    const item = r?.item;
    const at = typeof r?.receivedAt === 'string' ? Date.parse(r.receivedAt) : Number.NaN;
    if (typeof item === 'string') {
      this.flushBatch();
      this.analyzer.clock = at;
      this.lines.push(item);
      this.lines.push('\n');
      return;
    }
    if (item !== null && typeof item === 'object' && typeof (item as { metric?: unknown }).metric === 'string') {
      this.otlpPoint(item as { metric: string; attributes?: unknown; timestamp?: unknown }, lineNumber, at);
      return;
    }
    this.skipped++;
  }

  /** @internal LineSink */
  tooLong(): void {
    this.analyzer.lines++;
    this.analyzer.invalid++;
  }

  private otlpPoint(item: { metric: string; attributes?: unknown; timestamp?: unknown }, lineNumber: number, at: number): void {
    const batch = this.batch;
    if (batch.length === 0 && this.strings.heldBytes > RECORD_STRING_BYTES) {
      this.strings.clear();
      batch.generation++;
    }
    this.analyzer.lines++;
    this.analyzer.clock = at;
    const ts = typeof item.timestamp === 'number' && item.timestamp >= 0 ? item.timestamp : -1;
    batch.beginPoint(lineNumber, this.intern(item.metric), KeySuffix.NONE, PayloadType.GAUGE, ts);
    const attrs = item.attributes;
    if (attrs !== null && typeof attrs === 'object') {
      for (const [k, v] of Object.entries(attrs)) {
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
        const value = String(v);
        if (value === '') continue;
        batch.addDimension(this.intern(k), this.intern(value));
      }
    }
    // one point per batch: the clock of each record stays its own
    this.flushBatch();
  }

  private intern(s: string): number {
    if (this.scratch.length < s.length * 3) this.scratch = new Uint8Array(s.length * 3);
    const n = encoder.encodeInto(s, this.scratch).written;
    return this.strings.intern(this.scratch, 0, n);
  }

  private flushBatch(): void {
    if (this.batch.length === 0) return;
    this.analyzer.addBatch(this.batch);
    this.batch.clear();
  }
}
