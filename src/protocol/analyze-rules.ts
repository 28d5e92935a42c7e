/**
 * The single table of `dt-ingest analyze` findings: each budget check and each volatile-dimension
 * lint, with its id, severity and report template, and the evidence tag of docs/spec/analyze.md
 * (*docs*: Dynatrace's pages; *decided*: our heuristic). The CLI's formats (SARIF's rule list, the
 * annotations), the inspector and the tests read it; texts are never written elsewhere.
 *
 * Placeholders: `{metric}` metric key, `{dimension}` dimension key, `{used}` measured (or estimated)
 * count, `{projected}` projected count over the window, `{limit}` the limit in force, `{class}` a
 * volatile class, `{share}` a percentage, `{example}` an example value, `{window}` the window in days.
 *
 * @module
 */
import type { Severity } from './rules.js';

/** One analyze rule. */
export interface AnalyzeRule {
  /** Stable id (kebab-case), the SARIF `ruleId`. */
  readonly id: string;
  /** Severity when the limit is passed (budget rules warn from `warnShare` of the limit). */
  readonly severity: Severity;
  /** Our report's text (template). */
  readonly report: string;
  /** Evidence tag (docs/spec/analyze.md). */
  readonly evidence: 'docs' | 'decided';
}

/** The rules, by name. */
export const ANALYZE_RULES = /* @__PURE__ */ Object.freeze({
  METRIC_KEYS: {
    id: 'budget-metric-keys',
    severity: 'error',
    report: '{used} distinct metric keys; the environment holds at most {limit}',
    evidence: 'docs',
  },
  TUPLES: {
    id: 'budget-tuples',
    severity: 'error',
    report: '{projected} distinct dimension tuples projected over {window} days ({used} in the sample); all custom metrics may have at most {limit}',
    evidence: 'docs',
  },
  METRIC_TUPLES: {
    id: 'budget-metric-tuples',
    severity: 'error',
    report: "metric '{metric}': {projected} distinct dimension tuples projected over {window} days ({used} in the sample); one metric may have at most {limit}",
    evidence: 'docs',
  },
  DIMENSIONS: {
    id: 'budget-dimensions',
    severity: 'error',
    report: "metric '{metric}': a point with {used} dimensions; a point may have at most {limit}",
    evidence: 'docs',
  },
  VOLATILE: {
    id: 'volatile-dimension',
    severity: 'warning',
    report: "metric '{metric}': dimension '{dimension}' has {used} distinct values, {share} of them look like {class} (e.g. '{example}'): a volatile dimension",
    evidence: 'docs',
  },
  GROWTH: {
    id: 'tuples-grow-with-lines',
    severity: 'warning',
    report: "metric '{metric}': {used} distinct tuples in {points} points ({share}): a new tuple on most points, driven by dimension '{dimension}'",
    evidence: 'decided',
  },
} as const satisfies Record<string, AnalyzeRule>);

/** Every analyze rule, in report order. */
export const ANALYZE_RULE_LIST: readonly AnalyzeRule[] = /* @__PURE__ */ Object.freeze(Object.values(ANALYZE_RULES));

/**
 * Fills a rule's template.
 * @example analyzeMessage(ANALYZE_RULES.METRIC_KEYS, { used: 3, limit: 2 }) // '3 distinct metric keys; the environment holds at most 2'
 */
export function analyzeMessage(rule: AnalyzeRule, values: Readonly<Record<string, string | number>>): string {
  return rule.report.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = values[name];
    return v === undefined ? whole : typeof v === 'number' ? formatCount(v) : v;
  });
}

/**
 * A count for people: whole numbers with thousands separators (`1,000,000`).
 * @example formatCount(1234567) // '1,234,567'
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const s = String(Math.round(n));
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const left = s.length - i;
    out += s[i];
    if (left > 1 && left % 3 === 1 && s[i] !== '-') out += ',';
  }
  return out;
}

/** Volatile value classes (what a byte classifier can tell), with the words the findings use. */
export const VOLATILE_CLASS_WORDS: readonly string[] = /* @__PURE__ */ Object.freeze([
  'nothing volatile',
  'UUIDs',
  'hexadecimal ids',
  'epoch timestamps',
  'ISO 8601 timestamps',
  'IP addresses',
  'URLs with ids',
  'numbers',
]);
