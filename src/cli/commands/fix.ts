/**
 * `dt-ingest fix metrics [FILE|-] [-o FILE]`: the repaired body to standard output (or `-o FILE`),
 * every repair and every line left out to standard error in the chosen format. Exit 0 when nothing
 * was left out, 1 when lines had to be (an error finding), 2 on usage or I/O errors. There is no
 * endpoint answer to a repair, so `--format dynatrace` is not offered.
 *
 * @module
 */
import { FIX_DEFAULTS, METRICS_DEFAULTS, type FixOptions, type MetricsOptions } from '../../protocol/options.js';
import { MetricsFixer } from '../../produce/fix.js';
import { endpoint } from '../../endpoints/index.js';
import { FIX_RULES, METRICS_SUMMARY } from '../families.js';
import { formatHelp, optionFlags, optionValues, parseFlags, type FlagGroup } from '../flags.js';
import { OutputSink, openInput, readChunks, resolveInputs, type CliIO } from '../io.js';
import { HELP_FLAG, abandonReport, controlFlags, formatsHelp, openReport, outputFlags } from './common.js';
import { EXIT_CODES_HELP } from './validate.js';
import type { Command } from './types.js';

const optionGroup = optionFlags('Metrics and fix options (the options tables: meaning and evidence in docs/options.md)', {
  ...METRICS_DEFAULTS,
  ...FIX_DEFAULTS,
});

const GROUPS: readonly FlagGroup[] = [
  {
    title: 'Input (FILE, or - for standard input; one at a time)',
    flags: [
      { name: 'stdin', type: 'boolean', help: "read standard input (as '-' does)" },
      { name: 'stdin-filename', type: 'string', value: '<name>', help: 'the name of standard input in the report', default: '<stdin>' },
    ],
  },
  {
    title: 'Output',
    flags: [
      { name: 'output', short: 'o', type: 'string', value: '<file>', help: 'write the repaired body to FILE instead of standard output' },
      ...outputFlags('fix').flags,
    ],
  },
  controlFlags(),
  optionGroup,
  { title: 'Help', flags: [HELP_FLAG] },
];

async function runFix(args: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseFlags(args, GROUPS);
  const v = parsed.values;
  const cwd = io.cwd ?? process.cwd();
  const [ref] = resolveInputs({
    patterns: parsed.positionals,
    extensions: endpoint('metrics').cli.extensions,
    stdin: v.get('stdin') === true,
    stdinName: v.get('stdin-filename') as string | undefined,
    cwd,
    stdinIsTTY: io.stdinIsTTY === true,
    single: true,
  });
  const options = optionValues(parsed, optionGroup) as MetricsOptions & FixOptions;
  const now = v.get('now') as number | undefined;
  if (now !== undefined) options.now = now;
  const outputFile = v.get('output') as string | undefined;
  const report = openReport(io, parsed, { command: 'fix', family: 'metrics', rules: FIX_RULES, to: 'stderr' });
  let body: OutputSink | undefined;
  try {
    body = outputFile !== undefined ? OutputSink.toFile(outputFile, cwd) : new OutputSink(io.stdout, 'standard output', false, () => report.progress.clear());
    const out = body;
    const fixer = new MetricsFixer(options, { onLine: (text) => out.write(`${text}\n`), onIssue: (issue) => report.run.issue(issue) });
    report.run.begin();
    report.run.startFile(ref!);
    let bytes = 0;
    for await (const chunk of readChunks(openInput(ref!, io), ref!)) {
      fixer.push(chunk);
      bytes += chunk.length;
      report.progress.update(ref!.name, bytes, ref!.size);
      await body.drain();
      await report.sink.drain();
    }
    fixer.end();
    report.run.endFile(ref!, { fix: { kept: fixer.linesKept, repaired: fixer.linesRepaired, dropped: fixer.linesDropped } });
    const code = report.run.finish();
    report.progress.clear();
    await body.close();
    await report.sink.close();
    return code;
  } catch (err) {
    await abandonReport(report);
    await body?.close().catch(() => undefined);
    throw err;
  }
}

const FIX_METRICS: Command = {
  name: 'metrics',
  summary: `repair a ${METRICS_SUMMARY} body`,
  help: () =>
    formatHelp(
      ['dt-ingest fix metrics [FILE|-] [-o FILE] [flags]'],
      'Repairs what can be repaired (keys, dimension values, float-error summaries, timestamps in seconds) and leaves\nout what cannot, so the output always validates. The repaired body goes to standard output (or -o FILE);\nevery repair (a warning) and every line left out (an error) goes to standard error in the chosen format.',
      GROUPS,
      `${formatsHelp('fix')}\n${EXIT_CODES_HELP}`,
    ),
  run: runFix,
};

/** `dt-ingest fix`: one sub-command, `metrics`. */
export const FIX_COMMAND: Command = {
  name: 'fix',
  summary: 'repair a metrics body: the repaired body to stdout, the repairs to stderr',
  subcommands: [FIX_METRICS],
  help: () =>
    `Usage:\n  dt-ingest fix metrics [FILE|-] [-o FILE] [flags]\n\nRepairs payloads. Families:\n  metrics        ${FIX_METRICS.summary}\n\nRun 'dt-ingest fix metrics --help' for its flags.\n\n${EXIT_CODES_HELP}\n`,
};
