/**
 * Express middleware: the same handler as `createIngestHandler`, with requests for other paths passed
 * on to `next()`. Mount it before any body parser (it reads the body as a stream so the limit holds
 * while it arrives); a body a parser already read (`req.body` as a Buffer, string or parsed JSON) is
 * used as it is.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createIngestHandler, type IngestHandler } from './handler.js';
import type { ServeOptions } from './options.js';

/** An Express (or Connect) middleware with the handler's extras (`store`, `stats`, `close()`, ...). */
export type IngestMiddleware = IngestHandler & ((req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void);

/**
 * Creates the Express middleware. `app.use('/dt', ingestMiddleware())` serves the routes under `/dt`
 * (Express strips the mount path).
 *
 * @example
 * import express from 'express';
 * import { ingestMiddleware } from 'dt-ingest/serve';
 * const app = express();
 * app.use(ingestMiddleware({ mode: 'mock' }));
 * app.listen(8080, '127.0.0.1');
 */
export function ingestMiddleware(options?: ServeOptions): IngestMiddleware {
  // the inspector would take the app's `/`: only when asked for
  return createIngestHandler({ ...options, ui: options?.ui ?? false }) as IngestMiddleware;
}
