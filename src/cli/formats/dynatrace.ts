/**
 * `dynatrace`: the endpoint's own answers, one JSON line per file:
 * `{"file": F, "status": N, "body": ...}` exactly as the endpoint answers the file sent as one
 * request; with `--split`, `{"file": F, "requests": [{"request": 1, "firstLine": 1, "lastLine": L,
 * "bytes": B, "status": N, "body": ...}, ...], "status": worst}`, each body exactly as the endpoint
 * answers that request (its line numbers are the request's own: add `firstLine - 1` for the file's).
 * With `--quiet`, only rejected answers are written. Findings are not listed (the validators then
 * skip building them), and the exit code follows the statuses.
 *
 * @module
 */
import type { InputRef, OutputSink } from '../io.js';
import type { FileOutcome, FormatDefinition, Reporter, RequestOutcome, RunInfo } from './types.js';

const accepted = (status: number): boolean => status >= 200 && status < 300;

/**
 * The `dynatrace` reporter.
 * @example createDynatrace(new OutputSink(process.stdout, 'standard output'), run)
 */
export function createDynatrace(sink: OutputSink, run: RunInfo): Reporter {
  let requests = 0;
  return {
    begin() {},
    fileStart() {
      requests = 0;
    },
    finding() {},
    request(file: InputRef, r: RequestOutcome) {
      if (run.quiet && accepted(r.status)) return;
      const entry = JSON.stringify({
        request: r.request,
        firstLine: r.firstLine,
        lastLine: r.lastLine,
        bytes: r.bytes,
        status: r.status,
        body: r.body ?? null,
      });
      sink.write(requests++ === 0 ? `{"file":${JSON.stringify(file.name)},"requests":[${entry}` : `,${entry}`);
    },
    fileEnd(file: InputRef, o: FileOutcome) {
      if (o.requests !== undefined) {
        if (requests > 0) sink.write(`],"status":${o.status}}\n`);
        else if (!run.quiet) sink.write(`${JSON.stringify({ file: file.name, requests: [], status: o.status })}\n`);
        return;
      }
      if (run.quiet && o.status !== undefined && accepted(o.status)) return;
      sink.write(`${JSON.stringify({ file: file.name, status: o.status, body: o.body ?? null })}\n`);
    },
    end() {},
  };
}

/** The `dynatrace` format. */
export const DYNATRACE_FORMAT: FormatDefinition = {
  name: 'dynatrace',
  summary: 'the endpoint\'s answers, one JSON line per file: {"file", "status", "body"} (per request with --split)',
  findings: false,
  forFix: false,
  create: createDynatrace,
};
