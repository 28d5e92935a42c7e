/**
 * The converted intake of the mock (src/serve/converted.ts): Influx write routes, the StatsD UDP
 * port and the scrape loop convert, then judge the lines as the metrics endpoint does; the valid lines
 * land in the mock store and each judgment is a metrics request in the inspector.
 */
import { createSocket } from 'node:dgram';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../src/serve/index.js';
import { resolveServeOptions } from '../../../src/serve/options.js';
import { TEXT, send, sleep } from './helpers.js';

const NOW = 1_700_000_000_000;

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function sendUdp(port: number, text: string): Promise<void> {
  const s = createSocket('udp4');
  return new Promise((resolve, reject) =>
    s.send(Buffer.from(text), port, '127.0.0.1', (err) => {
      s.close();
      if (err) reject(err);
      else resolve();
    }),
  );
}

async function until(check: () => boolean, tries = 200): Promise<void> {
  for (let i = 0; i < tries && !check(); i++) await sleep(10);
}

describe('serve: Influx write routes', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, ui: true, metrics: { now: NOW } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('POST /api/v2/write: 204, the converted lines judged and kept', async () => {
    await send(`${server.url}/_dt-ingest/received`, 'DELETE');
    const r = await send(`${server.url}/api/v2/write?org=o&bucket=b&precision=ms`, 'POST', `cpu,host=a usage=0.5,up=true ${NOW}\n`, TEXT);
    expect(r.status).toBe(204);
    expect(server.handler.store.snapshot().metrics.items).toEqual([
      `cpu.usage,dt.metrics.source=telegraf,host=a gauge,0.5 ${NOW}`,
      `cpu.up,dt.metrics.source=telegraf,host=a gauge,1 ${NOW}`,
    ]);
  });
  it('POST /write (1.x) with gzip; a bad line answers 400 naming it, the good ones still kept', async () => {
    await send(`${server.url}/_dt-ingest/received`, 'DELETE');
    const body = gzipSync(Buffer.from('mem used=1i\nmem used=\n'));
    const r = await send(`${server.url}/write?db=x`, 'POST', body, { ...TEXT, 'content-encoding': 'gzip' });
    expect(r.status).toBe(400);
    expect((r.json() as { error: string }).error).toMatch(/partial write: 1 unreadable line: line 2:10/);
    expect(server.handler.store.snapshot().metrics.items).toEqual(['mem.used,dt.metrics.source=telegraf gauge,1']);
  });
  it('a converted line the endpoint rejects is judged invalid and not kept (timestamp outside the window)', async () => {
    await send(`${server.url}/_dt-ingest/received`, 'DELETE');
    const r = await send(`${server.url}/api/v2/write?precision=s`, 'POST', 'old v=1 1000\nnew v=2\n', TEXT);
    expect(r.status).toBe(204);
    expect(server.handler.store.snapshot().metrics.items).toEqual(['new.v,dt.metrics.source=telegraf gauge,2']);
  });
  it('the inspector lists the judgment as a metrics request with the converted lines', async () => {
    const list = (await send(`${server.url}/_dt-ingest/ui/api/requests`, 'GET')).json() as {
      items: { route: string; target: string; linesOk: number; linesInvalid: number; snippet: string }[];
    };
    const converted = list.items.filter((x) => x.target.includes('influx → lines'));
    expect(converted.length).toBeGreaterThanOrEqual(3);
    expect(converted.every((x) => x.route === 'metrics')).toBe(true);
    // the timestamp one: the endpoint's verdict on the converted lines (one rejected, one accepted)
    expect(converted.some((x) => x.linesOk === 1 && x.linesInvalid === 1 && x.snippet.startsWith('old.v,'))).toBe(true);
  });
  it('answers 405 to GET, 400 to an unknown precision, 415 to another encoding', async () => {
    expect((await send(`${server.url}/api/v2/write`, 'GET')).status).toBe(405);
    expect((await send(`${server.url}/api/v2/write?precision=h`, 'POST', 'm v=1', TEXT)).status).toBe(400);
    expect((await send(`${server.url}/api/v2/write`, 'POST', 'm v=1', { ...TEXT, 'content-encoding': 'br' })).status).toBe(415);
  });
});

describe('serve: StatsD over UDP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, ui: false, statsdPort: await freeUdpPort(), metrics: { now: NOW } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('converts datagrams and judges them at the flush', async () => {
    const intake = server.handler.converted;
    expect(intake.statsdPort).toBeGreaterThan(0);
    await sendUdp(intake.statsdPort, 'api.calls:3|c|#env:prod\nq.size:+2|g');
    await until(() => intake.counts.datagrams === 1);
    intake.flush();
    expect(server.handler.store.snapshot().metrics.items).toEqual(['api.calls,env=prod count,delta=3', 'q.size gauge,2']);
  });
  it('a flood past the per-interval budget is dropped and counted; what waits stays bounded', async () => {
    const intake = server.handler.converted;
    intake.flush();
    const read = intake.counts.datagrams;
    const dropped = intake.counts.droppedDatagrams;
    const lines = intake.counts.lines;
    const bytes = Buffer.from('flood.m:1|c|#i:x');
    // within one flush interval (the timer's 1 s cannot pass: this loop never yields)
    for (let i = 0; i < 15_000; i++) intake.datagram(bytes, '127.0.0.1', 9);
    expect(intake.counts.datagrams - read).toBe(10_000);
    expect(intake.counts.droppedDatagrams - dropped).toBe(5_000);
    // judged in requests of 1,000 lines as they filled: nothing but the last partial request waits
    expect(intake.counts.lines - lines).toBe(10_000);
    intake.flush();
    intake.datagram(bytes, '127.0.0.1', 9);
    expect(intake.counts.datagrams - read).toBe(10_001);
  });
});

describe('serve: converted options', () => {
  it('scrape targets must be loopback unless scrapeRemote; statsd and scrape are mock only', () => {
    expect(() => resolveServeOptions({ scrape: ['http://example.com/metrics'] })).toThrow(/loopback/);
    expect(resolveServeOptions({ scrape: ['http://example.com/metrics'], scrapeRemote: true }).scrape).toEqual(['http://example.com/metrics']);
    expect(() => resolveServeOptions({ scrape: ['ftp://127.0.0.1/x'] })).toThrow(/http/);
    expect(() => resolveServeOptions({ mode: 'proxy', upstream: 'http://127.0.0.1:1', statsdPort: 8125 })).toThrow(/mock/);
    expect(() => resolveServeOptions({ statsdPort: 70_000 })).toThrow(/statsdPort/);
  });
});

describe('serve: --scrape', () => {
  it('pulls a loopback /metrics target, converts it (counters as deltas between pulls) and judges the lines', async () => {
    const http = await import('node:http');
    let pulls = 0;
    const target = http.createServer((_req, res) => {
      pulls++;
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end(`# TYPE app_requests_total counter\napp_requests_total{path="/a"} ${10 * pulls}\n# TYPE app_temp gauge\napp_temp 21.5\n`);
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const port = (target.address() as { port: number }).port;
    const server = await startServer({ port: 0, ui: false, scrape: [`http://127.0.0.1:${port}/metrics`], scrapeIntervalMs: 100 });
    try {
      const intake = server.handler.converted;
      await until(() => intake.counts.scrapes >= 2, 500);
      expect(intake.counts.scrapeFailures).toBe(0);
      const items = server.handler.store.snapshot().metrics.items as string[];
      // the gauge on every pull; the counter's first pull only sets its baseline, the next is a delta of 10
      expect(items.filter((l) => l.startsWith('app_temp gauge,21.5')).length).toBeGreaterThanOrEqual(2);
      expect(items.some((l) => /^app_requests_total,path=\/a count,delta=10(\s|$)/.test(l))).toBe(true);
    } finally {
      await server.close();
      await new Promise<void>((resolve) => target.close(() => resolve()));
    }
  });
});
