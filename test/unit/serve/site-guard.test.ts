/**
 * Issue 21 items 2 and 5, the attack scenarios kept as tests: DNS rebinding (a page whose name
 * resolves to 127.0.0.1 sends its own name as Host) against every route that is not an ingest route,
 * and cross-site writes (a page posting a "simple" request, which needs no preflight) against the
 * ingest, control and inspector routes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer, type ServeOptions } from '../../../src/serve/index.js';
import { createSiteGuard, hostOfHeader } from '../../../src/serve/guard.js';
import { isLoopbackHost, resolveServeOptions } from '../../../src/serve/options.js';
import { parseServeArgs } from '../../../src/cli/commands/serve.js';
import { Started, TEXT, send } from './helpers.js';

const API = '/_dt-ingest/ui/api/';
const started = new Started();
afterEach(() => started.closeAll());

async function serve(options: ServeOptions = {}): Promise<RunningServer> {
  const s = await startServer({ port: 0, ui: true, ...options });
  started.servers.push(s);
  return s;
}

/** Names a rebinding page can make resolve to 127.0.0.1 (or that only start or end like a loopback name). */
const REBINDING = [
  '127.evil.example',
  '127.0.0.1.nip.io',
  'localhost.evil',
  'localhost.',
  'evil-localhost',
  '127.0.0.1.',
  '0x7f.0.0.1',
  '[::1].evil',
  'evil.example',
  '127.0.0.1@evil.example',
];

describe('Host header parsing', () => {
  it('strips the port, ignores case, keeps IPv6 brackets, refuses malformed headers', () => {
    expect(hostOfHeader('LocalHost:8080')).toBe('localhost');
    expect(hostOfHeader('127.0.0.1')).toBe('127.0.0.1');
    expect(hostOfHeader('[::1]:9')).toBe('[::1]');
    expect(hostOfHeader('127.0.0.1:80:80')).toBeUndefined();
    expect(hostOfHeader('127.0.0.1:x')).toBeUndefined();
    expect(hostOfHeader('[::1')).toBeUndefined();
    expect(hostOfHeader(':80')).toBeUndefined();
    expect(hostOfHeader(undefined)).toBeUndefined();
  });

  it('the allow-list is exact: loopback names, the bound address, --allow-host names; never a prefix', () => {
    const guard = createSiteGuard(resolveServeOptions({ host: '10.1.2.3', allowHost: ['Dev.Box', '[fe80::1]:8080'] }));
    expect([...guard.hosts].sort()).toEqual(['10.1.2.3', '127.0.0.1', '[::1]', '[fe80::1]', 'dev.box', 'localhost']);
    const ok = (host: string): boolean => guard.hostAllowed({ headers: { host } } as never);
    expect(ok('DEV.BOX:1')).toBe(true);
    expect(ok('10.1.2.3:80')).toBe(true);
    for (const name of REBINDING) expect(ok(name), name).toBe(false);
    expect(ok('dev.box.evil')).toBe(false);
  });

  it('a bound address is loopback only as a whole address', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('127.evil.example')).toBe(false);
    expect(isLoopbackHost('127.0.0.1.nip.io')).toBe(false);
  });
});

describe('DNS rebinding: every route but the ingest routes and /healthz checks Host', () => {
  it('a rebinding name reads nothing and clears nothing; loopback names and --allow-host names do', async () => {
    const s = await serve({ allowHost: ['dev.box'] });
    expect((await send(s.url + '/api/v2/metrics/ingest', 'POST', 'kept.metric 1\n', TEXT)).status).toBe(202);
    const routes: [string, string][] = [
      ['GET', '/'],
      ['GET', '/playground'],
      ['GET', API + 'requests'],
      ['GET', API + 'requests/1'],
      ['GET', API + 'requests/1/body'],
      ['GET', API + 'export'],
      ['GET', API + 'stream'],
      ['DELETE', API + 'requests'],
      ['GET', '/metrics'],
      ['GET', '/_dt-ingest/received'],
      ['DELETE', '/_dt-ingest/received'],
    ];
    for (const name of REBINDING) {
      for (const [method, path] of routes) {
        const r = await send(s.url + path, method, undefined, { host: `${name}:${s.port}` });
        expect(r.status, `${method} ${path} Host ${name}`).toBe(403);
        expect(r.text).not.toContain('kept.metric');
      }
    }
    // nothing was cleared
    const received = await send(s.url + '/_dt-ingest/received', 'GET');
    expect(received.status).toBe(200);
    expect(received.text).toContain('kept.metric');
    for (const host of [`localhost:${s.port}`, `LOCALHOST:${s.port}`, `127.0.0.1:${s.port}`, `[::1]:${s.port}`, `dev.box:${s.port}`]) {
      expect((await send(s.url + API + 'requests', 'GET', undefined, { host })).status, host).toBe(200);
      expect((await send(s.url + '/metrics', 'GET', undefined, { host })).status, host).toBe(200);
    }
    // probes reach /healthz by any name; the ingest routes answer every name
    expect((await send(s.url + '/healthz', 'GET', undefined, { host: 'evil.example' })).status).toBe(200);
    expect((await send(s.url + '/api/v2/metrics/ingest', 'POST', 'a.b 1', { ...TEXT, host: 'evil.example' })).status).toBe(202);
  });
});

describe('cross-site writes', () => {
  it('an ingest post from another origin is refused with a clear 403 and nothing is stored; clients without Origin are served', async () => {
    const s = await serve();
    const evil = await send(s.url + '/api/v2/metrics/ingest', 'POST', 'attack.metric 1\n', { ...TEXT, origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.json()).toEqual({ error: { code: 403, message: expect.stringContaining("Origin 'https://evil.example'") } });
    expect(evil.text).toContain('--allow-origin');
    const json = await send(s.url + '/platform/ingest/v1/events', 'POST', '{"title":"x"}', { 'content-type': 'text/plain', origin: 'null' });
    expect(json.status).toBe(403);
    // another local app (another port) is another origin
    const local = await send(s.url + '/api/v2/metrics/ingest', 'POST', 'attack.metric 1\n', { ...TEXT, origin: 'http://localhost:3000' });
    expect(local.status).toBe(403);
    expect((await send(s.url + '/api/v2/metrics/ingest', 'POST', 'real.client 1\n', TEXT)).status).toBe(202);
    // the server's own pages are its own origin
    const own = await send(s.url + '/api/v2/metrics/ingest', 'POST', 'own.page 1\n', { ...TEXT, origin: `http://127.0.0.1:${s.port}` });
    expect(own.status).toBe(202);
    const items = (await send(s.url + '/_dt-ingest/received', 'GET')).json() as { metrics: { items: string[] } };
    expect(items.metrics.items).toEqual(['real.client 1', 'own.page 1']);
  });

  it('--allow-origin lets a named origin write (repeatable on the command line)', async () => {
    const s = await serve({ allowOrigin: ['https://app.example', 'HTTP://Other.Example/'] });
    expect((await send(s.url + '/api/v2/metrics/ingest', 'POST', 'a.b 1\n', { ...TEXT, origin: 'https://app.example' })).status).toBe(202);
    expect((await send(s.url + '/api/v2/metrics/ingest', 'POST', 'a.b 1\n', { ...TEXT, origin: 'http://other.example' })).status).toBe(202);
    expect((await send(s.url + '/api/v2/metrics/ingest', 'POST', 'a.b 1\n', { ...TEXT, origin: 'https://app.example.evil' })).status).toBe(403);
    const o = parseServeArgs(['--allow-origin', 'https://a.example', '--allow-origin=https://b.example,https://c.example', '--allow-host', 'dev.box']);
    expect(o.allowOrigin).toEqual(['https://a.example', 'https://b.example', 'https://c.example']);
    expect(o.allowHost).toEqual(['dev.box']);
    expect(() => resolveServeOptions({ allowOrigin: 'x' as never })).toThrow(/allowOrigin must be an array/);
  });

  it('DELETE of the store or the list from another origin is refused; from the own page it works', async () => {
    const s = await serve();
    await send(s.url + '/api/v2/metrics/ingest', 'POST', 'kept.metric 1\n', TEXT);
    expect((await send(s.url + '/_dt-ingest/received', 'DELETE', undefined, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await send(s.url + API + 'requests', 'DELETE', undefined, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await send(s.url + '/_dt-ingest/received', 'GET')).text).toContain('kept.metric');
    expect((await send(s.url + API + 'requests', 'DELETE', undefined, { origin: `http://127.0.0.1:${s.port}` })).status).toBe(204);
    expect((await send(s.url + '/_dt-ingest/received', 'GET')).text).not.toContain('kept.metric');
  });

  it('CSP reports: refused from another origin, and at most cspReportsPerMinute counted', async () => {
    const s = await serve();
    const report = JSON.stringify({ 'csp-report': { 'violated-directive': 'script-src' } });
    const type = { 'content-type': 'application/csp-report' };
    expect((await send(s.url + API + 'csp-report', 'POST', report, { ...type, origin: 'https://evil.example' })).status).toBe(403);
    expect(s.handler.inspector!.cspViolations).toBe(0);
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) statuses.push((await send(s.url + API + 'csp-report', 'POST', report, type)).status);
    expect(statuses.filter((x) => x === 204)).toHaveLength(60);
    expect(statuses.slice(60)).toEqual(Array(10).fill(429));
    expect(s.handler.inspector!.cspViolations).toBe(60);
  });
});
