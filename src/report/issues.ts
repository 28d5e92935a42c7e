/**
 * Turning a line's verdict into words: the endpoint's text and our richer {@link Issue}. Runs only
 * for lines with a problem or a warning, so it may allocate.
 *
 * @module
 */
import type { ResolvedMetricsOptions } from '../protocol/options.js';
import { SUMMARY_TOLERANCE } from '../protocol/options.js';
import { RuleCode, formatTemplate, lineRule, ruleInfo, type TemplateValues } from '../protocol/rules.js';
import type { MetricsLineIssue } from '../types.js';
import { KeyTable } from '../metrics/keys.js';
import { diagnosedError } from '../metrics/diagnose.js';
import { DIM_STRIDE, storedKeyOf, type MetricLine } from '../metrics/view.js';
import { formatFixed6, formatInteger } from '../metrics/numbers.js';
import { TOO_LONG_PREFIX_BYTES } from '../scan/lines.js';

/** Decodes offending text; a U+FEFF at its start is data, not a byte-order mark (ignoreBOM). */
const textDecoder = /* @__PURE__ */ new TextDecoder('utf-8', { ignoreBOM: true });

/** Longest offending text kept in an issue. */
export const MAX_ISSUE_TEXT = 80;

/** Shortens a text for an issue: at most {@link MAX_ISSUE_TEXT} characters, with an ellipsis. */
export function shorten(text: string): string {
  return text.length <= MAX_ISSUE_TEXT ? text : text.slice(0, MAX_ISSUE_TEXT - 1) + '…';
}

/** Epoch values below this look like seconds, not milliseconds (spec §2 "Timestamp"). */
const SECONDS_HINT_BELOW = 1e11;

function limitFor(code: number, o: ResolvedMetricsOptions, view: MetricLine): number {
  switch (code) {
    case RuleCode.LINE_TOO_LONG:
      return o.maxLineLength;
    case RuleCode.METRIC_KEY_TOO_LONG:
      return o.metricKeyMaxLength;
    case RuleCode.DIMENSION_KEY_TOO_LONG:
      return o.dimensionKeyMaxLength;
    case RuleCode.DIMENSION_VALUE_TOO_LONG:
      return o.dimensionValueMaxLength;
    case RuleCode.TOO_MANY_DIMENSIONS:
      return o.maxDimensions;
    case RuleCode.METADATA_VALUE_TOO_LONG:
      return view.errorMax;
    default:
      return 0;
  }
}

function summaryFields(view: MetricLine, withAvg: boolean): string {
  let s = `min: ${formatFixed6(view.min)}, max: ${formatFixed6(view.max)}, sum: ${formatFixed6(view.sum)}, count: ${formatInteger(view.count)}`;
  if (withAvg) s += `, avg: ${formatFixed6(view.sum / view.count)}, tolerance: ${SUMMARY_TOLERANCE.toFixed(6)}`;
  return s;
}

function templateValues(view: MetricLine, o: ResolvedMetricsOptions, code: number = view.error): TemplateValues {
  const values: TemplateValues = { n: view.errorArg, max: limitFor(code, o, view), min: o.metricKeyMinLength };
  if (code === RuleCode.SUMMARY_COUNT_ZERO) values.fields = summaryFields(view, false);
  else if (code === RuleCode.SUMMARY_AVG_RANGE) values.fields = summaryFields(view, true);
  else if (code === RuleCode.TIMESTAMP_OUT_OF_RANGE) {
    values.hint = view.errorArg < SECONDS_HINT_BELOW ? '; the value looks like seconds, the protocol wants milliseconds' : '';
  } else if (code === RuleCode.METRIC_TYPE_INVALID) values.token = payloadToken(view);
  return values;
}

/** The text the endpoint answers for the line's error (`invalidLines[].error`). */
export function endpointError(view: MetricLine, o: ResolvedMetricsOptions): string {
  return formatTemplate(ruleInfo(view.error).endpoint, templateValues(view, o));
}

/** The text the endpoint answers for the line's warning (`changedMetricKeys[].warning`). */
export function endpointWarning(view: MetricLine): string {
  return rewriteWarningText(view.key(), view.keySuffix);
}

/** `metric key '<key>' changed to '<key><suffix>'` (spec §3, *server*) for a {@link KeySuffix}. */
export function rewriteWarningText(key: string, suffix: number): string {
  return formatTemplate(ruleInfo(RuleCode.METRIC_KEY_CHANGED).endpoint, { old: key, new: storedKeyOf(key, suffix) });
}

/**
 * Distinct keys whose texts {@link RewriteTexts} keeps before it starts afresh: a body that warns
 * about the same few keys on every line builds their texts once, and a stream of ever-new keys keeps
 * at most this many (a few hundred KB) instead of one string per key ever seen.
 */
export const REWRITE_TEXT_CACHE_KEYS = 4096;

/** Tables kept for reuse, and the most keys a table may hold to be kept (its memory stays small). */
const POOL_SIZE = 4;
const POOLED_MAX_KEYS = 256;
const listedPool: RewriteTexts[] = [];

/**
 * The texts of key rewrite warnings by key bytes, built once per key while it stays in the table.
 * With a bound (the rich report's cache for warnings that are not listed), past `maxKeys` distinct
 * keys it forgets them all and starts again (texts are then rebuilt, never wrong), and an id is valid
 * until the next lookup. Without one (the listed warnings, whose number `maxReportedWarnings` caps),
 * ids stay valid.
 *
 * @example
 * const texts = new RewriteTexts(REWRITE_TEXT_CACHE_KEYS);
 * const id = texts.lookup(bytes, 0, 7);
 * texts.text(id, KeySuffix.COUNT); // "metric key 'a.b.req' changed to 'a.b.req.count'"
 */
export class RewriteTexts {
  private readonly keys = new KeyTable();
  private readonly maxKeys: number;
  private endpoint: (string | undefined)[] = [];
  private excerpt: (string | undefined)[] = [];

  /** @param maxKeys distinct keys kept before the table starts afresh (`Infinity`: never) */
  constructor(maxKeys: number) {
    this.maxKeys = maxKeys;
  }

  /**
   * A table for listed warnings, taken from a small pool that one-shot validations give back to
   * ({@link RewriteTexts.release}): a one-line body then allocates no table of its own, and a key
   * warned about in an earlier call finds its texts built. It may hold keys of earlier calls (at most
   * `POOLED_MAX_KEYS`), which only a lookup of the same bytes returns.
   */
  static takeListed(): RewriteTexts {
    return listedPool.pop() ?? new RewriteTexts(Number.POSITIVE_INFINITY);
  }

  /**
   * Gives a table of {@link RewriteTexts.takeListed} back: kept with its keys and texts while small,
   * so repeated one-line calls about the same keys build no text twice (ids stay what they were).
   */
  release(): void {
    if (this.keys.size > POOLED_MAX_KEYS || listedPool.length >= POOL_SIZE) return;
    listedPool.push(this);
  }

  /** The id of the key `buf[start, end)` (see the class for how long it stays valid). */
  lookup(buf: Uint8Array, start: number, end: number): number {
    if (this.keys.size >= this.maxKeys) this.reset();
    return this.keys.intern(buf, start, end);
  }

  private reset(): void {
    this.keys.clear();
    this.endpoint.length = 0;
    this.excerpt.length = 0;
  }

  /** The endpoint's warning text for the key `id` with `suffix`. */
  text(id: number, suffix: number): string {
    const slot = id * 3 + suffix;
    return (this.endpoint[slot] ??= rewriteWarningText(this.keys.text(id), suffix));
  }

  /** The key as an issue's offending text (shortened). */
  keyExcerpt(id: number): string {
    return (this.excerpt[id] ??= shorten(this.keys.text(id)));
  }
}

/** The payload token as written (bounded), decoded. */
function payloadToken(view: MetricLine): string {
  const end = Math.min(view.payloadEnd, view.payloadStart + TOO_LONG_PREFIX_BYTES);
  return end > view.payloadStart ? shorten(textDecoder.decode(view.buf.subarray(view.payloadStart, end))) : '';
}

/** The offending token: from the error position to the next space (bounded), decoded. */
function offendingText(view: MetricLine, code: number): string | undefined {
  const buf = view.buf;
  if (view.end <= view.start) return undefined;
  let s = code === RuleCode.METRIC_TYPE_INVALID ? view.payloadStart : view.errorAt;

  // for key problems show the whole key; for summary consistency the whole payload
  const dimensionKey = code >= RuleCode.DIMENSION_KEY_EMPTY && code <= RuleCode.DIMENSION_MISSING_EQUALS;
  let e = -1;
  if (code >= RuleCode.METRIC_KEY_EMPTY && code <= RuleCode.METRIC_KEY_TOO_LONG) s = view.keyStart;
  else if (code === RuleCode.SUMMARY_COUNT_ZERO || code === RuleCode.SUMMARY_AVG_RANGE) s = view.payloadStart;
  else if (dimensionKey) {
    // the whole dimension: back to the comma that opened it
    while (s > view.start && buf[s - 1] !== 44) s--;
  } else if (code === RuleCode.DIMENSION_VALUE_UNESCAPED_SPACE && view.dimCount > 0) {
    // the value the space cut, and the word the server then took for the payload
    s = view.dims[(view.dimCount - 1) * DIM_STRIDE + 2]!;
    e = view.payloadEnd;
  }
  if (s >= view.end) return undefined;
  // at most the bytes a skipped over-long line keeps, so a carried line reads the same as a whole one
  const limit = Math.min(view.end, s + TOO_LONG_PREFIX_BYTES);
  if (e < 0) {
    e = s;
    while (e < limit && buf[e] !== 32 && !(e > s && buf[e] === 44 && dimensionKey)) e++;
  }
  e = Math.min(e, limit);
  if (e === s) return undefined;
  return shorten(textDecoder.decode(buf.subarray(s, e)));
}

/** The rich-report issue for the line's error. */
export function errorIssue(view: MetricLine, o: ResolvedMetricsOptions): MetricsLineIssue {
  const code = diagnosedError(view, o);
  const rule = lineRule(code);
  const values = templateValues(view, o, code);
  const at = code === view.error ? view.errorAt : view.payloadStart;
  const issue: MetricsLineIssue = {
    rule: rule.id,
    severity: 'error',
    message: formatTemplate(rule.report, values),
    line: view.line,
    column: view.end > view.start ? view.columnOf(at) : 1,
    endpointMessage: formatTemplate(rule.endpoint, values),
  };
  const text = offendingText(view, code);
  if (text !== undefined) issue.text = text;
  return issue;
}

/** The rich-report issue for the line's warning. */
export function warningIssue(view: MetricLine, endpointText: string): MetricsLineIssue {
  const rule = lineRule(view.warning);
  return {
    rule: rule.id,
    severity: 'warning',
    message: endpointText,
    line: view.line,
    column: 1,
    text: shorten(view.key()),
    endpointMessage: endpointText,
  };
}
