/**
 * The one implementation of the local ingest endpoint: `createIngestHandler(options)` returns a
 * `node:http` request listener `(req, res)`; the server, the Fastify plugin and the Express
 * middleware all call it. The options are resolved once (`createServeContext`); the routes live in
 * `routes/` (metrics, JSON bodies, control).
 *
 * Per ingest request, in this order: route (404), method (405), a browser's write from another
 * origin (403, `guard.ts`; `allowOrigin`), concurrency cap (503), token (401),
 * content type and encoding (415), declared `Content-Length` over the limit (413), injected faults
 * (429/503, mock mode), then the body: read as it streams in, each chunk straight into the
 * validator (metrics) or collected (JSON bodies), and answered 413 as soon as the limit is passed,
 * without reading the rest. Then the validator's answer (mock) or the upstream's (proxy).
 *
 * A request counts toward `maxConcurrent` (and `/healthz`'s `inFlight`) from its acceptance until its
 * work ends, not until its client leaves: a client that hangs up aborts the request's upstream work,
 * and the request counts until that work has stopped.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mediaRule, type MediaTypeRule } from '../endpoints/index.js';
import { delay } from '../produce/send.js';
import { createServeContext, type IngestExchange, type RouteResult } from './context.js';
import { crossSiteMessage } from './guard.js';
import { closeWithoutReading, drain, errorBody, hasToken } from './http.js';
import type { ServeMetrics } from './metrics.js';
import type { MockStore } from './mock-store.js';
import type { Inspector } from './inspector/index.js';
import type { ResolvedServeOptions, ServeOptions } from './options.js';
import { UNAUTHORIZED, handleControl } from './routes/control.js';
import { handleJson, jsonTooLarge } from './routes/json.js';
import { charsetOf, matchRoute, mediaType, splitTarget } from './route-table.js';
import { handleMetrics, metricsTooLarge } from './routes/metrics.js';
import { handleOtlp, otlpTooLarge } from './routes/otlp.js';
import { createConvertedIntake, type ConvertedIntake } from './converted.js';

/** A media type as a `Content-Type` names it: text types with their charset. */
function typeWithCharset(m: MediaTypeRule): string {
  return m.body === 'text' ? `${m.type}; charset=utf-8` : m.type;
}

/**
 * The request listener plus what the server around it needs.
 * @example
 * const handler = createIngestHandler();
 * http.createServer(handler).listen(0, '127.0.0.1');
 * handler.store.snapshot().metrics.items // lines accepted so far
 */
export interface IngestHandler {
  /** Handles one request. With `next` (Express), requests for other paths go to `next()` instead of a 404. */
  (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void;
  /** The resolved options. */
  readonly options: ResolvedServeOptions;
  /** Accepted items (mock mode). */
  readonly store: MockStore;
  /** Counters behind `GET /metrics`. */
  readonly stats: ServeMetrics;
  /** @internal The inspector (`ui` option), or `undefined` when it is off (its page and HTTP API are the interface). */
  readonly inspector: Inspector | undefined;
  /** Ingest requests whose work has not ended. */
  readonly inFlight: number;
  /** @internal The converted intake (Influx write routes, StatsD port, scrape loop; `converted.ts`): the server starts and closes it. */
  readonly converted: ConvertedIntake;
  /** From now on `/readyz` answers 503 (the first step of a graceful shutdown); everything else is still served. */
  drain(): void;
  /** From now on every answer carries `Connection: close` (graceful shutdown). */
  shutdown(): void;
  /** Resolves when no ingest request is in flight. */
  idle(): Promise<void>;
  /** Cuts connections still lingering after a 413, and flushes and closes the record file. */
  close(): Promise<void>;
}

/**
 * Creates the request listener of the local ingest endpoint (see the module for the order of checks).
 * Throws a `TypeError` for a wrong option and an `Error` when the record file cannot be opened.
 *
 * @example
 * import http from 'node:http';
 * import { createIngestHandler } from 'dt-ingest/serve';
 * const handler = createIngestHandler({ mode: 'mock' });
 * http.createServer(handler).listen(8080, '127.0.0.1');
 */
export function createIngestHandler(options?: ServeOptions): IngestHandler {
  const ctx = createServeContext(options);
  const o = ctx.options;
  const stats = ctx.stats;
  let waiters: (() => void)[] = [];
  const converted = createConvertedIntake(ctx);

  const handler = ((req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void => {
    const started = performance.now();
    let { pathname, search } = splitTarget(req.url ?? '/');
    if (o.basePath !== '') {
      if (pathname === o.basePath || pathname.startsWith(o.basePath + '/')) pathname = pathname.slice(o.basePath.length) || '/';
      else if (next !== undefined) return next();
    }
    const inspector = ctx.inspector;
    if (inspector?.owns(pathname)) return inspector.handle(req, res, pathname, search);
    const match = matchRoute(pathname);
    const method = req.method ?? 'GET';
    if (match.kind === 'none') {
      const format = converted.route(pathname);
      if (format !== undefined) return converted.handle(req, res, format, search, started);
      if (next !== undefined) return next();
      return ctx.early(req, res, 'unknown', started, {
        status: 404,
        body: errorBody(
          404,
          match.badParam !== undefined
            ? `The ${match.badParam} in the path is not valid percent-encoding.`
            : `No ingest endpoint at ${pathname.length > 200 ? pathname.slice(0, 200) + '...' : pathname}.`,
        ),
      });
    }
    if (match.kind === 'control') return handleControl(ctx, req, res, match, started);
    const route = match.route;
    if (method !== 'POST') {
      return ctx.early(req, res, route.id, started, {
        status: 405,
        body: errorBody(405, `Method ${method} is not allowed on ${match.path}; use POST.`),
        headers: { allow: 'POST' },
      });
    }
    if (!ctx.guard.originAllowed(req)) {
      return ctx.early(req, res, route.id, started, { status: 403, body: errorBody(403, crossSiteMessage(req.headers.origin ?? '')) });
    }
    if (stats.inFlight >= o.maxConcurrent) {
      return ctx.early(req, res, route.id, started, {
        status: 503,
        body: errorBody(503, `Server busy: ${o.maxConcurrent} requests in flight; retry later.`),
        headers: { 'retry-after': String(o.faultRetryAfterSeconds) },
      });
    }
    if (o.requireToken && !hasToken(req.headers.authorization)) return ctx.early(req, res, route.id, started, UNAUTHORIZED);
    const contentType = req.headers['content-type'];
    const media = mediaRule(route, mediaType(contentType));
    const charset = charsetOf(contentType);
    const encoding = req.headers['content-encoding'];
    const badEncoding = encoding !== undefined && encoding.toLowerCase() !== 'identity' && !route.encodings.includes(encoding.toLowerCase());
    if (media === undefined || (media.body === 'text' && charset !== '' && charset !== 'utf-8' && charset !== 'utf8') || badEncoding) {
      const what = badEncoding ? `content encoding '${encoding}'` : `content type '${contentType}'`;
      return ctx.early(req, res, route.id, started, {
        status: 415,
        body: errorBody(415, `Unsupported ${what}; send ${typeWithCharset(route.media[0]!)}.`),
      });
    }
    const limit = ctx.limits[route.id];
    const declared = Number(req.headers['content-length']);
    const controller = new AbortController();
    const x: IngestExchange = {
      req,
      res,
      route,
      path: match.path,
      search,
      param: match.param,
      limit,
      contentType: contentType ?? typeWithCharset(route.media[0]!),
      signal: controller.signal,
      notes: inspector?.notes(),
    };
    if (req.headers['content-length'] !== undefined && declared > limit) {
      const tooLarge =
        route.reader === 'metrics-stream' ? metricsTooLarge(ctx, declared) : route.reader === 'protobuf' ? otlpTooLarge(ctx) : jsonTooLarge(x, declared);
      return ctx.early(req, res, route.id, started, tooLarge);
    }

    // the request counts until its work ends; a client that leaves first stops that work
    stats.inFlight++;
    res.once('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const run = async (): Promise<void> => {
      if (o.mode === 'mock' && (o.fault429Rate > 0 || o.fault503Rate > 0)) {
        const r = o.random();
        const status = r < o.fault429Rate ? 429 : r < o.fault429Rate + o.fault503Rate ? 503 : 0;
        if (status !== 0) {
          const bytes = await drain(req);
          if (o.latencyMs > 0) await delay(o.latencyMs, controller.signal);
          const fault = {
            status,
            body: errorBody(status, status === 429 ? 'Too Many Requests (fault injected by dt-ingest).' : 'Service Unavailable (fault injected by dt-ingest).'),
            headers: { 'retry-after': String(o.faultRetryAfterSeconds) },
          };
          ctx.send(res, route.id, started, bytes, fault);
          inspector?.record(req, res, route.id, started, bytes, fault, undefined);
          return;
        }
      }
      const outcome: RouteResult =
        route.reader === 'metrics-stream' ? await handleMetrics(ctx, x) : route.reader === 'protobuf' ? await handleOtlp(ctx, x) : await handleJson(ctx, x);
      if (outcome === undefined || controller.signal.aborted) {
        stats.request(route.id, 499, (performance.now() - started) / 1000, outcome?.bytes ?? 0);
        inspector?.record(
          req,
          res,
          route.id,
          started,
          outcome?.bytes ?? 0,
          { status: 499, body: errorBody(499, 'The client went away before its answer.') },
          x.notes,
        );
        return;
      }
      // stop reading: answer now and close the connection
      if (outcome.answer.status === 413 && !req.readableEnded) closeWithoutReading(req, res, o.lingerMs, ctx.lingering);
      if (o.mode === 'mock' && o.latencyMs > 0) await delay(o.latencyMs, controller.signal);
      ctx.send(res, route.id, started, outcome.bytes, outcome.answer);
      inspector?.record(req, res, route.id, started, outcome.bytes, outcome.answer, x.notes);
    };
    run()
      .catch((err: unknown) => {
        if (next !== undefined && !res.headersSent) return next(err);
        const failure = { status: 500, body: errorBody(500, `dt-ingest: internal error: ${err instanceof Error ? err.message : String(err)}`) };
        ctx.send(res, route.id, started, 0, failure);
        inspector?.record(req, res, route.id, started, 0, failure, x.notes);
      })
      .finally(() => {
        stats.inFlight--;
        if (stats.inFlight === 0 && waiters.length > 0) {
          const list = waiters;
          waiters = [];
          for (const w of list) w();
        }
      });
  }) as IngestHandler;

  Object.defineProperties(handler, {
    options: { value: o, enumerable: true },
    store: { value: ctx.store, enumerable: true },
    stats: { value: stats, enumerable: true },
    inspector: { value: ctx.inspector, enumerable: true },
    converted: { value: converted },
    inFlight: { get: () => stats.inFlight, enumerable: true },
    drain: {
      value: () => {
        ctx.draining = true;
      },
    },
    shutdown: {
      value: () => {
        ctx.closing = true;
        // live pages hold their connections open: end them so the server can close
        ctx.inspector?.close();
      },
    },
    idle: {
      value: (): Promise<void> => (stats.inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    },
    close: {
      value: (): Promise<void> => {
        ctx.inspector?.close();
        for (const sock of ctx.lingering) sock.destroy();
        return ctx.store.close();
      },
    },
  });
  return handler;
}
