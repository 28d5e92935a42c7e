/**
 * The inspector's server side: when it is on, what it records of each request (and what it never
 * keeps: the token), the detail (each problem at the line and column the validator names), the
 * download, fix mode's diff, the metrics and events views, clear and export, the token and Host
 * checks, proxy mode's upstream outcome and accounting, and the live stream.
 */
import http from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestMiddleware, startServer, type RunningServer, type ServeOptions } from '../../../src/serve/index.js';
import { INSPECTOR_LIMITS, resolveServeOptions } from '../../../src/serve/options.js';
import { validateMetrics } from '../../../src/report/validate.js';
import type { RequestDetail, RequestSummary, FixDiff, MetricsView, EventsView } from '../../../src/serve/inspector/index.js';
import { JSON_TYPE, TEXT, Started, send, sleep, startUpstream } from './helpers.js';
import { SERVE_HELP, parseServeArgs } from '../../../src/cli/commands/serve.js';

const TOKEN = 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.SECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRET';
const AUTH = { authorization: `Api-Token ${TOKEN}` };
const API = '/_dt-ingest/ui/api/';

const started = new Started();
afterEach(() => started.closeAll());

async function serve(options: ServeOptions = {}): Promise<RunningServer> {
  const s = await startServer({ port: 0, ...options });
  started.servers.push(s);
  return s;
}

async function list(url: string, headers: Record<string, string> = {}): Promise<{ items: RequestSummary[]; total: number; mode: string }> {
  const r = await send(url + API + 'requests', 'GET', undefined, headers);
  expect(r.status).toBe(200);
  return r.json() as { items: RequestSummary[]; total: number; mode: string };
}

async function detail(url: string, id: number): Promise<RequestDetail> {
  const r = await send(url + API + `requests/${id}`, 'GET');
  expect(r.status).toBe(200);
  return r.json() as RequestDetail;
}

/** Reads a Server-Sent Events stream; `events` fills as they arrive. */
function stream(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ events: { event: string; data: string }[]; res: http.IncomingMessage; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url + API + 'stream', { headers, agent: false }, (res) => {
      const events: { event: string; data: string }[] = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let end: number;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data !== '' || event !== 'message') events.push({ event, data });
        }
      });
      resolve({ events, res, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

/** Waits for `what` to hold: a wait, not a time bound (a busy machine must not fail the suite). */
async function until<T>(what: () => T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

describe('inspector: when it is on', () => {
  it('is on in mock mode on a loopback host with one worker, off otherwise unless asked for', () => {
    expect(resolveServeOptions().ui).toBe(true);
    expect(resolveServeOptions({ host: '::1' }).ui).toBe(true);
    expect(resolveServeOptions({ host: 'localhost' }).ui).toBe(true);
    expect(resolveServeOptions({ host: '0.0.0.0' }).ui).toBe(false);
    expect(resolveServeOptions({ workers: 2 }).ui).toBe(false);
    expect(resolveServeOptions({ mode: 'proxy', upstream: 'http://127.0.0.1:9' }).ui).toBe(false);
    expect(resolveServeOptions({ mode: 'proxy', upstream: 'http://127.0.0.1:9', ui: true }).ui).toBe(true);
    expect(resolveServeOptions({ ui: false }).ui).toBe(false);
    expect(() => resolveServeOptions({ uiBodyBytes: 1.5 })).toThrow(/uiBodyBytes/);
    // the Express middleware never takes an app's `/` unless asked
    expect(ingestMiddleware().inspector).toBeUndefined();
    expect(ingestMiddleware({ ui: true }).inspector).toBeDefined();
  });

  it('has its flags, generated from the options table with their help text', () => {
    expect(parseServeArgs([]).ui).toBe(true);
    expect(parseServeArgs(['--no-ui']).ui).toBe(false);
    expect(parseServeArgs(['--host', '0.0.0.0']).ui).toBe(false);
    expect(parseServeArgs(['--mode', 'proxy', '--upstream', 'http://127.0.0.1:9']).ui).toBe(false);
    expect(parseServeArgs(['--mode', 'proxy', '--upstream', 'http://127.0.0.1:9', '--ui']).ui).toBe(true);
    expect(parseServeArgs(['--ui-body-bytes', '1000']).uiBodyBytes).toBe(1000);
    expect(SERVE_HELP).toContain('--ui  the inspector at / and the playground at /playground');
    expect(SERVE_HELP).toContain('--ui-body-bytes <number>  inspector: request body bytes kept in memory');
    expect(SERVE_HELP).toContain('docs/inspector.md');
  });

  it('without it, / is a 404 as before and nothing is recorded', async () => {
    const s = await serve({ ui: false });
    expect((await send(s.url + '/', 'GET')).status).toBe(404);
    expect((await send(s.url + API + 'requests', 'GET')).status).toBe(404);
    expect(s.handler.inspector).toBeUndefined();
  });

  it('serves the page under a strict CSP, with its files (gzipped when asked), and nothing outside them', async () => {
    const s = await serve();
    const page = await send(s.url + '/', 'GET');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // no inline script or style in the page: every script has a src
    expect(page.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(page.text).not.toMatch(/<style|\sstyle=/);
    const src = /src="([^"]+inspector\.js)"/.exec(page.text)![1]!;
    const js = await send(new URL(src, s.url + '/').toString(), 'GET');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    const gz = await new Promise<Buffer>((resolve) =>
      http.get(new URL(src, s.url + '/'), { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        expect(res.headers['content-encoding']).toBe('gzip');
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      }),
    );
    expect(gunzipSync(gz).toString('utf8')).toBe(js.text);
    expect((await send(s.url + '/playground', 'GET')).status).toBe(200);
    expect((await send(s.url + '/_dt-ingest/ui/assets/..%2f..%2fpackage.json', 'GET')).status).toBe(404);
    expect((await send(s.url + '/_dt-ingest/ui/assets/../inspector.html', 'GET')).status).toBe(404);
    expect((await send(s.url + '/', 'POST', 'x')).status).toBe(405);
  });

  it('mounted under a path, serves the page there (with its trailing slash)', async () => {
    const s = await serve({ basePath: '/dt' });
    const bare = await send(s.url + '/dt?x=1', 'GET');
    expect(bare.status).toBe(308);
    expect(bare.headers.location).toBe('/dt/?x=1');
    expect((await send(s.url + '/dt/', 'GET')).status).toBe(200);
    expect((await send(s.url + '/dt/_dt-ingest/ui/api/requests', 'GET')).status).toBe(200);
    expect((await send(s.url + '/dt/playground', 'GET')).status).toBe(200);
  });

  it('keeps the built files under 100 KB gzipped', () => {
    const sizes = JSON.parse(readFileSync('dist/ui/sizes.json', 'utf8')) as Record<string, { gzip: number }>;
    const total = Object.values(sizes).reduce((n, s) => n + s.gzip, 0);
    expect(total).toBeGreaterThan(1000);
    expect(total).toBeLessThan(100 * 1024);
  });
});

describe('inspector: what it records', () => {
  it('lists every request with its verdict, sender and rules, and never keeps the token', async () => {
    const s = await serve();
    const body = 'cpu.temp,host=a 42\nbad key 1\nmy.total,x=y count,delta=3\ncpu.temp,host=x hot 5\n';
    const r = await send(s.url + '/api/v2/metrics/ingest', 'POST', body, { ...TEXT, ...AUTH, 'user-agent': 'my-exporter/1.0' });
    expect(r.status).toBe(400);
    await send(s.url + '/platform/ingest/v1/events', 'POST', JSON.stringify({ 'event.type': 'CUSTOM_INFO', title: 'deploy' }), { ...JSON_TYPE, ...AUTH });
    await send(s.url + '/no/such/path', 'POST', 'x', TEXT);
    await send(s.url + '/api/v2/metrics/ingest', 'GET');
    await send(s.url + '/api/v2/metrics/ingest', 'POST', 'a.b 1', { 'content-type': 'application/xml' });
    // the server's own routes and the inspector's are not listed
    await send(s.url + '/healthz', 'GET');
    await send(s.url + '/metrics', 'GET');
    const { items, total } = await list(s.url);
    expect(items.map((i) => [i.route, i.status])).toEqual([
      ['metrics', 400],
      ['events', 202],
      ['unknown', 404],
      ['metrics', 405],
      ['metrics', 415],
    ]);
    expect(total).toBe(5);
    const m = items[0]!;
    expect(m).toMatchObject({
      method: 'POST',
      target: '/api/v2/metrics/ingest',
      linesOk: 2,
      linesInvalid: 2,
      errors: 2,
      warnings: 1,
      bytes: Buffer.byteLength(body),
      userAgent: 'my-exporter/1.0',
      bodyKept: true,
      upstream: null,
      accounting: null,
    });
    expect(m.rules).toEqual(expect.arrayContaining(['metric-type-invalid', 'dimension-value-unescaped-space', 'metric-key-changed']));
    expect(m.sender).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(m.snippet).toBe(body.slice(0, 160));
    expect(items[1]!.linesOk).toBeNull();
    expect(items[1]!.errors).toBe(0);
    // the token is nowhere: not in the list, the details, the headers
    const all = JSON.stringify(await list(s.url)) + JSON.stringify(await detail(s.url, m.id)) + JSON.stringify(await detail(s.url, items[1]!.id));
    expect(all).not.toContain('SECRET');
    expect(all).not.toContain('ABCDEFGH');
    const d = await detail(s.url, m.id);
    expect(d.headers).toContainEqual(['authorization', 'Api-Token [redacted]']);
    expect(JSON.stringify(s.handler.inspector!.log.list())).not.toContain('SECRET');
  });

  it('shows each problem at the line and column the validator names, with its rule and both texts', async () => {
    const s = await serve();
    const body = 'cpu.temp,host=a 42\nbad key 1\ncpu.temp,host=x hot\n\nmy..metric,Host=a 1\n';
    await send(s.url + '/api/v2/metrics/ingest', 'POST', body, TEXT);
    const [item] = (await list(s.url)).items;
    const d = await detail(s.url, item!.id);
    expect(d.body).toMatchObject({ kept: true, bytes: body.length, text: body, truncated: false });
    const expected = validateMetrics(body).issues.map((i) => ({
      line: i.line,
      column: i.column,
      rule: i.rule,
      message: i.message,
      endpointMessage: i.endpointMessage ?? null,
    }));
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(d.problems.map((p) => ({ line: p.line, column: p.column, rule: p.rule, message: p.message, endpointMessage: p.endpointMessage }))).toEqual(expected);
    expect(d.problems.find((p) => p.line === 2)).toMatchObject({ column: 5, rule: 'metric-type-invalid', endpointMessage: 'invalid metric type' });
    expect(d.problemCount).toBe(expected.length);
    expect(d.answer.status).toBe(400);
    expect(JSON.parse(d.answer.body)).toMatchObject({ linesInvalid: 3 });
    expect(d.fixable).toBe(true);
  });

  it('places JSON problems at the line and column of the value they name', async () => {
    const s = await serve();
    const body = '[\n  {\n    "type": "bad type",\n    "id_components": [{"a": "b"}]\n  }\n]\n';
    const r = await send(s.url + '/platform/ingest/v1/smartscape.events', 'POST', body, JSON_TYPE);
    expect(r.status).toBe(400);
    const [item] = (await list(s.url)).items;
    expect(item!.rules).toEqual(['smartscape-type-pattern']);
    expect(item!.errors).toBe(1);
    const d = await detail(s.url, item!.id);
    expect(d.problems).toHaveLength(1);
    expect(d.problems[0]).toMatchObject({
      pointer: '/0/type',
      line: 3,
      column: 13,
      rule: 'smartscape-type-pattern',
      endpointMessage: 'must match ^[A-Z][A-Z0-9_]*$',
    });
    // a syntax error keeps its own place
    await send(s.url + '/platform/ingest/v1/events', 'POST', '{\n  "a": 1,\n}', JSON_TYPE);
    const items = (await list(s.url)).items;
    const syntax = await detail(s.url, items[1]!.id);
    expect(syntax.problems[0]).toMatchObject({ line: 3, column: 1 });
  });

  it('downloads the body as sent, never as a page', async () => {
    const s = await serve();
    const body = Buffer.from('cpu.temp,host=é 42\r\nb.c 1\n', 'utf8');
    await send(s.url + '/api/v2/metrics/ingest', 'POST', body, TEXT);
    const [item] = (await list(s.url)).items;
    const r = await new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve) =>
      http.get(s.url + API + `requests/${item!.id}/body`, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }),
    );
    expect(r.body.equals(body)).toBe(true);
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="dt-ingest-request-${item!.id}.txt"`);
    expect(r.headers['content-security-policy']).toContain('sandbox');
    expect((await send(s.url + API + 'requests/999/body', 'GET')).status).toBe(404);
    expect((await send(s.url + API + 'requests/abc', 'GET')).status).toBe(404);
  });

  it("shows fix mode's result as a diff of the lines it changed or left out", async () => {
    const s = await serve();
    const body = 'good.metric 1\nmy..metric,Host=a 1\ncpu.temp,host=x hot\n';
    await send(s.url + '/api/v2/metrics/ingest', 'POST', body, TEXT);
    const [item] = (await list(s.url)).items;
    const r = await send(s.url + API + `requests/${item!.id}/fix`, 'GET');
    expect(r.status).toBe(200);
    const diff = r.json() as FixDiff;
    expect(diff.linesKept).toBe(1);
    const changed = diff.rows.find((x) => x.line === 2)!;
    expect(changed).toMatchObject({ kind: 'changed', before: 'my..metric,Host=a 1' });
    expect(changed.after).toBe('my.metric,host=a 1');
    expect(changed.notes.length).toBeGreaterThan(0);
    expect(diff.rows.some((x) => x.line === 1)).toBe(false);
    const fixed = await send(s.url + API + `requests/${item!.id}/fixed`, 'GET');
    expect(fixed.text.split('\n')).toContain('my.metric,host=a 1');
    expect(validateMetrics(fixed.text).status).toBe(202);
    // not for JSON bodies
    await send(s.url + '/platform/ingest/v1/events', 'POST', '{"title":"x"}', JSON_TYPE);
    const items = (await list(s.url)).items;
    expect((await send(s.url + API + `requests/${items[1]!.id}/fix`, 'GET')).status).toBe(404);
  });

  it('keeps the last receivedLimit requests and bodies within uiBodyBytes', async () => {
    const s = await serve({ receivedLimit: 3, uiBodyBytes: 1000 });
    const line = (i: number): string => `metric.n${i},pad=${'x'.repeat(380)} ${i}\n`;
    for (let i = 0; i < 5; i++) await send(s.url + '/api/v2/metrics/ingest', 'POST', line(i), TEXT);
    const { items, total } = await list(s.url);
    expect(total).toBe(5);
    expect(items.map((i) => i.id)).toEqual([3, 4, 5]);
    // 400-byte bodies, 1000 bytes kept: the two newest
    expect(items.map((i) => i.bodyKept)).toEqual([false, true, true]);
    expect(s.handler.inspector!.log.bytesKept).toBeLessThanOrEqual(1000);
    expect((await send(s.url + API + 'requests/3/body', 'GET')).status).toBe(404);
    expect((await detail(s.url, 3)).body.kept).toBe(false);
    // a body over the whole budget is not kept at all
    await send(s.url + '/api/v2/metrics/ingest', 'POST', line(9).repeat(3), TEXT);
    expect((await list(s.url)).items.at(-1)!.bodyKept).toBe(false);
    expect((await list(s.url)).items.map((i) => i.bodyKept)).toEqual([true, true, false]);
  });

  it('keeps a long answer cut (a warnings list can be megabytes), never the whole object', async () => {
    const s = await serve();
    const body = Array.from({ length: 5000 }, (_, i) => `app.requests.n${i} count,delta=1`).join('\n') + '\n';
    const r = await send(s.url + '/api/v2/metrics/ingest', 'POST', body, TEXT);
    expect(r.text.length).toBeGreaterThan(200 * 1024);
    const [item] = (await list(s.url)).items;
    expect(item!.warnings).toBe(5000);
    const record = s.handler.inspector!.log.get(item!.id)!;
    expect(record.answer.cut).toBe(true);
    expect(record.answer.body.length).toBe(64 * 1024);
    expect(r.text.startsWith(record.answer.body)).toBe(true);
    const d = await detail(s.url, item!.id);
    expect(d.answer.body.endsWith('… (cut: the answer was longer)')).toBe(true);
    expect(d.problemCount).toBe(5000);
    expect(d.problems[0]).toMatchObject({ line: 1, rule: 'metric-key-changed', severity: 'warning' });
  });

  it('shows a large body in part, and every problem (also past the part shown)', async () => {
    const preview = INSPECTOR_LIMITS.previewBytes;
    const s = await serve({ metrics: { maxBodyBytes: preview + 1_000_000 } });
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; size <= preview; i++) {
      const l = `cpu.load,host=h${i % 50} ${i}`;
      lines.push(l);
      size += l.length + 1;
    }
    lines.push('bad key 1');
    const body = lines.join('\n') + '\n';
    expect(body.length).toBeGreaterThan(preview);
    await send(s.url + '/api/v2/metrics/ingest', 'POST', body, TEXT);
    const [item] = (await list(s.url)).items;
    const d = await detail(s.url, item!.id);
    expect(d.body.truncated).toBe(true);
    expect(d.body.text.length).toBe(preview);
    expect(body.startsWith(d.body.text)).toBe(true);
    expect(d.problems).toEqual([expect.objectContaining({ line: lines.length, rule: 'metric-type-invalid' })]);
  });
});

describe('inspector: the data views', () => {
  it('lists metric keys with their types, dimension sets and each series over time (from the batch decoder)', async () => {
    const s = await serve();
    const now = Date.now();
    const post = (b: string): Promise<unknown> => send(s.url + '/api/v2/metrics/ingest', 'POST', b, TEXT);
    await post(`cpu.temp,host=a 40 ${now - 3000}\ncpu.temp,host=b 50 ${now - 3000}\nbad key 1\n`);
    await post(
      `cpu.temp,host=a 41 ${now - 2000}\ncpu.temp,host=a,dc=x 7 ${now - 2000}\nlat,route=/a gauge,min=1,max=3,sum=8,count=4 ${now - 1000}\nreq.count count,delta=5\n`,
    );
    const view = (await send(s.url + API + 'metrics', 'GET')).json() as MetricsView;
    expect(view.requests).toBe(2);
    expect(view.points).toBe(6);
    const cpu = view.keys.find((k) => k.key === 'cpu.temp')!;
    expect(cpu.types).toEqual(['gauge']);
    expect(cpu.points).toBe(4);
    expect(cpu.seriesCount).toBe(3);
    expect(cpu.dimensionSets).toEqual([
      { keys: ['host'], points: 3 },
      { keys: ['dc', 'host'], points: 1 },
    ]);
    const a = cpu.series.find((x) => x.dimensions.length === 1 && x.dimensions[0]![1] === 'a')!;
    expect(a.points).toEqual([
      [now - 3000, 40],
      [now - 2000, 41],
    ]);
    const lat = view.keys.find((k) => k.key === 'lat')!;
    expect(lat.types).toEqual(['summary']);
    expect(lat.series[0]!.points[0]![1]).toBe(2); // the average, 8 / 4
    const count = view.keys.find((k) => k.key === 'req.count')!;
    expect(count.types).toEqual(['count']);
    expect(count.series[0]!.points[0]![1]).toBe(5);
    expect(view.keys.some((k) => k.key === 'bad')).toBe(false);
  });

  it('lists the events that arrived as rows of attributes', async () => {
    const s = await serve();
    const attack = '"><img src=x onerror=alert(1)>';
    await send(
      s.url + '/platform/ingest/v1/events',
      'POST',
      JSON.stringify([
        { 'event.type': 'CUSTOM_INFO', title: attack, count: 3 },
        { 'event.type': 'CUSTOM_ALERT', title: 'b', nested: { a: 1 } },
      ]),
      JSON_TYPE,
    );
    expect((await send(s.url + '/platform/ingest/v1/events', 'POST', '{"title": "rejected",', JSON_TYPE)).status).toBe(400);
    const view = (await send(s.url + API + 'events', 'GET')).json() as EventsView;
    expect(view.total).toBe(2);
    expect(view.columns.slice(0, 2).sort()).toEqual(['event.type', 'title']);
    expect(view.rows.map((r) => r.cells.title)).toEqual([attack, 'b']);
    expect(view.rows[0]!.cells.count).toBe('3');
    expect(view.rows[1]!.cells.nested).toBe('{"a":1}');
  });

  it('finds requests by the text of their bodies', async () => {
    const s = await serve();
    await send(s.url + '/api/v2/metrics/ingest', 'POST', 'a.b,needle=yes 1\n', TEXT);
    await send(s.url + '/api/v2/metrics/ingest', 'POST', 'a.b,other=no 1\n', TEXT);
    const r = (await send(s.url + API + 'search?q=needle%3Dyes', 'GET')).json() as { ids: number[] };
    expect(r.ids).toEqual([1]);
    expect(((await send(s.url + API + 'search?q=', 'GET')).json() as { ids: number[] }).ids).toEqual([]);
  });
});

describe('inspector: clear and export', () => {
  it('exports the accepted items exactly as --record writes them, and clears the list and the items', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dt-ingest-inspector-'));
    const record = join(dir, 'received.ndjson');
    const s = await serve({ record });
    await send(s.url + '/api/v2/metrics/ingest', 'POST', 'a.b 1\nbad key\nc.d 2\n', TEXT);
    await send(s.url + '/platform/ingest/v1/events', 'POST', JSON.stringify([{ 'event.type': 'CUSTOM_INFO', title: 'x' }]), JSON_TYPE);
    await send(s.url + '/api/v1/entity/infrastructure/custom/dev-1', 'POST', JSON.stringify({ displayName: 'd' }), JSON_TYPE);
    await send(s.url + '/api/v2/metrics/ingest', 'POST', 'e.f 3\n', TEXT);
    const exported = await send(s.url + API + 'export', 'GET');
    expect(exported.headers['content-type']).toBe('application/x-ndjson');
    expect(exported.headers['content-disposition']).toContain('attachment');
    await s.handler.close();
    expect(exported.text).toBe(readFileSync(record, 'utf8'));
    expect(exported.text.split('\n').filter((l) => l !== '')).toHaveLength(5);
    const events = await stream(s.url);
    expect((await send(s.url + API + 'requests', 'DELETE')).status).toBe(204);
    expect((await list(s.url)).items).toEqual([]);
    expect(s.handler.store.snapshot().metrics.items).toEqual([]);
    expect((await send(s.url + API + 'export', 'GET')).text).toBe('');
    await until(() => events.events.some((e) => e.event === 'cleared'));
    events.close();
  });
});

describe('inspector: access', () => {
  it('with requireToken, the page and its API need a token (HTTP Basic for a browser); CSP reports do not', async () => {
    const s = await serve({ requireToken: true });
    const page = await send(s.url + '/', 'GET');
    expect(page.status).toBe(401);
    expect(page.headers['www-authenticate']).toMatch(/^Basic realm="dt-ingest inspector"/);
    expect((await send(s.url + API + 'requests', 'GET')).status).toBe(401);
    expect((await send(s.url + API + 'stream', 'GET')).status).toBe(401);
    expect((await send(s.url + '/_dt-ingest/ui/assets/inspector.js', 'GET')).status).toBe(401);
    const basic = (user: string, pass: string): Record<string, string> => ({ authorization: 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64') });
    expect((await send(s.url + '/', 'GET', undefined, basic('me', 'dt0c01.x'))).status).toBe(200);
    expect((await send(s.url + '/', 'GET', undefined, basic('me', ''))).status).toBe(401);
    expect((await send(s.url + API + 'requests', 'GET', undefined, AUTH)).status).toBe(200);
    expect((await send(s.url + API + 'requests', 'GET', undefined, { authorization: 'Bearer x' })).status).toBe(200);
    const report = await send(s.url + API + 'csp-report', 'POST', JSON.stringify({ 'csp-report': { 'violated-directive': 'script-src' } }), {
      'content-type': 'application/csp-report',
    });
    expect(report.status).toBe(204);
    expect(s.handler.inspector!.cspViolations).toBe(1);
  });

  it('on a loopback host, answers only to a loopback Host header (no DNS rebinding)', async () => {
    const s = await serve();
    expect((await send(s.url + '/', 'GET', undefined, { host: 'evil.example' })).status).toBe(403);
    expect((await send(s.url + API + 'requests', 'GET', undefined, { host: 'evil.example:80' })).status).toBe(403);
    expect((await send(s.url + '/', 'GET', undefined, { host: `localhost:${s.port}` })).status).toBe(200);
    expect((await send(s.url + '/', 'GET', undefined, { host: `[::1]:${s.port}` })).status).toBe(200);
    // the ingest routes are not affected
    expect((await send(s.url + '/api/v2/metrics/ingest', 'POST', 'a.b 1', { ...TEXT, host: 'evil.example' })).status).toBe(202);
  });

  it('counts its own requests under the route label inspector', async () => {
    const s = await serve();
    await send(s.url + '/', 'GET');
    const text = (await send(s.url + '/metrics', 'GET')).text;
    expect(text).toContain('dt_ingest_requests_total{route="inspector",status="200"} 1');
  });
});

describe('inspector: proxy mode', () => {
  it('shows the upstream outcome of each attempt and what became of every line', async () => {
    let calls = 0;
    const up = await startUpstream(() =>
      ++calls === 1
        ? { status: 503, body: { error: { code: 503, message: 'busy' } } }
        : { status: 202, body: { linesOk: 2, linesInvalid: 0, error: null, warnings: null } },
    );
    started.upstreams.push(up);
    const s = await serve({ mode: 'proxy', upstream: up.url, ui: true, retryBaseMs: 1, filter: true });
    expect((await send(s.url + '/api/v2/metrics/ingest', 'POST', 'a.b 1\nbad key\nc.d 2\n', { ...TEXT, ...AUTH })).status).toBe(400);
    const { items, mode } = await list(s.url);
    expect(mode).toBe('proxy');
    expect(items[0]!.upstream).toEqual(['retryable', 'accepted']);
    expect(items[0]!.accounting).toEqual({ ingested: 2, invalid: 1, notIngested: 0, unknown: 0 });
    // a body with an invalid line, without filter: not forwarded, its valid lines not ingested
    const s2 = await serve({ mode: 'proxy', upstream: up.url, ui: true });
    await send(s2.url + '/api/v2/metrics/ingest', 'POST', 'a.b 1\nbad key\nc.d 2\n', { ...TEXT, ...AUTH });
    const [item] = (await list(s2.url)).items;
    expect(item!.upstream).toBeNull();
    expect(item!.accounting).toEqual({ ingested: 0, invalid: 1, notIngested: 2, unknown: 0 });
    // the upstream answer is the detail's answer; the token was passed on, and is not kept
    expect(up.requests.at(-1)!.headers.authorization).toBe(`Api-Token ${TOKEN}`);
    expect(JSON.stringify(await detail(s.url, items[0]!.id))).not.toContain('SECRET');
    // a line only the upstream rejects is shown at its line, with the upstream's text
    const strict = await startUpstream(() => ({
      status: 400,
      body: {
        linesOk: 1,
        linesInvalid: 1,
        error: { code: 400, message: '1 invalid lines', invalidLines: [{ line: 2, error: 'metric key too long for us' }] },
        warnings: null,
      },
    }));
    started.upstreams.push(strict);
    const s3 = await serve({ mode: 'proxy', upstream: strict.url, ui: true });
    await send(s3.url + '/api/v2/metrics/ingest', 'POST', 'a.b 1\nc.d 2\n', { ...TEXT, ...AUTH });
    const [third] = (await list(s3.url)).items;
    expect(third!.upstream).toEqual(['partial']);
    expect(third!.accounting).toEqual({ ingested: 1, invalid: 1, notIngested: 0, unknown: 0 });
    const d3 = await detail(s3.url, third!.id);
    expect(d3.problems).toEqual([
      expect.objectContaining({ line: 2, column: 1, source: 'upstream', rule: 'upstream', endpointMessage: 'metric key too long for us' }),
    ]);
  });
});

describe('inspector: the live stream', () => {
  it('sends each request to an open page as it is recorded', async () => {
    const s = await serve();
    const live = await stream(s.url);
    expect(live.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await send(s.url + '/api/v2/metrics/ingest', 'POST', 'a.b 1\n', TEXT);
    const ev = await until(() => live.events.find((e) => e.event === 'requests'));
    const batch = JSON.parse(ev.data) as RequestSummary[];
    expect(batch).toHaveLength(1);
    expect(batch[0]).toMatchObject({ route: 'metrics', status: 202, linesOk: 1 });
    live.close();
  });

  it('a stalled page never makes memory grow: its buffer stays bounded and it is told what it missed', async () => {
    const s = await serve();
    const hub = s.handler.inspector!.hub;
    // a page that reads nothing: a raw socket, paused
    const { Socket } = await import('node:net');
    const sock = new Socket();
    await new Promise<void>((resolve) => sock.connect(s.port, '127.0.0.1', resolve));
    sock.write(`GET ${API}stream HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n\r\n`);
    sock.pause();
    await until(() => hub.size === 1);
    // long summaries: a long target, user agent and snippet make each about 1 KB
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const body = `m.k,${'d'.repeat(150)}=v 1\n`;
    const ua = 'u'.repeat(200);
    const target = `/api/v2/metrics/ingest?${'q'.repeat(290)}`;
    const post = (): Promise<void> =>
      new Promise((resolve, reject) => {
        const req = http.request(s.url + target, { method: 'POST', agent, headers: { ...TEXT, 'user-agent': ua } }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        req.end(body);
      });
    let maxBuffered = 0;
    let sent = 0;
    const limit = 256 * 1024;
    // until the page has missed updates (the kernel's buffers are full and so is its own)
    while (sent < 40_000) {
      await Promise.all(Array.from({ length: 64 }, post));
      sent += 64;
      for (const c of hub.state()) maxBuffered = Math.max(maxBuffered, c.buffered);
      if ((hub.state()[0]?.missed ?? 0) > 500) break;
    }
    await sleep(250);
    for (const c of hub.state()) maxBuffered = Math.max(maxBuffered, c.buffered);
    expect(hub.state()[0]!.missed).toBeGreaterThan(500);
    // at most the buffer limit plus one batch (500 summaries of about 1 KB)
    expect(maxBuffered).toBeLessThanOrEqual(limit + 600 * 1024);
    // reading again: every request was either delivered or counted in a "missed" marker
    let text = '';
    sock.setEncoding('utf8');
    sock.on('data', (c: string) => {
      text += c;
    });
    sock.resume();
    const account = (): { delivered: number; missed: number } => {
      let delivered = 0;
      let missed = 0;
      for (const m of text.matchAll(/event: requests\r?\ndata: (\[.*?\])\n\n/gs)) delivered += (JSON.parse(m[1]!) as unknown[]).length;
      for (const m of text.matchAll(/event: missed\ndata: \{"missed":(\d+)\}/g)) missed += Number(m[1]);
      return { delivered, missed };
    };
    await until(() => {
      const a = account();
      return a.delivered + a.missed === sent || undefined;
    }, 10_000);
    expect(account().missed).toBeGreaterThan(500);
    expect(hub.state()[0]!.missed).toBe(0);
    sock.destroy();
    agent.destroy();
  });

  it('refuses more pages than it serves at once, and ends the streams on shutdown', async () => {
    const s = await serve({ shutdownTimeoutMs: 60_000 });
    const pages: Awaited<ReturnType<typeof stream>>[] = [];
    for (let i = 0; i < 16; i++) pages.push(await stream(s.url));
    expect((await send(s.url + API + 'stream', 'GET')).status).toBe(503);
    // open streams do not hold up shutdown: close() does not wait out shutdownTimeoutMs (60 s here;
    // the bound is half of it, so a busy machine does not fail it)
    const t0 = Date.now();
    await s.close();
    expect(Date.now() - t0).toBeLessThan(30_000);
    await until(() => pages.every((p) => p.res.complete));
  });
});
