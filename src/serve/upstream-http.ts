/**
 * The proxy's transport to the upstream: `node:http`/`node:https` with keep-alive agents, handing the
 * body to the socket as it is. The default `fetch` transport copies a body twice on its way out (a
 * web stream over a clone), which a proxy forwarding 1 MB bodies pays per request. The answer keeps
 * its bytes (a {@link RawAnswer}), decoded to text on first read: a binary answer (OTLP's protobuf)
 * is passed on as those bytes. The retry rules stay `postIngest`'s (a refused connection carries its
 * `code`, as with `fetch`).
 *
 * @module
 */
import http from 'node:http';
import https from 'node:https';
import type { IngestResponseHeaders } from '../produce/response.js';
import type { IngestTransport, RawAnswer } from '../produce/send.js';

// keep-alive, no cap on sockets (Node's default): one per request in flight, kept for the next
const agents = {
  http: new http.Agent({ keepAlive: true }),
  https: new https.Agent({ keepAlive: true }),
};

/** An upstream answer with its bytes; the text decoded on first read (a binary answer never is). */
class UpstreamAnswer implements RawAnswer {
  #text: string | undefined;

  constructor(
    readonly status: number,
    readonly headers: IngestResponseHeaders,
    readonly bytes: Buffer,
  ) {}

  get text(): string {
    this.#text ??= this.bytes.toString('utf8');
    return this.#text;
  }
}

/** An error for an answer cut off before its end: the request may have arrived. */
function cutOff(): Error {
  return Object.assign(new Error('the connection closed before the answer ended'), { code: 'ECONNRESET' });
}

/** Where a URL points, parsed once: the proxy sends every body of a route to the same URL. */
interface Target {
  secure: boolean;
  hostname: string;
  port: string;
  path: string;
  /** `user:password` of the URL, as `http.request(url)` would send them; '' when none. */
  auth: string;
}

/** Targets by URL, bounded: emptied when full (a proxy has a handful of upstream URLs, query strings aside). */
const targets = new Map<string, Target>();
const KEPT_TARGETS = 64;

function target(href: string): Target {
  let t = targets.get(href);
  if (t !== undefined) return t;
  const url = new URL(href);
  // an IPv6 host comes bracketed in `hostname`; node:http wants it bare
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  t = {
    secure: url.protocol === 'https:',
    hostname: host,
    port: url.port,
    path: url.pathname + url.search,
    auth: url.username !== '' || url.password !== '' ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : '',
  };
  if (targets.size >= KEPT_TARGETS) targets.clear();
  targets.set(href, t);
  return t;
}

/**
 * Posts one request and reads its answer whole; rejects on a connection error or when `signal` aborts.
 * The body goes in one write after the headers, with its `Content-Length`.
 * @example const answer = await httpTransport({ url, body, headers, signal });
 */
export const httpTransport: IngestTransport = (request) =>
  new Promise((resolve, reject) => {
    const t = target(request.url);
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      reject(err);
    };
    const req = (t.secure ? https : http).request(
      {
        method: 'POST',
        hostname: t.hostname,
        ...(t.port !== '' ? { port: t.port } : {}),
        path: t.path,
        ...(t.auth !== '' ? { auth: t.auth } : {}),
        headers: request.headers,
        agent: t.secure ? agents.https : agents.http,
        signal: request.signal,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => parts.push(chunk));
        res.on('error', fail);
        res.on('close', () => {
          if (!res.complete) fail(cutOff());
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          resolve(new UpstreamAnswer(res.statusCode ?? 0, res.headers, parts.length === 1 ? parts[0]! : Buffer.concat(parts)));
        });
      },
    );
    req.setHeader('content-length', request.body.length);
    req.on('error', fail);
    req.end(request.body);
  });
