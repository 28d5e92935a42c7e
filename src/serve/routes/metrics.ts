/**
 * The metrics route (`/api/v2/metrics/ingest` and its aliases): the body streams chunk by chunk into
 * the validator; then the mock keeps the valid lines, or the proxy forwards them.
 *
 * Proxy mode keeps the accounting contract (`docs/proxy.md`): every non-blank line of the sender's
 * body ends up invalid, not ingested, unknown, or ingested. Without `filter` a body with an invalid
 * line is not forwarded, so its valid lines are *not ingested*; with `filter` only the valid lines are
 * forwarded, as one body whose line map leads back to the sender's lines.
 *
 * @module
 */
import { MetricsValidator } from '../../report/validate.js';
import { ResponseBuilder } from '../../report/response.js';
import { formatLineRanges } from '../../produce/send.js';
import type { ValidationResponse } from '../../types.js';
import type { IngestExchange, RouteResult, ServeContext } from '../context.js';
import { readBody, type Answer } from '../http.js';
import { forEachValidLine, lastLines } from '../lines.js';
import { forwardMetrics } from '../proxy.js';

/**
 * The 413 answer of the metrics route, in the validator's words.
 * @example metricsTooLarge(ctx, 2_000_000)
 */
export function metricsTooLarge(ctx: ServeContext, bytes: number): Answer {
  const built = new ResponseBuilder(ctx.metricsOptions()).build(bytes);
  return { status: 413, body: built.body };
}

/**
 * Handles one metrics request after the request-level checks.
 * @example const result = await handleMetrics(ctx, exchange);
 */
export async function handleMetrics(ctx: ServeContext, x: IngestExchange): Promise<RouteResult> {
  const o = ctx.options;
  // mock: the last N valid lines for the ring (every one when they are recorded to a file);
  // proxy: the valid lines to forward, or to name as not ingested. Both are taken from the chunks
  // after validation, through the invalid line numbers the validator reports, so the validator runs
  // on its fast path.
  const keep = o.mode === 'mock' && (o.receivedLimit > 0 || o.record !== '');
  const proxy = o.mode === 'proxy';
  // the inspector keeps the chunks (references) and the rule ids of the issues found
  const notes = x.notes;
  const chunks: Uint8Array[] | undefined = keep || proxy ? [] : notes?.chunks;
  if (notes !== undefined && chunks !== undefined) notes.chunks = chunks;
  const invalid = new Set<number>();
  const options = ctx.metricsOptions();
  if (notes !== undefined) notes.metricsOptions = options;
  const v = new MetricsValidator(
    options,
    keep || proxy || notes !== undefined
      ? {
          onIssue: (issue) => {
            if (issue.severity === 'error' && issue.line !== undefined) invalid.add(issue.line);
            if (notes !== undefined) {
              if (issue.severity !== 'error') notes.warnings = (notes.warnings ?? 0) + 1;
              if (!notes.rules.includes(issue.rule)) notes.rules.push(issue.rule);
            }
          },
        }
      : { issues: false },
  );
  const read = await readBody(x.req, x.limit, (chunk) => {
    if (chunks !== undefined) chunks.push(chunk);
    v.push(chunk);
  });
  if (read.kind === 'aborted') return undefined;
  if (read.kind === 'failed') throw read.error;
  if (read.kind === 'too-large') return { answer: metricsTooLarge(ctx, read.bytes), bytes: read.bytes };
  const result = v.end();
  ctx.stats.lines(v.linesOk, v.linesInvalid);
  if (notes !== undefined) notes.lines = v.linesOk + v.linesInvalid;
  const local: Answer = { status: result.status, body: result.body };
  if (!proxy) {
    if (keep && v.linesOk > 0) keepLines(ctx, chunks!, invalid, v.linesOk);
    return { answer: local, bytes: read.bytes };
  }
  // nothing valid to forward (or 413): the local answer is the whole truth (linesOk 0)
  if (v.linesOk === 0 || result.status === 413) return { answer: local, bytes: read.bytes };
  const verdict: ValidationResponse = result.body; // after the 413 above: the ValidationResponse
  if (!o.filter) {
    if (v.linesInvalid === 0) {
      const all = chunks!.length === 1 ? chunks![0]! : Buffer.concat(chunks!);
      return { answer: await forwardMetrics(ctx, x, all, undefined, undefined), bytes: read.bytes };
    }
    return { answer: notForwarded(chunks!, invalid, verdict), bytes: read.bytes };
  }
  // filter: one body of the valid lines, each with its LF, and the map back to the sender's lines
  const out = Buffer.allocUnsafe(read.bytes + v.linesOk);
  const map = new Int32Array(v.linesOk);
  let length = 0;
  let count = 0;
  forEachValidLine(chunks!, invalid, 0, (buf, start, end, line) => {
    out.set(buf.subarray(start, end), length);
    length += end - start;
    out[length++] = 10;
    map[count++] = line;
  });
  const judged = { linesInvalid: verdict.linesInvalid, invalidLines: verdict.error?.invalidLines ?? [] };
  return { answer: await forwardMetrics(ctx, x, out.subarray(0, length), map, judged), bytes: read.bytes };
}

/** Mock mode: the accepted lines into the store (the last `receivedLimit`, or all of them when recording). */
function keepLines(ctx: ServeContext, chunks: Uint8Array[], invalid: ReadonlySet<number>, linesOk: number): void {
  const o = ctx.options;
  const lines: string[] = [];
  const wanted = o.record !== '' ? linesOk : Math.min(linesOk, o.receivedLimit);
  if (invalid.size === 0 && wanted < linesOk) {
    // the usual case: walk back over the last lines only
    for (const line of lastLines(chunks, wanted)) lines.push(line);
  } else {
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    forEachValidLine(chunks, invalid, linesOk - wanted, (buf, start, end) => lines.push(decoder.decode(buf.subarray(start, end))));
  }
  ctx.store.add('metrics', lines);
}

/**
 * Proxy mode without `filter`, a body with invalid lines: nothing is forwarded. The answer is the
 * validator's, with `linesOk` 0 and the valid lines named as not ingested.
 */
function notForwarded(chunks: Uint8Array[], invalid: ReadonlySet<number>, verdict: ValidationResponse): Answer {
  const valid: number[] = [];
  forEachValidLine(chunks, invalid, 0, (_buf, _start, _end, line) => valid.push(line));
  const error = verdict.error!;
  return {
    status: 400,
    body: {
      linesOk: 0,
      linesInvalid: verdict.linesInvalid,
      error: {
        code: 400,
        message: `dt-ingest proxy: ${error.message}; nothing was forwarded (a body with an invalid line is not, unless --filter): the ${valid.length} valid lines were not ingested (error.notIngestedLines: fix the invalid lines and resend, or resend only these).`,
        invalidLines: error.invalidLines,
        notIngestedLines: formatLineRanges(valid),
        unknownLines: '',
      },
      warnings: verdict.warnings,
    },
  };
}
