/**
 * Child of inspector-memory.test.ts (run with --expose-gc): a mock server with the inspector on, then
 * N posts of 1 MB bodies whose answers are megabytes (every `a.b count,delta=1` line is rewritten to
 * `a.b.count`, one warning each). Prints the memory after a full collection, before and after, as JSON.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createIngestHandler } from '../../../../src/serve/index.js';

const requests = Number(process.argv[2] ?? 300);
const receivedLimit = Number(process.argv[3] ?? 1000);
const line = 'a.b count,delta=1\n';
const body = Buffer.from(line.repeat(Math.floor(1_048_576 / line.length)), 'utf8');
const gc = (globalThis as { gc?: () => void }).gc!;

function post(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { port, host: '127.0.0.1', method: 'POST', path: '/api/v2/metrics/ingest', headers: { 'content-type': 'text/plain' }, agent: false },
      (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => resolve(n));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function used(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const handler = createIngestHandler({ mode: 'mock', ui: true, receivedLimit });
const server = http.createServer(handler);
server.listen(0, '127.0.0.1', async () => {
  const port = (server.address() as AddressInfo).port;
  const before = used();
  let answerBytes = 0;
  for (let i = 0; i < requests; i++) answerBytes = await post(port);
  const after = used();
  const listed = handler.inspector!.log.list().length;
  process.stdout.write(JSON.stringify({ before, after, answerBytes, listed, keptBytes: handler.inspector!.log.bytesKept, bodyBytes: body.length }));
  server.close();
  await handler.close();
});
