/**
 * `json`: ESLint's JSON shape, streamed. An array with one object per file: `filePath` (absolute),
 * `messages` (`ruleId`, `severity` 2 for errors and 1 otherwise, `message`, `line`, `column`,
 * `endLine`, `endColumn` (the character at the position), and
 * ours: `level`, `pointer`, `text`, `endpointMessage`, `request`), `errorCount`, `warningCount`,
 * the other ESLint counts (always 0), `infoCount`, and the endpoint's verdict (`status`, `linesOk`,
 * `linesInvalid`; with `--split` a `requests` list without bodies). Messages are written as they come;
 * the counts follow them, since JSON keys have no order.
 *
 * @module
 */
import { eslintCounts, eslintMessage as coreMessage } from '../../report/formats.js';
import type { InputRef, OutputSink } from '../io.js';
import type { FileOutcome, Finding, FormatDefinition, Reporter, RequestOutcome, RunInfo } from './types.js';

/**
 * One message in ESLint's shape, with dt-ingest's fields after ESLint's (the shared core of
 * `src/report/formats.ts`, which the inspector's export uses too).
 * @example eslintMessage({ rule: 'payload-missing', severity: 'error', message: 'missing payload', line: 2, column: 4 })
 */
export const eslintMessage: (f: Finding) => Record<string, unknown> = coreMessage;

/**
 * The `json` reporter.
 * @example createJson(new OutputSink(process.stdout, 'standard output'))
 */
export function createJson(sink: OutputSink): Reporter {
  let files = 0;
  let messages = 0;
  // one small record per request, written after the messages (not the bodies: those are dynatrace's)
  let requests: Omit<RequestOutcome, 'body'>[] = [];
  return {
    begin() {
      sink.write('[');
    },
    fileStart(file: InputRef) {
      sink.write(`${files++ === 0 ? '' : ','}\n{"filePath":${JSON.stringify(file.path)},"messages":[`);
      messages = 0;
      requests = [];
    },
    finding(f) {
      sink.write((messages++ === 0 ? '\n' : ',\n') + JSON.stringify(eslintMessage(f)));
    },
    request(_file, r) {
      requests.push({
        request: r.request,
        firstLine: r.firstLine,
        lastLine: r.lastLine,
        bytes: r.bytes,
        status: r.status,
        linesOk: r.linesOk,
        linesInvalid: r.linesInvalid,
      });
    },
    fileEnd(_file, o: FileOutcome) {
      // `requests` in the outcome is their number; the report lists their records
      const { requests: split, ...outcome } = o;
      const rest = JSON.stringify(eslintCounts(split !== undefined ? { ...outcome, requests } : outcome));
      sink.write(`${messages > 0 ? '\n' : ''}],${rest.slice(1)}`);
    },
    end() {
      sink.write(files > 0 ? '\n]\n' : ']\n');
    },
  };
}

/** The `json` format. */
export const JSON_FORMAT: FormatDefinition = {
  name: 'json',
  summary: "ESLint's JSON: one object per file with filePath, messages and counts",
  findings: true,
  forFix: true,
  create: (sink: OutputSink, _run: RunInfo) => createJson(sink),
};
