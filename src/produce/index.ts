/**
 * The producers' toolkit: repair keys and values before sending (`normalize*`), write typed points
 * as lines (`serialize*`), split bodies to the endpoint's size (`splitMetrics`,
 * `createMetricsSplitter`), read its answer (`readIngestResponse`) and send with every line
 * accounted for (`sendMetrics`).
 *
 * @example
 * import { normalizeMetricKey, serializeMetric, splitMetrics, readIngestResponse } from './produce/index.js';
 *
 * An internal barrel for the code and tests of this package (it names internals too); the package's
 * public API is `src/index.ts`.
 *
 * @module
 */
export {
  normalizeMetricKey,
  normalizeDimensionKey,
  normalizeDimensionValue,
  normalizeMetadataValue,
  type NormalizeOptions,
} from './normalize.js';
export { serializeMetric, serializeMetadata, formatMetricNumber } from './serialize.js';
export { escapeDimensionValue, quoteMetadataValue } from './escape.js';
export { checkMetricKey, checkDimensionKey, checkDimensionValue, checkMetadataValue, type MetadataProperty } from './check.js';
export {
  splitMetrics,
  createMetricsSplitter,
  MetricsSplitter,
  type SplitOptions,
  type SplitPiece,
  type SplitResult,
  type OversizedLine,
  type MetricsSplitterOptions,
  type SplitterSummary,
} from './split.js';
export { fixMetrics, MetricsFixer, type FixResult, type MetricsFixerSettings } from './fix.js';
export {
  readIngestResponse,
  parseRetryAfter,
  retryDelay,
  backoffCeiling,
  responseHeader,
  RETRY_DEFAULTS,
  type RetryPolicy,
  type IngestOutcome,
  type IngestOutcomeKind,
  type IngestStored,
  type IngestResponseHeaders,
} from './response.js';
export {
  sendMetrics,
  postIngest,
  fetchTransport,
  formatLineRanges,
  parseLineRanges,
  NOT_SENT_CODES,
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
} from './send.js';
