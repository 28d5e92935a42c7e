/**
 * The metrics validator: the endpoint's answer plus the rich report, streaming or in one call.
 *
 * @module
 */
import type { MetricsOptions, ResolvedMetricsOptions } from '../protocol/options.js';
import { resolveMetricsOptions } from '../protocol/options.js';
import { RuleCode, formatTemplate, lineRule, requestRule } from '../protocol/rules.js';
import type { MetricsIssue, MetricsValidationResult } from '../types.js';
import { REWRITE_TEXT_CACHE_KEYS, RewriteTexts, endpointError, errorIssue } from './issues.js';
import { ResponseBuilder } from './response.js';
import { LineKind, type MetricLine } from '../metrics/view.js';
import { MetricsLineParser, toBytes, withUtf8 } from '../metrics/parser.js';
import { metricsScanners } from './parser.js';
import { LineNumbers, lastValidLines, type LineMap } from '../scan/line-map.js';

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
  /**
   * Keeps the body's tail findable without a line map: the validator holds on to the chunks pushed
   * (references: they must stay unchanged until {@link MetricsValidator.lastValidLines} was read) and
   * records the number of each invalid line (a list that grows with the invalid lines only), so that
   * {@link MetricsValidator.lastValidLines} gives the body's last valid lines at no cost per valid line.
   */
  tail?: boolean;
}

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * Streaming validator: `push` chunks, then `end()` gives `{ status, body, issues }`. Memory stays
 * bounded by the options, never by the number of distinct keys seen: the endpoint lists at most
 * `maxReportedErrors` errors and `maxReportedWarnings` warnings (kept as numbers and their keys, and
 * nothing is kept past `maxBodyBytes`, whose 413 lists nothing), the rich report's text cache starts
 * afresh past a fixed number of keys, and at most `maxTrackedMetadataKeys` metadata keys are
 * remembered; plus the issues you collect (none with `onIssue`).
 *
 * Valid lines are counted by the fused pass (or the native addon) without a view; a line whose key
 * the endpoint rewrites costs a key lookup while its warning is listed, and nothing but a count after.
 *
 * @example
 * const v = new MetricsValidator({ now: Date.now() });
 * for await (const chunk of stream) v.push(chunk);
 * const { status, body, issues } = v.end();
 */
export class MetricsValidator {
  /** The resolved options in force. */
  readonly options: ResolvedMetricsOptions;
  private readonly parser: MetricsLineParser;
  private readonly response: ResponseBuilder;
  /** The collected issues, made on the first one (an array literal of one: a call with one warning allocates no room for sixteen). */
  private issues: MetricsIssue[] | undefined;
  private readonly onIssue: ((issue: MetricsIssue) => void) | undefined;
  private readonly report: boolean;
  private readonly onLine: ((view: MetricLine) => void) | undefined;
  private metadataSeen: Map<string, number> | undefined;
  /** Keys and texts of listed warnings (ids in the response): at most `maxReportedWarnings` of them. */
  private listed: RewriteTexts | undefined;
  /** The rich report's texts of warnings that are not listed (a bounded cache). */
  private unlisted: RewriteTexts | undefined;
  /** Numbers of the invalid lines (the `tail` setting). */
  private readonly invalid: LineNumbers | undefined;
  /** The chunks pushed (the `tail` setting). */
  private readonly chunks: Uint8Array[] | undefined;

  /**
   * @param options metrics options
   * @param settings where issues go, and whether to build them
   */
  constructor(options?: MetricsOptions | ResolvedMetricsOptions, settings: MetricsValidatorSettings = NO_SETTINGS) {
    this.options = resolveMetricsOptions(options);
    this.response = new ResponseBuilder(this.options);
    this.onIssue = settings.onIssue;
    this.report = settings.issues !== false;
    this.onLine = settings.onLine;
    this.invalid = settings.tail === true ? new LineNumbers() : undefined;
    this.chunks = settings.tail === true ? [] : undefined;
    // verdicts, not complete views, unless someone reads them in onLine: valid lines are then only
    // counted, and a key rewrite arrives as the key's offsets
    const response = this.response;
    const fullView = this.onLine !== undefined;
    this.parser = new MetricsLineParser(
      this.options,
      (view) => this.judge(view),
      {
        fullView,
        onValidLines: (count) => {
          response.linesOk += count;
        },
        onKeyRewrite: (line, buf, keyStart, keyEnd, suffix) => this.rewritten(line, buf, keyStart, keyEnd, suffix),
        lineMap: settings.lineMap,
      },
      metricsScanners(this.options.backend, fullView),
    );
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
    this.chunks?.push(bytes);
    this.parser.push(bytes);
  }

  /** Ends the input and returns the endpoint's answer and the report. */
  end(): MetricsValidationResult {
    this.parser.end();
    const bytes = this.parser.bytes;
    const listed = this.listed;
    // the request-level issue comes last, after every line's: the same tests as the answer's status
    if (this.report) {
      if (bytes > this.options.maxBodyBytes) {
        const rule = requestRule(RuleCode.BODY_TOO_LARGE);
        const values = { n: bytes, max: this.options.maxBodyBytes };
        this.emit({ rule: rule.id, severity: 'error', message: formatTemplate(rule.report, values), endpointMessage: formatTemplate(rule.endpoint, values) });
      } else if (this.response.linesOk === 0 && this.response.linesInvalid === 0) {
        const rule = requestRule(RuleCode.BODY_EMPTY);
        this.emit({ rule: rule.id, severity: 'error', message: rule.report, endpointMessage: rule.endpoint });
      }
    }
    return this.response.build(bytes, listed, (this.issues ??= []));
  }

  /**
   * After {@link MetricsValidator.end}, with the `tail` setting: the last `wanted` valid lines of the body, copied
   * into one buffer, each ended by an LF (as the body had it, a CR before it kept; one added after a
   * last line without it), and how many there are. Found by walking back from the body's end, so the
   * cost follows `wanted`, not the body's size.
   * @example const { bytes, count } = v.lastValidLines(1000);
   */
  lastValidLines(wanted: number): { bytes: Uint8Array; count: number } {
    if (this.invalid === undefined || this.chunks === undefined) throw new Error('dt-ingest: lastValidLines needs the tail setting');
    return lastValidLines(this.chunks, this.parser.lines, this.invalid, wanted, this.options.ignoreCarriageReturn);
  }

  /** @internal After the last {@link end}: gives the table of listed keys and the warning list back to their pools. */
  release(): void {
    this.listed?.release();
    this.listed = undefined;
    this.response.release();
  }

  private emit(issue: MetricsIssue): void {
    if (this.onIssue !== undefined) this.onIssue(issue);
    else if (this.issues === undefined) this.issues = [issue];
    else this.issues.push(issue);
  }

  /** A valid line whose key the endpoint rewrites (spec §3): a warning, the line still counts as OK. */
  private rewritten(line: number, buf: Uint8Array, keyStart: number, keyEnd: number, suffix: number): void {
    const response = this.response;
    response.linesOk++;
    // the key is kept only while the warning is listed: past the cap or a 413, a count (and for the
    // rich report a text from a bounded cache)
    let texts: RewriteTexts;
    let id: number;
    if (response.wantsWarning()) {
      texts = this.listed ??= RewriteTexts.takeListed();
      id = texts.lookup(buf, keyStart, keyEnd);
      response.rewrite(line, id, suffix);
    } else {
      response.countWarning();
      if (!this.report) return;
      texts = this.unlisted ??= new RewriteTexts(REWRITE_TEXT_CACHE_KEYS);
      id = texts.lookup(buf, keyStart, keyEnd);
    }
    if (this.report) {
      const text = texts.text(id, suffix);
      this.emit({ rule: REWRITE_RULE.id, severity: 'warning', message: text, line, column: 1, text: texts.keyExcerpt(id), endpointMessage: text });
    }
  }

  private judge(view: MetricLine): void {
    const response = this.response;
    if (view.error !== 0) {
      this.invalid?.push(view.line);
      response.invalid(view.line, response.wantsError() ? endpointError(view, this.options) : undefined);
      if (this.report) this.emit(errorIssue(view, this.options));
    } else {
      if (view.warning !== 0) this.rewritten(view.line, view.buf, view.keyStart, view.keyEnd, view.keySuffix);
      else response.ok();
      if (view.kind === LineKind.METADATA && this.report) this.checkMetadataDuplicate(view);
    }
    if (this.onLine !== undefined) this.onLine(view);
  }

  /**
   * Only the first metadata line for a key counts (spec §5, *docs*): later ones are warned about.
   * At most `maxTrackedMetadataKeys` keys are remembered; a key first seen past that is not.
   */
  private checkMetadataDuplicate(view: MetricLine): void {
    const key = view.key();
    const seen = (this.metadataSeen ??= new Map());
    const first = seen.get(key);
    if (first === undefined) {
      if (seen.size < this.options.maxTrackedMetadataKeys) seen.set(key, view.line);
      return;
    }
    const rule = lineRule(RuleCode.METADATA_DUPLICATE);
    this.emit({ rule: rule.id, severity: 'warning', message: formatTemplate(rule.report, { old: key, n: first }), line: view.line, column: 1, text: key });
  }
}

const REWRITE_RULE = /* @__PURE__ */ (() => lineRule(RuleCode.METRIC_KEY_CHANGED))();

/** The settings of a validator made without any (one object for every such validator). */
const NO_SETTINGS: MetricsValidatorSettings = /* @__PURE__ */ Object.freeze({});

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
  const result = v.end();
  v.release();
  return result;
}
