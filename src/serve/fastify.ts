/**
 * Fastify plugin: the same handler as `createIngestHandler`, on a catch-all route of the plugin's
 * context. Inside that context the plugin replaces the content type parsers with one that does not
 * read the body, and hijacks the reply, so the handler streams the body with its own limits and
 * answers with its own status codes (404 for unknown paths included). Register it with a `prefix`
 * to serve the routes under a path; other routes of the app take precedence over its catch-all.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createIngestHandler, type IngestHandler } from './handler.js';
import type { ServeOptions } from './options.js';

/** The part of a Fastify instance the plugin uses (so that `fastify` stays an optional dependency). */
export interface FastifyLike {
  prefix: string;
  removeAllContentTypeParsers(): void;
  addContentTypeParser(type: string, parser: (request: unknown, payload: unknown, done: (err: Error | null, body?: unknown) => void) => void): void;
  all(path: string, handler: (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): void }) => void): unknown;
  addHook(name: 'onClose', hook: (instance: unknown, done: () => void) => void): unknown;
}

/** Options of {@link fastifyIngest}: the serve options (`basePath` defaults to the plugin's prefix). */
export type FastifyIngestOptions = ServeOptions & { prefix?: string };

/**
 * The Fastify plugin.
 *
 * @example
 * import Fastify from 'fastify';
 * import { fastifyIngest } from 'dt-ingest/serve';
 * const app = Fastify();
 * await app.register(fastifyIngest, { mode: 'mock', prefix: '/dt' });
 * await app.listen({ port: 8080, host: '127.0.0.1' });
 */
export function fastifyIngest(fastify: FastifyLike, options: FastifyIngestOptions, done: (err?: Error) => void): void {
  const { prefix: _prefix, ...serve } = options ?? {};
  void _prefix;
  let handler: IngestHandler;
  try {
    // the inspector would take the app's `/`: only when asked for
    handler = createIngestHandler({ ...serve, basePath: serve.basePath ?? fastify.prefix, ui: serve.ui ?? false });
  } catch (err) {
    done(err as Error);
    return;
  }
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, _payload, parsed) => parsed(null));
  const route = (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): void }): void => {
    reply.hijack();
    handler(request.raw, reply.raw);
  };
  fastify.all('/', route);
  fastify.all('/*', route);
  fastify.addHook('onClose', (_instance, closed) => {
    void handler.close().then(closed, closed);
  });
  done();
}
