/**
 * Fix mode: repair what can be repaired in a whole metrics body, report each change as a warning
 * with the text before and after, and leave out (and report) what cannot be repaired, so the output
 * always validates with no error. Fixing the output again changes nothing.
 *
 * Valid lines are copied unchanged. An invalid line is read by a tolerant tokenizer, its parts are
 * repaired with the normalizers (spec §6), summaries off by float error are clamped, timestamps in
 * seconds become milliseconds, and the rebuilt line is validated again before it is kept.
 *
 * This path allocates strings per repaired line by nature; valid lines cost one decode each.
 *
 * @module
 */
import { FIX_DEFAULTS, resolveMetricsOptions, type FixOptions, type MetricsOptions, type ResolvedMetricsOptions } from '../protocol/options.js';
import { RuleCode, formatTemplate, lineRule, ruleInfo, type TemplateValues } from '../protocol/rules.js';
import type { MetricsLineIssue, ParsedLine } from '../types.js';
import { LineScanner } from '../metrics/scanner.js';
import { LineKind, type MetricLine } from '../metrics/view.js';
import { toBytes } from '../metrics/parser.js';
import { MetricsParser } from '../report/parser.js';
import { parseMetrics, parsedLineOf } from '../report/typed.js';
import { shorten } from '../report/issues.js';
import { normalizeDimensionKey, normalizeDimensionValue, normalizeMetadataValue, normalizeMetricKey } from './normalize.js';
import type { MetadataProperty } from './check.js';

/** What {@link fixMetrics} returns. */
export interface FixResult {
  /** The repaired body: every kept line, LF-terminated. It validates with no error. */
  output: string;
  /** Every repair (warnings, with before and after) and every line left out (errors). */
  issues: MetricsLineIssue[];
  /** For each output line (index 0 = line 1), the 1-based input line it came from. */
  lineMap: number[];
  /** Lines copied unchanged. */
  linesKept: number;
  /** Lines repaired. */
  linesRepaired: number;
  /** Lines left out. */
  linesDropped: number;
}

/** Settings of a streaming {@link MetricsFixer}. */
export interface MetricsFixerSettings {
  /** Receives each output line (without LF) and the input line it came from. */
  onLine: (text: string, inputLine: number) => void;
  /** Receives each repair and each line left out. */
  onIssue: (issue: MetricsLineIssue) => void;
}

/**
 * A repair or a line left out. `text` is the part of the line it is about, whole (a user reads which
 * part was repaired; it is bounded by the line length limit, and fix hands each finding on rather than
 * keeping it); `column` where it starts (1 for the whole line; see {@link Columns}). A line left out
 * is shortened like the validator's offending texts: the whole line is in the input.
 */
function issue(code: number, line: number, values: TemplateValues, text?: string, column = 1): MetricsLineIssue {
  const rule = lineRule(code);
  const out: MetricsLineIssue = { rule: rule.id, severity: rule.severity, message: formatTemplate(rule.report, values), line, column };
  if (text !== undefined) out.text = code === RuleCode.FIX_LINE_DROPPED ? shorten(text) : text;
  return out;
}

/**
 * The columns of a line's parts, found in the order they are repaired (key, dimensions, payload,
 * timestamp): each search starts where the previous part did, so a line is searched once however
 * many parts are repaired (never quadratic). A part not found (not expected) is placed at column 1.
 */
class Columns {
  private from = 0;
  constructor(private readonly lineText: string) {}

  /** The 1-based column of `part`, at or after the previous part. */
  of(part: string): number {
    const at = this.lineText.indexOf(part, this.from);
    if (at < 0) return 1;
    this.from = at;
    return at + 1;
  }
}

// --- tolerant tokenizer ----------------------------------------------------------------------------

/** Splits on `sep` outside quotes and not after a backslash; keeps the pieces as written. */
function splitTopLevel(s: string, sep: string, collapse: boolean): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === sep) {
      if (!collapse || i > start) out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (!collapse || start < s.length) out.push(s.slice(start));
  return out;
}

/** Index of the first `=` outside quotes and escapes, or -1. */
function topLevelEquals(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '=') return i;
    else if (c === '"') return -1;
  }
  return -1;
}

/** The value as meant: quotes removed and escapes resolved (`\n` too for metadata). */
function unescapeLoose(v: string, metadata: boolean): string {
  let s = v;
  let quoted = false;
  if (s.length >= 2 && s[0] === '"' && s[s.length - 1] === '"') {
    s = s.slice(1, -1);
    quoted = true;
  } else if (s.length >= 1 && s[0] === '"') {
    s = s.slice(1); // an unclosed quote: take the rest
    quoted = true;
  }
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      const d = s[i + 1]!;
      if (metadata && d === 'n') {
        out += '\n';
        i++;
        continue;
      }
      if (d === '"' || d === '\\' || (!quoted && (d === ' ' || d === ',' || d === '='))) {
        out += d;
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/**
 * A bare value with an escaped comma and, after it, an unescaped `=` (`a\\,b=c`): a stray backslash
 * fused the next dimension into this value, or the comma and the `=` are both data; the fixer cannot
 * tell, so the line is left out rather than given another series.
 */
function fusesDimension(written: string): boolean {
  if (written.charCodeAt(0) === 34) return false; // quoted: commas and '=' are data
  let escapedComma = false;
  for (let i = 0; i < written.length; i++) {
    const c = written.charCodeAt(i);
    if (c === 92) {
      if (written.charCodeAt(i + 1) === 44) escapedComma = true;
      i++;
    } else if (c === 61 && escapedComma) return true;
  }
  return false;
}

/** Only sign, digit and point characters: a piece of a number that a stray space cut (`- 1`). */
function isNumberPiece(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return false;
  }
  return true;
}

// --- the fixer -------------------------------------------------------------------------------------

/**
 * Streaming fix mode: `push` chunks, `end()`. Output lines and issues go to the callbacks.
 *
 * @example
 * const f = new MetricsFixer({ now: Date.now() }, { onLine: (t) => out.push(t), onIssue: (i) => log(i) });
 * f.push(body); f.end();
 */
export class MetricsFixer {
  /** Lines copied unchanged, repaired, and left out so far. */
  linesKept = 0;
  linesRepaired = 0;
  linesDropped = 0;
  private readonly o: ResolvedMetricsOptions;
  private readonly fix: Required<FixOptions>;
  private readonly parser: MetricsParser;
  private readonly settings: MetricsFixerSettings;
  /** One scanner and view for every verdict on a rebuilt line or token (a parser per call cost ~50 µs a line). */
  private readonly judgeScanner: LineScanner;
  private readonly judgeView: MetricLine;

  /**
   * @param options metrics options (the output validates under them) and fix options
   * @param settings where output lines and issues go
   */
  constructor(options: (MetricsOptions & FixOptions) | undefined, settings: MetricsFixerSettings) {
    const { summaryRelativeTolerance, convertSecondsTimestamps, ...metrics } = options ?? {};
    this.fix = {
      summaryRelativeTolerance: summaryRelativeTolerance ?? FIX_DEFAULTS.summaryRelativeTolerance,
      convertSecondsTimestamps: convertSecondsTimestamps ?? FIX_DEFAULTS.convertSecondsTimestamps,
    };
    this.o = resolveMetricsOptions({ ...metrics, backend: 'js' });
    this.settings = settings;
    this.judgeScanner = new LineScanner(this.o);
    this.judgeView = this.judgeScanner.createView();
    this.parser = new MetricsParser(this.o, (view) => {
      if (view.error === RuleCode.LINE_TOO_LONG) {
        // past the length limit only a prefix of the line may be at hand (a long line is skipped,
        // not buffered, while it spans chunks), so it is never repaired: it is left out, whole or
        // chunked alike (fuzz/regressions/fix-too-long-prefix.json)
        this.drop(view.line, view.text(), `line longer than ${this.o.maxLineLength} characters`);
        return;
      }
      const text = view.text();
      if (view.error === 0) {
        this.linesKept++;
        settings.onLine(text, view.line);
        return;
      }
      this.repair(text, view.line, view.kind === LineKind.METADATA);
    });
  }

  /** Feeds a chunk. */
  push(chunk: Uint8Array | string): void {
    this.parser.push(chunk);
  }

  /** Ends the input. */
  end(): void {
    this.parser.end();
  }

  private drop(line: number, text: string, reason: string): void {
    this.linesDropped++;
    this.settings.onIssue(issue(RuleCode.FIX_LINE_DROPPED, line, { hint: reason }, text));
  }

  /** The validator's verdict on one line: its parsed entry, or the reason it is invalid. */
  private judge(text: string): ParsedLine | undefined {
    // a rebuilt line or token has no LF; should one ever have, the whole-body parser judges its first line
    if (text.includes('\n')) return parseMetrics(text, this.o)[0];
    const bytes = toBytes(text);
    const view = this.judgeView;
    this.judgeScanner.scan(view, bytes, 0, bytes.length, 1);
    return view.kind === LineKind.BLANK ? undefined : parsedLineOf(view, this.o);
  }

  private repair(text: string, line: number, metadata: boolean): void {
    const found: MetricsLineIssue[] = [];
    const rebuilt = metadata ? this.repairMetadata(text, line, found) : this.repairData(text, line, found);
    if (typeof rebuilt !== 'string') {
      this.drop(line, text, rebuilt.reason);
      return;
    }
    const verdict = this.judge(rebuilt);
    if (verdict === undefined || 'issue' in verdict) {
      this.drop(line, text, verdict !== undefined && 'issue' in verdict ? verdict.issue.message : 'nothing left');
      return;
    }
    this.linesRepaired++;
    for (const i of found) this.settings.onIssue(i);
    this.settings.onLine(rebuilt, line);
  }

  private repairData(text: string, line: number, found: MetricsLineIssue[]): string | { reason: string } {
    const o = this.o;
    const columns = new Columns(text);
    const tokens = splitTopLevel(text, ' ', true);
    if (tokens.length < 2) return { reason: this.reasonOf(text) };
    // the payload is one of the last two tokens: the one before last when it reads as a payload (a
    // timestamp may follow), else the last. Words between the key and the payload were cut off the
    // key or a dimension by an unescaped space (spec §2): they belong to the head, never dropped.
    const n = tokens.length;
    let payloadAt = n - 1;
    if (n >= 3 && this.payloadState(tokens[n - 2]!) !== 'invalid') payloadAt = n - 2;
    else if (this.payloadState(tokens[n - 1]!) === 'invalid') return { reason: this.reasonOf(text) };
    else if (n >= 3 && isNumberPiece(tokens[n - 2]!)) return { reason: `a space inside the value? '${shorten(tokens[n - 2]!)} ${shorten(tokens[n - 1]!)}'` };
    const head = splitTopLevel(tokens.slice(0, payloadAt).join(' '), ',', false);
    // metric key
    const rawKey = head[0]!;
    // an '=' in the key means a dimension was fused into it (an escaped comma): its series is unknown
    if (rawKey.includes('=')) return { reason: `a dimension is fused into the metric key '${shorten(rawKey)}'` };
    const key = normalizeMetricKey(rawKey, { ...o, shortMetricKey: 'null' });
    if (key === null) return { reason: `metric key '${shorten(rawKey)}' cannot be repaired` };
    if (key !== rawKey) found.push(issue(RuleCode.FIX_METRIC_KEY, line, { old: rawKey, new: key }, rawKey, columns.of(rawKey)));
    // dimensions: a repaired line keeps every one (its series), or it is left out
    const dims: string[] = [];
    const seenKeys = new Set<string>();
    for (let d = 1; d < head.length; d++) {
      const part = head[d]!;
      const eq = topLevelEquals(part);
      if (eq < 0) return { reason: formatTemplate(lineRule(RuleCode.DIMENSION_MISSING_EQUALS).report, {}) + `: '${shorten(part)}'` };
      const rawDimKey = part.slice(0, eq);
      const asWritten = part.slice(eq + 1);
      if (fusesDimension(asWritten)) return { reason: `a dimension is fused into the value of '${shorten(rawDimKey)}'` };
      const value = unescapeLoose(asWritten, false);
      if (value === '') continue; // `k=`: the endpoint drops empty values anyway
      const dimKey = normalizeDimensionKey(rawDimKey, o);
      const dimValue = normalizeDimensionValue(value, o);
      if (dimKey === null || dimValue === null) return { reason: `dimension '${shorten(part)}' cannot be repaired` };
      // two dimensions under one key: the endpoint keeps the first, so one would be lost
      if (seenKeys.has(dimKey)) return { reason: `dimension key '${shorten(dimKey)}' given twice` };
      seenKeys.add(dimKey);
      if (dimKey !== rawDimKey) found.push(issue(RuleCode.FIX_DIMENSION_KEY, line, { old: rawDimKey, new: dimKey }, rawDimKey, columns.of(rawDimKey)));
      if (dimValue !== asWritten) found.push(issue(RuleCode.FIX_DIMENSION_VALUE, line, { old: asWritten, new: dimValue }, asWritten, columns.of(asWritten)));
      dims.push(`,${dimKey}=${dimValue}`);
    }
    if (dims.length > o.maxDimensions)
      return { reason: formatTemplate(ruleInfo(RuleCode.TOO_MANY_DIMENSIONS).report, { n: dims.length, max: o.maxDimensions }) };
    // payload
    let payload = tokens[payloadAt]!;
    if (this.payloadState(payload) === 'clamp') {
      const clamped = this.clampSummary(payload);
      if (clamped === null) return { reason: this.reasonOf(`${key} ${payload}`) };
      found.push(issue(RuleCode.FIX_SUMMARY_CLAMPED, line, { old: payload, new: clamped }, payload, columns.of(payload)));
      payload = clamped;
    } else if (this.payloadState(payload) !== 'ok') {
      return { reason: this.reasonOf(`${key} ${payload}`) };
    }
    // timestamp
    let ts = tokens[payloadAt + 1];
    if (ts !== undefined) {
      const fixed = this.fixTimestamp(ts);
      if (fixed === null) return { reason: this.reasonOf(`${key} 1 ${ts}`) };
      if (fixed !== ts) found.push(issue(RuleCode.FIX_TIMESTAMP_SECONDS, line, { old: ts, new: fixed }, ts, columns.of(ts)));
      ts = fixed;
    }
    return key + dims.join('') + ' ' + payload + (ts === undefined ? '' : ' ' + ts);
  }

  /** The validator's report message for a line (why it is left out). */
  private reasonOf(text: string): string {
    const verdict = this.judge(text);
    return verdict !== undefined && 'issue' in verdict ? verdict.issue.message : 'malformed line';
  }

  /** Whether a payload token is valid, repairable by clamping a summary, or invalid. */
  private payloadState(payload: string): 'ok' | 'clamp' | 'invalid' {
    const verdict = this.judge(`fix.payload.count ${payload}`);
    if (verdict === undefined) return 'invalid';
    if (!('issue' in verdict)) return 'ok';
    return verdict.issue.rule === 'summary-avg-range' && this.clampSummary(payload) !== null ? 'clamp' : 'invalid';
  }

  /**
   * `min <= sum/count <= max` off by float error only: clamp min or max to the average. "Float
   * error" is a difference of at most `summaryRelativeTolerance` of the magnitude; anything larger
   * is a real inconsistency and is not repaired. Count-0 summaries with non-zero fields are never
   * repaired (the line is left out).
   */
  private clampSummary(payload: string): string | null {
    const fields = payload.slice('gauge,'.length).split(',');
    if (fields.length !== 4) return null;
    const value = (i: number, name: string): number => (fields[i]!.startsWith(name + '=') ? Number(fields[i]!.slice(name.length + 1)) : NaN);
    let min = value(0, 'min');
    let max = value(1, 'max');
    const sum = value(2, 'sum');
    const count = value(3, 'count');
    if (![min, max, sum, count].every(Number.isFinite) || count <= 0) return null;
    const avg = sum / count;
    const tol = this.fix.summaryRelativeTolerance * Math.max(Math.abs(avg), Math.abs(min), Math.abs(max), Number.MIN_VALUE);
    if (avg < min && min - avg <= tol) min = avg;
    else if (avg > max && avg - max <= tol) max = avg;
    else return null;
    return `gauge,min=${min},max=${max},sum=${fields[2]!.slice(4)},count=${fields[3]!.slice(6)}`;
  }

  /** A timestamp in seconds inside the window once multiplied by 1000 is converted; others stay. */
  private fixTimestamp(ts: string): string | null {
    const o = this.o;
    for (let i = 0; i < ts.length; i++) if (ts.charCodeAt(i) < 48 || ts.charCodeAt(i) > 57) return null;
    const n = Number(ts);
    const lo = o.now - o.timestampPastMs;
    const hi = o.now + o.timestampFutureMs;
    if (n >= lo && n <= hi) return ts;
    if (this.fix.convertSecondsTimestamps && n * 1000 >= lo && n * 1000 <= hi) return String(n * 1000);
    return null;
  }

  private repairMetadata(text: string, line: number, found: MetricsLineIssue[]): string | { reason: string } {
    const tokens = splitTopLevel(text.slice(1), ' ', true);
    if (tokens.length < 3) return { reason: this.reasonOf(text) };
    const rawKey = tokens[0]!;
    const key = normalizeMetricKey(rawKey, { ...this.o, shortMetricKey: 'null' });
    const type = tokens[1];
    if (key === null || (type !== 'gauge' && type !== 'count')) return { reason: this.reasonOf(text) };
    const props: string[] = [];
    const seen = new Set<string>();
    for (const part of splitTopLevel(tokens.slice(2).join(' '), ',', true)) {
      const eq = topLevelEquals(part);
      const name = eq < 0 ? '' : part.slice(0, eq);
      const lower = name.toLowerCase();
      const property: MetadataProperty | undefined =
        lower === 'dt.meta.displayname' ? 'displayName' : lower === 'dt.meta.description' ? 'description' : lower === 'dt.meta.unit' ? 'unit' : undefined;
      // a repaired metadata line keeps every property it was given, or it is left out
      if (property === undefined) return { reason: `unknown metadata property '${shorten(name)}'` };
      if (seen.has(property)) return { reason: `metadata property '${shorten(name)}' given twice` };
      const value = normalizeMetadataValue(unescapeLoose(part.slice(eq + 1), true), { ...this.o, metadataProperty: property });
      if (value === null) return { reason: `metadata property '${shorten(name)}' cannot be repaired` };
      seen.add(property);
      props.push(`dt.meta.${property}=${value}`);
    }
    if (props.length === 0) return { reason: this.reasonOf(text) };
    const rebuilt = `#${key} ${type} ${props.join(',')}`;
    found.push(issue(RuleCode.FIX_METADATA_VALUE, line, { old: text, new: rebuilt }, text));
    return rebuilt;
  }
}

/**
 * Repairs a whole body. The output validates with no error under the same options; fixing it again
 * changes nothing.
 *
 * @example
 * const { output, issues } = fixMetrics('my..metric,Host=a 1\n', { now: Date.now() });
 * // output: 'my.metric,host=a 1\n'
 * // issues: [{ rule: 'fix-metric-key', message: "metric key repaired: 'my..metric' -> 'my.metric'", ... }, ...]
 */
export function fixMetrics(input: string | Uint8Array | ArrayBuffer, options?: MetricsOptions & FixOptions): FixResult {
  const lines: string[] = [];
  const lineMap: number[] = [];
  const issues: MetricsLineIssue[] = [];
  const fixer = new MetricsFixer(options, {
    onLine: (text, inputLine) => {
      lines.push(text);
      lineMap.push(inputLine);
    },
    onIssue: (i) => issues.push(i),
  });
  fixer.push(toBytes(input));
  fixer.end();
  return {
    output: lines.length === 0 ? '' : lines.join('\n') + '\n',
    issues,
    lineMap,
    linesKept: fixer.linesKept,
    linesRepaired: fixer.linesRepaired,
    linesDropped: fixer.linesDropped,
  };
}
