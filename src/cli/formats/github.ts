/**
 * `github`: GitHub Actions workflow commands, one annotation per finding:
 * `::error file=F,line=L,col=C,title=RULE::message` (`::warning`, and `::notice` for info). Escaped
 * as the runner reads them: in the message `%`, CR and LF become `%25`, `%0D`, `%0A`; in property
 * values `:` and `,` also become `%3A` and `%2C`. Paths are relative to the working directory (the
 * checkout) with `/`. A plain summary line ends the output.
 *
 * @module
 */
import { relative, sep, isAbsolute } from 'node:path';
import type { InputRef, OutputSink } from '../io.js';
import type { Finding, FormatDefinition, Reporter, RunInfo, RunSummary } from './types.js';
import { quotedText, summarySentence, tooManyWarnings } from './words.js';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/**
 * Escapes a workflow command's message: `%`, CR and LF as the runner decodes them; every other
 * control character (NUL, ESC, DEL, ...) as visible `\uXXXX` text, so that a payload's bytes can
 * neither cut a log line nor reach the log viewer as terminal escapes.
 * @example escapeData('50% done\n') // '50%25 done%0A'
 */
export function escapeData(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) out += '%25';
    else if (c === 0x0d) out += '%0D';
    else if (c === 0x0a) out += '%0A';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return out;
}

/**
 * Escapes a workflow command's property value.
 * @example escapeProperty('a,b:c') // 'a%2Cb%3Ac'
 */
export function escapeProperty(s: string): string {
  return escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

function annotationPath(file: InputRef, cwd: string): string {
  if (file.kind === 'stdin') return file.name;
  const rel = relative(cwd, file.path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : file.path;
}

/**
 * The `github` reporter.
 * @example createGithub(new OutputSink(process.stdout, 'standard output'), run)
 */
export function createGithub(sink: OutputSink, run: RunInfo): Reporter {
  let file = '';
  let lastStatus: number | undefined;
  return {
    begin() {},
    fileStart(ref) {
      file = escapeProperty(annotationPath(ref, run.cwd));
    },
    finding(f: Finding) {
      let props = `file=${file}`;
      if (f.line !== undefined) props += `,line=${f.line},col=${f.column ?? 1}`;
      props += `,title=${escapeProperty(f.rule)}`;
      const quoted = quotedText(f);
      const text = quoted !== undefined ? `${f.message} (${quoted})` : f.message;
      const where = f.line === undefined && f.pointer !== undefined ? ` (at ${f.pointer || '/'})` : '';
      sink.write(`::${COMMAND[f.severity]} ${props}::${escapeData(text + where)}\n`);
    },
    request() {},
    fileEnd(_ref, o) {
      lastStatus = o.status;
    },
    end(s: RunSummary) {
      sink.write(`dt-ingest: ${summarySentence(s, s.files === 1 ? lastStatus : undefined)}\n`);
      if (s.tooManyWarnings !== undefined) sink.write(`::error title=max-warnings::${escapeData(tooManyWarnings(s.tooManyWarnings))}\n`);
    },
  };
}

/** The `github` format. */
export const GITHUB_FORMAT: FormatDefinition = {
  name: 'github',
  summary: 'GitHub Actions annotations (::error file=...,line=...,col=...,title=RULE::message)',
  findings: true,
  forFix: true,
  saysTooManyWarnings: true,
  create: createGithub,
};
