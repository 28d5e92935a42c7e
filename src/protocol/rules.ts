/**
 * The single table of metrics rule codes, ids and message texts.
 *
 * Every problem the metrics line protocol validator can report has one numeric code (what the hot path
 * and the native addon write into typed arrays), one stable id (what users filter on), the text the
 * endpoint puts into `invalidLines[].error` / `changedMetricKeys[].warning`, and the richer text of our
 * own report. `scripts/gen-native-header.mjs` generates `native/src/generated.h` from this file; never edit
 * the header by hand.
 *
 * Placeholders in templates: `{n}` the measured value, `{max}` / `{min}` the limit, `{old}` / `{new}`
 * the metric keys of a rewrite, `{hint}` an optional extra sentence. Endpoint texts marked *server* in
 * `docs/spec/metrics-line-protocol.md` are the server's own; the others keep its terse style.
 *
 * @module
 */

/** Severity of an issue in the rich report. */
export type Severity = 'error' | 'warning' | 'info';

/** The shape every row of the rule table has (the rows themselves are typed by their literal values). */
interface RuleShape {
  readonly code: number;
  readonly id: string;
  readonly severity: Severity;
  readonly endpoint: string;
  readonly report: string;
}

/**
 * Numeric rule codes. `0` means "no problem". Codes are grouped: 1-49 line errors, 50-59 line
 * warnings, 60-69 request-level outcomes.
 */
export const RuleCode = {
  NONE: 0,
  LINE_TOO_LONG: 1,
  METRIC_KEY_EMPTY: 2,
  METRIC_KEY_CHAR: 3,
  METRIC_KEY_EMPTY_SECTION: 4,
  METRIC_KEY_SECTION_START: 5,
  METRIC_KEY_DIGIT_SECTION: 6,
  METRIC_KEY_RESERVED: 7,
  METRIC_KEY_TOO_SHORT: 8,
  METRIC_KEY_TOO_LONG: 9,
  DIMENSION_KEY_EMPTY: 10,
  DIMENSION_KEY_CHAR: 11,
  DIMENSION_KEY_SECTION_START: 12,
  DIMENSION_KEY_TOO_LONG: 13,
  DIMENSION_MISSING_EQUALS: 14,
  DIMENSION_VALUE_CHAR: 15,
  DIMENSION_VALUE_UNTERMINATED: 16,
  DIMENSION_VALUE_AFTER_QUOTE: 17,
  DIMENSION_VALUE_DANGLING_ESCAPE: 18,
  DIMENSION_VALUE_TOO_LONG: 19,
  TOO_MANY_DIMENSIONS: 20,
  DIMENSION_VALUE_UNESCAPED_SPACE: 21,
  PAYLOAD_MISSING: 22,
  METRIC_TYPE_INVALID: 23,
  COUNT_WITHOUT_DELTA: 24,
  METRIC_VALUE_INVALID: 25,
  METRIC_VALUE_NOT_FINITE: 26,
  SUMMARY_FIELDS: 27,
  SUMMARY_COUNT_INVALID: 28,
  SUMMARY_COUNT_ZERO: 29,
  SUMMARY_AVG_RANGE: 30,
  TIMESTAMP_INVALID: 31,
  TIMESTAMP_OUT_OF_RANGE: 32,
  TRAILING_DATA: 33,
  METADATA_KEY: 34,
  METADATA_TYPE: 35,
  METADATA_NO_PROPERTY: 36,
  METADATA_PROPERTY_UNKNOWN: 37,
  METADATA_VALUE_INVALID: 38,
  METADATA_VALUE_TOO_LONG: 39,
  METADATA_SYNTAX: 40,
  INVALID_UTF8: 41,
  METRIC_KEY_CHANGED: 50,
  METADATA_DUPLICATE: 51,
  BODY_EMPTY: 60,
  BODY_TOO_LARGE: 61,
  FIX_METRIC_KEY: 70,
  FIX_DIMENSION_KEY: 71,
  FIX_DIMENSION_VALUE: 72,
  FIX_SUMMARY_CLAMPED: 75,
  FIX_TIMESTAMP_SECONDS: 76,
  FIX_METADATA_VALUE: 77,
  FIX_LINE_DROPPED: 78,
} as const;

/** A value of {@link RuleCode}. */
export type RuleCodeValue = (typeof RuleCode)[keyof typeof RuleCode];

// The endpoint's own texts (spec §2 and §4, evidence *server*), named once.
const INVALID_METRIC_KEY = 'invalid metric key';
const INVALID_DIMENSION_KEY = 'invalid dimension key';
const INVALID_DIMENSION_VALUE = 'invalid dimension value';
const INVALID_METRIC_TYPE = 'invalid metric type';
const INVALID_METRIC_VALUE = 'invalid metric value';
const INVALID_METADATA_LINE = 'invalid metadata line';

/**
 * All rules as a list, in code order: the table itself (every row typed by its literal values, so
 * {@link MetricsRuleId} is the union of the ids).
 * @example RULE_LIST.filter((r) => r.severity === 'warning').map((r) => r.id)
 */
// biome-ignore format: a table, one rule per row
export const RULE_LIST = /* @__PURE__ */ Object.freeze([
  // --- line errors -------------------------------------------------------------------------------
  { code: 1, id: 'line-too-long', severity: 'error', endpoint: 'line length exceeded: {n} > {max}', report: 'line length exceeded: {n} > {max} characters' },
  { code: 2, id: 'metric-key-empty', severity: 'error', endpoint: INVALID_METRIC_KEY, report: 'metric key is empty' },
  { code: 3, id: 'metric-key-char', severity: 'error', endpoint: INVALID_METRIC_KEY, report: "invalid character in metric key (allowed: A-Z a-z 0-9 - _ and '.' between sections)" },
  { code: 4, id: 'metric-key-empty-section', severity: 'error', endpoint: INVALID_METRIC_KEY, report: 'empty section in metric key' },
  { code: 5, id: 'metric-key-section-start', severity: 'error', endpoint: INVALID_METRIC_KEY, report: "metric key must start with a letter or '_', and no section with '-'" },
  { code: 6, id: 'metric-key-digit-section', severity: 'error', endpoint: INVALID_METRIC_KEY, report: 'metric key section starts with a digit (rejected by the server; option allowDigitLeadingSections)' },
  { code: 7, id: 'metric-key-reserved', severity: 'error', endpoint: INVALID_METRIC_KEY, report: "metric keys starting with 'dt.' are reserved" },
  { code: 8, id: 'metric-key-too-short', severity: 'error', endpoint: INVALID_METRIC_KEY, report: 'metric key too short: {n} < {min}' },
  { code: 9, id: 'metric-key-too-long', severity: 'error', endpoint: 'metric key length exceeded: {n} > {max}', report: 'metric key length exceeded: {n} > {max}' },
  { code: 10, id: 'dimension-key-empty', severity: 'error', endpoint: INVALID_DIMENSION_KEY, report: 'dimension key is empty' },
  { code: 11, id: 'dimension-key-char', severity: 'error', endpoint: INVALID_DIMENSION_KEY, report: "invalid character in dimension key (allowed: a-z 0-9 - _ : and '.' between sections; no uppercase)" },
  { code: 12, id: 'dimension-key-section-start', severity: 'error', endpoint: INVALID_DIMENSION_KEY, report: "dimension key section must start with a letter or '_'" },
  { code: 13, id: 'dimension-key-too-long', severity: 'error', endpoint: 'dimension key length exceeded: {n} > {max}', report: 'dimension key length exceeded: {n} > {max}' },
  { code: 14, id: 'dimension-missing-equals', severity: 'error', endpoint: INVALID_DIMENSION_KEY, report: "dimension without '=' and value" },
  { code: 15, id: 'dimension-value-char', severity: 'error', endpoint: INVALID_DIMENSION_VALUE, report: "invalid character in dimension value (control character, or unescaped '\"' or '=')" },
  { code: 16, id: 'dimension-value-unterminated', severity: 'error', endpoint: INVALID_DIMENSION_VALUE, report: 'quoted dimension value is not closed' },
  { code: 17, id: 'dimension-value-after-quote', severity: 'error', endpoint: INVALID_DIMENSION_VALUE, report: "unexpected character after closing quote (expected ',' or space)" },
  { code: 18, id: 'dimension-value-dangling-escape', severity: 'error', endpoint: INVALID_DIMENSION_VALUE, report: 'backslash at the end of the line' },
  { code: 19, id: 'dimension-value-too-long', severity: 'error', endpoint: 'dimension value length exceeded: {n} > {max}', report: 'dimension value length exceeded: {n} > {max}' },
  { code: 20, id: 'too-many-dimensions', severity: 'error', endpoint: 'too many dimensions: {n} > {max}', report: 'too many dimensions: {n} > {max}' },
  { code: 21, id: 'dimension-value-unescaped-space', severity: 'error', endpoint: INVALID_METRIC_TYPE, report: "unescaped space in dimension value (escape it as '\\ ' or quote the value)" },
  { code: 22, id: 'payload-missing', severity: 'error', endpoint: INVALID_METRIC_TYPE, report: 'missing payload after the metric key' },
  { code: 23, id: 'metric-type-invalid', severity: 'error', endpoint: INVALID_METRIC_TYPE, report: "invalid metric type: '{token}' is not a number, 'gauge,...' or 'count,delta=...'" },
  { code: 24, id: 'count-without-delta', severity: 'error', endpoint: INVALID_METRIC_VALUE, report: "count payload needs 'delta=' (count,delta=<number>)" },
  { code: 25, id: 'metric-value-invalid', severity: 'error', endpoint: INVALID_METRIC_VALUE, report: 'invalid number' },
  { code: 26, id: 'metric-value-not-finite', severity: 'error', endpoint: INVALID_METRIC_VALUE, report: 'number is not a finite double' },
  { code: 27, id: 'summary-fields', severity: 'error', endpoint: INVALID_METRIC_VALUE, report: 'summary needs min=, max=, sum=, count= in this order' },
  { code: 28, id: 'summary-count-invalid', severity: 'error', endpoint: INVALID_METRIC_VALUE, report: 'summary count must be a non-negative integer' },
  { code: 29, id: 'summary-count-zero', severity: 'error', endpoint: 'inconsistent gauge fields: count == 0 => min, max, sum == 0: {fields}', report: 'inconsistent gauge fields: count == 0 => min, max, sum == 0: {fields}' },
  { code: 30, id: 'summary-avg-range', severity: 'error', endpoint: "inconsistent gauge fields: min <= avg <= max doesn't hold: {fields}", report: "inconsistent gauge fields: min <= avg <= max doesn't hold: {fields}" },
  { code: 31, id: 'timestamp-invalid', severity: 'error', endpoint: 'invalid timestamp', report: 'invalid timestamp (expected Unix epoch milliseconds, digits only)' },
  { code: 32, id: 'timestamp-out-of-range', severity: 'error', endpoint: 'timestamp out of range', report: 'timestamp out of range (accepted: 1 hour before now to 10 minutes after){hint}' },
  { code: 33, id: 'trailing-data', severity: 'error', endpoint: 'unexpected data after timestamp', report: 'unexpected data after timestamp' },
  { code: 34, id: 'metadata-key', severity: 'error', endpoint: INVALID_METADATA_LINE, report: 'invalid metric key in metadata line' },
  { code: 35, id: 'metadata-type', severity: 'error', endpoint: INVALID_METADATA_LINE, report: "metadata line needs the type 'gauge' or 'count' after the key" },
  { code: 36, id: 'metadata-no-property', severity: 'error', endpoint: INVALID_METADATA_LINE, report: 'metadata line needs at least one dt.meta.<property>=<value>' },
  { code: 37, id: 'metadata-property-unknown', severity: 'error', endpoint: INVALID_METADATA_LINE, report: 'unknown metadata property (known: dt.meta.displayName, dt.meta.description, dt.meta.unit)' },
  { code: 38, id: 'metadata-value-invalid', severity: 'error', endpoint: INVALID_METADATA_LINE, report: 'invalid metadata value' },
  { code: 39, id: 'metadata-value-too-long', severity: 'error', endpoint: INVALID_METADATA_LINE, report: 'metadata value length exceeded: {n} > {max}' },
  { code: 40, id: 'metadata-syntax', severity: 'error', endpoint: INVALID_METADATA_LINE, report: "malformed metadata line (expected '#<key> gauge|count dt.meta.<property>=<value>[,...]')" },
  { code: 41, id: 'invalid-utf8', severity: 'error', endpoint: INVALID_DIMENSION_VALUE, report: 'invalid UTF-8 in dimension value' },
  // --- line warnings (the line still counts as OK) ------------------------------------------------
  { code: 50, id: 'metric-key-changed', severity: 'warning', endpoint: "metric key '{old}' changed to '{new}'", report: "metric key '{old}' changed to '{new}'" },
  { code: 51, id: 'metadata-duplicate', severity: 'warning', endpoint: '', report: "metadata for '{old}' was already given on line {n}; this line is ignored" },
  // --- request level ------------------------------------------------------------------------------
  { code: 60, id: 'body-empty', severity: 'error', endpoint: 'empty request', report: 'empty request' },
  { code: 61, id: 'body-too-large', severity: 'error', endpoint: 'Payload too large: {n} > {max} bytes', report: 'request body too large: {n} > {max} bytes' },
  // --- fix mode (report only): each repair is a warning with the text before and after -------------
  { code: 70, id: 'fix-metric-key', severity: 'warning', endpoint: '', report: "metric key repaired: '{old}' -> '{new}'" },
  { code: 71, id: 'fix-dimension-key', severity: 'warning', endpoint: '', report: "dimension key repaired: '{old}' -> '{new}'" },
  { code: 72, id: 'fix-dimension-value', severity: 'warning', endpoint: '', report: "dimension value repaired: '{old}' -> '{new}'" },
  { code: 75, id: 'fix-summary-clamped', severity: 'warning', endpoint: '', report: "summary clamped to its average (float error): '{old}' -> '{new}'" },
  { code: 76, id: 'fix-timestamp-seconds', severity: 'warning', endpoint: '', report: "timestamp in seconds converted to milliseconds: '{old}' -> '{new}'" },
  { code: 77, id: 'fix-metadata-value', severity: 'warning', endpoint: '', report: "metadata line repaired: '{old}' -> '{new}'" },
  { code: 78, id: 'fix-line-dropped', severity: 'error', endpoint: '', report: 'line left out, it cannot be repaired: {hint}' },
] as const satisfies readonly RuleShape[]);

/**
 * Id of a metrics rule: the union of every id of the table.
 * @example const off: MetricsRuleId[] = ['metric-key-changed'];
 */
export type MetricsRuleId = (typeof RULE_LIST)[number]['id'];

/**
 * Id of a rule about the whole request (an empty or too large body): its issue has no line.
 * @example const id: MetricsRequestRuleId = 'body-too-large';
 */
export type MetricsRequestRuleId = Extract<(typeof RULE_LIST)[number], { readonly code: typeof RuleCode.BODY_EMPTY | typeof RuleCode.BODY_TOO_LARGE }>['id'];

/**
 * Id of a rule about one line (every other rule, fix mode's included): its issue has a line and a column.
 * @example const id: MetricsLineRuleId = 'metric-key-char';
 */
export type MetricsLineRuleId = Exclude<MetricsRuleId, MetricsRequestRuleId>;

/**
 * One row of the metrics rule table.
 * @example ruleInfo(RuleCode.METRIC_KEY_CHAR) // { code: 3, id: 'metric-key-char', severity: 'error', endpoint: 'invalid metric key', report: '...' }
 */
export interface RuleInfo {
  /** Numeric code written by the hot path (and the native addon). Stable across releases. */
  readonly code: number;
  /** Stable kebab-case id, for filtering and documentation. */
  readonly id: MetricsRuleId;
  /** `error` makes the line invalid; `warning` keeps it OK (the endpoint lists it under warnings). */
  readonly severity: Severity;
  /** Text the endpoint answers (template; empty for report-only rules). */
  readonly endpoint: string;
  /** Text of the rich report (template). */
  readonly report: string;
}

/** All rules, indexed by numeric code (holes are `undefined`). */
export const RULES: readonly (RuleInfo | undefined)[] = /* @__PURE__ */ (() => {
  const table: (RuleInfo | undefined)[] = [];
  for (const row of RULE_LIST) table[row.code] = Object.freeze<RuleInfo>(row);
  return Object.freeze(table);
})();

/**
 * Looks up a rule by code.
 * @example ruleInfo(RuleCode.METRIC_KEY_CHAR).id // 'metric-key-char'
 */
export function ruleInfo(code: number): RuleInfo {
  const row = RULES[code];
  if (row === undefined) throw new RangeError(`unknown rule code ${code}`);
  return row;
}

/**
 * The row of a line rule (every code but the request-level 60-69), typed as such.
 * Internal: not exported by the package.
 */
export function lineRule(code: number): RuleInfo & { readonly id: MetricsLineRuleId } {
  return ruleInfo(code) as RuleInfo & { readonly id: MetricsLineRuleId };
}

/**
 * The row of a request-level rule, typed as such.
 * Internal: not exported by the package.
 */
export function requestRule(code: typeof RuleCode.BODY_EMPTY | typeof RuleCode.BODY_TOO_LARGE): RuleInfo & { readonly id: MetricsRequestRuleId } {
  return ruleInfo(code) as RuleInfo & { readonly id: MetricsRequestRuleId };
}

/** Values that fill a template's placeholders. */
export interface TemplateValues {
  n?: number | string;
  max?: number | string;
  min?: number | string;
  old?: string;
  new?: string;
  fields?: string;
  hint?: string;
  /** The offending token, as written (a payload that is not one). */
  token?: string;
}

/**
 * Fills `{name}` placeholders of a rule template (metrics and JSON bodies alike). A placeholder is a
 * name of ASCII letters in braces; a missing value gives an empty string. Anything else in braces
 * stays as written, so texts quoting a pattern (`[0-9A-F]{16}`) survive. Runs only on the problem path.
 * @example formatTemplate('too many dimensions: {n} > {max}', { n: 51, max: 50 })
 */
export function formatTemplate(template: string, values: object): string {
  const table = values as { readonly [name: string]: unknown };
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) break;
    const close = template.indexOf('}', open);
    if (close < 0) break;
    let name = true;
    for (let k = open + 1; k < close; k++) {
      const c = template.charCodeAt(k) | 0x20;
      if (c < 97 || c > 122) name = false; // a-z, A-Z
    }
    if (!name || close === open + 1) {
      out += template.slice(i, close + 1);
    } else {
      out += template.slice(i, open);
      const v = table[template.slice(open + 1, close)];
      out += v === undefined ? '' : String(v);
    }
    i = close + 1;
  }
  return out + template.slice(i);
}
