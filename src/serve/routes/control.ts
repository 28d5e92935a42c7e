/**
 * The server's own routes: `GET /healthz` (always open), `GET /metrics` (Prometheus text) and
 * `GET|DELETE /_dt-ingest/received` (the mock's memory). With `requireToken` every one of them but
 * `/healthz` needs a token, as the ingest routes do.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServeContext } from '../context.js';
import { errorBody, hasToken } from '../http.js';
import type { ControlRouteName } from '../route-table.js';

/**
 * The 401 answer, the classic API's text on every route (*server*).
 * @example ctx.early(req, res, 'control', started, UNAUTHORIZED)
 */
export const UNAUTHORIZED = { status: 401, body: errorBody(401, 'Missing authorization parameter.') } as const;

/**
 * Answers one control request (method, token, then the route).
 * @example handleControl(ctx, req, res, { name: 'healthz', methods: ['GET', 'HEAD'] }, performance.now())
 */
export function handleControl(
  ctx: ServeContext,
  req: IncomingMessage,
  res: ServerResponse,
  match: { name: ControlRouteName; methods: readonly string[] },
  started: number,
): void {
  const method = req.method ?? 'GET';
  const o = ctx.options;
  if (!match.methods.includes(method)) {
    return ctx.early(req, res, 'control', started, {
      status: 405,
      body: errorBody(405, `Method ${method} is not allowed here; use ${match.methods.join(' or ')}.`),
      headers: { allow: match.methods.join(', ') },
    });
  }
  if (match.name === 'readyz') {
    // a load balancer stops sending once this fails: from the first SIGTERM on (`drain()`), while the
    // server still answers everything else for `drainDelayMs`
    const ready = !ctx.draining && !ctx.closing;
    return ctx.send(res, 'control', started, 0, { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'draining' } });
  }
  if (match.name === 'healthz') {
    return ctx.send(res, 'control', started, 0, {
      status: 200,
      body: { status: ctx.closing ? 'closing' : 'ok', mode: o.mode, inFlight: ctx.stats.inFlight, pid: process.pid },
    });
  }
  if (o.requireToken && !hasToken(req.headers.authorization)) return ctx.early(req, res, 'control', started, UNAUTHORIZED);
  if (match.name === 'metrics-text') {
    return ctx.send(res, 'control', started, 0, {
      status: 200,
      body: ctx.stats.render(),
      headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
    });
  }
  if (method === 'DELETE') {
    ctx.store.clear();
    return ctx.send(res, 'control', started, 0, { status: 204, body: null });
  }
  return ctx.send(res, 'control', started, 0, { status: 200, body: ctx.store.snapshot() });
}
