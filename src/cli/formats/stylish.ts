/**
 * `stylish`: the ESLint-like text report. Files with something to say get a heading (underlined),
 * one row per finding (`line:column  severity  message  "text"  rule-id`), the requests of `--split`
 * and the endpoint's verdict; files with nothing to say are not listed; a summary line ends the
 * report. Rows are written as they come (fixed column widths instead of ESLint's table alignment,
 * which would need every row first). Coloured on a terminal (picocolors).
 *
 * @module
 */
import { createColors } from 'picocolors';
import type { InputRef, OutputSink } from '../io.js';
import type { FileOutcome, Finding, FormatDefinition, Reporter, RequestOutcome, RunInfo, RunSummary } from './types.js';
import { fileVerdict, plural, position, summarySentence, tooManyWarnings } from './words.js';

const accepted = (status: number): boolean => status >= 200 && status < 300;

/**
 * The `stylish` reporter.
 * @example createStylish(new OutputSink(process.stdout, 'standard output'), run)
 */
export function createStylish(sink: OutputSink, run: RunInfo): Reporter {
  const c = createColors(run.color);
  let headed = false;
  let lastStatus: number | undefined;
  const heading = (file: InputRef): void => {
    if (headed) return;
    headed = true;
    sink.write(`\n${c.underline(file.name)}\n`);
  };
  const severity = (s: Finding['severity']): string => {
    const word = s.padEnd(7);
    return s === 'error' ? c.red(word) : s === 'warning' ? c.yellow(word) : c.blue(word);
  };
  const status = (n: number): string => (accepted(n) ? c.green(String(n)) : c.red(String(n)));
  let current: InputRef | undefined;
  return {
    begin() {},
    fileStart(file) {
      headed = false;
      current = file;
    },
    finding(f) {
      heading(current!);
      const text = f.text !== undefined ? `  ${c.dim(JSON.stringify(f.text))}` : '';
      const at = f.line !== undefined && f.pointer !== undefined ? `  ${c.dim(`at ${f.pointer || '/'}`)}` : '';
      sink.write(`  ${c.dim(position(f).padEnd(9))} ${severity(f.severity)}  ${f.message}${text}${at}  ${c.dim(f.rule)}\n`);
    },
    request(file: InputRef, r: RequestOutcome) {
      if (run.quiet && accepted(r.status)) return;
      heading(file);
      const lines = r.firstLine === r.lastLine ? `line ${r.firstLine}` : `lines ${r.firstLine}-${r.lastLine}`;
      sink.write(
        `  ${c.dim(`request ${r.request}`)} (${lines}, ${plural(r.bytes, 'byte')}): status ${status(r.status)}, ${plural(r.linesOk, 'line')} OK, ${r.linesInvalid} invalid\n`,
      );
    },
    fileEnd(file: InputRef, o: FileOutcome) {
      lastStatus = o.status;
      const rejected = o.status !== undefined && !accepted(o.status);
      if (!headed && !rejected && o.hint === undefined) return;
      heading(file);
      sink.write(`  ${fileVerdict(o, status)}\n`);
      if (o.hint !== undefined) sink.write(`  ${c.cyan('hint:')} ${o.hint}\n`);
    },
    end(s: RunSummary) {
      const sentence = summarySentence(s, s.files === 1 ? lastStatus : undefined);
      const problems = s.counts.error + s.counts.warning;
      const coloured = problems === 0 ? c.green(sentence) : s.counts.error > 0 ? c.red(c.bold(sentence)) : c.yellow(c.bold(sentence));
      sink.write(`\n${coloured}\n`);
      if (s.tooManyWarnings !== undefined) sink.write(`${c.red(tooManyWarnings(s.tooManyWarnings))}\n`);
    },
  };
}

/** The `stylish` format. */
export const STYLISH: FormatDefinition = {
  name: 'stylish',
  summary: 'ESLint-like text, grouped by file, coloured on a terminal (default)',
  findings: true,
  forFix: true,
  create: createStylish,
};
