/**
 * The endpoint's answer: status and `ValidationResponse` body, built exactly as
 * `POST /api/v2/metrics/ingest` writes it (spec §4).
 *
 * @module
 */
import type { ResolvedMetricsOptions } from '../protocol/options.js';
import { RuleCode, formatTemplate, ruleInfo } from '../protocol/rules.js';
import type { InvalidLine, MetricIngestError, MetricsIssue, MetricsValidationResult, ValidationResponse, WarningLine } from '../types.js';

/** Ints of the first warning list: 16 warned lines (line, key id, suffix each); it doubles as needed. */
const INITIAL_WARNING_INTS = 48;
/** First warning lists given back by one-shot validations ({@link ResponseBuilder.release}), for reuse. */
const freeWarningLists: Int32Array[] = [];
const FREE_WARNING_LISTS = 4;

/** Gives the text of a key rewrite warning for an interned key id and a {@link KeySuffix}. */
export interface RewriteText {
  /** The endpoint's warning text for key `keyId` with `suffix`. */
  text(keyId: number, suffix: number): string;
}

/**
 * Collects the per-line verdicts the endpoint reports and builds its answer. Invalid lines keep their
 * text (at most `maxReportedErrors` of them); warned lines are kept as numbers (line, key id, suffix)
 * and get their text when the body is built, so a body with a warning on every line allocates nothing
 * per line. Past `maxBodyBytes` nothing is kept at all ({@link stopCollecting}): a 413 lists nothing.
 *
 * @example
 * const b = new ResponseBuilder(resolveMetricsOptions());
 * b.ok(); b.invalid(2, 'invalid metric key');
 * b.build(bytes) // { status: 400, body: {...} }
 */
export class ResponseBuilder {
  linesOk = 0;
  linesInvalid = 0;
  warningCount = 0;
  readonly invalidLines: InvalidLine[] = [];
  private readonly o: ResolvedMetricsOptions;
  private collecting = true;
  /** Warned lines listed so far, and their (line, key id, suffix) triples. */
  private warningsListed = 0;
  private warnings: Int32Array | undefined;

  /** @param options resolved options (caps, warnings field name, size limit) */
  constructor(options: ResolvedMetricsOptions) {
    this.o = options;
  }

  /** Whether the next invalid line's text will be listed (so callers skip building it otherwise). */
  wantsError(): boolean {
    return this.collecting && this.invalidLines.length < this.o.maxReportedErrors;
  }

  /** Stops listing lines: the body went past `maxBodyBytes`, so the answer is a 413 that lists none. */
  stopCollecting(): void {
    this.collecting = false;
  }

  /** Counts a valid line. */
  ok(): void {
    this.linesOk++;
  }

  /** Counts an invalid line; `error` is listed while under the cap. */
  invalid(line: number, error: string | undefined): void {
    this.linesInvalid++;
    if (error !== undefined && this.wantsError()) this.invalidLines.push({ line, error });
  }

  /**
   * Whether the next key rewrite warning will be listed (under `maxReportedWarnings`, and no 413):
   * callers keep the key only then, and otherwise count the warning with {@link countWarning}.
   */
  wantsWarning(): boolean {
    return this.collecting && this.warningsListed < this.o.maxReportedWarnings;
  }

  /** Counts a key rewrite warning that is not listed (the answer still says that warnings exist). */
  countWarning(): void {
    this.warningCount++;
  }

  /** Records the key rewrite warning of a valid line (count the line with {@link ok} as well). */
  rewrite(line: number, keyId: number, suffix: number): void {
    this.warningCount++;
    const n = this.warningsListed;
    if (!this.collecting || n >= this.o.maxReportedWarnings) return;
    let w = this.warnings;
    if (w === undefined) this.warnings = w = freeWarningLists.pop() ?? new Int32Array(INITIAL_WARNING_INTS);
    else if ((n + 1) * 3 > w.length) {
      const grown = new Int32Array(w.length * 2);
      grown.set(w);
      this.warnings = w = grown;
    }
    w[n * 3] = line;
    w[n * 3 + 1] = keyId;
    w[n * 3 + 2] = suffix;
    this.warningsListed = n + 1;
  }

  /**
   * @internal After the last {@link build}: gives a first-size warning list back for the next builder
   * (a one-line body with a warning then allocates none). The builder is not used afterwards.
   */
  release(): void {
    const w = this.warnings;
    this.warnings = undefined;
    this.warningsListed = 0;
    if (w !== undefined && w.length === INITIAL_WARNING_INTS && freeWarningLists.length < FREE_WARNING_LISTS) freeWarningLists.push(w);
  }

  /**
   * The status and body for a body of `bytes` bytes, with `issues` as the report. `rewriteText` gives
   * the text of a listed key rewrite (needed only when {@link rewrite} was called).
   */
  build(bytes: number, rewriteText?: RewriteText, issues: MetricsIssue[] = []): MetricsValidationResult {
    const o = this.o;
    if (bytes > o.maxBodyBytes) {
      // 413 with the classic error envelope (spec §1; text *decided*, see rules table)
      return {
        ok: false,
        status: 413,
        body: { error: { code: 413, message: formatTemplate(ruleInfo(RuleCode.BODY_TOO_LARGE).endpoint, { n: bytes, max: o.maxBodyBytes }) } },
        issues,
      };
    }
    if (this.linesOk === 0 && this.linesInvalid === 0) {
      // an empty body (or one of blank lines only) is a request-level error (*server*)
      return {
        ok: false,
        status: 400,
        body: { linesOk: 0, linesInvalid: 0, error: { code: 400, message: ruleInfo(RuleCode.BODY_EMPTY).endpoint, invalidLines: [] }, warnings: null },
        issues,
      };
    }
    const body: ValidationResponse = { linesOk: this.linesOk, linesInvalid: this.linesInvalid, error: null, warnings: null };
    let error: MetricIngestError | undefined;
    if (this.linesInvalid > 0) {
      // "<N> invalid lines" (no singular form), or "First 10 errors reported" past the cap (*server*)
      const message = this.linesInvalid > this.invalidLines.length ? `First ${this.invalidLines.length} errors reported` : `${this.linesInvalid} invalid lines`;
      body.error = error = { code: 400, message, invalidLines: this.invalidLines };
    }
    if (this.warningCount > 0) {
      const w = this.warnings;
      const n = w !== undefined && rewriteText !== undefined ? this.warningsListed : 0;
      // a short list sized once (pushing onto [] reserves room for 17 entries, most of a one-line
      // call's answer); a long one grown, since V8 gives a preallocated array of 100,000 or more
      // dictionary elements
      const list: WarningLine[] = n <= 16 ? new Array(n) : [];
      for (let k = 0; k < n; k++) list[k] = { line: w![k * 3]!, warning: rewriteText!.text(w![k * 3 + 1]!, w![k * 3 + 2]!) };
      // "First <k> warnings reported", k being the number listed (*server*, micrometer#5037)
      body.warnings =
        o.warningsField === 'warningLines'
          ? { message: `First ${list.length} warnings reported`, warningLines: list }
          : { message: `First ${list.length} warnings reported`, changedMetricKeys: list };
    }
    if (error !== undefined) return { ok: false, status: 400, body: body as ValidationResponse & { error: MetricIngestError }, issues };
    return { ok: true, status: 202, body: body as ValidationResponse & { linesInvalid: 0; error: null }, issues };
  }
}
