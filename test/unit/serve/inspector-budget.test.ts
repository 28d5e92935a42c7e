/**
 * The inspector's budget view (`GET /_dt-ingest/ui/api/budget`, issue 25 item 3): the cardinality
 * report of the metrics bodies the mock received, as `dt-ingest analyze` gives it, fed as bodies
 * arrive (each at its arrival time), bounded by the analyzer's options, forgotten with the list.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AnalyzeReport } from '../../../src/analyze/index.js';
import { startServer, type RunningServer } from '../../../src/serve/index.js';
import { Started, TEXT, send, startUpstream } from './helpers.js';

const API = '/_dt-ingest/ui/api/';
const started = new Started();
afterEach(() => started.closeAll());

async function serve(): Promise<RunningServer> {
  const s = await startServer({ port: 0 });
  started.servers.push(s);
  return s;
}

async function budget(url: string): Promise<AnalyzeReport> {
  const r = await send(url + API + 'budget', 'GET');
  expect(r.status).toBe(200);
  return r.json() as AnalyzeReport;
}

describe('inspector: the budget of what arrived', () => {
  it('counts keys and tuples of the valid lines of every metrics body, with the volatile lint', async () => {
    const s = await serve();
    const empty = await budget(s.url);
    expect(empty.sample.points).toBe(0);
    expect(empty.budgets.map((b) => b.id)).toEqual(['budget-metric-keys', 'budget-tuples', 'budget-metric-tuples', 'budget-dimensions']);
    let body = '';
    for (let i = 0; i < 40; i++) body += `req.count,request_id=${(0x10000000 + i).toString(16)}-1b2c-4d5e-8f90-0123456789ab count,delta=1\n`;
    expect((await send(`${s.url}/api/v2/metrics/ingest`, 'POST', `${body}cpu.temp,host=a 1\nbad key 1\n`, TEXT)).status).toBe(400);
    expect((await send(`${s.url}/api/v2/metrics/ingest`, 'POST', 'cpu.temp,host=b 2\ncpu.temp,host=a 3\n', TEXT)).status).toBe(202);
    const r = await budget(s.url);
    expect(r.sample.points).toBe(43);
    expect(r.sample.invalid).toBe(1);
    expect(r.metricKeys.count).toBe(2);
    expect(r.tuples.count).toBe(42);
    expect(r.sample.axis).toBe('time');
    const volatile = r.findings.find((f) => f.rule === 'volatile-dimension')!;
    expect(volatile.dimension).toBe('request_id');
    expect(volatile.source).toBe('request 1');
    expect(r.offenders.find((o) => o.metric === 'cpu.temp')!.tuples.count).toBe(2);
  });

  it('a body the endpoint refuses as a whole (415) is not counted; clearing the list starts the budget afresh', async () => {
    const s = await serve();
    await send(`${s.url}/api/v2/metrics/ingest`, 'POST', 'cpu.temp,host=a 1\n', { 'content-type': 'application/json' });
    expect((await budget(s.url)).sample.points).toBe(0);
    await send(`${s.url}/api/v2/metrics/ingest`, 'POST', 'cpu.temp,host=a 1\n', TEXT);
    expect((await budget(s.url)).sample.points).toBe(1);
    expect((await send(`${s.url}${API}requests`, 'DELETE')).status).toBe(204);
    expect((await budget(s.url)).sample.points).toBe(0);
  });

  it('proxy mode (--ui) reads no body a second time: the budget stays empty', async () => {
    const up = await startUpstream();
    started.upstreams.push(up);
    const s = await startServer({ port: 0, mode: 'proxy', upstream: up.url, ui: true });
    started.servers.push(s);
    await send(`${s.url}/api/v2/metrics/ingest`, 'POST', 'cpu.temp,host=a 1\n', { ...TEXT, authorization: 'Api-Token dt0c01.x' });
    expect((await budget(s.url)).sample.points).toBe(0);
  });
});
