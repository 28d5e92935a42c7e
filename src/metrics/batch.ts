/**
 * Typed points without objects: a columnar {@link MetricBatch} (struct of arrays) that a proxy which
 * routes or aggregates by key can read without building a string or an object per point. Keys,
 * dimension keys and dimension values are ids into one interned string table ({@link KeyTable}) that
 * lives as long as the decoder, so each distinct byte sequence is decoded at most once, when asked.
 *
 * Lines are read by the fused pass (`region.ts`) in recording mode; the lines it hands on go through
 * the reference scanner, whose view has the same dimension layout, so both paths fill the batch
 * the same way.
 *
 * @module
 */
import type { MetricsOptions, ResolvedMetricsOptions } from '../protocol/options.js';
import { resolveMetricsOptions } from '../protocol/options.js';
import { RuleCode } from '../protocol/rules.js';
import { LineSplitter } from '../scan/lines.js';
import { KeyTable } from './keys.js';
import { withUtf8 } from './parser.js';
import { LineRecorder } from './recorder.js';
import { diagnosedError } from './diagnose.js';
import { DIM_ESCAPED, DIM_FLAGS, DIM_KEY_END, DIM_KEY_START, DIM_STRIDE, DIM_VALUE_END, DIM_VALUE_START, LineKind, NumberSlot, PayloadType } from './view.js';

/** Doubles per point in {@link MetricBatch.values}. */
export const VALUE_STRIDE = 4;

/**
 * Bytes of interned strings (their bytes and each entry's share of the table) a
 * {@link MetricBatchDecoder} keeps before it starts its table afresh (between two batches;
 * {@link MetricBatch.generation} tells). Bounds memory on a long stream of ever-new keys and dimension
 * values (request ids, timestamps as values) at the cost of decoding them again; real traffic repeats
 * its keys and stays far below it.
 */
export const DEFAULT_MAX_STRING_BYTES = 8 * 1024 * 1024;

/**
 * Starting sizes of the columns: at most 64 bytes per typed array, which V8 keeps on the heap beside
 * its object (no separate backing store), so a batch for a one-line body costs a few small
 * allocations; columns double as points arrive. A larger one is an ArrayBuffer of its own, ten times
 * the cost of the small one (275-440 ns against 26 ns, measured): the values column, four doubles a
 * point, starts with room for two points.
 */
const INITIAL_POINTS = 8;
const INITIAL_VALUE_POINTS = 2;
const INITIAL_DIMS = 16;
/** Dimension records the decoder's scratch starts with (grown by the fused pass as needed). */
const INITIAL_SCRATCH_DIMS = 2;

/**
 * The invalid-line columns until a batch has an invalid line: one empty array for every batch, so a
 * valid body allocates none (the columns are read up to `invalid`, which is then 0).
 */
const NO_INVALID = /* @__PURE__ */ new Int32Array(0);

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, need: number): T {
  let n = Math.max(a.length * 2, INITIAL_POINTS);
  while (n < need) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/**
 * The points of one chunk (or of a whole body), by column. Point `p` has the metric key
 * `strings.text(keys[p])` (as sent; the endpoint appends {@link MetricBatch.keySuffixes}`[p]`, a `KeySuffix`),
 * a `PayloadType` in `types[p]`, its numbers in `values[p * 4 ..]` (gauge: value; count: delta;
 * summary: min, max, sum, count), `timestamps[p]` in epoch ms or -1, and its dimensions
 * `dimKeys[k]`/`dimValues[k]` for `k` in `[dimOffsets[p], dimOffsets[p + 1])` (escapes resolved,
 * empty values and later duplicates of a key dropped, as the endpoint does). Invalid lines are
 * counted with their line numbers and rule codes; metadata lines are counted.
 *
 * Arrays are longer than `length`: read only the first `length` entries. A batch handed to a callback
 * is reused for the next chunk.
 *
 * @example
 * const batch = parseMetricsBatch('cpu.temp,host=a 42\n');
 * batch.length; // 1
 * batch.strings.text(batch.keys[0]); // 'cpu.temp'
 * batch.values[0]; // 42
 */
export class MetricBatch {
  /** Number of points. */
  length = 0;
  /** 1-based line number of each point. */
  lines = new Int32Array(INITIAL_POINTS);
  /** String id of each point's metric key. */
  keys = new Int32Array(INITIAL_POINTS);
  /** `KeySuffix` the endpoint appends to each point's key (spec §3). */
  keySuffixes = new Uint8Array(INITIAL_POINTS);
  /** `PayloadType` of each point. */
  types = new Uint8Array(INITIAL_POINTS);
  /** {@link VALUE_STRIDE} numbers per point. */
  values = new Float64Array(INITIAL_VALUE_POINTS * VALUE_STRIDE);
  /** Timestamp of each point, epoch ms, or -1. */
  timestamps = new Float64Array(INITIAL_POINTS);
  /** `length + 1` offsets into the dimension columns. */
  dimOffsets = new Int32Array(INITIAL_POINTS + 1);
  /** String ids of the dimension keys. */
  dimKeys = new Int32Array(INITIAL_DIMS);
  /** String ids of the dimension values. */
  dimValues = new Int32Array(INITIAL_DIMS);
  /** Invalid lines in this batch. */
  invalid = 0;
  /** Line numbers of the invalid lines (`invalid` of them). */
  invalidLines = NO_INVALID;
  /** Rule codes of the invalid lines (see `RuleCode`, `ruleInfo`). */
  invalidCodes = NO_INVALID;
  /** Metadata lines in this batch. */
  metadata = 0;
  /** The interned strings the ids index. */
  readonly strings: KeyTable;
  /** Bumped when the decoder starts its string table afresh: ids of earlier batches are then void. */
  generation = 0;
  /**
   * Duplicate-key detection in constant time per dimension: `keyStamps[id]` holds the stamp of the
   * last point that took dimension key `id`; every point gets a new stamp, so nothing is cleared
   * between points (grown with the string table, bounded with it).
   */
  private keyStamps = new Int32Array(INITIAL_DIMS);
  private stamp = 0;

  /** @internal @param strings the string table (shared by every batch of one decoder) */
  constructor(strings: KeyTable = new KeyTable()) {
    this.strings = strings;
  }

  /** The metric key of point `p` (as sent). */
  key(p: number): string {
    return this.strings.text(this.keys[p]!);
  }

  /** The dimensions of point `p` as `[key, value]` pairs (allocates: for convenience, not for hot paths). */
  dimensions(p: number): [string, string][] {
    const out: [string, string][] = [];
    for (let k = this.dimOffsets[p]!; k < this.dimOffsets[p + 1]!; k++) out.push([this.strings.text(this.dimKeys[k]!), this.strings.text(this.dimValues[k]!)]);
    return out;
  }

  /** @internal Empties the batch (keeps its arrays and the string table). */
  clear(): void {
    this.length = 0;
    this.invalid = 0;
    this.metadata = 0;
    this.dimOffsets[0] = 0;
  }

  /** @internal Appends a point; its dimensions follow with {@link addDimension}. */
  beginPoint(line: number, key: number, suffix: number, type: number, timestamp: number): number {
    const p = this.length;
    if (p + 1 >= this.keys.length) {
      const n = p + 2;
      this.lines = grow(this.lines, n);
      this.keys = grow(this.keys, n);
      this.keySuffixes = grow(this.keySuffixes, n);
      this.types = grow(this.types, n);
      this.timestamps = grow(this.timestamps, n);
      this.dimOffsets = grow(this.dimOffsets, n + 1);
    }
    if ((p + 1) * VALUE_STRIDE > this.values.length) this.values = grow(this.values, (p + 1) * VALUE_STRIDE);
    // a new stamp for this point (on overflow: forget every stamp, then count from 1 again)
    if (this.stamp === 0x7fffffff) {
      this.keyStamps.fill(0);
      this.stamp = 0;
    }
    this.stamp++;
    this.lines[p] = line;
    this.keys[p] = key;
    this.keySuffixes[p] = suffix;
    this.types[p] = type;
    this.timestamps[p] = timestamp;
    this.length = p + 1;
    this.dimOffsets[p + 1] = this.dimOffsets[p]!;
    return p;
  }

  /** @internal Adds a dimension to the last point, unless its key is already there (first wins). */
  addDimension(key: number, value: number): void {
    const p = this.length - 1;
    const at = this.dimOffsets[p + 1]!;
    let stamps = this.keyStamps;
    if (key >= stamps.length) this.keyStamps = stamps = grow(stamps, key + 1);
    if (stamps[key] === this.stamp) return;
    stamps[key] = this.stamp;
    if (at >= this.dimKeys.length) {
      this.dimKeys = grow(this.dimKeys, at + 1);
      this.dimValues = grow(this.dimValues, at + 1);
    }
    this.dimKeys[at] = key;
    this.dimValues[at] = value;
    this.dimOffsets[p + 1] = at + 1;
  }

  /** @internal Counts an invalid line. */
  addInvalid(line: number, code: number): void {
    const n = this.invalid;
    if (n >= this.invalidLines.length) {
      this.invalidLines = grow(this.invalidLines, n + 1);
      this.invalidCodes = grow(this.invalidCodes, n + 1);
    }
    this.invalidLines[n] = line;
    this.invalidCodes[n] = code;
    this.invalid = n + 1;
  }
}

/**
 * Where the decoder's lines go: the splitter's `LineSink` and the fused pass's `RegionRecorder`
 * ({@link LineRecorder}) in one private object, so the decoder itself exposes neither its scratch
 * arrays nor a stub of the counting mode.
 */
class BatchSink extends LineRecorder {
  /** The batch being filled (reused; the decoder's {@link MetricBatchDecoder.batch}). */
  readonly batch: MetricBatch;
  private readonly strings: KeyTable;

  constructor(options: ResolvedMetricsOptions, batch: MetricBatch, strings: KeyTable) {
    super(options, INITIAL_SCRATCH_DIMS);
    this.batch = batch;
    this.strings = strings;
  }

  /** LineSink, RegionHost: a line through the reference scanner. */
  line(buf: Uint8Array, start: number, end: number, lineNumber: number): void {
    const view = this.scanLine(buf, start, end, lineNumber);
    if (view.kind === LineKind.BLANK) return;
    if (view.error !== 0) this.batch.addInvalid(lineNumber, diagnosedError(view, this.metricsOptions));
    else if (view.kind === LineKind.METADATA) this.batch.metadata++;
    else this.commit(view.line, buf, view.keyStart, view.keyEnd, view.dims, view.dimCount, view.payloadType, view.keySuffix, view.numbers);
  }

  /** LineSink */
  tooLong(lineNumber: number, _units: number): void {
    this.batch.addInvalid(lineNumber, RuleCode.LINE_TOO_LONG);
  }

  /** RegionRecorder: a line the fused pass accepted. */
  point(line: number, buf: Uint8Array, keyStart: number, keyEnd: number, dimCount: number, payloadType: number, suffix: number): void {
    this.commit(line, buf, keyStart, keyEnd, this.dims, dimCount, payloadType, suffix, this.numbers);
  }

  private commit(
    line: number,
    buf: Uint8Array,
    keyStart: number,
    keyEnd: number,
    dims: Int32Array,
    dimCount: number,
    payloadType: number,
    suffix: number,
    numbers: Float64Array,
  ): void {
    const batch = this.batch;
    const strings = this.strings;
    const p = batch.beginPoint(line, strings.intern(buf, keyStart, keyEnd), suffix, payloadType, numbers[NumberSlot.TIMESTAMP]!);
    const v = batch.values;
    const at = p * VALUE_STRIDE;
    if (payloadType === PayloadType.SUMMARY) {
      v[at] = numbers[NumberSlot.MIN]!;
      v[at + 1] = numbers[NumberSlot.MAX]!;
      v[at + 2] = numbers[NumberSlot.SUM]!;
      v[at + 3] = numbers[NumberSlot.COUNT]!;
    } else {
      v[at] = numbers[payloadType === PayloadType.COUNT ? NumberSlot.DELTA : NumberSlot.VALUE]!;
      v[at + 1] = v[at + 2] = v[at + 3] = 0;
    }
    for (let k = 0; k < dimCount; k++) {
      const r = k * DIM_STRIDE;
      const key = strings.intern(buf, dims[r + DIM_KEY_START]!, dims[r + DIM_KEY_END]!);
      const vs = dims[r + DIM_VALUE_START]!;
      const ve = dims[r + DIM_VALUE_END]!;
      const flags = dims[r + DIM_FLAGS]!;
      let value: number;
      if ((flags & DIM_ESCAPED) === 0) {
        value = strings.intern(buf, vs, ve);
      } else {
        // escaped: interned by the bytes it stands for, so `a\ b` and "a b" are one string
        const n = this.unescape(buf, vs, ve, flags);
        value = strings.intern(this.unescaped, 0, n);
      }
      batch.addDimension(key, value);
    }
  }
}

/**
 * Streaming decoder into columns: `push(chunk)` fills one reused {@link MetricBatch} with the points
 * of the chunk's complete lines and hands it to `onBatch`; `end()` does the same for the last line.
 * Ids stay valid across batches while {@link MetricBatch.generation} is unchanged.
 *
 * @example
 * const decoder = new MetricBatchDecoder({ now: Date.now() }, (batch) => {
 *   for (let p = 0; p < batch.length; p++) totals[batch.keys[p]] += batch.values[p * 4];
 * });
 * for await (const chunk of body) decoder.push(chunk);
 * decoder.end();
 */
export class MetricBatchDecoder {
  /** The resolved options in force. */
  readonly options: ResolvedMetricsOptions;
  /** The batch being filled (reused). */
  readonly batch: MetricBatch;
  private readonly onBatch: ((batch: MetricBatch) => void) | undefined;
  private readonly splitter: LineSplitter;
  private readonly strings: KeyTable;
  private readonly maxStringBytes: number;

  /**
   * @param options metrics options (the same rules as the validator; `backend` is not used: columns
   *   are read by the TypeScript fused pass)
   * @param onBatch receives the batch after each push and after end
   * @param maxStringBytes interned bytes kept before the string table starts afresh (between batches)
   */
  constructor(options?: MetricsOptions | ResolvedMetricsOptions, onBatch?: (batch: MetricBatch) => void, maxStringBytes = DEFAULT_MAX_STRING_BYTES) {
    this.options = resolveMetricsOptions(options);
    this.onBatch = onBatch;
    this.strings = new KeyTable();
    this.batch = new MetricBatch(this.strings);
    this.maxStringBytes = maxStringBytes;
    const sink = new BatchSink(this.options, this.batch, this.strings);
    this.splitter = new LineSplitter(sink, this.options.maxLineLength, this.options.ignoreCarriageReturn);
  }

  /** Decodes a chunk's complete lines into the batch (cleared first) and hands it on. */
  push(chunk: Uint8Array | string): void {
    this.startBatch();
    withUtf8(chunk, (bytes) => this.splitter.push(bytes));
    this.onBatch?.(this.batch);
  }

  /** Decodes the last line (one without LF), if any, into the batch (cleared first) and hands it on. */
  end(): void {
    this.startBatch();
    this.splitter.end();
    this.onBatch?.(this.batch);
  }

  /** @internal parseMetricsBatch: the whole input into one batch. */
  decodeWhole(input: string | Uint8Array | ArrayBuffer): MetricBatch {
    this.startBatch();
    withUtf8(input, (bytes) => this.splitter.push(bytes));
    this.splitter.end();
    return this.batch;
  }

  private startBatch(): void {
    this.batch.clear();
    if (this.strings.heldBytes > this.maxStringBytes) {
      this.strings.clear();
      this.batch.generation++;
    }
  }
}

/**
 * Parses a whole body into one columnar {@link MetricBatch} (see there for the layout).
 *
 * @example
 * const batch = parseMetricsBatch('cpu.temp,host=a 42\nbad key\n', { now: Date.now() });
 * batch.length; // 1 point
 * batch.invalid; // 1 invalid line (batch.invalidLines[0] === 2)
 */
export function parseMetricsBatch(input: string | Uint8Array | ArrayBuffer, options?: MetricsOptions): MetricBatch {
  return new MetricBatchDecoder(options).decodeWhole(input);
}
