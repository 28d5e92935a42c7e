/**
 * Helpers of the serve tests: a local upstream stub, raw requests, and the esbuild bundle of the CLI
 * for child-process tests. Loopback only.
 */
import http from 'node:http';
import { buildSync } from 'esbuild';
import { NATIVE_DEFINE } from '../../helpers/native-define.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface StubAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
}

/** A second local server standing in for the real environment. */
export interface Upstream {
  url: string;
  requests: StubRequest[];
  /** Decides each answer (default 202 with a metrics-like body). */
  answer: (req: StubRequest, index: number) => StubAnswer | Promise<StubAnswer>;
  close(): Promise<void>;
}

export async function startUpstream(answer?: Upstream['answer']): Promise<Upstream> {
  const requests: StubRequest[] = [];
  const up: Upstream = {
    url: '',
    requests,
    answer: answer ?? (() => ({ status: 202, body: { linesOk: 1, linesInvalid: 0, error: null, warnings: null } })),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: StubRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      const index = requests.length;
      requests.push(r);
      void Promise.resolve(up.answer(r, index)).then(async (a) => {
        if (a.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, a.delayMs));
        const text = a.body === undefined || a.body === null ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
        res.writeHead(a.status, { 'content-type': 'application/json', ...(a.headers ?? {}) });
        res.end(text);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  up.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return up;
}

/** A port that nothing listens on (bound, then closed). */
export async function deadPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: () => unknown;
}

/** One request with `node:http` (no connection reuse, nothing added to the headers). */
export function send(url: string, method: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const TEXT = { 'content-type': 'text/plain; charset=utf-8' };
export const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

let bundle: string | undefined;

/**
 * Builds the CLI with esbuild once per test file and writes an entry script that runs it; returns the
 * entry's path (spawn it with `node entry serve ...`).
 */
export function cliEntry(): string {
  if (bundle !== undefined) return bundle;
  // inside the package (node_modules/.cache), so the bundle finds the native addon and
  // node-gyp-build as the installed package does, and DT_INGEST_NATIVE=1 runs hold in the child too
  const cache = join(fileURLToPath(new URL('../../../node_modules/.cache/', import.meta.url)));
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'dt-ingest-serve-'));
  const out = join(dir, 'cli.mjs');
  buildSync({ entryPoints: ['src/cli/main.ts'], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'error', define: NATIVE_DEFINE });
  const entry = join(dir, 'entry.mjs');
  writeFileSync(entry, `import { runCli } from ${JSON.stringify(out)};\nrunCli(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n`);
  bundle = entry;
  return entry;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Servers and upstreams a test file starts, closed after each test (call `closeAll` in `afterEach`).
 */
export class Started {
  servers: { close(): Promise<void> }[] = [];
  upstreams: Upstream[] = [];
  async closeAll(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.close()));
    await Promise.all(this.upstreams.map((u) => u.close()));
    this.servers = [];
    this.upstreams = [];
  }
}
