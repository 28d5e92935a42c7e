/**
 * Reading the endpoint's answer to `POST /api/v2/metrics/ingest` (spec §4) and deciding what the
 * producer does next: nothing, fix lines, split, retry later, or stop because the outcome is not
 * known. Tolerant of every shape seen in the wild (`changedMetricKeys` or `warningLines`, `linesOk` or
 * `linesValid`, `null` fields, the classic `ErrorEnvelope`, bodies that are not JSON at all).
 *
 * The retry rules live here, once, for every sender (`sendMetrics`, the proxy of `dt-ingest serve`):
 * which answers may be retried (kind `retryable`: nothing stored), how `Retry-After` is read
 * ({@link parseRetryAfter}) and how long to wait (`retryDelay`).
 *
 * @module
 */
import type { InvalidLine, WarningLine } from '../types.js';

/**
 * What happened to a request:
 * - `accepted`: every line was ingested (2xx with a `ValidationResponse`);
 * - `partial`: status 400 but some lines were ingested: never resend the body, fix and send only the
 *   invalid lines;
 * - `rejected`: nothing was ingested and resending the same body fails again (400 with no valid
 *   line, `empty request`, a 400 that is not a `ValidationResponse`, other 4xx such as 401/403/404);
 * - `retryable`: nothing was ingested and nothing to fix in the body; send it again later (429, 503);
 * - `too-large`: 413; split the body (`splitMetrics`) and send the pieces;
 * - `unknown`: the endpoint may have stored some or all lines, or none: 500, 502, 504 and other 5xx,
 *   and a 2xx whose body is not a `ValidationResponse`. Resending may count lines twice.
 *
 * Decisions (RFC 9110 §15.6): 429 and 503 say the request was not handled, so nothing was stored;
 * 502 and 504 come from a gateway that passed the request on, and 500 from a server that may have
 * stored part of it, so their outcome is unknown. An answer that is not a `ValidationResponse` is
 * never read as success. 1xx/3xx and unknown statuses are `rejected`.
 *
 * @example if (outcome.kind === 'retryable') setTimeout(resend, outcome.retryAfterMs)
 */
export type IngestOutcomeKind = 'accepted' | 'partial' | 'rejected' | 'retryable' | 'too-large' | 'unknown';

/**
 * What the answer says the endpoint stored:
 * - `all`: every line (2xx with a `ValidationResponse`);
 * - `lines`: the lines not listed as invalid (400 with a `ValidationResponse`; when it lists fewer
 *   lines than `linesInvalid` and `linesOk` is not 0, which unlisted lines were stored is not known);
 * - `none`: nothing (413, 429, 503, other 4xx, 400 without a `ValidationResponse`, 1xx/3xx);
 * - `unknown`: not known (see `unknown` in {@link IngestOutcomeKind}).
 * @example if (outcome.stored === 'none') queueForResend(body)
 */
export type IngestStored = 'all' | 'lines' | 'none' | 'unknown';

/**
 * The classified answer. Plain data.
 *
 * @example
 * // { kind: 'partial', status: 400, linesOk: 3, linesInvalid: 1,
 * //   invalidLines: [{ line: 12, error: 'invalid metric key' }], warnings: [],
 * //   message: '3 lines ingested, 1 invalid (input line 12) ...' }
 */
export interface IngestOutcome {
  kind: IngestOutcomeKind;
  /** What the endpoint stored, as far as the answer tells. */
  stored: IngestStored;
  /** Whether the body is a `ValidationResponse` (an object with numeric `linesOk`/`linesValid` and `linesInvalid`). */
  validationResponse: boolean;
  /** The HTTP status. */
  status: number;
  /** Lines ingested, as the body says (`linesOk`, or `linesValid` in older answers); 0 when it does not say. */
  linesOk: number;
  /** Lines rejected, as the body says; 0 when it does not say. */
  linesInvalid: number;
  /**
   * The invalid lines the body lists, with `line` mapped to the caller's input through the line map.
   * The endpoint lists at most 10 (`First 10 errors reported`): when `linesInvalid` is larger, the
   * others are not known (validate the body locally to find them).
   */
  invalidLines: InvalidLine[];
  /** The listed warnings (key rewrites), lines mapped the same way. */
  warnings: WarningLine[];
  /** For `retryable`: how long to wait, from `Retry-After` when given, else the backoff ceiling of {@link RETRY_DEFAULTS} (add jitter: `retryDelay`). */
  retryAfterMs?: number;
  /** One sentence for a log: what happened and what to do. */
  message: string;
}

/**
 * Response headers, as a plain object (any letter case) or a fetch `Headers`.
 * @example { 'Retry-After': '30' }
 */
export type IngestResponseHeaders = { readonly [name: string]: string | string[] | undefined } | { get(name: string): string | null };

/**
 * How a sender retries an answer that stored nothing (429, 503) or a connection that could not be
 * opened. One policy for `sendMetrics`, the proxy (`dt-ingest serve --retry-*` flags) and the wait
 * {@link readIngestResponse} suggests.
 * @example const policy: RetryPolicy = { ...RETRY_DEFAULTS, retryCount: 5 };
 */
export interface RetryPolicy {
  /** Retries of one request after the first attempt. */
  retryCount: number;
  /** Total time the retries of one body may take, ms: no wait starts that would end past it. */
  retryBudgetMs: number;
  /** First backoff ceiling, ms; attempt k waits `random() × min(retryMaxDelayMs, retryBaseMs × 2^k)` (full jitter) unless `Retry-After` says more. */
  retryBaseMs: number;
  /** Largest single backoff wait, ms. */
  retryMaxDelayMs: number;
}

/**
 * The default retry policy (*decided*: three retries within 15 s stay inside a sender's own timeout,
 * often 30 s; full jitter spreads the retries of many senders).
 * @example RETRY_DEFAULTS.retryCount // 3
 */
export const RETRY_DEFAULTS: Readonly<RetryPolicy> = /* @__PURE__ */ Object.freeze({
  retryCount: 3,
  retryBudgetMs: 15_000,
  retryBaseMs: 200,
  retryMaxDelayMs: 5_000,
});

/**
 * The backoff ceiling of retry `attempt` (0-based): `min(retryMaxDelayMs, retryBaseMs × 2^attempt)`.
 * @example backoffCeiling(3, RETRY_DEFAULTS) // 1600
 */
export function backoffCeiling(attempt: number, policy: Pick<RetryPolicy, 'retryBaseMs' | 'retryMaxDelayMs'> = RETRY_DEFAULTS): number {
  // a non-finite attempt counts as the first: NaN would make the wait NaN, i.e. a retry storm
  const tries = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt)) : 0;
  return Math.min(policy.retryMaxDelayMs, policy.retryBaseMs * 2 ** Math.min(tries, 52));
}

/**
 * The wait before retry `attempt` (0-based): full jitter over the backoff ceiling, raised to
 * `Retry-After` when the endpoint gave one.
 * @example retryDelay(2, RETRY_DEFAULTS, undefined) // random() × 800
 */
export function retryDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'retryBaseMs' | 'retryMaxDelayMs'>,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const jitter = Math.floor(random() * backoffCeiling(attempt, policy));
  return retryAfterMs !== undefined ? Math.max(jitter, retryAfterMs) : jitter;
}
/** Lines named in a message; the full list is in `invalidLines`. */
const MESSAGE_LINES = 10;
/** Characters of a non-JSON body quoted in a message. */
const MESSAGE_BODY = 200;

type Json = { [key: string]: unknown };

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A count field: a number, or a string of digits; anything else is unknown. */
function count(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  if (typeof v === 'string' && v.length > 0) {
    let n = 0;
    for (let i = 0; i < v.length; i++) {
      const d = v.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return undefined;
      n = n * 10 + d;
    }
    return n;
  }
  return undefined;
}

function mapper(lineMap: Int32Array | readonly number[] | undefined): (line: number) => number {
  if (lineMap === undefined) return (line) => line;
  // a line outside the map (should not happen) keeps the endpoint's number rather than vanish
  return (line) => (Number.isInteger(line) && line >= 1 && line <= lineMap.length ? lineMap[line - 1]! : line);
}

function entries<T extends 'error' | 'warning'>(list: unknown, field: T, map: (line: number) => number): ({ line: number } & Record<T, string>)[] {
  const out: ({ line: number } & Record<T, string>)[] = [];
  if (!Array.isArray(list)) return out;
  for (const e of list) {
    if (!isObject(e)) continue;
    const line = count(e.line);
    if (line === undefined) continue;
    const text = e[field] ?? e.message;
    out.push({ line: map(line), [field]: typeof text === 'string' ? text : text === undefined || text === null ? '' : String(text) } as {
      line: number;
    } & Record<T, string>);
  }
  return out;
}

/**
 * One response header by its lower-case name, from a plain object (any letter case) or a fetch `Headers`.
 * @example responseHeader({ 'Retry-After': '3' }, 'retry-after') // '3'
 */
export function responseHeader(headers: IngestResponseHeaders | undefined, name: string): string | undefined {
  if (headers === undefined || headers === null) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const v = (headers as { get(n: string): string | null }).get(name);
    return v === null ? undefined : v;
  }
  const plain = headers as { readonly [n: string]: string | string[] | undefined };
  for (const key of Object.keys(plain)) {
    if (key.length !== name.length || key.toLowerCase() !== name) continue;
    const v = plain[key];
    return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/**
 * `Retry-After` in ms: delta-seconds (digits) or an HTTP date (RFC 9110 §10.2.3); `undefined` when
 * absent or unreadable. A date in the past is 0.
 * @example parseRetryAfter('7') // 7000
 * @example parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:30 GMT')) // 30000
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined;
  let s = 0;
  let e = value.length;
  while (s < e && value.charCodeAt(s) === 32) s++;
  while (e > s && value.charCodeAt(e - 1) === 32) e--;
  if (s === e) return undefined;
  let seconds = 0;
  let digits = true;
  for (let i = s; i < e; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) {
      digits = false;
      break;
    }
    seconds = seconds * 10 + d;
  }
  if (digits) return Number.isFinite(seconds) ? seconds * 1000 : undefined;
  // an HTTP date names its month (IMF-fixdate, RFC 850, asctime): without a letter it is none
  // (Date.parse would read '-1' or '1.5' as years)
  let letter = false;
  for (let i = s; i < e && !letter; i++) {
    const c = value.charCodeAt(i) | 0x20;
    letter = c >= 97 && c <= 122;
  }
  if (!letter) return undefined;
  const at = Date.parse(value.slice(s, e));
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function lineList(lines: readonly { line: number }[]): string {
  let s = '';
  const n = Math.min(lines.length, MESSAGE_LINES);
  for (let i = 0; i < n; i++) s += (i > 0 ? ', ' : '') + String(lines[i]!.line);
  if (lines.length > n) s += ', ...';
  return (lines.length === 1 ? 'input line ' : 'input lines ') + s;
}

function shortBody(text: string): string {
  let s = 0;
  while (s < text.length && text.charCodeAt(s) <= 32) s++;
  const t = text.slice(s, s + MESSAGE_BODY);
  return t.length === 0 ? '(empty body)' : JSON.stringify(t) + (text.length - s > MESSAGE_BODY ? '...' : '');
}

/**
 * Reads the endpoint's answer and classifies it (see {@link IngestOutcomeKind}).
 *
 * @param status the HTTP status
 * @param bodyText the response body as text (JSON or not, possibly empty)
 * @param lineMap the piece's line map from `splitMetrics`: `lineMap[i]` is the input line of the
 *   body's line `i + 1`; without it line numbers are the body's own
 * @param headers response headers; `Retry-After` (seconds or HTTP date) sets `retryAfterMs`
 * @param attempt retries already made for this body (0 for the first answer): without
 *   `Retry-After`, `retryAfterMs` is the backoff ceiling of {@link RETRY_DEFAULTS} (200 ms × 2^attempt,
 *   at most 5 s; add jitter with `retryDelay` when many producers share an endpoint)
 * @example
 * const res = await fetch(url, { method: 'POST', body: piece.body, headers });
 * const outcome = readIngestResponse(res.status, await res.text(), piece.lineMap, res.headers);
 * if (outcome.kind === 'retryable') await sleep(outcome.retryAfterMs!);
 */
export function readIngestResponse(
  status: number,
  bodyText: string,
  lineMap?: Int32Array | readonly number[],
  headers?: IngestResponseHeaders,
  attempt = 0,
): IngestOutcome {
  const parsed = typeof bodyText === 'string' && bodyText.length > 0 ? parseJson(bodyText) : undefined;
  const body = isObject(parsed) ? parsed : undefined;
  const map = mapper(lineMap);
  const error = body !== undefined && isObject(body.error) ? body.error : undefined;
  const warningsObject = body?.warnings;
  const linesOk = count(body?.linesOk) ?? count(body?.linesValid) ?? 0;
  const linesInvalid = count(body?.linesInvalid) ?? 0;
  const invalidLines = entries(error?.invalidLines, 'error', map);
  // the API reference says `changedMetricKeys`, a real 2024 answer said `warningLines` (spec §4)
  let warnings: WarningLine[] = [];
  if (isObject(warningsObject)) {
    warnings = entries(warningsObject.changedMetricKeys, 'warning', map).concat(entries(warningsObject.warningLines, 'warning', map));
  } else if (Array.isArray(warningsObject)) {
    warnings = entries(warningsObject, 'warning', map);
  }
  const serverMessage = typeof error?.message === 'string' ? error.message : undefined;
  const said = serverMessage !== undefined ? `: ${serverMessage}` : body === undefined && bodyText.length > 0 ? `: ${shortBody(bodyText)}` : '';
  // a ValidationResponse carries its counts; an ErrorEnvelope, HTML or nothing does not
  const validationResponse =
    body !== undefined && (count(body.linesOk) !== undefined || count(body.linesValid) !== undefined) && count(body.linesInvalid) !== undefined;
  const out: IngestOutcome = { kind: 'rejected', stored: 'none', validationResponse, status, linesOk, linesInvalid, invalidLines, warnings, message: '' };
  const warned = warnings.length > 0 ? ` ${warnings.length} warning${warnings.length === 1 ? '' : 's'} (key rewrites).` : '';
  const unlisted =
    linesInvalid > invalidLines.length ? ` The endpoint listed ${invalidLines.length} of ${linesInvalid}; validate the body locally to find the others.` : '';

  if (status >= 200 && status < 300 && validationResponse) {
    out.kind = 'accepted';
    out.stored = 'all';
    out.message = `accepted (status ${status}): ${linesOk > 0 ? `${linesOk} lines ingested` : 'the body was ingested'}.${warned}`;
  } else if (status >= 200 && status < 300) {
    out.kind = 'unknown';
    out.stored = 'unknown';
    out.message = `outcome unknown (status ${status} without a ValidationResponse${said}): the lines were probably ingested, but the answer does not say so; resending may count them twice.`;
  } else if (status === 413) {
    out.kind = 'too-large';
    out.message = `too large (status 413${said}): nothing was ingested; split the body (splitMetrics) and send the pieces.`;
  } else if (status === 429 || status === 503) {
    out.kind = 'retryable';
    const fromHeader = parseRetryAfter(responseHeader(headers, 'retry-after'), Date.now());
    out.retryAfterMs = fromHeader ?? backoffCeiling(attempt);
    out.message = `${status === 429 ? 'rate limited' : 'endpoint unavailable'} (status ${status}${said}): nothing was ingested; send the same body again in ${out.retryAfterMs} ms${fromHeader !== undefined ? ' (Retry-After)' : ''}.`;
  } else if (status >= 500) {
    out.kind = 'unknown';
    out.stored = 'unknown';
    const why = status === 502 || status === 504 ? 'a gateway passed the request on and got no usable answer' : 'server error';
    out.message = `outcome unknown (status ${status}${said}): ${why}; the endpoint may have stored part of the body, so resending it may count lines twice.`;
  } else if (status === 400 && validationResponse && linesOk > 0) {
    out.kind = 'partial';
    out.stored = 'lines';
    out.message =
      `partly ingested (status 400): ${linesOk} lines ingested, ${linesInvalid} invalid` +
      (invalidLines.length > 0 ? ` (${lineList(invalidLines)})` : '') +
      `. Never resend this body: its valid lines are already stored and would be counted twice; fix and send only the invalid lines.${unlisted}${warned}`;
  } else if (status === 400 && validationResponse) {
    out.kind = 'rejected';
    out.stored = 'lines';
    out.message =
      `rejected (status 400${said}): nothing was ingested` +
      (invalidLines.length > 0 ? `; ${linesInvalid} invalid lines (${lineList(invalidLines)})` : '') +
      `. Fix the body before sending it again.${unlisted}`;
  } else if (status === 400) {
    out.message = `rejected (status 400${said}): not a ValidationResponse, so no line was judged; nothing was ingested.`;
  } else if (status === 401 || status === 403) {
    out.message = `rejected (status ${status}${said}): check the API token and its scope 'metrics.ingest'; nothing was ingested.`;
  } else if (status === 404) {
    out.message = `rejected (status 404${said}): check the environment URL and the path /api/v2/metrics/ingest; nothing was ingested.`;
  } else {
    out.message = `rejected (status ${status}${said}): nothing was ingested; resending the same request will not help.`;
  }
  return out;
}
