/**
 * Accessibility of every view of the inspector and of the playground, in light and dark mode:
 * axe-core (run in the page through the DevTools protocol, so the page's CSP stays as it is) finds no
 * violation. The views: the list with a request selected and each tab of its detail (body, answer,
 * headers, fix mode), the shortcuts, the metrics and the events views, the empty list and the
 * playground.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { CHROMIUM, NO_CHROMIUM, ensureUiBuilt, launch } from './browser.js';
import { post } from './volume.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TEXT = { 'content-type': 'text/plain; charset=utf-8' };
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core's violations on the page as it is now (WCAG 2.x A and AA, and best practices). */
async function violations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: unknown) => Promise<{ violations: Violation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

function say(list: Violation[]): string {
  return list.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`).join('\n');
}

if (CHROMIUM === undefined) {
  describe('accessibility', () => {
    it.skip(NO_CHROMIUM, () => {});
  });
} else {
  describe('accessibility (axe-core, light and dark)', () => {
    let browser: Browser;
    let server: RunningServer;
    let empty: RunningServer;
    beforeAll(async () => {
      ensureUiBuilt();
      browser = await launch();
      server = await startServer({ port: 0 });
      empty = await startServer({ port: 0 });
      const now = Date.now();
      for (let i = 0; i < 4; i++)
        await post(
          server.url + '/api/v2/metrics/ingest',
          `cpu.temp,host=web-01 ${50 + i} ${now - (4 - i) * 10_000}\nhttp.requests,route=/a count,delta=${i + 1}\n`,
          TEXT,
        );
      await post(
        server.url + '/api/v2/metrics/ingest',
        'cpu.temp,host=web-01 61.5\nbad key,host=web-01 1\nreq.duration gauge,min=3,max=1,sum=8,count=4\n',
        TEXT,
      );
      await post(
        server.url + '/platform/ingest/v1/events',
        JSON.stringify([{ 'event.type': 'CUSTOM_INFO', title: 'cache warmed', timestamp: 'not-a-time' }]),
        JSON_TYPE,
      );
      await post(server.url + '/platform/ingest/v1/smartscape.events', JSON.stringify([{ type: 'bad type', id_components: [{ a: 'b' }] }]), JSON_TYPE);
      await post(server.url + '/api/v2/metrics/ingest', 'x'.repeat(2 * 1024 * 1024), TEXT);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await empty?.close();
    });

    for (const scheme of ['light', 'dark'] as const) {
      it(`has no violation in any view (${scheme})`, async () => {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: scheme });
        const found: string[] = [];
        const check = async (view: string): Promise<void> => {
          const v = await violations(page);
          if (v.length > 0) found.push(`${view}:\n${say(v)}`);
        };
        try {
          await page.goto(empty.url + '/');
          await page.waitForSelector('[data-connection="live"]');
          await page.waitForSelector('.list-scroll .empty');
          await check('empty list');
          await page.goto(server.url + '/?id=5');
          await page.waitForSelector('.code .problem');
          await page.waitForSelector('.summary .chip');
          await check('list and detail (body)');
          await page.click('button[data-action="next-problem"]');
          await check('body, current problem');
          for (const tab of ['answer', 'headers', 'fix']) {
            await page.click(`button[data-tab="${tab}"]`);
            await page.waitForTimeout(200);
            await check(`detail (${tab})`);
          }
          await page.click('table.requests tr[data-id="8"]');
          await page.waitForSelector('.detail-head .reason-line');
          await check('a 413');
          await page.click('button[data-action="clear"]');
          await check('clear, asking');
          await page.click('.confirm button:has-text("cancel")');
          await page.keyboard.press('?');
          await page.waitForSelector('[role="dialog"]');
          await check('shortcuts');
          await page.keyboard.press('Escape');
          await page.click('button[data-view="metrics"]');
          await page.waitForSelector('.metric-key');
          await check('metrics');
          await page.click('button[data-view="events"]');
          await page.waitForSelector('.events-table tbody tr');
          await check('events');
          await page.goto(server.url + '/playground');
          await page.waitForSelector('textarea');
          await page.waitForTimeout(500);
          await check('playground');
        } finally {
          await page.close();
        }
        expect(found.join('\n\n')).toBe('');
      });
    }
  });
}
