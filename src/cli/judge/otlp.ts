/**
 * Judging one OTLP metrics file: binary protobuf (an `ExportMetricsServiceRequest`), gzip-compressed
 * protobuf, or the OTLP/JSON encoding. A file is one request, read whole but never more than the
 * request limit. JSON gets the endpoint's 415 as its status and finding, and its content is judged
 * too (re-encoded as protobuf), so a captured file tells everything at once.
 *
 * @module
 */
import type { Readable } from 'node:stream';
import type { OtlpOptions } from '../../protocol/otlp-options.js';
import { resolveOtlpOptions } from '../../protocol/otlp-options.js';
import { OtlpCode, otlpRule } from '../../protocol/otlp-rules.js';
import { OtlpJsonError, looksJson, otlpJsonToProtobuf } from '../../otlp/json.js';
import { type OtlpIssue, type OtlpValidationResult, validateOtlpMetrics } from '../../otlp/validate.js';
import { inflateBounded, looksGzipped } from '../../serve/otlp-body.js';
import type { Issue } from '../../types.js';
import type { FileOutcome } from '../formats/types.js';
import { type InputRef, readChunks } from '../io.js';
import type { JudgeContext } from './context.js';

/** Reads a file whole, at most `max` bytes kept; `null` past it. */
async function readBounded(stream: Readable, ref: InputRef, max: number, ctx: JudgeContext): Promise<Uint8Array | null> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of readChunks(stream, ref)) {
    bytes += chunk.length;
    if (bytes <= max) chunks.push(chunk);
    else chunks.length = 0;
    ctx.progress.update(ref.name, bytes, ref.size);
  }
  return bytes > max ? null : Buffer.concat(chunks, bytes);
}

/** An OTLP issue as the report formats take it: the path stands where a JSON Pointer would. */
function finding(issue: OtlpIssue): Issue {
  const out: Issue = { rule: issue.rule, severity: issue.severity, message: issue.message, pointer: issue.path };
  if (issue.endpointMessage !== undefined) out.endpointMessage = issue.endpointMessage;
  return out;
}

function requestIssue(code: number, message: string): Issue {
  const rule = otlpRule(code);
  return { rule: rule.id, severity: 'error', message, pointer: '', endpointMessage: rule.endpoint };
}

/**
 * Judges one OTLP file.
 * @example const outcome = await judgeOtlp(ref, stream, {}, ctx)
 */
export async function judgeOtlp(ref: InputRef, stream: Readable, options: OtlpOptions, ctx: JudgeContext): Promise<Omit<FileOutcome, 'counts'>> {
  const o = resolveOtlpOptions(options);
  const issues: Issue[] = [];
  let status: number;
  let body: unknown;
  const raw = await readBounded(stream, ref, o.maxBodyBytes, ctx);
  if (raw === null) {
    status = o.requestLimitStatus;
    issues.push(requestIssue(OtlpCode.BODY_TOO_LARGE, `request too large: more than ${o.maxBodyBytes} bytes`));
  } else {
    let bytes: Uint8Array | null = raw;
    let failed: { status: number; code: number; message: string } | null = null;
    if (looksGzipped(raw)) {
      const inflated = await inflateBounded(raw, o.maxBodyBytes, o.requestLimitStatus);
      if (inflated.ok) bytes = inflated.body;
      else failed = inflated;
    }
    let json = false;
    if (failed === null && bytes !== null && looksJson(bytes)) {
      json = true;
      issues.push(requestIssue(OtlpCode.MEDIA_TYPE, otlpRule(OtlpCode.MEDIA_TYPE).report.replace('{hint}', 'application/json')));
      try {
        bytes = otlpJsonToProtobuf(new TextDecoder().decode(bytes));
      } catch (err) {
        if (!(err instanceof OtlpJsonError)) throw err;
        issues.push({ rule: 'otlp-wire-malformed', severity: 'error', message: `not an OTLP/JSON request: ${err.message}`, pointer: err.pointer });
        bytes = null;
      }
    }
    if (failed !== null) {
      status = failed.status;
      issues.push(requestIssue(failed.code, failed.message));
    } else if (bytes === null) {
      status = 415;
    } else {
      const result: OtlpValidationResult = validateOtlpMetrics(bytes, o, { issues: ctx.findings });
      status = json ? 415 : result.status;
      for (const issue of result.issues) issues.push(finding(issue));
      body = { status: result.status, rejectedDataPoints: result.rejected, errorMessage: result.message, points: result.points };
    }
  }
  if (ctx.findings) for (const issue of issues) ctx.run.issue(issue);
  const outcome: Omit<FileOutcome, 'counts'> = { status };
  if (ctx.bodies && body !== undefined) outcome.body = body;
  return outcome;
}
