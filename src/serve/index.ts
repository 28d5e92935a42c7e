/**
 * The local ingest endpoint and validating proxy: `createIngestHandler` (the one implementation, a
 * `node:http` listener), `startServer`, the Express middleware and the Fastify plugin, the options
 * table and the CLI command.
 *
 * @example
 * import { startServer } from 'dt-ingest';
 * const { url, close } = await startServer({ mode: 'mock' });
 *
 * @module
 */
export { SERVE_DEFAULTS, SERVE_HELP, INSPECTOR_LIMITS, isLoopbackHost, resolveServeOptions, type ServeOptions, type ResolvedServeOptions, type ServeMode, type ServeScalarOptions } from './options.js';
export type { Inspector, RequestSummary, RequestDetail, PlacedProblem, FixDiff, MetricsView, EventsView } from './inspector/index.js';
export { createIngestHandler, type IngestHandler } from './handler.js';
export { startServer, type RunningServer } from './server.js';
export { ingestMiddleware, type IngestMiddleware } from './express.js';
export { fastifyIngest, type FastifyLike, type FastifyIngestOptions } from './fastify.js';
export { MockStore, type ReceivedSnapshot, type ReceivedCustomDevice } from './mock-store.js';
export { ServeMetrics, LATENCY_BUCKETS, type UpstreamOutcome } from './metrics.js';
export { INGEST_ROUTES, METRICS_ALIASES, RECEIVED_PATH, matchRoute, splitTarget, mediaType, charsetOf, type IngestRoute, type IngestRouteName, type ControlRouteName, type RouteMatch } from './route-table.js';
export type { Answer } from './http.js';
