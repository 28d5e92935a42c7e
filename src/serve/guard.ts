/**
 * Who may reach the server's own routes, and who may write: the defence against DNS rebinding and
 * against web pages in the user's browser.
 *
 * - **Host**: every route that is not an ingest route (the inspector's pages, its API and stream,
 *   `GET /metrics`, `GET|DELETE /_dt-ingest/received`) answers only to a `Host` header that names this
 *   server exactly: `localhost`, `127.0.0.1`, `[::1]`, the bound address (`host`), or a name given with
 *   `allowHost`. The header is parsed (port stripped, case ignored) and compared whole, never by
 *   prefix: `127.0.0.1.nip.io` and `localhost.evil` are other names. A page that rebinds its own name
 *   to 127.0.0.1 sends its own name as `Host`, so it reads nothing. `/healthz` stays open (probes).
 * - **Origin**: a browser sends `Origin` on every cross-site `POST` and on every `DELETE`; a request
 *   that carries one is a write only if the origin is this server itself (an allowed host, the same
 *   port as the `Host` header) or is listed in `allowOrigin`. Requests without `Origin` (curl, agents,
 *   SDKs) are not affected: the ingest routes stay open to real clients.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { ResolvedServeOptions } from './options.js';

/** The names every local server answers to (loopback). */
const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The host name of a `Host` header (or of an origin's authority), lower case, port removed; IPv6
 * literals keep their brackets. `undefined` when the header is missing or malformed.
 * @example hostOfHeader('LocalHost:8080') // 'localhost'
 * @example hostOfHeader('[::1]:80') // '[::1]'
 * @example hostOfHeader('127.0.0.1:80:80') // undefined
 */
export function hostOfHeader(header: string | undefined): string | undefined {
  return splitAuthority(header)?.name;
}

/** Name and port (`''` when absent) of an authority, or `undefined` when malformed. */
function splitAuthority(header: string | undefined): { name: string; port: string } | undefined {
  if (header === undefined) return undefined;
  const h = header.trim().toLowerCase();
  let name: string;
  let rest: string;
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0) return undefined;
    name = h.slice(0, end + 1);
    rest = h.slice(end + 1);
  } else {
    const colon = h.indexOf(':');
    name = colon < 0 ? h : h.slice(0, colon);
    rest = colon < 0 ? '' : h.slice(colon);
  }
  if (name === '' || name === '[]') return undefined;
  if (rest === '') return { name, port: '' };
  const port = rest.slice(1);
  if (!rest.startsWith(':') || !/^[0-9]{1,5}$/.test(port)) return undefined;
  return { name, port };
}

/** The bound address as a `Host` header names it (IPv6 in brackets), lower case. */
function boundName(host: string): string {
  const h = host.toLowerCase();
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
}

/**
 * The host and origin checks of one handler.
 * @example const guard = createSiteGuard(resolveServeOptions()); guard.hostAllowed(req)
 */
export interface SiteGuard {
  /** The exact host names allowed, lower case. */
  readonly hosts: ReadonlySet<string>;
  /** Whether the request's `Host` names this server (see the module). */
  hostAllowed(req: IncomingMessage): boolean;
  /** Whether the request's `Origin`, if any, may write here (see the module). */
  originAllowed(req: IncomingMessage): boolean;
}

/**
 * Builds the checks from the options (`host`, `allowHost`, `allowOrigin`).
 * @example createSiteGuard(resolveServeOptions({ allowHost: ['dev.box'] })).hosts.has('dev.box') // true
 */
export function createSiteGuard(o: Pick<ResolvedServeOptions, 'host' | 'allowHost' | 'allowOrigin'>): SiteGuard {
  const hosts = new Set<string>(LOOPBACK_NAMES);
  hosts.add(boundName(o.host));
  for (const name of o.allowHost) {
    const parsed = hostOfHeader(name);
    if (parsed !== undefined) hosts.add(parsed);
  }
  const origins = new Set<string>();
  for (const origin of o.allowOrigin) origins.add(normalOrigin(origin));
  return {
    hosts,
    hostAllowed: (req) => {
      const name = hostOfHeader(req.headers.host);
      return name !== undefined && hosts.has(name);
    },
    originAllowed: (req) => {
      const origin = req.headers.origin;
      if (origin === undefined) return true;
      if (origins.has(normalOrigin(origin))) return true;
      return sameServer(origin, req.headers.host, hosts);
    },
  };
}

/** An origin as compared: lower case, without a trailing slash. */
function normalOrigin(origin: string): string {
  const o = origin.trim().toLowerCase();
  return o.endsWith('/') ? o.slice(0, -1) : o;
}

/** Whether an origin is this server: an allowed host, and the authority of the `Host` header. */
function sameServer(origin: string, hostHeader: string | undefined, hosts: ReadonlySet<string>): boolean {
  const o = normalOrigin(origin);
  const scheme = o.startsWith('http://') ? 'http' : o.startsWith('https://') ? 'https' : '';
  if (scheme === '') return false;
  const from = splitAuthority(o.slice(scheme.length + 3));
  const to = splitAuthority(hostHeader);
  if (from === undefined || to === undefined || !hosts.has(from.name) || from.name !== to.name) return false;
  const fallback = scheme === 'http' ? '80' : '443';
  return (from.port || fallback) === (to.port || fallback);
}

/**
 * The message of the 403 answer to a `Host` that is not this server's.
 * @example wrongHostMessage(guard) // 'This route answers only to a Host header naming this server (localhost, ...'
 */
export function wrongHostMessage(guard: SiteGuard): string {
  return `This route answers only to a Host header naming this server (${[...guard.hosts].join(', ')}); add a name with --allow-host.`;
}

/**
 * The message of the 403 answer to a write from a web page of another origin.
 * @example crossSiteMessage('https://evil.example')
 */
export function crossSiteMessage(origin: string): string {
  const shown = origin.length > 200 ? `${origin.slice(0, 200)}...` : origin;
  return `Cross-site request refused: Origin '${shown}' may not write here (browsers send Origin from other sites). To accept it, start with --allow-origin ${shown}.`;
}
