import http from 'node:http';
import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../../src/serve/index.js';
import { TEXT, cliEntry, send, sleep } from './helpers.js';

/** Sends a chunked body slowly; resolves with the answer status (or -1 when the connection was cut). */
function slowPost(url: string, chunks: string[], gapMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = http.request(`${url}/api/v2/metrics/ingest`, { method: 'POST', headers: TEXT, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', () => resolve({ status: -1, text: '' }));
    let i = 0;
    const tick = (): void => {
      if (req.destroyed) return;
      if (i === chunks.length) {
        req.end();
        return;
      }
      req.write(chunks[i++]);
      setTimeout(tick, gapMs);
    };
    tick();
  });
}

describe('robustness', () => {
  it('serves a client that sends slowly within the request timeout', async () => {
    const s = await startServer({ requestTimeoutMs: 3000 });
    try {
      const r = await slowPost(s.url, ['cpu.t', 'emp,host=a 4', '2\ncpu.lo', 'ad 1.5\n'], 80);
      expect(r.status).toBe(202);
      expect(s.handler.store.snapshot().metrics.items).toEqual(['cpu.temp,host=a 42', 'cpu.load 1.5']);
    } finally {
      await s.close();
    }
  });

  it('answers 408 to a client slower than the request timeout', async () => {
    const s = await startServer({ requestTimeoutMs: 300 });
    try {
      const r = await slowPost(
        s.url,
        Array.from({ length: 40 }, () => 'a.b.c 1\n'),
        50,
      );
      expect([408, -1]).toContain(r.status);
      // 408, not 202: the server answered before the slow client had sent the whole body
      expect(r.status).toBe(408);
    } finally {
      await s.close();
    }
  });

  it('answers 431 to a request head over the header limit', async () => {
    const s = await startServer({ maxHeaderBytes: 1024 });
    try {
      const r = await send(`${s.url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1', { ...TEXT, 'x-big': 'x'.repeat(4096) });
      expect(r.status).toBe(431);
    } finally {
      await s.close();
    }
  });

  it('answers 413 as soon as a streamed body passes the limit, without reading the rest', async () => {
    const limit = 64 * 1024;
    const s = await startServer({ metrics: { maxBodyBytes: limit } });
    const sockets: net.Socket[] = [];
    s.server.on('connection', (sock: net.Socket) => sockets.push(sock));
    try {
      const total = 16 * 1024 * 1024;
      const chunk = Buffer.from('a.b.c 1\n'.repeat(2048)); // 16 KiB
      const result = await new Promise<{ head: string; sentAtAnswer: number; sentTotal: number }>((resolve) => {
        const sock = net.connect(s.port, '127.0.0.1');
        let sent = 0;
        let sentAtAnswer = -1;
        let head = '';
        let stop = false;
        const done = (): void => resolve({ head, sentAtAnswer, sentTotal: sent });
        sock.on('data', (d: Buffer) => {
          head += d.toString('latin1');
          if (sentAtAnswer < 0) sentAtAnswer = sent;
          stop = true;
        });
        sock.on('error', () => {
          stop = true;
        });
        sock.on('close', done);
        sock.write(`POST /api/v2/metrics/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n`);
        const pump = (): void => {
          while (!stop && sent < total) {
            sent += chunk.length;
            const ok = sock.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
            if (!ok) {
              sock.once('drain', pump);
              return;
            }
            if (sent % (256 * 1024) === 0) {
              setTimeout(pump, 1);
              return;
            }
          }
          if (!stop) sock.end('0\r\n\r\n');
        };
        pump();
      });
      expect(result.head.slice(0, 200)).toMatch(/^HTTP\/1\.1 413/);
      expect(result.head.toLowerCase()).toContain('connection: close');
      // the answer came while the client was still sending, and the server read a small part only
      expect(result.sentAtAnswer).toBeGreaterThan(0);
      expect(result.sentAtAnswer).toBeLessThan(total / 4);
      const read = sockets.reduce((n, x) => n + x.bytesRead, 0);
      expect(read).toBeLessThan(1024 * 1024);
      const m = (await send(`${s.url}/metrics`, 'GET')).text;
      expect(m).toContain('dt_ingest_requests_total{route="metrics",status="413"} 1');
    } finally {
      await s.close();
    }
  });

  it('close() lets a request in flight finish', async () => {
    const s = await startServer({ latencyMs: 300 });
    const pending = send(`${s.url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1\n', TEXT);
    await sleep(100);
    const closing = s.close();
    const r = await pending;
    expect(r.status).toBe(202);
    expect(r.headers.connection).toBe('close');
    await closing;
    await expect(send(`${s.url}/healthz`, 'GET')).rejects.toThrow();
  });
});

describe('CLI process', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.pid !== undefined) c.kill('SIGKILL');
  });

  function startCli(args: string[]): Promise<{ child: ChildProcess; url: string; exit: Promise<number | null> }> {
    const child = spawn(process.execPath, [cliEntry(), 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const at = out.indexOf('http://');
        if (at >= 0 && out.indexOf(' ', at) > 0) resolve({ child, url: out.slice(at, out.indexOf(' ', at)), exit });
      });
      void exit.then((code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
  }

  it('finishes the request in flight on SIGTERM and exits 0', async () => {
    const { child, url, exit } = await startCli(['--port', '0', '--latency-ms', '600']);
    const pending = send(`${url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1\n', TEXT);
    await sleep(200);
    child.kill('SIGTERM');
    const r = await pending;
    expect(r.status).toBe(202);
    expect(await exit).toBe(0);
  });

  it('rejects a usage mistake with exit code 2', async () => {
    const child = spawn(process.execPath, [cliEntry(), 'serve', '--mode', 'proxy'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err.trim()).toBe('dt-ingest: proxy mode needs an upstream URL');
  });

  it('--workers 2 serves one port from two processes and stops on SIGTERM', async () => {
    const { child, url, exit } = await startCli(['--port', '0', '--workers', '2']);
    const pids = new Set<number>();
    // each request on a new connection: the primary hands connections round-robin
    for (let i = 0; i < 40 && pids.size < 2; i++) {
      const r = await send(`${url}/healthz`, 'GET');
      pids.add((r.json() as { pid: number }).pid);
    }
    for (let i = 0; i < 4; i++) expect((await send(`${url}/api/v2/metrics/ingest`, 'POST', 'a.b.c 1\n', TEXT)).status).toBe(202);
    expect(pids.size).toBe(2);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
