/**
 * Stream adapters of the metrics validator: Node `Transform`s, Web `TransformStream`s and an
 * async-iterable API, all giving results identical to `validateMetrics` on the whole body.
 *
 * @example
 * for await (const r of validateMetricsStream(source)) if ('summary' in r) console.log(r.summary.status);
 *
 * @module
 */
export {
  isMetricsSummary,
  abortError,
  LineResultCollector,
  LineFilterCollector,
  type MetricsLineResult,
  type MetricsPointResult,
  type MetricsMetadataResult,
  type MetricsInvalidResult,
  type MetricsSummary,
  type MetricsStreamResult,
  type MetricsStreamSettings,
  type MetricsResultSettings,
} from './core.js';
export {
  createMetricsValidator,
  createMetricsLineFilter,
  MetricsValidatorTransform,
  MetricsLineFilterTransform,
  type NodeStreamSettings,
  type MetricsValidatorTransformOptions,
  type MetricsLineFilterTransformOptions,
} from './node.js';
export {
  createMetricsValidatorStream,
  createMetricsLineFilterStream,
  validateMetricsStream,
  MetricsValidatorStream,
  MetricsLineFilterStream,
  type WebStreamSettings,
  type MetricsValidatorStreamOptions,
  type MetricsLineFilterStreamOptions,
  type ValidateMetricsStreamOptions,
  type MetricsByteSource,
} from './web.js';
