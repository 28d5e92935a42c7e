/**
 * The OTLP metrics route (`/api/v2/otlp/v1/metrics`, row `otlp` of the endpoint table): the body is
 * collected up to the OTLP request limit, gzip inflated with the output bounded by the same limit (a
 * compression bomb stops there: 413), judged by the OTLP validator, and answered in protobuf. The mock
 * keeps the accepted points; the proxy forwards the body as it came (encoding kept), on the path the
 * other routes share (`../proxy.ts`), and passes the upstream's answer on byte for byte.
 *
 * Accounting carried to data points (`docs/otlp.md`): with an upstream answer, its
 * `rejected_data_points` are not ingested and the others are (as the upstream says); without one, every
 * point is either not forwarded (nothing sent: 502) or unknown (sent, no answer: 502/504), and the
 * answer's message says which and how many.
 *
 * @module
 */
import { encodeStatus, grpcCodeOf } from '../../otlp/response.js';
import { describeOtlp } from '../../otlp/describe.js';
import { OtlpCode, otlpRule } from '../../protocol/otlp-rules.js';
import { urlForMessage } from '../../produce/send.js';
import type { IngestExchange, RouteResult, ServeContext } from '../context.js';
import { readBody, type Answer } from '../http.js';
import { acceptedEncoding, inflateBounded } from '../otlp-body.js';
import { answerAsIs, forwardAsIs } from '../proxy.js';

const PROTOBUF = 'application/x-protobuf';
const encoder = new TextEncoder();

/** A protobuf answer. */
function protobufAnswer(status: number, body: Uint8Array): Answer {
  return { status, body, headers: { 'content-type': PROTOBUF } };
}

/**
 * The answer to a body over the limit (`google.rpc.Status`, the endpoint's reason).
 * @example otlpTooLarge(ctx)
 */
export function otlpTooLarge(ctx: ServeContext): Answer {
  const status = ctx.otlp.options.requestLimitStatus;
  return protobufAnswer(status, encodeStatus(grpcCodeOf(status), otlpRule(OtlpCode.BODY_TOO_LARGE).endpoint));
}

/**
 * Handles one OTLP metrics request after the request-level checks (method, media type, encoding).
 * @example const result = await handleOtlp(ctx, exchange);
 */
export async function handleOtlp(ctx: ServeContext, x: IngestExchange): Promise<RouteResult> {
  const validator = ctx.otlp;
  const chunks: Uint8Array[] = [];
  const read = await readBody(x.req, x.limit, (chunk) => chunks.push(chunk));
  if (read.kind === 'aborted') return undefined;
  if (read.kind === 'failed') throw read.error;
  if (read.kind === 'too-large') return { answer: otlpTooLarge(ctx), bytes: read.bytes };
  const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  let body = raw;
  if (acceptedEncoding(x.req.headers['content-encoding']) === 'gzip') {
    const inflated = await inflateBounded(raw, validator.options.maxBodyBytes, validator.options.requestLimitStatus);
    if (!inflated.ok) return { answer: protobufAnswer(inflated.status, encodeStatus(grpcCodeOf(inflated.status), inflated.message)), bytes: read.bytes };
    body = inflated.body;
  }
  const notes = x.notes;
  const result = validator.validate(body, { contentType: PROTOBUF, issues: notes !== undefined });
  if (notes !== undefined) {
    // the inspector keeps the request decoded as text: resources, metrics, points, problems at their place
    notes.chunks = [encoder.encode(describeOtlp(body, result.issues, validator.options))];
    let errors = 0;
    for (const issue of result.issues) {
      if (issue.severity === 'error') errors++;
      if (!notes.rules.includes(issue.rule)) notes.rules.push(issue.rule);
    }
    notes.errors = errors;
    notes.warnings = result.issues.length - errors;
  }
  const local = protobufAnswer(result.status, result.body);
  if (result.status !== 200) return { answer: local, bytes: read.bytes };
  if (ctx.options.mode === 'mock') {
    if (ctx.options.receivedLimit > 0 || ctx.options.record !== '') {
      const items = x.route.received?.({ body, mediaType: PROTOBUF, param: undefined, metrics: {}, events: {}, otlp: validator.options }, result) ?? [];
      ctx.store.add(x.route.id, items);
    }
    return { answer: local, bytes: read.bytes };
  }
  return { answer: await forwardOtlp(ctx, x, raw, result.points), bytes: read.bytes };
}

/**
 * Forwards the body as it came (its `Content-Encoding` kept) on the proxy's shared path and passes
 * the upstream's answer on byte for byte; without an answer, a 502/504 `google.rpc.Status` that
 * accounts for every point.
 */
async function forwardOtlp(ctx: ServeContext, x: IngestExchange, raw: Uint8Array, points: number): Promise<Answer> {
  const { url, result } = await forwardAsIs(ctx, x, raw, PROTOBUF, x.req.headers['content-encoding']);
  // protobuf: always as its bytes
  const a = answerAsIs(result, true);
  if (!('sent' in a)) return a;
  const what = a.sent
    ? `gave no answer: ${a.why}; the ${points} data points are unknown: the upstream may have stored them, resending may store them twice`
    : `is unreachable: ${a.why}; none of the ${points} data points was forwarded`;
  return protobufAnswer(a.status, encodeStatus(grpcCodeOf(a.status), `dt-ingest proxy: upstream ${urlForMessage(url)} ${what}.`));
}
