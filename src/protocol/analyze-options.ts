/**
 * The cardinality budget of a Dynatrace environment and the bounds of `dt-ingest analyze`, in one
 * table: the limits Dynatrace documents (metric keys per environment, dimension tuples per metric and
 * in total over 30 days, dimensions per point) with their evidence (docs/spec/analyze.md), and the
 * *decided* sizes that keep the analyzer's memory bounded whatever the input. Code never repeats
 * these numbers as literals.
 *
 * @module
 */

/** Options of the cardinality analyzer (`src/analyze/`, `dt-ingest analyze`). Every field is optional. */
export interface AnalyzeOptions {
  /**
   * Metric keys an environment may hold. Default 20,000 (*docs*: "Total number of possible metric keys
   * per environment: 20,000", OpenTelemetry metrics limitations; docs/spec/analyze.md §1).
   */
  maxMetricKeys?: number;
  /**
   * Distinct dimension tuples one metric key may have over the window. Default 1,000,000 (*docs*:
   * "Number of tuples per month per metric: 1,000,000 ... for the last 30 days").
   */
  maxTuplesPerMetric?: number;
  /**
   * Distinct dimension tuples of all custom metrics over the window. Default 50,000,000 (*docs*:
   * "Number of tuples per month for all custom metrics: 50,000,000 ... for the last 30 days").
   */
  maxTuples?: number;
  /**
   * Dimensions one data point may carry. Default 50 (*docs*: "You can specify up to 50 dimensions",
   * metric ingestion protocol; "Number of dimensions per metric data point: 50").
   */
  maxDimensions?: number;
  /** The window the tuple limits count over, ms. Default 2,592,000,000: 30 days (*docs*: "for the last 30 days"). */
  windowMs?: number;
  /**
   * Share of a limit at which the budget warns (before it errs past the limit). Default 0.8
   * (*decided*: room for one more exporter's growth).
   */
  warnShare?: number;
  /**
   * How long a sample without timestamps (and without arrival times) lasted, ms, to turn its growth per
   * line into growth per day. Default 0: unknown, no projection from line order (*decided*: a file of
   * one export cannot tell a stable series from a volatile one).
   */
  sampleDurationMs?: number;
  /**
   * Distinct values (keys, tuples) the run-wide counters hold exactly before they become a
   * HyperLogLog sketch. Default 16,384 (*decided*: at most 256 KiB of hashes, which stay in a core's cache).
   */
  exactDistinct?: number;
  /** Precision (log2 of the registers) of the run-wide sketches. Default 14: 16 KiB, standard error 0.81 % (*decided*). */
  sketchPrecision?: number;
  /** Distinct tuples a metric key's counter holds exactly before its sketch. Default 256 (*decided*). */
  metricExactDistinct?: number;
  /** Precision of a metric key's tuple sketch. Default 12: 4 KiB, standard error 1.63 % (*decided*). */
  metricSketchPrecision?: number;
  /** Distinct values a dimension's counter (per metric key) holds exactly before its sketch. Default 32 (*decided*). */
  dimensionExactDistinct?: number;
  /** Precision of a dimension's value sketch. Default 8: 256 bytes, standard error 6.5 % (*decided*). */
  dimensionSketchPrecision?: number;
  /**
   * Metric keys followed one by one (tuples, dimensions, examples). Default 2,000 (*decided*: about
   * 12 MiB at worst: a 4 KiB tuple counter, its growth checkpoints and examples each). Later keys still count toward the run-wide keys and tuples.
   */
  maxTrackedMetrics?: number;
  /** Dimension keys followed per metric key, over all tracked keys. Default 20,000 (*decided*: about 30 MiB at worst, with keys and values of 300 bytes). */
  maxTrackedDimensions?: number;
  /**
   * Series (a metric key with its dimensions, as bytes) remembered to skip the per-dimension work of a
   * line seen before; a two-way set-associative cache that grows to this size (rounded up to a power of two) as series arrive. Default 8,192 (*decided*:
   * 128 KiB, which stays in a core's cache; exporters repeat their series every interval, bench/analyze.mjs measures the effect).
   */
  seriesCache?: number;
  /** Metric keys listed as top offenders. Default 10 (*decided*). */
  topOffenders?: number;
  /** Example tuples kept per metric key. Default 3 (*decided*). */
  examplesPerMetric?: number;
  /**
   * Distinct values a dimension needs before its values are called volatile. Default 10 (*decided*:
   * a handful of UUID-like values is a fixed set of ids, not a growing one).
   */
  volatileMinDistinct?: number;
  /** Share of a dimension's values in one volatile class (UUID, id, timestamp, IP, URL with id) that flags it. Default 0.5 (*decided*). */
  volatileShare?: number;
  /**
   * Points a metric key needs before "tuples grow with lines" is judged. Default 100 (*decided*).
   */
  growthMinPoints?: number;
  /** Distinct tuples per point past which a metric key's tuples are said to grow with its lines. Default 0.5 (*decided*). */
  growthShare?: number;
}

/** {@link AnalyzeOptions} with every field set. */
export type ResolvedAnalyzeOptions = Readonly<Required<AnalyzeOptions>>;

/** The defaults, with their evidence in {@link AnalyzeOptions}. */
export const ANALYZE_DEFAULTS: ResolvedAnalyzeOptions = /* @__PURE__ */ Object.freeze({
  maxMetricKeys: 20_000,
  maxTuplesPerMetric: 1_000_000,
  maxTuples: 50_000_000,
  maxDimensions: 50,
  windowMs: 2_592_000_000,
  warnShare: 0.8,
  sampleDurationMs: 0,
  exactDistinct: 16_384,
  sketchPrecision: 14,
  metricExactDistinct: 256,
  metricSketchPrecision: 12,
  dimensionExactDistinct: 32,
  dimensionSketchPrecision: 8,
  maxTrackedMetrics: 2_000,
  maxTrackedDimensions: 20_000,
  seriesCache: 8_192,
  topOffenders: 10,
  examplesPerMetric: 3,
  volatileMinDistinct: 10,
  volatileShare: 0.5,
  growthMinPoints: 100,
  growthShare: 0.5,
} as const);

/** Options that are shares in [0, 1]; every other option is a whole number. */
const SHARE_OPTIONS: ReadonlySet<string> = /* @__PURE__ */ new Set(['warnShare', 'volatileShare', 'growthShare']);

/** Lowest and highest sketch precision accepted (4 to 18: 16 bytes to 256 KiB of registers). */
export const SKETCH_PRECISION_RANGE = { min: 4, max: 18 } as const;

/**
 * Fills in defaults and checks each option (a caller mistake throws a `TypeError`, once per call).
 * @example resolveAnalyzeOptions({ maxTuplesPerMetric: 5000 }).maxTuplesPerMetric // 5000
 */
export function resolveAnalyzeOptions(options?: AnalyzeOptions): ResolvedAnalyzeOptions {
  if (options === undefined || options === null) return ANALYZE_DEFAULTS;
  const out: Record<string, number> = { ...ANALYZE_DEFAULTS };
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (!Object.hasOwn(ANALYZE_DEFAULTS, key)) throw new TypeError(`dt-ingest: unknown analyze option '${key}'`);
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) throw new TypeError(`dt-ingest: analyze option ${key} must be a number of at least 0`);
    if (SHARE_OPTIONS.has(key)) {
      if (value > 1) throw new TypeError(`dt-ingest: analyze option ${key} is a share between 0 and 1`);
    } else if (!Number.isInteger(value) && value !== Number.POSITIVE_INFINITY) throw new TypeError(`dt-ingest: analyze option ${key} must be a whole number`);
    out[key] = value;
  }
  for (const key of ['sketchPrecision', 'metricSketchPrecision', 'dimensionSketchPrecision'] as const) {
    const p = out[key]!;
    if (p < SKETCH_PRECISION_RANGE.min || p > SKETCH_PRECISION_RANGE.max)
      throw new TypeError(`dt-ingest: analyze option ${key} must be between ${SKETCH_PRECISION_RANGE.min} and ${SKETCH_PRECISION_RANGE.max}`);
  }
  return Object.freeze(out) as unknown as ResolvedAnalyzeOptions;
}
