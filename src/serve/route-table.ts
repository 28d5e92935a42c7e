/**
 * The routes of the real ingest endpoints, matched with plain string operations: the ingest routes
 * (also under the ActiveGate prefix `/e/{environmentId}`), the other paths real clients post metrics
 * to, and the server's own routes (`/healthz`, `/readyz`, `/metrics`, `/_dt-ingest/received`).
 *
 * @module
 */

/** Name of an ingest route (also the key of the mock store and the `route` label of the metrics). */
export type IngestRouteName = 'metrics' | 'events' | 'smartscape' | 'synthetic' | 'customDevice';

/** Name of one of the server's own routes. */
export type ControlRouteName = 'healthz' | 'readyz' | 'metrics-text' | 'received';

/** What an ingest route accepts. */
export interface IngestRoute {
  name: IngestRouteName;
  /** The endpoint path (for the custom device route, the prefix before `{customDeviceId}`). */
  path: string;
  /** Envelope family of its error answers. */
  family: 'classic' | 'platform';
  /** Accepted media types (lower case, without parameters). */
  contentTypes: readonly string[];
}

/**
 * The ingest routes as the real endpoints have them.
 * Content types: metrics `text/plain` (*docs*); the JSON bodies `application/json` (*docs*), generic
 * events also the CloudEvents types their docs list. A request without `Content-Type` is accepted
 * (*decided*: the body is judged instead).
 * @example INGEST_ROUTES.metrics.path // '/api/v2/metrics/ingest'
 */
export const INGEST_ROUTES: Readonly<Record<IngestRouteName, IngestRoute>> = Object.freeze({
  metrics: { name: 'metrics', path: '/api/v2/metrics/ingest', family: 'classic', contentTypes: ['text/plain'] },
  events: {
    name: 'events',
    path: '/platform/ingest/v1/events',
    family: 'platform',
    contentTypes: [
      'application/json',
      'application/cloudevent+json',
      'application/cloudevents+json',
      'application/cloudevent-batch+json',
      'application/cloudevents-batch+json',
    ],
  },
  smartscape: { name: 'smartscape', path: '/platform/ingest/v1/smartscape.events', family: 'platform', contentTypes: ['application/json'] },
  synthetic: { name: 'synthetic', path: '/api/v1/synthetic/ext/tests', family: 'classic', contentTypes: ['application/json'] },
  customDevice: { name: 'customDevice', path: '/api/v1/entity/infrastructure/custom/', family: 'classic', contentTypes: ['application/json'] },
} as const);

/**
 * Other paths real clients post metrics to, answered as `/api/v2/metrics/ingest`:
 * - `/platform/classic/environment-api/v2/metrics/ingest`: the platform's path of the classic API, where
 *   Dynatrace's JavaScript SDK (`@dynatrace-sdk/client-classic-environment-v2`, `metricsClient.ingest`)
 *   posts; its base URL keeps no path of its own (*docs*, developer.dynatrace.com "Ingest data");
 * - `/metrics/ingest`: the local OneAgent / ActiveGate metrics endpoint (`http://localhost:14499/metrics/ingest`),
 *   Telegraf's `outputs.dynatrace` default and that of other agents (*docs*).
 * @example METRICS_ALIASES.includes('/metrics/ingest') // true
 */
export const METRICS_ALIASES: readonly string[] = Object.freeze(['/platform/classic/environment-api/v2/metrics/ingest', '/metrics/ingest']);

/** Path of the received items of the mock mode. */
export const RECEIVED_PATH = '/_dt-ingest/received';

/** Result of {@link matchRoute}. */
export type RouteMatch =
  | { kind: 'ingest'; route: IngestRoute /** The endpoint path as received, without `/e/{id}`. */; path: string; customDeviceId?: string }
  | { kind: 'control'; name: ControlRouteName; methods: readonly string[] }
  | { kind: 'none' /** Set when the path is an ingest path whose device id is not valid percent-encoding. */; badId?: boolean };

/**
 * Matches a request path (query string already removed). The ActiveGate prefix `/e/{environmentId}`
 * is accepted in front of every ingest route.
 * @example matchRoute('/e/abc123/api/v2/metrics/ingest') // { kind: 'ingest', route: INGEST_ROUTES.metrics, path: '/api/v2/metrics/ingest' }
 */
export function matchRoute(pathname: string): RouteMatch {
  if (pathname === '/healthz') return { kind: 'control', name: 'healthz', methods: ['GET', 'HEAD'] };
  if (pathname === '/readyz') return { kind: 'control', name: 'readyz', methods: ['GET', 'HEAD'] };
  if (pathname === '/metrics') return { kind: 'control', name: 'metrics-text', methods: ['GET', 'HEAD'] };
  if (pathname === RECEIVED_PATH) return { kind: 'control', name: 'received', methods: ['GET', 'HEAD', 'DELETE'] };
  let path = pathname;
  if (path.startsWith('/e/')) {
    const slash = path.indexOf('/', 3);
    if (slash <= 3) return { kind: 'none' };
    path = path.slice(slash);
  }
  if (path === INGEST_ROUTES.metrics.path || path === METRICS_ALIASES[0] || path === METRICS_ALIASES[1])
    return { kind: 'ingest', route: INGEST_ROUTES.metrics, path };
  if (path === INGEST_ROUTES.events.path) return { kind: 'ingest', route: INGEST_ROUTES.events, path };
  if (path === INGEST_ROUTES.smartscape.path) return { kind: 'ingest', route: INGEST_ROUTES.smartscape, path };
  if (path === INGEST_ROUTES.synthetic.path) return { kind: 'ingest', route: INGEST_ROUTES.synthetic, path };
  const custom = INGEST_ROUTES.customDevice.path;
  if (path.startsWith(custom) && path.length > custom.length) {
    const raw = path.slice(custom.length);
    if (raw.indexOf('/') >= 0) return { kind: 'none' };
    let id: string;
    try {
      id = decodeURIComponent(raw);
    } catch {
      return { kind: 'none', badId: true };
    }
    return { kind: 'ingest', route: INGEST_ROUTES.customDevice, path, customDeviceId: id };
  }
  return { kind: 'none' };
}

/**
 * Splits a request target into path and query (`?` and after, or `''`).
 * @example splitTarget('/api/v2/metrics/ingest?x=1') // { pathname: '/api/v2/metrics/ingest', search: '?x=1' }
 */
export function splitTarget(url: string): { pathname: string; search: string } {
  const q = url.indexOf('?');
  return q < 0 ? { pathname: url, search: '' } : { pathname: url.slice(0, q), search: url.slice(q) };
}

/**
 * The media type of a `Content-Type` header, lower case, without parameters; `''` when absent.
 * @example mediaType('text/plain; charset=utf-8') // 'text/plain'
 */
export function mediaType(header: string | undefined): string {
  if (header === undefined) return '';
  const semi = header.indexOf(';');
  return (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
}

/**
 * The `charset` parameter of a `Content-Type` header, lower case; `''` when absent.
 * @example charsetOf('text/plain; charset=UTF-8') // 'utf-8'
 */
export function charsetOf(header: string | undefined): string {
  if (header === undefined) return '';
  const lower = header.toLowerCase();
  const at = lower.indexOf('charset=');
  if (at < 0) return '';
  let end = lower.indexOf(';', at);
  if (end < 0) end = lower.length;
  let value = lower.slice(at + 8, end).trim();
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
  return value;
}
