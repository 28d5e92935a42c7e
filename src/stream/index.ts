/**
 * Stream adapters of the metrics validator: Web `TransformStream`s and an async-iterable API (the
 * Node `Transform`s are in `./node.ts`, reached through the `node` entry), all giving results identical to `validateMetrics` on the whole body.
 *
 * @example
 * for await (const r of validateMetricsStream(source)) if ('summary' in r) console.log(r.summary.status);
 *
 * An internal barrel for the code and tests of this package (it names internals too); the package's
 * public API is `src/index.ts`.
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
