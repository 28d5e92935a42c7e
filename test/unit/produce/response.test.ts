import { describe, expect, it } from 'vitest';
import { RETRY_DEFAULTS, backoffCeiling, parseRetryAfter, readIngestResponse, retryDelay } from '../../../src/produce/index.js';

describe('readIngestResponse', () => {
  it('202: accepted, with warnings mapped', () => {
    const body =
      '{"linesOk":2,"linesInvalid":0,"error":null,"warnings":{"message":"First 1 warnings reported","changedMetricKeys":[{"line":2,"warning":"metric key \'a\' changed to \'a.count\'"}]}}';
    const o = readIngestResponse(202, body, Int32Array.from([10, 12]));
    expect(o.kind).toBe('accepted');
    expect(o.linesOk).toBe(2);
    expect(o.invalidLines).toEqual([]);
    expect(o.warnings).toEqual([{ line: 12, warning: "metric key 'a' changed to 'a.count'" }]);
    expect(o.retryAfterMs).toBeUndefined();
  });

  it('the spec §4 example: partial, invalid line mapped, never resend', () => {
    const body = `{"linesOk": 3, "linesInvalid": 1,
 "error": {"code": 400, "message": "1 invalid lines",
           "invalidLines": [{"line": 2, "error": "invalid metric key"}]},
 "warnings": {"message": "...", "changedMetricKeys": [{"line": 4, "warning": "metric key 'a' changed to 'a.count'"}]}}`;
    const o = readIngestResponse(400, body, [101, 102, 103, 104]);
    expect(o).toMatchObject({
      kind: 'partial',
      status: 400,
      linesOk: 3,
      linesInvalid: 1,
      invalidLines: [{ line: 102, error: 'invalid metric key' }],
      warnings: [{ line: 104, warning: "metric key 'a' changed to 'a.count'" }],
    });
    expect(o.message).toContain('Never resend');
    expect(o.message).toContain('input line 102');
  });

  it('a 2024-style answer: warningLines, "First 22 warnings reported", linesValid', () => {
    const warningLines = [];
    for (let i = 1; i <= 22; i++) warningLines.push({ line: i, warning: `metric key 'jvm.gc.pause${i}' changed to 'jvm.gc.pause${i}.gauge'` });
    const body = JSON.stringify({ linesValid: 22, linesInvalid: 0, error: null, warnings: { message: 'First 22 warnings reported', warningLines } });
    const o = readIngestResponse(202, body);
    expect(o.kind).toBe('accepted');
    expect(o.linesOk).toBe(22);
    expect(o.warnings.length).toBe(22);
    expect(o.warnings[21]).toEqual({ line: 22, warning: "metric key 'jvm.gc.pause22' changed to 'jvm.gc.pause22.gauge'" });
    expect(o.message).toContain('22 warnings');
  });

  it('400 with no valid line: rejected; capped list noted', () => {
    const invalidLines = [];
    for (let i = 1; i <= 10; i++) invalidLines.push({ line: i, error: 'invalid metric type' });
    const body = JSON.stringify({ linesOk: 0, linesInvalid: 14, error: { code: 400, message: 'First 10 errors reported', invalidLines }, warnings: null });
    const o = readIngestResponse(400, body);
    expect(o.kind).toBe('rejected');
    expect(o.invalidLines.length).toBe(10);
    expect(o.message).toContain('listed 10 of 14');
  });

  it('400 empty request', () => {
    const o = readIngestResponse(400, '{"linesOk":0,"linesInvalid":0,"error":{"code":400,"message":"empty request","invalidLines":[]}}');
    expect(o.kind).toBe('rejected');
    expect(o.message).toContain('empty request');
  });

  it('413 ErrorEnvelope: too-large', () => {
    const o = readIngestResponse(413, '{"error":{"code":413,"message":"Payload too large: 1048577 > 1048576 bytes"}}');
    expect(o.kind).toBe('too-large');
    expect(o.linesOk).toBe(0);
    expect(o.message).toContain('Payload too large');
    expect(o.message).toContain('split');
  });

  it('429 with Retry-After seconds (any header case, plain object or Headers)', () => {
    expect(readIngestResponse(429, '', undefined, { 'Retry-After': '7' })).toMatchObject({ kind: 'retryable', retryAfterMs: 7000 });
    const h = new Headers({ 'retry-after': ' 3 ' });
    expect(readIngestResponse(429, '{"error":{"code":429,"message":"Too Many Requests"}}', undefined, h)).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 3000,
    });
  });

  it('429 with an HTTP date, and without Retry-After: exponential backoff', () => {
    const soon = new Date(Date.now() + 30_000).toUTCString();
    const o = readIngestResponse(429, '', undefined, { 'retry-after': soon });
    expect(o.retryAfterMs!).toBeGreaterThan(25_000);
    expect(o.retryAfterMs!).toBeLessThanOrEqual(30_000);
    // without Retry-After: the backoff ceiling of the one retry policy
    expect(readIngestResponse(503, '').retryAfterMs).toBe(RETRY_DEFAULTS.retryBaseMs);
    expect(readIngestResponse(503, '', undefined, undefined, 3).retryAfterMs).toBe(RETRY_DEFAULTS.retryBaseMs * 8);
    expect(readIngestResponse(429, '', undefined, undefined, 20).retryAfterMs).toBe(RETRY_DEFAULTS.retryMaxDelayMs);
    expect(readIngestResponse(503, '', undefined, { 'retry-after': 'soon-ish' }).retryAfterMs).toBe(RETRY_DEFAULTS.retryBaseMs);
    expect(readIngestResponse(503, '', undefined, undefined, Number.NaN).retryAfterMs).toBe(RETRY_DEFAULTS.retryBaseMs);
  });

  it('what was stored: all, the unlisted lines, nothing, or unknown', () => {
    const vr = (ok: number, bad: number) => JSON.stringify({ linesOk: ok, linesInvalid: bad, error: null, warnings: null });
    expect(readIngestResponse(202, vr(2, 0))).toMatchObject({ kind: 'accepted', stored: 'all', validationResponse: true });
    expect(readIngestResponse(400, vr(1, 1))).toMatchObject({ kind: 'partial', stored: 'lines' });
    expect(readIngestResponse(400, vr(0, 2))).toMatchObject({ kind: 'rejected', stored: 'lines' });
    for (const status of [413, 429, 503, 401, 403, 404, 301]) expect(readIngestResponse(status, '').stored, String(status)).toBe('none');
    // an answer that is not a ValidationResponse is never read as success
    expect(readIngestResponse(202, '')).toMatchObject({ kind: 'unknown', stored: 'unknown', validationResponse: false });
    expect(readIngestResponse(202, '<html>ok</html>').message).toContain('resending may count them twice');
    expect(readIngestResponse(200, '{"error":{"code":200,"message":"fine"}}').stored).toBe('unknown');
    expect(readIngestResponse(400, '{"error":{"code":400,"message":"Bad request"}}')).toMatchObject({
      kind: 'rejected',
      stored: 'none',
      validationResponse: false,
    });
    // 502/504 come from a gateway that passed the request on, 500 from a server that may have stored part
    for (const status of [500, 502, 504, 507]) expect(readIngestResponse(status, '')).toMatchObject({ kind: 'unknown', stored: 'unknown' });
    expect(readIngestResponse(502, '').retryAfterMs).toBeUndefined();
  });

  it('Retry-After: delta-seconds or an HTTP date; anything else unreadable', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:27:30 GMT');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
    for (const bad of [undefined, null, '', '   ', 'soon', '-1', '1.5']) expect(parseRetryAfter(bad, now), String(bad)).toBeUndefined();
    expect(parseRetryAfter('9'.repeat(400), now)).toBeUndefined();
  });

  it('backoff: full jitter over min(max, base × 2^attempt), raised to Retry-After', () => {
    const policy = { retryBaseMs: 100, retryMaxDelayMs: 1000 };
    expect(backoffCeiling(0, policy)).toBe(100);
    expect(backoffCeiling(3, policy)).toBe(800);
    expect(backoffCeiling(4, policy)).toBe(1000);
    expect(backoffCeiling(1e9, policy)).toBe(1000);
    expect(retryDelay(3, policy, undefined, () => 0.5)).toBe(400);
    expect(retryDelay(3, policy, 2000, () => 0.5)).toBe(2000);
    expect(retryDelay(3, policy, 10, () => 0.5)).toBe(400);
  });

  it('garbage bodies do not throw', () => {
    for (const body of ['<html><body>Bad Gateway</body></html>', 'null', '[1,2]', '{"linesOk":"x","error":"oops","warnings":7}', '{', '']) {
      for (const status of [202, 400, 413, 429, 500, 502, 401]) {
        const o = readIngestResponse(status, body);
        expect(typeof o.message).toBe('string');
        expect(o.invalidLines).toEqual([]);
      }
    }
    const o = readIngestResponse(502, '<html><body>Bad Gateway</body></html>');
    expect(o.kind).toBe('unknown');
    expect(o.message).toContain('Bad Gateway');
  });

  it('null fields and malformed entries are tolerated', () => {
    const o = readIngestResponse(
      400,
      '{"linesOk":1,"linesInvalid":2,"error":{"code":400,"message":"2 invalid lines","invalidLines":[null,{"line":"x"},{"line":3,"error":null}]},"warnings":null}',
      [5, 6, 7],
    );
    expect(o.kind).toBe('partial');
    expect(o.invalidLines).toEqual([{ line: 7, error: '' }]);
    expect(o.warnings).toEqual([]);
  });

  it('other statuses: permanent rejections with a hint', () => {
    expect(readIngestResponse(401, '{"error":{"code":401,"message":"Missing authorization parameter."}}')).toMatchObject({ kind: 'rejected' });
    expect(readIngestResponse(403, '').message).toContain('metrics.ingest');
    expect(readIngestResponse(404, '').message).toContain('/api/v2/metrics/ingest');
    expect(readIngestResponse(500, '').kind).toBe('unknown');
    expect(readIngestResponse(500, '').message).toContain('count lines twice');
  });
});
