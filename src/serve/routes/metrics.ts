/**
 * The metrics route (`/api/v2/metrics/ingest` and its aliases): the body streams chunk by chunk into
 * the validator, which maps its lines as it judges them (the one line map, `scan/line-map.ts`); then
 * the mock keeps the valid lines, or the proxy forwards them, reading that map: the body is cut into
 * lines once.
 *
 * Proxy mode keeps the accounting contract (`docs/proxy.md`): every non-blank line of the sender's
 * body ends up invalid, not ingested, unknown, or ingested. Without `filter` a body with an invalid
 * line is not forwarded, so its valid lines are *not ingested*; with `filter` only the valid lines are
 * forwarded, as one body whose line map leads back to the sender's lines.
 *
 * @module
 */
import { MetricsValidator, type MetricsValidatorSettings } from '../../report/validate.js';
import { ResponseBuilder } from '../../report/response.js';
import { formatLineRanges } from '../../produce/send.js';
import { LineMap, LineVerdict, copyValidLines } from '../../scan/line-map.js';
import { LF } from '../../protocol/chars.js';
import type { ValidationResponse } from '../../types.js';
import type { IngestExchange, RouteResult, ServeContext } from '../context.js';
import { readBody, type Answer, type BodySink } from '../http.js';
import type { ExchangeNotes } from '../inspector/index.js';
import { forwardMetrics } from '../proxy.js';
import { WarningFragments, answerBytes } from '../answer-json.js';

/**
 * The 413 answer of the metrics route, in the validator's words.
 * @example metricsTooLarge(ctx, 2_000_000)
 */
export function metricsTooLarge(ctx: ServeContext, bytes: number): Answer {
  const built = new ResponseBuilder(ctx.metricsOptions()).build(bytes);
  return { status: 413, body: built.body };
}

/** The warning entries of answers, encoded once per distinct text (bounded), shared by every request. */
const fragments = new WarningFragments();

/**
 * Line maps of finished requests, reused: as many as requests commonly in flight (one is made when
 * they run out; a map made and grown for each request of a 1 MB body costs a few percent of the
 * server's CPU), and only maps of at most {@link KEPT_MAP_LINES} lines, so they hold at most ~5 MB.
 */
const freeMaps: LineMap[] = [];
const KEPT_MAPS = 32;
const KEPT_MAP_LINES = 32_768;

/** A finished map back to the pool (unless the pool is full or the map grew large). */
function giveMap(map: LineMap): void {
  if (freeMaps.length < KEPT_MAPS && map.verdicts.length <= KEPT_MAP_LINES) freeMaps.push(map);
}

/**
 * Bodies collected for forwarding kept for reuse: as many as requests commonly in flight (16
 * connections, two buffers each with `filter`); with fewer, every request beyond them allocated a
 * fresh 1 MB buffer, whose first writes fault its pages in (4.5 % of the proxy's samples at 16
 * connections in `bench/serve.mjs --cpu --profile`).
 */
const KEPT_BODIES = 32;

/**
 * A body collected for forwarding, in a buffer reused by later requests: the chunks are copied in as
 * they arrive (and dropped at once), instead of kept and joined into a fresh 1 MB buffer per request.
 */
class BodyBuffer {
  buf: Buffer;
  length = 0;

  /** @param size the room to start with (the declared length of the body, when known) */
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Room for `size` bytes, the bytes so far kept. */
  reserve(size: number): Buffer {
    if (size > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(size, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    return this.buf;
  }

  append(chunk: Uint8Array): void {
    this.reserve(this.length + chunk.length).set(chunk, this.length);
    this.length += chunk.length;
  }
}
const freeBodies: BodyBuffer[] = [];

/**
 * A body buffer with room for `declared` bytes (the request's `Content-Length`, checked against the
 * limit before: a body that says its size is copied in without growing the buffer on the way).
 */
function takeBody(declared: number): BodyBuffer {
  const size = declared > 0 ? declared : 65_536;
  const b = freeBodies.pop() ?? new BodyBuffer(size);
  b.length = 0;
  b.reserve(size);
  return b;
}

function giveBody(b: BodyBuffer, limit: number): void {
  // a buffer grown past the route's limit (a larger limit before) is not kept
  if (freeBodies.length < KEPT_BODIES && b.buf.length <= Math.max(limit, 65_536) * 2) freeBodies.push(b);
}

/**
 * The validator's settings for one request: the line map (proxy, record file) or the tail (the
 * mock's last lines); validate-only, or with the inspector the rule ids and warnings counted in its notes.
 */
function validatorSettings(map: LineMap | undefined, tail: boolean, notes: ExchangeNotes | undefined): MetricsValidatorSettings {
  const lines: MetricsValidatorSettings = map !== undefined ? { lineMap: map } : { tail };
  if (notes === undefined) return { ...lines, issues: false };
  return {
    ...lines,
    onIssue: (issue) => {
      if (issue.severity !== 'error') notes.warnings = (notes.warnings ?? 0) + 1;
      if (!notes.rules.includes(issue.rule)) notes.rules.push(issue.rule);
    },
  };
}

/** Hands each chunk to the validator, and keeps it (references) or collects a copy beside it. */
class Tee implements BodySink {
  constructor(
    private readonly v: MetricsValidator,
    private readonly chunks: Uint8Array[] | undefined,
    private readonly collected: BodyBuffer | undefined,
  ) {}

  push(chunk: Uint8Array): void {
    this.chunks?.push(chunk);
    this.collected?.append(chunk);
    this.v.push(chunk);
  }
}

/** Whether a verdict is a valid line (one the endpoint counts in `linesOk`). */
function valid(verdict: number): boolean {
  return verdict === LineVerdict.OK || verdict === LineVerdict.WARNED;
}

/**
 * Handles one metrics request after the request-level checks.
 * @example const result = await handleMetrics(ctx, exchange);
 */
export async function handleMetrics(ctx: ServeContext, x: IngestExchange): Promise<RouteResult> {
  const o = ctx.options;
  // mock: the last N valid lines for the ring (every one when they are recorded to a file);
  // proxy: the valid lines to forward, or to name as not ingested. Both read the validator's line map.
  const keep = o.mode === 'mock' && (o.receivedLimit > 0 || o.record !== '');
  // the last N valid lines: the validator finds them walking back from the body's end (no map of
  // every line); a record file keeps every line, read from the map
  const tail = keep && o.record === '';
  const recording = keep && !tail;
  const proxy = o.mode === 'proxy';
  // the chunks (references) kept for the record file, or by the inspector
  const notes = x.notes;
  const chunks: Uint8Array[] | undefined = recording ? [] : notes?.chunks;
  if (notes !== undefined && chunks !== undefined) notes.chunks = chunks;
  const map = recording || proxy ? (freeMaps.pop() ?? new LineMap()) : undefined;
  // proxy: the body to forward, collected into a reused buffer
  // the declared length, when it is one (over the limit was answered 413 before)
  const declared = Number(x.req.headers['content-length']);
  const sized = Number.isSafeInteger(declared) && declared > 0 && declared <= x.limit ? declared : 0;
  const collected = proxy ? takeBody(sized) : undefined;
  const out = proxy && o.filter ? takeBody(sized) : undefined;
  try {
    const options = ctx.metricsOptions();
    if (notes !== undefined) notes.metricsOptions = options;
    const v = new MetricsValidator(options, validatorSettings(map, tail, notes));
    // the validator reads the chunks itself, unless they are also kept or collected here
    const read = await readBody(x.req, x.limit, chunks === undefined && collected === undefined ? v : new Tee(v, chunks, collected));
    if (read.kind === 'aborted') return undefined;
    if (read.kind === 'failed') throw read.error;
    if (read.kind === 'too-large') return { answer: metricsTooLarge(ctx, read.bytes), bytes: read.bytes };
    const result = v.end();
    ctx.stats.lines(v.linesOk, v.linesInvalid);
    if (notes !== undefined) notes.lines = v.linesOk + v.linesInvalid;
    // a ValidationResponse is written from cached fragments (the 413's error envelope as usual);
    // made only when it is the answer (the proxy's is the upstream's)
    const local = (): Answer =>
      result.status === 413
        ? { status: result.status, body: result.body }
        : { status: result.status, body: result.body, bytes: answerBytes(result.body, fragments) };
    if (!proxy) {
      if (tail && v.linesOk > 0) {
        // kept as bytes, decoded when read: most are pushed out by later requests before anyone looks
        const last = v.lastValidLines(Math.min(v.linesOk, o.receivedLimit));
        ctx.store.addMetricLines(last.bytes, last.count, options.ignoreCarriageReturn);
      } else if (recording && v.linesOk > 0) recordLines(ctx, chunks!, map!);
      return { answer: local(), bytes: read.bytes };
    }
    // nothing valid to forward (or 413): the local answer is the whole truth (linesOk 0)
    if (v.linesOk === 0 || result.status === 413) return { answer: local(), bytes: read.bytes };
    const verdict: ValidationResponse = result.body; // after the 413 above: the ValidationResponse
    const body = collected!.buf.subarray(0, collected!.length);
    if (!o.filter) {
      if (v.linesInvalid === 0) return { answer: await forwardMetrics(ctx, x, body, map!, undefined, undefined), bytes: read.bytes };
      return { answer: notForwarded(map!, verdict), bytes: read.bytes };
    }
    const valid = validLines(body, map!, v.linesOk, out!);
    const judged = { linesInvalid: verdict.linesInvalid, invalidLines: verdict.error?.invalidLines ?? [] };
    try {
      return { answer: await forwardMetrics(ctx, x, valid.body, valid.lines, valid.senderLines, judged), bytes: read.bytes };
    } finally {
      giveMap(valid.lines);
    }
  } finally {
    if (map !== undefined) giveMap(map);
    if (collected !== undefined) giveBody(collected, x.limit);
    if (out !== undefined) giveBody(out, x.limit);
  }
}

/**
 * Filter mode: one body of the valid lines, each with its LF (a CR before it dropped where the
 * validator ignores it), its own line map (made while copying: no second cut) and the sender's line
 * number of each of its lines.
 */
function validLines(body: Uint8Array, map: LineMap, linesOk: number, into: BodyBuffer): { body: Uint8Array; lines: LineMap; senderLines: Int32Array } {
  const out = into.reserve(body.length + linesOk);
  const lines = freeMaps.pop() ?? new LineMap();
  lines.reset();
  const senderLines = new Int32Array(linesOk);
  const length = copyValidLines(body, 0, map, 0, map.count, out, 0, lines, senderLines);
  lines.finish(length, LF);
  return { body: out.subarray(0, length), lines, senderLines };
}

/** Mock mode with a record file: every accepted line into the store (and so into the file). */
function recordLines(ctx: ServeContext, chunks: Uint8Array[], map: LineMap): void {
  const verdicts = map.verdicts;
  // the body decoded once; the text's k-th line is the map's line k
  const text = decodeAll(chunks);
  const lines: string[] = [];
  let pos = 0;
  for (let i = 0; i < map.count; i++) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    if (valid(verdicts[i]!)) lines.push(text.slice(pos, map.ignoreCr && nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
    pos = nl + 1;
  }
  ctx.store.add('metrics', lines);
}

/** The body's text, decoded chunk by chunk (no joined copy). */
function decodeAll(chunks: Uint8Array[]): string {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let text = '';
  for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/**
 * Proxy mode without `filter`, a body with invalid lines: nothing is forwarded. The answer is the
 * validator's, with `linesOk` 0 and the valid lines named as not ingested.
 */
function notForwarded(map: LineMap, verdict: ValidationResponse): Answer {
  const lines: number[] = [];
  for (let i = 0; i < map.count; i++) if (valid(map.verdicts[i]!)) lines.push(i + 1);
  const error = verdict.error!;
  return {
    status: 400,
    body: {
      linesOk: 0,
      linesInvalid: verdict.linesInvalid,
      error: {
        code: 400,
        message: `dt-ingest proxy: ${error.message}; nothing was forwarded (a body with an invalid line is not, unless --filter): the ${lines.length} valid lines were not ingested (error.notIngestedLines: fix the invalid lines and resend, or resend only these).`,
        invalidLines: error.invalidLines,
        notIngestedLines: formatLineRanges(lines),
        unknownLines: '',
      },
      warnings: verdict.warnings,
    },
  };
}
