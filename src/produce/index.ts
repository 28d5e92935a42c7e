/**
 * The producers' toolkit: repair keys and values before sending (`normalize*`), write typed points
 * as lines (`serialize*`), split bodies to the endpoint's size (`splitMetrics`,
 * `createMetricsSplitter`) and read its answer (`readIngestResponse`).
 *
 * @example
 * import { normalizeMetricKey, serializeMetric, splitMetrics, readIngestResponse } from './produce/index.js';
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
export { readIngestResponse, type IngestOutcome, type IngestOutcomeKind, type IngestResponseHeaders } from './response.js';
