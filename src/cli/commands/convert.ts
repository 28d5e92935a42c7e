/**
 * `dt-ingest convert otlp [FILE|GLOB|DIR|-]...`: OTLP metrics requests (protobuf, gzip, OTLP/JSON)
 * to metrics line protocol, with the removed Collector Dynatrace exporter's mapping. The files are
 * read in order through one converter, so cumulative sums spread over captured requests become deltas.
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
    extensions: OTLP_ENDPOINT.cli.extensions,
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

/** `dt-ingest convert`: payload conversions (OTLP metrics → line protocol). */
export const CONVERT_COMMAND: Command = {
  name: 'convert',
  summary: 'convert payloads to metrics line protocol',
  subcommands: [OTLP_LEAF],
  help: () =>
    `Usage:\n  dt-ingest convert otlp [FILE|GLOB|DIR|-]... [flags]\n\nConverts payloads to metrics line protocol. Sources:\n  otlp           ${OTLP_LEAF.summary}\n\nRun 'dt-ingest convert otlp --help' for its flags.\n`,
};
