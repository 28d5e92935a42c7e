/**
 * The endpoint's answer: status and `ValidationResponse` body, built exactly as
 * `POST /api/v2/metrics/ingest` writes it (spec §4).
 *
 * @module
 */
import type { ResolvedMetricsOptions } from '../protocol/options.js';
import { RuleCode, formatTemplate, ruleInfo } from '../protocol/rules.js';
import type { ErrorEnvelope, InvalidLine, ValidationResponse, WarningLine } from '../types.js';

/**
 * Collects the per-line verdicts the endpoint reports and builds its answer. Keeps at most the
 * capped number of texts, so memory does not grow with the body.
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
  readonly warningLines: WarningLine[] = [];
  private readonly o: ResolvedMetricsOptions;

  /** @param options resolved options (caps, warnings field name, size limit) */
  constructor(options: ResolvedMetricsOptions) {
    this.o = options;
  }

  /** Whether the next invalid line's text will be listed (so callers skip building it otherwise). */
  wantsError(): boolean {
    return this.invalidLines.length < this.o.maxReportedErrors;
  }

  /** Whether the next warning's text will be listed. */
  wantsWarning(): boolean {
    return this.warningLines.length < this.o.maxReportedWarnings;
  }

  /** Counts a valid line. */
  ok(): void {
    this.linesOk++;
  }

  /** Counts an invalid line; `error` is listed while under the cap. */
  invalid(line: number, error: string | undefined): void {
    this.linesInvalid++;
    if (error !== undefined && this.invalidLines.length < this.o.maxReportedErrors) this.invalidLines.push({ line, error });
  }

  /** Records a warning of a valid line (count it with {@link ok} as well). */
  warning(line: number, warning: string | undefined): void {
    this.warningCount++;
    if (warning !== undefined && this.warningLines.length < this.o.maxReportedWarnings) this.warningLines.push({ line, warning });
  }

  /** The status and body for a body of `bytes` bytes. */
  build(bytes: number): { status: number; body: ValidationResponse | ErrorEnvelope } {
    const o = this.o;
    if (bytes > o.maxBodyBytes) {
      // 413 with the classic error envelope (spec §1; text *decided*, see rules table)
      return { status: 413, body: { error: { code: 413, message: formatTemplate(ruleInfo(RuleCode.BODY_TOO_LARGE).endpoint, { n: bytes, max: o.maxBodyBytes }) } } };
    }
    if (this.linesOk === 0 && this.linesInvalid === 0) {
      // an empty body (or one of blank lines only) is a request-level error (*server*)
      return {
        status: 400,
        body: { linesOk: 0, linesInvalid: 0, error: { code: 400, message: ruleInfo(RuleCode.BODY_EMPTY).endpoint, invalidLines: [] }, warnings: null },
      };
    }
    const body: ValidationResponse = { linesOk: this.linesOk, linesInvalid: this.linesInvalid, error: null, warnings: null };
    if (this.linesInvalid > 0) {
      // "<N> invalid lines" (no singular form), or "First 10 errors reported" past the cap (*server*)
      const message = this.linesInvalid > this.invalidLines.length ? `First ${this.invalidLines.length} errors reported` : `${this.linesInvalid} invalid lines`;
      body.error = { code: 400, message, invalidLines: this.invalidLines };
    }
    if (this.warningCount > 0) {
      // "First <k> warnings reported", k being the number listed (*server*, micrometer#5037)
      const list = this.warningLines;
      body.warnings = o.warningsField === 'warningLines'
        ? { message: `First ${list.length} warnings reported`, warningLines: list }
        : { message: `First ${list.length} warnings reported`, changedMetricKeys: list };
    }
    return { status: this.linesInvalid > 0 ? 400 : 202, body };
  }
}
