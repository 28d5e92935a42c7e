/**
 * The JSON body routes (generic events, Smartscape events, third-party synthetic, custom device):
 * the body is collected up to its limit and judged by its validator; then the mock keeps the items,
 * or the proxy forwards the body and passes the upstream's answer on.
 *
 * @module
 */
import { requestFailure } from '../../events/index.js';
import { judgeJsonBody } from '../json-body.js';
import type { IngestExchange, RouteResult, ServeContext } from '../context.js';
import { readBody, type Answer } from '../http.js';
import { forwardJson } from '../proxy.js';

function parseJsonItems(bytes: Uint8Array): unknown {
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return null;
  return JSON.parse(text);
}

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
  const name = x.route.name;
  const result = judgeJsonBody(name, x.customDeviceId ?? '', bytes, eo);
  const local: Answer = { status: result.status, body: result.body };
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
  if (result.status >= 300) return { answer: local, bytes: read.bytes };
  if (o.mode === 'mock') {
    if (o.receivedLimit > 0 || o.record !== '') {
      const value = parseJsonItems(bytes);
      if (name === 'customDevice') ctx.store.add('customDevice', [{ customDeviceId: x.customDeviceId ?? '', body: value }]);
      else if (name === 'synthetic') ctx.store.add('synthetic', [value]);
      else ctx.store.add(name, Array.isArray(value) ? value : [value]);
    }
    return { answer: local, bytes: read.bytes };
  }
  return { answer: await forwardJson(ctx, x, bytes), bytes: read.bytes };
}
