/**
 * The `dt-ingest` command line: `runCli(argv, io) → exit code` (0 clean, 1 findings, 2 usage or I/O
 * error, as ESLint). This module only dispatches: it finds the command (and sub-command) in the
 * commands table, answers `--help` and `--version`, and turns every mistake into one line on stderr.
 * The `bin` file is a thin shim around it.
 *
 * @module
 */
import '../node.js'; // the native backend, as `import 'dt-ingest'` under Node.js
import { COMMANDS, type Command } from './commands/index.js';
import { UsageError, didYouMean, wantsHelp } from './flags.js';
import { IoError, type CliIO } from './io.js';
import { packageRoot, packageVersion } from './version.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type { CliIO } from './io.js';

/** How every error line of the CLI starts. */
const ERROR_PREFIX = 'dt-ingest: ';

const defaultIO = (): CliIO => ({
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  stdinIsTTY: process.stdin.isTTY === true,
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
});

/**
 * Runs the CLI. Never throws: a usage mistake or an I/O failure is one line on stderr and exit code 2
 * (a stack trace only with `DT_INGEST_DEBUG=1`, for errors that are neither).
 *
 * @example await runCli(['validate', 'metrics', 'examples/metrics.txt']) // 0 or 1
 */
export async function runCli(argv: readonly string[], io: CliIO = defaultIO()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // the library's own errors already name it ("dt-ingest: ..."): one prefix, never two
    io.stderr.write(message.startsWith(ERROR_PREFIX) ? `${message}\n` : `${ERROR_PREFIX}${message}\n`);
    const debug = (io.env ?? process.env).DT_INGEST_DEBUG === '1';
    if (debug && !(err instanceof UsageError) && !(err instanceof IoError) && err instanceof Error) io.stderr.write(`${err.stack}\n`);
    return 2;
  }
}

/**
 * `dt-ingest --help`.
 * @example process.stdout.write(mainHelp())
 */
export function mainHelp(): string {
  const lines: string[] = [];
  for (const c of COMMANDS) {
    if (c.subcommands === undefined) lines.push(`  ${c.name.padEnd(24)} ${c.summary}`);
    else for (const s of c.subcommands) lines.push(`  ${`${c.name} ${s.name}`.padEnd(24)} ${s.summary}`);
  }
  return `dt-ingest ${packageVersion()}: validate Dynatrace ingest payloads as the endpoints judge them

Usage:
  dt-ingest <command> [flags]

Commands:
${lines.join('\n')}

Run 'dt-ingest <command> --help' for the flags of a command; the reference: ${docsPath('cli.md')}.
  -h, --help     print this help
  -v, --version  print the version

Exit codes: 0 no problem, 1 problems found, 2 usage or I/O error.
`;
}

/** The flags that stand where a command would (`dt-ingest --version`). */
const TOP_LEVEL_FLAGS: readonly string[] = ['--help', '--version'];

/**
 * Where a document of docs/ is: in the installed package (it ships docs/), else the relative path.
 * @example docsPath('cli.md') // '/app/node_modules/dt-ingest/docs/cli.md'
 */
export function docsPath(file: string): string {
  const root = packageRoot();
  return root !== undefined && existsSync(join(root, 'docs', file)) ? join(root, 'docs', file) : `docs/${file}`;
}

function find(commands: readonly Command[], name: string, what: string, context: string): Command {
  const c = commands.find((x) => x.name === name);
  if (c !== undefined) return c;
  if (name.startsWith('-')) throw new UsageError(`unknown flag '${name}'${didYouMean(name, TOP_LEVEL_FLAGS)} (${context})`);
  throw new UsageError(
    `unknown ${what} '${name}'${didYouMean(
      name,
      commands.map((x) => x.name),
    )} (${context})`,
  );
}

async function dispatch(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(mainHelp());
    return 2;
  }
  if (first === '--help' || first === '-h') {
    io.stdout.write(mainHelp());
    return 0;
  }
  if (first === '--version' || first === '-v' || first === '-V') {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (first === 'help') return help(rest, io);
  const command = find(COMMANDS, first, 'command', `commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
  if (command.subcommands === undefined) {
    if (wantsHelp(rest)) {
      io.stdout.write(command.help());
      return 0;
    }
    return command.run!(rest, io);
  }
  const [second, ...args] = rest;
  const names = command.subcommands.map((s) => s.name).join(', ');
  if (second === undefined) throw new UsageError(`${command.name} what? give one of ${names} (dt-ingest ${command.name} --help)`);
  if (second === '--help' || second === '-h') {
    io.stdout.write(command.help());
    return 0;
  }
  if (second.startsWith('-') && !wantsHelp(args)) throw new UsageError(`${command.name} what? give one of ${names} before the flags`);
  if (second.startsWith('-')) {
    io.stdout.write(command.help());
    return 0;
  }
  const sub = find(command.subcommands, second, `${command.name} family`, `${command.name} takes: ${names}`);
  if (wantsHelp(args)) {
    io.stdout.write(sub.help());
    return 0;
  }
  return sub.run!(args, io);
}

/** `dt-ingest help [command [sub-command]]`. */
function help(words: readonly string[], io: CliIO): number {
  if (words.length === 0 || wantsHelp(words.slice(0, 1))) {
    io.stdout.write(mainHelp());
    return 0;
  }
  const command = find(COMMANDS, words[0]!, 'command', `commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
  if (words[1] === undefined || command.subcommands === undefined) {
    io.stdout.write(command.help());
    return 0;
  }
  const sub = find(command.subcommands, words[1], `${command.name} family`, `${command.name} takes: ${command.subcommands.map((s) => s.name).join(', ')}`);
  io.stdout.write(sub.help());
  return 0;
}
