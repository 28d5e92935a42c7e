/**
 * Sending metrics with every line accounted for: `sendMetrics(body, { url, token })` splits the body
 * by bytes (`splitMetrics`), posts the pieces one after the other, retries what the endpoint did not
 * store (429, 503, a connection that could not be opened) with backoff and jitter within a time
 * budget, honours `Retry-After`, and never sends again what may have been stored.
 *
 * The answer puts every non-blank line of the body, in the caller's line numbers, in exactly one class:
 * - **invalid**: judged invalid before sending (`invalid` option), too long for any request, or
 *   rejected by the endpoint; never stored. Listed with its text.
 * - **not ingested**: definitely not stored (never sent, or answered with a status that stores
 *   nothing: 429/503 after the retries, 401, 403, 404, a 400 that is not a `ValidationResponse`, ...);
 *   safe to resend. Complete ranges such as `"4-7,12"`.
 * - **unknown**: sent, but the outcome is not known (no answer in time, the connection lost while or
 *   after sending, 500/502/504, a 2xx that is not a `ValidationResponse`, a 400 whose list of invalid
 *   lines is incomplete); resending may store them twice. Complete ranges.
 * - **ingested**: everything else; stored exactly once.
 *
 * After a piece ends in *not ingested* or *unknown* no further piece is sent (the next ones would
 * meet the same endpoint): they are *not ingested*. The retry rules and `Retry-After` parsing are
 * those of `readIngestResponse` (`./response.ts`).
 *
 * @module
 */
import { METRICS_DEFAULTS, type MetricsOptions } from '../protocol/options.js';
import { LF } from '../protocol/chars.js';
import { toBytes } from '../metrics/parser.js';
import { LineVerdict, mapLines, type LineMap } from '../scan/line-map.js';
import type { InvalidLine, ValidationResponse, WarningLine } from '../types.js';
import {
  RETRY_DEFAULTS,
  parseRetryAfter,
  readIngestResponse,
  responseHeader,
  retryDelay,
  type IngestOutcome,
  type IngestOutcomeKind,
  type IngestResponseHeaders,
  type RetryPolicy,
} from './response.js';
import { splitMapped } from './split.js';

/**
 * One HTTP request of a sender.
 * @example { url: 'https://abc.live.dynatrace.com/api/v2/metrics/ingest', body, headers: { authorization: 'Api-Token ...' }, signal }
 */
export interface IngestRequest {
  url: string;
  body: Uint8Array;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Aborted on the attempt's timeout or the caller's signal; the transport must stop then. */
  signal: AbortSignal;
}

/**
 * The endpoint's answer, body read completely.
 * @example { status: 202, headers: new Headers(), text: '{"linesOk":1,"linesInvalid":0,"error":null,"warnings":null}' }
 */
export interface IngestAnswer {
  status: number;
  headers: IngestResponseHeaders;
  text: string;
}

/**
 * Performs one request. It rejects when no complete answer came. To say that nothing reached the
 * endpoint (so the request may be retried), reject with an error whose `code` (or whose `cause`'s
 * `code`) is one of `NOT_SENT_CODES`, or that has `notSent: true`; any other rejection means
 * the outcome is unknown.
 * @example const transport: IngestTransport = async (r) => ({ status: 202, headers: {}, text: '{"linesOk":1,"linesInvalid":0}' });
 */
export type IngestTransport = (request: IngestRequest) => Promise<IngestAnswer>;

/**
 * An answer that kept its bytes (the proxy's transport): a binary answer (OTLP's protobuf) is passed
 * on as they are. Internal: not exported by the package.
 */
export interface RawAnswer extends IngestAnswer {
  bytes: Uint8Array;
}

/** Whether a transport's answer kept its bytes. */
export function isRawAnswer(answer: IngestAnswer): answer is RawAnswer {
  return (answer as { bytes?: unknown }).bytes instanceof Uint8Array;
}

/**
 * How the proxy's requests differ from a library sender's. Internal: not exported by the package.
 * @example await postRead(body, options, { contentEncoding: 'gzip' })
 */
export interface PostHow {
  /** Sent as `Content-Encoding`: a body forwarded compressed, as it came (OTLP). */
  contentEncoding?: string;
}

/**
 * Error codes of a connection that was never opened: nothing of the request left, so it is safe to
 * retry (`ECONNREFUSED`, DNS failures, no route, undici's connect timeout). A connection reset or
 * closed after it was open is not among them: the request may have arrived.
 * @example NOT_SENT_CODES.has('ECONNREFUSED') // true
 */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * The default transport: the global `fetch` (undici), redirects not followed.
 * @example await fetchTransport({ url, body, headers, signal })
 */
export const fetchTransport: IngestTransport = async (request) => {
  const res = await fetch(request.url, {
    method: 'POST',
    body: request.body as Uint8Array<ArrayBuffer>,
    headers: request.headers,
    redirect: 'manual',
    signal: request.signal,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
};

/**
 * How {@link sendMetrics} (and {@link postIngest}) send.
 * @example const options: SendMetricsOptions = { url: 'https://abc.live.dynatrace.com/api/v2/metrics/ingest', token: process.env.DT_TOKEN };
 */
export interface SendMetricsOptions extends Partial<RetryPolicy> {
  /** The ingest URL, path included (`https://abc123.live.dynatrace.com/api/v2/metrics/ingest`). */
  url: string;
  /** API token: sent as `Authorization: Api-Token <token>`. */
  token?: string;
  /** The whole `Authorization` header (a proxy passes its caller's); wins over `token`. */
  authorization?: string;
  /** `Content-Type` sent. Default `text/plain; charset=utf-8`. */
  contentType?: string;
  /** `User-Agent` sent. Default `dt-ingest`. */
  userAgent?: string;
  /** Largest request in bytes; bigger bodies are split on line boundaries. Default the metrics `maxBodyBytes` (1,048,576). */
  maxBytes?: number;
  /** Time limit of one attempt (connect, send, answer), ms. Default 10,000. */
  timeoutMs?: number;
  /** Random source of the backoff jitter. Default `Math.random`. */
  random?: () => number;
  /** Stops sending: the piece in flight becomes unknown, the rest not ingested, a backoff wait ends. */
  signal?: AbortSignal;
  /** Performs the requests. Default {@link fetchTransport}. */
  transport?: IngestTransport;
  /** The caller's line number of each body line (`lineMap[i]` for line `i + 1`), e.g. when the body holds the valid lines of a larger one. Default the body's own numbers. */
  lineMap?: Int32Array | readonly number[];
  /**
   * The body's line map, when a validator made one (`MetricsValidator`'s `lineMap` setting): the body
   * is then not cut into lines again (splitting and the ledger read the map). It must stay unchanged
   * until the promise settles.
   */
  lines?: LineMap;
  /** Lines judged invalid before sending, in the caller's numbers; `linesInvalid` may exceed the list when a validator capped it. Merged into the answer. */
  invalid?: { linesInvalid: number; invalidLines: readonly InvalidLine[] };
  /** How the answer lists lines, as the endpoint does: `maxReportedErrors`, `maxReportedWarnings`, `warningsField`. */
  metrics?: Pick<MetricsOptions, 'maxReportedErrors' | 'maxReportedWarnings' | 'warningsField'>;
  /** Called after every attempt with the class of its answer (`error`: no answer) and whether a retry follows. */
  onAttempt?: (outcome: IngestOutcomeKind | 'error', retrying: boolean) => void;
}

/**
 * `error` of a {@link MetricsAccountingBody}: the endpoint's `MetricIngestError` plus the lines not
 * ingested and the lines of unknown outcome, as complete ranges (`"4-7,12"`, `""` when none).
 * @example { code: 502, message: '...', invalidLines: [], notIngestedLines: '4-7,12', unknownLines: '3' }
 */
export interface MetricsAccountingError {
  code: number;
  message: string;
  invalidLines: InvalidLine[];
  notIngestedLines: string;
  unknownLines: string;
}

/**
 * The answer body: a `ValidationResponse`, with `error` carrying `notIngestedLines` and
 * `unknownLines` whenever some line was not ingested or its outcome is unknown.
 * @example { linesOk: 3, linesInvalid: 0, error: { code: 502, message: '...', invalidLines: [], notIngestedLines: '4-7', unknownLines: '' }, warnings: null }
 */
export type MetricsAccountingBody = Omit<ValidationResponse, 'error'> & { error: MetricsAccountingError | ValidationResponse['error'] };

/**
 * A single upstream answer that accounts for the whole body (one request, nothing split off or
 * judged before): a proxy may pass it through as it is.
 * @example { status: 202, text: '{"linesOk":2,"linesInvalid":0,"error":null,"warnings":null}', headers: res.headers }
 */
export interface VerbatimAnswer {
  status: number;
  text: string;
  headers: IngestResponseHeaders;
}

/**
 * What {@link sendMetrics} returns: the four classes, and the answer in the endpoint's shape.
 * `linesOk + linesInvalid + linesNotIngested + linesUnknown` is the number of non-blank body lines.
 * @example if (result.linesNotIngested > 0) resend(parseLineRanges(result.notIngestedLines));
 */
export interface SendMetricsResult {
  /** 202 all ingested; 400 some invalid, the rest ingested; otherwise see the module (`docs/proxy.md`). */
  status: number;
  /** The answer body in the endpoint's shape (`invalidLines` capped at `maxReportedErrors` as the endpoint caps it). */
  body: MetricsAccountingBody;
  /** Headers worth passing on (`retry-after` of the last 429/503). */
  headers: Record<string, string>;
  /** Lines stored exactly once. */
  linesOk: number;
  /** Lines invalid (judged before sending, too long, or rejected by the endpoint). */
  linesInvalid: number;
  /** Every invalid line the answers named, sorted, not capped. */
  invalidLines: InvalidLine[];
  /** Lines definitely not stored: safe to resend. */
  linesNotIngested: number;
  /** Their ranges, complete: `"4-7,12"`. */
  notIngestedLines: string;
  /** Lines sent whose outcome is unknown: resending may store them twice. */
  linesUnknown: number;
  /** Their ranges, complete. */
  unknownLines: string;
  /** Warnings (key rewrites) of the answers, sorted. */
  warnings: WarningLine[];
  /** HTTP attempts made (retries included). */
  requests: number;
  /** Retries among them. */
  retries: number;
  /** Set when one upstream answer accounts for the whole body; a proxy may pass it through. */
  verbatim?: VerbatimAnswer;
  /** One sentence: what happened and what to do. */
  message: string;
}

/**
 * Sorted line numbers as ranges: `"4-7,12"`. Duplicates are ignored.
 * @example formatLineRanges([4, 5, 6, 7, 12]) // '4-7,12'
 */
export function formatLineRanges(sorted: ArrayLike<number>): string {
  let out = '';
  let i = 0;
  while (i < sorted.length) {
    const first = sorted[i]!;
    let last = first;
    i++;
    while (i < sorted.length && (sorted[i] === last + 1 || sorted[i] === last)) last = sorted[i++]!;
    out += (out === '' ? '' : ',') + (first === last ? String(first) : `${first}-${last}`);
  }
  return out;
}

/**
 * The line numbers of ranges written by `formatLineRanges` (spaces allowed). Throws a
 * `TypeError` for text that is not such a list.
 * @example parseLineRanges('4-7,12') // [4, 5, 6, 7, 12]
 */
export function parseLineRanges(ranges: string, maxLines: number = 100_000_000): number[] {
  const out: number[] = [];
  if (ranges.trim() === '') return out;
  for (const part of ranges.split(',')) {
    const dash = part.indexOf('-');
    const a = Number(dash < 0 ? part : part.slice(0, dash));
    const b = dash < 0 ? a : Number(part.slice(dash + 1));
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 1 || b < a || part.trim() === '') throw new TypeError(`dt-ingest: '${part}' is not a line range`);
    if (out.length + (b - a + 1) > maxLines) throw new TypeError('dt-ingest: too many lines in the ranges');
    for (let n = a; n <= b; n++) out.push(n);
  }
  return out;
}

/** The effect of one piece's exchange, after its retries (see {@link PostIngestResult}). */
type Exchange = PostIngestResult;

/** The classes being collected, in the caller's line numbers. */
class Ledger {
  ok = 0;
  readonly invalid: InvalidLine[] = [];
  /** Invalid lines judged before sending that the caller's list does not name. */
  invalidUnlisted = 0;
  readonly notIngested: number[] = [];
  readonly unknown: number[] = [];
  readonly warnings: WarningLine[] = [];
}

/** Longest range list a message quotes (the fields hold every list whole). */
const MESSAGE_RANGES = 100;

/** Why the sending stopped early: the status to answer, one sentence, headers to pass on. */
interface Stop {
  status: number;
  why: string;
  headers: Record<string, string>;
}

/**
 * One request body with the caller's line number of each of its lines, and their verdicts in the
 * body's line map (a view: {@link LineVerdict.BLANK} for a blank line).
 */
interface Piece {
  body: Uint8Array;
  lineMap: Int32Array;
  verdicts: Uint8Array;
}

function pushLines(to: number[], map: Int32Array, verdicts: Uint8Array, skip?: Set<number>): void {
  for (let i = 0; i < map.length; i++) {
    if (verdicts[i] === LineVerdict.BLANK) continue;
    if (skip?.has(i + 1)) continue;
    to.push(map[i]!);
  }
}

function errorCode(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return '';
}

function notSent(err: unknown): boolean {
  if (typeof err === 'object' && err !== null && (err as { notSent?: unknown }).notSent === true) return true;
  return NOT_SENT_CODES.has(errorCode(err));
}

/**
 * A URL without its query string (which may carry secrets), for messages.
 * @example urlForMessage('https://x/api/v2/metrics/ingest?api-token=T') // 'https://x/api/v2/metrics/ingest'
 */
export function urlForMessage(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/**
 * Resolves after `ms`, or at once when `signal` aborts.
 * @example await delay(200, signal)
 */
export function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * What {@link postIngest} needs: the sending half of {@link SendMetricsOptions}.
 * @example const o: PostIngestOptions = { url, token, contentType: 'application/json; charset=utf-8' };
 */
export type PostIngestOptions = Pick<
  SendMetricsOptions,
  'url' | 'token' | 'authorization' | 'contentType' | 'userAgent' | 'timeoutMs' | 'random' | 'signal' | 'transport' | 'onAttempt' | keyof RetryPolicy
> & {
  /** Epoch ms after which no retry wait starts. Default now + `retryBudgetMs`. */
  deadline?: number;
};

/**
 * The result of {@link postIngest}: the answer after the retries, or why none came (`sent`: the request
 * may have arrived).
 * @example if (r.kind === 'failed' && r.sent) warn('the endpoint may have stored it')
 */
export type PostIngestResult =
  | { kind: 'answer'; answer: IngestAnswer; attempts: number }
  | {
      kind: 'failed';
      /** The request may have arrived (the endpoint may have stored it). */
      sent: boolean;
      /** Why no answer came. */
      reason: string;
      /** Whether the attempt's time limit cut it. */
      timedOut: boolean;
      attempts: number;
    };

function requestHeaders(o: PostIngestOptions, encoding: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': o.contentType ?? 'text/plain; charset=utf-8',
    accept: 'application/json; charset=utf-8',
    'user-agent': o.userAgent ?? 'dt-ingest',
  };
  if (encoding !== undefined) headers['content-encoding'] = encoding;
  if (o.authorization !== undefined) headers.authorization = o.authorization;
  else if (o.token !== undefined) headers.authorization = `Api-Token ${o.token}`;
  return headers;
}

/**
 * POSTs one body, retrying under the rules of `readIngestResponse`: only answers that stored nothing
 * and say so (`retryable`: 429, 503) and connections that were never opened are retried, at most
 * `retryCount` times, waiting `retryDelay` (full jitter, at least `Retry-After`), never starting
 * a wait that ends past the deadline. Used by {@link sendMetrics} per piece and by the proxy for JSON
 * bodies. Never throws for a network failure: it is a `failed` result.
 * @example const r = await postIngest(bytes, { url, token, contentType: 'application/json; charset=utf-8' });
 */
export async function postIngest(body: Uint8Array, options: PostIngestOptions): Promise<PostIngestResult> {
  return (await postRead(body, options)).result;
}

/**
 * What {@link postRead} returns: the result of {@link postIngest} and the last answer as
 * `readIngestResponse` classified it (undefined without an answer).
 * Internal: not exported by the package.
 */
export interface PostRead {
  result: PostIngestResult;
  outcome: IngestOutcome | undefined;
}

/**
 * {@link postIngest}, and the last answer as `readIngestResponse` classified it (undefined without
 * an answer): `sendMetrics` reads it from here instead of parsing the answer's JSON a second time, and
 * the proxy sends a body that fits in one request with it, handing the exchange to `sendMetrics`
 * only when the answer is not a plain acceptance. Internal: not exported by the package.
 * @example const { result, outcome } = await postRead(body, options);
 */
export async function postRead(body: Uint8Array, options: PostIngestOptions, how?: PostHow): Promise<PostRead> {
  const policy: RetryPolicy = {
    retryCount: options.retryCount ?? RETRY_DEFAULTS.retryCount,
    retryBudgetMs: options.retryBudgetMs ?? RETRY_DEFAULTS.retryBudgetMs,
    retryBaseMs: options.retryBaseMs ?? RETRY_DEFAULTS.retryBaseMs,
    retryMaxDelayMs: options.retryMaxDelayMs ?? RETRY_DEFAULTS.retryMaxDelayMs,
  };
  const deadline = options.deadline ?? Date.now() + policy.retryBudgetMs;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const transport = options.transport ?? fetchTransport;
  const random = options.random ?? Math.random;
  const headers = requestHeaders(options, how?.contentEncoding);
  const outer = options.signal;
  for (let attempt = 0; ; attempt++) {
    if (aborted(outer))
      return {
        result: { kind: 'failed', sent: false, reason: 'the send was aborted before this request', timedOut: false, attempts: attempt },
        outcome: undefined,
      };
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onAbort = (): void => controller.abort(new Error('aborted by the caller'));
    outer?.addEventListener('abort', onAbort, { once: true });
    let result: Exchange;
    let outcome: IngestOutcome | undefined;
    let retryAfter: number | undefined;
    let retryable: boolean;
    let kind: IngestOutcomeKind | 'error';
    try {
      const answer = await transport({ url: options.url, body, headers, signal: controller.signal });
      outcome = readIngestResponse(answer.status, answer.text);
      result = { kind: 'answer', answer, attempts: attempt + 1 };
      kind = outcome.kind;
      retryable = outcome.kind === 'retryable';
      if (retryable) retryAfter = parseRetryAfter(responseHeader(answer.headers, 'retry-after'));
    } catch (err) {
      const code = errorCode(err);
      const what = code !== '' ? code : err instanceof Error ? err.message : String(err);
      const never = !timedOut && !controller.signal.aborted && notSent(err);
      const reason = timedOut
        ? `no answer within ${timeoutMs} ms`
        : controller.signal.aborted
          ? 'aborted by the caller while the request was under way'
          : never
            ? `connection failed (${what})`
            : `connection lost (${what})`;
      result = { kind: 'failed', sent: !never, reason, timedOut, attempts: attempt + 1 };
      kind = 'error';
      retryable = never;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
    const pause = retryable && attempt < policy.retryCount ? retryDelay(attempt, policy, retryAfter, random) : -1;
    const again = pause >= 0 && Date.now() + pause <= deadline;
    options.onAttempt?.(kind, again);
    if (!again) return { result, outcome };
    await delay(pause, outer);
    if (aborted(outer)) return { result, outcome };
  }
}

/**
 * Sends a metrics body and accounts for every line (see the module). Never throws for an endpoint
 * or network failure: they are in the result. Throws a `TypeError` for a wrong option.
 *
 * @example
 * import { sendMetrics, parseLineRanges } from 'dt-ingest';
 * const r = await sendMetrics(body, { url: 'https://abc123.live.dynatrace.com/api/v2/metrics/ingest', token: process.env.DT_API_TOKEN });
 * if (r.linesNotIngested > 0) queue(parseLineRanges(r.notIngestedLines)); // safe to resend
 * if (r.linesUnknown > 0) log.warn(r.message);                            // resending may duplicate
 */
export function sendMetrics(body: string | Uint8Array, options: SendMetricsOptions): Promise<SendMetricsResult> {
  return sendMetricsAfter(body, options, undefined);
}

/**
 * {@link sendMetrics}, given `first`: the exchange of the whole body, already made with
 * {@link postRead} and these options (the proxy's one request); it is accounted for as the first
 * piece's instead of being sent again. Throws a `TypeError` when the body would not go as one
 * request. Internal: not exported by the package.
 * @example const r = await sendMetricsAfter(body, options, await postRead(body, options));
 */
export async function sendMetricsAfter(body: string | Uint8Array, options: SendMetricsOptions, first: PostRead | undefined): Promise<SendMetricsResult> {
  if (typeof options !== 'object' || options === null || typeof options.url !== 'string' || options.url === '')
    throw new TypeError('dt-ingest: sendMetrics needs options.url');
  const bytes = toBytes(body);
  const maxBytes = options.maxBytes ?? METRICS_DEFAULTS.maxBodyBytes;
  if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new TypeError('dt-ingest: maxBytes must be a positive integer');
  // the lines are cut once: by the validator that made the map, or here
  const lines = options.lines ?? mapLines(bytes);
  const split = splitMapped(bytes, lines, maxBytes, Number.POSITIVE_INFINITY);
  const outer = options.lineMap;
  const map = (line: number): number => (outer === undefined ? line : outer[line - 1]!);
  const toCaller = (inner: Int32Array): Int32Array => {
    if (outer === undefined) return inner;
    const out = new Int32Array(inner.length);
    for (let i = 0; i < inner.length; i++) out[i] = outer[inner[i]! - 1]!;
    return out;
  };
  const ledger = new Ledger();
  if (options.invalid !== undefined) {
    for (const l of options.invalid.invalidLines) ledger.invalid.push({ line: l.line, error: l.error });
    ledger.invalidUnlisted = Math.max(0, options.invalid.linesInvalid - options.invalid.invalidLines.length);
  }
  for (const big of split.oversized)
    ledger.invalid.push({ line: map(big.line), error: `line of ${big.bytes} bytes exceeds the request limit of ${maxBytes} bytes` });
  const queue: Piece[] = split.pieces.map((p) => ({
    body: p.body,
    lineMap: toCaller(p.lineMap),
    verdicts: lines.verdicts.subarray(p.first, p.first + p.lineMap.length),
  }));
  const deadline = Date.now() + (options.retryBudgetMs ?? RETRY_DEFAULTS.retryBudgetMs);
  const where = urlForMessage(options.url);
  // `first` (internal, the proxy's): the exchange of the whole body, already made by `postRead` with
  // these options; it stands for the first piece's, which must then be the whole body (one piece)
  let answered = first;
  if (first !== undefined && (queue.length !== 1 || queue[0]!.body.length !== bytes.length))
    throw new TypeError('dt-ingest: sendMetrics was given the exchange of a body that is not sent as one request');
  let requests = answered !== undefined ? answered.result.attempts : 0;
  let retries = answered !== undefined ? Math.max(0, answered.result.attempts - 1) : 0;
  let verbatim: VerbatimAnswer | undefined;
  let stop: Stop | undefined;
  // one request for the whole body, nothing judged before, its lines numbered as the caller's (no
  // blank line dropped before it, no caller's map): its answer may be passed on as it is
  let single = queue.length === 1 && options.invalid === undefined && split.oversized.length === 0 && outer === undefined && queue[0]!.lineMap[0] === 1;
  const onAttempt = options.onAttempt;
  const post: PostIngestOptions = {
    ...options,
    deadline,
    onAttempt: (kind, retrying) => {
      requests++;
      if (retrying) retries++;
      onAttempt?.(kind, retrying);
    },
  };

  while (queue.length > 0) {
    const piece = queue.shift()!;
    const blank = piece.verdicts;
    const { result: ex, outcome: read } = answered ?? (await postRead(piece.body, post));
    answered = undefined;
    if (ex.kind === 'failed') {
      pushLines(ex.sent ? ledger.unknown : ledger.notIngested, piece.lineMap, blank);
      const tries = `${ex.attempts} attempt${ex.attempts === 1 ? '' : 's'}`;
      stop = ex.sent
        ? { status: ex.timedOut ? 504 : 502, why: `${where}: ${ex.reason} (${tries}), after the request may have arrived:`, headers: {} }
        : { status: 502, why: `${where} is unreachable: ${ex.reason} (${tries}):`, headers: {} };
      break;
    }
    const { answer } = ex;
    // classified once, by the exchange that read it
    const outcome = read ?? readIngestResponse(answer.status, answer.text);
    if (outcome.kind === 'too-large') {
      // nothing of it was stored: send it again in halves, or, for one line, the endpoint rejected it
      const halves = halve(piece, blank);
      if (halves !== undefined) {
        single = false;
        queue.unshift(...halves);
        continue;
      }
      const said = serverMessage(answer.text);
      for (let i = 0; i < piece.lineMap.length; i++) {
        if (blank[i] !== LineVerdict.BLANK)
          ledger.invalid.push({ line: piece.lineMap[i]!, error: `the endpoint answered 413 to this line alone${said !== '' ? ` (${said})` : ''}` });
      }
      single = false;
      continue;
    }
    if (outcome.stored === 'all' || outcome.stored === 'lines') {
      const complete =
        outcome.stored === 'all'
          ? acceptAll(piece, blank, ledger)
          : judgeLines(piece, blank, outcome.linesOk, outcome.linesInvalid, outcome.invalidLines, ledger);
      for (const w of outcome.warnings)
        if (w.line >= 1 && w.line <= piece.lineMap.length) ledger.warnings.push({ line: piece.lineMap[w.line - 1]!, warning: w.warning });
      if (single && complete) verbatim = { status: answer.status, text: answer.text, headers: answer.headers };
      continue;
    }
    const passOn: Record<string, string> = {};
    const retryAfter = responseHeader(answer.headers, 'retry-after');
    if (retryAfter !== undefined) passOn['retry-after'] = retryAfter;
    const said = serverMessage(answer.text);
    const why = `${where} answered ${answer.status}${said !== '' ? ` ("${said.length > 200 ? said.slice(0, 200) + '...' : said}")` : ''} (${ex.attempts} attempt${ex.attempts === 1 ? '' : 's'})${outcome.stored === 'unknown' ? ', an answer that does not say what was stored' : ''}:`;
    if (outcome.stored === 'unknown') {
      pushLines(ledger.unknown, piece.lineMap, blank);
      stop = { status: 502, why, headers: passOn };
    } else {
      pushLines(ledger.notIngested, piece.lineMap, blank);
      // 1xx/3xx are no answer a sender can act on
      stop = { status: answer.status >= 400 ? answer.status : 502, why, headers: passOn };
      // a 400 that is not a ValidationResponse stored nothing, but a sender reading it as it is would
      // take every line as ingested: never passed on verbatim
      if (single && answer.status !== 400 && answer.status >= 400) verbatim = { status: answer.status, text: answer.text, headers: answer.headers };
    }
    break;
  }
  for (const piece of queue) pushLines(ledger.notIngested, piece.lineMap, piece.verdicts);
  return buildResult(ledger, stop, requests, retries, verbatim, options.metrics);
}

/** A 2xx with a `ValidationResponse`: every non-blank line of the piece was stored. */
function acceptAll(piece: Piece, blank: Uint8Array, ledger: Ledger): boolean {
  ledger.ok += piece.lineMap.length - countBlank(blank);
  return true;
}

/**
 * Splits a piece in two at its middle non-blank line (by lines, not bytes: a long line next to short
 * ones must not be taken for one that is too long on its own); `undefined` for a single line.
 */
function halve(piece: Piece, blank: Uint8Array): Piece[] | undefined {
  const nonBlank = piece.lineMap.length - countBlank(blank);
  if (nonBlank < 2) return undefined;
  let seen = 0;
  let line = 0;
  for (; line < blank.length; line++) {
    if (blank[line] === LineVerdict.BLANK) continue;
    if (seen++ === Math.floor(nonBlank / 2)) break;
  }
  // byte offset where 0-based line `line` starts
  let at = 0;
  for (let i = 0; i < line; i++) at = piece.body.indexOf(LF, at) + 1;
  return [
    { body: piece.body.subarray(0, at), lineMap: piece.lineMap.subarray(0, line), verdicts: blank.subarray(0, line) },
    { body: piece.body.subarray(at), lineMap: piece.lineMap.subarray(line), verdicts: blank.subarray(line) },
  ];
}

/** The `error.message` of an answer body, or `''`. */
function serverMessage(text: string): string {
  try {
    const v = JSON.parse(text) as { error?: { message?: unknown } };
    return typeof v?.error?.message === 'string' ? v.error.message : '';
  } catch {
    return '';
  }
}

function countBlank(verdicts: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < verdicts.length; i++) if (verdicts[i] === LineVerdict.BLANK) n++;
  return n;
}

/**
 * Sorts the lines of a piece answered 400 with a `ValidationResponse` into the classes. The listed
 * lines are invalid. The others are ingested when the answer accounts for every line (its counts add
 * up to the piece's non-blank lines and it lists every invalid one), invalid when it says no line was
 * stored, and unknown otherwise (the endpoint listed only the first few). Returns whether the answer
 * was complete.
 */
function judgeLines(piece: Piece, blank: Uint8Array, linesOk: number, linesInvalid: number, listed: readonly InvalidLine[], ledger: Ledger): boolean {
  const lines = piece.lineMap.length;
  const nonBlank = lines - countBlank(blank);
  const named = new Set<number>();
  let bogus = false;
  for (const l of listed) {
    if (!Number.isInteger(l.line) || l.line < 1 || l.line > lines || blank[l.line - 1] === LineVerdict.BLANK) {
      bogus = true;
      continue;
    }
    if (named.has(l.line)) continue;
    named.add(l.line);
    ledger.invalid.push({ line: piece.lineMap[l.line - 1]!, error: l.error });
  }
  const consistent = !bogus && linesOk + linesInvalid === nonBlank;
  if (consistent && named.size === linesInvalid) {
    ledger.ok += nonBlank - named.size;
    return true;
  }
  if (consistent && linesOk === 0) {
    for (let i = 0; i < lines; i++) {
      if (blank[i] === LineVerdict.BLANK || named.has(i + 1)) continue;
      ledger.invalid.push({
        line: piece.lineMap[i]!,
        error: `rejected by the endpoint (its answer lists only the first ${named.size} of ${linesInvalid} invalid lines)`,
      });
    }
    return false;
  }
  pushLines(ledger.unknown, piece.lineMap, blank, named);
  return false;
}

function sortedRanges(lines: number[]): string {
  const a = Int32Array.from(lines).sort();
  return formatLineRanges(a);
}

/** The result and its answer in the endpoint's shape. */
function buildResult(
  ledger: Ledger,
  stop: Stop | undefined,
  requests: number,
  retries: number,
  verbatim: VerbatimAnswer | undefined,
  metrics: SendMetricsOptions['metrics'],
): SendMetricsResult {
  const maxErrors = metrics?.maxReportedErrors ?? METRICS_DEFAULTS.maxReportedErrors;
  const maxWarnings = metrics?.maxReportedWarnings ?? METRICS_DEFAULTS.maxReportedWarnings;
  const field = metrics?.warningsField ?? METRICS_DEFAULTS.warningsField;
  const invalidLines = ledger.invalid.sort((a, b) => a.line - b.line);
  const warnings = ledger.warnings.sort((a, b) => a.line - b.line);
  const linesInvalid = invalidLines.length + ledger.invalidUnlisted;
  const notIngestedLines = sortedRanges(ledger.notIngested);
  const unknownLines = sortedRanges(ledger.unknown);
  const linesNotIngested = ledger.notIngested.length;
  const linesUnknown = ledger.unknown.length;
  const listed = invalidLines.slice(0, maxErrors);
  const warningsBody = warnings.length === 0 ? null : warningsObject(warnings.slice(0, maxWarnings), field);
  const invalidMessage = linesInvalid > listed.length ? `First ${listed.length} errors reported` : `${linesInvalid} invalid lines`;
  let status: number;
  let message: string;
  let error: MetricsAccountingBody['error'];
  const headers: Record<string, string> = {};
  if (linesNotIngested === 0 && linesUnknown === 0) {
    status = linesInvalid > 0 ? 400 : 202;
    error = linesInvalid > 0 ? { code: 400, message: invalidMessage, invalidLines: listed } : null;
    message = `${ledger.ok} lines ingested${linesInvalid > 0 ? `, ${linesInvalid} invalid` : ''} (${requests} request${requests === 1 ? '' : 's'}).`;
  } else {
    // nothing uncertain and nothing stored: the endpoint's own status (429, 503, 401, ...) tells the
    // sender to resend the whole body later or fix its setup; otherwise 502, or 504 after a timeout
    if (linesUnknown === 0 && ledger.ok === 0 && stop !== undefined) status = stop.status;
    else if (stop !== undefined && stop.status === 504) status = 504;
    else if (stop === undefined && linesNotIngested === 0)
      status = 400; // only an incomplete 400 list: the endpoint's own status
    else status = 502;
    if (stop !== undefined && (status === 429 || status === 503)) Object.assign(headers, stop.headers);
    const parts: string[] = [`${ledger.ok} lines ingested`];
    if (linesInvalid > 0) parts.push(`${linesInvalid} invalid (error.invalidLines)`);
    // the message quotes short lists only; the fields always hold them whole
    const quote = (ranges: string): string => (ranges.length <= MESSAGE_RANGES ? `: ${ranges}` : '');
    if (linesNotIngested > 0) parts.push(`${linesNotIngested} not ingested, safe to resend (error.notIngestedLines${quote(notIngestedLines)})`);
    if (linesUnknown > 0)
      parts.push(
        `${linesUnknown} of unknown outcome: they may have been stored, so resending them may store them twice (error.unknownLines${quote(unknownLines)})`,
      );
    message = stop !== undefined ? `${stop.why} ${parts.join('; ')}.` : `the endpoint's answers did not account for every line: ${parts.join('; ')}.`;
    error = { code: status, message, invalidLines: listed, notIngestedLines, unknownLines };
  }
  return {
    status,
    body: { linesOk: ledger.ok, linesInvalid, error, warnings: warningsBody },
    headers,
    linesOk: ledger.ok,
    linesInvalid,
    invalidLines,
    linesNotIngested,
    notIngestedLines,
    linesUnknown,
    unknownLines,
    warnings,
    requests,
    retries,
    ...(verbatim !== undefined ? { verbatim } : {}),
    message,
  };
}

function warningsObject(list: WarningLine[], field: 'changedMetricKeys' | 'warningLines'): ValidationResponse['warnings'] {
  return field === 'warningLines'
    ? { message: `First ${list.length} warnings reported`, warningLines: list }
    : { message: `First ${list.length} warnings reported`, changedMetricKeys: list };
}
