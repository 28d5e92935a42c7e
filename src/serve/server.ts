/**
 * `startServer(options)`: the ingest handler on a `node:http` server with the robustness limits of
 * the options table (request and header timeouts, header size, connections that never send a
 * request) and a graceful `close()` that lets requests in flight finish. Signals are handled by the
 * CLI only, never here.
 *
 * @module
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createIngestHandler, type IngestHandler } from './handler.js';
import type { ServeOptions } from './options.js';

/**
 * A running server.
 * @example const { url, close } = await startServer(); await fetch(url + '/healthz'); await close();
 */
export interface RunningServer {
  /** `http://host:port` (IPv6 hosts in brackets). */
  url: string;
  port: number;
  host: string;
  server: http.Server;
  handler: IngestHandler;
  /**
   * Graceful shutdown behind a load balancer: `/readyz` answers 503 at once, the server keeps serving
   * for `delayMs` (default the `drainDelayMs` option), then {@link RunningServer.close}.
   */
  drain(delayMs?: number): Promise<void>;
  /**
   * Graceful shutdown: stops accepting connections, closes idle keep-alive connections, lets requests
   * in flight finish (their answers carry `Connection: close`), and cuts what is left after
   * `shutdownTimeoutMs`. Resolves when the server is closed and the record file flushed.
   */
  close(): Promise<void>;
}

/**
 * Starts the local ingest endpoint; resolves once it listens.
 *
 * @example
 * import { startServer } from 'dt-ingest/serve';
 * const server = await startServer({ port: 0 }); // 127.0.0.1, a free port
 * console.log(server.url); // http://127.0.0.1:54321
 * await server.close();
 */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const handler = createIngestHandler(options);
  const o = handler.options;
  const server = http.createServer(
    {
      requestTimeout: o.requestTimeoutMs,
      headersTimeout: Math.min(o.headersTimeoutMs, o.requestTimeoutMs || o.headersTimeoutMs),
      keepAliveTimeout: o.keepAliveTimeoutMs,
      maxHeaderSize: o.maxHeaderBytes,
      // how often request timeouts are checked; Node's default (30 s) is too coarse for short timeouts
      connectionsCheckingInterval: o.requestTimeoutMs > 0 ? Math.min(1000, Math.max(50, Math.floor(o.requestTimeoutMs / 4))) : 30_000,
    },
    handler,
  );
  // node:http's headersTimeout starts with the first byte of a request: a connection that never
  // sends one would stay open for ever (and hold a file descriptor). Close it after headersTimeoutMs.
  const silent = new Map<Socket, NodeJS.Timeout>();
  server.on('connection', (sock: Socket) => {
    const timer = setTimeout(() => sock.destroy(), o.headersTimeoutMs);
    timer.unref();
    silent.set(sock, timer);
    sock.once('close', () => {
      clearTimeout(timer);
      silent.delete(sock);
    });
  });
  server.on('request', (req: http.IncomingMessage) => {
    const timer = silent.get(req.socket);
    if (timer === undefined) return;
    clearTimeout(timer);
    silent.delete(req.socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // the converted intake's StatsD port and scrape loop (mock mode, when asked for)
  try {
    await handler.converted.start();
  } catch (err) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw err;
  }
  const address = server.address() as AddressInfo;
  const host = address.address;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    endDrainDelay?.();
    closed ??= (async () => {
      handler.shutdown();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // connections that never sent a request are idle too
      for (const sock of silent.keys()) sock.destroy();
      const timer = setTimeout(() => server.closeAllConnections(), o.shutdownTimeoutMs);
      timer.unref();
      await handler.idle();
      await handler.converted.close();
      // answers are out: connections that stay open are idle now
      server.closeIdleConnections();
      await handler.close();
      await done;
      clearTimeout(timer);
    })();
    return closed;
  };
  // a close() during the drain's delay ends the delay (a second signal, a test, an embedding app)
  let endDrainDelay: (() => void) | undefined;
  const drain = async (delayMs: number = o.drainDelayMs): Promise<void> => {
    handler.drain();
    if (delayMs > 0 && closed === undefined) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        endDrainDelay = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await close();
  };
  return { url, port: address.port, host, server, handler, drain, close };
}
