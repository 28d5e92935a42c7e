/**
 * The budget panel in a real browser (light): beside the metrics view, it shows the budgets of what
 * the mock received and, after a body with a volatile dimension arrives, the finding naming it.
 */
import http from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/serve/index.js';
import { CHROMIUM, NO_CHROMIUM, ensureUiBuilt, launch, screenshot, tripwires } from './browser.js';

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

if (CHROMIUM === undefined) {
  describe('budget panel in a browser', () => {
    it.skip(NO_CHROMIUM, () => {});
  });
} else {
  describe('budget panel in a browser', () => {
    let browser: Browser;
    let server: RunningServer;
    let page: Page;
    beforeAll(async () => {
      ensureUiBuilt();
      browser = await launch();
      server = await startServer({ port: 0 });
      page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    });
    afterAll(async () => {
      await page?.close();
      await server?.close();
      await browser?.close();
    });

    it('shows the budgets, then the volatile dimension of what arrived', async () => {
      const trip = await tripwires(page);
      await page.goto(`${server.url}/?view=metrics`);
      await page.waitForSelector('[data-connection="live"]');
      const panel = page.locator('[data-panel="budget"]');
      await panel.locator('tr[data-budget="budget-metric-keys"]').waitFor();
      let body = '';
      for (let i = 0; i < 30; i++) body += `req.count,request_id=${(0x10000000 + i).toString(16)}-1b2c-4d5e-8f90-0123456789ab count,delta=1\n`;
      expect(await post(`${server.url}/api/v2/metrics/ingest`, body)).toBe(202);
      const finding = panel.locator('li[data-rule="volatile-dimension"]');
      await finding.waitFor();
      expect(await finding.textContent()).toContain("dimension 'request_id'");
      expect(await panel.locator('tr[data-budget="budget-tuples"] td').nth(1).textContent()).toBe('30');
      expect(await panel.locator('li[data-metric="req.count"] .key').textContent()).toBe('req.count');
      await screenshot(page, 'inspector-budget');
      expect(await trip.violations()).toEqual([]);
      expect(trip.dialogs).toEqual([]);
    });
  });
}
