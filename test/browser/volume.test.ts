/**
 * The inspector at volume, in headless Chromium: what the page draws is bounded by what is visible
 * (DOM nodes, request rows, body rows), not by the requests listed or the size of a body; every
 * problem is reachable (next/previous, also past the part drawn first); keyboard movement in the
 * list is one Tab stop; pause holds the list still. No wall-clock bound is asserted here (a busy
 * machine must not fail the suite): timings are logged, and `node bench/inspector-page.mjs`
 * measures them against the targets.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer, type ServeOptions } from '../../src/serve/index.js';
import { OVERSCAN } from '../../ui/shared/virtual.js';
import { CHROMIUM, NO_CHROMIUM, ensureUiBuilt, launch, screenshot } from './browser.js';
import { badTimestamps, largeEvents, linesWithProblems, pageCounts, post, sendMany, timePostToRow } from './volume.js';

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
/** Row heights the style sheet gives (list.tsx LIST_ROW, code.tsx CODE_ROW). */
const LIST_ROW = 28;
const CODE_ROW = 19;

if (CHROMIUM === undefined) {
  describe('inspector at volume', () => {
    it.skip(NO_CHROMIUM, () => {});
  });
} else {
  describe('inspector at volume', () => {
    let browser: Browser;
    let server: RunningServer;
    let page: Page;
    const start = async (options: ServeOptions = {}): Promise<RunningServer> => startServer({ port: 0, ...options });
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
    const openLive = async (url: string): Promise<void> => {
      await page.goto(url);
      await page.waitForSelector('[data-connection="live"]');
    };
    /** Rows a list or body view of this height may draw: the visible ones and the overscan. */
    const bound = (height: number, row: number): number => Math.ceil(height / row) + 2 * OVERSCAN + 2;

    it('draws a screenful of a long list, reads more rows as it scrolls, and adds arrivals on top', async () => {
      server = await start({ receivedLimit: 5000 });
      await sendMany(server.url, 3000);
      const t0 = Date.now();
      await openLive(server.url + '/');
      await page.waitForSelector('table.requests tr[data-id="3000"]');
      console.log(`[volume] 3,000 listed: page open to first rows ${Date.now() - t0} ms`);
      const c = await pageCounts(page);
      console.log(`[volume] 3,000 listed: ${c.nodes} elements, ${c.listRows} rows drawn (list ${c.listHeight} px)`);
      expect(c.listRows).toBeLessThanOrEqual(bound(c.listHeight, LIST_ROW));
      expect(c.nodes).toBeLessThan(1500);
      await expect(page.locator('.filters .count').textContent()).resolves.toContain('3,000 requests');
      // the scroll box is as tall as the whole list; the middle is read when scrolled to
      await page.locator('.list-scroll').evaluate((el) => {
        el.scrollTop = 1500 * 28;
      });
      await page.waitForSelector('table.requests tr[data-id="1500"]');
      const mid = await pageCounts(page);
      expect(mid.listRows).toBeLessThanOrEqual(bound(mid.listHeight, LIST_ROW));
      expect(await page.locator('table.requests tr.placeholder').count()).toBe(0);
      // arrivals while scrolled: on top, the rows in view stay where they were
      const top = await page.locator('table.requests tr[data-id="1500"]').evaluate((el) => el.getBoundingClientRect().top);
      await sendMany(server.url, 20, 4, 3000);
      await page.waitForFunction(() => document.querySelector('.filters .count')?.textContent?.includes('3,020'));
      await page.waitForTimeout(100);
      const after = await page.locator('table.requests tr[data-id="1500"]').evaluate((el) => el.getBoundingClientRect().top);
      expect(Math.abs(after - top)).toBeLessThan(2);
      // back at the top, a POST shows up (timed, logged)
      await page.locator('.list-scroll').evaluate((el) => {
        el.scrollTop = 0;
      });
      const ms: number[] = [];
      for (let i = 0; i < 5; i++) ms.push(await timePostToRow(page, '/api/v2/metrics/ingest', `a.b ${i}\n`));
      console.log(`[volume] 3,000 listed: POST to painted row ${ms.map((x) => x.toFixed(0)).join(', ')} ms`);
      const end = await pageCounts(page);
      expect(end.listRows).toBeLessThanOrEqual(bound(end.listHeight, LIST_ROW));
    });

    it('is one Tab stop with arrow and j/k movement, pauses with "N new", and asks before clearing', async () => {
      server = await start();
      await sendMany(server.url, 30, 4);
      await openLive(server.url + '/');
      await page.waitForSelector('table.requests tr[data-id="30"]');
      // exactly one row is in the Tab order
      expect(await page.locator('table.requests tbody tr[tabindex="0"]').count()).toBe(1);
      const focused = (): Promise<string | null> => page.evaluate(() => document.activeElement?.getAttribute('data-id') ?? null);
      // Tab from the search box reaches the list after the controls before it, and one more Tab leaves it
      await page.focus('input[name="q"]');
      let presses = 0;
      while ((await focused()) === null && presses < 80) {
        await page.keyboard.press('Tab');
        presses++;
      }
      expect(await focused()).toBe('30');
      expect(presses).toBeLessThan(40);
      await page.keyboard.press('Tab');
      expect(await focused()).toBeNull();
      await page.locator('table.requests tbody tr[tabindex="0"]').focus();
      await page.keyboard.press('j');
      await page.waitForSelector('table.requests tr.selected[data-id="29"]');
      await expect.poll(focused).toBe('29'); // focus follows the selection after its render
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.waitForSelector('table.requests tr.selected[data-id="27"]');
      await expect.poll(focused).toBe('27'); // focus follows the selection after its render
      await page.keyboard.press('k');
      await page.waitForSelector('table.requests tr.selected[data-id="28"]');
      expect(await page.locator('table.requests tbody tr[tabindex="0"]').getAttribute('data-id')).toBe('28');
      expect(new URL(page.url()).searchParams.get('id')).toBe('28');
      await page.keyboard.press('End');
      await page.waitForSelector('table.requests tr.selected[data-id="1"]');
      // the shortcuts are listed on ?
      await page.keyboard.press('?');
      await expect(page.locator('[role="dialog"]').textContent()).resolves.toContain('pause or resume');
      await page.keyboard.press('Escape');
      expect(await page.locator('[role="dialog"]').count()).toBe(0);
      // pause: arrivals are counted, not shown, until resumed
      await page.click('button[data-action="pause"]');
      await sendMany(server.url, 3, 1, 30);
      await page.waitForSelector('button[data-action="pause"]:has-text("resume (3 new)")');
      expect(await page.locator('table.requests tr[data-id="31"]').count()).toBe(0);
      await page.click('button[data-action="pause"]');
      await page.waitForSelector('table.requests tr[data-id="33"]');
      // clear asks first
      await page.click('button[data-action="clear"]');
      await expect(page.locator('.confirm').textContent()).resolves.toContain("Forget 33 requests, the kept bodies and the mock's accepted items?");
      expect(server.handler.inspector!.log.list()).toHaveLength(33);
      await page.click('.confirm button:has-text("cancel")');
      expect(server.handler.inspector!.log.list()).toHaveLength(33);
      await page.click('button[data-action="clear"]');
      await page.click('button[data-action="clear-confirm"]');
      await page.waitForFunction(() => document.querySelectorAll('table.requests tr[data-id]').length === 0);
      expect(server.handler.inspector!.log.list()).toHaveLength(0);
    });

    it('opens minified JSON with 1,500 problems drawing a screenful, carets placed not padded, each problem reachable', async () => {
      server = await start();
      const body = badTimestamps(1500);
      expect(await post(server.url + '/platform/ingest/v1/events', body, JSON_TYPE)).toBe(202);
      await openLive(server.url + '/?id=1');
      const t0 = Date.now();
      await page.waitForSelector('.code .problem .caret');
      console.log(`[volume] minified JSON (${body.length} B, 1,500 problems): detail drawn ${Date.now() - t0} ms after the page was live`);
      const c = await pageCounts(page);
      console.log(`[volume] minified JSON: ${c.nodes} elements, ${c.codeRows} body rows drawn of ${await page.locator('.code').getAttribute('data-rows')}`);
      expect(c.codeRows).toBeLessThanOrEqual(bound(c.codeHeight, CODE_ROW));
      expect(c.nodes).toBeLessThan(1500);
      // a caret is one character after the invisible text of its segment before the column (at most a segment, never padding)
      const carets = await page
        .locator('.code .problem .caret-line')
        .evaluateAll((els) => els.map((e) => [e.querySelector('.caret')?.textContent, e.querySelector('.caret-pad')?.textContent ?? '']));
      expect(carets.length).toBeGreaterThan(0);
      for (const [text, pad] of carets) {
        expect(text).toBe('^');
        expect(pad!.length).toBeLessThanOrEqual(1000);
        expect(pad).not.toMatch(/^ +$/);
      }
      // the body's one line is drawn in segments; a row is never longer than one segment
      const longest = await page.locator('.code .vrow .text').evaluateAll((els) => Math.max(...els.map((e) => (e.textContent ?? '').length)));
      expect(longest).toBeLessThanOrEqual(1000 + 200);
      // next / previous problem, also with the keys; the last one is reached by going back from the first
      await page.click('button[data-action="next-problem"]');
      await expect(page.locator('.problem-nav .where').textContent()).resolves.toContain('problem 1 of 1,500');
      await page.keyboard.press('p');
      await expect(page.locator('.problem-nav .where').textContent()).resolves.toContain('problem 1,500 of 1,500');
      await page.waitForSelector('.code .problem.current[data-problem="1499"]');
      const far = await pageCounts(page);
      expect(far.codeRows).toBeLessThanOrEqual(bound(far.codeHeight, CODE_ROW));
      // the current problem's caret is in view, horizontally too
      const inView = await page.evaluate(() => {
        const box = document.querySelector('.code')!.getBoundingClientRect();
        const caret = document.querySelector('.code .problem.current .caret')!.getBoundingClientRect();
        return caret.left >= box.left && caret.right <= box.right && caret.top >= box.top && caret.bottom <= box.bottom;
      });
      expect(inView).toBe(true);
      await screenshot(page, 'inspector-minified-json');
    });

    it('opens a 5 MB body drawing a screenful, and reaches problems far past the first screen', async () => {
      server = await start();
      const body = largeEvents(5 * 1024 * 1024);
      expect(await post(server.url + '/platform/ingest/v1/events', body, JSON_TYPE)).toBe(202);
      await openLive(server.url + '/?id=1');
      const t0 = Date.now();
      await page.waitForSelector('.code .row[data-line="1"]', { timeout: 30_000 });
      console.log(`[volume] 5 MB body: detail drawn ${Date.now() - t0} ms after the page was live`);
      const c = await pageCounts(page);
      console.log(`[volume] 5 MB body: ${c.nodes} elements, ${c.codeRows} body rows drawn of ${await page.locator('.code').getAttribute('data-rows')}`);
      expect(c.codeRows).toBeLessThanOrEqual(bound(c.codeHeight, CODE_ROW));
      expect(c.nodes).toBeLessThan(1500);
      const count = Number((await page.locator('.problem-nav .where').textContent())?.match(/^([\d,]+) problems/)?.[1]?.replace(/,/g, ''));
      expect(count).toBeGreaterThan(20);
      await page.keyboard.press('p');
      await page.waitForSelector(`.code .problem.current[data-problem="${count - 1}"]`);
      expect(Number(await page.locator('.code .problem.current').first().getAttribute('data-problem-line'))).toBeGreaterThan(30_000);
    });

    it('reaches every problem of a 50,000-line body, far past the first lines, and shows why a 413 was refused on its row', async () => {
      server = await start();
      const bad = Array.from({ length: 52 }, (_, i) => 5251 + i * 200);
      expect(await post(server.url + '/api/v2/metrics/ingest', linesWithProblems(50_000, bad), TEXT)).toBe(400);
      expect(await post(server.url + '/api/v2/metrics/ingest', 'x'.repeat(2 * 1024 * 1024), TEXT)).toBe(413);
      await openLive(server.url + '/?id=1');
      await page.waitForSelector('.code .row[data-line="1"]');
      for (let i = 0; i < bad.length; i++) {
        await page.keyboard.press('n');
        await page.waitForSelector(`.code .problem.current[data-problem="${i}"][data-problem-line="${bad[i]}"]`);
      }
      const c = await pageCounts(page);
      expect(c.codeRows).toBeLessThanOrEqual(bound(c.codeHeight, CODE_ROW));
      // the 413: its reason on the row, no "0 B"
      const row = page.locator('table.requests tr[data-id="2"]');
      await expect(row.locator('.reason').textContent()).resolves.toMatch(/./);
      expect(await row.textContent()).not.toContain('0 B');
      await row.click();
      await page.waitForSelector('.detail-head .reason-line');
    });
  });
}
