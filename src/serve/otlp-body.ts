/**
 * OTLP request bodies in Node.js: `Content-Encoding: gzip` inflated with the decompressed size bounded
 * by the request limit while inflating (zlib's `maxOutputLength`: a compression bomb stops at the
 * limit and is answered 413, never held whole), then judged by the OTLP validator.
 *
 * @module
 */
import { gunzip } from 'node:zlib';
import { OtlpCode, otlpRule } from '../protocol/otlp-rules.js';
import { formatTemplate } from '../protocol/rules.js';

/** An inflated body, or why there is none (the status the endpoint answers, and the rule). */
export type InflateResult = { ok: true; body: Uint8Array } | { ok: false; status: number; code: number; message: string };

/** Whether a Content-Encoding is one the endpoint takes: none, `identity` or `gzip` (*decided*: what OTLP/HTTP exporters send). */
export function acceptedEncoding(encoding: string | undefined): 'identity' | 'gzip' | null {
  const e = (encoding ?? '').trim().toLowerCase();
  if (e === '' || e === 'identity') return 'identity';
  if (e === 'gzip' || e === 'x-gzip') return 'gzip';
  return null;
}

/**
 * Inflates a gzip body, at most `max` bytes out.
 * @param limitStatus the status past the limit (the OTLP option `requestLimitStatus`)
 * @example const r = await inflateBounded(body, 4_194_304, 413); if (r.ok) validate(r.body);
 */
export function inflateBounded(compressed: Uint8Array, max: number, limitStatus: number): Promise<InflateResult> {
  return new Promise((resolve) => {
    gunzip(compressed, { maxOutputLength: Math.max(1, max) }, (err, out) => {
      if (err === null) {
        resolve({ ok: true, body: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) });
        return;
      }
      const tooLarge = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError;
      const code = tooLarge ? OtlpCode.BODY_TOO_LARGE : OtlpCode.GZIP;
      const rule = otlpRule(code);
      const message = tooLarge ? rule.endpoint : formatTemplate(rule.report, { hint: err.message });
      resolve({ ok: false, status: tooLarge ? limitStatus : 400, code, message });
    });
  });
}

/** Whether bytes start like a gzip stream (magic 1f 8b): files read by the CLI carry no header. */
export function looksGzipped(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
