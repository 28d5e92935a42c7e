/**
 * sendMetrics with an injected transport: every answer and failure a piece can meet, and where each
 * line of the body ends up (invalid, not ingested, unknown, ingested).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLineRanges, postRead, sendMetricsAfter } from '../../../src/produce/send.js';
import { parseLineRanges, postIngest, sendMetrics, validateMetrics, type IngestAnswer, type IngestRequest, type IngestTransport } from '../../../src/index.js';

const URL = 'https://abc123.live.dynatrace.com/api/v2/metrics/ingest';
const NOW = 1_700_000_000_000;
const FAST = { retryBaseMs: 1, retryMaxDelayMs: 2, random: () => 0.5 };

/** A transport that answers each request with `answer(body text, index)` and records the requests. */
function fake(answer: (text: string, index: number, req: IngestRequest) => IngestAnswer | Promise<IngestAnswer> | Error): {
  transport: IngestTransport;
  requests: IngestRequest[];
  bodies: string[];
} {
  const requests: IngestRequest[] = [];
  const bodies: string[] = [];
  const transport: IngestTransport = async (req) => {
    const index = requests.length;
    requests.push(req);
    const text = Buffer.from(req.body).toString('utf8');
    bodies.push(text);
    const a = await answer(text, index, req);
    if (a instanceof Error) throw a;
    return a;
  };
  return { transport, requests, bodies };
}

/** The endpoint as the validator judges it (a ValidationResponse). */
function judge(text: string, options: { maxDimensions?: number; maxReportedErrors?: number } = {}): IngestAnswer {
  const r = validateMetrics(text, { now: NOW, ...options });
  return { status: r.status, headers: { 'content-type': 'application/json' }, text: JSON.stringify(r.body) };
}

const coded = (code: string): Error => Object.assign(new Error(code), { code });
/** `n` lines of 13 bytes each (`m.k001,d=x 1` and LF): with `maxBytes: 40`, three lines a piece. */
const lines = (n: number, from = 1): string => Array.from({ length: n }, (_, i) => `m.k${String(from + i).padStart(3, '0')},d=x 1\n`).join('');

describe('line ranges', () => {
  it('formats sorted numbers as ranges and reads them back', () => {
    expect(formatLineRanges([])).toBe('');
    expect(formatLineRanges([4, 5, 6, 7, 12])).toBe('4-7,12');
    expect(formatLineRanges([1, 1, 2, 9])).toBe('1-2,9');
    expect(parseLineRanges('4-7,12')).toEqual([4, 5, 6, 7, 12]);
    expect(parseLineRanges(' 3 , 5-6 ')).toEqual([3, 5, 6]);
    expect(parseLineRanges('')).toEqual([]);
    for (const bad of ['x', '0', '5-3', '1,,2', '-2', '1-']) expect(() => parseLineRanges(bad), bad).toThrow(TypeError);
    expect(() => parseLineRanges('1-1000000000')).toThrow(/too many/);
  });
  it('round-trips any set of line numbers', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { maxLength: 200 }), (set) => {
        const sorted = set.slice().sort((a, b) => a - b);
        expect(parseLineRanges(formatLineRanges(sorted))).toEqual(sorted);
      }),
    );
  });
});

describe('sendMetrics', () => {
  it('splits by bytes, sends each line once, and answers 202 with every line ingested', async () => {
    const { transport, bodies, requests } = fake((t) => judge(t));
    const body = lines(40) + '\n\n' + lines(10, 41);
    const r = await sendMetrics(body, { url: URL, token: 'dt0c01.X', transport, maxBytes: 200 });
    expect(r.status).toBe(202);
    expect(r).toMatchObject({ linesOk: 50, linesInvalid: 0, linesNotIngested: 0, linesUnknown: 0, notIngestedLines: '', unknownLines: '' });
    expect(r.body).toEqual({ linesOk: 50, linesInvalid: 0, error: null, warnings: null });
    expect(r.requests).toBe(bodies.length);
    for (const b of bodies) expect(Buffer.byteLength(b)).toBeLessThanOrEqual(200);
    expect(
      bodies
        .join('')
        .split('\n')
        .filter((l) => l.trim() !== ''),
    ).toEqual(body.split('\n').filter((l) => l.trim() !== ''));
    expect(requests[0]!.headers).toMatchObject({
      authorization: 'Api-Token dt0c01.X',
      'content-type': 'text/plain; charset=utf-8',
      accept: 'application/json; charset=utf-8',
    });
    expect(r.verbatim).toBeUndefined();
  });

  it('one request that accounts for every line is offered verbatim', async () => {
    const { transport } = fake((t) => judge(t));
    const r = await sendMetrics('a.b.c 1\nbad key 2\n', { url: URL, transport });
    expect(r.status).toBe(400);
    expect(r.verbatim).toMatchObject({ status: 400 });
    expect(JSON.parse(r.verbatim!.text)).toEqual(validateMetrics('a.b.c 1\nbad key 2\n', { now: NOW }).body);
    expect(r.invalidLines).toEqual([{ line: 2, error: 'invalid metric type' }]);
    expect(r.linesOk).toBe(1);
  });

  it("a body whose first line is blank is numbered through the piece's map, never passed on verbatim", async () => {
    const { transport } = fake((t) => judge(t));
    const r = await sendMetrics('\n  \na.b.c 1\nbad key 2\n', { url: URL, transport });
    expect(r.verbatim).toBeUndefined();
    expect(r.invalidLines).toEqual([{ line: 4, error: 'invalid metric type' }]);
    expect(r.linesOk).toBe(1);
    expect(r.status).toBe(400);
  });

  it("maps the endpoint's invalid lines and warnings back through the pieces and the caller's line map", async () => {
    const { transport } = fake((t) => judge(t, { maxDimensions: 1, maxReportedErrors: 100 }));
    // body line i is the caller's line 10 + 2i
    const body = ['a.b.c,x=1 1', 'two.dims,a=1,b=2 2', 'my.requests count,delta=1', 'd.e.f 4'].join('\n') + '\n';
    const r = await sendMetrics(body, {
      url: URL,
      transport,
      maxBytes: 30,
      lineMap: [10, 12, 14, 16],
      invalid: { linesInvalid: 3, invalidLines: [{ line: 11, error: 'local' }] },
    });
    expect(r.invalidLines).toEqual([
      { line: 11, error: 'local' },
      { line: 12, error: expect.stringContaining('dimensions') as string },
    ]);
    // 3 judged locally (2 of them unlisted by a capped validator) + 1 by the endpoint
    expect(r.linesInvalid).toBe(4);
    expect(r.linesOk).toBe(3);
    expect(r.warnings.map((w) => w.line)).toEqual([14]);
    expect(r.status).toBe(400);
    expect(r.body.error!.message).toBe('First 2 errors reported');
  });

  it('retries 429/503 and a connection never opened, and never resends a stored piece', async () => {
    const { transport, bodies } = fake((t, i) => {
      if (i === 0) return judge(t);
      if (i === 1) return { status: 429, headers: { 'Retry-After': '0' }, text: '' };
      if (i === 2) return coded('ECONNREFUSED');
      if (i === 3) return { status: 503, headers: {}, text: '{"error":{"code":503,"message":"busy"}}' };
      return judge(t);
    });
    const r = await sendMetrics(lines(6), { url: URL, transport, maxBytes: 40, ...FAST });
    expect(r.status).toBe(202);
    expect(r.linesOk).toBe(6);
    expect(r.retries).toBe(3);
    expect(r.requests).toBe(bodies.length);
    // the first piece once, the second four times (three retries), the third once
    expect(bodies.map((b) => b.slice(0, 6))).toEqual(['m.k001', 'm.k004', 'm.k004', 'm.k004', 'm.k004']);
  });

  it("gives up on 503 after the retries: the piece and the rest not ingested, the endpoint's status and Retry-After passed on", async () => {
    const { transport, bodies } = fake((t, i) => (i === 0 ? judge(t) : { status: 503, headers: { 'retry-after': '0' }, text: '' }));
    const r = await sendMetrics(lines(9), { url: URL, transport, maxBytes: 40, retryCount: 2, ...FAST });
    expect(bodies).toHaveLength(4);
    expect(r).toMatchObject({ linesOk: 3, linesNotIngested: 6, notIngestedLines: '4-9', linesUnknown: 0 });
    // some lines were stored: 502, never the endpoint's 503 (a sender would resend everything)
    expect(r.status).toBe(502);
    const none = await sendMetrics(lines(3), {
      url: URL,
      transport: fake(() => ({ status: 503, headers: { 'retry-after': '0' }, text: '' })).transport,
      retryCount: 1,
      ...FAST,
    });
    expect(none.status).toBe(503);
    expect(none.headers).toEqual({ 'retry-after': '0' });
    expect(none.verbatim).toMatchObject({ status: 503 });
  });

  it('waits at least Retry-After before the retry', async () => {
    const { transport } = fake((t, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '1' }, text: '' } : judge(t)));
    const t0 = performance.now();
    const r = await sendMetrics(lines(2), { url: URL, transport, ...FAST });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(990);
    expect(r).toMatchObject({ status: 202, linesOk: 2, retries: 1, requests: 2 });
  });

  it('does not start a wait that ends past the budget (Retry-After beyond it)', async () => {
    const { transport, bodies } = fake(() => ({ status: 429, headers: { 'retry-after': '30' }, text: '' }));
    const t0 = performance.now();
    const r = await sendMetrics(lines(2), { url: URL, transport, retryCount: 5, retryBudgetMs: 500 });
    // far below the 30 s wait it must not start (a bound a busy machine cannot reach)
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(bodies).toHaveLength(1);
    expect(r.status).toBe(429);
    expect(r.notIngestedLines).toBe('1-2');
  });

  it('a connection lost or a timeout after sending: that piece unknown, not retried; later pieces not ingested', async () => {
    for (const [failure, status] of [
      [coded('ECONNRESET'), 502],
      ['hang', 504],
    ] as const) {
      const { transport, bodies } = fake((t, i, req) => {
        if (i === 0) return judge(t);
        if (failure === 'hang') return new Promise<IngestAnswer>((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason as Error)));
        return failure;
      });
      const r = await sendMetrics(lines(9), { url: URL, transport, maxBytes: 40, timeoutMs: 50, ...FAST });
      expect(bodies).toHaveLength(2);
      expect(r).toMatchObject({ status, linesOk: 3, unknownLines: '4-6', notIngestedLines: '7-9', linesUnknown: 3, linesNotIngested: 3 });
      expect(r.message).toContain('may store them twice');
      const e = r.body.error as { unknownLines: string; notIngestedLines: string };
      expect(e.unknownLines).toBe('4-6');
    }
  });

  it('a connection that cannot be opened, after the retries: nothing sent, everything not ingested', async () => {
    const { transport, bodies } = fake(() => coded('ECONNREFUSED'));
    const r = await sendMetrics(lines(4), { url: URL, transport, retryCount: 2, maxBytes: 30, ...FAST });
    expect(bodies).toHaveLength(3);
    expect(r).toMatchObject({ status: 502, linesNotIngested: 4, notIngestedLines: '1-4', linesUnknown: 0 });
    expect(r.message).toContain('unreachable');
    expect(r.message).toContain('ECONNREFUSED');
  });

  it("the caller's signal stops the send: the piece in flight unknown, the rest not ingested", async () => {
    const controller = new AbortController();
    const { transport, bodies } = fake((t, i, req) => {
      if (i === 0) return judge(t);
      controller.abort();
      return new Promise<IngestAnswer>((_, reject) =>
        req.signal.aborted ? reject(new Error('aborted')) : req.signal.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    });
    const r = await sendMetrics(lines(9), { url: URL, transport, maxBytes: 40, signal: controller.signal });
    expect(bodies).toHaveLength(2);
    expect(r).toMatchObject({ linesOk: 3, unknownLines: '4-6', notIngestedLines: '7-9' });
  });

  it('413: a piece is sent again in halves (by lines), a single line is invalid', async () => {
    const long = 'long.line,d=' + 'x'.repeat(60) + ' 1\n';
    const { transport, bodies } = fake((t) =>
      Buffer.byteLength(t) > 40 ? { status: 413, headers: {}, text: '{"error":{"code":413,"message":"Payload too large"}}' } : judge(t),
    );
    const r = await sendMetrics('a.b.c 1\n' + long + 'd.e.f 2\n', { url: URL, transport });
    expect(r.linesOk).toBe(2);
    expect(r.invalidLines).toEqual([{ line: 2, error: 'the endpoint answered 413 to this line alone (Payload too large)' }]);
    expect(r.status).toBe(400);
    expect(r.verbatim).toBeUndefined();
    // every line reached the endpoint in a piece it accepted, once
    expect(bodies.filter((b) => Buffer.byteLength(b) <= 40).join('')).toBe('a.b.c 1\nd.e.f 2\n');
  });

  it('a line longer than maxBytes is invalid and never sent', async () => {
    const { transport, bodies } = fake((t) => judge(t));
    const r = await sendMetrics('a.b.c 1\n' + 'x.y.z,d=' + 'v'.repeat(100) + ' 1\nd.e.f 2\n', { url: URL, transport, maxBytes: 50 });
    expect(r.invalidLines).toEqual([{ line: 2, error: 'line of 111 bytes exceeds the request limit of 50 bytes' }]);
    expect(bodies.join('')).not.toContain('x.y.z');
    expect(r.linesOk).toBe(2);
  });

  it('answers that are not ValidationResponses are never success', async () => {
    const cases: [IngestAnswer, { status: number; notIngestedLines: string; unknownLines: string }][] = [
      [
        { status: 202, headers: {}, text: '' },
        { status: 502, notIngestedLines: '', unknownLines: '1-2' },
      ],
      [
        { status: 400, headers: {}, text: '{"error":{"code":400,"message":"bad"}}' },
        { status: 400, notIngestedLines: '1-2', unknownLines: '' },
      ],
      [
        { status: 500, headers: {}, text: '' },
        { status: 502, notIngestedLines: '', unknownLines: '1-2' },
      ],
      [
        { status: 401, headers: {}, text: '{"error":{"code":401,"message":"Missing authorization parameter."}}' },
        { status: 401, notIngestedLines: '1-2', unknownLines: '' },
      ],
    ];
    for (const [answer, want] of cases) {
      const r = await sendMetrics('a.b.c 1\nd.e.f 2\n', { url: URL, transport: fake(() => answer).transport });
      expect(r, String(answer.status)).toMatchObject({ ...want, linesOk: 0 });
    }
    // a 400 ErrorEnvelope is not passed on as it is (it would read as "everything else ingested")
    expect((await sendMetrics('a.b.c 1\n', { url: URL, transport: fake(() => cases[1]![0]).transport })).verbatim).toBeUndefined();
    // a 401 is (its status says nothing was stored)
    expect((await sendMetrics('a.b.c 1\n', { url: URL, transport: fake(() => cases[3]![0]).transport })).verbatim).toMatchObject({ status: 401 });
  });

  it('a 400 whose list is incomplete: unlisted lines unknown, or invalid when it says none was stored', async () => {
    const list = (ok: number, bad: number) => ({
      status: 400,
      headers: {},
      text: JSON.stringify({
        linesOk: ok,
        linesInvalid: bad,
        error: { code: 400, message: 'First 1 errors reported', invalidLines: [{ line: 3, error: 'x' }] },
        warnings: null,
      }),
    });
    const some = await sendMetrics(lines(4), { url: URL, transport: fake(() => list(2, 2)).transport });
    expect(some).toMatchObject({ status: 400, linesOk: 0, linesInvalid: 1, unknownLines: '1-2,4', notIngestedLines: '' });
    const none = await sendMetrics(lines(4), { url: URL, transport: fake(() => list(0, 4)).transport });
    expect(none).toMatchObject({ status: 400, linesOk: 0, linesInvalid: 4, unknownLines: '', notIngestedLines: '' });
    // counts that do not add up to the piece's lines: nothing can be trusted but the listed line
    const off = await sendMetrics(lines(4), { url: URL, transport: fake(() => list(5, 1)).transport });
    expect(off).toMatchObject({ linesOk: 0, linesInvalid: 1, unknownLines: '1-2,4' });
  });

  it('every non-blank line in exactly one class, whatever the answers', async () => {
    const answers: ((t: string) => IngestAnswer | Error)[] = [
      (t) => judge(t, { maxDimensions: 1 }),
      () => ({ status: 429, headers: { 'retry-after': '0' }, text: '' }),
      () => ({ status: 413, headers: {}, text: '' }),
      () => ({ status: 400, headers: {}, text: 'nope' }),
      () => ({ status: 502, headers: {}, text: '' }),
      () => coded('ECONNRESET'),
      () => coded('ECONNREFUSED'),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('a.b.c,x=1 1', 'two.dims,a=1,b=2 2', '', '  ', 'bad key 3'), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: answers.length - 1 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 12, max: 80 }),
        async (bodyLines, script, maxBytes) => {
          const body = bodyLines.join('\n');
          const { transport } = fake((t, i) => answers[script[i % script.length]!]!(t));
          const r = await sendMetrics(body, { url: URL, transport, maxBytes, retryCount: 1, ...FAST, metrics: { maxReportedErrors: 1000 } });
          const nonBlank = new Set(bodyLines.map((l, i) => (l.trim() === '' ? 0 : i + 1)).filter((n) => n > 0));
          const invalid = r.invalidLines.map((l) => l.line);
          const seen = [...invalid, ...parseLineRanges(r.notIngestedLines), ...parseLineRanges(r.unknownLines)].filter((n) => nonBlank.has(n));
          expect(new Set(seen).size).toBe(seen.length);
          expect(r.linesOk + r.linesInvalid + r.linesNotIngested + r.linesUnknown).toBe(nonBlank.size);
          expect(r.linesInvalid).toBe(invalid.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('checks its options and headers', async () => {
    await expect(sendMetrics('a.b.c 1', {} as never)).rejects.toThrow(TypeError);
    const { transport, requests } = fake((t) => judge(t));
    await sendMetrics('a.b.c 1', { url: URL, token: 'T', authorization: 'Bearer P', contentType: 'text/plain', userAgent: 'me', transport });
    expect(requests[0]!.headers).toEqual({
      authorization: 'Bearer P',
      'content-type': 'text/plain',
      accept: 'application/json; charset=utf-8',
      'user-agent': 'me',
    });
  });
});

describe('postIngest', () => {
  it('posts one body with the same retry rules', async () => {
    const { transport, bodies } = fake((_t, i) => (i < 2 ? { status: 503, headers: {}, text: '' } : { status: 202, headers: {}, text: '' }));
    const r = await postIngest(new TextEncoder().encode('[{}]'), {
      url: 'https://x/platform/ingest/v1/events',
      transport,
      contentType: 'application/json',
      ...FAST,
    });
    expect(r).toMatchObject({ kind: 'answer', attempts: 3, answer: { status: 202 } });
    expect(bodies).toEqual(['[{}]', '[{}]', '[{}]']);
  });
});

describe("sendMetrics handed the exchange of the whole body (the proxy's one-request path)", () => {
  it('accounts for that exchange without sending the body again', async () => {
    const body = lines(3);
    // the proxy's first request: the endpoint answered 413 (nothing stored), so the halves follow
    const first = await postRead(Buffer.from(body), { url: URL, transport: fake(() => ({ status: 413, headers: {}, text: '' })).transport, ...FAST });
    const f = fake((text) => judge(text));
    const r = await sendMetricsAfter(body, { url: URL, transport: f.transport, ...FAST }, first);
    expect(f.bodies).toEqual([lines(1), lines(2, 2)]);
    expect(r.linesOk).toBe(3);
    expect(r.requests).toBe(3);
  });
  it('takes an exchange that failed after sending as the outcome of every line (no resend)', async () => {
    const body = lines(2);
    const first = await postRead(Buffer.from(body), { url: URL, transport: fake(() => coded('ECONNRESET')).transport, ...FAST });
    const f = fake((text) => judge(text));
    const r = await sendMetricsAfter(body, { url: URL, transport: f.transport, ...FAST }, first);
    expect(f.requests).toHaveLength(0);
    expect(r.linesUnknown).toBe(2);
    expect(r.unknownLines).toBe('1-2');
  });
  it('refuses an exchange when the body would not go as one request', async () => {
    const first = await postRead(Buffer.from(lines(3)), { url: URL, transport: fake((text) => judge(text)).transport, ...FAST });
    await expect(sendMetricsAfter(lines(3), { url: URL, transport: fake((text) => judge(text)).transport, maxBytes: 40 - 14, ...FAST }, first)).rejects.toThrow(
      TypeError,
    );
  });
});
