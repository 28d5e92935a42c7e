/**
 * Judging one metrics file, streamed: as one request (what the endpoint answers to the whole file),
 * or with `--split` as the requests a sender would make of it (the producer's splitter cuts at line
 * boundaries into bodies of at most `maxBodyBytes`; each is judged on its own and its line numbers
 * are mapped back to the file's).
 *
 * Memory stays bounded whatever the file size: findings go to the report as they are found, the
 * endpoint's lists are kept only when its body is printed (`dynatrace`), and then capped at what a
 * body within the limit can hold.
 *
 * @module
 */
import type { Readable } from 'node:stream';
import { resolveMetricsOptions, type MetricsOptions, type ResolvedMetricsOptions } from '../../protocol/options.js';
import { RuleCode, formatTemplate, ruleInfo } from '../../protocol/rules.js';
import { MetricsValidator } from '../../report/validate.js';
import { ResponseBuilder } from '../../report/response.js';
import { MetricsSplitter, type OversizedLine, type SplitPiece } from '../../produce/split.js';
import type { Issue } from '../../types.js';
import { UsageError } from '../flags.js';
import { BINARY_HINT, BinarySniffer, readChunks, type InputRef } from '../io.js';
import type { FileOutcome } from '../formats/types.js';
import type { JudgeContext } from './context.js';

type Outcome = Omit<FileOutcome, 'counts'>;

/**
 * The hint for a file over the body limit judged as one request.
 * @example tooLargeHint(3_000_000, 1_048_576)
 */
export function tooLargeHint(bytes: number, max: number): string {
  return `${bytes} bytes is over the ${max}-byte body limit, so the endpoint answers 413 to the file sent as one request. --split judges it as the requests a sender would make of it (at most ${max} bytes each, cut at line boundaries).`;
}

/**
 * Judges a metrics file. `options` as the user set them; with `split`, as the requests of a sender.
 * @example const outcome = await judgeMetrics(ref, stream, { now: Date.now() }, false, ctx)
 */
export async function judgeMetrics(ref: InputRef, stream: Readable, options: MetricsOptions, split: boolean, ctx: JudgeContext): Promise<Outcome> {
  return split ? judgeSplit(ref, stream, resolveMetricsOptions(options), ctx) : judgeWhole(ref, stream, options, ctx);
}

/** The endpoint lists nothing when its body is not printed. */
const NO_LISTS = { maxReportedErrors: 0, maxReportedWarnings: 0 } as const;

async function judgeWhole(ref: InputRef, stream: Readable, options: MetricsOptions, ctx: JudgeContext): Promise<Outcome> {
  const limit = resolveMetricsOptions(options).maxBodyBytes;
  const chunks = readChunks(stream, ref);
  // The endpoint's body is printed: read up to the limit first. Within it, the lists are as the user
  // set them (a body within the limit holds a bounded number of lines); over it the answer is 413
  // whatever the lines say, so nothing is listed and memory stays flat however large the file.
  const head: Uint8Array[] = [];
  let caps: typeof NO_LISTS | undefined = NO_LISTS;
  if (ctx.bodies) {
    let bytes = 0;
    let over = false;
    while (!over) {
      const next = await chunks.next();
      if (next.done === true) break;
      head.push(next.value);
      bytes += next.value.length;
      over = bytes > limit;
    }
    caps = over ? NO_LISTS : undefined;
  }
  const validator = new MetricsValidator(caps === undefined ? options : { ...options, ...caps }, {
    issues: ctx.findings,
    onIssue: (issue: Issue) => ctx.run.issue(issue),
  });
  const binary = new BinarySniffer();
  for (const chunk of head) {
    binary.look(chunk);
    validator.push(chunk);
  }
  head.length = 0;
  for await (const chunk of chunks) {
    binary.look(chunk);
    validator.push(chunk);
    ctx.progress.update(ref.name, validator.bytes, ref.size);
    await ctx.sink.drain();
  }
  const result = validator.end();
  // a 413 judges no line: the endpoint refuses the body before it reads one, so no count is shown
  const outcome: Outcome =
    result.status === 413 ? { status: result.status } : { status: result.status, linesOk: validator.linesOk, linesInvalid: validator.linesInvalid };
  if (ctx.bodies) outcome.body = result.body;
  if (result.status === 413) outcome.hint = tooLargeHint(validator.bytes, validator.options.maxBodyBytes);
  else if (binary.seen) outcome.hint = BINARY_HINT;
  return outcome;
}

async function judgeSplit(ref: InputRef, stream: Readable, options: ResolvedMetricsOptions, ctx: JudgeContext): Promise<Outcome> {
  const max = options.maxBodyBytes;
  if (!Number.isSafeInteger(max) || max < 1) throw new UsageError(`--split needs a finite --max-body-bytes (got ${max})`);
  let request = 0;
  let worst = 0;
  let linesOk = 0;
  let linesInvalid = 0;
  const report = (firstLine: number, lastLine: number, bytes: number, status: number, body: unknown, ok: number, invalid: number): void => {
    worst = Math.max(worst, status);
    linesOk += ok;
    linesInvalid += invalid;
    ctx.run.request(ref, { request, firstLine, lastLine, bytes, status, body: ctx.bodies ? body : undefined, linesOk: ok, linesInvalid: invalid });
  };
  const judgePiece = (piece: SplitPiece): void => {
    request++;
    const n = request;
    // a piece is a contiguous range of the file's lines (blank lines between its lines included)
    const first = piece.lineMap[0]!;
    const last = piece.lineMap[piece.lineMap.length - 1]!;
    const v = new MetricsValidator(ctx.bodies ? options : { ...options, ...NO_LISTS }, {
      issues: ctx.findings,
      onIssue: (issue: Issue) => ctx.run.issue(issue.line !== undefined ? { ...issue, line: issue.line + first - 1 } : issue, n),
    });
    v.push(piece.body);
    const r = v.end();
    report(first, last, piece.body.length, r.status, r.body, v.linesOk, v.linesInvalid);
  };
  const judgeOversized = (o: OversizedLine): void => {
    // a line that fits in no request: sent on its own it gets the endpoint's 413
    request++;
    const rule = ruleInfo(RuleCode.BODY_TOO_LARGE);
    const values = { n: o.bytes, max };
    if (ctx.findings) {
      ctx.run.issue(
        {
          rule: rule.id,
          severity: 'error',
          message: `${formatTemplate(rule.report, values)}: this line alone is larger than a request may be, so no request can carry it`,
          line: o.line,
          column: 1,
          endpointMessage: formatTemplate(rule.endpoint, values),
        },
        request,
      );
    }
    report(o.line, o.line, o.bytes, 413, new ResponseBuilder(options).build(o.bytes).body, 0, 0);
  };
  const splitter = new MetricsSplitter({ maxBytes: max, onPiece: judgePiece, onOversized: judgeOversized });
  const binary = new BinarySniffer();
  let bytes = 0;
  for await (const chunk of readChunks(stream, ref)) {
    binary.look(chunk);
    splitter.push(chunk);
    bytes += chunk.length;
    ctx.progress.update(ref.name, bytes, ref.size);
    await ctx.sink.drain();
  }
  const { lines } = splitter.end();
  if (request === 0) {
    // nothing to send: the endpoint's answer to the (blank) body as it is
    request = 1;
    const v = new MetricsValidator(options, { issues: ctx.findings, onIssue: (issue: Issue) => ctx.run.issue(issue, 1) });
    const r = v.end();
    report(1, Math.max(1, lines), bytes, r.status, r.body, 0, 0);
  }
  const outcome: Outcome = { status: worst, linesOk, linesInvalid, requests: request };
  if (binary.seen) outcome.hint = BINARY_HINT;
  return outcome;
}
