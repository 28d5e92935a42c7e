/**
 * Output formats of the validate commands: `stylish` (ESLint-like, one line per issue with
 * line:column), `json` (the issues, streamed as a JSON array) and `dynatrace` (the endpoint's own
 * answer, `{"status": N, "body": ...}`).
 *
 * @module
 */
import type { Writable } from 'node:stream';
import type { Issue } from '../types.js';

/** The formats. */
export type OutputFormat = 'stylish' | 'json' | 'dynatrace';

/** Writes issues as they come and the summary at the end. */
export interface Formatter {
  issue(issue: Issue): void;
  finish(result: { status: number; body: unknown; issues: readonly Issue[] }): Promise<void>;
}

function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (out.write(text)) resolve();
    else out.once('drain', resolve);
  });
}

/** Where in the input an issue is: `line:column`, or the JSON Pointer. */
function position(issue: Issue): string {
  if (issue.line !== undefined) return `${issue.line}:${issue.column ?? 1}`;
  return issue.pointer !== undefined ? issue.pointer || '/' : '-';
}

/**
 * A formatter writing to `out`. Issues are written as they arrive (constant memory for huge inputs).
 * @example createFormatter('stylish', process.stdout, 'metrics.txt')
 */
export function createFormatter(format: OutputFormat, out: Writable, name: string): Formatter {
  if (format === 'dynatrace') {
    return {
      issue() {},
      finish: (result) => write(out, JSON.stringify({ status: result.status, body: result.body }) + '\n'),
    };
  }
  if (format === 'json') {
    let count = 0;
    return {
      issue(issue) {
        out.write((count++ === 0 ? '[\n' : ',\n') + JSON.stringify(issue));
      },
      finish: () => write(out, count === 0 ? '[]\n' : '\n]\n'),
    };
  }
  let errors = 0;
  let warnings = 0;
  let headerDone = false;
  return {
    issue(issue) {
      if (!headerDone) {
        out.write(`${name}\n`);
        headerDone = true;
      }
      if (issue.severity === 'error') errors++;
      else if (issue.severity === 'warning') warnings++;
      const text = issue.text !== undefined ? `  ${JSON.stringify(issue.text)}` : '';
      out.write(`  ${position(issue).padEnd(9)} ${issue.severity.padEnd(7)}  ${issue.message}${text}  ${issue.rule}\n`);
    },
    finish(result) {
      const body = result.body as { linesOk?: number; linesInvalid?: number } | null;
      const lines = body !== null && typeof body === 'object' && typeof body.linesOk === 'number' ? `; ${body.linesOk} lines OK, ${body.linesInvalid} invalid` : '';
      const total = errors + warnings;
      const summary = total === 0
        ? `✔ no problems (status ${result.status}${lines})\n`
        : `\n✖ ${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}); endpoint status ${result.status}${lines}\n`;
      return write(out, summary);
    },
  };
}
