/**
 * The typed path: the points Dynatrace keeps, in the same columnar {@link MetricBatch} the line
 * protocol's batch decoder fills (keys and dimensions as ids into one interned string table, numbers
 * in typed arrays), and the summary (min, max, sum, count) of a histogram point estimated from its
 * buckets the way the removed Collector Dynatrace exporter did (`histogram.go`; docs/spec/otlp-metrics.md §6).
 *
 * @module
 */
import type { OtlpOptions, ResolvedOtlpOptions } from '../protocol/otlp-options.js';
import { resolveOtlpOptions } from '../protocol/otlp-options.js';
import { MetricBatch, VALUE_STRIDE } from '../metrics/batch.js';
import { KeyTable } from '../metrics/keys.js';
import { KeySuffix } from '../metrics/view.js';
import { MetricKind, type OtlpPointSink, OtlpWalker, PointShape, ValueKind } from './walk.js';
import { F64, loadDouble, loadFixed64 } from './wire.js';

const encoder = /* @__PURE__ */ new TextEncoder();
const TRUE = /* @__PURE__ */ encoder.encode('true');
const FALSE = /* @__PURE__ */ encoder.encode('false');

/**
 * Bounds and bucket counts of one histogram point, read again from its bytes into reused arrays.
 * @internal
 */
export class HistogramBuckets {
  bounds = new Float64Array(16);
  counts = new Float64Array(17);
  boundCount = 0;
  bucketCount = 0;

  /** Reads fields 6 (bucket_counts) and 7 (explicit_bounds) of the point the walker stands on. */
  read(w: OtlpWalker): void {
    this.boundCount = this.bucketCount = 0;
    const r = w.r;
    const saved = r.pos;
    const end = w.pointEnd;
    r.pos = w.pointStart;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      if ((field === 6 || field === 7) && (wt === 1 || wt === 2)) {
        let s = r.pos;
        let e = s + 8;
        if (wt === 2) {
          const n = r.length(end);
          s = r.pos;
          e = s + n;
        }
        for (let i = s; i < e; i += 8) {
          if (field === 7) loadDouble(r.buf, i);
          else loadFixed64(r.buf, i);
          this.push(field === 7, F64[0]!);
        }
        r.pos = e;
      } else r.skip(wt, end, tagAt);
    }
    r.pos = saved;
  }

  private push(bound: boolean, v: number): void {
    if (bound) {
      if (this.boundCount === this.bounds.length) this.bounds = grown(this.bounds);
      this.bounds[this.boundCount++] = v;
    } else {
      if (this.bucketCount === this.counts.length) this.counts = grown(this.counts);
      this.counts[this.bucketCount++] = v;
    }
  }
}

function grown(a: Float64Array): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * The summary of the histogram point the walker stands on, into `out[0..3]` = min, max, sum, count:
 * the point's own min/max/sum where given, else estimated from the non-empty buckets (lower bound of
 * the first, upper bound of the last, midpoints for the sum; the open-ended outer buckets use their
 * one finite bound), then min and max pulled to the average where they would contradict it.
 * Exponential histograms carry no explicit bounds: a missing min or max is the average (*decided*).
 * @internal
 */
export function histogramSummary(w: OtlpWalker, buckets: HistogramBuckets, out: Float64Array): void {
  const count = w.count;
  out[3] = count;
  if (w.hasMin && w.hasMax && w.hasSum) {
    out[0] = w.min;
    out[1] = w.max;
    out[2] = w.sum;
    return;
  }
  let min = 0;
  let max = 0;
  let sum = 0;
  if (w.kind === MetricKind.HISTOGRAM) buckets.read(w);
  const n = w.kind === MetricKind.HISTOGRAM ? buckets.bucketCount : 1;
  if (n === 1) {
    sum = w.hasSum ? w.sum : 0;
    const mean = sum / count;
    out[0] = w.hasMin ? w.min : mean;
    out[1] = w.hasMax ? w.max : mean;
    out[2] = sum;
    return;
  }
  const b = buckets.bounds;
  const c = buckets.counts;
  let found = false;
  for (let i = 0; i < n; i++) {
    const k = c[i]!;
    if (k === 0) continue;
    if (!found) {
      found = true;
      min = i === 0 ? b[0]! : b[i - 1]!;
    }
    max = i === n - 1 ? b[i - 1]! : b[i]!;
    if (i === 0) sum += k * b[0]!;
    else if (i === n - 1) sum += k * b[i - 1]!;
    else sum += (k * (b[i]! + b[i - 1]!)) / 2;
  }
  if (w.hasMin) min = w.min;
  if (w.hasMax) max = w.max;
  if (w.hasSum) sum = w.sum;
  const avg = sum / count;
  out[0] = Math.min(min, avg);
  out[1] = Math.max(max, avg);
  out[2] = sum;
}

/**
 * Decodes OTLP requests into columns: one reused {@link MetricBatch} per request with the points
 * Dynatrace keeps (gauge: Gauge and cumulative non-monotonic Sum; count: delta Sum; summary:
 * histograms as min, max, sum, count), keys and attribute values interned. Attribute values that are
 * not strings are written as text (`true`, `42`, `0.5`); arrays, maps and bytes are left out
 * (*decided*, docs/spec/otlp-metrics.md §5). Point `p`'s `lines[p]` is its 1-based ordinal in the request.
 *
 * @example
 * const decoder = new OtlpBatchDecoder();
 * const batch = decoder.decode(bytes);
 * if (batch) for (let p = 0; p < batch.length; p++) console.log(batch.key(p), batch.values[p * 4]);
 */
export class OtlpBatchDecoder {
  /** The options in force. */
  readonly options: ResolvedOtlpOptions;
  /** The batch (reused by every call). */
  readonly batch: MetricBatch;
  private readonly walker: OtlpWalker;
  private readonly strings = new KeyTable();
  private readonly buckets = new HistogramBuckets();
  private readonly summary = new Float64Array(4);
  private readonly scratch = new Uint8Array(32);
  private readonly maxStringBytes: number;
  private readonly sink: OtlpPointSink = { point: (w) => this.point(w) };

  /** @param maxStringBytes interned bytes kept before the string table starts afresh (between requests) */
  constructor(options?: OtlpOptions, maxStringBytes = 16 * 1024 * 1024) {
    this.options = resolveOtlpOptions(options);
    this.walker = new OtlpWalker(this.options);
    this.batch = new MetricBatch(this.strings);
    this.maxStringBytes = maxStringBytes;
  }

  /** The points of one uncompressed request, or `null` when its wire format is broken. */
  decode(body: Uint8Array): MetricBatch | null {
    const batch = this.batch;
    batch.clear();
    if (this.strings.heldBytes > this.maxStringBytes) {
      this.strings.clear();
      batch.generation++;
    }
    const w = this.walker;
    w.sink = this.sink;
    const ok = w.walk(body, 0, body.length);
    w.sink = undefined;
    return ok ? batch : null;
  }

  private point(w: OtlpWalker): void {
    const batch = this.batch;
    const strings = this.strings;
    const buf = w.r.buf;
    if (w.shape === PointShape.SUMMARY && w.count === 0) return; // an empty histogram says nothing
    const p = batch.beginPoint(w.points, strings.intern(buf, w.nameStart, w.nameEnd), KeySuffix.NONE, w.shape, w.timeMs);
    const v = batch.values;
    const at = p * VALUE_STRIDE;
    if (w.shape === PointShape.SUMMARY) {
      histogramSummary(w, this.buckets, this.summary);
      v[at] = this.summary[0]!;
      v[at + 1] = this.summary[1]!;
      v[at + 2] = this.summary[2]!;
      v[at + 3] = this.summary[3]!;
    } else {
      v[at] = w.value;
      v[at + 1] = v[at + 2] = v[at + 3] = 0;
    }
    w.forEachPointAttribute(this.addAttribute);
  }

  private readonly addAttribute = (w: OtlpWalker): void => {
    if (w.keyEnd === w.keyStart) return;
    const strings = this.strings;
    const buf = w.r.buf;
    let value: number;
    switch (w.valueKind) {
      case ValueKind.STRING:
        if (w.valueEnd === w.valueStart) return;
        value = strings.intern(buf, w.valueStart, w.valueEnd);
        break;
      case ValueKind.BOOL:
        value = w.valueBool ? strings.intern(TRUE, 0, TRUE.length) : strings.intern(FALSE, 0, FALSE.length);
        break;
      case ValueKind.INT:
      case ValueKind.DOUBLE: {
        const text = w.valueKind === ValueKind.INT ? intText(buf, w.valueStart, w.valueEnd) : String(w.valueNumber);
        const n = encoder.encodeInto(text, this.scratch).written;
        value = strings.intern(this.scratch, 0, n);
        break;
      }
      default:
        return;
    }
    this.batch.addDimension(strings.intern(buf, w.keyStart, w.keyEnd), value);
  };
}

/** An int64 varint (two's complement) as decimal text, exact. @internal */
export function intText(buf: Uint8Array, start: number, end: number): string {
  let v = 0n;
  let shift = 0n;
  for (let i = start; i < end; i++) {
    v |= BigInt(buf[i]! & 0x7f) << shift;
    shift += 7n;
  }
  return BigInt.asIntN(64, v).toString();
}
