/**
 * Judging one JSON body. A JSON body is one request, so it is read whole, but never more than the
 * family's body limit: past it the chunks are only counted, and the endpoint's 413 is answered from
 * the count (the validators would answer the same, with the same text). Findings the validators name
 * by JSON Pointer get a line and column from one pass over the text.
 *
 * @module
 */
import type { Readable } from 'node:stream';
import { requestFailure } from '../../events/envelopes.js';
import { resolveEventsOptions, type EventsOptions } from '../../events/options.js';
import type { Issue } from '../../types.js';
import type { JsonFamily } from '../families.js';
import { readChunks, type InputRef } from '../io.js';
import type { FileOutcome } from '../formats/types.js';
import type { JudgeContext } from './context.js';
import { locateJsonPointers } from '../../events/json-locate.js';

/** Findings passed on between two waits for the report's reader. */
const DRAIN_EVERY = 1024;

/**
 * Judges a JSON body of `family`.
 * @example const outcome = await judgeJson(ref, stream, JSON_FAMILIES.get('events')!, {}, undefined, ctx)
 */
export async function judgeJson(
  ref: InputRef,
  stream: Readable,
  family: JsonFamily,
  options: EventsOptions,
  param: string | undefined,
  ctx: JudgeContext,
  mediaType = '',
): Promise<Omit<FileOutcome, 'counts'>> {
  const resolved = resolveEventsOptions(options);
  const max = family.maxBytes(resolved);
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of readChunks(stream, ref)) {
    bytes += chunk.length;
    // past the limit nothing more is kept: only the count matters for the 413
    if (bytes <= max) chunks.push(chunk);
    else chunks.length = 0;
    ctx.progress.update(ref.name, bytes, ref.size);
  }
  const result =
    bytes > max ? requestFailure({ ok: false, status: 413, bytes, max }) : family.validate(Buffer.concat(chunks, bytes), resolved, param, mediaType);
  if (ctx.findings) {
    const located = bytes > max ? undefined : locate(result.issues, chunks, bytes);
    let n = 0;
    for (const issue of result.issues) {
      const at = issue.line === undefined && issue.pointer !== undefined ? located?.get(issue.pointer) : undefined;
      ctx.run.issue(at === undefined ? issue : { ...issue, line: at.line, column: at.column });
      if (++n % DRAIN_EVERY === 0) await ctx.sink.drain();
    }
  }
  const outcome: Omit<FileOutcome, 'counts'> = { status: result.status };
  if (ctx.bodies) outcome.body = result.body;
  return outcome;
}

function locate(issues: readonly Issue[], chunks: readonly Uint8Array[], bytes: number): ReturnType<typeof locateJsonPointers> | undefined {
  const wanted = new Set<string>();
  for (const issue of issues) if (issue.line === undefined && issue.pointer !== undefined) wanted.add(issue.pointer);
  if (wanted.size === 0) return undefined;
  // the validators accepted the text as UTF-8 JSON (a pointer finding means it parsed)
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(Buffer.concat(chunks as Uint8Array[], bytes));
  return locateJsonPointers(text, wanted);
}
