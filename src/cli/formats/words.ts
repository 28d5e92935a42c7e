/**
 * Words shared by the text formats: plurals, the summary sentence, positions.
 *
 * @module
 */
import type { Finding, FileOutcome, RunSummary } from './types.js';

/** Plural forms that are not the noun plus `s`. */
const PLURALS: Readonly<Record<string, string>> = { info: 'infos' };

/**
 * `1 line`, `2 lines`, `0 lines`.
 * @example plural(1, 'line') // '1 line'
 */
export function plural(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : (PLURALS[noun] ?? `${noun}s`)}`;
}

/**
 * Where a finding is: `line:column`, else its JSON Pointer (`/` for the root), else `-`.
 * @example position({ line: 5, column: 42 }) // '5:42'
 */
export function position(f: Pick<Finding, 'line' | 'column' | 'pointer'>): string {
  if (f.line !== undefined) return `${f.line}:${f.column ?? 1}`;
  return f.pointer !== undefined ? f.pointer || '/' : '-';
}

/**
 * What the endpoint (or fix) made of a file: `endpoint status 400: 6 lines OK, 3 invalid`.
 * @example fileVerdict({ status: 202, linesOk: 1, linesInvalid: 0, counts }) // 'endpoint status 202: 1 line OK, 0 invalid'
 */
export function fileVerdict(o: FileOutcome, showStatus: (status: number) => string = String): string {
  if (o.fix !== undefined) return `fixed: ${plural(o.fix.kept, 'line')} kept, ${o.fix.repaired} repaired, ${o.fix.dropped} left out`;
  const lines = o.linesOk !== undefined ? `: ${plural(o.linesOk, 'line')} OK, ${o.linesInvalid ?? 0} invalid` : '';
  const requests = o.requests !== undefined ? `${plural(o.requests, 'request')}, worst endpoint status` : 'endpoint status';
  return `${requests} ${o.status !== undefined ? showStatus(o.status) : '-'}${lines}`;
}

/**
 * The last line of a text report: problems by severity, files, and what the endpoint made of them.
 * @example summarySentence(summary) // '✖ 4 problems (3 errors, 1 warning) in 1 file (endpoint status 400; 6 lines OK, 3 invalid)'
 */
export function summarySentence(s: RunSummary, status: number | undefined): string {
  const { error, warning, info } = s.counts;
  const problems = error + warning;
  const files = s.files === 1 ? 'in 1 file' : problems === 0 ? `in ${plural(s.files, 'file')}` : `in ${s.filesWithProblems} of ${plural(s.files, 'file')}`;
  const details: string[] = [];
  if (s.fix !== undefined) details.push(`${plural(s.fix.kept, 'line')} kept, ${s.fix.repaired} repaired, ${s.fix.dropped} left out`);
  else if (status !== undefined) details.push(`endpoint status ${status}`);
  else if (s.accepted + s.rejected > 0) details.push(s.rejected === 0 ? 'all accepted' : `${s.accepted} accepted, ${s.rejected} rejected`);
  if (s.lines !== undefined) details.push(`${plural(s.lines.ok, 'line')} OK, ${s.lines.invalid} invalid`);
  const tail = details.length > 0 ? ` (${details.join('; ')})` : '';
  if (problems === 0) return `✔ no problems${info > 0 ? ` (${plural(info, 'info')})` : ''} ${files}${tail}`;
  const parts = [plural(error, 'error'), plural(warning, 'warning')];
  if (info > 0) parts.push(plural(info, 'info'));
  return `✖ ${plural(problems, 'problem')} (${parts.join(', ')}) ${files}${tail}`;
}

/**
 * The line about `--max-warnings`, when exceeded.
 * @example tooManyWarnings({ warnings: 5, max: 2 }) // 'too many warnings: 5, more than --max-warnings 2'
 */
export function tooManyWarnings(t: { warnings: number; max: number }): string {
  return `too many warnings: ${t.warnings}, more than --max-warnings ${t.max}`;
}

// the offending text quoted once, as every format quotes it (shared with the inspector's export)
export { quotedText } from '../../report/formats.js';
