/**
 * Reading the endpoint's answer to `POST /api/v2/metrics/ingest` (spec §4) and deciding what the
 * producer does next: nothing, fix lines, split, or retry later. Tolerant of every shape seen in the
 * wild (`changedMetricKeys` or `warningLines`, `linesOk` or `linesValid`, `null` fields, the classic
 * `ErrorEnvelope`, bodies that are not JSON at all).
 *
 * @module
 */
import type { InvalidLine, WarningLine } from '../types.js';

/**
 * What happened to a request:
 * - `accepted`: every line was ingested (2xx);
 * - `partial`: status 400 but some lines were ingested: never resend the body, fix and send only the
 *   invalid lines;
 * - `rejected`: nothing was ingested and resending the same body fails again (400 with no valid
 *   line, `empty request`, other 4xx such as 401/403/404);
 * - `retryable`: nothing to fix in the body; send it again later (429, 5xx);
 * - `too-large`: 413; split the body (`splitMetrics`) and send the pieces.
 *
 * Decision: 5xx other than 502/503/504 is `retryable` too (the message warns that part of the body may
 * already be stored); 1xx/3xx and unknown statuses are `rejected`.
 *
 * @example if (outcome.kind === 'retryable') setTimeout(resend, outcome.retryAfterMs)
 */
export type IngestOutcomeKind = 'accepted' | 'partial' | 'rejected' | 'retryable' | 'too-large';

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
  /** For `retryable`: how long to wait, from `Retry-After` when given, else an exponential backoff. */
  retryAfterMs?: number;
  /** One sentence for a log: what happened and what to do. */
  message: string;
}

/**
 * Response headers, as a plain object (any letter case) or a fetch `Headers`.
 * @example { 'Retry-After': '30' }
 */
export type IngestResponseHeaders = { readonly [name: string]: string | string[] | undefined } | { get(name: string): string | null };

/** First wait of the exponential backoff, ms (doubled per attempt). */
const BACKOFF_BASE_MS = 1_000;
/** Longest suggested wait, ms: beyond a minute a producer should rather buffer or drop. */
const BACKOFF_MAX_MS = 60_000;
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
    out.push({ line: map(line), [field]: typeof text === 'string' ? text : text === undefined || text === null ? '' : String(text) } as { line: number } & Record<T, string>);
  }
  return out;
}

function header(headers: IngestResponseHeaders | undefined, name: string): string | undefined {
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
 * absent or unreadable.
 */
function retryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
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
  if (digits) return seconds * 1000;
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
 *   `Retry-After`, `retryAfterMs` is 1 s × 2^attempt, at most 60 s (add jitter when many producers
 *   share an endpoint)
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
  const out: IngestOutcome = { kind: 'rejected', status, linesOk, linesInvalid, invalidLines, warnings, message: '' };
  const warned = warnings.length > 0 ? ` ${warnings.length} warning${warnings.length === 1 ? '' : 's'} (key rewrites).` : '';
  const unlisted = linesInvalid > invalidLines.length ? ` The endpoint listed ${invalidLines.length} of ${linesInvalid}; validate the body locally to find the others.` : '';

  if (status >= 200 && status < 300) {
    out.kind = 'accepted';
    out.message = `accepted (status ${status}): ${linesOk > 0 ? `${linesOk} lines ingested` : 'the body was ingested'}.${warned}`;
  } else if (status === 413) {
    out.kind = 'too-large';
    out.message = `too large (status 413${said}): nothing was ingested; split the body (splitMetrics) and send the pieces.`;
  } else if (status === 429 || status >= 500) {
    out.kind = 'retryable';
    const fromHeader = retryAfter(header(headers, 'retry-after'), Date.now());
    // a non-finite attempt counts as the first: NaN would make the wait NaN, i.e. a retry storm
    const tries = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt)) : 0;
    const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** tries);
    out.retryAfterMs = fromHeader ?? backoff;
    const why = status === 429 ? 'rate limited' : status === 502 || status === 503 || status === 504 ? 'endpoint unavailable' : 'server error';
    // 502/503/504 come from before the ingest; after a plain 500 some lines may already be stored
    const caveat = status === 429 || status === 502 || status === 503 || status === 504 ? '' : ' The server may have stored part of the body: a resent count delta can be counted twice.';
    out.message = `${why} (status ${status}${said}): send the same body again in ${out.retryAfterMs} ms${fromHeader !== undefined ? ' (Retry-After)' : ''}.${caveat}`;
  } else if (status === 400 && linesOk > 0) {
    out.kind = 'partial';
    out.message =
      `partly ingested (status 400): ${linesOk} lines ingested, ${linesInvalid} invalid` +
      (invalidLines.length > 0 ? ` (${lineList(invalidLines)})` : '') +
      `. Never resend this body: its valid lines are already stored and would be counted twice; fix and send only the invalid lines.${unlisted}${warned}`;
  } else if (status === 400) {
    out.kind = 'rejected';
    out.message =
      `rejected (status 400${said}): nothing was ingested` +
      (invalidLines.length > 0 ? `; ${linesInvalid} invalid lines (${lineList(invalidLines)})` : '') +
      `. Fix the body before sending it again.${unlisted}`;
  } else if (status === 401 || status === 403) {
    out.message = `rejected (status ${status}${said}): check the API token and its scope 'metrics.ingest'; nothing was ingested.`;
  } else if (status === 404) {
    out.message = `rejected (status 404${said}): check the environment URL and the path /api/v2/metrics/ingest; nothing was ingested.`;
  } else {
    out.message = `rejected (status ${status}${said}): nothing was ingested; resending the same request will not help.`;
  }
  return out;
}
