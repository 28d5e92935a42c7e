/**
 * The routes, matched with plain string operations: the ingest endpoints of the endpoint table
 * (`src/endpoints/`, with their aliases, also under the ActiveGate prefix `/e/{environmentId}`) and the
 * server's own routes (`/healthz`, `/readyz`, `/metrics`, `/_dt-ingest/received`).
 *
 * @module
 */
import { matchEndpoint, type Endpoint, type EndpointId } from '../endpoints/index.js';

/** Name of an ingest route: the endpoint's id (also the key of the mock store and the `route` label of the metrics). */
export type IngestRouteName = EndpointId;

/** Name of one of the server's own routes. */
export type ControlRouteName = 'healthz' | 'readyz' | 'metrics-text' | 'received';

/** Path of the received items of the mock mode. */
export const RECEIVED_PATH = '/_dt-ingest/received';

/** Result of {@link matchRoute}. */
export type RouteMatch =
  | {
      kind: 'ingest';
      route: Endpoint;
      /** The endpoint path as received, without `/e/{id}`. */
      path: string;
      /** The decoded path parameter (`route.pathParam`), if the endpoint has one. */
      param: string | undefined;
    }
  | { kind: 'control'; name: ControlRouteName; methods: readonly string[] }
  | { kind: 'none' /** The parameter's name, when the path is an ingest path whose parameter is not valid percent-encoding. */; badParam?: string };

/**
 * Matches a request path (query string already removed) against the endpoint table. The ActiveGate
 * prefix `/e/{environmentId}` is accepted in front of every ingest route.
 * @example matchRoute('/e/abc123/api/v2/metrics/ingest') // { kind: 'ingest', route: <metrics>, path: '/api/v2/metrics/ingest', param: undefined }
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
  const match = matchEndpoint(path);
  if (match === undefined) return { kind: 'none' };
  if ('badParam' in match) return { kind: 'none', badParam: match.badParam };
  return { kind: 'ingest', route: match.endpoint, path, param: match.param };
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
