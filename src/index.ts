/**
 * dt-ingest: parse and validate Dynatrace ingest payloads exactly as the endpoints judge them.
 *
 * The runtime-neutral root (browsers, edge functions, workers, Deno, Bun; Node.js gets `./node.ts`,
 * the same plus the native backend and the Node `Transform`s). This list is the public API, by layer;
 * everything else in `src/` is internal. `etc/*.api.md` records it, and a test compares: a change to
 * the surface is a decision (`npm run api:update` rewrites the report).
 *
 * @example
 * import { validateMetrics } from 'dt-ingest';
 * const r = validateMetrics('cpu.temp,host=a 42\n');
 * if (!r.ok) console.log(r.status, r.issues);
 *
 * @module
 */

// --- metrics: one call, streaming, typed points ------------------------------------------------------
export { validateMetrics, MetricsValidator, type MetricsValidatorSettings } from './report/validate.js';
export { parseMetrics, pointOf, metadataOf } from './report/typed.js';
export { parseMetricsBatch, MetricBatchDecoder, VALUE_STRIDE, type MetricBatch } from './metrics/batch.js';
export type { KeyTable } from './metrics/keys.js';

// --- metrics: the streaming parser and its reused view (the zero-allocation stage) -------------------
export type { MetricLineHandler, MetricsParserSettings } from './metrics/parser.js';
export { MetricsParser } from './report/parser.js';
export { LineKind, PayloadType, KeySuffix, MetaProp, type MetricLine } from './metrics/view.js';
// the one line map: the validator's by-product that the splitter and the sender read (scan/line-map.ts)
export { LineMap, LineVerdict, mapLines, isBlankLine } from './scan/line-map.js';

// --- metrics: options and rules (the single tables) --------------------------------------------------
export {
  METRICS_DEFAULTS,
  FIX_DEFAULTS,
  resolveMetricsOptions,
  type MetricsOptions,
  type ResolvedMetricsOptions,
  type FixOptions,
  type WarningsField,
} from './protocol/options.js';
export {
  RuleCode,
  RULE_LIST,
  ruleInfo,
  type RuleInfo,
  type RuleCodeValue,
  type Severity,
  type MetricsRuleId,
  type MetricsLineRuleId,
  type MetricsRequestRuleId,
} from './protocol/rules.js';
export type {
  Issue,
  MetricsIssue,
  MetricsLineIssue,
  MetricsRequestIssue,
  MetricsAnswer,
  MetricsValidationResult,
  ValidationResponse,
  MetricIngestError,
  MetricIngestWarnings,
  InvalidLine,
  WarningLine,
  ErrorEnvelope,
  ParsedLine,
  MetricPoint,
  MetricPayload,
  MetricDimension,
  MetricMetadata,
  MetricMetadataProperties,
} from './types.js';

// --- producers: serializer, normalizers, fix mode, splitter, response reader, sender ------------------
export { serializeMetric, serializeMetadata } from './produce/serialize.js';
export { normalizeMetricKey, normalizeDimensionKey, normalizeDimensionValue, normalizeMetadataValue, type NormalizeOptions } from './produce/normalize.js';
export { escapeDimensionValue, quoteMetadataValue } from './produce/escape.js';
export { checkMetricKey, checkDimensionKey, checkDimensionValue, checkMetadataValue, type MetadataProperty } from './produce/check.js';
export { fixMetrics, MetricsFixer, type FixResult, type MetricsFixerSettings } from './produce/fix.js';
export {
  splitMetrics,
  createMetricsSplitter,
  type MetricsSplitter,
  type SplitOptions,
  type SplitPiece,
  type SplitResult,
  type OversizedLine,
  type MetricsSplitterOptions,
  type SplitterSummary,
} from './produce/split.js';
export {
  readIngestResponse,
  RETRY_DEFAULTS,
  type RetryPolicy,
  type IngestOutcome,
  type IngestOutcomeKind,
  type IngestStored,
  type IngestResponseHeaders,
} from './produce/response.js';
export {
  sendMetrics,
  postIngest,
  fetchTransport,
  parseLineRanges,
  type SendMetricsOptions,
  type SendMetricsResult,
  type MetricsAccountingBody,
  type MetricsAccountingError,
  type VerbatimAnswer,
  type PostIngestOptions,
  type PostIngestResult,
  type IngestTransport,
  type IngestRequest,
  type IngestAnswer,
} from './produce/send.js';

// --- OTLP metrics: validator, typed columns, converter to lines ----------------------------------------
export { validateOtlpMetrics, OtlpValidator, isProtobufContentType, type OtlpIssue, type OtlpValidationResult, type OtlpRequestInfo } from './otlp/validate.js';
export { OtlpBatchDecoder } from './otlp/typed.js';
export { otlpJsonToProtobuf, OtlpJsonError } from './otlp/json.js';
export { encodeExportResponse, encodeStatus } from './otlp/response.js';
export {
  OtlpLineConverter,
  otlpToLines,
  type SeriesPoint,
  type OtlpConvertOptions,
  type OtlpConvertResult,
  type OtlpSkipReason,
} from './produce/otlp-lines.js';
export { SeriesState } from './produce/series-state.js';
export {
  OTLP_DEFAULTS,
  SERIES_STATE_DEFAULTS,
  resolveOtlpOptions,
  type OtlpOptions,
  type ResolvedOtlpOptions,
  type SeriesStateOptions,
} from './protocol/otlp-options.js';
export { OTLP_RULE_LIST, OtlpCode, otlpRule, type OtlpRuleId, type OtlpRuleInfo, type OtlpEffect } from './protocol/otlp-rules.js';

// --- source formats to lines: Prometheus / OpenMetrics (StatsD, Influx join here) ---------------------
export type { ConvertCounts, ConvertProblem, ConvertSink, SourceConverter } from './convert/source.js';
export { SOURCE_FORMATS, sourceFormat, type SourceFormat, type SourceFormatId } from './convert/formats.js';
export { LineWriter, writeBatchLines } from './convert/write-lines.js';
export {
  PrometheusConverter,
  prometheusConverter,
  openMetricsConverter,
  prometheusToLines,
  type PrometheusLinesResult,
  type CounterPoint,
} from './convert/prometheus.js';
export { LineConverter, type ProblemValues } from './convert/line-converter.js';
export { NameMapper, NameFate } from './convert/names.js';
export { StatsdConverter, statsdConverter } from './convert/statsd.js';
export { InfluxConverter, influxConverter } from './convert/influx.js';
export {
  CONVERT_DEFAULTS,
  PROMETHEUS_DEFAULTS,
  resolveConvertOptions,
  type ConvertOptions,
  type PrometheusOptions,
  type ResolvedConvertOptions,
  type ResolvedPrometheusOptions,
  STATSD_DEFAULTS,
  INFLUX_DEFAULTS,
  type StatsdOptions,
  type InfluxOptions,
  type ResolvedStatsdOptions,
  type ResolvedInfluxOptions,
} from './protocol/convert-options.js';
export {
  CONVERT_RULE_LIST,
  CONVERT_RULES,
  convertRule,
  type ConvertRuleId,
  type ConvertRuleInfo,
  type ConvertRuleKind,
  type ConvertEvidence,
} from './protocol/convert-rules.js';

// --- streams: Web streams and async iterables (Node Transforms: the node entry) -----------------------
export {
  isMetricsSummary,
  type MetricsStreamResult,
  type MetricsLineResult,
  type MetricsPointResult,
  type MetricsMetadataResult,
  type MetricsInvalidResult,
  type MetricsSummary,
  type MetricsStreamSettings,
  type MetricsResultSettings,
} from './stream/core.js';
export {
  validateMetricsStream,
  createMetricsValidatorStream,
  createMetricsLineFilterStream,
  type MetricsValidatorStream,
  type MetricsLineFilterStream,
  type WebStreamSettings,
  type MetricsValidatorStreamOptions,
  type MetricsLineFilterStreamOptions,
  type ValidateMetricsStreamOptions,
  type MetricsByteSource,
} from './stream/web.js';

// --- JSON bodies: generic events, Smartscape events, synthetic tests, custom devices, logs, biz events -
export { validateEvents } from './events/generic.js';
export { validateSmartscapeEvents } from './events/smartscape.js';
export { validateSyntheticTests } from './events/synthetic.js';
export { validateCustomDevice } from './events/custom-device.js';
export { validateLogs, logsBodyKind, type LogsBodyKind } from './events/logs.js';
export { validateBizEvents, bizEventsBodyKind, type BizEventsBodyKind } from './events/bizevents.js';
export { computeSmartscapeId, computeCustomDeviceIds } from './events/ids.js';
export { EVENTS_DEFAULTS, resolveEventsOptions, type EventsOptions, type ResolvedEventsOptions } from './events/options.js';
export { EVENT_RULES, EVENT_RULE_LIST, type EventRuleInfo, type EventRuleKind, type EventRuleName, type EventRuleId, type RuleId } from './events/rules.js';
export type {
  BodyIssue,
  BodyValidationResult,
  PlatformValidationResult,
  SyntheticValidationResult,
  CustomDeviceValidationResult,
  PlatformErrorEnvelope,
  PlatformConstraintViolation,
  ClassicErrorEnvelope,
  ClassicConstraintViolation,
  RequestErrorEnvelope,
  CustomDevicePushResult,
  LogsValidationResult,
  LogsSuccessEnvelope,
  BizEventsValidationResult,
  BizEventIngestResult,
  BizEventIngestError,
} from './events/envelopes.js';
export type { BodyInput } from './events/common.js';
export type * from './events/types.js';

// --- backend -----------------------------------------------------------------------------------------
export { nativeAvailable, nativeStatus, type NativeStatus } from './backend/registry.js';
