/**
 * Which rule explains a line's error. The scanner's verdict is the endpoint's; one of its readings is
 * a heuristic: a bad payload right after a bare dimension value is read as `dimension-value-
 * unescaped-space` (`k=a b 5`: the space ended the dimensions early). That reading stands only when
 * the alternative it proposes makes a valid line; otherwise (`host=x NaN`, `host=web-02 hot`) the
 * plain `metric-type-invalid` names the real mistake. The endpoint's text is the same either way.
 * Runs for error lines only, so it may allocate.
 *
 * @module
 */
import { Byte } from '../protocol/chars.js';
import type { ResolvedMetricsOptions } from '../protocol/options.js';
import { RuleCode } from '../protocol/rules.js';
import { LineScanner } from './scanner.js';
import type { MetricLine } from './view.js';

/**
 * Unescaped spaces tried, at most, in one line's alternative reading (each try reads the line once
 * more: the bound keeps a line full of spaces linear).
 */
const MAX_SPACE_ESCAPES = 8;

/** One scanner and view per options object for alternative readings (made on first use). */
const alternateScanners = /* @__PURE__ */ new WeakMap<ResolvedMetricsOptions, { scanner: LineScanner; view: MetricLine }>();

/**
 * Whether escaping the space that ended the dimensions (and, in turn, up to
 * {@link MAX_SPACE_ESCAPES} such spaces) makes the line valid.
 */
function spaceEscapeMakesValid(view: MetricLine, o: ResolvedMetricsOptions): boolean {
  let alternate = alternateScanners.get(o);
  if (alternate === undefined) {
    const scanner = new LineScanner(o);
    alternate = { scanner, view: scanner.createView() };
    alternateScanners.set(o, alternate);
  }
  let bytes = view.buf.subarray(view.start, view.end);
  let at = view.errorAt - view.start;
  for (let tries = 0; tries < MAX_SPACE_ESCAPES; tries++) {
    const escaped = new Uint8Array(bytes.length + 1);
    escaped.set(bytes.subarray(0, at));
    escaped[at] = Byte.BACKSLASH;
    escaped.set(bytes.subarray(at), at + 1);
    bytes = escaped;
    const alt = alternate.view;
    alternate.scanner.scan(alt, bytes, 0, bytes.length, view.line);
    if (alt.error === 0) return true;
    if (alt.error !== RuleCode.DIMENSION_VALUE_UNESCAPED_SPACE) return false;
    at = alt.errorAt;
  }
  return false;
}

/**
 * The rule code that explains the error of `view` (scanned under `o`): the scanner's, except an
 * unescaped-space reading whose alternative is not a valid line, which is `metric-type-invalid`.
 *
 * @example diagnosedError(view, options) // RuleCode.METRIC_TYPE_INVALID for `cpu.temp,host=x NaN`
 */
export function diagnosedError(view: MetricLine, o: ResolvedMetricsOptions): number {
  const code = view.error;
  if (code === RuleCode.DIMENSION_VALUE_UNESCAPED_SPACE && !spaceEscapeMakesValid(view, o)) return RuleCode.METRIC_TYPE_INVALID;
  return code;
}
