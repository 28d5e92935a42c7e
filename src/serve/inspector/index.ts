/**
 * The inspector of `dt-ingest serve` (`ui` option, `docs/inspector.md`): the page at `/`, the
 * playground at `/playground`, their files under `/_dt-ingest/ui/assets/`, and the JSON API and live
 * stream under `/_dt-ingest/ui/api/`. Every ingest request (and every request to a path that is no
 * endpoint) is recorded after its answer is written, from what the handler already holds; the pages'
 * views are built only when a page asks.
 *
 * - With `requireToken` the pages and the API need a token, as every other route but `/healthz`:
 *   `Authorization: Api-Token|Bearer <token>`, or, for a browser, HTTP Basic with the token as the
 *   password (the server checks that a token is there, not its value, as on the ingest routes).
 * - The pages, the API and the stream answer only to a `Host` header naming this server exactly
 *   (`guard.ts`: loopback names, the bound address, `allowHost`), so a web site that rebinds its name
 *   to 127.0.0.1 cannot read them; a write (`DELETE`, a CSP report) that carries an `Origin` must come
 *   from the server's own pages (or `allowOrigin`).
 * - CSP reports are counted at most `cspReportsPerMinute` a minute (a fixed window): a page cannot
 *   inflate the counter, and the work a flood of reports causes is bounded.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LineProtocolAnalyzer } from '../../analyze/index.js';
import { errorBody, hasToken, readBody, writeAnswer, type Answer } from '../http.js';
import type { ServeMetrics } from '../metrics.js';
import type { MockStore } from '../mock-store.js';
import { createSiteGuard, crossSiteMessage, wrongHostMessage } from '../guard.js';
import { INSPECTOR_LIMITS, type ResolvedServeOptions } from '../options.js';
import { splitTarget } from '../route-table.js';
import { AssetStore, CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './assets.js';
import { LiveHub } from './hub.js';
import { RequestLog } from './log.js';
import { ListIndex, PAGE_MAX, listAsk, listPage, listSummary } from './listing.js';
import { buildRecord, type ExchangeNotes, type RequestRecord } from './record.js';
import { EXPORT_FORMATS, bodyFileName, exportProblems, type ExportFormat } from './export.js';
import { bodyOf, eventsView, fixDiff, fixedBody, metricsView, requestDetail, searchBodies, type EventsView, type MetricsView } from './views.js';

export { LiveHub, type LiveHubLimits } from './hub.js';
export { RequestLog } from './log.js';
export { AssetStore, CONTENT_SECURITY_POLICY } from './assets.js';
export { redactHeaders, countLineRanges, REDACTED, type RequestSummary, type RequestRecord, type Accounting, type ExchangeNotes } from './record.js';
export { parseQuery, matchesQuery, toggleTerm, type InspectorQuery, type QueryContext } from './query.js';
export { ListIndex, type ListPage, type ListSummary, type SummaryEntry } from './listing.js';
export { exportProblems, bodyFileName, EXPORT_FORMATS, type ExportFormat, type ProblemExport } from './export.js';
export type { RequestDetail, PlacedProblem, FixDiff, FixRow, MetricsView, MetricKeyView, SeriesView, EventsView } from './views.js';

/**
 * Prefix of the inspector's own paths (its files and its API).
 * @example INSPECTOR_PREFIX + 'api/requests' // '/_dt-ingest/ui/api/requests'
 */
export const INSPECTOR_PREFIX = '/_dt-ingest/ui/';
const API = INSPECTOR_PREFIX + 'api/';
const ASSETS = INSPECTOR_PREFIX + 'assets/';

/**
 * The inspector of one handler.
 * @example
 * const inspector = createInspector(options, store, stats);
 * if (inspector.owns(pathname)) return inspector.handle(req, res, pathname, search);
 */
export interface Inspector {
  /** The requests listed. */
  readonly log: RequestLog;
  /** The open pages. */
  readonly hub: LiveHub;
  /** The cardinality budget of the metrics bodies received (`GET api/budget`), bounded by the analyzer's options. */
  readonly budget: LineProtocolAnalyzer;
  /** Content-Security-Policy violations reported by the pages since start. */
  readonly cspViolations: number;
  /** Whether a path is one of the inspector's. */
  owns(pathname: string): boolean;
  /** Answers one of its own requests. */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string, search: string): void;
  /** Fresh notes for an ingest request (the routes fill them in). */
  notes(): ExchangeNotes;
  /** Records one answered request and sends it to the open pages. */
  record(req: IncomingMessage, res: ServerResponse, route: string, started: number, bytes: number, answer: Answer, notes: ExchangeNotes | undefined): void;
  /** Ends the live streams (shutdown). */
  close(): void;
}

/**
 * Whether an `Authorization` header carries a token for the pages: `Api-Token`/`Bearer` as on every
 * route, or HTTP Basic with a non-empty password (what a browser sends after asking for it).
 * @example pageToken('Basic ' + btoa('me:dt0c01.abc')) // true
 */
export function pageToken(header: string | undefined): boolean {
  if (hasToken(header)) return true;
  if (header === undefined || header.slice(0, 6).toLowerCase() !== 'basic ') return false;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && decoded.length > colon + 1;
}

/** A memo of one view, rebuilt when the list changed. */
function memo<T>(log: RequestLog, build: (records: RequestRecord[]) => T): () => T {
  let version = -1;
  let value: T | undefined;
  return () => {
    if (version !== log.version || value === undefined) {
      value = build(log.list());
      version = log.version;
    }
    return value;
  };
}

/**
 * Creates the inspector of a handler.
 * @param options the handler's resolved options
 * @param store the mock's items (cleared and exported with the list)
 * @param stats the handler's counters (its requests count under the route `inspector`)
 * @param assets where the built files come from (tests pass their own)
 * @example const inspector = createInspector(resolveServeOptions({ ui: true }), new MockStore(1000), new ServeMetrics());
 */
export function createInspector(options: ResolvedServeOptions, store: MockStore, stats: ServeMetrics, assets: AssetStore = new AssetStore()): Inspector {
  const o = options;
  const log = new RequestLog(o.receivedLimit, o.uiBodyBytes);
  const hub = new LiveHub();
  const proxy = o.mode === 'proxy';
  const guard = createSiteGuard(o);
  const cspReports: unknown[] = [];
  let cspViolations = 0;
  /** Reports taken in the current minute (a fixed window: one counter, one timestamp). */
  let cspWindowStart = 0;
  let cspInWindow = 0;
  /** Requests the inspector could not record or answer (a bug): shown in the list's answer. */
  let failures = 0;
  const metrics = memo<MetricsView>(log, metricsView);
  const events = memo<EventsView>(log, eventsView);
  const index = new ListIndex();
  // the budget of what the mock received: every metrics body it judged (its valid lines are what the
  // endpoint keeps), each at its arrival time; memory bounded by the analyzer's options whatever arrives
  let budget = new LineProtocolAnalyzer();
  const addToBudget = (notes: ExchangeNotes | undefined, status: number, id: number): void => {
    // mock mode only: a proxy's hot path does not read every body twice (the page says so)
    if (proxy || notes?.metricsOptions === undefined || (status !== 202 && status !== 400)) return;
    budget.analyzer.clock = Date.now();
    budget.analyzer.source = `request ${id}`;
    for (const chunk of notes.chunks) budget.push(chunk);
    budget.end();
  };

  const send = (res: ServerResponse, started: number, answer: Answer): void => {
    stats.request('inspector', answer.status, (performance.now() - started) / 1000, 0);
    writeAnswer(res, { ...answer, headers: { ...SECURITY_HEADERS, 'cache-control': 'no-store', ...answer.headers } }, false);
  };
  const json = (res: ServerResponse, started: number, body: unknown): void => send(res, started, { status: 200, body });
  const fail = (res: ServerResponse, started: number, status: number, message: string, headers?: Record<string, string>): void =>
    send(res, started, { status, body: errorBody(status, message), ...(headers !== undefined ? { headers } : {}) });

  const file = (req: IncomingMessage, res: ServerResponse, started: number, name: string, page: boolean): void => {
    const asset = assets.get(name);
    if (asset === undefined) {
      if (assets.dir === undefined) return fail(res, started, 503, "The inspector's files are not built: run `npm run build` in the dt-ingest package.");
      return fail(res, started, 404, `No inspector file ${name}.`);
    }
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      'content-type': asset.type,
      etag: asset.etag,
      'cache-control': 'no-cache',
      vary: 'accept-encoding',
    };
    if (page) headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
    if (req.headers['if-none-match'] === asset.etag) {
      stats.request('inspector', 304, (performance.now() - started) / 1000, 0);
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gzip = asset.gzip !== undefined && (req.headers['accept-encoding'] ?? '').includes('gzip');
    const body = gzip ? asset.gzip! : asset.body;
    if (gzip) headers['content-encoding'] = 'gzip';
    headers['content-length'] = String(body.length);
    stats.request('inspector', 200, (performance.now() - started) / 1000, 0);
    res.writeHead(200, headers);
    res.end(body);
  };

  const download = (res: ServerResponse, started: number, name: string, body: Uint8Array | string, type: string): void => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    stats.request('inspector', 200, (performance.now() - started) / 1000, 0);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': type,
      'content-disposition': `attachment; filename="${name}"`,
      'content-length': String(bytes.length),
      'cache-control': 'no-store',
      // never rendered as a page, even if opened
      'content-security-policy': "default-src 'none'; sandbox",
    });
    res.end(bytes);
  };

  const info = (): Record<string, unknown> => ({
    mode: o.mode,
    upstream: proxy ? o.upstream : null,
    filter: o.filter,
    requireToken: o.requireToken,
    limit: log.limit,
    total: log.total,
    // the page compares it with the stream's hello: a read that saw it misses nothing
    version: log.version,
    bodyBytes: log.bodyBytes,
    keptBytes: log.bytesKept,
    cspViolations,
    failures,
  });
  /**
   * Without `limit`: the newest {@link PAGE_MAX} listed requests, oldest first, and how many older ones
   * were left out (`omitted`): an answer's size is bounded whatever `receivedLimit` is. With `limit`:
   * one page of a query, newest first (listing.ts).
   */
  const list = (search: string): unknown => {
    const params = new URLSearchParams(search);
    if (!params.has('limit')) {
      const all = log.list();
      const from = Math.max(0, all.length - PAGE_MAX);
      return { ...info(), omitted: from, items: all.slice(from).map((r) => r.summary) };
    }
    return { ...info(), ...listPage(log.list(), listAsk(params), index) };
  };

  const requestRoute = (res: ServerResponse, started: number, rest: string): void => {
    const slash = rest.indexOf('/');
    const idText = slash < 0 ? rest : rest.slice(0, slash);
    const action = slash < 0 ? '' : rest.slice(slash + 1);
    const id = Number(idText);
    const record = Number.isInteger(id) && id > 0 ? log.get(id) : undefined;
    if (record === undefined)
      return fail(res, started, 404, `No request ${idText.slice(0, 40)} in the list (it may have been dropped: the list keeps the last ${log.limit}).`);
    if (action === '') return json(res, started, requestDetail(record));
    const body = bodyOf(record);
    if (body === undefined)
      return fail(res, started, 404, `The body of request ${id} is not kept (none was read, or it was dropped to stay within ${o.uiBodyBytes} bytes).`);
    if (action === 'body') return download(res, started, bodyFileName(record), body, 'application/octet-stream');
    if (record.summary.route !== 'metrics') return fail(res, started, 404, 'Fix mode applies to metrics bodies only.');
    if (action === 'fix') return json(res, started, fixDiff(record, body));
    if (action === 'fixed') return download(res, started, `dt-ingest-request-${id}-fixed.txt`, fixedBody(record, body), 'application/octet-stream');
    return fail(res, started, 404, `No such action: ${action.slice(0, 40)}.`);
  };

  /** The filtered problems as the CLI's JSON or SARIF (export.ts). */
  const problems = (res: ServerResponse, started: number, search: string): void => {
    const params = new URLSearchParams(search);
    const format = params.get('format') ?? 'json';
    if (!(EXPORT_FORMATS as readonly string[]).includes(format))
      return fail(res, started, 400, `No export format ${format.slice(0, 40)}: use ${EXPORT_FORMATS.join(' or ')}.`);
    const out = exportProblems(log.list(), (params.get('q') ?? '').slice(0, 2000), format as ExportFormat, index);
    const type = format === 'sarif' ? 'application/sarif+json' : 'application/json';
    res.setHeader('x-dt-ingest-export', `requests=${out.requests}; problems=${out.problems}; matched=${out.matched}; cut=${out.cut}`);
    return download(res, started, `dt-ingest-problems.${format}`, out.text, type);
  };

  const cspReport = (req: IncomingMessage, res: ServerResponse, started: number): void => {
    const now = Date.now();
    if (now - cspWindowStart >= 60_000) {
      cspWindowStart = now;
      cspInWindow = 0;
    }
    if (cspInWindow >= INSPECTOR_LIMITS.cspReportsPerMinute)
      return fail(res, started, 429, `At most ${INSPECTOR_LIMITS.cspReportsPerMinute} CSP reports a minute are taken.`, { 'retry-after': '60' });
    cspInWindow++;
    const chunks: Uint8Array[] = [];
    void readBody(req, INSPECTOR_LIMITS.cspReportBytes, (c) => chunks.push(c)).then((read) => {
      if (read.kind !== 'done') return fail(res, started, 413, `A CSP report is at most ${INSPECTOR_LIMITS.cspReportBytes} bytes.`);
      cspViolations++;
      try {
        cspReports.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        cspReports.push(null);
      }
      if (cspReports.length > INSPECTOR_LIMITS.cspReportsKept) cspReports.shift();
      send(res, started, { status: 204, body: null });
    });
  };

  const api = (req: IncomingMessage, res: ServerResponse, started: number, path: string, search: string): void => {
    const method = req.method ?? 'GET';
    if (path === 'csp-report') {
      if (method !== 'POST') return fail(res, started, 405, 'Use POST.', { allow: 'POST' });
      return cspReport(req, res, started);
    }
    if (path === 'requests' && method === 'DELETE') {
      log.clear();
      store.clear();
      budget = new LineProtocolAnalyzer();
      hub.broadcast('cleared', '{}');
      return send(res, started, { status: 204, body: null });
    }
    if (method !== 'GET' && method !== 'HEAD')
      return fail(res, started, 405, `Method ${method} is not allowed here.`, { allow: path === 'requests' ? 'GET, HEAD, DELETE' : 'GET, HEAD' });
    if (path === 'requests') return json(res, started, list(search));
    if (path === 'summary') return json(res, started, listSummary(log.list(), (new URLSearchParams(search).get('q') ?? '').slice(0, 2000), index));
    if (path.startsWith('requests/')) return requestRoute(res, started, path.slice(9));
    if (path === 'stream') {
      if (!hub.attach(res, log.version)) return fail(res, started, 503, 'Too many inspector pages are open.', { 'retry-after': '5' });
      stats.request('inspector', 200, (performance.now() - started) / 1000, 0);
      return;
    }
    if (path === 'metrics') return json(res, started, metrics());
    if (path === 'events') return json(res, started, events());
    if (path === 'budget') return json(res, started, budget.report());
    if (path === 'search') {
      const q = new URLSearchParams(search).get('q') ?? '';
      return json(res, started, { q, ids: searchBodies(log.list(), q) });
    }
    if (path === 'csp') return json(res, started, { violations: cspViolations, reports: cspReports });
    if (path === 'problems') return problems(res, started, search);
    if (path === 'export') return download(res, started, 'dt-ingest-received.ndjson', store.exportNdjson(), 'application/x-ndjson');
    return fail(res, started, 404, `No inspector API at ${path.slice(0, 80)}.`);
  };

  const inspector: Inspector = {
    log,
    hub,
    get budget() {
      return budget;
    },
    get cspViolations() {
      return cspViolations;
    },
    owns: (pathname) => pathname === '/' || pathname === '/playground' || pathname.startsWith(INSPECTOR_PREFIX),
    handle(req, res, pathname, search) {
      const started = performance.now();
      try {
        answerPage(req, res, pathname, search, started);
      } catch (err) {
        // a page's request never takes the server down
        failures++;
        if (!res.headersSent) fail(res, started, 500, `dt-ingest inspector: internal error: ${err instanceof Error ? err.message : String(err)}`);
        else res.destroy();
      }
    },
    notes: () => ({ chunks: [], rules: [] }),
    record(req, res, route, started, bytes, answer, notes) {
      try {
        const record = buildRecord(log.takeId(), { req, res, route, started, bytes, answer, notes, proxy }, log.limit === 0 ? 0 : log.bodyBytes);
        log.add(record);
        hub.publish(record.summary);
        addToBudget(notes, answer.status, record.summary.id);
      } catch {
        // never fails an ingest request (its answer is out already); counted, shown in the list
        failures++;
      }
    },
    close() {
      hub.close();
    },
  };
  function answerPage(req: IncomingMessage, res: ServerResponse, pathname: string, search: string, started: number): void {
    if (!guard.hostAllowed(req)) return fail(res, started, 403, `The inspector: ${wrongHostMessage(guard)}`);
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && !guard.originAllowed(req)) return fail(res, started, 403, crossSiteMessage(req.headers.origin ?? ''));
    const isReport = pathname === API + 'csp-report';
    // reports carry no credentials; they only count
    if (o.requireToken && !isReport && !pageToken(req.headers.authorization)) {
      return fail(
        res,
        started,
        401,
        'Missing authorization parameter. The inspector needs a token (--require-token): sign in with any user name and a token as the password.',
        {
          'www-authenticate': 'Basic realm="dt-ingest inspector", charset="UTF-8"',
        },
      );
    }
    if (pathname === '/' || pathname === '/playground' || pathname.startsWith(ASSETS)) {
      if (method !== 'GET' && method !== 'HEAD') return fail(res, started, 405, `Method ${method} is not allowed here; use GET.`, { allow: 'GET, HEAD' });
      if (pathname === '/') {
        // mounted under a path (`/dt`): the page's relative links need the trailing slash
        const asked = splitTarget((req as { originalUrl?: string }).originalUrl ?? req.url ?? '/').pathname;
        if (!asked.endsWith('/')) return send(res, started, { status: 308, body: null, headers: { location: asked + '/' + search } });
        return file(req, res, started, 'inspector.html', true);
      }
      if (pathname === '/playground') return file(req, res, started, 'playground.html', true);
      return file(req, res, started, 'assets/' + pathname.slice(ASSETS.length), false);
    }
    if (pathname.startsWith(API)) return api(req, res, started, pathname.slice(API.length), search);
    return fail(res, started, 404, `No inspector path ${pathname.slice(0, 80)}.`);
  }
  return inspector;
}
