/**
 * The one implementation of the local ingest endpoint: `createIngestHandler(options)` returns a
 * `node:http` request listener `(req, res)`; the server, the Fastify plugin and the Express
 * middleware all call it.
 *
 * Per ingest request, in this order: route (404), method (405), concurrency cap (503), token (401),
 * content type and encoding (415), declared `Content-Length` over the limit (413), injected faults
 * (429/503, mock mode), then the body: read as it streams in, each chunk straight into the
 * validator (metrics) or collected (JSON bodies), and answered 413 as soon as the limit is passed,
 * without reading the rest. Then the validator's answer (mock) or the upstream's (proxy).
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { MetricsValidator } from '../report/validate.js';
import { METRICS_DEFAULTS, resolveMetricsOptions } from '../protocol/options.js';
import { ResponseBuilder } from '../report/response.js';
import { splitMetrics } from '../produce/split.js';
import type { InvalidLine, ValidationResponse } from '../types.js';
import {
  EVENTS_DEFAULTS,
  requestFailure,
  validateCustomDevice,
  validateEvents,
  validateSmartscapeEvents,
  validateSyntheticTests,
  type EventsOptions,
} from '../events/index.js';
import { forEachValidLine, lastLines } from './lines.js';
import { ServeMetrics } from './metrics.js';
import { MockStore } from './mock-store.js';
import { resolveServeOptions, type ResolvedServeOptions, type ServeOptions } from './options.js';
import { composeMaps, forwardMetrics, passThrough, sendUpstream, upstreamUrl, type Answer, type LocalVerdict, type MetricsPiece, type UpstreamContext } from './proxy.js';
import { charsetOf, matchRoute, mediaType, splitTarget, type IngestRoute, type IngestRouteName } from './routes.js';

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
  /** Ingest requests in flight. */
  readonly inFlight: number;
  /** From now on every answer carries `Connection: close` (graceful shutdown). */
  shutdown(): void;
  /** Resolves when no ingest request is in flight. */
  idle(): Promise<void>;
  /** Cuts connections still lingering after a 413, and flushes and closes the record file. */
  close(): Promise<void>;
}

/** Bodies up to this size are read and dropped after an early answer so the connection stays usable. */
const DRAIN_BYTES = 65_536;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How reading a body ended. */
type BodyRead = { kind: 'done'; bytes: number } | { kind: 'too-large'; bytes: number } | { kind: 'aborted'; bytes: number } | { kind: 'failed'; bytes: number; error: unknown };

/** A request body that a framework already read (`req.body` of Express body parsers). */
function preread(req: IncomingMessage): Uint8Array | undefined {
  const body = (req as { body?: unknown }).body;
  const consumed = req.readableEnded || (req as { _body?: unknown })._body === true;
  if (!consumed || body === undefined || body === null) return undefined;
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  // parsed JSON: its text again (positions in syntax errors cannot be those of the original)
  return Buffer.from(JSON.stringify(body) ?? '', 'utf8');
}

/**
 * Reads the body chunk by chunk into `onChunk`, stopping (and pausing the socket) as soon as more
 * than `limit` bytes arrived.
 */
function readBody(req: IncomingMessage, limit: number, onChunk: (chunk: Uint8Array) => void): Promise<BodyRead> {
  const already = preread(req);
  if (already !== undefined) {
    if (already.length > limit) return Promise.resolve({ kind: 'too-large', bytes: already.length });
    if (already.length > 0) onChunk(already);
    return Promise.resolve({ kind: 'done', bytes: already.length });
  }
  return new Promise((resolve) => {
    let bytes = 0;
    let settled = false;
    const finish = (r: BodyRead): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
      resolve(r);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > limit) {
        req.pause();
        finish({ kind: 'too-large', bytes });
        return;
      }
      try {
        onChunk(chunk);
      } catch (err) {
        req.pause();
        finish({ kind: 'failed', bytes, error: err });
      }
    };
    const onEnd = (): void => finish({ kind: 'done', bytes });
    const onAbort = (): void => finish({ kind: 'aborted', bytes });
    const onClose = (): void => {
      if (!req.complete) finish({ kind: 'aborted', bytes });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onClose);
  });
}

/** Reads and drops a body (faults), without keeping it. */
function drain(req: IncomingMessage): Promise<number> {
  return readBody(req, Number.POSITIVE_INFINITY, () => {}).then((r) => r.bytes);
}

/** `{"error":{"code":N,"message":...}}`: the shape both envelope families share for request-level errors. */
function errorBody(code: number, message: string): { error: { code: number; message: string } } {
  return { error: { code, message } };
}

/** Whether the request announces a body we would rather not read (unknown or large size). */
function hasUnreadBody(req: IncomingMessage): boolean {
  if (req.readableEnded) return false;
  const cl = req.headers['content-length'];
  if (req.headers['transfer-encoding'] !== undefined) return true;
  if (cl === undefined) return false;
  const n = Number(cl);
  return !(n <= DRAIN_BYTES);
}

/**
 * Answers with `Connection: close` and then closes without reading the rest of the body. Node would
 * destroy the socket right after the answer, and a socket closed with unread data sends a reset that
 * makes the client's kernel drop our answer before the client reads it. So instead: stop reading
 * (TCP flow control holds the sender), send FIN after the answer, and destroy after `lingerMs`.
 */
function closeWithoutReading(req: IncomingMessage, res: ServerResponse, lingerMs: number, lingering: Set<Socket>): void {
  res.setHeader('connection', 'close');
  const sock = req.socket as (Socket & { destroySoon?: () => void }) | null;
  if (sock === null || sock === undefined) return;
  sock.destroySoon = (): void => {
    sock.pause();
    sock.end();
    lingering.add(sock);
    const timer = setTimeout(() => sock.destroy(), lingerMs);
    timer.unref();
    sock.once('close', () => {
      clearTimeout(timer);
      lingering.delete(sock);
    });
  };
}

function hasToken(header: string | undefined): boolean {
  if (header === undefined) return false;
  const sp = header.indexOf(' ');
  if (sp <= 0) return false;
  const scheme = header.slice(0, sp).toLowerCase();
  return (scheme === 'api-token' || scheme === 'bearer') && header.slice(sp + 1).trim() !== '';
}

function bodyLimit(route: IngestRouteName, options: ResolvedServeOptions): number {
  const e: EventsOptions = options.events;
  switch (route) {
    case 'metrics':
      return options.metrics.maxBodyBytes ?? METRICS_DEFAULTS.maxBodyBytes;
    case 'events':
      return e.eventsMaxBodyBytes ?? EVENTS_DEFAULTS.eventsMaxBodyBytes;
    case 'smartscape':
      return e.smartscapeMaxBodyBytes ?? EVENTS_DEFAULTS.smartscapeMaxBodyBytes;
    case 'synthetic':
      return e.syntheticMaxBodyBytes ?? EVENTS_DEFAULTS.syntheticMaxBodyBytes;
    case 'customDevice':
      return e.customDeviceMaxBodyBytes ?? EVENTS_DEFAULTS.customDeviceMaxBodyBytes;
  }
}

/** The 413 answer of a route, in the validators' words. */
function tooLarge(route: IngestRoute, bytes: number, max: number, options: ResolvedServeOptions): Answer {
  if (route.name === 'metrics') {
    const built = new ResponseBuilder(resolveMetricsOptions({ ...options.metrics, maxBodyBytes: max })).build(bytes);
    return { status: 413, body: built.body };
  }
  return { status: 413, body: requestFailure(route.family, { ok: false, status: 413, bytes, max }).body };
}

function parseJsonItems(bytes: Uint8Array): unknown {
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return null;
  return JSON.parse(text);
}

/**
 * Creates the request listener of the local ingest endpoint (see the module for the order of checks).
 *
 * @example
 * import http from 'node:http';
 * import { createIngestHandler } from 'dt-ingest';
 * const handler = createIngestHandler({ mode: 'mock' });
 * http.createServer(handler).listen(8080, '127.0.0.1');
 */
export function createIngestHandler(options?: ServeOptions): IngestHandler {
  const o = resolveServeOptions(options);
  const stats = new ServeMetrics();
  const store = new MockStore(o.receivedLimit, o.mode === 'mock' ? o.record : undefined);
  let closing = false;
  const lingering = new Set<Socket>();
  let waiters: (() => void)[] = [];

  const send = (res: ServerResponse, route: string, started: number, bytes: number, answer: Answer): void => {
    stats.request(route, answer.status, (performance.now() - started) / 1000, bytes);
    if (res.headersSent || res.destroyed) return;
    let text: string;
    let type: string | undefined;
    if (answer.body === null || answer.body === undefined) text = '';
    else if (typeof answer.body === 'string') text = answer.body;
    else {
      text = JSON.stringify(answer.body);
      type = 'application/json; charset=utf-8';
    }
    res.statusCode = answer.status;
    if (answer.headers !== undefined) for (const [k, v] of Object.entries(answer.headers)) res.setHeader(k, v);
    if (type !== undefined && !res.hasHeader('content-type')) res.setHeader('content-type', type);
    if (text !== '' && !res.hasHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('content-length', Buffer.byteLength(text));
    if (closing) res.setHeader('connection', 'close');
    res.end(text);
  };

  /** An answer before (or instead of) reading the body: close the connection rather than read a large body. */
  const early = (req: IncomingMessage, res: ServerResponse, route: string, started: number, answer: Answer): void => {
    if (hasUnreadBody(req)) closeWithoutReading(req, res, o.lingerMs, lingering);
    send(res, route, started, 0, answer);
  };

  const handler = ((req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void => {
    const started = performance.now();
    let { pathname, search } = splitTarget(req.url ?? '/');
    if (o.basePath !== '') {
      if (pathname === o.basePath || pathname.startsWith(o.basePath + '/')) pathname = pathname.slice(o.basePath.length) || '/';
      else if (next !== undefined) return next();
    }
    const match = matchRoute(pathname);
    const method = req.method ?? 'GET';
    if (match.kind === 'none') {
      if (next !== undefined) return next();
      return early(req, res, 'unknown', started, {
        status: 404,
        body: errorBody(404, match.badId === true ? 'The customDeviceId in the path is not valid percent-encoding.' : `No ingest endpoint at ${pathname.length > 200 ? pathname.slice(0, 200) + '...' : pathname}.`),
      });
    }
    if (match.kind === 'control') {
      if (!match.methods.includes(method)) {
        return early(req, res, 'control', started, { status: 405, body: errorBody(405, `Method ${method} is not allowed here; use ${match.methods.join(' or ')}.`), headers: { allow: match.methods.join(', ') } });
      }
      if (match.name === 'healthz') return send(res, 'control', started, 0, { status: 200, body: { status: closing ? 'closing' : 'ok', mode: o.mode, inFlight: stats.inFlight, pid: process.pid } });
      if (match.name === 'metrics-text') {
        return send(res, 'control', started, 0, { status: 200, body: stats.render(), headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } });
      }
      if (method === 'DELETE') {
        store.clear();
        return send(res, 'control', started, 0, { status: 204, body: null });
      }
      return send(res, 'control', started, 0, { status: 200, body: store.snapshot() });
    }
    const route = match.route;
    if (method !== 'POST') {
      return early(req, res, route.name, started, { status: 405, body: errorBody(405, `Method ${method} is not allowed on ${match.path}; use POST.`), headers: { allow: 'POST' } });
    }
    if (stats.inFlight >= o.maxConcurrent) {
      return early(req, res, route.name, started, {
        status: 503,
        body: errorBody(503, `Server busy: ${o.maxConcurrent} requests in flight; retry later.`),
        headers: { 'retry-after': String(o.faultRetryAfterSeconds) },
      });
    }
    if (o.requireToken && !hasToken(req.headers.authorization)) {
      return early(req, res, route.name, started, { status: 401, body: errorBody(401, 'Missing authorization parameter.') });
    }
    const contentType = req.headers['content-type'];
    const media = mediaType(contentType);
    const charset = charsetOf(contentType);
    const encoding = req.headers['content-encoding'];
    if ((media !== '' && !route.contentTypes.includes(media)) || (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') || (encoding !== undefined && encoding.toLowerCase() !== 'identity')) {
      const what = encoding !== undefined && encoding.toLowerCase() !== 'identity' ? `content encoding '${encoding}'` : `content type '${contentType}'`;
      return early(req, res, route.name, started, { status: 415, body: errorBody(415, `Unsupported ${what}; send ${route.contentTypes[0]}; charset=utf-8.`) });
    }
    const limit = bodyLimit(route.name, o);
    const declared = Number(req.headers['content-length']);
    if (req.headers['content-length'] !== undefined && declared > limit) {
      return early(req, res, route.name, started, tooLarge(route, declared, limit, o));
    }

    stats.inFlight++;
    let counted = true;
    res.once('close', () => {
      if (!counted) return;
      counted = false;
      stats.inFlight--;
      if (stats.inFlight === 0 && waiters.length > 0) {
        const list = waiters;
        waiters = [];
        for (const w of list) w();
      }
    });

    const run = async (): Promise<void> => {
      if (o.mode === 'mock' && (o.fault429Rate > 0 || o.fault503Rate > 0)) {
        const r = o.random();
        const status = r < o.fault429Rate ? 429 : r < o.fault429Rate + o.fault503Rate ? 503 : 0;
        if (status !== 0) {
          const bytes = await drain(req);
          if (o.latencyMs > 0) await sleep(o.latencyMs);
          return send(res, route.name, started, bytes, {
            status,
            body: errorBody(status, status === 429 ? 'Too Many Requests (fault injected by dt-ingest).' : 'Service Unavailable (fault injected by dt-ingest).'),
            headers: { 'retry-after': String(o.faultRetryAfterSeconds) },
          });
        }
      }
      const ctx: UpstreamContext = {
        options: o,
        stats,
        authorization: req.headers.authorization,
        contentType: contentType ?? (route.name === 'metrics' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8'),
        deadline: Date.now() + o.retryBudgetMs,
      };
      const outcome = route.name === 'metrics' ? await handleMetrics(req, route, limit, ctx, match.path, search) : await handleJson(req, route, limit, ctx, match.path, search, match.customDeviceId);
      if (outcome === undefined) {
        stats.request(route.name, 499, (performance.now() - started) / 1000, 0);
        return;
      }
      // stop reading: answer now and close the connection
      if (outcome.answer.status === 413 && !req.readableEnded) closeWithoutReading(req, res, o.lingerMs, lingering);
      if (o.mode === 'mock' && o.latencyMs > 0) await sleep(o.latencyMs);
      send(res, route.name, started, outcome.bytes, outcome.answer);
    };
    run().catch((err: unknown) => {
      if (next !== undefined && !res.headersSent) return next(err);
      send(res, route.name, started, 0, { status: 500, body: errorBody(500, `dt-ingest: internal error: ${err instanceof Error ? err.message : String(err)}`) });
    });
  }) as IngestHandler;

  const handleMetrics = async (req: IncomingMessage, route: IngestRoute, limit: number, ctx: UpstreamContext, path: string, search: string): Promise<{ answer: Answer; bytes: number } | undefined> => {
    // mock: the last N valid lines for the ring (every one when they are recorded to a file);
    // filter: the valid lines for the upstream. Both are taken from the chunks after validation,
    // through the invalid line numbers the validator reports, so the validator runs on its fast path.
    const keep = o.mode === 'mock' && (o.receivedLimit > 0 || o.record !== '');
    const filter = o.mode === 'proxy' && o.filter;
    const chunks: Uint8Array[] | undefined = keep || o.mode === 'proxy' ? [] : undefined;
    const invalid = new Set<number>();
    const v = new MetricsValidator(
      o.metrics,
      keep || filter
        ? {
            onIssue: (issue) => {
              if (issue.severity === 'error' && issue.line !== undefined) invalid.add(issue.line);
            },
          }
        : { issues: false },
    );
    const read = await readBody(req, limit, (chunk) => {
      if (chunks !== undefined) chunks.push(chunk);
      v.push(chunk);
    });
    if (read.kind === 'aborted') return undefined;
    if (read.kind === 'failed') throw read.error;
    if (read.kind === 'too-large') return { answer: tooLarge(route, read.bytes, limit, o), bytes: read.bytes };
    const result = v.end();
    stats.lines(v.linesOk, v.linesInvalid);
    const local: Answer = { status: result.status, body: result.body };
    if (o.mode === 'mock') {
      if (keep && v.linesOk > 0) {
        const lines: string[] = [];
        const wanted = o.record !== '' ? v.linesOk : Math.min(v.linesOk, o.receivedLimit);
        if (invalid.size === 0 && wanted < v.linesOk) {
          // the usual case: walk back over the last lines only
          for (const line of lastLines(chunks!, wanted)) lines.push(line);
        } else {
          const decoder = new TextDecoder();
          forEachValidLine(chunks!, invalid, v.linesOk - wanted, (buf, start, end) => lines.push(decoder.decode(buf.subarray(start, end))));
        }
        store.add('metrics', lines);
      }
      return { answer: local, bytes: read.bytes };
    }
    const url = upstreamUrl(o, path, search);
    const body = result.body as ValidationResponse;
    let pieces: MetricsPiece[];
    let verdict: LocalVerdict | undefined;
    if (filter) {
      if (v.linesOk === 0 || result.status === 413) return { answer: local, bytes: read.bytes };
      const out = Buffer.allocUnsafe(read.bytes + v.linesOk);
      const map = new Int32Array(v.linesOk);
      let length = 0;
      let count = 0;
      forEachValidLine(chunks!, invalid, 0, (buf, start, end, line) => {
        out.set(buf.subarray(start, end), length);
        length += end - start;
        out[length++] = 10;
        map[count++] = line;
      });
      const split = splitMetrics(out.subarray(0, length), { maxBytes: o.upstreamMaxBytes });
      pieces = split.pieces.map((p) => ({ body: p.body, lineMap: composeMaps(p.lineMap, map) }));
      const invalidLines: InvalidLine[] = body.error?.invalidLines?.slice() ?? [];
      for (const big of split.oversized) invalidLines.push({ line: map[big.line - 1]!, error: `line of ${big.bytes} bytes exceeds the upstream request limit of ${o.upstreamMaxBytes} bytes` });
      verdict = { linesInvalid: body.linesInvalid + split.oversized.length, invalidLines };
    } else {
      if (result.status !== 202) return { answer: local, bytes: read.bytes };
      const all = chunks!.length === 1 ? chunks![0]! : Buffer.concat(chunks!);
      const split = splitMetrics(all, { maxBytes: o.upstreamMaxBytes });
      pieces = split.pieces;
      if (split.oversized.length > 0) {
        verdict = {
          linesInvalid: split.oversized.length,
          invalidLines: split.oversized.map((big) => ({ line: big.line, error: `line of ${big.bytes} bytes exceeds the upstream request limit of ${o.upstreamMaxBytes} bytes` })),
        };
      }
    }
    if (pieces.length === 0) return { answer: local, bytes: read.bytes };
    return { answer: await forwardMetrics(pieces, verdict, url, ctx, o.metrics), bytes: read.bytes };
  };

  const handleJson = async (
    req: IncomingMessage,
    route: IngestRoute,
    limit: number,
    ctx: UpstreamContext,
    path: string,
    search: string,
    customDeviceId: string | undefined,
  ): Promise<{ answer: Answer; bytes: number } | undefined> => {
    const chunks: Uint8Array[] = [];
    const read = await readBody(req, limit, (chunk) => chunks.push(chunk));
    if (read.kind === 'aborted') return undefined;
    if (read.kind === 'failed') throw read.error;
    if (read.kind === 'too-large') return { answer: tooLarge(route, read.bytes, limit, o), bytes: read.bytes };
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    const eo = o.events;
    const result =
      route.name === 'events'
        ? validateEvents(bytes, eo)
        : route.name === 'smartscape'
          ? validateSmartscapeEvents(bytes, eo)
          : route.name === 'synthetic'
            ? validateSyntheticTests(bytes, eo)
            : validateCustomDevice(customDeviceId ?? '', bytes, eo);
    const local: Answer = { status: result.status, body: result.body };
    if (result.status >= 300) return { answer: local, bytes: read.bytes };
    if (o.mode === 'mock') {
      if (o.receivedLimit > 0 || o.record !== '') {
        const value = parseJsonItems(bytes);
        if (route.name === 'customDevice') store.add('customDevice', [{ customDeviceId: customDeviceId ?? '', body: value }]);
        else if (route.name === 'synthetic') store.add('synthetic', [value]);
        else store.add(route.name, Array.isArray(value) ? value : [value]);
      }
      return { answer: local, bytes: read.bytes };
    }
    const url = upstreamUrl(o, path, search);
    return { answer: passThrough(await sendUpstream(url, bytes, ctx), url), bytes: read.bytes };
  };

  Object.defineProperties(handler, {
    options: { value: o, enumerable: true },
    store: { value: store, enumerable: true },
    stats: { value: stats, enumerable: true },
    inFlight: { get: () => stats.inFlight, enumerable: true },
    shutdown: {
      value: () => {
        closing = true;
      },
    },
    idle: {
      value: (): Promise<void> => (stats.inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    },
    close: {
      value: (): Promise<void> => {
        for (const sock of lingering) sock.destroy();
        return store.close();
      },
    },
  });
  return handler;
}
