/**
 * `dt-ingest convert <format> [FILE|GLOB|DIR|-]...`: payloads of a source format to metrics line
 * protocol. One leaf per row of `convert/formats.ts` (`prometheus`, `openmetrics`, and the rows later
 * converters add), each with the flags of its options table, `--to lines`, `-o`, and a mapping report
 * (what was renamed, merged or dropped, by rule, with counts and the first examples) on standard
 * error or as JSON; plus `otlp`: OTLP metrics requests (protobuf, gzip, OTLP/JSON) with the removed
 * Collector Dynatrace exporter's mapping. The files are read in order through one converter, so
 * counters spread over captured scrapes or requests become deltas.
 *
 * @module
 */
import { SERIES_STATE_DEFAULTS, type SeriesStateOptions } from '../../protocol/otlp-options.js';
import { OtlpJsonError, looksJson, otlpJsonToProtobuf } from '../../otlp/json.js';
import { OtlpLineConverter } from '../../produce/otlp-lines.js';
import { inflateBounded, looksGzipped } from '../../serve/otlp-body.js';
import { OTLP_DEFAULTS } from '../../protocol/otlp-options.js';
import { UsageError, formatHelp, optionFlags, optionValues, parseFlags, type FlagGroup } from '../flags.js';
import { OutputSink, openInput, readChunks, resolveInputs, type CliIO } from '../io.js';
import { HELP_FLAG } from './common.js';
import type { Command } from './types.js';
import { ENDPOINTS } from '../../endpoints/index.js';
import { SOURCE_FORMATS, type SourceFormat } from '../../convert/formats.js';
import type { ConvertCounts, ConvertProblem, SourceConverter } from '../../convert/source.js';
import { LineWriter } from '../../convert/write-lines.js';
import { CONVERT_RULES } from '../../protocol/convert-rules.js';

const seriesGroup = optionFlags('Series state (cumulative sums; meaning in docs/otlp.md)', SERIES_STATE_DEFAULTS);

const GROUPS: readonly FlagGroup[] = [
  {
    title: 'Input and output',
    flags: [
      { name: 'stdin', type: 'boolean', help: "read standard input (as '-' does)" },
      { name: 'output', short: 'o', type: 'string', value: '<file>', help: 'write the lines to FILE instead of standard output' },
      { name: 'quiet', short: 'q', type: 'boolean', help: 'do not print what was skipped' },
    ],
  },
  seriesGroup,
  { title: 'Help', flags: [HELP_FLAG] },
];

const USAGE = 'dt-ingest convert otlp [FILE|GLOB|DIR|-]... [flags]';
const WHAT =
  'Converts OTLP metrics requests (ExportMetricsServiceRequest: protobuf, gzip, or OTLP/JSON) to metrics line\nprotocol, as the removed OpenTelemetry Collector Dynatrace exporter did: delta counters as count, gauges and\ncumulative UpDownCounters as gauge, delta histograms as gauge,min=,max=,sum=,count=, cumulative counters as\ndeltas through a bounded series state across the files in order (the first point of a series gives no line).\nWhat gives no line is counted on standard error.';

async function runConvert(args: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseFlags(args, GROUPS);
  const v = parsed.values;
  const cwd = io.cwd ?? process.cwd();
  const inputs = resolveInputs({
    patterns: parsed.positionals,
    extensions: ['.pb', '.bin', '.protobuf', '.json', '.gz'],
    stdin: v.get('stdin') === true,
    cwd,
    stdinIsTTY: io.stdinIsTTY === true,
  });
  const converter = new OtlpLineConverter({ series: optionValues(parsed, seriesGroup) as SeriesStateOptions });
  const outputFile = v.get('output') as string | undefined;
  const out = outputFile !== undefined ? OutputSink.toFile(outputFile, cwd) : new OutputSink(io.stdout, 'standard output', false, () => undefined);
  const skipped: Record<string, number> = {};
  let failed = 0;
  try {
    for (const ref of inputs) {
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of readChunks(openInput(ref, io), ref)) {
        size += chunk.length;
        if (size > OTLP_DEFAULTS.maxBodyBytes * 4)
          throw new UsageError(`${ref.name}: larger than ${OTLP_DEFAULTS.maxBodyBytes * 4} bytes, not one OTLP request`);
        chunks.push(chunk);
      }
      let bytes: Uint8Array = Buffer.concat(chunks, size);
      if (looksGzipped(bytes)) {
        const inflated = await inflateBounded(bytes, OTLP_DEFAULTS.maxBodyBytes * 4, 413);
        if (!inflated.ok) {
          io.stderr.write(`${ref.name}: ${inflated.message}\n`);
          failed++;
          continue;
        }
        bytes = inflated.body;
      }
      if (looksJson(bytes)) {
        try {
          bytes = otlpJsonToProtobuf(new TextDecoder().decode(bytes));
        } catch (err) {
          if (!(err instanceof OtlpJsonError)) throw err;
          io.stderr.write(`${ref.name}: not an OTLP/JSON request: ${err.message} at '${err.pointer}'\n`);
          failed++;
          continue;
        }
      }
      const result = converter.convert(bytes);
      if (result.error !== null) {
        io.stderr.write(`${ref.name}: ${result.error}\n`);
        failed++;
        continue;
      }
      for (const line of result.lines) out.write(`${line}\n`);
      for (const [reason, n] of Object.entries(result.skipped)) skipped[reason] = (skipped[reason] ?? 0) + n;
      await out.drain();
    }
    await out.close();
  } catch (err) {
    await out.close().catch(() => undefined);
    throw err;
  }
  const reasons = Object.entries(skipped);
  if (v.get('quiet') !== true && reasons.length > 0) io.stderr.write(`points without a line: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')}\n`);
  return failed > 0 ? 1 : 0;
}

/** The OTLP endpoint's row: its id names the source format. */
const OTLP_ENDPOINT = ENDPOINTS.find((e) => e.reader === 'protobuf')!;

const OTLP_LEAF: Command = {
  name: OTLP_ENDPOINT.id,
  summary: 'OTLP metrics requests to metrics line protocol',
  help: () => formatHelp([USAGE], WHAT, GROUPS, 'Exit codes: 0 converted, 1 a file could not be read as an OTLP request, 2 usage or I/O error.'),
  run: runConvert,
};

// --- the source formats of convert/formats.ts ---------------------------------------------------------

/** Targets of `--to` (the metrics line protocol is the only one). */
const TARGETS = ['lines'] as const;
/** Examples kept per rule in the mapping report. */
const REPORT_EXAMPLES = 3;

/** Flags every source-format leaf has besides its options. */
const SOURCE_IO_GROUP: FlagGroup = {
  title: 'Input and output',
  flags: [
    { name: 'stdin', type: 'boolean', help: "read standard input (as '-' does)" },
    { name: 'to', type: 'string', choices: TARGETS, value: '<lines>', help: 'what to write: metrics line protocol', default: 'lines' },
    { name: 'output', short: 'o', type: 'string', value: '<file>', help: 'write the lines to FILE instead of standard output' },
    {
      name: 'report',
      type: 'string',
      choices: ['text', 'json', 'none'],
      value: '<text|json|none>',
      help: 'the mapping report (renamed, merged, dropped, invalid: counts and first examples by rule) on standard error',
      default: 'text',
    },
    { name: 'report-file', type: 'string', value: '<file>', help: 'write the mapping report to FILE instead of standard error' },
    { name: 'quiet', short: 'q', type: 'boolean', help: 'no mapping report (as --report none)' },
  ],
};

/** One rule in the mapping report. */
interface ReportRule {
  rule: string;
  kind: string;
  count: number;
  examples: { file: string; line: number; column: number; message: string }[];
}

/** The mapping report of one `convert <format>` run (`--report json` prints it). */
interface MappingReport {
  format: string;
  files: number;
  lines: number;
  points: number;
  invalid: number;
  rules: ReportRule[];
}

function addCounts(total: ConvertCounts, c: ConvertCounts): void {
  total.lines += c.lines;
  total.points += c.points;
  total.invalid += c.invalid;
  for (const [rule, n] of Object.entries(c.byRule)) total.byRule[rule] = (total.byRule[rule] ?? 0) + n;
}

function reportText(r: MappingReport): string {
  const s = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  let out = `${r.format}: ${s(r.files, 'input')}, ${s(r.lines, 'line')} read, ${s(r.points, 'point')} written, ${s(r.invalid, 'invalid line')}\n`;
  for (const rule of r.rules) {
    out += `  ${rule.kind.padEnd(8)} ${rule.rule} ×${rule.count}\n`;
    for (const e of rule.examples) out += `           ${e.file}:${e.line}:${e.column} ${e.message}\n`;
  }
  return out;
}

function sourceLeaf(format: SourceFormat<never>): Command {
  const optionsGroup = optionFlags(`Mapping options (docs/options.md; evidence in ${format.spec})`, format.defaults ?? {}, ['maxStringBytes', 'batchPoints']);
  const groups: readonly FlagGroup[] = [SOURCE_IO_GROUP, optionsGroup, seriesGroup, { title: 'Help', flags: [HELP_FLAG] }];
  const usage = `dt-ingest convert ${format.id} [FILE|GLOB|DIR|-]... [flags]`;
  const what = `Converts ${format.summary} to metrics line protocol, with the mapping of ${format.spec}. The inputs are read in order through one converter, so counters spread over successive scrapes become deltas (the first value of a series gives no line). The mapping report lists what was renamed, merged, dropped or could not be read, by rule.`;
  return {
    name: format.id,
    summary: `${format.summary} to metrics line protocol`,
    help: () => formatHelp([usage], what, groups, 'Exit codes: 0 converted, 1 some input could not be read (invalid lines), 2 usage or I/O error.'),
    run: async (args, io) => {
      const parsed = parseFlags(args, groups);
      const v = parsed.values;
      const cwd = io.cwd ?? process.cwd();
      const inputs = resolveInputs({
        patterns: parsed.positionals,
        extensions: format.extensions,
        stdin: v.get('stdin') === true,
        cwd,
        stdinIsTTY: io.stdinIsTTY === true,
      });
      const options = { ...optionValues(parsed, optionsGroup), series: optionValues(parsed, seriesGroup) as SeriesStateOptions };
      const reportMode = v.get('quiet') === true ? 'none' : ((v.get('report') as string | undefined) ?? 'text');
      const outputFile = v.get('output') as string | undefined;
      const out = outputFile !== undefined ? OutputSink.toFile(outputFile, cwd) : new OutputSink(io.stdout, 'standard output', false, () => undefined);
      const writer = new LineWriter();
      const rules = new Map<string, ReportRule>();
      let file = '';
      const sink = {
        points: (batch: Parameters<LineWriter['write']>[0]) => out.write(writer.write(batch)),
        problem: (p: ConvertProblem) => {
          let r = rules.get(p.rule);
          if (r === undefined) rules.set(p.rule, (r = { rule: p.rule, kind: p.kind, count: 0, examples: [] }));
          if (r.examples.length < REPORT_EXAMPLES) r.examples.push({ file, line: p.line, column: p.column, message: p.message });
        },
      };
      const total: ConvertCounts = { lines: 0, points: 0, invalid: 0, byRule: {} };
      let converter: SourceConverter | undefined;
      let opened = 0;
      try {
        for (const ref of inputs) {
          file = ref.name;
          if (converter?.reset !== undefined) converter.reset();
          else {
            if (converter !== undefined) addCounts(total, converter.counts);
            converter = format.open(sink, options as never);
          }
          opened++;
          for await (const chunk of readChunks(openInput(ref, io), ref)) {
            converter.push(chunk);
            await out.drain();
          }
          converter.end();
          await out.drain();
        }
        await out.close();
      } catch (err) {
        await out.close().catch(() => undefined);
        throw err;
      }
      if (converter !== undefined) addCounts(total, converter.counts);
      // counts by rule come from the converter (a repeated rename is reported once, counted each time)
      for (const [rule, count] of Object.entries(total.byRule)) {
        const row = rules.get(rule) ?? { rule, kind: CONVERT_RULES.get(rule)?.kind ?? 'dropped', count: 0, examples: [] };
        row.count = count;
        rules.set(rule, row);
      }
      const order = { invalid: 0, dropped: 1, merged: 2, renamed: 3 } as Record<string, number>;
      const report: MappingReport = {
        format: format.id,
        files: opened,
        lines: total.lines,
        points: total.points,
        invalid: total.invalid,
        rules: [...rules.values()].sort((a, b) => (order[a.kind] ?? 9) - (order[b.kind] ?? 9) || b.count - a.count || a.rule.localeCompare(b.rule)),
      };
      if (reportMode !== 'none') {
        const text = reportMode === 'json' ? `${JSON.stringify(report, null, 2)}\n` : reportText(report);
        const reportFile = v.get('report-file') as string | undefined;
        if (reportFile !== undefined) {
          const sinkFile = OutputSink.toFile(reportFile, cwd);
          sinkFile.write(text);
          await sinkFile.close();
        } else io.stderr.write(text);
      }
      return total.invalid > 0 ? 1 : 0;
    },
  };
}

/** The leaves: one per source format, then OTLP. */
const LEAVES: readonly Command[] = [...SOURCE_FORMATS.map((f) => sourceLeaf(f)), OTLP_LEAF];

/** `dt-ingest convert`: payload conversions to metrics line protocol, one leaf per source format. */
export const CONVERT_COMMAND: Command = {
  name: 'convert',
  summary: 'convert payloads to metrics line protocol',
  subcommands: LEAVES,
  help: () =>
    `Usage:\n  dt-ingest convert <${LEAVES.map((l) => l.name).join('|')}> [FILE|GLOB|DIR|-]... [flags]\n\nConverts payloads to metrics line protocol. Sources:\n${LEAVES.map((l) => `  ${l.name.padEnd(14)} ${l.summary}`).join('\n')}\n\nRun 'dt-ingest convert <source> --help' for its flags.\n`,
};
