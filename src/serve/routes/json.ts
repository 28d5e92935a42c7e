/**
 * The routes of endpoints whose body is read whole (`reader: 'whole'` in the endpoint table: the JSON
 * bodies): the body is collected up to its limit and judged by the validator of its media type; then
 * the mock keeps what the row's `received` takes of it, or the proxy forwards the body and passes the
 * upstream's answer on.
 *
 * @module
 */
import { requestFailure } from '../../events/index.js';
import { judgeBody, type BodyInput } from '../../endpoints/index.js';
import type { IngestExchange, RouteResult, ServeContext } from '../context.js';
import { readBody, type Answer } from '../http.js';
import { forwardJson } from '../proxy.js';
import { mediaType } from '../route-table.js';

/**
 * The 413 answer of a JSON route, in the validators' words.
 * @example jsonTooLarge(exchange, 20_000_000)
 */
export function jsonTooLarge(x: IngestExchange, bytes: number): Answer {
  return { status: 413, body: requestFailure({ ok: false, status: 413, bytes, max: x.limit }).body };
}

/**
 * Handles one JSON body request after the request-level checks.
 * @example const result = await handleJson(ctx, exchange);
 */
export async function handleJson(ctx: ServeContext, x: IngestExchange): Promise<RouteResult> {
  const o = ctx.options;
  const chunks: Uint8Array[] = [];
  const read = await readBody(x.req, x.limit, (chunk) => chunks.push(chunk));
  if (read.kind === 'aborted') return undefined;
  if (read.kind === 'failed') throw read.error;
  if (read.kind === 'too-large') return { answer: jsonTooLarge(x, read.bytes), bytes: read.bytes };
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  const eo = ctx.eventsOptions();
  const notes = x.notes;
  const input: BodyInput = { body: bytes, mediaType: mediaType(x.contentType), param: x.param, metrics: ctx.metricsOptions(), events: eo };
  const result = judgeBody(x.route, input);
  const local: Answer = { status: result.status, body: result.body };
  if (result.contentType !== undefined) local.headers = { 'content-type': result.contentType };
  if (notes !== undefined) {
    // the inspector keeps the body it was judged on, and what was found in it
    notes.chunks = [bytes];
    notes.eventsOptions = eo;
    let errors = 0;
    for (const issue of result.issues) {
      if (issue.severity === 'error') errors++;
      if (!notes.rules.includes(issue.rule)) notes.rules.push(issue.rule);
    }
    notes.errors = errors;
    notes.warnings = result.issues.length - errors;
  }
  if (o.mode === 'mock') {
    // what the endpoint accepts of it (all, none, or the valid items of a partial acceptance)
    const kept = (o.receivedLimit > 0 || o.record !== '') && x.route.received !== undefined ? x.route.received(input, result) : undefined;
    if (kept !== undefined && kept.length > 0) ctx.store.add(x.route.id, kept);
    return { answer: local, bytes: read.bytes };
  }
  if (result.status >= 300) return { answer: local, bytes: read.bytes };
  return { answer: await forwardJson(ctx, x, bytes), bytes: read.bytes };
}
