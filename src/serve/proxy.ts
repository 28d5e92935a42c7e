/**
 * Proxy mode: forwarding validated bodies to the real environment, with produce's sender
 * (`sendMetrics` for metrics, `postIngest` for JSON bodies), so the retry rules are those of
 * `readIngestResponse` and every metric line is accounted for (`docs/proxy.md`).
 *
 * - The caller's `Authorization` header is passed through as is, and nowhere else: never logged,
 *   never stored, never part of an error message.
 * - Metrics go to the upstream's metrics path (`upstreamMetricsPath`) whichever local metrics route
 *   received them; JSON and OTLP bodies to their own path, the custom device id encoded again.
 * - Every route forwards through {@link forwardAsIs} (JSON, OTLP) or {@link forwardMetrics}, with
 *   one transport (`./upstream-http.ts`), and passes an upstream answer on as it came.
 *
 * @module
 */
import { isRawAnswer, postRead, sendMetricsAfter, urlForMessage, type IngestAnswer, type PostIngestOptions, type PostIngestResult } from '../produce/send.js';
import { responseHeader } from '../produce/response.js';
import { LineVerdict, type LineMap } from '../scan/line-map.js';
import type { InvalidLine } from '../types.js';
import { endpointPath } from '../endpoints/index.js';
import type { IngestExchange, ServeContext } from './context.js';
import type { Answer } from './http.js';
import { httpTransport } from './upstream-http.js';

/**
 * The upstream URL of an exchange: the upstream base (its own path kept), the upstream path of the
 * route, and the query string.
 * @example upstreamUrl(ctx, exchange) // 'https://abc.live.dynatrace.com/api/v2/metrics/ingest?x=1'
 */
export function upstreamUrl(ctx: ServeContext, x: IngestExchange): string {
  const o = ctx.options;
  if (x.route.id === 'metrics') return o.upstream + o.upstreamMetricsPath + x.search;
  // a path parameter again as one encoded segment: the upstream sees the value the validator judged
  if (x.route.pathParam !== undefined) return o.upstream + endpointPath(x.route, x.param) + x.search;
  return o.upstream + x.path + x.search;
}

/** The sending options of an exchange: credentials, content type, timeouts, the retry policy, counters. */
function sendOptions(ctx: ServeContext, x: IngestExchange, url: string): PostIngestOptions {
  const o = ctx.options;
  const stats = ctx.stats;
  const auth = x.req.headers.authorization;
  return {
    url,
    ...(auth !== undefined ? { authorization: auth } : {}),
    contentType: x.contentType,
    userAgent: 'dt-ingest-proxy',
    timeoutMs: o.upstreamTimeoutMs,
    retryCount: o.retryCount,
    retryBudgetMs: o.retryBudgetMs,
    retryBaseMs: o.retryBaseMs,
    retryMaxDelayMs: o.retryMaxDelayMs,
    random: o.random,
    signal: x.signal,
    transport: httpTransport,
    onAttempt: (kind, retrying) => {
      stats.upstreamAttempt(kind);
      if (x.notes !== undefined) (x.notes.attempts ??= []).push(kind);
      if (retrying) stats.retry();
    },
  };
}

/**
 * An upstream answer passed on as it is: status, body, `Content-Type` and `Retry-After`. A binary
 * answer (OTLP's protobuf) goes as the bytes that came; a JSON one as its text (which the inspector
 * records, and which keeps the server's garbage as it was: see `bench/RESULTS.md`).
 */
function passOn(answer: IngestAnswer, binary: boolean): Answer {
  const out: Record<string, string> = {};
  const type = responseHeader(answer.headers, 'content-type');
  if (type !== undefined) out['content-type'] = type;
  const retry = responseHeader(answer.headers, 'retry-after');
  if (retry !== undefined) out['retry-after'] = retry;
  if (binary && isRawAnswer(answer)) return { status: answer.status, body: answer.bytes.length === 0 ? null : answer.bytes, headers: out };
  return { status: answer.status, body: answer.text === '' ? null : answer.text, headers: out };
}

/**
 * Forwards a body as it came (a JSON route's, or OTLP's with its `Content-Encoding`) under the retry
 * rules: the upstream's answer, or why none came.
 * @example const { url, result } = await forwardAsIs(ctx, exchange, bytes, 'application/x-protobuf', 'gzip');
 */
export async function forwardAsIs(
  ctx: ServeContext,
  x: IngestExchange,
  body: Uint8Array,
  contentType: string,
  contentEncoding: string | undefined,
): Promise<{ url: string; result: PostIngestResult }> {
  const url = upstreamUrl(ctx, x);
  const send = sendOptions(ctx, x, url);
  send.contentType = contentType;
  const read = await postRead(body, send, contentEncoding !== undefined ? { contentEncoding } : undefined);
  return { url, result: read.result };
}

/**
 * The answer to pass on after {@link forwardAsIs}: the upstream's as it is (`binary`: as its bytes),
 * or, without one, what the route's own 502 (504 after a timeout) needs: whether the request may
 * have arrived, and why no answer came (the cause and the attempts).
 * @example const a = answerAsIs(result, true); if ('sent' in a) ...
 */
export function answerAsIs(result: PostIngestResult, binary: boolean): Answer | { status: 502 | 504; sent: boolean; why: string } {
  if (result.kind === 'answer') return passOn(result.answer, binary);
  const tries = `${result.attempts} attempt${result.attempts === 1 ? '' : 's'}`;
  return { status: result.sent && result.timedOut ? 504 : 502, sent: result.sent, why: `${result.reason} (${tries})` };
}

/**
 * Forwards a JSON body and passes the upstream's answer on; without an answer, 502 when nothing was
 * sent and 502/504 saying the upstream may have stored it when the request may have arrived.
 * @example const answer = await forwardJson(ctx, exchange, bytes);
 */
export async function forwardJson(ctx: ServeContext, x: IngestExchange, body: Uint8Array): Promise<Answer> {
  const { url, result } = await forwardAsIs(ctx, x, body, x.contentType, undefined);
  const a = answerAsIs(result, false);
  if (!('sent' in a)) return a;
  const what = a.sent
    ? `gave no answer: ${a.why}; the request may have arrived, so the upstream may have stored it: resending it may store it twice`
    : `is unreachable: ${a.why}; nothing was forwarded`;
  return { status: a.status, body: { error: { code: a.status, message: `dt-ingest proxy: upstream ${urlForMessage(url)} ${what}.` } } };
}

/**
 * Forwards metric lines with `sendMetrics` and answers the sender in its own line numbers. `lines`
 * is the body's line map (the validator's, or the filter's), so the body is not cut into lines again.
 * `lineMap` maps the body's lines to the sender's (filter mode); `local` are the lines judged invalid
 * before (filter mode). Without either, one upstream answer that accounts for every line is passed
 * on as it is.
 * @example const answer = await forwardMetrics(ctx, exchange, body, lines, undefined, undefined);
 */
export async function forwardMetrics(
  ctx: ServeContext,
  x: IngestExchange,
  body: Uint8Array,
  lines: LineMap,
  lineMap: Int32Array | undefined,
  local: { linesInvalid: number; invalidLines: readonly InvalidLine[] } | undefined,
): Promise<Answer> {
  const o = ctx.options;
  const url = upstreamUrl(ctx, x);
  const send = sendOptions(ctx, x, url);
  // the body as it came, in one request: no split, no ledger when the upstream accepts it all (its
  // answer goes back as it is); any other answer is accounted for by sendMetricsAfter, which does not send
  // it again. One request means: fits, and neither its first nor its last line blank (the split
  // would trim them), nothing judged before, the sender's own line numbers.
  let first: Awaited<ReturnType<typeof postRead>> | undefined;
  if (lineMap === undefined && local === undefined && wholeFits(body.length, lines, o.upstreamMaxBytes)) {
    first = await postRead(body, send);
    const r = first.result;
    if (r.kind === 'answer' && first.outcome?.stored === 'all') return passOn(r.answer, false);
  }
  const r = await sendMetricsAfter(
    body,
    {
      ...send,
      maxBytes: o.upstreamMaxBytes,
      lines,
      ...(lineMap !== undefined ? { lineMap } : {}),
      ...(local !== undefined ? { invalid: local } : {}),
      metrics: o.metrics,
    },
    first,
  );
  if (r.verbatim !== undefined && lineMap === undefined) return passOn(r.verbatim, false);
  if (r.body.error !== null && 'notIngestedLines' in r.body.error) r.body.error.message = `dt-ingest proxy: ${r.body.error.message}`;
  return { status: r.status, body: r.body, headers: r.headers };
}

/** Whether a body of `bytes` goes upstream as one request of its own bytes: it fits, and its first and last lines are not blank. */
function wholeFits(bytes: number, lines: LineMap, maxBytes: number): boolean {
  const n = lines.count;
  return n > 0 && bytes <= maxBytes && lines.verdicts[0] !== LineVerdict.BLANK && lines.verdicts[n - 1] !== LineVerdict.BLANK;
}
