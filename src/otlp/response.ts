/**
 * The endpoint's answers, encoded as protobuf: `ExportMetricsServiceResponse` with its
 * `partial_success` (rejected_data_points 1: int64, error_message 2: string) for a 200, and
 * `google.rpc.Status` (code 1: int32, message 2: string) for a 4xx, as OTLP/HTTP prescribes.
 * A full success is the empty message (zero bytes).
 *
 * @module
 */

const encoder = /* @__PURE__ */ new TextEncoder();
const EMPTY = /* @__PURE__ */ new Uint8Array(0);

function varintLength(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function writeVarint(out: Uint8Array, at: number, v: number): number {
  while (v >= 128) {
    out[at++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[at++] = v;
  return at;
}

/** Encodes one message of a varint field 1 and a string field 2 (either left out when zero/empty). */
function numberAndText(n: number, text: string): Uint8Array {
  const bytes = encoder.encode(text);
  const inner = (n > 0 ? 1 + varintLength(n) : 0) + (bytes.length > 0 ? 1 + varintLength(bytes.length) + bytes.length : 0);
  const out = new Uint8Array(inner);
  let at = 0;
  if (n > 0) {
    out[at++] = 0x08;
    at = writeVarint(out, at, n);
  }
  if (bytes.length > 0) {
    out[at++] = 0x12;
    at = writeVarint(out, at, bytes.length);
    out.set(bytes, at);
  }
  return out;
}

/**
 * `ExportMetricsServiceResponse`: empty for a full success, else `partial_success` with the count of
 * rejected points and the message.
 * @example encodeExportResponse(3, 'The following issues ...').length > 0 // true
 */
export function encodeExportResponse(rejected: number, message: string): Uint8Array {
  if (rejected <= 0 && message === '') return EMPTY;
  const partial = numberAndText(rejected, message);
  const out = new Uint8Array(1 + varintLength(partial.length) + partial.length);
  out[0] = 0x0a;
  out.set(partial, writeVarint(out, 1, partial.length));
  return out;
}

/**
 * `google.rpc.Status` with a gRPC code and a message (the body of an OTLP/HTTP error answer).
 * @example encodeStatus(3, 'Bad Request')
 */
export function encodeStatus(code: number, message: string): Uint8Array {
  return numberAndText(code, message);
}

/** gRPC status codes by HTTP status, for the `Status.code` of an error body (*decided*: the usual mapping). */
export function grpcCodeOf(status: number): number {
  if (status === 400) return 3; // INVALID_ARGUMENT
  if (status === 413) return 8; // RESOURCE_EXHAUSTED
  if (status === 429) return 8;
  if (status === 415) return 3;
  return 2; // UNKNOWN
}
