/**
 * The local ingest endpoint and validating proxy: `createIngestHandler` (the one implementation, a
 * `node:http` listener), `startServer`, the Express middleware and the Fastify plugin, and the options
 * table: the public API of `dt-ingest/serve` (the CLI command is `src/cli/commands/serve.ts`).
 *
 * @example
 * import { startServer } from 'dt-ingest/serve';
 * const { url, close } = await startServer({ mode: 'mock' });
 *
 * Importing this module loads the native backend (through `../node.ts`), as the `node` entry does.
 *
 * @module
 */
import '../node.js';

export { startServer, type RunningServer } from './server.js';
export { createIngestHandler, type IngestHandler } from './handler.js';
export { ingestMiddleware, type IngestMiddleware } from './express.js';
export { fastifyIngest, type FastifyLike, type FastifyIngestOptions } from './fastify.js';
export { SERVE_DEFAULTS, INSPECTOR_LIMITS, type ServeOptions, type ResolvedServeOptions, type ServeMode, type ServeScalarOptions } from './options.js';
// the JSON shapes of the inspector's HTTP API (docs/inspector.md), for callers that script against it
export type {
  RequestSummary,
  Accounting,
  RequestDetail,
  PlacedProblem,
  FixDiff,
  FixRow,
  MetricsView,
  MetricKeyView,
  SeriesView,
  EventsView,
} from './inspector/index.js';
export type { MockStore, ReceivedSnapshot, ReceivedCustomDevice } from './mock-store.js';
export type { ServeMetrics, UpstreamOutcome } from './metrics.js';
export type { IngestRouteName } from './route-table.js';
export type { EndpointId } from '../endpoints/index.js';
// the option types ServeOptions names, as the root exports them
export type { MetricsOptions, WarningsField } from '../protocol/options.js';
export type { EventsOptions } from '../events/options.js';
export type { OtlpOptions } from '../protocol/otlp-options.js';
