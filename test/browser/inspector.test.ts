/**
 * The inspector in a real browser (headless Chromium driven by playwright-core): a POST shows up in
 * the open page within a second; the detail view shows each problem at its line and column; the
 * filters work; bodies, event attributes and headers built to attack the page stay inert; with
 * `--require-token` the page needs the token. Screenshots go to test-artifacts/screenshots/.
 */
import http from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer, type ServeOptions } from '../../src/serve/index.js';
import { validateMetrics } from '../../src/report/validate.js';
import { CHROMIUM, NO_CHROMIUM, ensureUiBuilt, launch, screenshot, tripwires } from './browser.js';

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

if (CHROMIUM === undefined) {
  console.warn(`[browser tests] ${NO_CHROMIUM}`);
  describe('inspector in a browser', () => {
    it.skip(NO_CHROMIUM, () => {});
  });
} else {
  describe('inspector in a browser', () => {
    let browser: Browser;
    let server: RunningServer;
    let page: Page;
    const servers: RunningServer[] = [];
    const start = async (options: ServeOptions = {}): Promise<RunningServer> => {
      const s = await startServer({ port: 0, ...options });
      servers.push(s);
      return s;
    };

    beforeAll(async () => {
      ensureUiBuilt();
      browser = await launch();
    });
    afterAll(async () => {
      await browser?.close();
    });
    beforeEach(async () => {
      server = await start();
      page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    });
    afterEach(async () => {
      await page.close();
      await Promise.all(servers.splice(0).map((s) => s.close()));
    });

    const openLive = async (p: Page, url: string): Promise<void> => {
      await p.goto(url + '/');
      await p.waitForSelector('[data-connection="live"]');
    };

    it('shows a POST in the open page as it arrives: through the live stream, without reading the list again', async () => {
      // no time bound (a busy machine must not fail the suite): what is asserted is the path, the
      // stream, and that no list read was needed; bench/inspector-page.mjs measures the latency
      const reads: string[] = [];
      page.on('request', (r) => {
        if (new URL(r.url()).pathname.endsWith('/_dt-ingest/ui/api/requests')) reads.push(r.url());
      });
      await openLive(page, server.url);
      await page.waitForSelector('table.requests');
      const readsAtLoad = reads.length;
      expect(await post(server.url + '/api/v2/metrics/ingest', 'cpu.temp,host=a 42\nbad key 1\n', TEXT)).toBe(400);
      await page.waitForSelector('table.requests tr[data-id="1"]');
      const row = page.locator('table.requests tr[data-id="1"]');
      await expect(row.locator('.status').textContent()).resolves.toBe('400');
      await expect(row.locator('td.target').textContent()).resolves.toBe('POST /api/v2/metrics/ingest');
      // and the next ones too, newest first
      await post(server.url + '/platform/ingest/v1/events', JSON.stringify({ 'event.type': 'CUSTOM_INFO', title: 'x' }), JSON_TYPE);
      await page.waitForSelector('table.requests tr[data-id="2"]');
      expect(reads.length).toBe(readsAtLoad);
      expect(await page.locator('table.requests tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))).toEqual(['2', '1']);
    });

    it('shows each problem under its line, with a caret at its column, the rule and both texts', async () => {
      const now = Date.now();
      const body = `cpu.temperature,host=web-01,dc=eu 61.5 ${now}\nbad key,host=web-01 1\nhttp.requests,route=/checkout count,delta=17\ncpu.temperature,host=web-02 hot\nreq.duration gauge,min=3,max=1,sum=8,count=4\n`;
      await post(server.url + '/api/v2/metrics/ingest', body, TEXT);
      await openLive(page, server.url);
      await page.click('table.requests tr[data-id="1"]');
      await page.waitForSelector('.code .row[data-line="1"]');
      const expected = validateMetrics(body).issues;
      expect(expected.length).toBeGreaterThanOrEqual(3);
      const lines = body.split('\n');
      for (const issue of expected) {
        const line = issue.line!;
        // the line is drawn with its number and text, and marked
        const row = page.locator(`.code .row[data-line="${line}"]`);
        await expect(row.locator('.text').textContent()).resolves.toBe(lines[line - 1]);
        expect(await row.getAttribute('class')).toMatch(issue.severity === 'error' ? /\bbad\b/ : /\bwarned\b/);
        // right under it: the caret under the character at the column (placed, not padded), then
        // the rule, our text and the endpoint's
        const lefts = await page
          .locator(`.code .problem[data-problem-line="${line}"] .caret`)
          .evaluateAll((els) => els.map((el) => [el.textContent, el.getBoundingClientRect().left]));
        const x = await row.locator('.text').evaluate((el, column) => {
          const node = el.firstChild as Text;
          const range = document.createRange();
          const at = Math.min(column - 1, node.length);
          range.setStart(node, at === node.length ? at - 1 : at);
          range.setEnd(node, at === node.length ? at : at + 1);
          const r = range.getBoundingClientRect();
          return at === node.length ? r.right : r.left;
        }, issue.column!);
        expect(lefts.some(([t, left]) => t === '^' && Math.abs((left as number) - x) < 1.5)).toBe(true);
        const message = await page.locator(`.code .problem[data-problem-line="${line}"][data-rule="${issue.rule}"]`).textContent();
        expect(message).toContain(`line ${line}, column ${issue.column}: ${issue.message}`);
        if (issue.endpointMessage !== undefined && issue.endpointMessage !== issue.message) expect(message).toContain(`endpoint: "${issue.endpointMessage}"`);
        // the problem rows follow their line directly
        const next = await row.evaluate((el) => el.nextElementSibling?.getAttribute('data-problem-line'));
        expect(next).toBe(String(line));
      }
      // lines without a problem are not marked
      expect(await page.locator('.code .row[data-line="1"]').getAttribute('class')).not.toMatch(/\b(bad|warned)\b/);
      await screenshot(page, 'inspector-detail');
      // the answer and the redacted headers
      await page.click('button[data-tab="answer"]');
      await expect(page.locator('pre.answer-body').textContent()).resolves.toContain('"linesInvalid": 3');
      // fix mode's diff
      await page.click('button[data-tab="fix"]');
      await page.waitForSelector('.diff [data-fix-line="2"]');
      // copy as curl: the same request, the token as a variable
      await page.click('button:has-text("copy as curl")');
      const curl = await page.locator('pre.curl').textContent();
      expect(curl).toContain(`curl -i -X POST '${server.url}/api/v2/metrics/ingest'`);
      expect(curl).toContain("-H 'content-type: text/plain; charset=utf-8'");
      expect(curl).toContain("--data-binary 'cpu.temperature,host=web-01,dc=eu 61.5");
    });

    it('searches with rule:, status:, route:, key:, sender: and free text (also in the bodies), kept in the URL', async () => {
      const url = server.url;
      await post(url + '/api/v2/metrics/ingest', 'a.b 1\n', TEXT);
      await post(url + '/api/v2/metrics/ingest', 'a.b 1\nbad key 1\n', TEXT);
      await post(url + '/api/v2/metrics/ingest', 'c.d,secret_needle=1 1\n', TEXT);
      await post(url + '/platform/ingest/v1/events', JSON.stringify({ 'event.type': 'CUSTOM_INFO', title: 'x' }), JSON_TYPE);
      await post(url + '/platform/ingest/v1/smartscape.events', JSON.stringify([{ type: 'bad type', id_components: [{ a: 'b' }] }]), JSON_TYPE);
      await post(url + '/no/such/endpoint', '', TEXT);
      await openLive(page, url);
      const ids = (): Promise<(string | null)[]> =>
        page.locator('table.requests tbody tr[data-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
      await page.waitForSelector('table.requests tr[data-id="6"]');
      expect(await ids()).toEqual(['6', '5', '4', '3', '2', '1']);
      const search = async (q: string, expected: string[]): Promise<void> => {
        await page.fill('input[name="q"]', q);
        await page.waitForFunction(
          (want) => Array.from(document.querySelectorAll('table.requests tbody tr[data-id]'), (r) => r.getAttribute('data-id')).join(',') === want,
          expected.join(','),
        );
        expect(await ids()).toEqual(expected);
      };
      await search('route:metrics', ['3', '2', '1']);
      await search('status:4xx', ['6', '5', '2']);
      await search('status:404', ['6']);
      await search('rule:metric-type-invalid', ['2']);
      await search('rule:smartscape-type-pattern', ['5']);
      await search('route:metrics status:2xx', ['3', '1']);
      await search('key:c.d', ['3']);
      await search('sender:127.0.0.1 route:events', ['4']);
      // free text: the request's own fields...
      await search('smartscape', ['5']);
      // ... and the bodies, searched on the server (the needle is in no field the list shows)
      await search('secret_needle', ['3']);
      // the search is in the URL (once typing paused): a reload shows the same list
      await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('secret_needle');
      await page.reload();
      await page.waitForSelector('table.requests tr[data-id="3"]');
      expect(await ids()).toEqual(['3']);
      // nothing matches: said so, not only the headers
      await search('no-such-thing-anywhere', []);
      await expect(page.locator('.list-scroll .empty').textContent()).resolves.toContain('No request matches');
      await search('route:metrics', ['3', '2', '1']);
      await screenshot(page, 'inspector-filtered');
      await search('', ['6', '5', '4', '3', '2', '1']);
    });

    it('keeps attack bodies, attributes and headers inert: nothing runs, no dialog, no CSP violation', async () => {
      const trip = await tripwires(page);
      const html = (n: number): string => `"><img src=x onerror=window.__pwned=${n}><script>window.__pwned=${n}</script>`;
      const url = server.url;
      await openLive(page, url);
      // in dimension values (a valid line, so it reaches the metrics view), a metric key, and an invalid line
      const metrics = `attack.metric,dim="\\"><img src=x onerror=window.__pwned=1>" 1\nattack.metric,dim=${html(2).replace(/[ ,=]/g, (c) => '\\' + c)} 2\n<svg/onload=window.__pwned=3> 1\n`;
      await post(url + '/api/v2/metrics/ingest', metrics, { ...TEXT, 'user-agent': html(4), 'x-attack': html(5) });
      // in event attributes: values and names
      await post(
        url + '/platform/ingest/v1/events',
        JSON.stringify([{ 'event.type': 'CUSTOM_INFO', title: html(6), [html(7)]: html(8), nested: { x: html(9) } }]),
        { ...JSON_TYPE, 'x-attack': html(10) },
      );
      // in the path and query
      await post(url + `/api/v2/metrics/ingest?q=${encodeURIComponent(html(11))}`, 'a.b 1\n', TEXT);
      await post(url + `/no/${encodeURIComponent(html(12))}`, 'x', TEXT);
      await page.waitForSelector('table.requests tr[data-id="4"]');
      // every view that shows them
      for (const id of ['1', '2', '3', '4']) {
        await page.click(`table.requests tr[data-id="${id}"]`);
        await page.waitForSelector('.detail-head h2');
        for (const tab of ['body', 'answer', 'headers']) {
          await page.click(`button[data-tab="${tab}"]`);
          await page.waitForTimeout(50);
        }
        await page.click('button:has-text("copy as curl")');
      }
      await page.click('table.requests tr[data-id="2"]');
      await page.click('button[data-tab="headers"]');
      await expect(page.locator('table.headers').textContent()).resolves.toContain(html(10));
      await screenshot(page, 'inspector-attack-headers');
      await page.click('button[data-view="metrics"]');
      await page.waitForSelector('.metric-key[data-key="attack.metric"]');
      await expect(page.locator('.metric-key[data-key="attack.metric"]').textContent()).resolves.toContain('dim="><img src=x onerror=window.__pwned=1>');
      await page.click('button[data-view="events"]');
      await page.waitForSelector('.events-table tbody tr');
      const cells = await page.locator('.events-table').textContent();
      expect(cells).toContain(html(6));
      expect(cells).toContain(html(7));
      await screenshot(page, 'inspector-attack-events');
      await page.waitForTimeout(300);
      // nothing ran: no flag, no dialog, no element made of the payload, nothing the CSP had to stop
      expect(await trip.pwned()).toBeUndefined();
      expect(trip.dialogs).toEqual([]);
      expect(await trip.violations()).toEqual([]);
      expect(await page.locator('img, script:not([src]), svg:not(.chart)').count()).toBe(0);

      // the tripwires are live: markup put in as HTML (what the page never does) is stopped by the
      // CSP, reported on the page and to the server, and still sets no flag
      await page.evaluate(() => {
        const div = document.createElement('div');
        div.innerHTML = '<img src="x" onerror="window.__pwned=99">';
        document.body.appendChild(div);
      });
      await page.waitForFunction(() => (window as unknown as { __violations: string[] }).__violations.length > 0);
      expect((await trip.violations())[0]).toMatch(/^script-src/);
      expect(await trip.pwned()).toBeUndefined();
      const deadline = Date.now() + 5000;
      while (server.handler.inspector!.cspViolations === 0 && Date.now() < deadline) await page.waitForTimeout(50);
      expect(server.handler.inspector!.cspViolations).toBeGreaterThan(0);
    });

    it('shows the metrics and events that arrived', async () => {
      const now = Date.now();
      const url = server.url;
      for (let i = 0; i < 6; i++) {
        const t = now - (6 - i) * 10_000;
        await post(
          url + '/api/v2/metrics/ingest',
          `cpu.temperature,host=web-01 ${50 + i * 2} ${t}\ncpu.temperature,host=web-02 ${60 - i} ${t}\nhttp.requests,route=/checkout count,delta=${3 + i} ${t}\nrequest.duration,route=/checkout gauge,min=2,max=${40 + i},sum=${60 + i * 5},count=4 ${t}\n`,
          TEXT,
        );
      }
      await post(
        url + '/platform/ingest/v1/events',
        JSON.stringify([
          { 'event.type': 'CUSTOM_DEPLOYMENT', title: 'checkout 1.4.2', 'deployment.version': '1.4.2' },
          { 'event.type': 'CUSTOM_INFO', title: 'cache warmed', 'dt.entity.host': 'HOST-0123456789ABCDEF' },
        ]),
        JSON_TYPE,
      );
      await post(
        url + '/api/v2/metrics/ingest',
        'cpu.temperature,host=web-01 61.5\ncpu.temperature,host=web 02 58\nhttp.requests,route=/checkout count,delta=4\nbad key,host=web-01 1\nrequest.duration,route=/checkout gauge,min=3,max=1,sum=8,count=4\nmemory.used,host=web-01 12.5e9\n',
        { ...TEXT, 'user-agent': 'my-exporter/0.3' },
      );
      await openLive(page, url);
      await page.click('table.requests tr[data-id="8"]');
      await page.waitForSelector('.code .problem');
      await screenshot(page, 'inspector');
      await page.click('button[data-view="metrics"]');
      await page.waitForSelector('.metric-key[data-key="cpu.temperature"] svg.chart polyline');
      const card = await page.locator('.metric-key[data-key="cpu.temperature"]').textContent();
      expect(card).toContain('gauge');
      expect(card).toContain('dimensions: host');
      expect(await page.locator('.metric-key[data-key="cpu.temperature"] .series').count()).toBe(2);
      // each chart has its axes (value range, time range) and shows the nearest point's value on hover
      const chart = page.locator('.metric-key[data-key="cpu.temperature"] svg.chart').first();
      expect(await chart.locator('text.tick').count()).toBe(4);
      expect(await chart.locator('line.axis').count()).toBe(2);
      await chart.hover({ position: { x: 200, y: 30 } });
      await expect(chart.locator('.hover text.value').textContent()).resolves.toMatch(/^\d\d:\d\d:\d\d\.\d{3}\s+\d+(\.\d+)?$/);
      // large values with an SI prefix, not 1.258e+10
      const ticks = await page.locator('.metric-key[data-key="memory.used"] svg.chart text.tick').allTextContents();
      expect(ticks.filter((t) => / G$/.test(t))).toHaveLength(2);
      expect(ticks.join(' ')).not.toContain('e+');
      expect(await page.locator('.metric-key[data-key="http.requests"]').textContent()).toContain('count');
      expect(await page.locator('.metric-key[data-key="request.duration"]').textContent()).toContain('summary');
      await screenshot(page, 'inspector-metrics');
      await page.click('button[data-view="events"]');
      await page.waitForSelector('.events-table tbody tr');
      const generic = page.locator('.event-type[data-route="events"]');
      expect(await generic.locator('thead th').allTextContents()).toEqual(expect.arrayContaining(['event.type', 'title', 'deployment.version']));
      expect(await generic.locator('tbody tr').count()).toBe(2);
      // sortable by any column, said with aria-sort
      await generic.locator('th button:has-text("title")').click();
      expect(await generic.locator('tbody tr td:nth-child(4)').allTextContents()).toEqual(expect.arrayContaining(['cache warmed', 'checkout 1.4.2']));
      const titles = (): Promise<string[]> => generic.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
      expect((await titles())[0]).toContain('cache warmed');
      await generic.locator('th button:has-text("title")').click();
      expect((await titles())[0]).toContain('checkout 1.4.2');
      expect(await generic.locator('th[aria-sort="descending"]').count()).toBe(1);
      await screenshot(page, 'inspector-events');
      // a row leads to its request (a button: reachable by keyboard)
      await generic.locator('tbody tr button.link').first().click();
      await page.waitForSelector('table.requests tr.selected[data-id="7"]');
    });

    it('with --require-token the page needs a token (the browser signs in with HTTP Basic)', async () => {
      const s = await start({ requireToken: true });
      // without credentials: 401 with a Basic challenge (a headless browser has no one to ask)
      const res = await page.request.get(s.url + '/');
      expect(res.status()).toBe(401);
      expect(res.headers()['www-authenticate']).toMatch(/^Basic /);
      const context = await browser.newContext({ httpCredentials: { username: 'me', password: 'dt0c01.example' } });
      const signed = await context.newPage();
      await openLive(signed, s.url);
      await post(s.url + '/api/v2/metrics/ingest', 'a.b 1\n', { ...TEXT, authorization: 'Api-Token dt0c01.example' });
      await signed.waitForSelector('table.requests tr[data-id="1"]');
      await context.close();
    });
  });
}
