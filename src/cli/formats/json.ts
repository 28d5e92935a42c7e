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
import type { InputRef, OutputSink } from '../io.js';
import type { FileOutcome, Finding, FormatDefinition, Reporter, RequestOutcome, RunInfo } from './types.js';

/** ESLint's numeric severities: 2 error, 1 warning (info has none in ESLint; it is 1 with `level: 'info'`). */
const ESLINT_SEVERITY = { error: 2, warning: 1, info: 1 } as const;

/**
 * One message in ESLint's shape, with dt-ingest's fields after ESLint's.
 * @example eslintMessage({ rule: 'payload-missing', severity: 'error', message: 'missing payload', line: 2, column: 4 })
 */
export function eslintMessage(f: Finding): Record<string, unknown> {
  const m: Record<string, unknown> = { ruleId: f.rule, severity: ESLINT_SEVERITY[f.severity], message: f.message };
  if (f.line !== undefined) {
    m.line = f.line;
    m.column = f.column ?? 1;
    // ESLint's end of the range (exclusive): the validators name where a problem starts, so the
    // range is the character there, which editors and ESLint tooling underline
    m.endLine = f.line;
    m.endColumn = (f.column ?? 1) + 1;
  }
  m.level = f.severity;
  if (f.pointer !== undefined) m.pointer = f.pointer;
  if (f.text !== undefined) m.text = f.text;
  if (f.endpointMessage !== undefined) m.endpointMessage = f.endpointMessage;
  if (f.request !== undefined) m.request = f.request;
  return m;
}

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
      const tail: Record<string, unknown> = {
        suppressedMessages: [],
        errorCount: o.counts.error,
        fatalErrorCount: 0,
        warningCount: o.counts.warning,
        fixableErrorCount: 0,
        fixableWarningCount: 0,
        infoCount: o.counts.info,
      };
      if (o.status !== undefined) tail.status = o.status;
      if (o.linesOk !== undefined) {
        tail.linesOk = o.linesOk;
        tail.linesInvalid = o.linesInvalid ?? 0;
      }
      if (o.requests !== undefined) tail.requests = requests;
      if (o.fix !== undefined) tail.fix = o.fix;
      const rest = JSON.stringify(tail);
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
