/**
 * What the user controls about a report, and the exit code: `--rule ID=off|warn|error` (repeatable),
 * `--quiet` (errors only) and `--max-warnings N` (exit 1 above N), as ESLint has them. A
 * {@link ReportRun} sits between the judges and the format: it applies the rule overrides to each
 * finding, counts, passes on what is to be shown, and decides the exit code (0 clean, 1 findings).
 *
 * @module
 */
import type { Issue } from '../types.js';
import type { Severity } from '../protocol/rules.js';
import type { RuleDoc } from './families.js';
import { UsageError, didYouMean } from './flags.js';
import type { InputRef } from './io.js';
import type { Counts, FileOutcome, Reporter, RequestOutcome, RunSummary } from './formats/types.js';

/** What `--rule` can set a rule to. */
export type RuleSetting = 'off' | Severity;

/** The words `--rule` accepts, and the severity each means. */
const RULE_SETTINGS: Readonly<Record<string, RuleSetting>> = { off: 'off', warn: 'warning', error: 'error' };

/**
 * Reads `--rule` values (`metric-key-changed=off`) against the family's rule table.
 * @example parseRuleSettings(['metric-key-changed=off'], METRICS_RULES).get('metric-key-changed') // 'off'
 */
export function parseRuleSettings(values: readonly string[], rules: readonly RuleDoc[]): Map<string, RuleSetting> {
  const ids = rules.map((r) => r.id);
  const out = new Map<string, RuleSetting>();
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 0) throw new UsageError(`--rule takes ID=off|warn|error, not '${v}'`);
    const id = v.slice(0, eq).trim();
    const word = v.slice(eq + 1).trim();
    if (!ids.includes(id)) throw new UsageError(`--rule: unknown rule '${id}'${didYouMean(id, ids)}`);
    const setting = RULE_SETTINGS[word];
    if (setting === undefined) throw new UsageError(`--rule ${id}= takes off, warn or error, not '${word}'${didYouMean(word, Object.keys(RULE_SETTINGS))}`);
    if (out.has(id)) throw new UsageError(`--rule ${id} given twice`);
    out.set(id, setting);
  }
  return out;
}

/**
 * How a run reports.
 * @example { rules: new Map([['metric-key-changed', 'off']]), quiet: false, maxWarnings: undefined, byStatus: false }
 */
export interface ReportControl {
  rules: ReadonlyMap<string, RuleSetting>;
  quiet: boolean;
  maxWarnings: number | undefined;
  /**
   * The format lists no findings (`dynatrace`): a file fails when the endpoint rejects it. Otherwise
   * a file fails when an error is reported (so `--rule X=warn` can let it pass, as in ESLint).
   */
  byStatus: boolean;
}

const isAccepted = (status: number): boolean => status >= 200 && status < 300;

function zero(): Counts {
  return { error: 0, warning: 0, info: 0 };
}

/**
 * One run of a command over its inputs.
 * @example
 * const run = new ReportRun(reporter, control);
 * run.begin(); run.startFile(ref); run.issue(issue); run.endFile(ref, { status: 400 }); const code = run.finish();
 */
export class ReportRun {
  private file = zero();
  private readonly total = zero();
  private files = 0;
  private filesWithProblems = 0;
  private failed = false;
  private accepted = 0;
  private rejected = 0;
  private lines: { ok: number; invalid: number } | undefined;
  private fix: { kept: number; repaired: number; dropped: number } | undefined;
  private exceeded: { warnings: number; max: number } | undefined;

  constructor(
    private readonly reporter: Reporter,
    private readonly control: ReportControl,
  ) {}

  /** Starts the report. */
  begin(): void {
    this.reporter.begin();
  }

  /** A file starts. */
  startFile(ref: InputRef): void {
    this.file = zero();
    this.reporter.fileStart(ref);
  }

  /**
   * A finding of the current file: the `--rule` setting applies (`off` drops it here), it is
   * counted, and passed on unless `--quiet` hides it.
   */
  issue(issue: Issue, request?: number): void {
    const setting = this.control.rules.get(issue.rule);
    if (setting === 'off') return;
    const severity = setting ?? issue.severity;
    this.file[severity]++;
    if (this.control.quiet && severity !== 'error') return;
    const finding = severity === issue.severity && request === undefined ? issue : { ...issue, severity };
    if (request !== undefined) (finding as { request?: number }).request = request;
    this.reporter.finding(finding);
  }

  /** A request of the current file (`--split`) was judged. */
  request(ref: InputRef, request: RequestOutcome): void {
    this.reporter.request(ref, request);
  }

  /** The current file is judged; `outcome` without counts (they are the run's). */
  endFile(ref: InputRef, outcome: Omit<FileOutcome, 'counts'>): void {
    const counts = this.file;
    this.files++;
    this.total.error += counts.error;
    this.total.warning += counts.warning;
    this.total.info += counts.info;
    if (counts.error + counts.warning > 0) this.filesWithProblems++;
    if (outcome.status !== undefined) {
      if (isAccepted(outcome.status)) this.accepted++;
      else this.rejected++;
    }
    if (this.control.byStatus ? outcome.status !== undefined && !isAccepted(outcome.status) : counts.error > 0) this.failed = true;
    if (outcome.linesOk !== undefined) {
      this.lines ??= { ok: 0, invalid: 0 };
      this.lines.ok += outcome.linesOk;
      this.lines.invalid += outcome.linesInvalid ?? 0;
    }
    if (outcome.fix !== undefined) {
      this.fix ??= { kept: 0, repaired: 0, dropped: 0 };
      this.fix.kept += outcome.fix.kept;
      this.fix.repaired += outcome.fix.repaired;
      this.fix.dropped += outcome.fix.dropped;
    }
    // what the format reports: with --quiet, the warnings and infos it was not shown are not counted
    const shown = this.control.quiet ? { error: counts.error, warning: 0, info: 0 } : { ...counts };
    this.reporter.fileEnd(ref, { ...outcome, counts: shown });
  }

  /** After {@link finish}: the warnings and the maximum when `--max-warnings` was exceeded. */
  get tooManyWarnings(): { warnings: number; max: number } | undefined {
    return this.exceeded;
  }

  /** Ends the report; returns the exit code (0 or 1). */
  finish(): number {
    const max = this.control.maxWarnings;
    const summary: RunSummary = {
      files: this.files,
      filesWithProblems: this.filesWithProblems,
      counts: this.control.quiet ? { error: this.total.error, warning: 0, info: 0 } : { ...this.total },
      accepted: this.accepted,
      rejected: this.rejected,
    };
    if (this.lines !== undefined) summary.lines = this.lines;
    if (this.fix !== undefined) summary.fix = this.fix;
    // --max-warnings counts every warning, shown or not (as ESLint counts them under --quiet)
    if (max !== undefined && this.total.warning > max) summary.tooManyWarnings = this.exceeded = { warnings: this.total.warning, max };
    this.reporter.end(summary);
    return this.failed || summary.tooManyWarnings !== undefined ? 1 : 0;
  }
}
