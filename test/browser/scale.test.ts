/**
 * The inspector at 10,000 requests and with millions of lines, in headless Chromium, judged by
 * structure, never by wall-clock (`node bench/inspector-page.mjs` times the same paths):
 * - a reload and a keystroke read one page of rows from the server (no answer holds more than the
 *   page size, none is the whole list), and the DOM stays a screenful;
 * - "export JSON" / "export SARIF" download the problems of the current filter, in the CLI's formats;
 * - a caret after CJK and emoji stands under its character (where the text row draws it);
 * - two million 2-byte lines fit a capped scroll space (taller than a browser lets an element be
 *   otherwise), and the last line is reached.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { MAX_SCROLL_PX, OVERSCAN } from '../../ui/shared/virtual.js';
import { CHROMIUM, NO_CHROMIUM, ensureUiBuilt, launch, screenshot } from './browser.js';
import { pageCounts, post, sendMany } from './volume.js';

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
/** Rows the page reads at once (ui/inspector/main.tsx PAGE). */
const PAGE = 100;
const LIST_ROW = 28;
const CODE_ROW = 19;

/** Fills the list to `n` requests: `distinct` sent over HTTP, then copies of them with new ids (fast). */
async function fill(server: RunningServer, n: number, distinct = 20): Promise<void> {
  await sendMany(server.url, distinct, 4);
  const log = server.handler.inspector!.log;
  const seeds = log.list().slice();
  for (let i = distinct; i < n; i++) {
    const r = seeds[i % distinct]!;
    log.add({ ...r, summary: { ...r.summary, id: log.takeId() } });
  }
  expect(log.list()).toHaveLength(n);
}

/** The list answers the page reads (`api/requests`), with the rows each holds. */
function watchList(page: Page): { answers: { url: URL; items: number }[]; settled: () => Promise<void> } {
  const answers: { url: URL; items: number }[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (res: Response) => {
    const url = new URL(res.url());
    if (!url.pathname.endsWith('/_dt-ingest/ui/api/requests')) return;
    pending.push(
      res.json().then(
        (body: { items: unknown[] }) => void answers.push({ url, items: body.items.length }),
        () => {},
      ),
    );
  });
  return { answers, settled: async () => void (await Promise.all(pending)) };
}

if (CHROMIUM === undefined) {
  describe('inspector at scale', () => {
    it.skip(NO_CHROMIUM, () => {});
  });
} else {
  describe('inspector at scale', () => {
    let browser: Browser;
    let server: RunningServer;
    let page: Page;
    beforeAll(async () => {
      ensureUiBuilt();
      browser = await launch();
    });
    afterAll(async () => {
      await browser?.close();
    });
    beforeEach(async () => {
      page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    });
    afterEach(async () => {
      await page.close();
      await server?.close();
    });
    const bound = (height: number, row: number): number => Math.ceil(height / row) + 2 * OVERSCAN + 2;

    it('reads one page of rows on a reload and on each keystroke with 10,000 listed, never the whole list', async () => {
      server = await startServer({ port: 0, receivedLimit: 10_000 });
      await fill(server, 10_000);
      const list = watchList(page);
      await page.goto(server.url + '/');
      await page.waitForSelector('[data-connection="live"]');
      await page.waitForSelector('table.requests tr[data-id="10000"]');
      await expect(page.locator('.filters .count').textContent()).resolves.toContain('10,000 requests');
      // a reload
      await page.reload();
      await page.waitForSelector('[data-connection="live"]');
      await page.waitForSelector('table.requests tr[data-id="10000"]');
      // keystrokes, as one would type them
      await page.focus('input[name="q"]');
      for (const key of 'cpu.temp') await page.keyboard.type(key);
      await page.waitForSelector('.list-scroll[data-shown="cpu.temp"]');
      const rows = await page.locator('table.requests tbody tr[data-id]').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
      expect(rows.length).toBeGreaterThan(0);
      for (const text of rows) expect(text.toLowerCase()).toContain('/api/v2/metrics/ingest');
      await page.fill('input[name="q"]', 'status:404');
      await page.waitForSelector('.list-scroll[data-shown="status:404"]');
      // the first page came without the count (the server stopped at the page); the count follows once typing pauses
      await expect.poll(() => page.locator('.filters .count').textContent()).toContain('2,000 of 10,000 requests');
      await list.settled();
      expect(list.answers.length).toBeGreaterThan(4);
      // the keystrokes' reads stopped at the page (count=0); only a read after typing paused counted every match
      expect(list.answers.filter((a) => a.url.searchParams.get('count') === '0').length).toBeGreaterThan(0);
      // and the count of status:404 came alone, without rows
      expect(list.answers.some((a) => a.url.searchParams.get('q') === 'status:404' && a.url.searchParams.get('limit') === '0' && a.items === 0)).toBe(true);
      for (const a of list.answers) {
        // every read names a page size, and no answer holds more
        expect(Number(a.url.searchParams.get('limit'))).toBeLessThanOrEqual(PAGE);
        expect(a.items).toBeLessThanOrEqual(PAGE);
      }
      const read = list.answers.reduce((n, a) => n + a.items, 0);
      console.log(`[scale] 10,000 listed: ${list.answers.length} list reads, ${read} rows read in all (2 page loads, 9 keystrokes, a fill)`);
      const c = await pageCounts(page);
      expect(c.listRows).toBeLessThanOrEqual(bound(c.listHeight, LIST_ROW));
      expect(c.nodes).toBeLessThan(1500);
      // the URL holds the query once typing paused
      await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('status:404');
    });

    it('reads the list once on load when nothing arrives before its stream starts (the hello names the version it saw)', async () => {
      server = await startServer({ port: 0, receivedLimit: 10_000 });
      await fill(server, 1_000);
      const reads: URL[] = [];
      page.on('request', (req) => {
        const url = new URL(req.url());
        if (url.pathname.endsWith('/_dt-ingest/ui/api/requests')) reads.push(url);
      });
      const summary = page.waitForResponse((res) => new URL(res.url()).pathname.endsWith('/_dt-ingest/ui/api/summary'));
      await page.goto(server.url + '/');
      await page.waitForSelector('[data-connection="live"]');
      await page.waitForSelector('table.requests tr[data-id="1000"]');
      // the summary is asked once typing would have paused: by then the stream's hello was handled
      await summary;
      expect(reads.filter((u) => !u.searchParams.has('offset'))).toHaveLength(1);
    });

    it("shows at once the rows it held that pass a new query, then the server's page", async () => {
      server = await startServer({ port: 0 });
      await sendMany(server.url, 30, 4);
      await page.goto(server.url + '/');
      await page.waitForSelector('[data-connection="live"]');
      await page.waitForSelector('table.requests tr[data-id="30"]');
      // the server's answer held back until the page showed its own
      let release: () => void = () => {};
      const held = new Promise<void>((r) => (release = r));
      await page.route(
        (url) => url.pathname.endsWith('/api/requests') && url.searchParams.get('q') === 'route:events',
        async (route) => {
          await held;
          await route.continue();
        },
      );
      await page.fill('input[name="q"]', 'route:events');
      await page.waitForSelector('.list-scroll[data-searching="route:events"]');
      const routes = await page.locator('table.requests tbody tr[data-id] td:nth-child(3)').allTextContents();
      expect(routes.length).toBe(6);
      expect(new Set(routes)).toEqual(new Set(['events']));
      await expect(page.locator('.filters .count').textContent()).resolves.toContain('searching');
      release();
      await page.waitForSelector('.list-scroll[data-shown="route:events"]');
      await expect(page.locator('.filters .count').textContent()).resolves.toContain('6 of 30 requests');
    });

    it('exports the problems of the current filter as the CLI JSON and SARIF', async () => {
      server = await startServer({ port: 0 });
      await post(server.url + '/api/v2/metrics/ingest', 'cpu.temp,host=a 1\nbad key 1\n', TEXT);
      await post(server.url + '/platform/ingest/v1/events', JSON.stringify([{ 'event.type': 'CUSTOM_INFO', title: 'a', timestamp: 'not-a-time' }]), JSON_TYPE);
      await post(server.url + '/api/v2/metrics/ingest', 'ok.metric 1\n', TEXT);
      await page.goto(server.url + '/?q=route%3Ametrics');
      await page.waitForSelector('.list-scroll[data-shown="route:metrics"]');
      const download = async (format: string): Promise<unknown> => {
        const [file] = await Promise.all([page.waitForEvent('download'), page.click(`a[data-export="${format}"]`)]);
        expect(file.suggestedFilename()).toBe(`dt-ingest-problems.${format}`);
        return JSON.parse(readFileSync((await file.path())!, 'utf8'));
      };
      const json = (await download('json')) as { filePath: string; messages: { ruleId: string; line: number }[] }[];
      // the metrics request with problems only: not the events one (filtered), not the clean one
      expect(json.map((f) => f.filePath)).toEqual(['dt-ingest-request-1.txt']);
      expect(json[0]!.messages.map((m) => m.line)).toContain(2);
      const sarif = (await download('sarif')) as { version: string; runs: { results: { ruleId: string }[]; properties: { query: string } }[] };
      expect(sarif.version).toBe('2.1.0');
      expect(sarif.runs[0]!.properties.query).toBe('route:metrics');
      expect(sarif.runs[0]!.results.length).toBe(json[0]!.messages.length);
      // a new filter: the links follow it
      await page.fill('input[name="q"]', 'route:events');
      await page.waitForSelector('.list-scroll[data-shown="route:events"]');
      const events = (await download('json')) as { filePath: string }[];
      expect(events.map((f) => f.filePath)).toEqual(['dt-ingest-request-2.json']);
    });

    it('puts a caret after CJK and emoji under its character, where the text row draws it', async () => {
      server = await startServer({ port: 0 });
      const line = 'cpu.temp,host=東京😀🎉,city=大阪 hot';
      expect(await post(server.url + '/api/v2/metrics/ingest', `ok.metric 1\n${line}\n`, TEXT)).toBe(400);
      await page.goto(server.url + '/?id=1');
      await page.waitForSelector('.code .problem .caret');
      const column = line.indexOf('hot') + 1;
      const place = await page.evaluate((column) => {
        const text = document.querySelector('.code .row[data-line="2"] .text')!.firstChild as Text;
        const range = document.createRange();
        range.setStart(text, column - 1);
        range.setEnd(text, column);
        const char = range.getBoundingClientRect();
        const caret = document.querySelector('.code .problem[data-problem-line="2"] .caret')!.getBoundingClientRect();
        // what a caret placed by character count in ch would have been
        const ten = document.querySelector('.code-box .measure')!.getBoundingClientRect().width;
        const ln = document.querySelector('.code .row[data-line="2"] .text')!.getBoundingClientRect().left;
        return { char: char.left, caret: caret.left, counted: ln + ((column - 1) * ten) / 10 };
      }, column);
      console.log(
        `[scale] caret after CJK and emoji: character at ${place.char.toFixed(1)} px, caret at ${place.caret.toFixed(1)} px, by count ${place.counted.toFixed(1)} px`,
      );
      expect(Math.abs(place.caret - place.char)).toBeLessThan(1);
      // the wide characters do take more than one column here, so the count would have drifted
      expect(Math.abs(place.counted - place.char)).toBeGreaterThan(2);
      await screenshot(page, 'inspector-caret-cjk-emoji');
    });

    it('fits two million 2-byte lines in a capped scroll space and reaches the last line', async () => {
      server = await startServer({ port: 0 });
      const lines = 2_000_000;
      // a valid event, then whitespace lines (` \n`): two million 2-byte lines in one JSON body
      const body = `[{"event.type":"CUSTOM_INFO","title":"t"}\n${' \n'.repeat(lines)}]`;
      expect(await post(server.url + '/platform/ingest/v1/events', body, JSON_TYPE)).toBe(202);
      await page.goto(server.url + '/?id=1');
      await page.waitForSelector('.code .row[data-line="1"]', { timeout: 60_000 });
      const rows = Number(await page.locator('.code').getAttribute('data-rows'));
      const last = Number(await page.locator('.code').getAttribute('data-lines'));
      expect(last).toBeGreaterThan(lines);
      expect(rows * CODE_ROW).toBeGreaterThan(MAX_SCROLL_PX);
      const space = await page.locator('.code').evaluate((el) => el.scrollHeight);
      expect(space).toBeLessThanOrEqual(MAX_SCROLL_PX + 100);
      // the bottom of the scroll space shows the last line, the middle a line near the middle
      const shownAt = async (fraction: number): Promise<number[]> => {
        await page.locator('.code').evaluate((el, f) => {
          el.scrollTop = f * (el.scrollHeight - el.clientHeight);
        }, fraction);
        await page.waitForTimeout(100);
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        return page.evaluate(() => {
          const box = document.querySelector('.code')!.getBoundingClientRect();
          return Array.from(document.querySelectorAll('.code .row[data-line]'))
            .filter((r) => {
              const b = r.getBoundingClientRect();
              return b.bottom > box.top && b.top < box.bottom;
            })
            .map((r) => Number(r.getAttribute('data-line')));
        });
      };
      const end = await shownAt(1);
      expect(Math.max(...end)).toBe(last);
      const mid = await shownAt(0.5);
      expect(Math.abs(Math.min(...mid) / last - 0.5)).toBeLessThan(0.01);
      // consecutive lines in view, in order (the rows are placed where the box shows them)
      expect(mid).toEqual(Array.from({ length: mid.length }, (_, i) => mid[0]! + i));
      const c = await pageCounts(page);
      expect(c.codeRows).toBeLessThanOrEqual(bound(c.codeHeight, CODE_ROW));
    });
  });
}
