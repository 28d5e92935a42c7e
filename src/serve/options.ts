/**
 * Every limit and default of the local ingest endpoint (`dt-ingest serve`, `createIngestHandler`),
 * in one table. Body size limits are not repeated here: they come from the validators' options
 * (`metrics.maxBodyBytes`, `events.eventsMaxBodyBytes`, ...), so the server answers 413 exactly where
 * the validators would.
 *
 * @module
 */
import type { MetricsOptions } from '../protocol/options.js';
import { METRICS_DEFAULTS } from '../protocol/options.js';
import type { EventsOptions } from '../events/index.js';
import type { OtlpOptions } from '../protocol/otlp-options.js';
import { RETRY_DEFAULTS } from '../produce/response.js';
import { endpoint } from '../endpoints/index.js';

/** What the server does with a valid request. */
export type ServeMode = 'mock' | 'proxy';

/**
 * Options of the local ingest endpoint. Every field is optional; see {@link SERVE_DEFAULTS}.
 * The CLI derives one flag per field (`maxConcurrent` → `--max-concurrent`).
 *
 * @example
 * const options: ServeOptions = { mode: 'proxy', upstream: 'https://abc123.live.dynatrace.com', filter: true };
 */
export interface ServeOptions {
  /** TCP port; `0` picks a free one (the URL is printed / returned). Default 0. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1`: loopback only unless told otherwise. */
  host?: string;
  /** `mock` answers as the endpoint would and keeps what was accepted; `proxy` validates and forwards. Default `mock`. */
  mode?: ServeMode;
  /** Proxy mode: base URL of the real environment (`https://abc123.live.dynatrace.com` or an ActiveGate `https://ag:9999/e/abc123`). Default none. */
  upstream?: string;
  /**
   * Proxy mode, metrics: forward only the valid lines and answer one response in the sender's line
   * numbers (local invalid lines plus the upstream's answers mapped back). Default `false`: a body
   * with an invalid line is answered locally and not forwarded.
   */
  filter?: boolean;
  /**
   * Answer 401 to a request without an `Authorization: Api-Token ...` (or `Bearer ...`) header, on
   * every route but `/healthz` (the ingest routes, `/metrics` and `/_dt-ingest/received`). Default `false`.
   */
  requireToken?: boolean;
  /** Mock mode: append every accepted item as one NDJSON line to this file (opened at start; a file that cannot be opened is a start-up error). Default none. */
  record?: string;
  /**
   * Mock mode: accepted items kept in memory per route (the last N), readable at `GET /_dt-ingest/received`;
   * also the number of requests the inspector lists (both modes). Default 1000.
   */
  receivedLimit?: number;
  /** Mock mode: share of ingest requests answered 429 (with `Retry-After`), 0..1. Default 0. */
  fault429Rate?: number;
  /** Mock mode: share of ingest requests answered 503 (with `Retry-After`), 0..1. Default 0. */
  fault503Rate?: number;
  /** `Retry-After` seconds on injected 429/503 answers and on the concurrency cap's 503. Default 1. */
  faultRetryAfterSeconds?: number;
  /** Mock mode: added latency before each ingest answer, ms. Default 0. */
  latencyMs?: number;
  /**
   * Ingest requests handled at once; more are answered 503 at once without reading their body. A
   * request counts until its work ends: a client that hangs up stops its upstream work, and the
   * request still counts until that work has stopped. Default 256.
   */
  maxConcurrent?: number;
  /** Whole request (headers and body) must arrive within this many ms, else 408 (`node:http` `requestTimeout`; server only). Default 30,000. */
  requestTimeoutMs?: number;
  /**
   * Headers must arrive within this many ms (`node:http` `headersTimeout`; server only); a connection
   * that sends no request at all is closed after this time too. Default 10,000.
   */
  headersTimeoutMs?: number;
  /** Idle keep-alive connections are closed after this many ms (server only). Default 5,000. */
  keepAliveTimeoutMs?: number;
  /** Largest request head (request line and headers) in bytes, else 431 (`node:http` `maxHeaderSize`; server only). Default 16,384. */
  maxHeaderBytes?: number;
  /**
   * After an answer that closes the connection without reading the body (413, early errors on a
   * large body), how long the socket stays open, not read, so the client reads the answer before the
   * connection is reset, ms. Default 2,000.
   */
  lingerMs?: number;
  /** Graceful shutdown: how long requests in flight may take to finish before connections are cut, ms. Default 10,000. */
  shutdownTimeoutMs?: number;
  /**
   * Graceful shutdown behind a load balancer: from the first SIGTERM `/readyz` answers 503 and the
   * server keeps serving for this many ms before it stops accepting connections, so the balancer
   * stops sending first (CLI; `RunningServer.drain()` in the API). Default 0; 5,000 in the
   * Kubernetes example (docs/deploy.md: longer than the readiness probe's period).
   */
  drainDelayMs?: number;
  /** Processes serving one port with `node:cluster` (CLI only). Default 1. */
  workers?: number;
  /**
   * With `workers` > 1: workers restarted after a crash within any minute; beyond, the next restart
   * waits until the minute has passed (with a log line), so a crash loop neither spins nor stops the
   * server. Default 10 (*decided*).
   */
  workerRestartsPerMinute?: number;
  /** Proxy mode: largest upstream request in bytes; bigger bodies are split on line boundaries. Default the metrics `maxBodyBytes` (1,048,576). */
  upstreamMaxBytes?: number;
  /**
   * Proxy mode: the upstream path metrics are forwarded to, whichever local metrics route received
   * them (`/api/v2/metrics/ingest`, the platform's `/platform/classic/environment-api/v2/metrics/ingest`,
   * the local agent's `/metrics/ingest`). Default `/api/v2/metrics/ingest` (*docs*: the Metrics API v2
   * of an environment or ActiveGate URL); set `/platform/classic/environment-api/v2/metrics/ingest`
   * for a platform (`*.apps.dynatrace.com`) upstream, or `/metrics/ingest` for a local OneAgent.
   */
  upstreamMetricsPath?: string;
  /** Proxy mode: time limit of one upstream attempt (connect, send, answer), ms. Default 10,000. */
  upstreamTimeoutMs?: number;
  /** Proxy mode: retries of one upstream request after 429/503 or a connection that could not be opened (answers that stored nothing). Default 3. */
  retryCount?: number;
  /** Proxy mode: total time one incoming request may spend on upstream retries, ms; no retry starts past it. Default 15,000. */
  retryBudgetMs?: number;
  /** Proxy mode: first backoff ceiling, ms; attempt k waits `random() × min(retryMaxDelayMs, retryBaseMs × 2^k)` (full jitter) unless `Retry-After` says more. Default 200. */
  retryBaseMs?: number;
  /** Proxy mode: largest single backoff wait, ms. Default 5,000. */
  retryMaxDelayMs?: number;
  /**
   * Mock mode: a UDP port where StatsD datagrams (Dynatrace's flavour) are read, converted to metric
   * lines and judged as the metrics endpoint judges them (docs/spec/statsd.md); `0`: off. Default 0
   * (*decided*: a UDP listener is opened only when asked for; OneAgent listens on 18125, an
   * ActiveGate on 18126).
   */
  statsdPort?: number;
  /**
   * Mock mode: each URL (a Prometheus exporter's `/metrics`) is pulled every `scrapeIntervalMs`, its
   * answer converted and judged as the metrics endpoint judges lines (repeatable; loopback hosts only
   * unless `scrapeRemote`).
   * Default none.
   */
  scrape?: readonly string[];
  /** Time between two pulls of each `scrape` target, ms. Default 60,000 (*decided*: once a minute, the resolution of Dynatrace metrics). */
  scrapeIntervalMs?: number;
  /** Allow `scrape` targets on other hosts than loopback (*decided*: off, like the `Host` guard: a mock should not reach into a network unasked). Default `false`. */
  scrapeRemote?: boolean;
  /**
   * Serve the inspector at `/` (a live list of the requests received, each judged line by line, and
   * views of the metrics and events that arrived) and the playground at `/playground`
   * (`docs/inspector.md`). Default: on in mock mode when `host` is a loopback address and `workers`
   * is 1, off otherwise (*decided*: the page shows payloads, so it is not offered on other
   * interfaces unless asked for); `ingestMiddleware` and `fastifyIngest` default to off, so they
   * never take `/` from an app.
   */
  ui?: boolean;
  /**
   * Inspector: request bodies kept in memory for the detail view, the download and the data views,
   * in bytes for all requests together; the oldest bodies are dropped first (their requests stay in
   * the list, which keeps the last `receivedLimit` requests). Default 67,108,864 (64 MiB).
   */
  uiBodyBytes?: number;
  /**
   * More host names (or addresses, `[...]` for IPv6) the server's own routes answer to, beside
   * `localhost`, `127.0.0.1`, `[::1]` and the bound `host`: the inspector, its API and stream,
   * `/metrics` and `/_dt-ingest/received` compare the `Host` header (port stripped, case ignored)
   * with this list exactly (DNS rebinding, `docs/inspector.md`). Default none. CLI: `--allow-host`,
   * repeatable.
   */
  allowHost?: readonly string[];
  /**
   * Origins (`https://app.example:8443`, `null`) whose pages may write to the server: ingest posts,
   * `DELETE` of the stored items, CSP reports. A request with an `Origin` header (a browser's request
   * from another site) is otherwise answered 403 unless the origin is the server itself; requests
   * without `Origin` (agents, SDKs, curl) are not affected. Default none. CLI: `--allow-origin`,
   * repeatable.
   */
  allowOrigin?: readonly string[];
  /** Path prefix the handler is mounted under (stripped before matching; the Fastify plugin sets it from its prefix). Default none. */
  basePath?: string;
  /** Options of the metrics validator (limits, clock). */
  metrics?: MetricsOptions;
  /** Options of the JSON body validators (limits, clock). */
  events?: EventsOptions;
  /** Options of the OTLP metrics validator (limits, decided rules; `src/protocol/otlp-options.ts`). */
  otlp?: OtlpOptions;
  /** Random source for faults and jitter (tests make it deterministic). Default `Math.random`. */
  random?: () => number;
}

/** The scalar fields of {@link ServeOptions}: the table the CLI derives its flags from. */
export type ServeScalarOptions = Omit<ServeOptions, 'metrics' | 'events' | 'otlp' | 'random'>;

/**
 * The defaults, one place (evidence and reasons in {@link ServeOptions}).
 * @example SERVE_DEFAULTS.host // '127.0.0.1'
 */
export const SERVE_DEFAULTS: Readonly<Required<ServeScalarOptions>> = Object.freeze({
  port: 0,
  host: '127.0.0.1',
  mode: 'mock' as ServeMode,
  upstream: '',
  filter: false,
  requireToken: false,
  record: '',
  receivedLimit: 1000,
  fault429Rate: 0,
  fault503Rate: 0,
  faultRetryAfterSeconds: 1,
  latencyMs: 0,
  maxConcurrent: 256,
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderBytes: 16_384,
  lingerMs: 2_000,
  shutdownTimeoutMs: 10_000,
  drainDelayMs: 0,
  workers: 1,
  workerRestartsPerMinute: 10,
  upstreamMaxBytes: METRICS_DEFAULTS.maxBodyBytes,
  upstreamMetricsPath: endpoint('metrics').path,
  upstreamTimeoutMs: 10_000,
  retryCount: RETRY_DEFAULTS.retryCount,
  retryBudgetMs: RETRY_DEFAULTS.retryBudgetMs,
  retryBaseMs: RETRY_DEFAULTS.retryBaseMs,
  retryMaxDelayMs: RETRY_DEFAULTS.retryMaxDelayMs,
  statsdPort: 0,
  scrape: Object.freeze([]) as readonly string[],
  scrapeIntervalMs: 60_000,
  scrapeRemote: false,
  // the CLI switch's value when absent; resolveServeOptions decides an absent `ui` (see ServeOptions.ui)
  ui: false,
  uiBodyBytes: 64 * 1024 * 1024,
  allowHost: Object.freeze([]) as readonly string[],
  allowOrigin: Object.freeze([]) as readonly string[],
  basePath: '',
});

/**
 * One line of help per option, shown by `dt-ingest serve --help` beside each flag (the default is
 * printed from {@link SERVE_DEFAULTS}, or from `default` where the table value alone would mislead).
 * @example SERVE_HELP.maxConcurrent.text // 'ingest requests at work at once; more are answered 503'
 */
export const SERVE_HELP: Readonly<Record<keyof ServeScalarOptions, { text: string; default?: string }>> = Object.freeze({
  port: { text: 'TCP port; 0 picks a free one' },
  host: { text: 'interface to bind' },
  mode: { text: 'mock (answer and keep) or proxy (validate and forward)' },
  upstream: { text: 'proxy: base URL of the real environment' },
  filter: { text: 'proxy: forward only the valid metric lines' },
  requireToken: { text: 'answer 401 without an Authorization token (every route but /healthz, the inspector too)' },
  record: { text: 'mock: append every accepted item to this NDJSON file' },
  receivedLimit: { text: 'accepted items kept per route (mock), and requests the inspector lists' },
  fault429Rate: { text: 'mock: share of ingest requests answered 429' },
  fault503Rate: { text: 'mock: share of ingest requests answered 503' },
  faultRetryAfterSeconds: { text: 'Retry-After of injected and busy answers' },
  latencyMs: { text: 'mock: added before every ingest answer' },
  maxConcurrent: { text: 'ingest requests at work at once; more are answered 503' },
  requestTimeoutMs: { text: 'whole request must arrive in time, else 408' },
  headersTimeoutMs: { text: 'headers must arrive in time' },
  keepAliveTimeoutMs: { text: 'idle keep-alive connections are closed after it' },
  maxHeaderBytes: { text: 'largest request head, else 431' },
  lingerMs: { text: 'after an answer that stops reading a body, how long the socket stays open' },
  shutdownTimeoutMs: { text: 'graceful shutdown: time for requests in flight' },
  drainDelayMs: { text: 'on SIGTERM: /readyz answers 503 this long before the listener closes' },
  workers: { text: 'processes on one port (node:cluster)' },
  workerRestartsPerMinute: { text: 'crashed workers restarted within any minute' },
  upstreamMaxBytes: { text: 'proxy: largest upstream request; bigger metrics bodies are split' },
  upstreamMetricsPath: { text: 'proxy: the upstream path metrics go to' },
  upstreamTimeoutMs: { text: 'proxy: time limit of one upstream attempt' },
  retryCount: { text: 'proxy: retries of one upstream request' },
  retryBudgetMs: { text: 'proxy: time one request may spend on retries' },
  retryBaseMs: { text: 'proxy: first backoff ceiling' },
  retryMaxDelayMs: { text: 'proxy: largest backoff wait' },
  statsdPort: { text: 'mock: UDP port read as StatsD, converted and judged as metric lines (0: off)' },
  scrape: { text: 'mock: a Prometheus /metrics URL pulled, converted and judged (repeatable; loopback unless --scrape-remote)' },
  scrapeIntervalMs: { text: 'mock: time between two pulls of each --scrape target' },
  scrapeRemote: { text: 'mock: allow --scrape targets on non-loopback hosts' },
  ui: { text: 'the inspector at / and the playground at /playground (--no-ui: off)', default: 'on in mock mode on a loopback host with one worker, else off' },
  uiBodyBytes: { text: 'inspector: request body bytes kept in memory, oldest dropped first' },
  allowHost: { text: "another Host name the server's own routes answer to (repeatable)" },
  allowOrigin: { text: 'an origin whose web pages may write here (repeatable; others with an Origin header get 403)' },
  basePath: { text: 'path prefix stripped before matching (embedding)' },
});

/**
 * Fixed limits of the converted intake (`converted.ts`: the Influx write routes, the StatsD listener,
 * the scrape loop), not flags. All *decided*; each bounds memory or work whatever the senders do.
 * @example CONVERTED_LIMITS.flushLines // 1000
 */
export const CONVERTED_LIMITS = Object.freeze({
  /**
   * Converted lines judged as one metrics request: what an agent puts in one request (Telegraf's
   * Dynatrace output and the metric-utils libraries send at most 1,000 lines per request).
   */
  flushLines: 1000,
  /** StatsD: converted lines waiting for their judgment are judged at least this often, ms. */
  statsdFlushMs: 1000,
  /** StatsD: datagrams read per flush interval; more are dropped unread and counted (a flood). */
  statsdDatagramsPerFlush: 10_000,
  /** StatsD: lines waiting for judgment at most; the datagrams that would add more are dropped and counted. */
  statsdMaxPendingLines: 20_000,
  /** Scrape: largest answer read, bytes; a larger one is cut off and reported. */
  scrapeMaxBytes: 16 * 1024 * 1024,
  /** Scrape: time limit of one pull, ms. */
  scrapeTimeoutMs: 10_000,
  /** Influx write routes: largest request body, bytes (after gzip), else 413. */
  influxMaxBodyBytes: 16 * 1024 * 1024,
});

/**
 * Fixed limits of the inspector (not flags): each bounds the memory or the work one page can cause.
 * All *decided*.
 * @example INSPECTOR_LIMITS.clientBufferBytes // 262144
 */
export const INSPECTOR_LIMITS = Object.freeze({
  /** Body bytes the detail view shows (drawn a screenful at a time); the rest is reached through the download. */
  previewBytes: 8 * 1024 * 1024,
  /** Bodies up to this size come with their exact bytes in the detail, for copy as curl (larger: the download). */
  curlInlineBytes: 64 * 1024,
  /** Live pages (event streams) at once; one more is answered 503. */
  maxClients: 16,
  /** Bytes waiting to be sent to one page; past it the page misses updates and is told how many. */
  clientBufferBytes: 256 * 1024,
  /** Updates go out in batches, at most this often, ms. */
  flushMs: 100,
  /** Requests in one batch; more within one flush are counted as missed. */
  batchMax: 500,
  /** A comment line keeps an idle stream open (and finds a closed one), ms. */
  heartbeatMs: 15_000,
  /** Newest body bytes the metrics and events views read. */
  viewBytes: 8 * 1024 * 1024,
  /** Metric keys, series, and points per series, in the metrics view. */
  maxKeys: 300,
  maxSeries: 600,
  seriesPoints: 120,
  /** Distinct dimension key sets listed per metric key. */
  dimensionSets: 20,
  /** Rows and columns of the events view; longer cell values are cut. */
  eventRows: 500,
  eventColumns: 40,
  cellChars: 300,
  /** Characters of an answer kept for the detail view (a long warnings list is cut there). */
  answerChars: 64 * 1024,
  /** Answers passed on as text (proxy mode) up to this length are read as JSON for the list. */
  parsedAnswerChars: 1024 * 1024,
  /** Problems one detail lists (the count says how many there are). */
  maxProblems: 2000,
  /** CSP violation reports kept (the newest), and the largest one read. */
  cspReportsKept: 10,
  cspReportBytes: 16 * 1024,
  /** CSP reports taken a minute (a fixed window); more are answered 429 and not counted. */
  cspReportsPerMinute: 60,
  /** Rows of the fix mode diff. */
  fixRows: 1000,
  /** Characters of a body shown in the list (and searched there). */
  snippetChars: 160,
  /** Requests a body search answers at most. */
  searchResults: 1000,
  /** Requests one export of the filtered problems (JSON, SARIF) lists at most, newest first. */
  exportRequests: 5000,
  /** Problems one export lists at most (bodies judged: at most `viewBytes` of them). */
  exportProblems: 20_000,
});

/** A dotted IPv4 address in 127.0.0.0/8. */
const LOOPBACK_V4 = /^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/;

/**
 * Whether a bound address (the `host` option) is a loopback address or name (`127.0.0.0/8`, `::1`,
 * `localhost`): a whole address, never a prefix (`127.evil.example` is a name). Request `Host`
 * headers are checked by `createSiteGuard` (`guard.ts`) against an exact list.
 * @example isLoopbackHost('127.0.0.1') // true
 * @example isLoopbackHost('127.0.0.1.nip.io') // false
 */
export function isLoopbackHost(host: string): boolean {
  const h = (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host).toLowerCase();
  return h === 'localhost' || h === '::1' || LOOPBACK_V4.test(h) || h === '::ffff:127.0.0.1';
}

/** The options that are objects of a validator's options table (property names, so no endpoint id is spelled here). */
const NESTED_OPTIONS = { metrics: true, events: true, otlp: true } as const;

/** {@link ServeOptions} with every scalar field set. */
export type ResolvedServeOptions = Readonly<Required<ServeScalarOptions>> & {
  readonly metrics: MetricsOptions;
  readonly events: EventsOptions;
  readonly otlp: OtlpOptions;
  readonly random: () => number;
};

/**
 * Fills in defaults and checks every field. Throws a `TypeError` for a wrong option.
 * @example resolveServeOptions({ mode: 'proxy', upstream: 'http://127.0.0.1:9' }).retryCount // 3
 */
export function resolveServeOptions(options: ServeOptions = {}): ResolvedServeOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('dt-ingest: serve options must be an object');
  const out: Record<string, unknown> = { ...SERVE_DEFAULTS };
  for (const key of Object.keys(options) as (keyof ServeOptions)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (key in NESTED_OPTIONS) {
      if (typeof value !== 'object' || value === null) throw new TypeError(`dt-ingest: serve option ${key} must be an object`);
      out[key] = value;
      continue;
    }
    if (key === 'random') {
      if (typeof value !== 'function') throw new TypeError('dt-ingest: serve option random must be a function');
      out.random = value;
      continue;
    }
    if (!Object.hasOwn(SERVE_DEFAULTS, key)) throw new TypeError(`dt-ingest: unknown serve option '${key}'`);
    const def = (SERVE_DEFAULTS as Record<string, unknown>)[key];
    if (typeof def === 'number') {
      if (typeof value !== 'number' || Number.isNaN(value) || value < 0) throw new TypeError(`dt-ingest: serve option ${key} must be a non-negative number`);
    } else if (typeof def === 'boolean') {
      if (typeof value !== 'boolean') throw new TypeError(`dt-ingest: serve option ${key} must be a boolean`);
    } else if (Array.isArray(def)) {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === ''))
        throw new TypeError(`dt-ingest: serve option ${key} must be an array of non-empty strings`);
      out[key] = Object.freeze([...(value as string[])]);
      continue;
    } else if (typeof value !== 'string') {
      throw new TypeError(`dt-ingest: serve option ${key} must be a string`);
    }
    out[key] = value;
  }
  if (out.mode !== 'mock' && out.mode !== 'proxy') throw new TypeError(`dt-ingest: serve option mode must be 'mock' or 'proxy', not '${String(out.mode)}'`);
  for (const rate of ['fault429Rate', 'fault503Rate'] as const) {
    if ((out[rate] as number) > 1) throw new TypeError(`dt-ingest: serve option ${rate} must lie in 0..1`);
  }
  if ((out.fault429Rate as number) + (out.fault503Rate as number) > 1) throw new TypeError('dt-ingest: fault429Rate + fault503Rate must not exceed 1');
  const port = out.port as number;
  if (!Number.isInteger(port) || port > 65_535) throw new TypeError('dt-ingest: serve option port must be an integer 0..65535');
  if (!Number.isInteger(out.workers) || (out.workers as number) < 1) throw new TypeError('dt-ingest: serve option workers must be a positive integer');
  if (!Number.isInteger(out.upstreamMaxBytes) || (out.upstreamMaxBytes as number) < 1)
    throw new TypeError('dt-ingest: serve option upstreamMaxBytes must be a positive integer');
  if (!Number.isInteger(out.uiBodyBytes)) throw new TypeError('dt-ingest: serve option uiBodyBytes must be an integer');
  if (!Number.isInteger(out.workerRestartsPerMinute) || (out.workerRestartsPerMinute as number) < 1)
    throw new TypeError('dt-ingest: serve option workerRestartsPerMinute must be a positive integer');
  if (!((out.maxConcurrent as number) >= 1)) throw new TypeError('dt-ingest: serve option maxConcurrent must be at least 1');
  if (out.mode === 'proxy') {
    const upstream = out.upstream as string;
    if (upstream === '') throw new TypeError('dt-ingest: proxy mode needs an upstream URL');
    let url: URL;
    try {
      url = new URL(upstream);
    } catch {
      throw new TypeError(`dt-ingest: upstream '${upstream}' is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('dt-ingest: upstream must be an http or https URL');
    if (url.username !== '' || url.password !== '')
      throw new TypeError("dt-ingest: upstream must not carry credentials; the caller's Authorization header is passed through");
    // keep the base path without a trailing slash: routes are appended to it
    let base = url.origin + url.pathname;
    while (base.endsWith('/')) base = base.slice(0, -1);
    out.upstream = base;
  }
  if (out.filter === true && out.mode !== 'proxy') throw new TypeError('dt-ingest: filter applies to proxy mode only');
  if (!Number.isInteger(out.statsdPort) || (out.statsdPort as number) > 65_535)
    throw new TypeError('dt-ingest: serve option statsdPort must be an integer 0..65535');
  if (!((out.scrapeIntervalMs as number) >= 100)) throw new TypeError('dt-ingest: serve option scrapeIntervalMs must be at least 100');
  for (const target of out.scrape as readonly string[]) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new TypeError(`dt-ingest: scrape target '${target}' is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`dt-ingest: scrape target '${target}' must be an http or https URL`);
    if (out.scrapeRemote !== true && !isLoopbackHost(url.hostname))
      throw new TypeError(`dt-ingest: scrape target '${target}' is not on a loopback host (allow it with scrapeRemote / --scrape-remote)`);
  }
  if ((out.statsdPort !== 0 || (out.scrape as readonly string[]).length > 0) && out.mode !== 'mock')
    throw new TypeError('dt-ingest: statsdPort and scrape apply to mock mode only');
  if (out.record !== '' && out.mode !== 'mock') throw new TypeError('dt-ingest: record applies to mock mode only');
  const metricsPath = out.upstreamMetricsPath as string;
  if (!metricsPath.startsWith('/') || metricsPath.includes('?') || metricsPath.includes('#'))
    throw new TypeError('dt-ingest: serve option upstreamMetricsPath must be a path starting with /');
  let basePath = out.basePath as string;
  while (basePath.endsWith('/')) basePath = basePath.slice(0, -1);
  if (basePath !== '' && !basePath.startsWith('/')) basePath = '/' + basePath;
  out.basePath = basePath;
  if (!Object.hasOwn(options, 'ui') || options.ui === undefined) out.ui = out.mode === 'mock' && isLoopbackHost(out.host as string) && out.workers === 1;
  out.metrics ??= {};
  out.events ??= {};
  out.otlp ??= {};
  out.random ??= Math.random;
  return Object.freeze(out) as unknown as ResolvedServeOptions;
}
