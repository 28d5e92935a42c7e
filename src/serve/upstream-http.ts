/**
 * The proxy's transport to the upstream: `node:http`/`node:https` with keep-alive agents, handing the
 * body to the socket as it is. The default `fetch` transport copies a body twice on its way out (a
 * web stream over a clone), which a proxy forwarding 1 MB bodies pays per request; the retry rules
 * stay `postIngest`'s (a refused connection carries its `code`, as with `fetch`).
 *
 * @module
 */
import http from 'node:http';
import https from 'node:https';
import type { IngestTransport } from '../produce/send.js';

const agents = {
  http: new http.Agent({ keepAlive: true }),
  https: new https.Agent({ keepAlive: true }),
};

/** An error for an answer cut off before its end: the request may have arrived. */
function cutOff(): Error {
  return Object.assign(new Error('the connection closed before the answer ended'), { code: 'ECONNRESET' });
}

/**
 * Posts one request and reads its answer whole; rejects on a connection error or when `signal` aborts.
 * @example const answer = await httpTransport({ url, body, headers, signal });
 */
export const httpTransport: IngestTransport = (request) =>
  new Promise((resolve, reject) => {
    const url = new URL(request.url);
    const secure = url.protocol === 'https:';
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      reject(err);
    };
    const req = (secure ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(request.body.length) },
        agent: secure ? agents.https : agents.http,
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
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') });
        });
      },
    );
    req.on('error', fail);
    req.end(request.body);
  });
