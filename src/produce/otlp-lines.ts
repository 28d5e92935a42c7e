/**
 * OTLP metrics to the classic metrics line protocol, with the mapping of the removed Collector
 * Dynatrace exporter (`exporter/dynatraceexporter/internal/serialization`, docs/spec/otlp-metrics.md §6):
 *
 * - Gauge → `gauge,<value>`; cumulative non-monotonic Sum (UpDownCounter) → `gauge,<value>`;
 * - delta monotonic Sum → `count,delta=<value>`; delta non-monotonic Sum → dropped (as the exporter);
 * - cumulative monotonic Sum → `count,delta=<value - previous>` through a bounded {@link SeriesState}
 *   keyed by name and sorted attributes: the first point of a series only sets the baseline; a point
 *   older than the previous one is skipped; a change between int and double, or a value below the
 *   previous one (a counter reset, *decided*), sets a new baseline;
 * - delta Histogram → `gauge,min=,max=,sum=,count=` (min/max/sum estimated from the buckets where
 *   missing, kept consistent with the average); cumulative Histogram → dropped; count 0 → skipped;
 * - delta ExponentialHistogram → the same summary (Dynatrace's own table; the exporter had none);
 * - Summary, NaN/infinite values, points flagged "no recorded value" → skipped.
 *
 * Names and attribute keys and values go through the line protocol's normalizers, so every line passes
 * `validateMetrics`; what cannot be made valid is skipped and counted.
 *
 * @module
 */
import type { MetricsOptions } from '../protocol/options.js';
import type { OtlpOptions, SeriesStateOptions } from '../protocol/otlp-options.js';
import { resolveOtlpOptions } from '../protocol/otlp-options.js';
import { HistogramBuckets, histogramSummary, intText } from '../otlp/typed.js';
import { MetricKind, type OtlpPointSink, OtlpWalker, Temporality, ValueKind } from '../otlp/walk.js';
import type { MetricDimension, MetricPoint } from '../types.js';
import { normalizeDimensionKey, normalizeDimensionValue, normalizeMetricKey } from './normalize.js';
import { serializeMetric } from './serialize.js';
import { SeriesState } from './series-state.js';

/** Why a point gave no line. */
export type OtlpSkipReason =
  | 'baseline'
  | 'out-of-order'
  | 'reset'
  | 'unsupported'
  | 'empty'
  | 'invalid-value'
  | 'no-recorded-value'
  | 'invalid-name'
  | 'not-serializable';

/** Options of {@link OtlpLineConverter}. */
export interface OtlpConvertOptions {
  /** Bounds of the cumulative series state. */
  series?: SeriesStateOptions;
  /** Line protocol options the output must satisfy (normalizers and serializer read them). */
  metrics?: MetricsOptions;
  /** Wire reader options (nesting depth). */
  otlp?: OtlpOptions;
  /** Clock of the series state's TTL (ms). Default `Date.now`. */
  clock?: () => number;
}

/** What one conversion gave. */
export interface OtlpConvertResult {
  /** The lines, in request order. */
  lines: string[];
  /** Points without a line, by reason. */
  skipped: Partial<Record<OtlpSkipReason, number>>;
  /** `null`, or the wire problem that stopped the conversion (no lines are then given). */
  error: string | null;
}

/** The last point of a cumulative series: its value, whether it came as an int, its time (ms). */
export interface SeriesPoint {
  value: number;
  isInt: boolean;
  timeMs: number;
}

const decoder = /* @__PURE__ */ new TextDecoder();

/**
 * A stateful converter: keep one per stream of requests (the series state carries cumulative sums
 * from one request to the next).
 * @example
 * const converter = new OtlpLineConverter({ series: { maxSeries: 50_000 } });
 * for (const body of requests) send(converter.convert(body).lines.join('\n'));
 */
export class OtlpLineConverter {
  /** The series state (shared design with later converters). */
  readonly state: SeriesState<SeriesPoint>;
  private readonly walker: OtlpWalker;
  private readonly metricsOptions: MetricsOptions | undefined;
  private readonly buckets = new HistogramBuckets();
  private readonly summary = new Float64Array(4);
  private lines: string[] = [];
  private readonly sink: OtlpPointSink = { point: (w) => this.point(w) };
  private skipped: Partial<Record<OtlpSkipReason, number>> = {};
  private dims: MetricDimension[] = [];
  private rawPairs: string[] = [];

  constructor(options: OtlpConvertOptions = {}) {
    this.state = new SeriesState<SeriesPoint>(options.series, options.clock);
    this.walker = new OtlpWalker(resolveOtlpOptions(options.otlp));
    this.metricsOptions = options.metrics;
  }

  /** Converts one uncompressed `ExportMetricsServiceRequest`. Never throws for any input bytes. */
  convert(body: Uint8Array): OtlpConvertResult {
    this.lines = [];
    this.skipped = {};
    const w = this.walker;
    w.rawSink = this.sink;
    const ok = w.walk(body, 0, body.length);
    w.rawSink = undefined;
    if (!ok) return { lines: [], skipped: {}, error: `malformed protobuf at byte ${w.r.problemAt}` };
    return { lines: this.lines, skipped: this.skipped, error: null };
  }

  /** Counts a point without a line; returns null for the payload readers. */
  private skip(reason: OtlpSkipReason): null {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
    return null;
  }

  /** Every well-formed point. */
  private point(w: OtlpWalker): void {
    if ((w.flags & 1) !== 0) {
      this.skip('no-recorded-value');
      return;
    }
    const payload = this.payloadOf(w);
    if (payload === null) return;
    const key = normalizeMetricKey(decoder.decode(w.r.buf.subarray(w.nameStart, w.nameEnd)), this.metricsOptions);
    if (key === null) {
      this.skip('invalid-name');
      return;
    }
    const point: MetricPoint = { key, dimensions: this.dims, payload, timestamp: w.timeMs > 0 ? w.timeMs : null };
    try {
      this.lines.push(serializeMetric(point, this.metricsOptions));
    } catch {
      this.skip('not-serializable'); // an inconsistent summary the point itself gave (min > max)
    }
  }

  /** The payload of the point, or null (counted as skipped). Reads the attributes into `dims`. */
  private payloadOf(w: OtlpWalker): MetricPoint['payload'] | null {
    const cumulative = w.temporality === Temporality.CUMULATIVE;
    switch (w.kind) {
      case MetricKind.GAUGE:
        if (!this.finite(w)) return null;
        this.readDims(w);
        return { type: 'gauge', value: w.value };
      case MetricKind.SUM:
        if (!this.finite(w)) return null;
        if (!w.monotonic) {
          if (!cumulative) return this.skip('unsupported');
          this.readDims(w);
          return { type: 'gauge', value: w.value };
        }
        this.readDims(w);
        if (!cumulative) return { type: 'count', delta: w.value };
        return this.deltaOf(w);
      case MetricKind.HISTOGRAM:
      case MetricKind.EXPONENTIAL_HISTOGRAM: {
        if (cumulative) return this.skip('unsupported');
        if (w.count === 0) return this.skip('empty');
        histogramSummary(w, this.buckets, this.summary);
        const s = this.summary;
        if (!Number.isFinite(s[0]!) || !Number.isFinite(s[1]!) || !Number.isFinite(s[2]!)) return this.skip('invalid-value');
        this.readDims(w);
        return { type: 'summary', min: s[0]!, max: s[1]!, sum: s[2]!, count: s[3]! };
      }
      default:
        this.skip('unsupported');
        return null;
    }
  }

  private finite(w: OtlpWalker): boolean {
    if (w.hasValue && Number.isFinite(w.value)) return true;
    this.skip('invalid-value');
    return false;
  }

  /** Cumulative → delta through the series state. */
  private deltaOf(w: OtlpWalker): MetricPoint['payload'] | null {
    const id = this.seriesKey(w);
    const previous = this.state.get(id);
    const current: SeriesPoint = { value: w.value, isInt: w.valueIsInt, timeMs: w.timeMs };
    if (previous === undefined) {
      this.state.set(id, current);
      return this.skip('baseline');
    }
    if (previous.timeMs > w.timeMs) return this.skip('out-of-order');
    if (previous.isInt !== w.valueIsInt || w.value < previous.value) {
      this.state.set(id, current);
      return this.skip('reset');
    }
    this.state.set(id, current);
    return { type: 'count', delta: w.value - previous.value };
  }

  /** Name plus the sorted `key=value` attribute pairs (as sent). */
  private seriesKey(w: OtlpWalker): string {
    const pairs = [...this.rawPairs].sort();
    return `${decoder.decode(w.r.buf.subarray(w.nameStart, w.nameEnd))}\u0000${pairs.join('\u0000')}`;
  }

  /** Reads the point's attributes: normalized dimensions into `dims`, raw pairs for the series key. */
  private readDims(w: OtlpWalker): void {
    const dims: MetricDimension[] = [];
    const raw: string[] = [];
    const o = this.metricsOptions;
    w.forEachPointAttribute((a) => {
      const text = valueText(a);
      if (text === null || a.keyEnd === a.keyStart) return;
      const rawKey = decoder.decode(a.r.buf.subarray(a.keyStart, a.keyEnd));
      raw.push(`${rawKey}=${text}`);
      const key = normalizeDimensionKey(rawKey, o);
      const value = normalizeDimensionValue(text, o);
      if (key === null || value === null || value === '' || dims.some((d) => d.key === key)) return;
      dims.push({ key, value });
    });
    this.dims = dims;
    this.rawPairs = raw;
  }
}

/** The text of a primitive attribute value, or null (arrays, maps, bytes, absent). */
function valueText(w: OtlpWalker): string | null {
  switch (w.valueKind) {
    case ValueKind.STRING:
      return decoder.decode(w.r.buf.subarray(w.valueStart, w.valueEnd));
    case ValueKind.BOOL:
      return w.valueBool ? 'true' : 'false';
    case ValueKind.INT:
      return intText(w.r.buf, w.valueStart, w.valueEnd);
    case ValueKind.DOUBLE:
      return String(w.valueNumber);
    default:
      return null;
  }
}

/**
 * Converts one request with a fresh series state (so cumulative sums give no lines: use an
 * {@link OtlpLineConverter} across requests for those).
 * @example otlpToLines(bytes).lines // ['http.requests,method=GET count,delta=3 1700000000000']
 */
export function otlpToLines(body: Uint8Array, options?: OtlpConvertOptions): OtlpConvertResult {
  return new OtlpLineConverter(options).convert(body);
}
