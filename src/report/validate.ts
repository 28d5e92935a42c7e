/**
 * The metrics validator: the endpoint's answer plus the rich report, streaming or in one call.
 *
 * @module
 */
import type { MetricsOptions, ResolvedMetricsOptions } from '../protocol/options.js';
import { resolveMetricsOptions } from '../protocol/options.js';
import { RuleCode, formatTemplate, lineRule, requestRule } from '../protocol/rules.js';
import type { MetricsIssue, MetricsValidationResult } from '../types.js';
import { RewriteTexts, endpointError, errorIssue } from './issues.js';
import { ResponseBuilder } from './response.js';
import { LineKind, type MetricLine } from '../metrics/view.js';
import { MetricsParser, toBytes, withUtf8 } from '../metrics/parser.js';
import type { LineMap } from '../scan/line-map.js';

/** Extra settings of a {@link MetricsValidator} (not protocol rules, so not in the options table). */
export interface MetricsValidatorSettings {
  /**
   * Receives each issue as soon as it is found, instead of collecting them (constant memory for
   * huge inputs). The result's `issues` is then empty.
   */
  onIssue?: (issue: MetricsIssue) => void;
  /** Build the rich report at all. Default `true`; `false` is the validate-only mode (counts and the endpoint body). */
  issues?: boolean;
  /** Called for every non-blank line with the reused view, after it was judged. */
  onLine?: (view: MetricLine) => void;
  /**
   * Fills this map with the body's lines (starts, blank, verdict) as a by-product of validation, so
   * that what works on the valid lines afterwards (filtering, forwarding, splitting) does not cut the
   * body into lines again. For one body: the map is emptied when the validator is made.
   */
  lineMap?: LineMap;
}

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * Streaming validator: `push` chunks, then `end()` gives `{ status, body, issues }`. Memory stays
 * bounded by the caps (the endpoint lists at most 10 errors; warnings are kept as numbers, and nothing
 * is listed past `maxBodyBytes`) plus the issues you collect.
 *
 * Valid lines are counted by the fused pass (or the native addon) without a view; a line whose key
 * the endpoint rewrites costs a key lookup, and its warning text is built once per distinct key.
 *
 * @example
 * const v = new MetricsValidator({ now: Date.now() });
 * for await (const chunk of stream) v.push(chunk);
 * const { status, body, issues } = v.end();
 */
export class MetricsValidator {
  /** The resolved options in force. */
  readonly options: ResolvedMetricsOptions;
  private readonly parser: MetricsParser;
  private readonly response: ResponseBuilder;
  private readonly issues: MetricsIssue[] = [];
  private readonly onIssue: ((issue: MetricsIssue) => void) | undefined;
  private readonly report: boolean;
  private readonly onLine: ((view: MetricLine) => void) | undefined;
  private metadataSeen: Map<string, number> | undefined;
  private texts: RewriteTexts | undefined;

  /**
   * @param options metrics options
   * @param settings where issues go, and whether to build them
   */
  constructor(options?: MetricsOptions | ResolvedMetricsOptions, settings: MetricsValidatorSettings = {}) {
    this.options = resolveMetricsOptions(options);
    this.response = new ResponseBuilder(this.options);
    this.onIssue = settings.onIssue;
    this.report = settings.issues !== false;
    this.onLine = settings.onLine;
    // verdicts, not complete views, unless someone reads them in onLine: valid lines are then only
    // counted, and a key rewrite arrives as a key id
    const response = this.response;
    this.parser = new MetricsParser(this.options, (view) => this.judge(view), {
      fullView: this.onLine !== undefined,
      onValidLines: (count) => {
        response.linesOk += count;
      },
      onKeyRewrite: (line, keyId, suffix) => this.rewritten(line, keyId, suffix),
      ...(settings.lineMap !== undefined ? { lineMap: settings.lineMap } : {}),
    });
  }

  /** Lines OK so far. */
  get linesOk(): number {
    return this.response.linesOk;
  }

  /** Invalid lines so far. */
  get linesInvalid(): number {
    return this.response.linesInvalid;
  }

  /** Bytes pushed so far. */
  get bytes(): number {
    return this.parser.bytes;
  }

  /** Feeds a chunk. */
  push(chunk: Uint8Array | string): void {
    // anything but bytes or text is the library's TypeError (a detached buffer too)
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : toBytes(chunk);
    // past the size limit the answer is a 413, which lists no line: stop keeping them
    if (this.parser.bytes + bytes.length > this.options.maxBodyBytes) this.response.stopCollecting();
    this.parser.push(bytes);
  }

  /** Ends the input and returns the endpoint's answer and the report. */
  end(): MetricsValidationResult {
    this.parser.end();
    const bytes = this.parser.bytes;
    const result = this.response.build(bytes, (id, suffix) => this.rewriteTexts().text(id, suffix), this.issues);
    if (this.report) {
      if (result.status === 413) {
        const rule = requestRule(RuleCode.BODY_TOO_LARGE);
        const values = { n: bytes, max: this.options.maxBodyBytes };
        this.emit({ rule: rule.id, severity: 'error', message: formatTemplate(rule.report, values), endpointMessage: formatTemplate(rule.endpoint, values) });
      } else if (this.response.linesOk === 0 && this.response.linesInvalid === 0) {
        const rule = requestRule(RuleCode.BODY_EMPTY);
        this.emit({ rule: rule.id, severity: 'error', message: rule.report, endpointMessage: rule.endpoint });
      }
    }
    return result;
  }

  private rewriteTexts(): RewriteTexts {
    return (this.texts ??= new RewriteTexts(this.parser.keys));
  }

  private emit(issue: MetricsIssue): void {
    if (this.onIssue !== undefined) this.onIssue(issue);
    else this.issues.push(issue);
  }

  /** A valid line whose key the endpoint rewrites (spec §3): a warning, the line still counts as OK. */
  private rewritten(line: number, keyId: number, suffix: number): void {
    const response = this.response;
    response.linesOk++;
    response.rewrite(line, keyId, suffix);
    if (this.report) {
      const texts = this.rewriteTexts();
      const text = texts.text(keyId, suffix);
      this.emit({ rule: REWRITE_RULE.id, severity: 'warning', message: text, line, column: 1, text: texts.keyExcerpt(keyId), endpointMessage: text });
    }
  }

  private judge(view: MetricLine): void {
    const response = this.response;
    if (view.error !== 0) {
      response.invalid(view.line, response.wantsError() ? endpointError(view, this.options) : undefined);
      if (this.report) this.emit(errorIssue(view, this.options));
    } else {
      if (view.warning !== 0) this.rewritten(view.line, this.parser.keys.intern(view.buf, view.keyStart, view.keyEnd), view.keySuffix);
      else response.ok();
      if (view.kind === LineKind.METADATA && this.report) this.checkMetadataDuplicate(view);
    }
    if (this.onLine !== undefined) this.onLine(view);
  }

  /** Only the first metadata line for a key counts (spec §5, *docs*): later ones are warned about. */
  private checkMetadataDuplicate(view: MetricLine): void {
    const key = view.key();
    const seen = (this.metadataSeen ??= new Map());
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, view.line);
      return;
    }
    const rule = lineRule(RuleCode.METADATA_DUPLICATE);
    this.emit({ rule: rule.id, severity: 'warning', message: formatTemplate(rule.report, { old: key, n: first }), line: view.line, column: 1, text: key });
  }
}

const REWRITE_RULE = /* @__PURE__ */ (() => lineRule(RuleCode.METRIC_KEY_CHANGED))();

/**
 * Validates a whole metrics body as `POST /api/v2/metrics/ingest` would: `status` and `body` are
 * the endpoint's answer (202, 400 or 413 with its `ValidationResponse` or error envelope), `issues`
 * lists every problem and warning with line, column and rule id, uncapped.
 *
 * @example
 * const { status, body, issues } = validateMetrics('cpu.temp,host=a 42\nbad key 1\n');
 * // status 400, body.linesOk 1, body.error.invalidLines [{ line: 2, error: 'invalid metric type' }]
 */
export function validateMetrics(input: string | Uint8Array | ArrayBuffer, options?: MetricsOptions): MetricsValidationResult {
  const v = new MetricsValidator(options);
  // the bytes are read during push only (a carried tail is copied), so a reused buffer will do
  withUtf8(input, (bytes) => v.push(bytes));
  return v.end();
}
