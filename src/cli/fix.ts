/**
 * `dt-ingest fix metrics [FILE|-] [--output FILE]`: the repaired body to stdout (or `--output`), every
 * repair and every line left out to stderr in the chosen format. Exit 0 when nothing was left out,
 * 1 when lines had to be left out, 2 on usage or I/O errors.
 *
 * @module
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { FIX_DEFAULTS, METRICS_DEFAULTS, type FixOptions, type MetricsOptions } from '../protocol/options.js';
import { MetricsFixer } from '../produce/fix.js';
import { UsageError, takeOptionFlags } from './args.js';
import { createFormatter } from './format.js';
import { createProgress, openInput, takeCommonFlags, type CliIO } from './main.js';

function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
}

/** Runs `fix metrics`. */
export async function fixCommand(args: readonly string[], io: CliIO): Promise<number> {
  const [family, ...rest] = args;
  if (family !== 'metrics') throw new UsageError('fix what? expected: fix metrics [FILE|-] [--output FILE]');
  const { options, rest: afterOptions } = takeOptionFlags(rest, { ...METRICS_DEFAULTS, ...FIX_DEFAULTS });
  const common = takeCommonFlags(afterOptions, ['--output']);
  const fixOptions = { ...(options as MetricsOptions & FixOptions) };
  if (common.now !== undefined) fixOptions.now = common.now;
  const input = openInput(common.file, io);
  const out: Writable = common.extras.output !== undefined ? createWriteStream(common.extras.output) : io.stdout;
  const report = createFormatter(common.format === 'dynatrace' ? 'json' : common.format, io.stderr, input.name);
  let pending: Promise<void> = Promise.resolve();
  const fixer = new MetricsFixer(fixOptions, {
    onLine: (text) => {
      if (!out.write(text + '\n')) pending = new Promise((resolve) => out.once('drain', resolve));
    },
    onIssue: (issue) => report.issue(issue),
  });
  const progress = createProgress(io, input.size);
  let bytes = 0;
  try {
    for await (const chunk of input.stream) {
      fixer.push(chunk as Uint8Array);
      bytes += (chunk as Uint8Array).length;
      progress.update(bytes);
      await pending;
    }
  } catch (err) {
    progress.done();
    throw new UsageError(`cannot read '${input.name}': ${(err as Error).message}`);
  }
  fixer.end();
  progress.done();
  if (out !== io.stdout) {
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(() => resolve());
    });
  } else {
    await write(out, '');
  }
  const summary = { linesOk: fixer.linesKept + fixer.linesRepaired, linesInvalid: fixer.linesDropped };
  await report.finish({ status: fixer.linesDropped > 0 ? 400 : 202, body: summary, issues: [] });
  return fixer.linesDropped > 0 ? 1 : 0;
}
