/**
 * Every limit and every *decided* rule of Dynatrace's OTLP metrics ingest, in one table (the OTLP
 * family's counterpart of `options.ts`). Each option names its default and its evidence (tags as in
 * `docs/spec/otlp-metrics.md`). Code never repeats these numbers as literals.
 *
 * @module
 */

/** Options of the OTLP metrics validator, wire reader and converter. Every field is optional. */
export interface OtlpOptions {
  /**
   * Largest uncompressed request in bytes. Default 4,194,304 (*docs*: "Request size 4 MB ... the
   * maximum uncompressed size"; *decided*: 4 MiB, as `maxBodyBytes` of the line protocol reads "1 MB"
   * as 2^20; set 4,000,000 for the stricter reading). Also bounds gzip inflation.
   */
  maxBodyBytes?: number;
  /** Most data points in one request; more drops the whole request. Default 15,000 (*docs*). */
  maxDataPoints?: number;
  /** Most attributes (dimensions) on one data point; more drops the point. Default 50 (*docs*, *server* `DIMENSION_COUNT_EXCEEDED`). */
  maxDimensions?: number;
  /** Longest dimension key, characters; longer keys are truncated. Default 100 (*docs*). */
  dimensionKeyMaxLength?: number;
  /** Longest dimension value, characters; longer values are truncated. Default 255 (*docs*). */
  dimensionValueMaxLength?: number;
  /** Longest metric key, characters. Default 255 (*docs*; truncation *decided* from the older page). */
  metricKeyMaxLength?: number;
  /** Longest unit, characters; a longer unit is dropped. Default 63 (*docs*). */
  unitMaxLength?: number;
  /** Longest description, characters; longer is truncated. Default 1,023 (*docs*). */
  descriptionMaxLength?: number;
  /**
   * Which attributes count toward `maxDimensions`: `'point'` (default) the data point's own, `'all'`
   * the point's, scope's and resource's together. *decided*: resource and scope attributes become
   * dimensions only through an allow list in the Dynatrace settings (*docs*, "Configure OTLP metrics
   * ingestion"), so by default only point attributes are certain dimensions.
   */
  countedAttributeLevels?: 'point' | 'all';
  /**
   * What the endpoint does with `AGGREGATION_TEMPORALITY_UNSPECIFIED`: `'reject'` (default, *decided*:
   * the OTLP spec says it must not be used, and the instrument table lists only delta and cumulative)
   * or `'delta'` (the removed Collector exporter's reading).
   */
  unspecifiedTemporality?: 'reject' | 'delta';
  /**
   * Status of a request past `maxBodyBytes` or `maxDataPoints`. Default 413 (*decided*: the OTLP/HTTP
   * spec's answer for a too large payload; Dynatrace's answer was seen only as the reason
   * `OTLP_MESSAGE_MAX_SIZE_EXCEEDED`). Set 400 to match a deployment that answers so.
   */
  requestLimitStatus?: number;
  /**
   * Lines listed in `error_message`. Default 100 (*decided*: no cap was seen; answers keep memory
   * bounded). `rejected_data_points` always counts every dropped point.
   */
  maxListedProblems?: number;
  /** Deepest nesting of messages (and of `AnyValue` arrays and maps) the wire reader follows. Default 32 (*decided*). */
  maxNestingDepth?: number;
}

/** {@link OtlpOptions} with every field set. */
export type ResolvedOtlpOptions = Readonly<Required<OtlpOptions>>;

/** The defaults, with their evidence in {@link OtlpOptions}. */
export const OTLP_DEFAULTS: ResolvedOtlpOptions = /* @__PURE__ */ Object.freeze({
  maxBodyBytes: 4_194_304,
  maxDataPoints: 15_000,
  maxDimensions: 50,
  dimensionKeyMaxLength: 100,
  dimensionValueMaxLength: 255,
  metricKeyMaxLength: 255,
  unitMaxLength: 63,
  descriptionMaxLength: 1023,
  countedAttributeLevels: 'point',
  unspecifiedTemporality: 'reject',
  requestLimitStatus: 413,
  maxListedProblems: 100,
  maxNestingDepth: 32,
} as const);

/** Options of the OTLP → line protocol converter's series state (not protocol rules). */
export interface SeriesStateOptions {
  /** Series kept at most; the least recently seen is forgotten first. Default 100,000 (*decided*). */
  maxSeries?: number;
  /** A series unseen this long (ms) is forgotten, so its next point starts afresh. Default 600,000 (*decided*: ten minutes, twice the Collector exporter's default). */
  ttlMs?: number;
}

/** Defaults of {@link SeriesStateOptions}. */
export const SERIES_STATE_DEFAULTS: Readonly<Required<SeriesStateOptions>> = /* @__PURE__ */ Object.freeze({
  maxSeries: 100_000,
  ttlMs: 600_000,
});

/**
 * Fills in defaults and checks types (a `TypeError` for a caller mistake).
 * @example resolveOtlpOptions({ maxDimensions: 20 }).maxDimensions // 20
 */
export function resolveOtlpOptions(options?: OtlpOptions): ResolvedOtlpOptions {
  if (options === undefined || options === null) return OTLP_DEFAULTS;
  if (typeof options !== 'object') throw new TypeError('dt-ingest: OTLP options must be an object');
  const out: Record<string, unknown> = { ...OTLP_DEFAULTS };
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (!(key in OTLP_DEFAULTS)) throw new TypeError(`dt-ingest: unknown OTLP option '${key}'`);
    const def = (OTLP_DEFAULTS as Record<string, unknown>)[key];
    if (typeof def === 'number' && (typeof value !== 'number' || Number.isNaN(value) || value < 0))
      throw new TypeError(`dt-ingest: option ${key} must be a non-negative number`);
    if (key === 'countedAttributeLevels' && value !== 'point' && value !== 'all')
      throw new TypeError("dt-ingest: option countedAttributeLevels must be 'point' or 'all'");
    if (key === 'unspecifiedTemporality' && value !== 'reject' && value !== 'delta')
      throw new TypeError("dt-ingest: option unspecifiedTemporality must be 'reject' or 'delta'");
    out[key] = value;
  }
  return Object.freeze(out) as ResolvedOtlpOptions;
}
