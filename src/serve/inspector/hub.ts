/**
 * The live stream of the inspector: Server-Sent Events to each open page. New requests are sent in
 * batches (at most every `flushMs`), serialized once for all pages. Back-pressure: a page whose
 * connection has more than `clientBufferBytes` waiting gets nothing more until it drains, and is then
 * told how many requests it missed (`event: missed`); it reads the list again. So a slow or stalled
 * browser holds at most its buffer plus one batch, whatever arrives meanwhile.
 *
 * Events: `requests` (a JSON array of summaries), `missed` (`{"missed":N}`), `cleared`, and a comment
 * line every `heartbeatMs`.
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import { INSPECTOR_LIMITS } from '../options.js';
import type { RequestSummary } from './record.js';

interface Client {
  res: ServerResponse;
  missed: number;
}

/**
 * Limits of a {@link LiveHub} (defaults from `INSPECTOR_LIMITS`).
 * @example new LiveHub({ clientBufferBytes: 65_536 })
 */
export interface LiveHubLimits {
  maxClients: number;
  clientBufferBytes: number;
  flushMs: number;
  batchMax: number;
  heartbeatMs: number;
}

/**
 * The open pages and what is waiting to be sent to them.
 * @example
 * const hub = new LiveHub();
 * hub.attach(res); // an event stream
 * hub.publish(summary); // sent within flushMs
 */
export class LiveHub {
  private readonly clients = new Set<Client>();
  private pending: string[] = [];
  /** Requests that did not fit in the pending batch: every page misses them. */
  private overflow = 0;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly limits: LiveHubLimits;

  constructor(limits: Partial<LiveHubLimits> = {}) {
    this.limits = { ...INSPECTOR_LIMITS, ...limits };
  }

  /** Open pages. */
  get size(): number {
    return this.clients.size;
  }

  /** Bytes waiting to be sent, per page, and what each has missed (tests, `/healthz`-like checks). */
  state(): { buffered: number; missed: number }[] {
    return [...this.clients].map((c) => ({ buffered: c.res.writableLength, missed: c.missed }));
  }

  /**
   * Starts an event stream on `res`; returns false (and writes nothing) when `maxClients` are open.
   * The stream begins with `event: hello` and the list's `version` (records added so far).
   * @param version the list's version now (`RequestLog.version`: records added so far)
   * @example if (!hub.attach(res, log.version)) answer503();
   */
  attach(res: ServerResponse, version = 0): boolean {
    if (this.clients.size >= this.limits.maxClients) return false;
    const client: Client = { res, missed: 0 };
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // the page reconnects by itself after a drop (EventSource), 2 s later
    });
    // the list's version at attach: every record added after it comes through this stream, so a page
    // whose list read saw this version (or a later one) need not read the list again
    res.write(`retry: 2000\n\nevent: hello\ndata: {"version":${version}}\n\n`);
    this.clients.add(client);
    res.on('drain', () => this.resume(client));
    res.once('close', () => this.clients.delete(client));
    if (this.heartbeat === undefined) {
      this.heartbeat = setInterval(() => this.beat(), this.limits.heartbeatMs);
      this.heartbeat.unref();
    }
    return true;
  }

  /**
   * Queues a request for every open page (nothing at all when none is open).
   * @example hub.publish(record.summary)
   */
  publish(summary: RequestSummary): void {
    if (this.clients.size === 0) return;
    if (this.pending.length >= this.limits.batchMax) this.overflow++;
    else this.pending.push(JSON.stringify(summary));
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.limits.flushMs);
      this.timer.unref();
    }
  }

  /**
   * Sends an event now to every page that is keeping up (the others will read the list again).
   * @example hub.broadcast('cleared', '{}')
   */
  broadcast(event: string, data: string): void {
    for (const c of this.clients) {
      if (this.blocked(c)) continue;
      c.res.write(`event: ${event}\ndata: ${data}\n\n`);
    }
  }

  /** Sends the pending batch. */
  flush(): void {
    this.timer = undefined;
    const batch = this.pending;
    const overflow = this.overflow;
    this.pending = [];
    this.overflow = 0;
    if (batch.length === 0 && overflow === 0) return;
    const message = batch.length > 0 ? `event: requests\ndata: [${batch.join(',')}]\n\n` : '';
    for (const c of this.clients) {
      if (this.blocked(c)) {
        c.missed += batch.length + overflow;
        continue;
      }
      if (overflow > 0) c.missed += overflow;
      if (c.missed > 0) this.sendMissed(c);
      if (message !== '') c.res.write(message);
    }
  }

  /** Ends every stream (shutdown). */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    this.timer = this.heartbeat = undefined;
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  private blocked(c: Client): boolean {
    return c.res.writableLength > this.limits.clientBufferBytes || c.res.destroyed;
  }

  private sendMissed(c: Client): void {
    c.res.write(`event: missed\ndata: {"missed":${c.missed}}\n\n`);
    c.missed = 0;
  }

  private resume(c: Client): void {
    if (c.missed > 0 && !this.blocked(c)) this.sendMissed(c);
  }

  private beat(): void {
    if (this.clients.size === 0) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
      return;
    }
    for (const c of this.clients) if (!this.blocked(c)) c.res.write(': ping\n\n');
  }
}
