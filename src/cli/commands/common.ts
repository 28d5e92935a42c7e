/**
 * What the reporting commands (`validate <family>`, `fix metrics`) share: their flag groups (inputs,
 * output, control), and {@link openReport}, which turns the parsed flags into a report: the format
 * on its sink (standard output, or `-o FILE`), colour, the progress line cleared before each write,
 * and the {@link ReportRun} that applies `--rule`/`--quiet`/`--max-warnings`.
 *
 * @module
 */
import { ReportRun, parseRuleSettings } from '../control.js';
import type { RuleDoc } from '../families.js';
import { configFlags, loadConfig } from '../config.js';
import { UsageError, readCount, type FlagGroup, type FlagSpec, type ParsedFlags } from '../flags.js';
import { DEFAULT_FORMAT, FORMATS } from '../formats/index.js';
import type { FormatDefinition, Reporter } from '../formats/types.js';
import { tooManyWarnings } from '../formats/words.js';
import { OutputSink, createProgress, useColor, type CliIO, type Progress } from '../io.js';
import type { JudgeContext } from '../judge/context.js';
import { packageVersion } from '../version.js';

/** `-h, --help` (every command has it). */
export const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', type: 'boolean', help: 'print this help and exit' };

/** `--now`: the clock of the time windows. */
export const NOW_FLAG: FlagSpec = {
  name: 'now',
  type: 'number',
  value: '<epoch-ms>',
  help: 'the clock for timestamp windows, epoch milliseconds',
  default: 'the current time',
  parse: (v, flag) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} takes epoch milliseconds, not '${v}'`);
    return n;
  },
};

/**
 * The input flags: files, globs and directories are positional; these name standard input and the
 * extensions taken from directories.
 * @example inputFlags(['.txt', '.dt'])
 */
export function inputFlags(extensions: readonly string[]): FlagGroup {
  return {
    title: 'Inputs (FILE, a glob, a directory, or - for standard input; several allowed)',
    flags: [
      { name: 'stdin', type: 'boolean', help: "read standard input (as '-' does)" },
      { name: 'stdin-filename', type: 'string', value: '<name>', help: 'the name of standard input in reports', default: '<stdin>' },
      { name: 'ext', type: 'list', value: '<.ext,...>', help: 'extensions of the files taken from a directory (repeatable)', default: extensions.join(',') },
    ],
  };
}

/**
 * `-o, --output-file FILE`: where the command's output goes instead of standard output (the report of
 * `validate`, the repaired body of `fix`). `--output` is accepted for it too (fix's earlier name).
 * @example outputFileFlag('write the report to FILE instead of standard output')
 */
export function outputFileFlag(help: string): FlagSpec {
  return { name: 'output-file', short: 'o', aliases: ['output'], type: 'string', value: '<file>', help };
}

/** The configuration flags (`src/cli/config.ts`). */
export const CONFIG_GROUP: FlagGroup = {
  title: 'Configuration (dt-ingest.config.{js,mjs,json} or "dt-ingest" in package.json, found upward; flags win)',
  flags: [
    { name: 'config', short: 'c', type: 'string', value: '<file>', help: 'read this configuration file instead of looking for one' },
    { name: 'no-config', type: 'boolean', help: 'read no configuration file' },
  ],
};

/**
 * What a configuration adds to a run: the flags merged under the command line's, and the files and
 * ignores for the inputs.
 */
export interface Configured {
  readonly parsed: ParsedFlags;
  /** The configuration's files for the family, when the command line names no input. */
  readonly files: readonly string[] | undefined;
  readonly ignores: readonly string[] | undefined;
  /** The configuration file's directory (its files start there). */
  readonly base: string | undefined;
}

/**
 * Finds and reads the configuration (unless `--no-config`), and merges it under the flags: a flag
 * given on the command line wins; rule settings merge per rule id.
 * @example const { parsed, files } = await applyConfig(parseFlags(args, groups), io, 'metrics', 'validate', METRICS_RULES)
 */
export async function applyConfig(parsed: ParsedFlags, io: CliIO, family: string, command: 'validate' | 'fix', rules: readonly RuleDoc[]): Promise<Configured> {
  const v = parsed.values;
  if (v.get('no-config') === true) {
    if (v.has('config')) throw new UsageError('--config and --no-config contradict each other');
    return { parsed, files: undefined, ignores: undefined, base: undefined };
  }
  const loaded = await loadConfig(io.cwd ?? process.cwd(), v.get('config') as string | undefined);
  if (loaded === undefined) return { parsed, files: undefined, ignores: undefined, base: undefined };
  const values = new Map(v);
  for (const [name, value] of configFlags(
    loaded.config,
    family,
    command,
    rules.map((r) => r.id),
  )) {
    if (name === 'rule') {
      const given = ((v.get('rule') as string[] | undefined) ?? []).map((r) => r.slice(0, r.indexOf('=')).trim());
      const fromConfig = (value as string[]).filter((r) => !given.includes(r.slice(0, r.indexOf('='))));
      values.set('rule', [...fromConfig, ...((v.get('rule') as string[] | undefined) ?? [])]);
    } else if (!values.has(name)) values.set(name, value);
  }
  // a format without findings (dynatrace, named on the command line) takes no rule settings or
  // warning limit: the configuration's are not applied to it (the command line's are refused)
  const format = FORMATS.get((values.get('format') as string | undefined) ?? DEFAULT_FORMAT);
  if (format !== undefined && !format.findings) {
    if (!v.has('rule')) values.delete('rule');
    if (!v.has('max-warnings')) values.delete('max-warnings');
  }
  return { parsed: { values, positionals: parsed.positionals }, files: loaded.config.files?.[family], ignores: loaded.config.ignores, base: loaded.dir };
}

/** The names of the formats a command accepts. */
function formatNames(forFix: boolean): string[] {
  return [...FORMATS.values()].filter((f) => !forFix || f.forFix).map((f) => f.name);
}

/**
 * The Formats section of a help text.
 * @example formatsHelp('validate')
 */
export function formatsHelp(command: 'validate' | 'fix'): string {
  const names = formatNames(command === 'fix');
  const width = Math.max(...names.map((n) => n.length));
  return `Formats:\n${[...FORMATS.values()]
    .filter((f) => names.includes(f.name))
    .map((f) => `  ${f.name.padEnd(width)}  ${f.summary}`)
    .join('\n')}\n`;
}

/** Every format name: `fix` parses them all, to refuse `dynatrace` with a reason rather than a list. */
const ALL_FORMATS: readonly string[] = [...FORMATS.keys()];

/**
 * The output flags: the format, where the report goes, colour.
 * @example outputFlags('validate')
 */
export function outputFlags(command: 'validate' | 'fix'): FlagGroup {
  const names = formatNames(command === 'fix');
  const flags: FlagSpec[] = [
    {
      name: 'format',
      short: 'f',
      type: 'string',
      choices: ALL_FORMATS,
      value: '<name>',
      help: `report format${command === 'fix' ? ' (of the report on stderr)' : ''}: ${names.join(', ')} (see Formats)`,
      default: DEFAULT_FORMAT,
    },
  ];
  if (command === 'validate') flags.push(outputFileFlag('write the report to FILE instead of standard output'));
  flags.push({
    name: 'color',
    type: 'boolean',
    negatable: true,
    help: 'colour the stylish report (default: on a terminal; NO_COLOR and FORCE_COLOR are honoured)',
  });
  return { title: 'Output', flags };
}

/**
 * The control flags: what is reported and what fails the run.
 * @example controlFlags('metrics rule ids')
 */
export function controlFlags(extra: readonly FlagSpec[] = []): FlagGroup {
  return {
    title: 'Control',
    flags: [
      { name: 'quiet', short: 'q', type: 'boolean', help: 'report errors only (warnings still count for --max-warnings)' },
      { name: 'max-warnings', type: 'number', value: '<n>', help: 'exit 1 when there are more than N warnings; -1 for no limit', parse: readMaxWarnings },
      { name: 'rule', type: 'list', value: '<id=off|warn|error>', help: "set a rule's severity (repeatable); off also stops collecting it" },
      NOW_FLAG,
      ...extra,
    ],
  };
}

/**
 * Reads `--max-warnings`: a whole number, or -1 for no limit (as ESLint), which is `Infinity` here.
 * @example readMaxWarnings('-1', '--max-warnings') // Infinity
 */
export function readMaxWarnings(value: string, flag: string): number {
  if (value.trim() === '-1') return Number.POSITIVE_INFINITY;
  return readCount(value, flag);
}

/**
 * A report opened from the parsed flags.
 * @example const report = openReport(io, parsed, { command: 'validate', family: 'metrics', rules, to: 'stdout' })
 */
export interface OpenReport {
  readonly format: FormatDefinition;
  readonly sink: OutputSink;
  readonly reporter: Reporter;
  readonly run: ReportRun;
  readonly progress: Progress;
  readonly ctx: JudgeContext;
  /** The report goes to a file (`-o`), not to a stream the user sees. */
  readonly toFile: boolean;
}

/**
 * Ends a report: the summary, the exit code, and a line on standard error when `--max-warnings` is
 * exceeded and the report does not say so where the user reads it (json, sarif, junit; any report
 * written to a file), so that an exit code 1 is never silent.
 * @example return await finishReport(report, io)
 */
export async function finishReport(report: OpenReport, io: CliIO): Promise<number> {
  const code = report.run.finish();
  report.progress.clear();
  await report.sink.close();
  const exceeded = report.run.tooManyWarnings;
  if (exceeded !== undefined && (report.toFile || report.format.saysTooManyWarnings !== true)) io.stderr.write(`dt-ingest: ${tooManyWarnings(exceeded)}\n`);
  return code;
}

/**
 * Opens the report the flags ask for. Throws {@link UsageError} for a combination that cannot be
 * honoured (`--rule` or `--max-warnings` with `dynatrace`, whose answers they do not change).
 * @example const { run, sink } = openReport(io, parsed, { command: 'validate', family: 'metrics', rules: METRICS_RULES, to: 'stdout' })
 */
export function openReport(
  io: CliIO,
  parsed: ParsedFlags,
  o: { command: 'validate' | 'fix'; family: string; rules: readonly RuleDoc[]; to: 'stdout' | 'stderr' },
): OpenReport {
  const v = parsed.values;
  const format = FORMATS.get((v.get('format') as string | undefined) ?? DEFAULT_FORMAT)!;
  if (o.command === 'fix' && !format.forFix) {
    throw new UsageError(
      `--format ${format.name} prints the endpoint's answers, and fix has none (its output is the repaired body): use 'validate metrics --format ${format.name}', or another format for the repairs`,
    );
  }
  if (!format.findings) {
    for (const flag of ['rule', 'max-warnings']) {
      if (v.has(flag)) throw new UsageError(`--${flag} does not apply to --format ${format.name}, which prints the endpoint's answers (use another format)`);
    }
  }
  const rules = parseRuleSettings((v.get('rule') as string[] | undefined) ?? [], o.rules);
  const cwd = io.cwd ?? process.cwd();
  const env = io.env ?? process.env;
  const progress = createProgress(io);
  // fix's -o is the repaired body; its report always goes to standard error
  const outputFile = o.command === 'validate' ? (v.get('output-file') as string | undefined) : undefined;
  const sink =
    outputFile !== undefined
      ? OutputSink.toFile(outputFile, cwd)
      : o.to === 'stdout'
        ? new OutputSink(io.stdout, 'standard output', false, () => progress.clear())
        : new OutputSink(io.stderr, 'standard error', false, () => progress.clear());
  const toTerminal = outputFile === undefined && (o.to === 'stdout' ? io.stdoutIsTTY : io.stderrIsTTY) === true;
  const quiet = v.get('quiet') === true;
  const reporter = format.create(sink, {
    command: o.command,
    family: o.family,
    rules: o.rules,
    version: packageVersion(),
    cwd,
    color: useColor(v.get('color') as boolean | undefined, env, toTerminal),
    quiet,
  });
  const run = new ReportRun(reporter, { rules, quiet, maxWarnings: v.get('max-warnings') as number | undefined, byStatus: !format.findings });
  return {
    format,
    sink,
    reporter,
    run,
    progress,
    ctx: { run, sink, progress, findings: format.findings, bodies: !format.findings },
    toFile: outputFile !== undefined,
  };
}

/**
 * Closes a report after a failure, keeping the first error: the progress line is cleared and the
 * report file closed, whatever state they are in.
 * @example try { ... } catch (err) { await abandonReport(report); throw err; }
 */
export async function abandonReport(report: OpenReport): Promise<void> {
  report.progress.clear();
  await report.sink.close().catch(() => undefined);
}
