/**
 * The OTLP metrics endpoint's judge for the endpoint table: an uncompressed protobuf body judged by
 * the OTLP validator and answered in protobuf; text (the playground) or bytes that look like JSON are
 * the OTLP/JSON encoding, answered 415 as the endpoint does, with their content judged too.
 *
 * @module
 */
import { OtlpJsonError, looksJson, otlpJsonToProtobuf } from '../otlp/json.js';
import { OtlpBatchDecoder } from '../otlp/typed.js';
import { validateOtlpMetrics } from '../otlp/validate.js';
import { OtlpCode, otlpRule } from '../protocol/otlp-rules.js';
import type { Issue } from '../types.js';
import type { BodyInput, EndpointVerdict } from './descriptor.js';

const SHAPES = ['gauge', 'summary', 'count'] as const;

/** An OTLP verdict, with the accepted points as plain objects (what the mock keeps). */
export interface OtlpVerdict extends EndpointVerdict {
  points?: unknown[];
}

function jsonIssue(message: string, pointer: string): Issue {
  return { rule: otlpRule(OtlpCode.WIRE).id, severity: 'error', message, pointer };
}

/**
 * Judges an OTLP metrics body as `/api/v2/otlp/v1/metrics` does.
 * @example otlpVerdict({ body: bytes, mediaType: 'application/x-protobuf', param: undefined, metrics: {}, events: {} }).status // 200
 */
export function otlpVerdict(input: BodyInput): OtlpVerdict {
  let bytes: Uint8Array;
  const issues: Issue[] = [];
  const isJson = typeof input.body === 'string' || looksJson(input.body);
  if (isJson) {
    const rule = otlpRule(OtlpCode.MEDIA_TYPE);
    issues.push({ rule: rule.id, severity: 'error', message: rule.report.replace('{hint}', 'application/json'), endpointMessage: rule.endpoint });
    try {
      bytes = otlpJsonToProtobuf(typeof input.body === 'string' ? input.body : new TextDecoder().decode(input.body));
    } catch (err) {
      if (!(err instanceof OtlpJsonError)) throw err;
      issues.push(jsonIssue(`not an OTLP/JSON request: ${err.message}`, err.pointer));
      return { status: 415, body: null, issues };
    }
  } else bytes = input.body as Uint8Array;
  const r = validateOtlpMetrics(bytes, input.otlp);
  for (const issue of r.issues) issues.push({ ...issue, pointer: issue.path });
  const verdict: OtlpVerdict = { status: isJson ? 415 : r.status, body: isJson ? null : r.body, contentType: 'application/x-protobuf', issues };
  if (!isJson && r.status === 200) verdict.points = pointsOf(bytes, input);
  return verdict;
}

function pointsOf(bytes: Uint8Array, input: BodyInput): unknown[] {
  const batch = new OtlpBatchDecoder(input.otlp).decode(bytes);
  if (batch === null) return [];
  const out: unknown[] = [];
  for (let p = 0; p < batch.length; p++) {
    const v = batch.values.subarray(p * 4, p * 4 + 4);
    const shape = SHAPES[batch.types[p]!]!;
    out.push({
      metric: batch.key(p),
      type: shape,
      value: shape === 'summary' ? { min: v[0], max: v[1], sum: v[2], count: v[3] } : v[0],
      timestamp: batch.timestamps[p]! >= 0 ? batch.timestamps[p] : null,
      attributes: Object.fromEntries(batch.dimensions(p)),
    });
  }
  return out;
}
