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
import { summarySentence, tooManyWarnings } from './words.js';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/**
 * Escapes a workflow command's message.
 * @example escapeData('50% done\n') // '50%25 done%0A'
 */
export function escapeData(s: string): string {
  return s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
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
      const text = f.text !== undefined ? `${f.message} ("${f.text}")` : f.message;
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
  create: createGithub,
};
