/**
 * Helpers of the inspector's volume tests and of its page benchmark (bench/inspector-page.mjs uses
 * the same shapes): many requests sent fast, the bodies the cases describe, and what the
 * page holds (DOM nodes, rows drawn).
 */
import http from 'node:http';
import type { Page } from 'playwright-core';

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

/** POSTs a body; resolves with the status. */
export function post(url: string, body: string, headers: Record<string, string>, agent?: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers, agent: agent ?? false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The n-th request of a mixed stream: valid and invalid metrics, generic events, a 404. */
export function mixed(i: number): { path: string; body: string; headers: Record<string, string> } {
  switch (i % 5) {
    case 0:
      return { path: '/api/v2/metrics/ingest', body: `cpu.temp,host=h${i % 7} ${i % 90}\n`, headers: TEXT };
    case 1:
      return { path: '/api/v2/metrics/ingest', body: `mem.used,host=h${i % 3} 1\nbad key ${i}\n`, headers: TEXT };
    case 2:
      return { path: '/platform/ingest/v1/events', body: JSON.stringify({ 'event.type': 'CUSTOM_INFO', title: `e${i}` }), headers: JSON_TYPE };
    case 3:
      return { path: '/api/v2/metrics/ingest', body: `disk.free,host=h${i % 5} gauge,min=3,max=1,sum=8,count=4\n`, headers: TEXT };
    default:
      return { path: '/no/such/endpoint', body: '', headers: TEXT };
  }
}

/** Sends `n` requests of the mixed stream, `concurrency` at a time over kept-alive connections. */
export async function sendMany(url: string, n: number, concurrency = 8, from = 0): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = from;
  const worker = async (): Promise<void> => {
    while (next < from + n) {
      const r = mixed(next++);
      await post(url + r.path, r.body, r.headers, agent);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
}

/** Generic events with an invalid timestamp each, as one line of minified JSON. */
export function badTimestamps(n: number): string {
  return JSON.stringify(Array.from({ length: n }, (_, i) => ({ 'event.type': 'CUSTOM_INFO', title: `event ${i}`, timestamp: 'not-a-time' })));
}

/** About `bytes` of generic events, one per line, every 1,000th with an invalid timestamp. */
export function largeEvents(bytes: number): string {
  const lines: string[] = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const e = JSON.stringify({
      'event.type': 'CUSTOM_INFO',
      title: `event number ${i} of a large body`,
      properties: { n: String(i), pad: 'x'.repeat(60) },
      ...(i % 1000 === 999 ? { timestamp: 'not-a-time' } : {}),
    });
    lines.push(e);
    size += e.length + 2;
  }
  return `[\n${lines.join(',\n')}\n]`;
}

/** A metrics body of `n` valid lines with invalid lines at `bad` (1-based line numbers). */
export function linesWithProblems(n: number, bad: readonly number[]): string {
  const wrong = new Set(bad);
  const out: string[] = [];
  for (let i = 1; i <= n; i++) out.push(wrong.has(i) ? `bad key ${i}` : `line.ok,n=${i % 10} ${i}`);
  return out.join('\n') + '\n';
}

/** What the page holds now: elements in all, request rows and body rows drawn. */
export function pageCounts(page: Page): Promise<{ nodes: number; listRows: number; codeRows: number; listHeight: number; codeHeight: number }> {
  return page.evaluate(() => ({
    nodes: document.getElementsByTagName('*').length,
    listRows: document.querySelectorAll('table.requests tbody tr[data-id], table.requests tbody tr.placeholder').length,
    codeRows: document.querySelectorAll('.code .vrow').length,
    listHeight: document.querySelector('.list-scroll')?.clientHeight ?? 0,
    codeHeight: document.querySelector('.code')?.clientHeight ?? 0,
  }));
}

/**
 * POSTs from the page itself and times until the row of the new request is in the list and painted
 * (the next animation frame after it appeared), with the page's own clock.
 */
export function timePostToRow(page: Page, path: string, body: string): Promise<number> {
  return page.evaluate(
    async ({ path, body }) => {
      const before = new Set(Array.from(document.querySelectorAll('table.requests tbody tr[data-id]'), (r) => r.getAttribute('data-id')));
      const t0 = performance.now();
      const appeared = new Promise<void>((resolve) => {
        const seen = (): boolean =>
          Array.from(document.querySelectorAll('table.requests tbody tr[data-id]')).some((r) => !before.has(r.getAttribute('data-id')));
        const obs = new MutationObserver(() => {
          if (seen()) {
            obs.disconnect();
            resolve();
          }
        });
        obs.observe(document.body, { childList: true, subtree: true });
      });
      await fetch(path, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body });
      await appeared;
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      return performance.now() - t0;
    },
    { path, body },
  );
}

/** Median and 95th percentile. */
export function quantiles(xs: readonly number[]): { p50: number; p95: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1]! };
}
