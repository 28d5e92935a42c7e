/**
 * `dt-ingest analyze [FILE|GLOB|DIR|-]...`: the cardinality budget of captured payloads before
 * Dynatrace enforces one. Every input goes into one sample (files in order): metrics line protocol,
 * OTLP requests (protobuf, gzip, OTLP/JSON), `serve --record` files, or any source format of the
 * converters' table; the report says how many metric keys and dimension tuples it holds, projects
 * the tuples over the 30-day window, lints volatile dimensions and lists the top offenders. Exit code 1
 * when a budget is past its limit (`--max-*` lower them for CI), 2 for a usage or I/O error.
 *
 * @module
 */
import { extname } from 'node:path';
import { CardinalityAnalyzer, LineProtocolAnalyzer, RecordFileAnalyzer, analyzeOtlp, analyzerSink, otlpDecoder } from '../../analyze/index.js';
import type { AnalyzeReport } from '../../analyze/index.js';
import { SOURCE_FORMATS, sourceFormat } from '../../convert/formats.js';
import { ENDPOINTS, endpoint } from '../../endpoints/index.js';
import { OtlpJsonError, looksJson, otlpJsonToProtobuf } from '../../otlp/json.js';
import { ANALYZE_DEFAULTS, type AnalyzeOptions } from '../../protocol/analyze-options.js';
import { ANALYZE_RULE_LIST } from '../../protocol/analyze-rules.js';
import { OTLP_DEFAULTS } from '../../protocol/otlp-options.js';
import { inflateBounded, looksGzipped } from '../../serve/otlp-body.js';
import type { RuleDoc } from '../families.js';
import { UsageError, formatHelp, optionFlags, optionValues, parseFlags, readCount, type FlagGroup, type FlagSpec, type ParsedFlags } from '../flags.js';
import { budgetText } from '../formats/budget.js';
import { FORMATS } from '../formats/index.js';
import type { Counts, Finding } from '../formats/types.js';
import { OutputSink, createProgress, openInput, readChunks, resolveInputs, useColor, type CliIO, type InputRef } from '../io.js';
import { packageVersion } from '../version.js';
import { HELP_FLAG, outputFileFlag } from './common.js';
import type { Command } from './types.js';

/** The report formats of analyze: the budget table, its JSON, and the findings as SARIF or annotations. */
const REPORT_FORMATS = ['stylish', 'json', 'sarif', 'github'] as const;

/** The OTLP input format: named by the OTLP endpoint's id (the row read as protobuf). */
const OTLP_INPUT: string = ENDPOINTS.find((e) => e.reader === 'protobuf')!.id;

/** Input formats besides the converters' source formats. */
const BUILTIN_INPUTS: readonly string[] = ['lines', OTLP_INPUT, 'record'];

/** Extensions of each built-in input format (lines: the metrics endpoint's; OTLP: validate otlp's). */
const LINES_EXTENSIONS: readonly string[] = endpoint('metrics').cli.extensions;
const OTLP_EXTENSIONS: readonly string[] = ['.pb', '.bin', '.protobuf', '.gz', '.json'];
const RECORD_EXTENSIONS: readonly string[] = ['.ndjson', '.jsonl'];

/** The input format names `--input-format` takes. */
function inputFormats(): string[] {
  return [...BUILTIN_INPUTS, ...SOURCE_FORMATS.map((f) => f.id)];
}

/** Every extension taken from a directory. */
function allExtensions(): string[] {
  return [...new Set([...LINES_EXTENSIONS, ...OTLP_EXTENSIONS, ...RECORD_EXTENSIONS, ...SOURCE_FORMATS.flatMap((f) => f.extensions)])];
}

/**
 * The input format of a file by its extension (source formats first, then record, OTLP, lines).
 * @example formatOfPath('a.ndjson') // 'record'
 */
export function formatOfPath(path: string): string {
  const ext = extname(path).toLowerCase();
  for (const f of SOURCE_FORMATS) if (f.extensions.includes(ext)) return f.id;
  if (RECORD_EXTENSIONS.includes(ext)) return 'record';
  if (OTLP_EXTENSIONS.includes(ext)) return OTLP_INPUT;
  return 'lines';
}

/**
 * Reads a duration: a number with a unit (`ms`, `s`, `m`, `h`, `d`; a bare number is days).
 * @example readDuration('30d', '--window') // 2592000000
 */
export function readDuration(value: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (m === null) throw new UsageError(`${flag} takes a duration such as 30d, 12h, 15m, 90s or 500ms, not '${value}'`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'd';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : unit === 'h' ? 3_600_000 : 86_400_000;
  return Math.round(n * factor);
}

/** The four thresholds CI sets, each an option of the table with its documented default. */
const THRESHOLD_FLAGS: readonly FlagSpec[] = [
  {
    name: 'max-keys',
    key: 'maxMetricKeys',
    aliases: ['max-metric-keys'],
    type: 'number',
    value: '<n>',
    help: 'fail (exit 1) past N distinct metric keys',
    default: String(ANALYZE_DEFAULTS.maxMetricKeys),
    parse: readCount,
  },
  {
    name: 'max-tuples',
    key: 'maxTuples',
    type: 'number',
    value: '<n>',
    help: 'fail past N dimension tuples of all metrics over the window (projected)',
    default: String(ANALYZE_DEFAULTS.maxTuples),
    parse: readCount,
  },
  {
    name: 'max-tuples-per-metric',
    key: 'maxTuplesPerMetric',
    type: 'number',
    value: '<n>',
    help: 'fail past N dimension tuples of one metric over the window (projected)',
    default: String(ANALYZE_DEFAULTS.maxTuplesPerMetric),
    parse: readCount,
  },
  {
    name: 'max-dimensions',
    key: 'maxDimensions',
    type: 'number',
    value: '<n>',
    help: 'fail past N dimensions on one point',
    default: String(ANALYZE_DEFAULTS.maxDimensions),
    parse: readCount,
  },
  {
    name: 'window',
    key: 'windowMs',
    type: 'number',
    value: '<duration>',
    help: 'the window tuples are projected over (30d, 12h, ...)',
    default: '30d',
    parse: readDuration,
  },
  {
    name: 'sample-duration',
    key: 'sampleDurationMs',
    type: 'number',
    value: '<duration>',
    help: 'how long a sample without timestamps lasted (to project from line order)',
    default: 'unknown',
    parse: readDuration,
  },
];

const SKIPPED_OPTIONS = THRESHOLD_FLAGS.map((f) => f.key!);
const boundsGroup = optionFlags('Bounds of the analyzer (the options table: meaning and evidence in docs/options.md)', ANALYZE_DEFAULTS, SKIPPED_OPTIONS);
const thresholdGroup: FlagGroup = { title: 'Budget (limits default to those Dynatrace documents; docs/spec/analyze.md)', flags: THRESHOLD_FLAGS };

const GROUPS: readonly FlagGroup[] = [
  {
    title: 'Inputs (FILE, a glob, a directory, or - for standard input; several make one sample)',
    flags: [
      { name: 'stdin', type: 'boolean', help: "read standard input (as '-' does)" },
      { name: 'stdin-filename', type: 'string', value: '<name>', help: 'the name of standard input in reports', default: '<stdin>' },
      {
        name: 'input-format',
        aliases: ['from'],
        type: 'string',
        value: '<name>',
        help: 'read every input as this format (default: by extension; standard input: lines)',
      },
      { name: 'ext', type: 'list', value: '<.ext,...>', help: 'extensions of the files taken from a directory (repeatable)' },
    ],
  },
  {
    title: 'Output',
    flags: [
      {
        name: 'format',
        short: 'f',
        type: 'string',
        choices: REPORT_FORMATS,
        value: '<name>',
        help: `report format: ${REPORT_FORMATS.join(', ')}`,
        default: 'stylish',
      },
      outputFileFlag('write the report to FILE instead of standard output'),
      { name: 'color', type: 'boolean', negatable: true, help: 'colour the stylish report (default: on a terminal)' },
    ],
  },
  thresholdGroup,
  boundsGroup,
  { title: 'Help', flags: [HELP_FLAG] },
];

const USAGE = 'dt-ingest analyze [FILE|GLOB|DIR|-]... [flags]';
const WHAT = `Counts what captured payloads would cost against Dynatrace's cardinality budgets: distinct metric keys,
dimension keys per metric, distinct dimension tuples per metric and in total, projected over the 30-day
window from the sample's rate (timestamps, arrival times of a record file, or line order with
--sample-duration). Flags volatile dimensions (values that look like UUIDs, ids, timestamps, IPs, URLs
with ids) and metrics whose tuples grow with their lines, and lists the top offenders with examples.
Memory is bounded: counts are exact up to a threshold, then HyperLogLog estimates with their error.`;

/** The rules as the SARIF and annotation formats list them. */
const ANALYZE_RULE_DOCS: readonly RuleDoc[] = ANALYZE_RULE_LIST.map((r) => ({ id: r.id, severity: r.severity, endpoint: '', report: r.report }));

/** The analyze command's help. */
function help(): string {
  const inputs = [
    '  lines          metrics line protocol (.txt, .dt, ...)',
    `  ${OTLP_INPUT.padEnd(14)} OTLP metrics requests: protobuf, gzip, OTLP/JSON (.pb, .bin, .gz, .json)`,
    "  record         'dt-ingest serve --record' files (.ndjson, .jsonl)",
    ...SOURCE_FORMATS.map((f) => `  ${f.id.padEnd(14)} ${f.summary} (${f.extensions.join(', ')})`),
  ];
  return formatHelp(
    [USAGE],
    WHAT,
    GROUPS,
    `Input formats:\n${inputs.join('\n')}\n\nExit codes: 0 within every budget (warnings allowed), 1 a budget past its limit, 2 usage or I/O error.`,
  );
}

/** Reads one input into the analyzer. Returns a line for standard error when it could not be read. */
async function readInput(
  ref: InputRef,
  format: string,
  a: CardinalityAnalyzer,
  lines: LineProtocolAnalyzer,
  io: CliIO,
  progress: ReturnType<typeof createProgress>,
): Promise<string | undefined> {
  a.source = ref.name;
  a.clock = Number.NaN;
  const stream = openInput(ref, io);
  let bytes = 0;
  const step = (chunk: Uint8Array): void => {
    bytes += chunk.length;
    progress.update(ref.name, bytes, ref.size);
  };
  if (format === 'lines') {
    for await (const chunk of readChunks(stream, ref)) {
      lines.push(chunk);
      step(chunk);
    }
    lines.end();
    return undefined;
  }
  if (format === 'record') {
    const r = new RecordFileAnalyzer(a);
    for await (const chunk of readChunks(stream, ref)) {
      r.push(chunk);
      step(chunk);
    }
    r.end();
    return undefined;
  }
  if (format === OTLP_INPUT) {
    const limit = OTLP_DEFAULTS.maxBodyBytes * 4;
    const chunks: Uint8Array[] = [];
    for await (const chunk of readChunks(stream, ref)) {
      step(chunk);
      if (bytes > limit) return `${ref.name}: larger than ${limit} bytes, not one OTLP request`;
      chunks.push(chunk);
    }
    let body: Uint8Array = Buffer.concat(chunks, bytes);
    if (looksGzipped(body)) {
      const inflated = await inflateBounded(body, limit, 413);
      if (!inflated.ok) return `${ref.name}: ${inflated.message}`;
      body = inflated.body;
    }
    if (looksJson(body)) {
      try {
        body = otlpJsonToProtobuf(new TextDecoder().decode(body));
      } catch (err) {
        if (!(err instanceof OtlpJsonError)) throw err;
        return `${ref.name}: not an OTLP/JSON request: ${err.message} at '${err.pointer}'`;
      }
    }
    return analyzeOtlp(a, body, otlpDecoder()) ? undefined : `${ref.name}: not an OTLP metrics request (broken protobuf)`;
  }
  const source = sourceFormat(format);
  if (source === undefined) throw new UsageError(`unknown input format '${format}' (one of ${inputFormats().join(', ')})`);
  const converter = source.open(analyzerSink(a));
  for await (const chunk of readChunks(stream, ref)) {
    converter.push(chunk);
    step(chunk);
  }
  converter.end();
  a.lines += converter.counts.lines;
  a.invalid += converter.counts.invalid;
  return undefined;
}

/**
 * Runs `dt-ingest analyze`.
 * @example await runAnalyze(['payloads/', '--max-tuples-per-metric', '10000'], io)
 */
export async function runAnalyze(args: readonly string[], io: CliIO): Promise<number> {
  const parsed: ParsedFlags = parseFlags(args, GROUPS);
  const v = parsed.values;
  const forced = v.get('input-format') as string | undefined;
  if (forced !== undefined && !inputFormats().includes(forced))
    throw new UsageError(`--input-format takes one of ${inputFormats().join(', ')}, not '${forced}'`);
  const options = { ...optionValues(parsed, boundsGroup), ...optionValues(parsed, thresholdGroup) } as AnalyzeOptions;
  let analyzer: CardinalityAnalyzer;
  try {
    analyzer = new CardinalityAnalyzer(options);
  } catch (err) {
    if (err instanceof TypeError) throw new UsageError(err.message.replace(/^dt-ingest: /, ''));
    throw err;
  }
  const cwd = io.cwd ?? process.cwd();
  const inputs = resolveInputs({
    patterns: parsed.positionals,
    extensions: (v.get('ext') as string[] | undefined) ?? allExtensions(),
    stdin: v.get('stdin') === true,
    stdinName: v.get('stdin-filename') as string | undefined,
    cwd,
    stdinIsTTY: io.stdinIsTTY === true,
  });
  const lines = new LineProtocolAnalyzer(analyzer);
  const progress = createProgress(io);
  let unreadable = 0;
  for (const ref of inputs) {
    const format = forced ?? (ref.kind === 'stdin' ? 'lines' : formatOfPath(ref.path));
    const problem = await readInput(ref, format, analyzer, lines, io, progress);
    if (problem !== undefined) {
      progress.clear();
      io.stderr.write(`dt-ingest: ${problem}\n`);
      unreadable++;
    }
  }
  progress.clear();
  const report = analyzer.report();
  const outputFile = v.get('output-file') as string | undefined;
  const sink = outputFile !== undefined ? OutputSink.toFile(outputFile, cwd) : new OutputSink(io.stdout, 'standard output', false, () => undefined);
  try {
    const format = (v.get('format') as string | undefined) ?? 'stylish';
    if (format === 'json') sink.write(`${JSON.stringify(report, null, 2)}\n`);
    else if (format === 'stylish') {
      const color = useColor(v.get('color') as boolean | undefined, io.env ?? process.env, outputFile === undefined && io.stdoutIsTTY === true);
      sink.write(budgetText(report, { color }));
    } else writeFindings(report, format, inputs, sink, cwd);
    await sink.close();
  } catch (err) {
    await sink.close().catch(() => undefined);
    throw err;
  }
  const errors = report.findings.some((f) => f.severity === 'error');
  return errors ? 1 : unreadable > 0 ? 2 : 0;
}

/** The findings through a findings format (sarif, github), each at the file and line of its example. */
function writeFindings(report: AnalyzeReport, format: string, inputs: readonly InputRef[], sink: OutputSink, cwd: string): void {
  const reporter = FORMATS.get(format)!.create(sink, {
    command: 'validate',
    family: 'analyze',
    rules: ANALYZE_RULE_DOCS,
    version: packageVersion(),
    cwd,
    color: false,
    quiet: false,
  });
  const total: Counts = { error: 0, warning: 0, info: 0 };
  reporter.begin();
  let withProblems = 0;
  inputs.forEach((ref, i) => {
    reporter.fileStart(ref);
    const counts: Counts = { error: 0, warning: 0, info: 0 };
    for (const f of report.findings) {
      const here = f.source === ref.name || (i === 0 && (f.source === undefined || !inputs.some((r) => r.name === f.source)));
      if (!here) continue;
      const finding: Finding = { rule: f.rule, severity: f.severity, message: f.message };
      if (f.source === ref.name && f.line !== undefined) {
        finding.line = f.line;
        finding.column = 1;
      }
      if (f.text !== undefined) finding.text = f.text;
      reporter.finding(finding);
      counts[f.severity]++;
      total[f.severity]++;
    }
    if (counts.error + counts.warning > 0) withProblems++;
    reporter.fileEnd(ref, { counts });
  });
  reporter.end({
    files: inputs.length,
    filesWithProblems: withProblems,
    counts: total,
    accepted: 0,
    rejected: 0,
    lines: { ok: report.sample.points, invalid: report.sample.invalid },
  });
}

/** `dt-ingest analyze`. */
export const ANALYZE_COMMAND: Command = {
  name: 'analyze',
  summary: "cardinality budget of captured payloads against Dynatrace's limits",
  help,
  run: runAnalyze,
};
