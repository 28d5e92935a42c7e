/**
 * The playground in a real browser: the verdict follows typing (with the problem highlighted in the
 * text), with no request to the server while it judges; it works the same from the static build
 * (`npm run build:playground`) served by any file server.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { CHROMIUM, NO_CHROMIUM, ensureUiBuilt, launch, screenshot, tripwires } from './browser.js';

/** A plain file server, as any static host would be (no CSP, nothing of dt-ingest). */
async function fileServer(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  const server = http.createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? path + 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Types into the editor and waits for the verdict to show `status`. */
async function typeAndWait(page: Page, keys: string, status: string): Promise<void> {
  await page.locator('textarea[name="payload"]').pressSequentially(keys);
  await page.waitForSelector(`.verdict[data-status="${status}"]`);
}

if (CHROMIUM === undefined) {
  console.warn(`[browser tests] ${NO_CHROMIUM}`);
  describe('playground in a browser', () => {
    it.skip(NO_CHROMIUM, () => {});
  });
} else {
  describe('playground in a browser', () => {
    let browser: Browser;
    let server: RunningServer;
    beforeAll(async () => {
      ensureUiBuilt();
      browser = await launch();
      server = await startServer({ port: 0 });
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    const exercise = async (page: Page, url: string, name: string): Promise<void> => {
      const trip = await tripwires(page);
      const requests: string[] = [];
      await page.goto(url, { waitUntil: 'networkidle' });
      // the favicon may be fetched late on a busy machine: a page asset, not a request to judge
      page.on('request', (r) => {
        if (!r.url().endsWith('/icon.svg')) requests.push(r.url());
      });
      await page.waitForSelector('.verdict');
      await page.selectOption('select[name="endpoint"]', 'metrics');
      await page.click('button:has-text("empty")');
      await page.waitForSelector('.verdict[data-status="400"]'); // an empty body is a 400
      await page.locator('textarea[name="payload"]').click();
      await typeAndWait(page, 'cpu.temp,host=a 42', '202');
      expect(await page.locator('.problems li').count()).toBe(0);
      // a second line the endpoint rejects: 400, the problem listed at its line and highlighted
      await typeAndWait(page, '\nbad key 1', '400');
      await page.waitForSelector('.problems li[data-line="2"][data-rule="metric-type-invalid"]');
      await expect(page.locator('.problems li[data-line="2"]').textContent()).resolves.toContain('endpoint: "invalid metric type"');
      await page.waitForSelector('.backdrop mark.line[data-line="2"]');
      await expect(page.locator('.backdrop mark.line[data-line="2"] mark.at').textContent()).resolves.toBe('k');
      expect(await page.locator('.backdrop mark.line[data-line="1"]').count()).toBe(0);
      await expect(page.locator('.verdict').textContent()).resolves.toContain('1 lines ok, 1 invalid');
      await screenshot(page, `${name}-metrics`);
      // repaired by typing: the verdict follows
      for (let i = 0; i < '  key 1'.length; i++) await page.keyboard.press('Backspace');
      await typeAndWait(page, '.key 1', '202');
      expect(await page.locator('.backdrop mark').count()).toBe(0);
      // another endpoint, JSON: the problem is placed at its line and column
      await page.selectOption('select[name="endpoint"]', 'smartscape');
      await page.click('button:has-text("empty")');
      await page.locator('textarea[name="payload"]').click();
      await page.locator('textarea[name="payload"]').pressSequentially('[{"type": "EXT_X", "id_components": [{"a": "b"}]}]');
      await page.waitForSelector('.verdict[data-status="202"]');
      await page.locator('textarea[name="payload"]').fill('[\n  {"type": "bad type", "id_components": [{"a": "b"}]}\n]');
      await page.waitForSelector('.problems li[data-line="2"][data-rule="smartscape-type-pattern"]');
      await expect(page.locator('.problems li[data-line="2"] .where').textContent()).resolves.toBe('2:12');
      await screenshot(page, `${name}-smartscape`);
      // judged in the page: nothing was asked of any server while typing
      expect(requests).toEqual([]);
      expect(await trip.pwned()).toBeUndefined();
      expect(await trip.violations()).toEqual([]);
    };

    it('judges as you type, in the browser, at /playground of dt-ingest serve', async () => {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await exercise(page, server.url + '/playground', 'playground');
      await page.close();
    });

    it('offers a quick fix only where fix mode keeps the meaning, numbers the lines and wraps messages', async () => {
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      const trip = await tripwires(page);
      await page.goto(server.url + '/playground', { waitUntil: 'networkidle' });
      await page.selectOption('select[name="endpoint"]', 'metrics');
      const payload = page.locator('textarea[name="payload"]');
      await payload.fill('cpu.temp,host=a 42\nMemory Used,host=web-02 7\ncpu.temp,host=web-02 hot\n');
      await page.waitForSelector('.verdict[data-status="400"]');
      // the value is the mistake on line 3: named as such, and no repair is offered (it would need a value)
      await page.waitForSelector('.problems li[data-line="3"][data-rule="metric-type-invalid"]');
      await expect(page.locator('.problems li[data-line="3"] .msg').textContent()).resolves.toContain("'hot' is not a number");
      expect(await page.locator('.problems li[data-line="3"] button.quick-fix').count()).toBe(0);
      // line 2 keeps its key (normalized), its dimension and its value
      const fix = page.locator('.problems li[data-line="2"] button.quick-fix');
      await expect(fix.textContent()).resolves.toBe('quick fix: Memory_Used,host=web-02 7');
      // one number per line (the last, empty line after the final LF included), beside the text
      await expect(page.locator('.editor .gutter').textContent()).resolves.toBe('1\n2\n3\n4');
      // messages wrap in the problem list instead of being cut
      await expect(
        page
          .locator('.problems button.problem')
          .first()
          .evaluate((el) => getComputedStyle(el).whiteSpace),
      ).resolves.toBe('normal');
      await fix.click();
      await page.waitForSelector('.problems li[data-line="2"]', { state: 'detached' });
      await expect(payload.inputValue()).resolves.toBe('cpu.temp,host=a 42\nMemory_Used,host=web-02 7\ncpu.temp,host=web-02 hot\n');
      await screenshot(page, 'playground-quick-fix');
      expect(await trip.pwned()).toBeUndefined();
      expect(await trip.violations()).toEqual([]);
      await page.close();
    });

    it("shows the options of the table the endpoint reads (OTLP's for OTLP metrics), and they change the verdict", async () => {
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      await page.goto(server.url + '/playground', { waitUntil: 'networkidle' });
      await page.selectOption('select[name="endpoint"]', 'otlp');
      await page.click('details.options summary');
      await page.waitForSelector('details.options input[name="maxDataPoints"]');
      // the JSON bodies' options do not apply to OTLP: not offered
      expect(await page.locator('details.options [name="eventsMaxBodyBytes"]').count()).toBe(0);
      expect(await page.locator('details.options select[name="unspecifiedTemporality"]').count()).toBe(1);
      // the example has two data points: with at most one, the request is over the limit
      await page.waitForSelector('.verdict');
      expect(await page.locator('.problems li[data-rule="otlp-too-many-points"]').count()).toBe(0);
      await page.fill('details.options input[name="maxDataPoints"]', '1');
      await page.waitForSelector('.problems li[data-rule="otlp-too-many-points"]');
      // back to the metrics endpoint: its own table
      await page.selectOption('select[name="endpoint"]', 'metrics');
      await page.waitForSelector('details.options input[name="maxBodyBytes"]');
      expect(await page.locator('details.options input[name="maxDataPoints"]').count()).toBe(0);
      await page.close();
    });

    it('works the same as a static page on any file server', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dt-ingest-playground-'));
      execFileSync(process.execPath, ['scripts/build-ui.mjs', '--static', dir, '--quiet']);
      const files = await fileServer(dir);
      try {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        await exercise(page, files.url + '/', 'playground-static');
        await page.close();
      } finally {
        await files.close();
      }
    });
  });
}
