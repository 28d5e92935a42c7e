import { describe, expect, it } from 'vitest';
import { readIngestResponse } from '../../src/produce/index.js';

describe('readIngestResponse', () => {
  it('202: accepted, with warnings mapped', () => {
    const body = '{"linesOk":2,"linesInvalid":0,"error":null,"warnings":{"message":"First 1 warnings reported","changedMetricKeys":[{"line":2,"warning":"metric key \'a\' changed to \'a.count\'"}]}}';
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
    expect(readIngestResponse(429, '{"error":{"code":429,"message":"Too Many Requests"}}', undefined, h)).toMatchObject({ kind: 'retryable', retryAfterMs: 3000 });
  });

  it('429 with an HTTP date, and without Retry-After: exponential backoff', () => {
    const soon = new Date(Date.now() + 30_000).toUTCString();
    const o = readIngestResponse(429, '', undefined, { 'retry-after': soon });
    expect(o.retryAfterMs!).toBeGreaterThan(25_000);
    expect(o.retryAfterMs!).toBeLessThanOrEqual(30_000);
    expect(readIngestResponse(503, '').retryAfterMs).toBe(1000);
    expect(readIngestResponse(503, '', undefined, undefined, 3).retryAfterMs).toBe(8000);
    expect(readIngestResponse(502, '', undefined, undefined, 20).retryAfterMs).toBe(60_000);
    expect(readIngestResponse(504, '', undefined, { 'retry-after': 'soon-ish' }).retryAfterMs).toBe(1000);
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
    expect(o.kind).toBe('retryable');
    expect(o.message).toContain('Bad Gateway');
  });

  it('null fields and malformed entries are tolerated', () => {
    const o = readIngestResponse(400, '{"linesOk":1,"linesInvalid":2,"error":{"code":400,"message":"2 invalid lines","invalidLines":[null,{"line":"x"},{"line":3,"error":null}]},"warnings":null}', [5, 6, 7]);
    expect(o.kind).toBe('partial');
    expect(o.invalidLines).toEqual([{ line: 7, error: '' }]);
    expect(o.warnings).toEqual([]);
  });

  it('other statuses: permanent rejections with a hint', () => {
    expect(readIngestResponse(401, '{"error":{"code":401,"message":"Missing authorization parameter."}}')).toMatchObject({ kind: 'rejected' });
    expect(readIngestResponse(403, '').message).toContain('metrics.ingest');
    expect(readIngestResponse(404, '').message).toContain('/api/v2/metrics/ingest');
    expect(readIngestResponse(500, '').kind).toBe('retryable');
    expect(readIngestResponse(500, '').message).toContain('counted twice');
  });
});
