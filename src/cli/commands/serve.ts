/**
 * `dt-ingest serve`: the local ingest endpoint on the command line (the command lives with the other
 * commands and uses the server's API; the server knows nothing of the CLI). Every flag comes from an options
 * table: the serve table (`--max-concurrent`, `--retry-count`, ...), the metrics table
 * (`--max-body-bytes`, ...) and the JSON bodies table (`--events-max-body-bytes`, ...).
 *
 * SIGTERM and SIGINT shut down gracefully (`/readyz` answers 503 for `--drain-delay-ms`, then requests
 * in flight finish; exit code 0). With
 * `--workers N` the primary process forks N workers on one port (`node:cluster`), forwards the signal
 * to them and exits when they have.
 *
 * @module
 */
import cluster, { type Worker } from 'node:cluster';
import { closeSync } from 'node:fs';
import { ENDPOINTS } from '../../endpoints/index.js';
import { METRICS_DEFAULTS, type MetricsOptions } from '../../protocol/options.js';
import { EVENTS_DEFAULTS, type EventsOptions } from '../../events/index.js';
import { UsageError, kebab, takeOptionFlags } from '../args.js';
import type { CliIO } from '../io.js';
import type { Command } from './types.js';
import { SERVE_DEFAULTS, SERVE_HELP as SERVE_HELP_TEXT, resolveServeOptions, type ResolvedServeOptions, type ServeOptions } from '../../serve/options.js';
import { startServer } from '../../serve/server.js';
import { openRecordFile } from '../../serve/mock-store.js';

/** Flags spelled differently from the kebab-case of their option (digits get their own dash). */
const ALIASES: Readonly<Record<string, string>> = { '--fault-429-rate': '--fault429-rate', '--fault-503-rate': '--fault503-rate' };

const EVENTS_FLAG_DEFAULTS: Record<string, unknown> = {};
for (const [k, v] of Object.entries(EVENTS_DEFAULTS)) if (typeof v !== 'object') EVENTS_FLAG_DEFAULTS[k] = v;

function flagLine(key: string, value: unknown): string {
  const flag = `--${kebab(key)}`;
  const shown = Object.keys(ALIASES).find((a) => ALIASES[a] === flag) ?? flag;
  const help = SERVE_HELP_TEXT[key as keyof typeof SERVE_HELP_TEXT];
  const def = help?.default ?? (value === '' ? 'none' : String(value));
  const text = help !== undefined ? `${help.text} ` : '';
  return typeof value === 'boolean' ? `  ${shown}  ${text}(switch, default ${def})` : `  ${shown} <${typeof value}>  ${text}(default ${def})`;
}

/** `dt-ingest serve --help`. */
export const SERVE_HELP = `Usage: dt-ingest serve [--mode mock|proxy] [--port N] [--host H] [flags]

Runs a local ingest endpoint (each also under /e/{environmentId}):
${ENDPOINTS.map((e) => `  ${e.method} ${[e.path, ...e.aliases.map((a) => a.path)].join(', ')}  ${e.title}`).join('\n')}
and GET /healthz, GET /readyz, GET /metrics, GET|DELETE /_dt-ingest/received (mock mode). Proxy mode accounts for
every metric line: see docs/proxy.md. The inspector (GET /, on by default in mock mode on loopback) shows every request
received and why it was judged so: see docs/inspector.md.

Serve flags:
${Object.entries(SERVE_DEFAULTS)
  .filter(([k]) => k !== 'basePath')
  .map(([k, v]) => flagLine(k, v))
  .join('\n')}

Metrics and JSON body option flags (--max-body-bytes, --events-max-body-bytes, ...) set the validators' limits.
SIGTERM/SIGINT shut down gracefully: /readyz answers 503 for --drain-delay-ms, then requests in flight
finish within --shutdown-timeout-ms (docs/deploy.md).
`;

/**
 * Reads the serve command line into options. Throws `UsageError` for a mistake.
 * @example parseServeArgs(['--mode', 'proxy', '--upstream', 'https://abc.live.dynatrace.com', '--filter'])
 */
export function parseServeArgs(args: readonly string[]): ResolvedServeOptions {
  const argv = args.map((a) => {
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    const alias = ALIASES[name];
    return alias === undefined ? a : alias + (eq < 0 ? '' : a.slice(eq));
  });
  const serve = takeOptionFlags(argv, SERVE_DEFAULTS as unknown as Record<string, unknown>);
  const metrics = takeOptionFlags(serve.rest, METRICS_DEFAULTS as unknown as Record<string, unknown>);
  const events = takeOptionFlags(metrics.rest, EVENTS_FLAG_DEFAULTS);
  if (events.rest.length > 0) {
    const first = events.rest[0]!;
    throw new UsageError(
      first.startsWith('-') ? `unknown flag '${first}' (try dt-ingest serve --help)` : `unexpected argument '${first}' (try dt-ingest serve --help)`,
    );
  }
  const options: ServeOptions = { ...(serve.options as ServeOptions), metrics: metrics.options as MetricsOptions, events: events.options as EventsOptions };
  try {
    return resolveServeOptions(options);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UsageError(message.startsWith('dt-ingest: ') ? message.slice(11) : message);
  }
}

/**
 * Calls `handler` on the first SIGTERM or SIGINT; later ones are ignored while the shutdown runs (a
 * Ctrl-C reaches the cluster workers directly and through the primary), bounded by `shutdownTimeoutMs`.
 */
function onSignals(handler: (signal: string) => void): void {
  let called = false;
  const listener = (signal: string): void => {
    if (called) return;
    called = true;
    handler(signal);
  };
  process.on('SIGTERM', listener);
  process.on('SIGINT', listener);
}

/**
 * Runs `dt-ingest serve`. Resolves with the exit code after a graceful shutdown.
 * @example await serveCommand(['--port', '8080'], io) // 0 after SIGTERM
 */
export async function serveCommand(args: readonly string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(SERVE_HELP);
    return 0;
  }
  const options = parseServeArgs(args);
  // a record file that cannot be written is a start-up error (exit 2), checked before any worker starts
  if (options.record !== '' && cluster.isPrimary) closeSync(openRecordFile(options.record));
  if (options.workers > 1 && cluster.isPrimary) return runPrimary(options, io);
  const server = await startServer(options);
  if (cluster.isPrimary) {
    io.stdout.write(
      `dt-ingest serve: listening on ${server.url} (mode ${options.mode}${options.mode === 'proxy' ? `, upstream ${options.upstream}${options.filter ? ', filter' : ''}` : ''})\n`,
    );
    if (options.ui) io.stdout.write(`dt-ingest serve: inspector at ${server.url}/ (playground at ${server.url}/playground)\n`);
  }
  return new Promise<number>((resolve) => {
    onSignals(() => {
      void server.drain().then(
        () => {
          if (cluster.isWorker) cluster.worker?.disconnect();
          resolve(0);
        },
        (err: unknown) => {
          io.stderr.write(`dt-ingest serve: shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
          resolve(1);
        },
      );
    });
  });
}

/**
 * Restarts allowed per sliding minute: `take()` answers how long to wait before the next restart (0:
 * now) and books it.
 * @example const budget = new RestartBudget(10); setTimeout(fork, budget.take());
 */
export class RestartBudget {
  private readonly times: number[] = [];
  /**
   * @param perMinute restarts allowed within any 60 s
   * @param now the clock (tests pass their own)
   */
  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Books the next restart; returns the ms to wait before it.
   * @example budget.take() // 0 while under the budget
   */
  take(): number {
    const t = this.now();
    while (this.times.length > 0 && this.times[0]! <= t - RESTART_WINDOW_MS) this.times.shift();
    const at = this.times.length < this.perMinute ? t : this.times[this.times.length - this.perMinute]! + RESTART_WINDOW_MS;
    this.times.push(at);
    return at - t;
  }
}

/** The window of {@link RestartBudget}, ms. */
const RESTART_WINDOW_MS = 60_000;

/** The primary of `--workers N`: forks, reports the URL once every worker listens, relays signals, restarts crashed workers within the budget. */
function runPrimary(options: ResolvedServeOptions, io: CliIO): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    let listening = 0;
    let failed = 0;
    const workers = new Set<Worker>();
    const budget = new RestartBudget(options.workerRestartsPerMinute);
    const pending = new Set<NodeJS.Timeout>();
    const fork = (): void => {
      const worker = cluster.fork();
      workers.add(worker);
      worker.once('listening', (address) => {
        listening++;
        if (listening === options.workers) {
          const host = address.address ?? options.host;
          const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
          io.stdout.write(`dt-ingest serve: listening on ${url} (mode ${options.mode}, ${options.workers} workers)\n`);
        }
      });
      worker.once('exit', (code, signal) => {
        workers.delete(worker);
        if (!stopping) {
          failed++;
          const wait = budget.take();
          const how = signal !== null ? `signal ${signal}` : `code ${code}`;
          if (wait === 0) io.stderr.write(`dt-ingest serve: worker ${worker.process.pid} exited (${how}); starting another\n`);
          else {
            const n = options.workerRestartsPerMinute;
            io.stderr.write(
              `dt-ingest serve: worker ${worker.process.pid} exited (${how}); the budget of ${n} restart${n === 1 ? '' : 's'} a minute is spent, so the next one starts in ${Math.ceil(wait / 1000)} s\n`,
            );
          }
          const timer = setTimeout(() => {
            pending.delete(timer);
            if (!stopping) fork();
          }, wait);
          pending.add(timer);
        } else if (code !== 0 && signal === null) {
          failed++;
        }
        if (stopping && workers.size === 0) resolve(failed === 0 ? 0 : 1);
      });
    };
    for (let i = 0; i < options.workers; i++) fork();
    onSignals(() => {
      stopping = true;
      failed = 0;
      for (const t of pending) clearTimeout(t);
      pending.clear();
      if (workers.size === 0) resolve(0);
      for (const w of workers) w.process.kill('SIGTERM');
    });
  });
}

/** `dt-ingest serve`, for the commands table. */
export const SERVE_COMMAND: Command = {
  name: 'serve',
  summary: 'run a local ingest endpoint (mock) or a validating proxy',
  help: () => SERVE_HELP,
  run: serveCommand,
};
