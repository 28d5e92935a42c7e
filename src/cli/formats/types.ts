/**
 * What a report format receives: the run, then per file its findings, its requests (`--split`) and
 * its outcome, then the summary. Formats write to an {@link OutputSink} as events arrive; a format
 * keeps in memory only what its shape needs before it can be written (JUnit: one file's test cases,
 * capped; JSON: one small record per request), never the findings of a whole run.
 *
 * @module
 */
import type { Issue } from '../../types.js';
import type { Severity } from '../../protocol/rules.js';
import type { RuleDoc } from '../families.js';
import type { InputRef, OutputSink } from '../io.js';

/**
 * One finding as reported: an {@link Issue} with the severity in force (after `--rule`) and, with
 * `--split`, the request it belongs to. Line numbers are the file's.
 * @example { rule: 'payload-missing', severity: 'error', message: 'missing payload after the metric key', line: 3, column: 4 }
 */
export interface Finding extends Issue {
  /** 1-based number of the request (`--split`). */
  request?: number;
}

/**
 * The endpoint's answer to one request of a file judged with `--split`.
 * @example { request: 1, firstLine: 1, lastLine: 9000, bytes: 1048000, status: 202, body: {...}, linesOk: 9000, linesInvalid: 0 }
 */
export interface RequestOutcome {
  request: number;
  /** First and last line of the file in the request (the request's line i is the file's firstLine + i - 1). */
  firstLine: number;
  lastLine: number;
  bytes: number;
  status: number;
  /** The endpoint's body, with the request's own line numbers (only built for `--format dynatrace`). */
  body?: unknown;
  linesOk: number;
  linesInvalid: number;
}

/**
 * Findings counted by severity.
 * @example { error: 3, warning: 1, info: 0 }
 */
export type Counts = Record<Severity, number>;

/**
 * How one file ended.
 * @example { status: 400, linesOk: 6, linesInvalid: 3, counts: { error: 3, warning: 1, info: 0 } }
 */
export interface FileOutcome {
  /** The endpoint's status (the worst of the requests with `--split`); absent for `fix`. */
  status?: number;
  /** The endpoint's body (only built for `--format dynatrace`, without `--split`). */
  body?: unknown;
  /** Metrics: lines the endpoint counts as OK and invalid (summed over the requests). */
  linesOk?: number;
  linesInvalid?: number;
  /** `--split`: how many requests the file makes. */
  requests?: number;
  /** `fix`: what happened to the lines. */
  fix?: { kept: number; repaired: number; dropped: number };
  /** Findings reported for the file, by severity in force. */
  counts: Counts;
  /** A sentence for people (e.g. how `--split` helps a file over the body limit). */
  hint?: string;
}

/**
 * The whole run, at the end.
 * @example { files: 2, filesWithProblems: 1, counts: { error: 3, warning: 1, info: 0 }, accepted: 1, rejected: 1 }
 */
export interface RunSummary {
  files: number;
  filesWithProblems: number;
  counts: Counts;
  /** Files the endpoint accepts (2xx) and rejects; both 0 for `fix`. */
  accepted: number;
  rejected: number;
  /** Metrics: lines OK and invalid over all files. */
  lines?: { ok: number; invalid: number };
  /** `fix`: lines kept, repaired and left out over all files. */
  fix?: { kept: number; repaired: number; dropped: number };
  /** `--max-warnings` was exceeded: the warnings and the maximum. */
  tooManyWarnings?: { warnings: number; max: number };
}

/**
 * What every format is told about the run before the first file.
 * @example { command: 'validate', family: 'metrics', rules: METRICS_RULES, version: '0.1.0', cwd: '/repo', color: false, quiet: false }
 */
export interface RunInfo {
  command: 'validate' | 'fix';
  family: string;
  /** The family's rule table (SARIF lists it). */
  rules: readonly RuleDoc[];
  version: string;
  /** Directory that report paths are relative to. */
  cwd: string;
  color: boolean;
  /** `--quiet`: only errors are passed to the format (it may hide more, e.g. accepted requests). */
  quiet: boolean;
}

/** A report format: called in order begin, (fileStart, finding*, request*, fileEnd)*, end. */
export interface Reporter {
  begin(): void;
  fileStart(file: InputRef): void;
  finding(finding: Finding): void;
  request(file: InputRef, request: RequestOutcome): void;
  fileEnd(file: InputRef, outcome: FileOutcome): void;
  end(summary: RunSummary): void;
}

/**
 * A format in the formats table.
 * @example FORMATS.get('sarif')!.create(sink, run)
 */
export interface FormatDefinition {
  readonly name: string;
  readonly summary: string;
  /** The format lists findings; `false` for `dynatrace`, which prints the endpoint's answers (the validators then skip building findings). */
  readonly findings: boolean;
  /** `fix` can write it (every format but `dynatrace`: fix has no endpoint answer). */
  readonly forFix: boolean;
  /**
   * The report itself says when `--max-warnings` is exceeded (the text formats); for the others the
   * CLI says it on standard error, as it does when the report goes to a file.
   */
  readonly saysTooManyWarnings?: boolean;
  create(sink: OutputSink, run: RunInfo): Reporter;
}
