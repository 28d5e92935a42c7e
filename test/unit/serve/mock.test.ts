import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../src/serve/index.js';
import { matchRoute, mediaType, charsetOf } from '../../../src/serve/route-table.js';
import { resolveServeOptions } from '../../../src/serve/options.js';
import { validateMetrics } from '../../../src/report/validate.js';
import { validateCustomDevice, validateEvents, validateSmartscapeEvents, validateSyntheticTests } from '../../../src/events/index.js';
import { JSON_TYPE, TEXT, send, sleep } from './helpers.js';

const NOW = 1_700_000_000_000;
const example = (name: string): Buffer => readFileSync(join('examples/events', name));

describe('routes (unit)', () => {
  it('matches every ingest route, with and without the ActiveGate prefix', () => {
    expect(matchRoute('/api/v2/metrics/ingest')).toMatchObject({ kind: 'ingest', path: '/api/v2/metrics/ingest', route: { id: 'metrics' } });
    expect(matchRoute('/e/abc123/api/v2/metrics/ingest')).toMatchObject({ kind: 'ingest', path: '/api/v2/metrics/ingest' });
    expect(matchRoute('/platform/ingest/v1/events')).toMatchObject({ route: { id: 'events' } });
    expect(matchRoute('/e/x/platform/ingest/v1/smartscape.events')).toMatchObject({ route: { id: 'smartscape' } });
    expect(matchRoute('/api/v1/synthetic/ext/tests')).toMatchObject({ route: { id: 'synthetic' } });
    expect(matchRoute('/api/v1/entity/infrastructure/custom/my%20device')).toMatchObject({ route: { id: 'custom-device' }, param: 'my device' });
    expect(matchRoute('/api/v1/entity/infrastructure/custom/')).toEqual({ kind: 'none' });
    expect(matchRoute('/api/v1/entity/infrastructure/custom/%E0%A4%A')).toEqual({ kind: 'none', badParam: 'customDeviceId' });
    expect(matchRoute('/e//api/v2/metrics/ingest')).toEqual({ kind: 'none' });
    expect(matchRoute('/api/v2/metrics/ingest/')).toEqual({ kind: 'none' });
    expect(matchRoute('/healthz')).toMatchObject({ kind: 'control', name: 'healthz' });
  });
  it('reads media types and charsets', () => {
    expect(mediaType('Text/Plain; charset=UTF-8')).toBe('text/plain');
    expect(mediaType(undefined)).toBe('');
    expect(charsetOf('text/plain; charset="UTF-8"')).toBe('utf-8');
    expect(charsetOf('text/plain')).toBe('');
  });
  it('checks options', () => {
    expect(() => resolveServeOptions({ mode: 'proxy' })).toThrow(/upstream/);
    expect(() => resolveServeOptions({ fault429Rate: 0.8, fault503Rate: 0.5 })).toThrow(/exceed/);
    expect(() => resolveServeOptions({ filter: true })).toThrow(/proxy/);
    expect(() => resolveServeOptions({ mode: 'proxy', upstream: 'http://u:p@127.0.0.1:1' })).toThrow(/credentials/);
    expect(resolveServeOptions({ mode: 'proxy', upstream: 'http://127.0.0.1:1/e/abc/' }).upstream).toBe('http://127.0.0.1:1/e/abc');
    expect(resolveServeOptions().host).toBe('127.0.0.1');
  });
});

describe('mock mode over HTTP', () => {
  let server: RunningServer;
  let url: string;
  const recordFile = join(mkdtempSync(join(tmpdir(), 'dt-ingest-rec-')), 'received.ndjson');
  beforeAll(async () => {
    server = await startServer({ metrics: { now: NOW }, events: { now: NOW }, receivedLimit: 3, record: recordFile });
    url = server.url;
  });
  afterAll(async () => server.close());

  it('binds 127.0.0.1 by default', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(url.startsWith('http://127.0.0.1:')).toBe(true);
  });

  it('answers metrics exactly as the validator does (202, 400, empty 400)', async () => {
    const bodies = [
      'cpu.temp,host=a 42\ncpu.load 1.5\n',
      'cpu.temp,host=a 42\nbad key 1\n',
      '\n\n',
      'my.count,host=a count,delta=3\nmy.gauge gauge,min=1,max=2,sum=3,count=2\n',
    ];
    for (const body of bodies) {
      const expected = validateMetrics(body, { now: NOW });
      const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', body, TEXT);
      expect(r.status).toBe(expected.status);
      expect(r.json()).toEqual(expected.body);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    }
  });

  it("answers metrics where real clients post them: the JS SDK's platform path and the local agent's /metrics/ingest", async () => {
    // the request shape of @dynatrace-sdk/client-classic-environment-v2 metricsClient.ingest
    const sdk = { 'Content-Type': 'text/plain; charset=utf-8', Accept: 'application/json', Authorization: 'Api-Token dt0c01.SDK' };
    await send(`${url}/_dt-ingest/received`, 'DELETE');
    for (const path of ['/platform/classic/environment-api/v2/metrics/ingest', '/metrics/ingest']) {
      const body = `sdk.metric,path=${path.length} 1\nbad key 2\n`;
      const r = await send(`${url}${path}`, 'POST', body, sdk);
      expect(r.status, path).toBe(400);
      expect(r.json()).toEqual(validateMetrics(body, { now: NOW }).body);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    }
    expect(server.handler.store.snapshot().metrics.items).toEqual(['sdk.metric,path=51 1', 'sdk.metric,path=15 1']);
    expect(matchRoute('/metrics/ingest')).toMatchObject({ kind: 'ingest', route: { id: 'metrics' }, path: '/metrics/ingest' });
    expect(matchRoute('/metrics')).toMatchObject({ kind: 'control' });
  });

  it('answers under the ActiveGate prefix and ignores the query string', async () => {
    const r = await send(`${url}/e/abc123/api/v2/metrics/ingest?x=1`, 'POST', 'cpu.temp 1\n', TEXT);
    expect(r.status).toBe(202);
  });

  it('answers the JSON routes exactly as the validators do', async () => {
    const o = { now: NOW };
    const cases: [string, Buffer | string, { status: number; body: unknown }][] = [
      ['/platform/ingest/v1/events', example('generic-model.json'), validateEvents(example('generic-model.json'), o)],
      ['/platform/ingest/v1/events', '[1]', validateEvents('[1]', o)],
      ['/platform/ingest/v1/events', '[1', validateEvents('[1', o)],
      ['/platform/ingest/v1/smartscape.events', example('smartscape-model.json'), validateSmartscapeEvents(example('smartscape-model.json'), o)],
      ['/platform/ingest/v1/smartscape.events', '{}', validateSmartscapeEvents('{}', o)],
      ['/api/v1/synthetic/ext/tests', example('synthetic-example.json'), validateSyntheticTests(example('synthetic-example.json'), o)],
      ['/api/v1/synthetic/ext/tests', '{}', validateSyntheticTests('{}', o)],
      [
        '/api/v1/entity/infrastructure/custom/coffee-1',
        example('custom-device-model.json'),
        validateCustomDevice('coffee-1', example('custom-device-model.json'), o),
      ],
      ['/api/v1/entity/infrastructure/custom/coffee-1', '{"displayName":"coffee"}', validateCustomDevice('coffee-1', '{"displayName":"coffee"}', o)],
      ['/e/env1/api/v1/entity/infrastructure/custom/coffee-1', '{"tags":5}', validateCustomDevice('coffee-1', '{"tags":5}', o)],
    ];
    const statuses = new Set<number>();
    for (const [path, body, expected] of cases) {
      const r = await send(`${url}${path}`, 'POST', body, JSON_TYPE);
      expect(r.status, path).toBe(expected.status);
      statuses.add(r.status);
      if (expected.body === null) expect(r.text).toBe('');
      else expect(r.json()).toEqual(expected.body);
    }
    // every success status of the family and the 400 envelopes were seen
    expect([...statuses].sort()).toEqual([200, 202, 204, 400]);
  });

  it('keeps the last N accepted items per route, readable and clearable', async () => {
    await send(`${url}/_dt-ingest/received`, 'DELETE');
    await send(`${url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1\nbad key 2\r\nd.e.f 3\r\n\n', TEXT);
    await send(`${url}/api/v2/metrics/ingest`, 'POST', 'g.h.i 4\nj.k.l 5\n', TEXT);
    await send(
      `${url}/platform/ingest/v1/events`,
      'POST',
      '[{"event.type":"CUSTOM_INFO","title":"one"},{"event.type":"CUSTOM_INFO","title":"two"}]',
      JSON_TYPE,
    );
    await send(`${url}/platform/ingest/v1/events`, 'POST', '[1]', JSON_TYPE); // rejected: not kept
    await send(`${url}/api/v1/entity/infrastructure/custom/dev%201`, 'POST', '{"displayName":"coffee"}', JSON_TYPE);
    const r = await send(`${url}/_dt-ingest/received`, 'GET');
    expect(r.status).toBe(200);
    const snap = r.json() as Record<string, { total: number; items: unknown[] }>;
    expect(snap.metrics).toEqual({ total: 4, items: ['d.e.f 3', 'g.h.i 4', 'j.k.l 5'] });
    expect(snap.events!.items).toEqual([
      { 'event.type': 'CUSTOM_INFO', title: 'one' },
      { 'event.type': 'CUSTOM_INFO', title: 'two' },
    ]);
    expect(snap['custom-device']!.items).toEqual([{ customDeviceId: 'dev 1', body: { displayName: 'coffee' } }]);
    const d = await send(`${url}/_dt-ingest/received`, 'DELETE');
    expect(d.status).toBe(204);
    const after = (await send(`${url}/_dt-ingest/received`, 'GET')).json() as Record<string, { total: number }>;
    expect(after.metrics!.total).toBe(0);
    // the record file has every accepted item, one JSON per line
    await sleep(50);
    const lines = readFileSync(recordFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { route: string; item: unknown });
    expect(lines.filter((l) => l.route === 'metrics').map((l) => l.item)).toEqual(expect.arrayContaining(['a.b.c 1', 'd.e.f 3', 'g.h.i 4', 'j.k.l 5']));
    expect(lines.some((l) => JSON.stringify(l).includes('Authorization'))).toBe(false);
  });

  it('keeps the valid business events of a 400 with partial acceptance, and nothing of an unreadable body (docs/spec/bizevents.md)', async () => {
    await send(`${url}/_dt-ingest/received`, 'DELETE');
    const batch = 'application/cloudevent-batch+json';
    const events = [
      { specversion: '1.0', id: '1', source: 'shop', type: 'com.shop.checkout' },
      { specversion: '1.0', id: '2', source: 'shop' }, // no type: refused
      { specversion: '1.0', id: '3', source: 'shop', type: 'com.shop.refund' },
    ];
    const partial = await send(`${url}/api/v2/bizevents/ingest`, 'POST', JSON.stringify(events), { 'content-type': batch });
    expect(partial.status).toBe(400);
    expect((partial.json() as { errors: { index: number }[] }).errors.map((e) => e.index)).toEqual([1]);
    // a body that cannot be read (a batch that is not an array) and a refused single event: nothing kept
    expect((await send(`${url}/api/v2/bizevents/ingest`, 'POST', JSON.stringify(events[0]), { 'content-type': batch })).status).toBe(400);
    const single = await send(`${url}/api/v2/bizevents/ingest`, 'POST', JSON.stringify(events[1]), { 'content-type': 'application/cloudevent+json' });
    expect(single.status).toBe(400);
    // an events body with an invalid event is refused whole: nothing kept either
    expect((await send(`${url}/platform/ingest/v1/events`, 'POST', '[{"event.type":"CUSTOM_INFO","title":"x"},1]', JSON_TYPE)).status).toBe(400);
    const snap = (await send(`${url}/_dt-ingest/received`, 'GET')).json() as Record<string, { total: number; items: unknown[] }>;
    expect(snap.bizevents).toEqual({ total: 2, items: [events[0], events[2]] });
    expect(snap.events!.total).toBe(0);
  });

  it('answers 404 with the platform envelope, 405 with Allow, 415 for a wrong content type', async () => {
    const nf = await send(`${url}/api/v2/metrics/ingestx`, 'POST', 'a.b 1', TEXT);
    expect(nf.status).toBe(404);
    expect(nf.json()).toEqual({ error: { code: 404, message: 'No ingest endpoint at /api/v2/metrics/ingestx.' } });
    const badId = await send(`${url}/api/v1/entity/infrastructure/custom/%E0%A4%A`, 'POST', '{}', JSON_TYPE);
    expect(badId.status).toBe(404);
    const m = await send(`${url}/api/v2/metrics/ingest`, 'GET');
    expect(m.status).toBe(405);
    expect(m.headers.allow).toBe('POST');
    expect((m.json() as { error: { code: number } }).error.code).toBe(405);
    const put = await send(`${url}/healthz`, 'POST', 'x');
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, HEAD');
    const t1 = await send(`${url}/api/v2/metrics/ingest`, 'POST', 'a.b 1', JSON_TYPE);
    expect(t1.status).toBe(415);
    const t2 = await send(`${url}/platform/ingest/v1/events`, 'POST', '[]', TEXT);
    expect(t2.status).toBe(415);
    const t3 = await send(`${url}/api/v2/metrics/ingest`, 'POST', 'a.b 1', { 'content-type': 'text/plain; charset=iso-8859-1' });
    expect(t3.status).toBe(415);
    const t4 = await send(`${url}/api/v2/metrics/ingest`, 'POST', 'a.b 1', { ...TEXT, 'content-encoding': 'gzip' });
    expect(t4.status).toBe(415);
    const noType = await send(`${url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1');
    expect(noType.status).toBe(202);
    const cloud = await send(`${url}/platform/ingest/v1/events`, 'POST', '{"event.type":"CUSTOM_INFO","title":"x"}', {
      'content-type': 'application/cloudevent+json',
    });
    expect(cloud.status).toBe(202);
  });

  it('answers 413 for a declared Content-Length over the limit without reading', async () => {
    const s = await startServer({ metrics: { maxBodyBytes: 100, now: NOW }, events: { eventsMaxBodyBytes: 50 } });
    try {
      const big = 'a.b.c 1\n'.repeat(20);
      const r = await send(`${s.url}/api/v2/metrics/ingest`, 'POST', big, TEXT);
      expect(r.status).toBe(413);
      expect(r.json()).toEqual(validateMetrics(big, { maxBodyBytes: 100, now: NOW }).body);
      expect(r.headers.connection).toBe('close');
      const e = await send(`${s.url}/platform/ingest/v1/events`, 'POST', '[' + '{},'.repeat(30) + '{}]', JSON_TYPE);
      expect(e.status).toBe(413);
      expect(e.json()).toEqual(validateEvents('[' + '{},'.repeat(30) + '{}]', { eventsMaxBodyBytes: 50 }).body);
      // exactly at the limit is fine
      const ok = await send(`${s.url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1\n'.repeat(12) + 'abcd', TEXT);
      expect(ok.status).toBe(400);
    } finally {
      await s.close();
    }
  });

  it('serves /healthz and Prometheus /metrics', async () => {
    const h = await send(`${url}/healthz`, 'GET');
    expect(h.status).toBe(200);
    expect(h.json()).toMatchObject({ status: 'ok', mode: 'mock' });
    const m = await send(`${url}/metrics`, 'GET');
    expect(m.status).toBe(200);
    expect(m.headers['content-type']).toContain('text/plain; version=0.0.4');
    expect(m.text).toContain('dt_ingest_requests_total{route="metrics",status="202"}');
    expect(m.text).toContain('dt_ingest_lines_total{result="invalid"}');
    expect(m.text).toContain('dt_ingest_received_bytes_total{route="metrics"}');
    expect(m.text).toContain('dt_ingest_request_duration_seconds_bucket{route="metrics",le="+Inf"}');
    // every sample line is `name{labels} number`
    for (const line of m.text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      expect(Number.isFinite(Number(line.slice(line.lastIndexOf(' ') + 1))), line).toBe(true);
    }
  });
});

describe('mock mode: token, faults, latency, concurrency', () => {
  it('answers 401 without an Api-Token when a token is required, and never keeps the token', async () => {
    const s = await startServer({ requireToken: true, record: '' });
    try {
      const r = await send(`${s.url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1', TEXT);
      expect(r.status).toBe(401);
      expect(r.json()).toEqual({ error: { code: 401, message: 'Missing authorization parameter.' } });
      expect((await send(`${s.url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1', { ...TEXT, authorization: 'Api-Token ' })).status).toBe(401);
      expect((await send(`${s.url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1', { ...TEXT, authorization: 'Basic abc' })).status).toBe(401);
      const ok = await send(`${s.url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1', { ...TEXT, authorization: 'Api-Token dt0c01.SECRET' });
      expect(ok.status).toBe(202);
      const ev = await send(`${s.url}/platform/ingest/v1/events`, 'POST', '{"event.type":"CUSTOM_INFO","title":"x"}', {
        ...JSON_TYPE,
        authorization: 'Bearer platform-token',
      });
      expect(ev.status).toBe(202);
      // /healthz needs no token; the record does, and never shows one
      expect((await send(`${s.url}/healthz`, 'GET')).status).toBe(200);
      const snap = await send(`${s.url}/_dt-ingest/received`, 'GET', undefined, { authorization: 'Api-Token dt0c01.OTHER' });
      expect(snap.status).toBe(200);
      expect((snap.json() as { metrics: { total: number } }).metrics.total).toBe(1);
      expect(snap.text).not.toContain('SECRET');
    } finally {
      await s.close();
    }
  });

  it('injects 429 and 503 at the configured rates, with Retry-After, and adds latency', async () => {
    const seq = [0.05, 0.2, 0.9, 0.5];
    let i = 0;
    const s = await startServer({ fault429Rate: 0.1, fault503Rate: 0.2, latencyMs: 80, random: () => seq[i++ % seq.length]! });
    try {
      const statuses: number[] = [];
      const t0 = performance.now();
      for (let k = 0; k < 4; k++) {
        const r = await send(`${s.url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1', TEXT);
        statuses.push(r.status);
        if (r.status !== 202) expect(r.headers['retry-after']).toBe('1');
      }
      expect(statuses).toEqual([429, 503, 202, 202]);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(4 * 75);
      const snap = s.handler.store.snapshot();
      expect(snap.metrics.total).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('answers 503 beyond the concurrency cap without reading the body', async () => {
    const s = await startServer({ maxConcurrent: 2, latencyMs: 300 });
    try {
      const slow = [send(`${s.url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1', TEXT), send(`${s.url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 2', TEXT)];
      await sleep(100);
      expect(s.handler.inFlight).toBe(2);
      const third = await send(`${s.url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 3', TEXT);
      expect(third.status).toBe(503);
      expect(third.headers['retry-after']).toBe('1');
      expect((await send(`${s.url}/healthz`, 'GET')).status).toBe(200);
      expect((await Promise.all(slow)).map((r) => r.status)).toEqual([202, 202]);
      expect(s.handler.inFlight).toBe(0);
    } finally {
      await s.close();
    }
  });
});

describe('mock mode keeps the last valid lines, read from the line map', () => {
  it('a body of many chunks with blank, invalid, CRLF and non-ASCII lines: the kept lines are the last valid ones, as sent', async () => {
    const s = await startServer({ metrics: { now: NOW }, receivedLimit: 700 });
    try {
      const lines: string[] = [];
      for (let i = 0; i < 9000; i++) {
        const kind = i % 7;
        lines.push(
          kind === 0 ? '' : kind === 1 ? '   ' : kind === 2 ? `bad key ${i}` : kind === 3 ? `städte.temp,name="Zürich ${i}" ${i}` : `cpu.temp,host=h${i} ${i}`,
        );
      }
      const body = lines.map((l, i) => l + (i % 3 === 0 ? '\r\n' : '\n')).join('');
      expect(body.length).toBeGreaterThan(65_536 * 1.5); // arrives in several chunks
      const r = await send(`${s.url}/api/v2/metrics/ingest`, 'POST', body, TEXT);
      expect(r.status).toBe(400);
      const judged = validateMetrics(body, { now: NOW, maxReportedErrors: 10_000 });
      const bad = new Set((judged.body as { error: { invalidLines: { line: number }[] } }).error.invalidLines.map((l) => l.line));
      const valid = lines.filter((l, i) => l.trim() !== '' && !bad.has(i + 1));
      expect(s.handler.store.snapshot().metrics.items).toEqual(valid.slice(-700));
    } finally {
      await s.close();
    }
  });

  it('keeps the last receivedLimit lines across requests (the oldest request cut at its front), a last line without LF, and exports them in order', async () => {
    const s = await startServer({ metrics: { now: NOW }, receivedLimit: 5 });
    try {
      const sent: string[] = [];
      for (const [n, end] of [
        [4, '\n'],
        [3, ''],
        [2, '\r\n'],
      ] as const) {
        const lines = Array.from({ length: n }, (_, i) => `req.lines,req=r${sent.length} ${i}`);
        sent.push(...lines);
        const r = await send(`${s.url}/api/v2/metrics/ingest`, 'POST', lines.join('\n') + end, TEXT);
        expect(r.status).toBe(202);
      }
      const snap = s.handler.store.snapshot().metrics;
      expect(snap.total).toBe(9);
      expect(snap.items).toEqual(sent.slice(-5));
      const exported = s.handler.store
        .exportNdjson()
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { item: string }).item);
      expect(exported).toEqual(sent.slice(-5));
      s.handler.store.add('metrics', ['direct 1']);
      expect(s.handler.store.snapshot().metrics.items).toEqual([...sent.slice(-4), 'direct 1']);
    } finally {
      await s.close();
    }
  });
});
