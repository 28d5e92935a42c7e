/**
 * The `dt-ingest` command line: `runCli(argv, io) → exit code` (0 clean, 1 findings, 2 usage or
 * I/O error, as ESLint). The `bin` file is a thin shim around it.
 *
 * @module
 */
import { createReadStream, statSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { METRICS_DEFAULTS, type MetricsOptions } from '../protocol/options.js';
import { MetricsValidator } from '../report/validate.js';
import type { Issue } from '../types.js';
import { UsageError, takeOptionFlags } from './args.js';
import { createFormatter, type OutputFormat } from './format.js';
import { COMMANDS_HELP, VERSION } from './help.js';
import { jsonCommands, runJsonValidate } from './json-commands.js';
import { extraCommands } from './extra-commands.js';
import { fixCommand } from './fix.js';

/** Where the CLI reads and writes. */
export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Whether stderr is a terminal (progress is shown only then). */
  stderrIsTTY?: boolean;
}

const defaultIO = (): CliIO => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, stderrIsTTY: process.stderr.isTTY === true });

/**
 * Runs the CLI. Never throws for user mistakes: they become a one-line message and exit code 2.
 *
 * @example await runCli(['validate', 'metrics', 'examples/metrics.txt']) // 0 or 1
 */
export async function runCli(
  argv: readonly string[], io: CliIO = defaultIO()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`dt-ingest: ${message}\n`);
    if (!(err instanceof UsageError) && !isIoError(err) && process.env.DT_INGEST_DEBUG === '1' && err instanceof Error) io.stderr.write(`${err.stack}\n`);
    return 2;
  }
}

function isIoError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string';
}

async function dispatch(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, family, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(COMMANDS_HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === 'validate') {
    if (family === 'metrics') return validateMetricsCommand(rest, io);
    if (family !== undefined && jsonCommands.has(family)) return runJsonValidate(family, rest, io);
    throw new UsageError(`validate what? expected one of: metrics, ${[...jsonCommands.keys()].join(', ')}`);
  }
  if (command === 'fix') return fixCommand(family === undefined ? rest : [family, ...rest], io);
  const extra = extraCommands.get(command);
  if (extra !== undefined) return extra(family === undefined ? rest : [family, ...rest], io);
  throw new UsageError(`unknown command '${command}' (try --help)`);
}

/** Common flags of every validate command. */
export interface CommonFlags {
  format: OutputFormat;
  now: number | undefined;
  file: string | undefined;
  rest: string[];
}

/** Reads `--format`, `--now` and the one positional FILE argument. */
export function takeCommonFlags(args: readonly string[], extraFlags: readonly string[] = []): CommonFlags & { extras: Record<string, string> } {
  let format: OutputFormat = 'stylish';
  let now: number | undefined;
  let file: string | undefined;
  const extras: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? (eq < 0 ? arg : arg.slice(0, eq)) : arg;
    const inline = arg.startsWith('--') && eq >= 0 ? arg.slice(eq + 1) : undefined;
    const take = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (name === '--format' || name === '-f') {
      const v = take();
      if (v !== 'stylish' && v !== 'json' && v !== 'dynatrace') throw new UsageError(`--format takes stylish, json or dynatrace, not '${v}'`);
      format = v;
    } else if (name === '--now') {
      const v = take();
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--now takes epoch milliseconds, not '${v}'`);
      now = n;
    } else if (extraFlags.includes(name)) {
      extras[name.slice(2)] = take();
    } else if (arg.startsWith('--')) {
      throw new UsageError(`unknown flag '${name}' (try --help)`);
    } else if (file === undefined) {
      file = arg;
    } else {
      throw new UsageError(`one input at a time: got '${file}' and '${arg}'`);
    }
  }
  return { format, now, file, rest, extras };
}

/** Opens FILE (or stdin for `-` / none) as a byte stream; `size` when known, for progress. */
export function openInput(file: string | undefined, io: CliIO): { stream: Readable; size: number | undefined; name: string } {
  if (file === undefined || file === '-') return { stream: io.stdin, size: undefined, name: '<stdin>' };
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new UsageError(`'${file}' is a directory`);
    size = st.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read '${file}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return { stream: createReadStream(file, { highWaterMark: 256 * 1024 }), size, name: file };
}

/** A progress line on stderr, only when it is a terminal, at most 4 times a second. */
export function createProgress(io: CliIO, size: number | undefined): { update(bytes: number): void; done(): void } {
  if (io.stderrIsTTY !== true) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(bytes: number) {
      const t = Date.now();
      if (t - last < 250) return;
      last = t;
      shown = true;
      const mb = (bytes / 1e6).toFixed(1);
      const pct = size ? ` (${Math.floor((bytes / size) * 100)}%)` : '';
      io.stderr.write(`\rdt-ingest: ${mb} MB read${pct}   `);
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
}

async function validateMetricsCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { options, rest } = takeOptionFlags(args, METRICS_DEFAULTS);
  const common = takeCommonFlags(rest);
  const metricsOptions: MetricsOptions = { ...(options as MetricsOptions) };
  if (common.now !== undefined) metricsOptions.now = common.now;
  const input = openInput(common.file, io);
  const formatter = createFormatter(common.format, io.stdout, input.name);
  const validator = new MetricsValidator(metricsOptions, {
    issues: common.format !== 'dynatrace',
    onIssue: (issue: Issue) => formatter.issue(issue),
  });
  const progress = createProgress(io, input.size);
  try {
    for await (const chunk of input.stream) {
      validator.push(chunk as Uint8Array);
      progress.update(validator.bytes);
    }
  } catch (err) {
    progress.done();
    throw new UsageError(`cannot read '${input.name}': ${(err as Error).message}`);
  }
  progress.done();
  const result = validator.end();
  await formatter.finish(result);
  return result.status === 202 ? 0 : 1;
}
