/**
 * dt-ingest: parse and validate Dynatrace ingest payloads exactly as the endpoints judge them.
 *
 * The one-call API (`validateMetrics`, `parseMetrics`, ...) and every stage of the pipeline
 * (bytes → scanner → line grammar → rules → response) are exported, so callers can stop at any stage.
 *
 * @module
 */

// --- one-call API ------------------------------------------------------------------------------------
export { validateMetrics, MetricsValidator, type MetricsValidatorSettings } from './report/validate.js';
export { parseMetrics, pointOf, metadataOf, parsedLineOf } from './report/typed.js';

// --- options and rules (the single tables) -----------------------------------------------------------
export { METRICS_DEFAULTS, FIX_DEFAULTS, SUMMARY_TOLERANCE, resolveMetricsOptions, type FixOptions, type MetricsOptions, type ResolvedMetricsOptions, type WarningsField } from './protocol/options.js';
export { RuleCode, RULES, RULE_LIST, ruleInfo, formatTemplate, type RuleInfo, type RuleCodeValue, type Severity, type TemplateValues } from './protocol/rules.js';
export type * from './types.js';

// --- stages ------------------------------------------------------------------------------------------
export { CHAR_CLASS, utf8SequenceLength, utf16Length } from './protocol/chars.js';
export { LineSplitter, type LineSink } from './scan/lines.js';
export { MetricLine, LineKind, PayloadType, KeySuffix, MetaProp, DIM_STRIDE } from './metrics/view.js';
export { LineScanner } from './metrics/scanner.js';
export { RegionScanner, type RegionHost } from './metrics/region.js';
export { KeyTable } from './metrics/keys.js';
export { MetricBatch, MetricBatchDecoder, parseMetricsBatch, VALUE_STRIDE, DEFAULT_MAX_STRING_BYTES } from './metrics/batch.js';
export { MetricsParser, toBytes, type MetricLineHandler, type MetricsParserSettings } from './metrics/parser.js';
export { nativeAvailable, nativeStatus, type NativeStatus } from './backend/registry.js';
export { parseNumber, parseDigits, formatFixed6, formatInteger } from './metrics/numbers.js';
export { ResponseBuilder } from './report/response.js';
export { errorIssue, warningIssue, endpointError, endpointWarning, shorten } from './report/issues.js';
export * from './produce/index.js';
export * from './stream/index.js';
export * from './events/index.js';
