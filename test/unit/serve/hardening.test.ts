/**
 * The server under hostile or careless use: connections that send nothing, clients that hang up
 * while the proxy works, a worker that keeps crashing, a token required on every route, custom
 * device ids that are no path segment, and a record file that cannot be written.
 */
import http from 'node:http';
import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../src/serve/index.js';
import { RestartBudget } from '../../../src/cli/commands/serve.js';
import { JSON_TYPE, TEXT, cliEntry, deadPort, send, sleep, startUpstream, Started } from './helpers.js';

const started = new Started();
afterEach(() => started.closeAll());

async function server(options: Parameters<typeof startServer>[0]): Promise<RunningServer> {
  const s = await startServer(options);
  started.servers.push(s);
  return s;
}

describe('connections that send nothing', () => {
  it('are closed after the header timeout, and do not hold up shutdown', async () => {
    const s = await server({ headersTimeoutMs: 300, shutdownTimeoutMs: 40_000 });
    const t0 = performance.now();
    const closedAt = await new Promise<number>((resolve) => {
      const sock = net.connect(s.port, '127.0.0.1');
      sock.on('error', () => {});
      sock.on('close', () => resolve(performance.now() - t0));
    });
    // closed by the header timeout (a connection never closed would leave this test waiting)
    expect(closedAt).toBeGreaterThanOrEqual(250);
    // a request on a fresh connection still works, and a silent connection does not delay close()
    expect((await send(`${s.url}/healthz`, 'GET')).status).toBe(200);
    const silent = net.connect(s.port, '127.0.0.1');
    silent.on('error', () => {});
    await new Promise((resolve) => silent.once('connect', resolve));
    const c0 = performance.now();
    await s.close();
    // close() did not wait out shutdownTimeoutMs (40 s): half of it is a bound no busy machine reaches
    expect(performance.now() - c0).toBeLessThan(20_000);
  });

  it('a connection that sent a request is kept alive as usual', async () => {
    const s = await server({ headersTimeoutMs: 200, keepAliveTimeoutMs: 5_000 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (): Promise<number> =>
      new Promise((resolve, reject) => {
        http
          .get(`${s.url}/healthz`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          })
          .on('error', reject);
      });
    expect(await get()).toBe(200);
    await sleep(400);
    expect(await get()).toBe(200);
    agent.destroy();
  });
});

describe('maxConcurrent counts work, not sockets', () => {
  it('a client that hangs up stops its upstream request; inFlight tells the truth', async () => {
    // an upstream that never answers, and notes when the proxy gives a request up
    let open = 0;
    let most = 0;
    let abandoned = 0;
    const up = http.createServer((req) => {
      open++;
      most = Math.max(most, open);
      req.resume();
      req.socket.once('close', () => {
        open--;
        abandoned++;
      });
    });
    await new Promise<void>((resolve) => up.listen(0, '127.0.0.1', resolve));
    const upUrl = `http://127.0.0.1:${(up.address() as net.AddressInfo).port}`;
    try {
      const s = await server({ mode: 'proxy', upstream: upUrl, maxConcurrent: 4, upstreamTimeoutMs: 30_000 });
      const clients: http.ClientRequest[] = [];
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const req = http.request(`${s.url}/api/v2/metrics/ingest`, { method: 'POST', headers: TEXT, agent: false }, (res) => {
          statuses.push(res.statusCode ?? 0);
          res.resume();
        });
        req.on('error', () => {});
        req.end('a.b.c 1\n');
        clients.push(req);
        await sleep(10);
      }
      await sleep(200);
      // four at work upstream, the other eight answered 503 at once
      expect(statuses.filter((x) => x === 503)).toHaveLength(8);
      expect(s.handler.inFlight).toBe(4);
      expect(((await send(`${s.url}/healthz`, 'GET')).json() as { inFlight: number }).inFlight).toBe(4);
      expect(open).toBe(4);
      // the clients hang up: their upstream requests are given up, and only then the slots are free
      for (const c of clients) c.destroy();
      for (let i = 0; i < 50 && (s.handler.inFlight > 0 || open > 0); i++) await sleep(20);
      expect(s.handler.inFlight).toBe(0);
      expect(open).toBe(0);
      expect(abandoned).toBe(4);
      expect(most).toBe(4);
      const m = (await send(`${s.url}/metrics`, 'GET')).text;
      expect(m).toContain('dt_ingest_requests_total{route="metrics",status="499"} 4');
    } finally {
      up.closeAllConnections();
      await new Promise<void>((resolve) => up.close(() => resolve()));
    }
  });
});

describe('--require-token', () => {
  it('guards every route but /healthz: the record and the counters included', async () => {
    const s = await server({ requireToken: true });
    const auth = { authorization: 'Api-Token dt0c01.X' };
    for (const [method, path] of [
      ['GET', '/_dt-ingest/received'],
      ['DELETE', '/_dt-ingest/received'],
      ['GET', '/metrics'],
      ['HEAD', '/metrics'],
    ] as const) {
      const r = await send(`${s.url}${path}`, method);
      expect(r.status, `${method} ${path}`).toBe(401);
      if (method !== 'HEAD') expect(r.json()).toEqual({ error: { code: 401, message: 'Missing authorization parameter.' } });
      expect((await send(`${s.url}${path}`, method, undefined, auth)).status, `${method} ${path} with a token`).toBeLessThan(300);
    }
    expect((await send(`${s.url}/healthz`, 'GET')).status).toBe(200);
    for (const path of ['/api/v2/metrics/ingest', '/metrics/ingest', '/platform/classic/environment-api/v2/metrics/ingest']) {
      expect((await send(`${s.url}${path}`, 'POST', 'a.b.c 1', TEXT)).status, path).toBe(401);
    }
  });
});

/** A POST with the path as it is (a URL object would normalise `..` and `%2e%2e` away). */
function rawPost(base: string, path: string, body: string): Promise<{ status: number; json: () => unknown }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname: u.hostname, port: u.port, path, method: 'POST', headers: JSON_TYPE, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('custom device ids that are no path segment', () => {
  const bad = ['..', '.', '%2e%2e', '%2E', 'a%2Fb', '%2F', 'a%5Cb', '..%2F..%2Fapi'];

  it("mock: 400 from the validator's rule, nothing kept", async () => {
    const s = await server({});
    for (const id of bad) {
      const r = await rawPost(s.url, `/api/v1/entity/infrastructure/custom/${id}`, '{"displayName":"x"}');
      expect(r.status, id).toBe(400);
      const e = r.json() as { error: { message: string; constraintViolations: { path: string; message: string; parameterLocation: string }[] } };
      expect(e.error.constraintViolations).toContainEqual({
        path: 'customDeviceId',
        message: "must be a single path segment: not '.' or '..', without '/' or '\\'",
        parameterLocation: 'PATH',
        location: null,
      });
    }
    expect(s.handler.store.snapshot()['custom-device'].total).toBe(0);
  });

  it('proxy: never forwarded; a valid id is forwarded encoded as one segment', async () => {
    const up = await startUpstream(() => ({ status: 200, body: { entityId: 'CUSTOM_DEVICE-1', groupId: 'CUSTOM_DEVICE_GROUP-1' } }));
    started.upstreams.push(up);
    const s = await server({ mode: 'proxy', upstream: up.url + '/e/env1' });
    for (const id of bad) expect((await rawPost(s.url, `/api/v1/entity/infrastructure/custom/${id}`, '{}')).status, id).toBe(400);
    expect(up.requests).toHaveLength(0);
    const ok = await send(`${s.url}/api/v1/entity/infrastructure/custom/my%20dev%3F%23%25?x=1`, 'POST', '{}', JSON_TYPE);
    expect(ok.status).toBe(200);
    expect(up.requests.map((r) => r.url)).toEqual(['/e/env1/api/v1/entity/infrastructure/custom/my%20dev%3F%23%25?x=1']);
  });
});

describe('proxy: JSON bodies without an upstream answer', () => {
  it('says whether the body may have been stored', async () => {
    const up = await startUpstream(() => ({ status: 202, delayMs: 1_000 }));
    started.upstreams.push(up);
    const late = await server({ mode: 'proxy', upstream: up.url, upstreamTimeoutMs: 100 });
    const r = await send(`${late.url}/platform/ingest/v1/events`, 'POST', '{"event.type":"CUSTOM_INFO","title":"x"}', JSON_TYPE);
    expect(r.status).toBe(504);
    expect((r.json() as { error: { message: string } }).error.message).toContain('may have stored it');
    const down = await server({ mode: 'proxy', upstream: `http://127.0.0.1:${await deadPort()}`, retryCount: 1, retryBaseMs: 1 });
    const d = await send(`${down.url}/platform/ingest/v1/events`, 'POST', '{"event.type":"CUSTOM_INFO","title":"x"}', JSON_TYPE);
    expect(d.status).toBe(502);
    expect((d.json() as { error: { message: string } }).error.message).toContain('nothing was forwarded');
  });
});

describe('the record file', () => {
  it('that cannot be opened is a start-up error naming it', async () => {
    await expect(startServer({ record: '/no/such/dir/r.ndjson' })).rejects.toThrow("cannot open the record file '/no/such/dir/r.ndjson': no such directory");
    await expect(startServer({ mode: 'proxy', upstream: 'http://127.0.0.1:1', record: 'x.ndjson' })).rejects.toThrow(/record applies to mock mode only/);
  });
});

describe('the worker restart budget', () => {
  it('allows N restarts in any minute, then spaces them', () => {
    let now = 0;
    const b = new RestartBudget(2, () => now);
    expect(b.take()).toBe(0);
    now = 10_000;
    expect(b.take()).toBe(0);
    now = 20_000;
    expect(b.take()).toBe(40_000); // the first restart leaves the window at 60 s
    expect(b.take()).toBe(50_000); // the second at 70 s
    now = 200_000;
    expect(b.take()).toBe(0);
  });
});

describe('CLI process', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.pid !== undefined) c.kill('SIGKILL');
  });

  function run(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
    const child = spawn(process.execPath, [cliEntry(), 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, out: () => out, err: () => err, exit };
  }

  it('an unwritable --record file: exit 2 and one clear line', async () => {
    const c = run(['--record', '/no/such/dir/r.ndjson']);
    expect(await c.exit).toBe(2);
    expect(c.err()).toBe("dt-ingest: cannot open the record file '/no/such/dir/r.ndjson': no such directory\n");
    expect(c.out()).toBe('');
  });

  it('--workers: a worker that keeps dying is restarted within the budget, with a log line, never a silent stop', async () => {
    const port = await deadPort();
    const url = `http://127.0.0.1:${port}`;
    const c = run(['--port', String(port), '--workers', '2', '--worker-restarts-per-minute', '1']);
    for (let i = 0; i < 100 && !c.out().includes('listening'); i++) await sleep(50);
    expect(c.out()).toContain(url);
    /** The pids answering, polled until `n` distinct ones were seen (connections are handed round-robin). */
    const pids = async (n: number): Promise<Set<number>> => {
      const seen = new Set<number>();
      for (let i = 0; i < 200 && seen.size < n; i++) {
        try {
          seen.add(((await send(`${url}/healthz`, 'GET')).json() as { pid: number }).pid);
        } catch {
          await sleep(20);
        }
      }
      return seen;
    };
    const [first, other] = [...(await pids(2))];
    process.kill(first!, 'SIGKILL');
    for (let i = 0; i < 100 && !c.err().includes('starting another'); i++) await sleep(50);
    expect(c.err()).toContain(`worker ${first} exited (signal SIGKILL); starting another`);
    // wait for the new worker, then kill it: a second crash within the minute waits, and says so
    let fresh: number | undefined;
    for (let i = 0; i < 50 && fresh === undefined; i++) fresh = [...(await pids(2))].find((p) => p !== first && p !== other);
    expect(fresh).toBeDefined();
    process.kill(fresh!, 'SIGKILL');
    for (let i = 0; i < 100 && !c.err().includes('is spent'); i++) await sleep(50);
    expect(c.err()).toMatch(
      new RegExp(`worker ${fresh} exited \\(signal SIGKILL\\); the budget of 1 restart a minute is spent, so the next one starts in [1-6]?\\d s\\n`),
    );
    // still serving, and still stops cleanly
    expect((await send(`${url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1\n', TEXT)).status).toBe(202);
    c.child.kill('SIGTERM');
    expect(await c.exit).toBe(0);
  });
});
