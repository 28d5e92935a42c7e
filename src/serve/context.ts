/**
 * What every route of one handler shares, set up once when the handler is created: the resolved
 * options, the per-route body limits, the validators' options, the counters, the mock store, and
 * how an answer is written.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { resolveMetricsOptions, type ResolvedMetricsOptions } from '../protocol/options.js';
import { resolveEventsOptions, type ResolvedEventsOptions } from '../events/index.js';
import { closeWithoutReading, hasUnreadBody, writeAnswer, type Answer } from './http.js';
import { createSiteGuard, type SiteGuard } from './guard.js';
import { ServeMetrics } from './metrics.js';
import { createInspector, type ExchangeNotes, type Inspector } from './inspector/index.js';
import { MockStore } from './mock-store.js';
import { OtlpValidator } from '../otlp/validate.js';
import { resolveServeOptions, type ResolvedServeOptions, type ServeOptions } from './options.js';
import { ENDPOINTS, bodyLimit, type Endpoint } from '../endpoints/index.js';
import type { IngestRouteName } from './route-table.js';

/**
 * One ingest request on its way through a route.
 * @example const x: IngestExchange = { req, res, route: endpoint('metrics'), path: '/api/v2/metrics/ingest', search: '', param: undefined, limit: 1_048_576, contentType: 'text/plain', signal };
 */
export interface IngestExchange {
  req: IncomingMessage;
  res: ServerResponse;
  /** The endpoint's row of the endpoint table. */
  route: Endpoint;
  /** The endpoint path as received (without `/e/{id}`). */
  path: string;
  /** The query string (`?` and after, or `''`), forwarded as it is. */
  search: string;
  /** The path parameter (`route.pathParam`, e.g. the custom device id), decoded. */
  param: string | undefined;
  /** Body limit of the route, bytes. */
  limit: number;
  /** The sender's `Content-Type`, or the route's default. */
  contentType: string;
  /** Aborted when the client goes away before its answer: upstream work stops. */
  signal: AbortSignal;
  /** What the inspector keeps of this request; set only when the inspector is on. */
  notes: ExchangeNotes | undefined;
}

/**
 * What a route answers, and the body bytes it read; `undefined` when the client went away.
 * @example { answer: { status: 202, body: { linesOk: 1, linesInvalid: 0, error: null, warnings: null } }, bytes: 8 }
 */
export type RouteResult = { answer: Answer; bytes: number } | undefined;

/**
 * The shared state of one handler.
 * @example ctx.send(res, 'metrics', started, bytes, { status: 202, body: null })
 */
export interface ServeContext {
  readonly options: ResolvedServeOptions;
  readonly stats: ServeMetrics;
  readonly store: MockStore;
  /** Sockets closed without reading, still open for a while so the client reads the answer. */
  readonly lingering: Set<Socket>;
  /** Body limit of each ingest route by endpoint id, bytes: the validators' own limits (the option each row names). */
  readonly limits: Readonly<Record<IngestRouteName, number>>;
  /** The inspector (`ui` option), or `undefined` when it is off. */
  readonly inspector: Inspector | undefined;
  /** The `Host` and `Origin` checks (`guard.ts`). */
  readonly guard: SiteGuard;
  /** Set by `shutdown()`: answers carry `Connection: close`. */
  closing: boolean;
  /** Set by `drain()`: `/readyz` answers 503 while everything else is still served. */
  draining: boolean;
  /** The metrics validator's options for one request (the clock read now unless `now` is fixed). */
  metricsOptions(): ResolvedMetricsOptions;
  /** The JSON validators' options for one request (same clock rule). */
  eventsOptions(): ResolvedEventsOptions;
  /** The OTLP validator (one per handler: it is synchronous, so requests never share it at once). */
  readonly otlp: OtlpValidator;
  /** Writes an answer and counts it. */
  send(res: ServerResponse, route: string, started: number, bytes: number, answer: Answer): void;
  /** An answer before (or instead of) reading the body: the connection is closed rather than a large body read. */
  early(req: IncomingMessage, res: ServerResponse, route: string, started: number, answer: Answer): void;
}

/**
 * Resolves the options once and builds the shared state. Throws a `TypeError` for a wrong option,
 * and an `Error` naming the file when the record file cannot be opened.
 * @example const ctx = createServeContext({ mode: 'mock' }); ctx.limits.metrics // 1048576
 */
export function createServeContext(options?: ServeOptions): ServeContext {
  const o = resolveServeOptions(options);
  // resolve (and so check) the validators' options now; keep them when the clock is fixed
  const metrics = resolveMetricsOptions(o.metrics);
  const events = resolveEventsOptions(o.events);
  const metricsFixed = o.metrics.now !== undefined;
  const eventsFixed = o.events.now !== undefined;
  const otlp = new OtlpValidator(o.otlp);
  const stats = new ServeMetrics();
  const store = new MockStore(o.receivedLimit, o.mode === 'mock' ? o.record : undefined);
  const lingering = new Set<Socket>();
  const ctx: ServeContext = {
    options: o,
    stats,
    store,
    lingering,
    inspector: o.ui ? createInspector(o, store, stats) : undefined,
    guard: createSiteGuard(o),
    limits: Object.freeze(Object.fromEntries(ENDPOINTS.map((e) => [e.id, bodyLimit(e, metrics, events, otlp.options)])) as Record<IngestRouteName, number>),
    closing: false,
    otlp,
    draining: false,
    metricsOptions: () => (metricsFixed ? metrics : resolveMetricsOptions(o.metrics)),
    eventsOptions: () => (eventsFixed ? events : resolveEventsOptions(o.events)),
    send(res, route, started, bytes, answer) {
      stats.request(route, answer.status, (performance.now() - started) / 1000, bytes);
      writeAnswer(res, answer, ctx.closing);
    },
    early(req, res, route, started, answer) {
      if (hasUnreadBody(req)) closeWithoutReading(req, res, o.lingerMs, lingering);
      ctx.send(res, route, started, 0, answer);
      if (ctx.inspector !== undefined && route !== 'control') ctx.inspector.record(req, res, route, started, 0, answer, undefined);
    },
  };
  return ctx;
}
