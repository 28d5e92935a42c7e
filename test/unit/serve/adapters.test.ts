import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createIngestHandler, fastifyIngest, ingestMiddleware } from '../../../src/serve/index.js';
import { validateMetrics } from '../../../src/report/validate.js';
import { JSON_TYPE, TEXT, send } from './helpers.js';

const NOW = 1_700_000_000_000;
const BODY = 'cpu.temp,host=a 42\nbad key 1\n';

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('embedding', () => {
  it('node:http: createIngestHandler as the request listener', async () => {
    const handler = createIngestHandler({ metrics: { now: NOW } });
    const server = http.createServer(handler);
    const url = await listen(server);
    try {
      const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', BODY, TEXT);
      expect(r.status).toBe(400);
      expect(r.json()).toEqual(validateMetrics(BODY, { now: NOW }).body);
      expect(handler.store.snapshot().metrics.items).toEqual(['cpu.temp,host=a 42']);
    } finally {
      server.close();
      await handler.close();
    }
  });

  it('Express: middleware answers its routes and passes other paths to next()', async () => {
    const app = express();
    const mw = ingestMiddleware({ metrics: { now: NOW } });
    app.get('/hello', (_req, res) => {
      res.send('world');
    });
    app.use('/dt', mw);
    app.use(express.json());
    app.post('/mine', (req, res) => {
      res.json({ got: req.body as unknown });
    });
    const server = http.createServer(app);
    const url = await listen(server);
    try {
      const r = await send(`${url}/dt/api/v2/metrics/ingest`, 'POST', BODY, TEXT);
      expect(r.status).toBe(400);
      expect(r.json()).toEqual(validateMetrics(BODY, { now: NOW }).body);
      const ev = await send(`${url}/dt/e/abc/platform/ingest/v1/events`, 'POST', '{"event.type":"CUSTOM_INFO","title":"x"}', JSON_TYPE);
      expect(ev.status).toBe(202);
      expect((await send(`${url}/hello`, 'GET')).text).toBe('world');
      const mine = await send(`${url}/mine`, 'POST', '{"a":1}', JSON_TYPE);
      expect(mine.json()).toEqual({ got: { a: 1 } });
      expect((await send(`${url}/dt/nothing-here`, 'GET')).status).toBe(404); // Express's own 404
      expect(mw.store.snapshot().events.total).toBe(1);
      const m = await send(`${url}/dt/metrics`, 'GET');
      expect(m.text).toContain('dt_ingest_requests_total{route="events",status="202"} 1');
    } finally {
      server.close();
      await mw.close();
    }
  });

  it('Express: a body an earlier parser already read is used as it is', async () => {
    const app = express();
    app.use(express.text({ type: 'text/plain' }));
    app.use(ingestMiddleware({ metrics: { now: NOW } }));
    const server = http.createServer(app);
    const url = await listen(server);
    try {
      const r = await send(`${url}/api/v2/metrics/ingest`, 'POST', BODY, TEXT);
      expect(r.status).toBe(400);
      expect(r.json()).toEqual(validateMetrics(BODY, { now: NOW }).body);
    } finally {
      server.close();
    }
  });

  it("Fastify: plugin under a prefix, streaming its own bodies, beside the app's routes", async () => {
    const app = Fastify();
    app.get('/hello', async () => 'world');
    app.post('/mine', async (req) => ({ got: req.body }));
    await app.register(fastifyIngest, { prefix: '/dt', metrics: { now: NOW, maxBodyBytes: 1000 } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const r = await send(`${url}/dt/api/v2/metrics/ingest`, 'POST', BODY, TEXT);
      expect(r.status).toBe(400);
      expect(r.json()).toEqual(validateMetrics(BODY, { now: NOW }).body);
      const big = await send(`${url}/dt/api/v2/metrics/ingest`, 'POST', 'a.b.c 1\n'.repeat(200), TEXT);
      expect(big.status).toBe(413);
      const sm = await send(`${url}/dt/platform/ingest/v1/smartscape.events`, 'POST', '[{"type":"HOST","id_components":[{"hostname":"a"}]}]', JSON_TYPE);
      expect(sm.status).toBe(202);
      const nf = await send(`${url}/dt/api/v2/nothing`, 'POST', 'x', TEXT);
      expect(nf.status).toBe(404);
      expect(nf.json()).toEqual({ error: { code: 404, message: 'No ingest endpoint at /api/v2/nothing.' } });
      expect((await send(`${url}/dt/api/v2/metrics/ingest`, 'GET')).status).toBe(405);
      expect((await send(`${url}/hello`, 'GET')).text).toBe('world');
      expect((await send(`${url}/mine`, 'POST', '{"a":1}', JSON_TYPE)).json()).toEqual({ got: { a: 1 } });
      const rec = await send(`${url}/dt/_dt-ingest/received`, 'GET');
      expect((rec.json() as { smartscape: { total: number } }).smartscape.total).toBe(1);
    } finally {
      await app.close();
    }
  });
});
