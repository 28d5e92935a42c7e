/**
 * One received request as the inspector keeps it: a small summary (what the list shows and the live
 * stream sends) and the rest for the detail view (headers with every credential redacted, the body,
 * the answer). Built once per request from what the handler already has.
 *
 * Memory: a record holds only what it owns. Strings cut from a longer one are copied flat (V8 keeps
 * the whole parent string alive behind a slice: a 64 KiB cut of a 3.7 MB answer would hold 3.7 MB),
 * and a kept body is one exact-size copy (a socket chunk or a pooled `Buffer` is a view of a larger
 * buffer). So a record costs what its fields say, within the documented `INSPECTOR_LIMITS`.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedEventsOptions } from '../../events/index.js';
import { deepestOpen } from '../../events/json.js';
import { EVENTS_DEFAULTS } from '../../events/options.js';
import type { ResolvedMetricsOptions } from '../../protocol/options.js';
import type { Answer } from '../http.js';
import type { UpstreamOutcome } from '../metrics.js';
import { INSPECTOR_LIMITS } from '../options.js';

/**
 * What the routes note about one request for the inspector (`src/serve/inspector/`): nothing here
 * costs more than a reference or a count, so the hot path stays as it is.
 * @example const notes: ExchangeNotes = { chunks: [], rules: [] };
 */
export interface ExchangeNotes {
  /** The body as it was read, chunk by chunk (references, not copies). */
  chunks: Uint8Array[];
  /** Distinct rule ids of the issues the validator found. */
  rules: string[];
  /** The metrics validator's options for this request (the body can be judged again, identically). */
  metricsOptions?: ResolvedMetricsOptions;
  /** The JSON validators' options for this request. */
  eventsOptions?: ResolvedEventsOptions;
  /** Metrics: non-blank lines of the body as judged locally. */
  lines?: number;
  /** JSON routes: error issues. */
  errors?: number;
  /** Warning issues. */
  warnings?: number;
  /** Proxy mode: the outcome of each upstream attempt. */
  attempts?: UpstreamOutcome[];
}

/**
 * How the lines of a proxied metrics body ended (the accounting contract of `docs/proxy.md`).
 * @example { ingested: 3, invalid: 1, notIngested: 4, unknown: 0 }
 */
export interface Accounting {
  ingested: number;
  invalid: number;
  notIngested: number;
  unknown: number;
}

/**
 * What the list shows of one request (and what the live stream sends).
 * @example { id: 7, at: 1767225600000, route: 'metrics', status: 400, linesOk: 2, linesInvalid: 1, rules: ['metric-key-char'], ... }
 */
export interface RequestSummary {
  /** Increasing id (1 for the first request since start). */
  id: number;
  /** When the answer was sent, epoch ms. */
  at: number;
  /** Time from the request's arrival to its answer, ms. */
  ms: number;
  method: string;
  /** Request target as received (path and query), cut to 300 characters. */
  target: string;
  /** Ingest route name, or `unknown` for a path that is no endpoint. */
  route: string;
  status: number;
  /** Metrics: the answer's `linesOk` / `linesInvalid` (`null` when the answer has none). */
  linesOk: number | null;
  linesInvalid: number | null;
  /** JSON bodies: error and warning issues (metrics: `linesInvalid` and warnings). */
  errors: number;
  warnings: number;
  /** Distinct rule ids of the issues found. */
  rules: string[];
  /** Body bytes read. */
  bytes: number;
  /** The sender's address and port. */
  sender: string;
  userAgent: string;
  contentType: string;
  /** The start of the body, as text. */
  snippet: string;
  /** Whether the body is still kept (detail, download). */
  bodyKept: boolean;
  /** The answer's error message, cut to 300 characters (`null` when it has none). */
  message: string | null;
  /** Proxy mode: the outcome of each upstream attempt (`readIngestResponse` kinds, `error`). */
  upstream: string[] | null;
  /** Proxy mode, metrics: what became of the body's lines. */
  accounting: Accounting | null;
}

/**
 * A request with what the detail view needs.
 * @example inspector.log.get(7)?.headers // [['content-type', 'text/plain'], ['authorization', 'Api-Token [redacted]']]
 */
export interface RequestRecord {
  summary: RequestSummary;
  /** Request headers as sent, credentials redacted at capture (the token is never kept). */
  headers: [string, string][];
  /** The full target (cut to 8,000 characters). */
  target: string;
  /** The body chunks, or `undefined` when not kept (no body, over the budget, or dropped since). */
  chunks: Uint8Array[] | undefined;
  /** The answer: its body as the client got it, cut to `answerChars` (a long warnings list can be megabytes). */
  answer: { status: number; headers: [string, string][]; body: string; cut: boolean };
  /** Proxy mode, metrics: the answer's `invalidLines` (lines the upstream may have rejected). */
  invalidLines: { line: number; error: string }[] | undefined;
  metricsOptions: ResolvedMetricsOptions | undefined;
  eventsOptions: ResolvedEventsOptions | undefined;
}

/**
 * Whether a header or query parameter name (lower case) carries a credential: the `Authorization`
 * family (`Proxy-Authorization`, `X-Forwarded-Authorization`, `X-Auth`, `X-Auth-Token`), cookies, and
 * any name that says token, secret, password, API key, session or credential. Matched by pattern, so
 * a header we have never seen (`X-My-Api-Token`) is covered too.
 * @example isSecretName('x-forwarded-authorization') // true
 */
export function isSecretName(lower: string): boolean {
  return (
    lower.includes('auth') ||
    lower.includes('cookie') ||
    lower.includes('token') ||
    lower.includes('secret') ||
    lower.includes('passw') ||
    lower.includes('api-key') ||
    lower.includes('apikey') ||
    lower.includes('api_key') ||
    lower.includes('session') ||
    lower.includes('credential') ||
    lower.includes('signature')
  );
}

/**
 * The text that replaces a credential.
 * @example redactHeaders(['Cookie', 'a=b'])[0][1] === REDACTED // true
 */
export const REDACTED = '[redacted]';

/**
 * Request headers as pairs, each credential's value replaced (an `Authorization`-like header keeps
 * its scheme: `Api-Token [redacted]`), so the token never reaches the inspector's memory.
 * @example redactHeaders(['Authorization', 'Api-Token dt0c01.X', 'Host', 'a']) // [['Authorization', 'Api-Token [redacted]'], ['Host', 'a']]
 */
export function redactHeaders(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    let value = raw[i + 1]!;
    if (isSecretName(lower)) {
      const sp = value.indexOf(' ');
      value = lower.includes('authorization') && sp > 0 && sp <= 20 ? `${value.slice(0, sp)} ${REDACTED}` : REDACTED;
    }
    out.push([own(name), own(value)]);
  }
  return out;
}

/**
 * A request target with the value of every credential query parameter replaced (`?Api-Token=...`,
 * `api-token`, `token`, `access_token`, any name {@link isSecretName} matches, case ignored, also
 * percent-encoded). The rest stays as received.
 * @example redactTarget('/api/v2/metrics/ingest?Api-Token=dt0c01.X&a=1') // '/api/v2/metrics/ingest?Api-Token=[redacted]&a=1'
 */
export function redactTarget(target: string): string {
  const q = target.indexOf('?');
  if (q < 0) return target;
  const parts = target.slice(q + 1).split('&');
  let changed = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    if (!isSecretName(decodeName(rawName).toLowerCase())) continue;
    parts[i] = `${rawName}=${REDACTED}`;
    changed = true;
  }
  return changed ? `${target.slice(0, q)}?${parts.join('&')}` : target;
}

/** A query parameter name decoded (`+` a space), or as it is when it is not valid percent-encoding. */
function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * Lines named by a range list such as `"4-7,12"`, counted without expanding it.
 * @example countLineRanges('4-7,12') // 5
 */
export function countLineRanges(ranges: string): number {
  let n = 0;
  for (const part of ranges.split(',')) {
    if (part.trim() === '') continue;
    const dash = part.indexOf('-');
    const a = Number(dash < 0 ? part : part.slice(0, dash));
    const b = dash < 0 ? a : Number(part.slice(dash + 1));
    if (Number.isInteger(a) && Number.isInteger(b) && b >= a) n += b - a + 1;
  }
  return n;
}

/**
 * A flat copy of a string: never a slice or a concatenation that refers to a larger string (V8 keeps
 * the parent of a sliced string, and `JSON.parse` makes strings that are slices of its input).
 * Lone surrogates become U+FFFD (what a page shows of them anyway).
 * @example own(bigAnswer.slice(0, 10)) // the 10 characters, not the answer
 */
export function own(text: string): string {
  return text === '' ? '' : Buffer.from(text, 'utf8').toString('utf8');
}

/** At most `max` characters of `text` (the last one `…` when cut), as a flat copy. */
function cut(text: string, max: number): string {
  return own(text.length <= max ? text : text.slice(0, max - 1) + '…');
}

/**
 * The body as one exact-size copy (or `undefined`): chunks are views of socket reads or of the
 * `Buffer` pool, each holding a larger buffer than the bytes counted against `uiBodyBytes`.
 */
function ownBody(chunks: readonly Uint8Array[] | undefined): Uint8Array[] | undefined {
  if (chunks === undefined) return undefined;
  let n = 0;
  for (const c of chunks) n += c.length;
  const copy = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    copy.set(c, at);
    at += c.length;
  }
  return [copy];
}

const snippetDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

function snippetOf(chunks: readonly Uint8Array[] | undefined): string {
  const first = chunks?.[0];
  if (first === undefined) return '';
  const max = INSPECTOR_LIMITS.snippetChars;
  // at most 4 bytes a character: enough bytes for the snippet, a cut character decodes as U+FFFD
  return cut(snippetDecoder.decode(first.subarray(0, max * 4)), max);
}

function bytesOf(chunks: readonly Uint8Array[]): number {
  let n = 0;
  for (const c of chunks) n += c.length;
  return n;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The proxy's account of a metrics body, from its answer (see "How a sender reads an answer"). */
function accountingOf(answer: Answer, body: unknown, lines: number | undefined): Accounting | null {
  if (isObject(body) && typeof body.linesOk === 'number' && typeof body.linesInvalid === 'number') {
    const error = isObject(body.error) ? body.error : undefined;
    const notIngested = typeof error?.notIngestedLines === 'string' ? countLineRanges(error.notIngestedLines) : 0;
    const unknown = typeof error?.unknownLines === 'string' ? countLineRanges(error.unknownLines) : 0;
    return { ingested: body.linesOk, invalid: body.linesInvalid, notIngested, unknown };
  }
  // an answer without the account stored nothing (413, 401, 429, 503 passed through)
  if (lines === undefined || answer.status < 300) return null;
  return { ingested: 0, invalid: 0, notIngested: lines, unknown: 0 };
}

/** The `invalidLines` of a proxy's answer (at most 1,000). */
function invalidLinesOf(error: Record<string, unknown> | undefined): { line: number; error: string }[] | undefined {
  const list = error?.invalidLines;
  if (!Array.isArray(list)) return undefined;
  const out: { line: number; error: string }[] = [];
  for (const e of list.slice(0, 1000) as unknown[])
    if (isObject(e) && typeof e.line === 'number') out.push({ line: e.line, error: typeof e.error === 'string' ? cut(e.error, 300) : '' });
  return out;
}

function parseOrText(text: string): unknown {
  // an upstream answer nested absurdly deep is shown as text, not parsed (JSON.parse would stall)
  if (deepestOpen(text, EVENTS_DEFAULTS.maxJsonDepth) >= 0) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The parts of one answered request the inspector is given.
 * @example buildRecord(1, { req, res, route: 'metrics', started, bytes: 12, answer, notes: undefined, proxy: false })
 */
export interface RecordInput {
  req: IncomingMessage;
  res: ServerResponse;
  route: string;
  started: number;
  bytes: number;
  answer: Answer;
  notes: ExchangeNotes | undefined;
  proxy: boolean;
}

/**
 * Builds the record of one answered request.
 * @example const record = buildRecord(7, { req, res, route: 'metrics', started, bytes, answer, notes, proxy: false });
 */
export function buildRecord(id: number, input: RecordInput, bodyBudget = Number.POSITIVE_INFINITY): RequestRecord {
  const { req, res, answer, notes } = input;
  // proxy mode passes the upstream's answer on as text: read it as the sender would
  const body = typeof answer.body === 'string' && answer.body.length <= INSPECTOR_LIMITS.parsedAnswerChars ? parseOrText(answer.body) : answer.body;
  const isMetrics = input.route === 'metrics';
  const vr = isObject(body) && typeof body.linesOk === 'number' && typeof body.linesInvalid === 'number' ? body : undefined;
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  const message = typeof error?.message === 'string' ? cut(error.message, 300) : null;
  const sock = req.socket as IncomingMessage['socket'] | null;
  const address = sock?.remoteAddress ?? '';
  const sender = address === '' ? '' : `${address.includes(':') ? `[${address}]` : address}:${sock?.remotePort ?? ''}`;
  // tokens in the query string (which the proxy forwards) never reach the inspector's memory
  const target = redactTarget(req.url ?? '/');
  // the body of a 413 (or of a client that left) was read only in part: not kept
  const read = notes !== undefined && notes.chunks.length > 0 && answer.status !== 413 && answer.status !== 499 ? notes.chunks : undefined;
  // within the budget only: a body over it is not copied at all (RequestLog would drop it)
  const chunks = read !== undefined && bytesOf(read) <= bodyBudget ? ownBody(read) : undefined;
  // the answer as text, as writeAnswer wrote it; kept cut, never as the object (bounded memory)
  const text =
    answer.text ?? (answer.body === null || answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  const max = INSPECTOR_LIMITS.answerChars;
  const headers = res.getHeaders();
  const answerHeaders: [string, string][] = [];
  for (const name of Object.keys(headers)) {
    const v = headers[name];
    if (v !== undefined) answerHeaders.push([name, isSecretName(name.toLowerCase()) ? REDACTED : cut(Array.isArray(v) ? v.join(', ') : String(v), 1000)]);
  }
  const summary: RequestSummary = {
    id,
    at: Date.now(),
    ms: Math.round((performance.now() - input.started) * 100) / 100,
    method: req.method ?? 'GET',
    target: cut(target, 300),
    route: input.route,
    status: answer.status,
    linesOk: vr !== undefined ? (vr.linesOk as number) : null,
    linesInvalid: vr !== undefined ? (vr.linesInvalid as number) : null,
    errors: isMetrics ? (vr !== undefined ? (vr.linesInvalid as number) : answer.status >= 400 ? 1 : 0) : (notes?.errors ?? (answer.status >= 400 ? 1 : 0)),
    warnings: notes?.warnings ?? 0,
    rules: notes?.rules ?? [],
    bytes: input.bytes,
    sender,
    userAgent: cut(req.headers['user-agent'] ?? '', 200),
    contentType: cut(req.headers['content-type'] ?? '', 200),
    snippet: snippetOf(chunks),
    bodyKept: chunks !== undefined,
    message,
    upstream: input.proxy && notes?.attempts !== undefined ? notes.attempts : null,
    accounting: input.proxy && isMetrics ? accountingOf(answer, body, notes?.lines) : null,
  };
  return {
    summary,
    headers: redactHeaders(req.rawHeaders),
    target: cut(target, 8000),
    chunks,
    answer: { status: answer.status, headers: answerHeaders, body: own(text.length > max ? text.slice(0, max) : text), cut: text.length > max },
    invalidLines: input.proxy && isMetrics ? invalidLinesOf(error) : undefined,
    metricsOptions: notes?.metricsOptions,
    eventsOptions: notes?.eventsOptions,
  };
}
