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
import { fileVerdict, plural, position, quotedText, summarySentence, tooManyWarnings } from './words.js';

const accepted = (status: number): boolean => status >= 200 && status < 300;

/** The least width of the `line:column` column (`12345:123`). */
const POSITION_WIDTH = 9;

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
  // Rows are written as they come, so the position column cannot be sized from all of them (ESLint
  // aligns a file's table once it has every row): it starts wide enough for the largest line number
  // the file's size allows (and a 4-digit column), and only grows, so rows stay aligned.
  let width = POSITION_WIDTH;
  return {
    begin() {},
    fileStart(file) {
      headed = false;
      current = file;
      width = Math.max(POSITION_WIDTH, file.size === undefined ? 0 : String(file.size + 1).length + 5);
    },
    finding(f) {
      heading(current!);
      const quoted = quotedText(f);
      const text = quoted !== undefined ? `  ${c.dim(quoted)}` : '';
      const at = f.line !== undefined && f.pointer !== undefined ? `  ${c.dim(`at ${f.pointer || '/'}`)}` : '';
      const where = position(f);
      width = Math.max(width, where.length);
      sink.write(`  ${c.dim(where.padEnd(width))} ${severity(f.severity)}  ${f.message}${text}${at}  ${c.dim(f.rule)}\n`);
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
  saysTooManyWarnings: true,
  create: createStylish,
};
