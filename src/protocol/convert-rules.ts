/**
 * The single table of the source-format converters' rules (`convert/`): every problem a converter
 * reports as a `ConvertProblem` (an unreadable line, or a mapping decision that renamed, merged or
 * dropped something), with its stable id, its kind, the text of our report and the evidence tag of
 * its spec (`docs/spec/prometheus.md` for the `prom-` rows; *docs*: Dynatrace's pages; *agent*: what
 * a Dynatrace agent or integration does in its code; *format*: the source format's own spec;
 * *decided*: our choice, listed as such in the spec). Rows shared by every converter start with
 * `convert-`; a format's own rows with its prefix (`prom-`, `statsd-`, `influx-`).
 *
 * Placeholders (filled by `formatTemplate`): `{name}` the metric name as sent, `{new}` what it
 * became, `{label}` a label (dimension) key, `{n}`/`{max}` measured value and limit, `{token}` the
 * offending token, `{hint}` free text.
 *
 * @module
 */

/** What a rule did: `invalid` an unreadable line; the others a mapping decision on a readable one. */
export type ConvertRuleKind = 'invalid' | 'renamed' | 'merged' | 'dropped';

/** Evidence of a converter rule (tags of docs/spec/prometheus.md and its siblings). */
export type ConvertEvidence = 'docs' | 'agent' | 'format' | 'decided';

interface ConvertRuleShape {
  readonly id: string;
  readonly kind: ConvertRuleKind;
  readonly report: string;
  readonly evidence: ConvertEvidence;
}

/**
 * Every converter rule. Ids are stable (reports and `--report json` key on them); texts may improve.
 * @example CONVERT_RULE_LIST.filter((r) => r.kind === 'dropped').map((r) => r.id)
 */
// biome-ignore format: a table, one rule per row
export const CONVERT_RULE_LIST = /* @__PURE__ */ Object.freeze([
  // --- shared by every converter: mapping decisions -----------------------------------------------
  { id: 'convert-metric-key-normalized', kind: 'renamed', report: "metric name '{name}' is not a valid metric key: written as '{new}'", evidence: 'docs' },
  { id: 'convert-metric-key-invalid', kind: 'dropped', report: "metric name '{name}' cannot be made a valid metric key (shorter than the minimum, or no valid character; option metricPrefix helps short names): the point is dropped", evidence: 'docs' },
  { id: 'convert-metric-key-reserved', kind: 'dropped', report: "metric name '{name}' would make a metric key starting with 'dt.', which Dynatrace reserves (line-protocol rule metric-key-reserved): the point is dropped", evidence: 'docs' },
  { id: 'convert-dimension-key-normalized', kind: 'renamed', report: "label '{label}' is not a valid dimension key: written as '{new}'", evidence: 'docs' },
  { id: 'convert-dimension-key-invalid', kind: 'dropped', report: "label '{label}' has nothing a dimension key can keep: the label is dropped", evidence: 'docs' },
  { id: 'convert-dimension-value-normalized', kind: 'renamed', report: "value of label '{label}' is changed to be a valid dimension value (cut to {max} characters or controls removed)", evidence: 'docs' },
  { id: 'convert-dimension-empty', kind: 'dropped', report: "label '{label}' has an empty value: dropped, as the endpoint drops it", evidence: 'docs' },
  { id: 'convert-dimension-duplicate', kind: 'merged', report: "labels '{label}' and an earlier one become the same dimension key '{new}': the first is kept", evidence: 'docs' },
  { id: 'convert-too-many-dimensions', kind: 'dropped', report: 'too many dimensions: {n} > {max}; the point is dropped, as the endpoint drops the line', evidence: 'docs' },
  { id: 'convert-value-nan', kind: 'dropped', report: "value of '{name}' is NaN, which the metrics line protocol cannot carry: the point is dropped", evidence: 'docs' },
  { id: 'convert-value-infinite', kind: 'dropped', report: "value of '{name}' is infinite ({token}), which the metrics line protocol cannot carry: the point is dropped", evidence: 'docs' },
  { id: 'convert-counter-baseline', kind: 'dropped', report: "first value of counter series '{name}': it only sets the baseline of the next delta (no line)", evidence: 'docs' },
  { id: 'convert-counter-reset', kind: 'dropped', report: "counter series '{name}' went down ({hint}): a reset, the value is the new baseline (no line)", evidence: 'decided' },
  { id: 'convert-counter-out-of-order', kind: 'dropped', report: "counter series '{name}' has a point older than the previous one: skipped", evidence: 'decided' },
  { id: 'convert-timestamp-dropped', kind: 'dropped', report: "timestamp of '{name}' ({token}) cannot be written as epoch milliseconds: the point is written without it", evidence: 'decided' },
  { id: 'convert-output-too-long', kind: 'dropped', report: "the line of '{name}' would be longer than {max} characters, which the endpoint rejects: the point is dropped", evidence: 'docs' },
  { id: 'convert-line-too-long', kind: 'invalid', report: 'line too long: more than {max} bytes; skipped up to the next line feed', evidence: 'decided' },
  // --- Prometheus text format 0.0.4 and OpenMetrics 1.0: unreadable lines ------------------------
  { id: 'prom-syntax', kind: 'invalid', report: 'not a sample, comment or blank line: {hint}', evidence: 'format' },
  { id: 'prom-metric-name', kind: 'invalid', report: "invalid metric name: expected [a-zA-Z_:][a-zA-Z0-9_:]*, found '{token}'", evidence: 'format' },
  { id: 'prom-label-name', kind: 'invalid', report: "invalid label name: expected [a-zA-Z_][a-zA-Z0-9_]*, found '{token}'", evidence: 'format' },
  { id: 'prom-label-value', kind: 'invalid', report: 'label value: {hint}', evidence: 'format' },
  { id: 'prom-value', kind: 'invalid', report: "invalid sample value '{token}'", evidence: 'format' },
  { id: 'prom-timestamp', kind: 'invalid', report: "invalid timestamp '{token}'", evidence: 'format' },
  { id: 'prom-type', kind: 'invalid', report: "unknown metric type '{token}' in # TYPE", evidence: 'format' },
  { id: 'prom-after-eof', kind: 'invalid', report: 'content after # EOF: ignored', evidence: 'format' },
  { id: 'prom-eof-missing', kind: 'invalid', report: 'OpenMetrics exposition does not end with # EOF', evidence: 'format' },
  // --- Prometheus: mapping decisions ---------------------------------------------------------------
  { id: 'prom-created-ignored', kind: 'dropped', report: "'{name}' is a _created sample (a start time, not a value): not written", evidence: 'decided' },
  { id: 'prom-histogram-dropped', kind: 'dropped', report: "histogram sample '{name}' dropped (option histograms: 'drop')", evidence: 'decided' },
  { id: 'prom-summary-dropped', kind: 'dropped', report: "summary sample '{name}' dropped (option summaries: 'drop')", evidence: 'decided' },
  { id: 'prom-bucket-label-dropped', kind: 'dropped', report: "label '{label}' of '{name}' dropped (option bucketLabels: 'drop', as Telegraf's Dynatrace output does)", evidence: 'agent' },
  { id: 'prom-exemplar-ignored', kind: 'dropped', report: "exemplar of '{name}' ignored: the line protocol has no exemplars", evidence: 'decided' },
  // --- StatsD (Dynatrace's flavour): unreadable lines ----------------------------------------------
  { id: 'statsd-syntax', kind: 'invalid', report: 'not a StatsD line (name:value|type[|@rate][|#key:value,...]): {hint}', evidence: 'format' },
  { id: 'statsd-type', kind: 'invalid', report: "unknown metric type '{token}' (expected c, g, ms, h, d or s)", evidence: 'format' },
  { id: 'statsd-value', kind: 'invalid', report: "invalid value '{token}' for a metric of type {hint}", evidence: 'format' },
  { id: 'statsd-sample-rate', kind: 'invalid', report: "invalid sample rate '{token}': expected a number above 0 and at most 1", evidence: 'format' },
  { id: 'statsd-timestamp', kind: 'invalid', report: "invalid timestamp '{token}': expected Unix seconds", evidence: 'format' },
  // --- StatsD: mapping decisions -------------------------------------------------------------------
  { id: 'statsd-set-dropped', kind: 'dropped', report: "set '{name}' dropped (option sets: 'drop'; a line converter has no flush interval to count members in)", evidence: 'decided' },
  { id: 'statsd-gauge-delta-dropped', kind: 'dropped', report: "signed gauge '{name}' ({token}) dropped (option gaugeDeltas: 'drop')", evidence: 'decided' },
  { id: 'statsd-section-ignored', kind: 'dropped', report: "section '|{token}' of '{name}' ignored: not one the converter maps", evidence: 'decided' },
  // --- Influx line protocol: unreadable lines ------------------------------------------------------
  { id: 'influx-syntax', kind: 'invalid', report: 'not an Influx line (measurement[,tag=value...] field=value[,...] [timestamp]): {hint}', evidence: 'format' },
  { id: 'influx-field-value', kind: 'invalid', report: "field '{label}': invalid value '{token}' ({hint})", evidence: 'format' },
  { id: 'influx-duplicate-tag', kind: 'invalid', report: "tag '{label}' appears twice in the line (InfluxDB rejects the line)", evidence: 'format' },
  { id: 'influx-timestamp', kind: 'invalid', report: "invalid timestamp '{token}': expected an integer", evidence: 'format' },
  // --- Influx: mapping decisions -------------------------------------------------------------------
  { id: 'influx-string-field-dropped', kind: 'dropped', report: "field '{label}' of '{name}' is a string: not written, as Telegraf's Dynatrace output skips strings", evidence: 'agent' },
  { id: 'influx-bool-field-dropped', kind: 'dropped', report: "field '{label}' of '{name}' is a boolean: not written (option booleans: 'drop')", evidence: 'decided' },
] as const satisfies readonly ConvertRuleShape[]);

/** Id of a converter rule. */
export type ConvertRuleId = (typeof CONVERT_RULE_LIST)[number]['id'];

/** One row of the converter rule table. */
export interface ConvertRuleInfo {
  /** Stable kebab-case id. */
  readonly id: ConvertRuleId;
  /** What the rule did. */
  readonly kind: ConvertRuleKind;
  /** Our report's template. */
  readonly report: string;
  /** Evidence tag. */
  readonly evidence: ConvertEvidence;
}

/** Rows by id. */
export const CONVERT_RULES: ReadonlyMap<string, ConvertRuleInfo> = /* @__PURE__ */ (() => {
  const map = new Map<string, ConvertRuleInfo>();
  for (const row of CONVERT_RULE_LIST) map.set(row.id, Object.freeze<ConvertRuleInfo>(row));
  return map;
})();

/**
 * Looks up a converter rule by id (a `RangeError` for an unknown id: a programming mistake).
 * @example convertRule('convert-value-nan').kind // 'dropped'
 */
export function convertRule(id: ConvertRuleId): ConvertRuleInfo {
  const row = CONVERT_RULES.get(id);
  if (row === undefined) throw new RangeError(`unknown converter rule '${id}'`);
  return row;
}
