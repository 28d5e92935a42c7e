/**
 * The local ingest endpoint and validating proxy: `createIngestHandler` (the one implementation, a
 * `node:http` listener), `startServer`, the Express middleware and the Fastify plugin, the options
 * table and the CLI command.
 *
 * @example
 * import { startServer } from 'dt-ingest';
 * const { url, close } = await startServer({ mode: 'mock' });
 *
 * Importing this module loads the native backend (through `../node.ts`), as the `node` entry does.
 *
 * @module
 */
import '../node.js';

export { SERVE_DEFAULTS, resolveServeOptions, type ServeOptions, type ResolvedServeOptions, type ServeMode, type ServeScalarOptions } from './options.js';
export { createIngestHandler, type IngestHandler } from './handler.js';
export { startServer, type RunningServer } from './server.js';
export { ingestMiddleware, type IngestMiddleware } from './express.js';
export { fastifyIngest, type FastifyLike, type FastifyIngestOptions } from './fastify.js';
export { MockStore, type ReceivedSnapshot, type ReceivedCustomDevice } from './mock-store.js';
export { ServeMetrics, LATENCY_BUCKETS, type UpstreamOutcome } from './metrics.js';
export { INGEST_ROUTES, METRICS_ALIASES, RECEIVED_PATH, matchRoute, splitTarget, mediaType, charsetOf, type IngestRoute, type IngestRouteName, type ControlRouteName, type RouteMatch } from './route-table.js';
export type { Answer } from './http.js';
