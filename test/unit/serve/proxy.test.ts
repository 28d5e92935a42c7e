import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer, type ServeOptions } from '../../../src/serve/index.js';
import { validateMetrics } from '../../../src/report/validate.js';
import type { MetricsOptions } from '../../../src/protocol/options.js';
import { JSON_TYPE, TEXT, deadPort, send, startUpstream, type StubRequest, type Upstream, Started } from './helpers.js';

const NOW = 1_700_000_000_000;
const AUTH = { authorization: 'Api-Token dt0c01.TOPSECRET' };

/** An upstream that judges metrics as the real endpoint would (with `options`). */
function realMetrics(options: MetricsOptions = {}): (req: StubRequest) => { status: number; body: unknown } {
  return (req) => {
    const r = validateMetrics(req.body, { now: NOW, ...options });
    return { status: r.status, body: r.body };
  };
}

const started = new Started();
afterEach(() => started.closeAll());

async function setup(answer: Upstream['answer'] | undefined, options: ServeOptions, path = ''): Promise<{ up: Upstream; url: string; server: RunningServer }> {
  const up = await startUpstream(answer);
  started.upstreams.push(up);
  const server = await startServer({ mode: 'proxy', upstream: up.url + path, metrics: { now: NOW }, events: { now: NOW }, retryBaseMs: 10, ...options });
  started.servers.push(server);
  return { up, url: server.url, server };
}

describe('proxy mode', () => {
  it("forwards a valid body with the caller's Authorization and passes the answer through", async () => {
    const { up, url, server } = await setup(
      () => ({ status: 202, body: { linesOk: 2, linesInvalid: 0, error: null, warnings: null }, headers: { 'x-up': '1' } }),
      {},
      '/e/abc',
    );
    const body = 'cpu.temp,host=a 42\ncpu.load 1.5\n';
    const r = await send(`${url}/e/local/api/v2/metrics/ingest?dry=1`, 'POST', body, { ...TEXT, ...AUTH });
    expect(r.status).toBe(202);
    expect(r.json()).toEqual({ linesOk: 2, linesInvalid: 0, error: null, warnings: null });
    expect(up.requests).toHaveLength(1);
    expect(up.requests[0]!.url).toBe('/e/abc/api/v2/metrics/ingest?dry=1');
    expect(up.requests[0]!.headers.authorization).toBe(AUTH.authorization);
    expect(up.requests[0]!.body.toString()).toBe(body);
    // the token is neither stored nor exposed
    expect((await send(`${url}/metrics`, 'GET')).text).not.toContain('TOPSECRET');
    expect(JSON.stringify(server.handler.store.snapshot())).not.toContain('TOPSECRET');
  });

  it('without filter, answers a body with an invalid line locally: nothing forwarded, its valid lines not ingested', async () => {
    const { up, url } = await setup(undefined, {});
    const body = 'cpu.temp 1\nbad key 1\n\ncpu.load 2\ncpu.idle 3\n';
    const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', body, TEXT);
    expect(r.status).toBe(400);
    const local = validateMetrics(body, { now: NOW }).body as { error: { invalidLines: unknown[] } };
    const got = r.json() as {
      linesOk: number;
      linesInvalid: number;
      error: { invalidLines: unknown[]; notIngestedLines: string; unknownLines: string; message: string };
    };
    expect(got.linesOk).toBe(0);
    expect(got.linesInvalid).toBe(1);
    expect(got.error.invalidLines).toEqual(local.error.invalidLines);
    expect(got.error.notIngestedLines).toBe('1,4-5');
    expect(got.error.unknownLines).toBe('');
    expect(got.error.message).toContain('nothing was forwarded');
    expect(up.requests).toHaveLength(0);
    // a body of invalid lines only: the validator's answer is the whole truth (linesOk 0)
    const bad = await send(`${url}/api/v2/metrics/ingest`, 'POST', 'bad key 1\n', TEXT);
    expect(bad.json()).toEqual(validateMetrics('bad key 1\n', { now: NOW }).body);
  });

  it('filter: forwards only valid lines, split by bytes, and maps every line number back', async () => {
    // the upstream is stricter than the local validator (one dimension at most), so it rejects lines too
    const { up, url } = await setup(realMetrics({ maxDimensions: 1, maxReportedErrors: 100 }), {
      filter: true,
      upstreamMaxBytes: 120,
      metrics: { now: NOW, maxReportedErrors: 100 },
    });
    const lines: string[] = [];
    for (let i = 1; i <= 40; i++) {
      if (i % 7 === 0) lines.push('bad key ' + i);
      else if (i % 5 === 0) lines.push(`two.dims,a=1,b=2 ${i}`);
      else if (i % 11 === 0) lines.push('');
      else lines.push(`good.metric,host=h${i} ${i}`);
    }
    const body = lines.join('\n') + '\n';
    const expected = validateMetrics(body, { now: NOW, maxDimensions: 1, maxReportedErrors: 100 });
    const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', body, TEXT);
    expect(r.status).toBe(400);
    const got = r.json() as { linesOk: number; linesInvalid: number; error: { invalidLines: { line: number; error: string }[] } };
    const want = expected.body as typeof got;
    expect(got.linesOk).toBe(want.linesOk);
    expect(got.linesInvalid).toBe(want.linesInvalid);
    expect(got.error.invalidLines).toEqual(want.error.invalidLines);
    // split into several pieces, each within the limit, none with a locally invalid line
    expect(up.requests.length).toBeGreaterThan(3);
    for (const req of up.requests) {
      expect(req.body.length).toBeLessThanOrEqual(120);
      expect(req.body.toString()).not.toContain('bad key');
    }
    const forwarded = up.requests.map((q) => q.body.toString()).join('');
    expect(forwarded.split('\n').filter((l) => l !== '')).toHaveLength(40 - 5 - 3); // 5 invalid, 3 blank
  });

  it('filter: an all-valid body answers 202 with the upstream counts', async () => {
    const { url } = await setup(realMetrics(), { filter: true, upstreamMaxBytes: 64 });
    const body = 'a.b.c 1\n\nd.e.f 2\ng.h.i 3\nj.k.l 4\n';
    const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', body, TEXT);
    expect(r.status).toBe(202);
    expect(r.json()).toEqual({ linesOk: 4, linesInvalid: 0, error: null, warnings: null });
  });

  it("filter: maps upstream warnings back to the sender's lines", async () => {
    const { url } = await setup(realMetrics(), { filter: true, upstreamMaxBytes: 40 });
    const body = 'bad key 1\n\nmy.requests count,delta=1\nx.y.z 2\n';
    const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', body, TEXT);
    const got = r.json() as { warnings: { changedMetricKeys: { line: number }[] } };
    expect(got.warnings.changedMetricKeys.map((w) => w.line)).toEqual([3]);
  });

  it('retries 503 with backoff and succeeds, never resending an accepted piece', async () => {
    const { up, url } = await setup((req, i) => (i === 1 ? { status: 503, body: { error: { code: 503, message: 'busy' } } } : realMetrics()(req)), {
      upstreamMaxBytes: 30,
    });
    const body = 'aaa.bbb 1\nccc.ddd 2\neee.fff 3\nggg.hhh 4\niii.jjj 5\n'; // 10 bytes a line: 3 pieces
    const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', body, TEXT);
    expect(r.status).toBe(202);
    expect(r.json()).toMatchObject({ linesOk: 5, linesInvalid: 0 });
    const bodies = up.requests.map((q) => q.body.toString());
    expect(bodies).toEqual(['aaa.bbb 1\nccc.ddd 2\neee.fff 3\n', 'ggg.hhh 4\niii.jjj 5\n', 'ggg.hhh 4\niii.jjj 5\n']);
    const m = (await send(`${url}/metrics`, 'GET')).text;
    expect(m).toContain('dt_ingest_upstream_retries_total 1');
    expect(m).toContain('dt_ingest_upstream_requests_total{outcome="retryable"} 1');
  });

  it('gives up after the retry count and passes the last 429/503 through', async () => {
    const { up, url } = await setup(() => ({ status: 503, body: { error: { code: 503, message: 'down for maintenance' } }, headers: { 'retry-after': '0' } }), {
      retryCount: 2,
    });
    const t0 = performance.now();
    const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1\n', TEXT);
    expect(r.status).toBe(503);
    expect(r.json()).toEqual({ error: { code: 503, message: 'down for maintenance' } });
    expect(r.headers['retry-after']).toBe('0');
    expect(up.requests).toHaveLength(3);
    // Retry-After 0 was taken (no backoff of seconds): a loose bound a busy machine cannot reach
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('does not start a retry that would end past the time budget', async () => {
    const { up, url } = await setup(() => ({ status: 429, headers: { 'retry-after': '30' } }), { retryCount: 5, retryBudgetMs: 1000 });
    const t0 = performance.now();
    const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1\n', TEXT);
    expect(r.status).toBe(429);
    expect(up.requests).toHaveLength(1);
    // far below the 30 s wait it must not start
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('answers 502 quickly with a clear body when the upstream is down', async () => {
    const port = await deadPort();
    const server = await startServer({ mode: 'proxy', upstream: `http://127.0.0.1:${port}`, retryCount: 2, retryBaseMs: 10, metrics: { now: NOW } });
    started.servers.push(server);
    const t0 = performance.now();
    const r = await send(`${server.url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1\n', { ...TEXT, ...AUTH });
    // no long wait (the retries' backoff is 10 ms): a loose bound a busy machine cannot reach
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(r.status).toBe(502);
    const msg = (r.json() as { error: { code: number; message: string } }).error;
    expect(msg.code).toBe(502);
    expect(msg.message).toContain('unreachable');
    expect(msg.message).toContain('ECONNREFUSED');
    expect(msg.message).toContain('3 attempts');
    expect(msg.message).not.toContain('TOPSECRET');
  });

  it('answers 504 when the upstream does not answer in time, naming the lines of unknown outcome (and does not resend)', async () => {
    const { up, url } = await setup(() => ({ status: 202, delayMs: 1500 }), { upstreamTimeoutMs: 200 });
    const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1\n', TEXT);
    expect(r.status).toBe(504);
    const e = r.json() as { linesOk: number; error: { message: string; unknownLines: string; notIngestedLines: string } };
    expect(e.error.message).toContain('no answer within 200 ms');
    expect(e.error.message).toContain('may store them twice');
    expect(e.error.unknownLines).toBe('1');
    expect(e.error.notIngestedLines).toBe('');
    expect(e.linesOk).toBe(0);
    expect(up.requests).toHaveLength(1);
  });

  it('a timeout on the first piece: that piece unknown, the pieces never sent not ingested', async () => {
    const { up, url } = await setup((req, i) => (i === 0 ? { status: 202, delayMs: 1500 } : realMetrics()(req)), {
      upstreamTimeoutMs: 200,
      upstreamMaxBytes: 30,
    });
    const body = 'aaa.bbb 1\nccc.ddd 2\neee.fff 3\nggg.hhh 4\niii.jjj 5\nkkk.lll 6\nmmm.nnn 7\n';
    const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', body, TEXT);
    expect(r.status).toBe(504);
    const e = r.json() as { linesOk: number; error: { unknownLines: string; notIngestedLines: string } };
    expect(e.linesOk).toBe(0);
    expect(e.error.unknownLines).toBe('1-3');
    expect(e.error.notIngestedLines).toBe('4-7');
    expect(up.requests).toHaveLength(1);
  });

  it('after some pieces were stored, a failing piece gives 502 naming the lines not ingested', async () => {
    const { up, url } = await setup((req, i) => (i === 0 ? realMetrics()(req) : { status: 503 }), { upstreamMaxBytes: 30, retryCount: 1 });
    const body = 'aaa.bbb 1\nccc.ddd 2\neee.fff 3\nggg.hhh 4\niii.jjj 5\nkkk.lll 6\nmmm.nnn 7\n';
    const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', body, TEXT);
    expect(r.status).toBe(502);
    const got = r.json() as { linesOk: number; error: { notIngestedLines: string; unknownLines: string; message: string } };
    expect(got.linesOk).toBe(3);
    expect(got.error.notIngestedLines).toBe('4-7');
    expect(got.error.unknownLines).toBe('');
    expect(got.error.message).toContain('safe to resend');
    // piece 1 once, piece 2 twice (one retry), piece 3 never
    expect(up.requests.map((q) => q.body.toString().slice(0, 3))).toEqual(['aaa', 'ggg', 'ggg']);
  });

  it('a 400 without a ValidationResponse is never read as success: its lines are not ingested', async () => {
    const { url } = await setup(() => ({ status: 400, body: { error: { code: 400, message: 'Bad request' } } }), {});
    const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1\nd.e.f 2\n', TEXT);
    expect(r.status).toBe(400);
    const got = r.json() as { linesOk: number; linesInvalid: number; error: { notIngestedLines: string; message: string } };
    expect(got.linesOk).toBe(0);
    expect(got.linesInvalid).toBe(0);
    expect(got.error.notIngestedLines).toBe('1-2');
    expect(got.error.message).toContain('Bad request');
  });

  it('a 400 that lists only some of its invalid lines: the unlisted lines are of unknown outcome', async () => {
    const { url } = await setup(
      () => ({
        status: 400,
        body: {
          linesOk: 2,
          linesInvalid: 2,
          error: { code: 400, message: 'First 1 errors reported', invalidLines: [{ line: 2, error: 'nope' }] },
          warnings: null,
        },
      }),
      {},
    );
    const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1\nd.e.f 2\ng.h.i 3\nj.k.l 4\n', TEXT);
    const got = r.json() as {
      linesOk: number;
      linesInvalid: number;
      error: { invalidLines: { line: number }[]; unknownLines: string; notIngestedLines: string };
    };
    // the upstream's own status: nothing failed, its answer is just incomplete
    expect(r.status).toBe(400);
    expect(got.linesOk).toBe(0);
    expect(got.linesInvalid).toBe(1);
    expect(got.error.invalidLines.map((l) => l.line)).toEqual([2]);
    expect(got.error.unknownLines).toBe('1,3-4');
    expect(got.error.notIngestedLines).toBe('');
  });

  it('a 502 from the upstream is an unknown outcome: not retried, its lines named', async () => {
    const { up, url } = await setup(() => ({ status: 502, body: '<html>Bad Gateway</html>' }), { retryCount: 3 });
    const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1\n', TEXT);
    expect(r.status).toBe(502);
    expect((r.json() as { error: { unknownLines: string } }).error.unknownLines).toBe('1');
    expect(up.requests).toHaveLength(1);
  });

  it('splits a piece the upstream answers 413 in halves', async () => {
    const { up, url } = await setup(
      (req) => (req.body.length > 25 ? { status: 413, body: { error: { code: 413, message: 'too large' } } } : realMetrics()(req)),
      {},
    );
    const body = 'aaa.bbb 1\nccc.ddd 2\neee.fff 3\nggg.hhh 4\n';
    const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', body, TEXT);
    expect(r.status).toBe(202);
    expect(r.json()).toMatchObject({ linesOk: 4, linesInvalid: 0 });
    expect(up.requests.filter((q) => q.body.length <= 25)).toHaveLength(2);
    // the whole body went once (the one-request path), its 413 handed to the splitter, not resent
    expect(up.requests.map((q) => q.body.length)).toEqual([body.length, 20, 20]);
  });

  it("forwards metrics from every local metrics route to the upstream's metrics path (SDK request shape)", async () => {
    const sdk = { 'Content-Type': 'text/plain; charset=utf-8', Accept: 'application/json', Authorization: 'Api-Token dt0c01.SDK' };
    const { up, url } = await setup(realMetrics(), {}, '/e/abc');
    for (const path of ['/platform/classic/environment-api/v2/metrics/ingest', '/metrics/ingest', '/api/v2/metrics/ingest']) {
      const r = await send(`${url}${path}?q=1`, 'POST', 'a.b.c 1\n', sdk);
      expect(r.status, path).toBe(202);
      expect(r.json()).toEqual({ linesOk: 1, linesInvalid: 0, error: null, warnings: null });
    }
    expect(up.requests.map((q) => q.url)).toEqual(Array(3).fill('/e/abc/api/v2/metrics/ingest?q=1'));
    for (const q of up.requests) expect(q.headers).toMatchObject({ 'content-type': 'text/plain; charset=utf-8', authorization: 'Api-Token dt0c01.SDK' });
    // a platform upstream takes them at its own path
    const platform = await setup(realMetrics(), { upstreamMetricsPath: '/platform/classic/environment-api/v2/metrics/ingest' });
    expect((await send(`${platform.url}/metrics/ingest`, 'POST', 'a.b.c 1\n', sdk)).status).toBe(202);
    expect(platform.up.requests[0]!.url).toBe('/platform/classic/environment-api/v2/metrics/ingest');
  });

  it('proxies the JSON routes: valid bodies forwarded, invalid ones answered locally', async () => {
    const { up, url } = await setup(() => ({ status: 202 }), {});
    const ok = await send(`${url}/platform/ingest/v1/smartscape.events`, 'POST', '[{"type":"HOST","id_components":[{"hostname":"a"}]}]', {
      ...JSON_TYPE,
      ...AUTH,
    });
    expect(ok.status).toBe(202);
    expect(up.requests).toHaveLength(1);
    expect(up.requests[0]!.url).toBe('/platform/ingest/v1/smartscape.events');
    expect(up.requests[0]!.headers['content-type']).toBe('application/json; charset=utf-8');
    const bad = await send(`${url}/api/v1/entity/infrastructure/custom/dev1`, 'POST', '{"tags":5}', JSON_TYPE);
    expect(bad.status).toBe(400);
    expect(up.requests).toHaveLength(1);
  });
});

describe('proxy mode cuts a body into lines once', () => {
  /** An upstream that counts the non-blank lines of a piece by itself (no dt-ingest code, so no cut counted). */
  const counting = (req: StubRequest) => {
    const n = req.body
      .toString()
      .split('\n')
      .filter((l) => l.replace(/\r$/, '').trim() !== '').length;
    return { status: 202, body: { linesOk: n, linesInvalid: 0, error: null, warnings: null } };
  };
  const BODY = 'cpu.temp,host=a 42\r\n\n   \ncpu.load 1.5\nhttp.requests count,delta=3\r\nbad key 1\ncpu.idle 3';

  for (const filter of [false, true]) {
    it(`${filter ? 'filter' : 'no filter'}: the validator's pass is the only one (splitting, forwarding and the ledger read its map)`, async () => {
      const { lineCuts } = await import('../../../src/scan/line-map.js');
      const { up, url } = await setup(counting, { filter, upstreamMaxBytes: 40 });
      for (const body of [BODY.replace('bad key 1\n', ''), BODY]) {
        const before = lineCuts.passes;
        const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', body, TEXT);
        expect(lineCuts.passes - before, `${r.status} ${r.text}`).toBe(1);
        expect(r.status).toBe(body === BODY ? 400 : 202);
      }
      // the valid body went out in pieces of at most 40 bytes (several requests, one cut)
      expect(up.requests.length).toBeGreaterThanOrEqual(2);
    });
  }

  it('a sender without a map: sendMetrics cuts the body once itself', async () => {
    const { lineCuts } = await import('../../../src/scan/line-map.js');
    const { sendMetrics } = await import('../../../src/produce/send.js');
    const before = lineCuts.passes;
    const r = await sendMetrics(BODY.replace('bad key 1\n', ''), {
      url: 'http://x.invalid/api/v2/metrics/ingest',
      maxBytes: 40,
      transport: async (req) => ({ status: 202, headers: new Headers(), text: JSON.stringify(counting({ body: Buffer.from(req.body) } as StubRequest).body) }),
    });
    expect(r.status).toBe(202);
    expect(r.linesOk).toBe(4);
    expect(lineCuts.passes - before).toBe(1);
  });
});
