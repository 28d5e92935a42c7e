/**
 * The converted intake of the mock: source formats accepted where a real agent would take them
 * (each row of `SOURCE_FORMATS` says where: HTTP write routes, the StatsD UDP port, or a scraped
 * `/metrics` target), converted to metric lines by the format's converter, then judged exactly as the
 * metrics endpoint judges lines (`validateMetrics` with the handler's metrics options): the valid
 * lines go to the mock store, and each judgment is recorded in the inspector as a metrics request,
 * so the inspector shows the lines Dynatrace would get and its answer to them.
 *
 * Converted lines are judged in requests of at most `CONVERTED_LIMITS.flushLines` lines (what one
 * agent request carries) and `metrics.maxBodyBytes` bytes. Every source is bounded: HTTP bodies by
 * `influxMaxBodyBytes` (gzip inflated within it), StatsD by datagrams per flush interval and lines
 * waiting (a flood is dropped and counted, never queued), scrapes by answer size and time.
 *
 * @module
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzip } from 'node:zlib';
import { SOURCE_FORMATS, sourceFormat, type SourceFormat } from '../convert/formats.js';
import type { ConvertProblem, ConvertSink, SourceConverter } from '../convert/source.js';
import { LineWriter } from '../convert/write-lines.js';
import type { MetricBatch } from '../metrics/batch.js';
import { validateMetrics } from '../report/validate.js';
import type { ServeContext } from './context.js';
import { errorBody, readBody, type Answer } from './http.js';
import { CONVERTED_LIMITS } from './options.js';

/** Counters of the converted intake (tests and `/healthz`-style introspection). */
export interface ConvertedCounts {
  /** StatsD datagrams read. */
  datagrams: number;
  /** StatsD datagrams dropped unread (flood: over the per-interval budget or the pending bound). */
  droppedDatagrams: number;
  /** Scrapes that gave an answer. */
  scrapes: number;
  /** Scrapes that failed (connection, status, size, no converter for the answer's type). */
  scrapeFailures: number;
  /** Converted lines judged. */
  lines: number;
  /** Judged requests (each a record in the inspector). */
  judgments: number;
}

/** The converted intake of one handler. */
export interface ConvertedIntake {
  /** The format whose HTTP write route is `pathname`, or `undefined`. */
  route(pathname: string): SourceFormat<never> | undefined;
  /** Handles a request on a write route (the answer is the format's own server's). */
  handle(req: IncomingMessage, res: ServerResponse, format: SourceFormat<never>, search: string, started: number): void;
  /** Opens the StatsD port and starts the scrape loop, as the options ask. */
  start(): Promise<void>;
  /** Closes the port, stops the loop, judges what is waiting. */
  close(): Promise<void>;
  /** The bound StatsD port (0: none). */
  readonly statsdPort: number;
  /** Counters. */
  readonly counts: ConvertedCounts;
  /** Ends the StatsD flush interval now: the datagram budget starts afresh and what waits is judged (the timer does it every `statsdFlushMs`). */
  flush(): void;
  /** @internal What the StatsD socket calls for each datagram (tests call it to send a flood without a kernel in between). */
  datagram(msg: Uint8Array, address: string, port: number): void;
}

/** Where converted lines came from, for the inspector's record. */
interface Origin {
  method: string;
  target: string;
  address: string;
  port: number;
  userAgent: string;
  contentType: string;
}

/** The text and rule ids of a conversion in progress. */
class Collected implements ConvertSink {
  text = '';
  lines = 0;
  invalid = 0;
  readonly rules = new Set<string>();
  readonly problems: string[] = [];
  private readonly writer = new LineWriter();

  points(batch: MetricBatch): void {
    this.text += this.writer.write(batch);
    this.lines += batch.length;
  }

  problem(p: ConvertProblem): void {
    this.rules.add(p.rule);
    if (p.kind === 'invalid') {
      this.invalid++;
      // the first few for the answer's message
      if (this.problems.length < 10) this.problems.push(`line ${p.line}:${p.column}: ${p.message}`);
    }
  }

  take(): { text: string; lines: number; rules: string[] } {
    const out = { text: this.text, lines: this.lines, rules: [...this.rules] };
    this.text = '';
    this.lines = 0;
    this.rules.clear();
    return out;
  }
}

/** Inflates gzip within `max` bytes out; `null` when it is not gzip or is larger. */
function inflate(body: Uint8Array, max: number): Promise<{ ok: true; body: Uint8Array } | { ok: false; tooLarge: boolean; message: string }> {
  return new Promise((resolve) => {
    gunzip(body, { maxOutputLength: Math.max(1, max) }, (err, out) => {
      if (err === null) resolve({ ok: true, body: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) });
      else resolve({ ok: false, tooLarge: (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError, message: err.message });
    });
  });
}

/** The converter option a write request's `precision` query parameter stands for (v1 and v2 spellings), or `null` when unknown. */
function precisionOf(search: string): string | null {
  const p = new URLSearchParams(search).get('precision');
  if (p === null || p === '') return 'ns';
  switch (p) {
    case 'n':
    case 'ns':
      return 'ns';
    case 'u':
    case 'us':
    case 'µ':
      return 'us';
    case 'ms':
      return 'ms';
    case 's':
      return 's';
    default:
      return null;
  }
}

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * Creates the converted intake of a handler (nothing is opened until {@link ConvertedIntake.start}).
 * @example const intake = createConvertedIntake(ctx); await intake.start();
 */
export function createConvertedIntake(ctx: ServeContext): ConvertedIntake {
  const o = ctx.options;
  const counts: ConvertedCounts = { datagrams: 0, droppedDatagrams: 0, scrapes: 0, scrapeFailures: 0, lines: 0, judgments: 0 };
  const paths = new Map<string, SourceFormat<never>>();
  for (const f of SOURCE_FORMATS) for (const p of f.serve?.paths ?? []) paths.set(p, f);
  let udp: UdpSocket | undefined;
  let statsdPort = 0;
  let flushTimer: NodeJS.Timeout | undefined;
  const scrapeTimers: NodeJS.Timeout[] = [];

  /** Judges converted text as metrics requests of at most `flushLines` lines, recording each. */
  function judge(text: string, lines: number, rules: readonly string[], origin: Origin, started: number): Answer | undefined {
    if (lines === 0) return undefined;
    const options = ctx.metricsOptions();
    let last: Answer | undefined;
    let from = 0;
    while (from < text.length) {
      // up to flushLines lines and maxBodyBytes bytes (a line is never split)
      let end = from;
      let n = 0;
      let bytes = 0;
      while (end < text.length && n < CONVERTED_LIMITS.flushLines) {
        let nl = text.indexOf('\n', end);
        if (nl < 0) nl = text.length - 1;
        const size = Buffer.byteLength(text.slice(end, nl + 1));
        if (n > 0 && bytes + size > options.maxBodyBytes) break;
        bytes += size;
        end = nl + 1;
        n++;
      }
      const piece = text.slice(from, end);
      from = end;
      const result = validateMetrics(piece, options);
      counts.lines += n;
      counts.judgments++;
      const invalid = new Set<number>();
      const found = new Set<string>(rules);
      let warnings = 0;
      for (const issue of result.issues) {
        found.add(issue.rule);
        if (issue.severity === 'error' && issue.line !== undefined) invalid.add(issue.line);
        else if (issue.severity !== 'error') warnings++;
      }
      const body = result.body as { linesOk?: number; linesInvalid?: number };
      ctx.stats.lines(body.linesOk ?? 0, body.linesInvalid ?? 0);
      if (o.mode === 'mock' && (o.receivedLimit > 0 || o.record !== '')) {
        const kept: string[] = [];
        const all = piece.endsWith('\n') ? piece.slice(0, -1).split('\n') : piece.split('\n');
        for (let i = 0; i < all.length; i++) if (!invalid.has(i + 1)) kept.push(all[i]!);
        ctx.store.add('metrics', kept);
      }
      const answer: Answer = { status: result.status, body: result.body };
      last = answer;
      if (ctx.inspector !== undefined) {
        const req = {
          method: origin.method,
          url: origin.target,
          headers: { 'content-type': 'text/plain; charset=utf-8', 'user-agent': origin.userAgent },
          rawHeaders: ['Content-Type', `text/plain; charset=utf-8 (converted from ${origin.contentType})`, 'User-Agent', origin.userAgent],
          socket: { remoteAddress: origin.address, remotePort: origin.port },
        } as unknown as IncomingMessage;
        const res = { getHeaders: () => ({}) } as unknown as ServerResponse;
        const bytesOf = encoder.encode(piece);
        ctx.inspector.record(req, res, 'metrics', started, bytesOf.length, answer, {
          chunks: [bytesOf],
          rules: [...found],
          metricsOptions: options,
          lines: n,
          warnings,
        });
      }
    }
    return last;
  }

  // --- HTTP write routes (Influx) ---------------------------------------------------------------------
  function handle(req: IncomingMessage, res: ServerResponse, format: SourceFormat<never>, search: string, started: number): void {
    const v2 = (req.url ?? '').includes('/api/v2/');
    const fail = (status: number, message: string, headers?: Record<string, string>): void => {
      const answer: Answer = {
        status,
        body: v2 ? { code: status === 413 ? 'request too large' : status === 401 ? 'unauthorized' : 'invalid', message } : { error: message },
      };
      if (headers !== undefined) answer.headers = headers;
      ctx.early(req, res, format.id, started, answer);
    };
    if ((req.method ?? 'GET') !== 'POST') return fail(405, `Method ${req.method} is not allowed; use POST.`, { allow: 'POST' });
    if (!ctx.guard.originAllowed(req)) return ctx.early(req, res, format.id, started, { status: 403, body: errorBody(403, 'cross-site write refused') });
    if (o.requireToken && (req.headers.authorization ?? '').trim() === '') return fail(401, 'missing authorization token');
    if (o.mode !== 'mock') return fail(404, `${format.id} is converted in mock mode only`);
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity' && encoding !== 'gzip') return fail(415, `unsupported content encoding '${encoding}'`);
    const precision = precisionOf(search);
    if (precision === null) return fail(400, 'invalid precision: expected ns, us, ms or s');
    const limit = CONVERTED_LIMITS.influxMaxBodyBytes;
    const chunks: Uint8Array[] = [];
    void (async () => {
      const read = await readBody(req, limit, (chunk) => chunks.push(chunk));
      if (read.kind === 'aborted' || read.kind === 'failed') return;
      if (read.kind === 'too-large') return fail(413, `request body larger than ${limit} bytes`);
      let body: Uint8Array = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      if (encoding === 'gzip') {
        const r = await inflate(body, limit);
        if (!r.ok) return fail(r.tooLarge ? 413 : 400, r.tooLarge ? `request body larger than ${limit} bytes after gzip` : `gzip: ${r.message}`);
        body = r.body;
      }
      const sink = new Collected();
      const converter = format.open(sink, { precision, metrics: o.metrics } as never);
      converter.push(body);
      converter.end();
      const taken = sink.take();
      judge(taken.text, taken.lines, taken.rules, originOf(req, format), started);
      // the format's server answers: 204 when every line was read, 400 naming the first problems
      let answer: Answer;
      if (sink.invalid === 0) answer = { status: 204, body: null };
      else {
        const message = `${taken.lines > 0 ? 'partial write: ' : ''}${sink.invalid} unreadable line${sink.invalid === 1 ? '' : 's'}: ${sink.problems.join('; ')}`;
        answer = { status: 400, body: v2 ? { code: 'invalid', message } : { error: message } };
      }
      ctx.send(res, format.id, started, read.bytes, answer);
    })().catch((err: unknown) => {
      ctx.send(res, format.id, started, 0, {
        status: 500,
        body: errorBody(500, `dt-ingest: internal error: ${err instanceof Error ? err.message : String(err)}`),
      });
    });
  }

  function originOf(req: IncomingMessage, format: SourceFormat<never>): Origin {
    return {
      method: req.method ?? 'POST',
      target: `${req.url ?? '/'} (${format.id} → lines)`,
      address: req.socket?.remoteAddress ?? '',
      port: req.socket?.remotePort ?? 0,
      userAgent: req.headers['user-agent'] ?? '',
      contentType: req.headers['content-type'] ?? format.id,
    };
  }

  // --- StatsD over UDP -----------------------------------------------------------------------------------
  const statsd = SOURCE_FORMATS.find((f) => f.serve?.udp === true);
  const statsdSink = new Collected();
  let statsdConverter: (SourceConverter & { datagram?: (b: Uint8Array) => void }) | undefined;
  let windowDatagrams = 0;
  let lastSender = { address: '', port: 0 };
  let flushStarted = performance.now();

  /** The end of a flush interval: the datagram budget starts afresh, what waits is judged. */
  function tick(): void {
    windowDatagrams = 0;
    flushStatsd();
  }

  function flushStatsd(): void {
    const taken = statsdSink.take();
    const started = flushStarted;
    flushStarted = performance.now();
    judge(
      taken.text,
      taken.lines,
      taken.rules,
      {
        method: 'UDP',
        target: `udp://${o.host}:${statsdPort} (statsd → lines${counts.droppedDatagrams > 0 ? `, ${counts.droppedDatagrams} datagrams dropped so far` : ''})`,
        address: lastSender.address,
        port: lastSender.port,
        userAgent: 'statsd',
        contentType: 'statsd',
      },
      started,
    );
  }

  function datagram(msg: Uint8Array, address: string, port: number): void {
    if (windowDatagrams >= CONVERTED_LIMITS.statsdDatagramsPerFlush || statsdSink.lines >= CONVERTED_LIMITS.statsdMaxPendingLines) {
      counts.droppedDatagrams++;
      return;
    }
    windowDatagrams++;
    counts.datagrams++;
    lastSender = { address, port };
    const c = statsdConverter!;
    c.push(msg);
    c.end();
    if (statsdSink.lines >= CONVERTED_LIMITS.flushLines) flushStatsd();
  }

  // --- scraping -----------------------------------------------------------------------------------------
  async function scrapeOnce(url: string, state: { converter: SourceConverter | undefined; format: string; sink: Collected; busy: boolean }): Promise<void> {
    if (state.busy) return;
    state.busy = true;
    const started = performance.now();
    try {
      const answer = await fetch(url, {
        signal: AbortSignal.timeout(CONVERTED_LIMITS.scrapeTimeoutMs),
        headers: { accept: 'application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.8,*/*;q=0.1' },
        redirect: 'error',
      });
      const type = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      const format = SOURCE_FORMATS.find((f) => f.contentTypes.includes(type)) ?? sourceFormat('prometheus');
      if (!answer.ok || answer.body === null || format === undefined) {
        counts.scrapeFailures++;
        await answer.body?.cancel();
        return;
      }
      if (state.converter === undefined || state.format !== format.id) {
        // one converter per target and format: its series state carries counters from one pull to the next
        state.converter = format.open(state.sink, { metrics: o.metrics } as never);
        state.format = format.id;
      }
      let bytes = 0;
      const reader = answer.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
        if (bytes > CONVERTED_LIMITS.scrapeMaxBytes) {
          counts.scrapeFailures++;
          await reader.cancel();
          state.converter.end();
          state.sink.take();
          return;
        }
        state.converter.push(value);
      }
      state.converter.end();
      counts.scrapes++;
      const taken = state.sink.take();
      const u = new URL(url);
      judge(
        taken.text,
        taken.lines,
        taken.rules,
        {
          method: 'GET',
          target: `${url} (${format.id} → lines)`,
          address: u.hostname,
          port: Number(u.port) || 80,
          userAgent: 'dt-ingest scrape',
          contentType: type,
        },
        started,
      );
    } catch {
      counts.scrapeFailures++;
    } finally {
      state.busy = false;
    }
  }

  return {
    route: (pathname) => paths.get(pathname),
    handle,
    counts,
    get statsdPort() {
      return statsdPort;
    },
    flush: tick,
    datagram: (msg, address, port) => {
      if (statsdConverter !== undefined) datagram(msg, address, port);
    },
    async start() {
      if (o.mode !== 'mock') return;
      if (o.statsdPort !== 0 && statsd !== undefined) {
        statsdConverter = statsd.open(statsdSink, { metrics: o.metrics } as never);
        const socket = createSocket({ type: o.host.includes(':') ? 'udp6' : 'udp4' });
        await new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.bind(o.statsdPort, o.host, () => {
            socket.off('error', reject);
            resolve();
          });
        });
        socket.on('message', (msg, rinfo) => datagram(msg, rinfo.address, rinfo.port));
        // a UDP error after binding (ICMP unreachable and the like) never stops the server
        socket.on('error', () => {});
        udp = socket;
        statsdPort = socket.address().port;
        flushTimer = setInterval(tick, CONVERTED_LIMITS.statsdFlushMs);
        flushTimer.unref();
      }
      for (const url of o.scrape) {
        const state = { converter: undefined as SourceConverter | undefined, format: '', sink: new Collected(), busy: false };
        void scrapeOnce(url, state);
        const timer = setInterval(() => void scrapeOnce(url, state), o.scrapeIntervalMs);
        timer.unref();
        scrapeTimers.push(timer);
      }
    },
    async close() {
      if (flushTimer !== undefined) clearInterval(flushTimer);
      for (const t of scrapeTimers) clearInterval(t);
      scrapeTimers.length = 0;
      if (udp !== undefined) {
        const socket = udp;
        udp = undefined;
        await new Promise<void>((resolve) => socket.close(() => resolve()));
        flushStatsd();
      }
    },
  };
}
