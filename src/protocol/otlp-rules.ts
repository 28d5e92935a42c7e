/**
 * The single table of OTLP metrics rules: every problem the OTLP validator reports, with its numeric
 * code (what the walker writes), stable id, the Dynatrace reason (`- Reason: ...` in the endpoint's
 * `partial_success.error_message`), the endpoint's line template, our report's template, and the
 * evidence tag of `docs/spec/otlp-metrics.md` (*server*: seen in a real answer; *docs*: Dynatrace's
 * pages; *decided*: no evidence, our choice, listed as such in the spec).
 *
 * Placeholders: `{name}` metric name, `{details}` a detail text, `{reason}` the reason, `{n}`/`{max}`
 * measured value and limit, `{attr}` attribute key, `{hint}` free text.
 *
 * @module
 */
import type { Severity } from './rules.js';

/** What a rule does to the data (the proxy's accounting reads it). */
export type OtlpEffect = 'request' | 'reject-point' | 'change' | 'note';

interface OtlpRuleShape {
  readonly code: number;
  readonly id: string;
  readonly severity: Severity;
  readonly effect: OtlpEffect;
  readonly reason: string;
  readonly endpoint: string;
  readonly report: string;
  readonly evidence: 'server' | 'docs' | 'decided';
}

/** Numeric codes of the OTLP rules (0: no problem). 1-19 request, 20-49 rejected points, 50-79 changes, 80-89 notes. */
export const OtlpCode = {
  NONE: 0,
  BODY_TOO_LARGE: 1,
  TOO_MANY_POINTS: 2,
  MEDIA_TYPE: 3,
  ENCODING: 4,
  WIRE: 5,
  GZIP: 6,
  MONOTONIC_CUMULATIVE_SUM: 20,
  SUMMARY: 21,
  CUMULATIVE_HISTOGRAM: 22,
  CUMULATIVE_EXP_HISTOGRAM: 23,
  UNSPECIFIED_TEMPORALITY: 24,
  HISTOGRAM_BOUNDS_UNSORTED: 25,
  HISTOGRAM_BUCKETS_MISMATCH: 26,
  TOO_MANY_DIMENSIONS: 27,
  VALUE_NAN: 28,
  VALUE_INFINITE: 29,
  VALUE_MISSING: 30,
  METRIC_NAME_INVALID: 31,
  DIMENSION_EMPTY: 50,
  UNIT_INVALID: 51,
  UNIT_TOO_LONG: 52,
  DIMENSION_KEY_TOO_LONG: 53,
  DIMENSION_VALUE_TOO_LONG: 54,
  METRIC_NAME_NORMALIZED: 55,
  DIMENSION_KEY_NORMALIZED: 56,
  METRIC_NAME_TOO_LONG: 57,
  DESCRIPTION_TOO_LONG: 58,
  NO_RECORDED_VALUE: 80,
} as const;

/** A value of {@link OtlpCode}. */
export type OtlpCodeValue = (typeof OtlpCode)[keyof typeof OtlpCode];

// The endpoint's own line shapes (docs/spec/otlp-metrics.md §4, *server*), named once.
const UNSUPPORTED = "Unsupported metric: '{name}' - Reason: {reason}";
const VALUE_DROPPED = "Metric value dropped. key: '{name}' details: '{details}' - Reason: {reason}";
const HISTOGRAM_DROPPED = "Histogram metric dropped. key: '{name}' details: '{details}' - Reason: {reason}";
const METRIC_DROPPED = "Metric dropped: '{name}' - Reason: {reason}";
const DIMENSION_DROPPED = "Dimension dropped. key: '{name}' details: '{details}' - Reason: {reason}";
const UNIT_DROPPED = "Unit dropped. key: '{name}' details: '{details}' - Reason: {reason}";

/**
 * Every OTLP rule, in code order.
 * @example OTLP_RULE_LIST.filter((r) => r.effect === 'reject-point').map((r) => r.reason)
 */
// biome-ignore format: a table, one rule per row
export const OTLP_RULE_LIST = /* @__PURE__ */ Object.freeze([
  // --- the whole request ----------------------------------------------------------------------------
  { code: 1, id: 'otlp-body-too-large', severity: 'error', effect: 'request', reason: 'OTLP_MESSAGE_MAX_SIZE_EXCEEDED', endpoint: 'Reason: OTLP_MESSAGE_MAX_SIZE_EXCEEDED', report: 'request too large: more than {max} bytes (uncompressed); the whole request is dropped', evidence: 'server' },
  { code: 2, id: 'otlp-too-many-points', severity: 'error', effect: 'request', reason: 'OTLP_MESSAGE_MAX_DATA_POINTS_EXCEEDED', endpoint: 'Reason: OTLP_MESSAGE_MAX_DATA_POINTS_EXCEEDED', report: 'too many data points in one request: {n} > {max}; the whole request is dropped', evidence: 'decided' },
  { code: 3, id: 'otlp-unsupported-media-type', severity: 'error', effect: 'request', reason: '', endpoint: 'Unsupported Media Type', report: "Content-Type '{hint}' is not accepted: the endpoint takes only application/x-protobuf (OTLP/HTTP JSON and gRPC are answered 415)", evidence: 'server' },
  { code: 4, id: 'otlp-unsupported-encoding', severity: 'error', effect: 'request', reason: '', endpoint: 'Unsupported Media Type', report: "Content-Encoding '{hint}' is not accepted (gzip or none)", evidence: 'decided' },
  { code: 5, id: 'otlp-wire-malformed', severity: 'error', effect: 'request', reason: '', endpoint: 'Bad Request', report: 'malformed protobuf at byte {n}: {hint}', evidence: 'decided' },
  { code: 6, id: 'otlp-gzip-malformed', severity: 'error', effect: 'request', reason: '', endpoint: 'Bad Request', report: 'the gzip body cannot be inflated: {hint}', evidence: 'decided' },
  // --- points the endpoint drops (counted in rejected_data_points) -------------------------------------
  { code: 20, id: 'otlp-monotonic-cumulative-sum', severity: 'error', effect: 'reject-point', reason: 'UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM', endpoint: UNSUPPORTED, report: 'cumulative monotonic sum (a Counter with cumulative temporality) is not supported: send delta temporality', evidence: 'server' },
  { code: 21, id: 'otlp-summary', severity: 'error', effect: 'reject-point', reason: 'UNSUPPORTED_METRIC_TYPE_SUMMARY', endpoint: UNSUPPORTED, report: 'Summary metrics are not supported', evidence: 'server' },
  { code: 22, id: 'otlp-cumulative-histogram', severity: 'error', effect: 'reject-point', reason: 'UNSUPPORTED_METRIC_TYPE_CUMULATIVE_HISTOGRAM', endpoint: UNSUPPORTED, report: 'cumulative explicit-bucket histogram is not supported: send delta temporality', evidence: 'decided' },
  { code: 23, id: 'otlp-cumulative-exponential-histogram', severity: 'error', effect: 'reject-point', reason: 'UNSUPPORTED_METRIC_TYPE_CUMULATIVE_EXPONENTIAL_HISTOGRAM', endpoint: UNSUPPORTED, report: 'cumulative exponential histogram is not supported: send delta temporality', evidence: 'decided' },
  { code: 24, id: 'otlp-unspecified-temporality', severity: 'error', effect: 'reject-point', reason: 'UNSUPPORTED_METRIC_TYPE_UNSPECIFIED_TEMPORALITY', endpoint: UNSUPPORTED, report: 'aggregation temporality is unspecified (option unspecifiedTemporality)', evidence: 'decided' },
  { code: 25, id: 'otlp-histogram-bounds-unsorted', severity: 'error', effect: 'reject-point', reason: 'HISTOGRAM_BUCKET_INVALID', endpoint: HISTOGRAM_DROPPED, report: 'histogram boundaries are not sorted ascending', evidence: 'server' },
  { code: 26, id: 'otlp-histogram-buckets-mismatch', severity: 'error', effect: 'reject-point', reason: 'HISTOGRAM_BUCKET_INVALID', endpoint: HISTOGRAM_DROPPED, report: 'histogram has {n} bucket counts for {max} boundaries (needs boundaries + 1)', evidence: 'decided' },
  { code: 27, id: 'otlp-too-many-dimensions', severity: 'error', effect: 'reject-point', reason: 'DIMENSION_COUNT_EXCEEDED', endpoint: METRIC_DROPPED, report: 'too many attributes on the data point: {n} > {max}; the whole point is dropped', evidence: 'server' },
  { code: 28, id: 'otlp-value-nan', severity: 'error', effect: 'reject-point', reason: 'VALUE_INVALID', endpoint: VALUE_DROPPED, report: 'value is NaN', evidence: 'server' },
  { code: 29, id: 'otlp-value-infinite', severity: 'error', effect: 'reject-point', reason: 'VALUE_INVALID', endpoint: VALUE_DROPPED, report: 'value is infinite', evidence: 'decided' },
  { code: 30, id: 'otlp-value-missing', severity: 'error', effect: 'reject-point', reason: 'VALUE_INVALID', endpoint: VALUE_DROPPED, report: 'number data point without a value (neither as_double nor as_int)', evidence: 'decided' },
  { code: 31, id: 'otlp-metric-name-invalid', severity: 'error', effect: 'reject-point', reason: 'METRIC_KEY_INVALID', endpoint: METRIC_DROPPED, report: 'metric name has no valid character (A-Z a-z 0-9 - _ .); the point is dropped', evidence: 'docs' },
  // --- changes the endpoint makes to points it keeps ------------------------------------------------
  { code: 50, id: 'otlp-dimension-empty', severity: 'warning', effect: 'change', reason: 'DIMENSION_KEY_OR_VALUE_EMPTY', endpoint: DIMENSION_DROPPED, report: "attribute '{attr}' has an empty key or value: dropped", evidence: 'server' },
  { code: 51, id: 'otlp-unit-invalid', severity: 'warning', effect: 'change', reason: 'METRIC_UNIT_INVALID_CHARACTERS', endpoint: UNIT_DROPPED, report: 'unit has characters outside printable ASCII: dropped', evidence: 'server' },
  { code: 52, id: 'otlp-unit-too-long', severity: 'warning', effect: 'change', reason: 'METRIC_UNIT_TOO_LONG', endpoint: UNIT_DROPPED, report: 'unit too long: {n} > {max} characters: dropped', evidence: 'docs' },
  { code: 53, id: 'otlp-dimension-key-too-long', severity: 'warning', effect: 'change', reason: '', endpoint: '', report: "attribute key too long: {n} > {max} characters: truncated to {max} ('{attr}')", evidence: 'docs' },
  { code: 54, id: 'otlp-dimension-value-too-long', severity: 'warning', effect: 'change', reason: '', endpoint: '', report: "value of attribute '{attr}' too long: {n} > {max} characters: truncated to {max}", evidence: 'docs' },
  { code: 55, id: 'otlp-metric-name-normalized', severity: 'warning', effect: 'change', reason: '', endpoint: '', report: "metric name '{name}' has invalid characters: each is replaced by '_'", evidence: 'docs' },
  { code: 56, id: 'otlp-dimension-key-normalized', severity: 'warning', effect: 'change', reason: '', endpoint: '', report: "attribute key '{attr}' has invalid characters (lowercase a-z 0-9 - _ . only): each is replaced by '_'", evidence: 'docs' },
  { code: 57, id: 'otlp-metric-name-too-long', severity: 'warning', effect: 'change', reason: '', endpoint: '', report: 'metric name too long: {n} > {max} characters: truncated', evidence: 'docs' },
  { code: 58, id: 'otlp-description-too-long', severity: 'info', effect: 'change', reason: '', endpoint: '', report: 'description too long: {n} > {max} characters: truncated', evidence: 'docs' },
  // --- notes ------------------------------------------------------------------------------------------
  { code: 80, id: 'otlp-no-recorded-value', severity: 'info', effect: 'note', reason: '', endpoint: '', report: 'data point flagged "no recorded value": nothing is ingested for it', evidence: 'decided' },
] as const satisfies readonly OtlpRuleShape[]);

/** Id of an OTLP rule. */
export type OtlpRuleId = (typeof OTLP_RULE_LIST)[number]['id'];

/** One row of the OTLP rule table. */
export interface OtlpRuleInfo {
  /** Numeric code ({@link OtlpCode}). */
  readonly code: number;
  /** Stable kebab-case id. */
  readonly id: OtlpRuleId;
  /** `error`: the point (or the request) is dropped; `warning`/`info`: the point is kept, perhaps changed. */
  readonly severity: Severity;
  /** What happens to the data. */
  readonly effect: OtlpEffect;
  /** The Dynatrace reason (`- Reason: ...`), empty when the endpoint names none. */
  readonly reason: string;
  /** The endpoint's line template in `error_message` (empty: the endpoint does not list it). */
  readonly endpoint: string;
  /** Our report's template. */
  readonly report: string;
  /** Evidence tag (docs/spec/otlp-metrics.md). */
  readonly evidence: 'server' | 'docs' | 'decided';
}

/** Rows by code (holes are `undefined`). */
export const OTLP_RULES: readonly (OtlpRuleInfo | undefined)[] = /* @__PURE__ */ (() => {
  const table: (OtlpRuleInfo | undefined)[] = [];
  for (const row of OTLP_RULE_LIST) table[row.code] = Object.freeze<OtlpRuleInfo>(row);
  return Object.freeze(table);
})();

/**
 * Looks up an OTLP rule by code.
 * @example otlpRule(OtlpCode.SUMMARY).reason // 'UNSUPPORTED_METRIC_TYPE_SUMMARY'
 */
export function otlpRule(code: number): OtlpRuleInfo {
  const row = OTLP_RULES[code];
  if (row === undefined) throw new RangeError(`unknown OTLP rule code ${code}`);
  return row;
}

/**
 * Details texts the endpoint puts into `details: '...'` (*server* where seen, else *decided*).
 * @example OTLP_DETAILS.NAN // 'Value was NaN'
 */
export const OTLP_DETAILS = /* @__PURE__ */ Object.freeze({
  NAN: 'Value was NaN',
  INFINITE: 'Value was Infinity',
  MISSING: 'Value was missing',
  UNSORTED: 'Histogram boundaries are not sorted',
  MISMATCH: 'Histogram bucket counts do not match the boundaries',
});

/** Head of `partial_success.error_message` (*server*: contrib issues 33650, 33673). */
export const OTLP_MESSAGE_HEAD = 'The following issues were encountered while ingesting OTLP metrics:\n';
/** Section heading of the dropped points (*server*). */
export const OTLP_ERRORS_HEADING = 'Errors:\n';
/** Section heading of the changes (*decided*: no real answer with warnings was found). */
export const OTLP_WARNINGS_HEADING = 'Warnings:\n';

/** Reasons of the wire reader's 400, as `{hint}` of `otlp-wire-malformed` (*decided*). */
export const WIRE_PROBLEMS: readonly string[] = /* @__PURE__ */ Object.freeze([
  '',
  'the message ends inside a field (truncated)',
  'varint longer than 10 bytes',
  'length runs past the end of the enclosing message',
  'wrong wire type for this field',
  'deprecated group wire type',
  'messages nested deeper than maxNestingDepth',
  'field number 0',
  'invalid UTF-8 in a string field',
  'packed field length is not a multiple of the element size',
]);

/** Indexes into {@link WIRE_PROBLEMS}. */
export const WireProblem = {
  NONE: 0,
  TRUNCATED: 1,
  VARINT_OVERLONG: 2,
  LENGTH_PAST_END: 3,
  WIRE_TYPE: 4,
  GROUP: 5,
  TOO_DEEP: 6,
  FIELD_ZERO: 7,
  UTF8: 8,
  PACKED_LENGTH: 9,
} as const;
