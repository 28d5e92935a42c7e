/**
 * Proxy mode: forwarding validated bodies to the real environment.
 *
 * - The caller's `Authorization` header is passed through as is, and nowhere else: never logged,
 *   never stored, never part of an error message.
 * - Retries: after 429/502/503/504 or a connection that could not be opened (`ECONNREFUSED`,
 *   `EAI_AGAIN`, ...), with exponential backoff and full jitter (`random() × min(max, base × 2^k)`, or
 *   `Retry-After` when the upstream says more), at most `retryCount` times and never starting a wait
 *   that ends past `retryBudgetMs`. A timeout or a connection lost after the body was sent is not
 *   retried: the upstream may have stored the lines (*decided*).
 * - Metrics bodies bigger than `upstreamMaxBytes` are split on line boundaries (`splitMetrics`) and the
 *   pieces are sent one after the other; a piece is sent again only after a retryable answer, which
 *   means nothing of it was stored, so accepted lines are never resent. A piece answered 413 is split
 *   in halves.
 * - The answers of several pieces (and, with `filter`, the locally invalid lines) are merged into one
 *   `ValidationResponse` in the sender's line numbers, through the pieces' line maps.
 *
 * @module
 */
import { readIngestResponse } from '../produce/response.js';
import { splitMetrics } from '../produce/split.js';
import type { InvalidLine, ValidationResponse, WarningLine } from '../types.js';
import { METRICS_DEFAULTS, type MetricsOptions } from '../protocol/options.js';
import type { ServeMetrics } from './metrics.js';
import type { ResolvedServeOptions } from './options.js';

/** An answer the handler writes: JSON for objects, a string as is, `null` for no body. */
export interface Answer {
  status: number;
  body: unknown;
  /** Extra response headers (`Retry-After`, `Content-Type` of a passed-through body). */
  headers?: Record<string, string>;
}

/** Per incoming request: where to send, with which credentials, and until when retries may run. */
export interface UpstreamContext {
  options: ResolvedServeOptions;
  stats: ServeMetrics;
  /** The caller's `Authorization` header (passed through only). */
  authorization: string | undefined;
  /** Content type to send. */
  contentType: string;
  /** Epoch ms after which no retry starts. */
  deadline: number;
}

/** One upstream exchange after retries. */
export interface UpstreamResult {
  /** HTTP status, or 502/504 when no answer came (`failed` is then set). */
  status: number;
  text: string;
  headers: Headers | undefined;
  /** Why no answer came (never contains request headers). */
  failed?: string;
  attempts: number;
}

/** Connection errors that happen before any byte of the body left: safe to retry. */
const RETRYABLE_CONNECT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

const RETRYABLE_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);

function errorCode(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return '';
}

function isTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && ((err as { name?: unknown }).name === 'TimeoutError' || (err as { name?: unknown }).name === 'AbortError');
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const v = headers?.get('retry-after');
  if (v === null || v === undefined) return undefined;
  const s = v.trim();
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) {
      const at = Date.parse(s);
      return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
    }
    n = n * 10 + d;
  }
  return s.length === 0 ? undefined : n * 1000;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The wait before retry `attempt` (0-based): full jitter over the exponential ceiling, raised to
 * `Retry-After` when the upstream gave one.
 * @example backoffDelay(2, options, undefined) // random() × min(5000, 200 × 4)
 */
export function backoffDelay(attempt: number, options: ResolvedServeOptions, retryAfter: number | undefined): number {
  const ceiling = Math.min(options.retryMaxDelayMs, options.retryBaseMs * 2 ** attempt);
  const jitter = Math.floor(options.random() * ceiling);
  return retryAfter !== undefined ? Math.max(jitter, retryAfter) : jitter;
}

/**
 * POSTs one body to `url`, retrying as the module describes.
 * @example const r = await sendUpstream('https://abc.live.dynatrace.com/api/v2/metrics/ingest', bytes, ctx);
 */
export async function sendUpstream(url: string, body: Uint8Array, ctx: UpstreamContext): Promise<UpstreamResult> {
  const o = ctx.options;
  const headers: Record<string, string> = { 'content-type': ctx.contentType, accept: 'application/json; charset=utf-8', 'user-agent': 'dt-ingest-proxy' };
  if (ctx.authorization !== undefined) headers.authorization = ctx.authorization;
  for (let attempt = 0; ; attempt++) {
    let result: UpstreamResult;
    let retryable: boolean;
    try {
      const res = await fetch(url, { method: 'POST', body: body as Uint8Array<ArrayBuffer>, headers, redirect: 'manual', signal: AbortSignal.timeout(o.upstreamTimeoutMs) });
      const text = await res.text();
      result = { status: res.status, text, headers: res.headers, attempts: attempt + 1 };
      retryable = RETRYABLE_STATUS.has(res.status);
      ctx.stats.upstreamAttempt(readIngestResponse(res.status, text).kind);
    } catch (err) {
      ctx.stats.upstreamAttempt('error');
      const code = errorCode(err);
      if (isTimeout(err)) {
        result = { status: 504, text: '', headers: undefined, failed: `no answer within ${o.upstreamTimeoutMs} ms`, attempts: attempt + 1 };
        retryable = false;
      } else {
        result = { status: 502, text: '', headers: undefined, failed: code !== '' ? `connection failed (${code})` : `request failed (${err instanceof Error ? err.message : String(err)})`, attempts: attempt + 1 };
        retryable = RETRYABLE_CONNECT_CODES.has(code);
      }
    }
    if (!retryable || attempt >= o.retryCount) return result;
    const wait = backoffDelay(attempt, o, retryAfterMs(result.headers));
    if (Date.now() + wait > ctx.deadline) return result;
    ctx.stats.retry();
    await sleep(wait);
  }
}

/** The upstream URL of an endpoint path (the upstream's own path prefix kept) plus the query. */
export function upstreamUrl(options: ResolvedServeOptions, path: string, search: string): string {
  return options.upstream + path + search;
}

/**
 * The answer to the sender when the upstream gave none, or its answer passed through.
 * @example passThrough({ status: 503, text: '', headers, attempts: 4 }, url)
 */
export function passThrough(r: UpstreamResult, url: string): Answer {
  if (r.failed !== undefined) {
    const what = r.status === 504 ? 'did not answer' : 'is unreachable';
    return {
      status: r.status,
      body: { error: { code: r.status, message: `dt-ingest proxy: upstream ${safeUrl(url)} ${what}: ${r.failed}; ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}, nothing was forwarded${r.status === 504 ? ' for sure (the upstream may have stored it)' : ''}.` } },
    };
  }
  const headers: Record<string, string> = {};
  const type = r.headers?.get('content-type');
  if (type !== null && type !== undefined) headers['content-type'] = type;
  const retry = r.headers?.get('retry-after');
  if (retry !== null && retry !== undefined) headers['retry-after'] = retry;
  return { status: r.status, body: r.text === '' ? null : r.text, headers };
}

function safeUrl(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** A metrics request body ready to send, with its line map to the sender's lines. */
export interface MetricsPiece {
  body: Uint8Array;
  lineMap: Int32Array;
}

/** The locally judged lines a filtered body left out (filter mode). */
export interface LocalVerdict {
  linesInvalid: number;
  invalidLines: readonly InvalidLine[];
}

/** Consecutive input lines as `a-b` ranges, for a message. */
function lineRanges(maps: readonly Int32Array[]): string {
  const all: number[] = [];
  for (const m of maps) for (let i = 0; i < m.length; i++) all.push(m[i]!);
  all.sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < all.length && parts.length < 20; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1] === all[j]! + 1) j++;
    parts.push(i === j ? String(all[i]) : `${all[i]}-${all[j]}`);
    i = j + 1;
  }
  return parts.join(', ') + (parts.length === 20 ? ', ...' : '');
}

/**
 * Sends metrics pieces in order and answers the sender once, in its own line numbers. A single
 * piece without filtered lines is passed through verbatim; otherwise the answers are merged.
 * @example const answer = await forwardMetrics(pieces, undefined, url, ctx, metricsOptions);
 */
export async function forwardMetrics(pieces: MetricsPiece[], local: LocalVerdict | undefined, url: string, ctx: UpstreamContext, metricsOptions: MetricsOptions): Promise<Answer> {
  if (pieces.length === 1 && local === undefined) {
    const r = await sendUpstream(url, pieces[0]!.body, ctx);
    if (r.status !== 413) return passThrough(r, url);
    // the upstream takes less than we thought: split and merge below
    const halves = halve(pieces[0]!);
    if (halves === undefined) return passThrough(r, url);
    pieces = halves;
  }
  let linesOk = 0;
  let linesInvalid = local?.linesInvalid ?? 0;
  const invalidLines: InvalidLine[] = local !== undefined ? local.invalidLines.slice() : [];
  const warnings: WarningLine[] = [];
  const queue = pieces.slice();
  const sent: Int32Array[] = [];
  while (queue.length > 0) {
    const piece = queue.shift()!;
    const r = await sendUpstream(url, piece.body, ctx);
    if (r.failed === undefined && r.status === 413) {
      const halves = halve(piece);
      if (halves !== undefined) {
        queue.unshift(...halves);
        continue;
      }
    }
    const outcome = r.failed === undefined ? readIngestResponse(r.status, r.text, piece.lineMap, r.headers) : undefined;
    const ok = outcome !== undefined && (outcome.kind === 'accepted' || outcome.kind === 'partial' || (outcome.kind === 'rejected' && r.status === 400));
    if (!ok) {
      // nothing of this piece was stored; stop here (the next pieces would meet the same upstream)
      if (sent.length === 0) return passThrough(r, url);
      const notSent = [piece.lineMap, ...queue.map((p) => p.lineMap)];
      const why = r.failed ?? `status ${r.status}`;
      return {
        status: 502,
        body: {
          error: {
            code: 502,
            message:
              `dt-ingest proxy: upstream ${safeUrl(url)} failed (${why}) after ${sent.length} of ${sent.length + notSent.length} pieces were stored` +
              ` (${linesOk} lines ingested). Not ingested: input lines ${lineRanges(notSent)}. Resend only those lines.`,
            linesOk,
            notIngestedLines: lineRanges(notSent),
          },
        },
      };
    }
    sent.push(piece.lineMap);
    linesOk += outcome.linesOk;
    linesInvalid += outcome.linesInvalid;
    for (const l of outcome.invalidLines) invalidLines.push(l);
    for (const w of outcome.warnings) warnings.push(w);
  }
  return { status: linesInvalid > 0 ? 400 : 202, body: mergedResponse(linesOk, linesInvalid, invalidLines, warnings, metricsOptions) };
}

/** Splits a piece in two on line boundaries; `undefined` when it holds one line only. */
function halve(piece: MetricsPiece): MetricsPiece[] | undefined {
  if (piece.lineMap.length < 2 || piece.body.length < 2) return undefined;
  const { pieces } = splitMetrics(piece.body, { maxBytes: Math.ceil(piece.body.length / 2) });
  if (pieces.length < 2) return undefined;
  return pieces.map((p) => ({ body: p.body, lineMap: composeMaps(p.lineMap, piece.lineMap) }));
}

/**
 * `outer[inner[i] - 1]` for each `i`: a piece's lines to the sender's, through an intermediate body.
 * @example composeMaps(Int32Array.of(1, 2), Int32Array.of(5, 9)) // Int32Array [5, 9]
 */
export function composeMaps(inner: Int32Array, outer: Int32Array): Int32Array {
  const out = new Int32Array(inner.length);
  for (let i = 0; i < inner.length; i++) out[i] = outer[inner[i]! - 1]!;
  return out;
}

/** The merged `ValidationResponse`, with the endpoint's own message conventions. */
function mergedResponse(linesOk: number, linesInvalid: number, invalid: InvalidLine[], warnings: WarningLine[], metricsOptions: MetricsOptions): ValidationResponse {
  const maxErrors = metricsOptions.maxReportedErrors ?? METRICS_DEFAULTS.maxReportedErrors;
  const maxWarnings = metricsOptions.maxReportedWarnings ?? METRICS_DEFAULTS.maxReportedWarnings;
  const field = metricsOptions.warningsField ?? METRICS_DEFAULTS.warningsField;
  invalid.sort((a, b) => a.line - b.line);
  warnings.sort((a, b) => a.line - b.line);
  const listed = invalid.slice(0, maxErrors);
  const body: ValidationResponse = { linesOk, linesInvalid, error: null, warnings: null };
  if (linesInvalid > 0) {
    body.error = { code: 400, message: linesInvalid > listed.length ? `First ${listed.length} errors reported` : `${linesInvalid} invalid lines`, invalidLines: listed };
  }
  if (warnings.length > 0) {
    const list = warnings.slice(0, maxWarnings);
    body.warnings = field === 'warningLines' ? { message: `First ${list.length} warnings reported`, warningLines: list } : { message: `First ${list.length} warnings reported`, changedMetricKeys: list };
  }
  return body;
}
