/**
 * `dt-ingest bench [FILE|-]`: the benchmark for people who size a proxy or tune an exporter, on their
 * own payloads or the built-in exporter corpus. Every mode of the modes table on every backend that
 * is available: MB/s, lines/s, ns per line and bytes allocated per line, next to a byte loop measured
 * in the same run (so a figure can be compared across machines as a ratio). A table on a terminal,
 * `--format json` for scripts. The input is read into memory whole; its verdicts are checked to be
 * the same in every mode before anything is timed.
 *
 * @module
 */
import { cpus } from 'node:os';
import type { MetricsOptions } from '../../protocol/options.js';
import { BENCH_BACKENDS, BENCH_MODES, byteLoop, type BenchCount } from '../bench/modes.js';
import { measure, type MeasureSettings } from '../bench/measure.js';
import { NOW as CORPUS_NOW, generateCorpus } from '../bench/corpus.js';
import { UsageError, formatHelp, parseFlags, readCount, readNumber, type FlagGroup } from '../flags.js';
import { openInput, readChunks, resolveInputs, type CliIO } from '../io.js';
import { HELP_FLAG, NOW_FLAG } from './common.js';
import type { Command } from './types.js';

const GROUPS: readonly FlagGroup[] = [
  {
    title: 'Input (FILE or - for standard input; without one, the built-in exporter corpus)',
    flags: [
      { name: 'corpus-bytes', type: 'number', value: '<n>', help: 'size of the built-in corpus', default: '4000000', parse: readCount },
      {
        name: 'invalid-ratio',
        type: 'number',
        value: '<0..1>',
        help: 'share of typical invalid lines in the built-in corpus',
        default: '0',
        parse: (v, flag) => {
          const n = readNumber(v, flag);
          if (n > 1) throw new UsageError(`${flag} takes a share from 0 to 1, not '${v}'`);
          return n;
        },
      },
      NOW_FLAG,
    ],
  },
  {
    title: 'Measurement',
    flags: [
      {
        name: 'samples',
        type: 'number',
        value: '<n>',
        help: 'timed samples per mode (the median is reported)',
        default: '5',
        parse: (v, f) => {
          const n = readCount(v, f);
          if (n < 1) throw new UsageError(`${f} takes at least 1 sample, not '${v}'`);
          return n;
        },
      },
      { name: 'sample-ms', type: 'number', value: '<ms>', help: 'least duration of one sample', default: '200', parse: readCount },
    ],
  },
  {
    title: 'Output',
    flags: [
      {
        name: 'format',
        short: 'f',
        type: 'string',
        choices: ['table', 'json'],
        value: '<table|json>',
        help: 'a table for people, JSON for scripts',
        default: 'table',
      },
    ],
  },
  { title: 'Help', flags: [HELP_FLAG] },
];

/** One row of the report. */
interface Row {
  mode: string;
  backend: string;
  available: boolean;
  missing?: string;
  mbPerSecond?: number;
  linesPerSecond?: number;
  nsPerLine?: number;
  bytesPerLine?: number;
  vsByteLoop?: number;
}

async function readAll(io: CliIO, file: string): Promise<Uint8Array> {
  const [ref] = resolveInputs({
    patterns: [file],
    extensions: [],
    stdin: false,
    cwd: io.cwd ?? process.cwd(),
    stdinIsTTY: io.stdinIsTTY === true,
    single: true,
  });
  const chunks: Uint8Array[] = [];
  for await (const chunk of readChunks(openInput(ref!, io), ref!)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function same(a: BenchCount, b: BenchCount): boolean {
  return a.lines === b.lines && a.invalid === b.invalid;
}

async function runBench(args: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseFlags(args, GROUPS);
  const v = parsed.values;
  if (parsed.positionals.length > 1) throw new UsageError(`one input at a time: got '${parsed.positionals[0]}' and '${parsed.positionals[1]}'`);
  const file = parsed.positionals[0];
  let body: Uint8Array;
  let source: string;
  let now = v.get('now') as number | undefined;
  if (file === undefined) {
    const bytes = (v.get('corpus-bytes') as number | undefined) ?? 4_000_000;
    const ratio = (v.get('invalid-ratio') as number | undefined) ?? 0;
    body = new TextEncoder().encode(generateCorpus({ bytes, invalidRatio: ratio }).text);
    source = `built-in exporter corpus${ratio > 0 ? ` (${ratio * 100}% invalid)` : ''}`;
    now ??= CORPUS_NOW;
  } else {
    body = await readAll(io, file);
    source = file === '-' ? 'standard input' : file;
  }
  // the throughput of the lines is measured, so no body limit applies
  const options: MetricsOptions = { now: now ?? Date.now(), maxBodyBytes: Number.POSITIVE_INFINITY };
  const settings: MeasureSettings = { samples: (v.get('samples') as number | undefined) ?? 5, sampleMs: (v.get('sample-ms') as number | undefined) ?? 200 };

  const reference = BENCH_MODES[0]!.prepare(body, 'js', options)();
  if (reference.lines === 0) throw new UsageError(`nothing to measure: ${source} has no metric lines`);
  const base = measure(() => byteLoop(body), settings);
  const rows: Row[] = [
    { mode: 'byte loop', backend: 'js', available: true, ...figures(base.nsPerRun, base.bytesPerRun, body.length, reference.lines, base.nsPerRun) },
  ];
  for (const mode of BENCH_MODES) {
    for (const backend of BENCH_BACKENDS) {
      if (mode.backends !== undefined && !mode.backends.includes(backend.name)) continue;
      if (!backend.available()) {
        rows.push({ mode: mode.name, backend: backend.name, available: false, missing: backend.missing });
        continue;
      }
      const run = mode.prepare(body, backend.name, options);
      const check = run();
      if (!same(check, reference))
        throw new Error(
          `bench: ${mode.name} (${backend.name}) saw ${check.lines} lines, ${check.invalid} invalid; validate-only (js) saw ${reference.lines}, ${reference.invalid}`,
        );
      const m = measure(run, settings);
      rows.push({
        mode: mode.name,
        backend: backend.name,
        available: true,
        ...figures(m.nsPerRun, m.bytesPerRun, body.length, reference.lines, base.nsPerRun),
      });
    }
  }
  const cpu = cpus();
  const environment = { node: process.version, platform: process.platform, arch: process.arch, cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length };
  const input = { source, bytes: body.length, lines: reference.lines, invalid: reference.invalid };
  if (v.get('format') === 'json') {
    io.stdout.write(`${JSON.stringify({ input, environment, settings, modes: rows })}\n`);
  } else {
    io.stdout.write(table(input, environment, settings, rows));
  }
  return 0;
}

function figures(nsPerRun: number, bytesPerRun: number, bytes: number, lines: number, baselineNs: number): Omit<Row, 'mode' | 'backend' | 'available'> {
  return {
    mbPerSecond: bytes / 1e6 / (nsPerRun / 1e9),
    linesPerSecond: lines / (nsPerRun / 1e9),
    nsPerLine: nsPerRun / lines,
    bytesPerLine: bytesPerRun / lines,
    vsByteLoop: baselineNs / nsPerRun,
  };
}

function fixed(n: number | undefined, digits: number): string {
  return n === undefined ? '-' : n.toFixed(digits);
}

function table(
  input: { source: string; bytes: number; lines: number; invalid: number },
  env: { node: string; platform: string; arch: string; cpu: string; cores: number },
  s: MeasureSettings,
  rows: readonly Row[],
): string {
  const head = ['mode', 'backend', 'MB/s', 'lines/s', 'ns/line', 'B/line', 'vs byte loop'];
  const body = rows.map((r) =>
    r.available
      ? [r.mode, r.backend, fixed(r.mbPerSecond, 1), fixed(r.linesPerSecond, 0), fixed(r.nsPerLine, 1), fixed(r.bytesPerLine, 1), `${fixed(r.vsByteLoop, 3)}x`]
      : [r.mode, r.backend, `n/a: ${r.missing}`],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.filter((b) => b.length === head.length).map((b) => b[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.length === head.length
      ? cells
          .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
          .join('  ')
          .trimEnd()
      : `${cells[0]!.padEnd(widths[0]!)}  ${cells[1]!.padEnd(widths[1]!)}  ${cells[2]}`;
  return [
    `dt-ingest bench: ${input.source}, ${input.bytes} bytes, ${input.lines} lines (${input.invalid} invalid)`,
    `${env.node} · ${env.platform} ${env.arch} · ${env.cpu} · ${env.cores} cores · median of ${s.samples} samples of at least ${s.sampleMs} ms`,
    '',
    line(head),
    ...body.map(line),
    '',
    'MB/s and lines/s: throughput; ns/line: time per line; B/line: bytes allocated per line; vs byte loop: speed',
    'relative to one table lookup per byte, measured in the same run (compare this column across machines).',
    '',
  ].join('\n');
}

/** `dt-ingest bench`. */
export const BENCH_COMMAND: Command = {
  name: 'bench',
  summary: 'measure throughput on your payloads or the built-in exporter corpus',
  help: () =>
    formatHelp(
      ['dt-ingest bench [FILE|-] [flags]'],
      `Measures, in this process, each mode on each available backend:\n${BENCH_MODES.map((m) => `  ${m.name.padEnd(14)} ${m.description}`).join('\n')}\nnext to a byte loop (one table lookup per byte) measured in the same run. Pin it to a core for steady\nfigures (taskset -c 1 dt-ingest bench). The input is read into memory whole; no body limit applies.`,
      GROUPS,
      'Exit codes: 0 measured, 2 usage or I/O error.',
    ),
  run: runBench,
};
