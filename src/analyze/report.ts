/**
 * The analyzer's report: what was counted, with its error; each budget against its limit (projected
 * over the window where the sample can tell); the findings (budget rules and volatile-dimension lint,
 * texts from `protocol/analyze-rules.ts`); the top offenders with examples. A plain JSON value: the
 * CLI's formats, the inspector's `/api/budget` and the tests read the same object.
 *
 * @module
 */
import { ANALYZE_RULES, type AnalyzeRule, VOLATILE_CLASS_WORDS, analyzeMessage } from '../protocol/analyze-rules.js';
import type { Severity } from '../protocol/rules.js';
import type { CardinalityAnalyzer, DimensionState, MetricState } from './analyzer.js';
import { VOLATILE_CLASSES } from './classify.js';
import type { DistinctCounter } from './distinct.js';
import type { Countable, Growth } from './growth.js';

/** Milliseconds per day (the window is reported in days). */
const DAY_MS = 86_400_000;

/**
 * A distinct count: exact, or a sketch's estimate with its relative standard error.
 * @example { count: 1234, exact: true, error: 0 }
 */
export interface DistinctCount {
  /** The count (rounded estimate when not exact). */
  count: number;
  /** Counted exactly (below the exact threshold). */
  exact: boolean;
  /** Relative standard error of the estimate (0 when exact), e.g. 0.0081 for ±0.81 %. */
  error: number;
}

/** How a budget stands: within, past `warnShare` of the limit, or past the limit. */
export type BudgetStatus = 'ok' | 'warning' | 'error';

/**
 * One budget against its limit.
 * @example { id: 'budget-tuples', label: 'dimension tuples (all metrics, 30 days)', used: 120, projected: 120, limit: 50000000, share: 0.0000024, status: 'ok' }
 */
export interface BudgetLine {
  /** The rule id of the budget (protocol/analyze-rules.ts). */
  id: string;
  /** What is counted, for people. */
  label: string;
  /** Counted in the sample. */
  used: number;
  /** Projected over the window (`null`: the sample cannot tell its growth; judged on `used`). */
  projected: number | null;
  /** The limit in force. */
  limit: number;
  /** `(projected ?? used) / limit`. */
  share: number;
  status: BudgetStatus;
  /** The worst metric key, for the per-metric budgets. */
  metric?: string;
  /** Counted exactly (else `error` is the relative standard error). */
  exact: boolean;
  error: number;
}

/** One dimension key of an offender. */
export interface OffenderDimension {
  key: string;
  /** Distinct tuples (series) of the metric carrying it. */
  series: number;
  /** Its distinct values. */
  values: DistinctCount;
  /** The volatile class most of its values fall in, if any share of them does. */
  volatile?: { class: string; share: number; example: string };
}

/** A metric key among the top offenders (the most tuples, projected). */
export interface Offender {
  metric: string;
  points: number;
  tuples: DistinctCount;
  projected: number | null;
  /** `(projected ?? tuples) / maxTuplesPerMetric`. */
  share: number;
  /** Most dimensions on one point. */
  maxDimensions: number;
  /** Its dimension keys, most distinct values first. */
  dimensions: OffenderDimension[];
  /** Dimension keys seen past the tracking budget (not listed). */
  untrackedDimensions: number;
  /** The dimension with the most distinct values: what drives its tuples. */
  driver?: string;
  /** A few of its tuples as `key,dim=value,...`, where they came from. */
  examples: { text: string; source: string; line: number }[];
}

/**
 * A finding: a budget past its warning share or limit, or a lint.
 * @example { rule: 'volatile-dimension', severity: 'warning', message: "metric 'req.count': ...", metric: 'req.count', dimension: 'request_id', source: 'a.txt', line: 3 }
 */
export interface AnalyzeFinding {
  rule: string;
  severity: Severity;
  message: string;
  metric?: string;
  dimension?: string;
  /** Where an example lies (a file, `<stdin>`, a route). */
  source?: string;
  line?: number;
  /** The offending example (a value or a tuple). */
  text?: string;
}

/** The whole report. */
export interface AnalyzeReport {
  /** The limits in force. */
  limits: { maxMetricKeys: number; maxTuplesPerMetric: number; maxTuples: number; maxDimensions: number; windowMs: number };
  sample: {
    points: number;
    lines: number;
    invalid: number;
    /** The axis growth was read along: timestamps or arrival times, line order, or none (no point). */
    axis: 'none' | 'time' | 'order';
    /** How long the sample spans, ms (`null`: unknown, no projection). */
    spanMs: number | null;
    /** Metric keys followed one by one, and the points of the others (counted run-wide only). */
    trackedMetrics: number;
    untrackedPoints: number;
  };
  metricKeys: DistinctCount;
  tuples: DistinctCount & { projected: number | null };
  budgets: BudgetLine[];
  /** Findings, errors first. */
  findings: AnalyzeFinding[];
  offenders: Offender[];
}

/** A counter's count; an estimate is never more than the values added (`most`). */
function distinct(c: DistinctCounter, most: number): DistinctCount {
  return { count: Math.min(Math.round(c.count()), most), exact: c.exact, error: c.error };
}

function status(value: number, limit: number, warnShare: number): BudgetStatus {
  if (value > limit) return 'error';
  return value >= warnShare * limit && value > 0 ? 'warning' : 'ok';
}

/** Shares as percentages for messages. */
function percent(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}

/** The projected count of a counter over the window, or null when the sample cannot tell. */
function project(count: number, growth: Growth, counter: Countable, msPerUnit: number, windowMs: number): number | null {
  const rate = growth.rate(counter);
  if (rate === undefined || msPerUnit === 0) return null;
  return Math.round(count + (rate / msPerUnit) * Math.max(0, windowMs - growth.span() * msPerUnit));
}

/** The dominant volatile class of a dimension and its share of the dimension's series. */
function volatileOf(d: DimensionState): { cls: number; share: number } | undefined {
  let best = 0;
  for (let c = 1; c < VOLATILE_CLASSES; c++) if (d.classes[c]! > d.classes[best]!) best = c;
  if (best === 0 || d.series === 0) return undefined;
  return { cls: best, share: d.classes[best]! / d.series };
}

function finding(rule: AnalyzeRule, severity: Severity, values: Record<string, string | number>, extra: Partial<AnalyzeFinding>): AnalyzeFinding {
  return { rule: rule.id, severity, message: analyzeMessage(rule, values), ...extra };
}

/**
 * Builds the report of an analyzer (its state is not changed: the analyzer may read on).
 * @internal Use `CardinalityAnalyzer.report()`.
 */
export function buildReport(a: CardinalityAnalyzer): AnalyzeReport {
  const o = a.options;
  const ms = a.msPerUnit();
  const span = a.tupleGrowth.span();
  const spanMs = ms === 0 || a.tupleGrowth.groups < 2 ? null : span * ms;
  const windowDays = Math.round((o.windowMs / DAY_MS) * 10) / 10;
  const keys = distinct(a.keys, a.points);
  const tuplesCount = distinct(a.tuples, a.points);
  const findings: AnalyzeFinding[] = [];

  // per metric: projection (each over its own span), lint
  const rows = a.metrics.map((m) => {
    const tuples = distinct(m.tuples, m.points);
    const projected = project(tuples.count, m.growth, m.tuples, ms, o.windowMs);
    return { m, tuples, projected, judged: projected ?? tuples.count };
  });
  // all metrics: what was seen plus each metric's growth; the keys past the tracking budget grow at
  // the run-wide rate of their points' share
  let tuplesProjected: number | null = null;
  for (const r of rows) if (r.projected !== null) tuplesProjected = (tuplesProjected ?? tuplesCount.count) + Math.max(0, r.projected - r.tuples.count);
  if (a.untrackedPoints > 0) {
    const all = project(tuplesCount.count, a.tupleGrowth, a.tuples, ms, o.windowMs);
    if (all !== null) tuplesProjected = Math.max(tuplesProjected ?? 0, all);
  }
  rows.sort((x, y) => y.judged - x.judged || y.m.points - x.m.points);

  const budgets: BudgetLine[] = [];
  const keysStatus = status(keys.count, o.maxMetricKeys, o.warnShare);
  budgets.push({
    id: ANALYZE_RULES.METRIC_KEYS.id,
    label: 'metric keys (environment)',
    used: keys.count,
    projected: null,
    limit: o.maxMetricKeys,
    share: keys.count / o.maxMetricKeys,
    status: keysStatus,
    exact: keys.exact,
    error: keys.error,
  });
  if (keysStatus !== 'ok') findings.push(finding(ANALYZE_RULES.METRIC_KEYS, keysStatus, { used: keys.count, limit: o.maxMetricKeys }, {}));

  const tuplesJudged = tuplesProjected ?? tuplesCount.count;
  const tuplesStatus = status(tuplesJudged, o.maxTuples, o.warnShare);
  budgets.push({
    id: ANALYZE_RULES.TUPLES.id,
    label: `dimension tuples (all metrics, ${windowDays} days)`,
    used: tuplesCount.count,
    projected: tuplesProjected,
    limit: o.maxTuples,
    share: tuplesJudged / o.maxTuples,
    status: tuplesStatus,
    exact: tuplesCount.exact,
    error: tuplesCount.error,
  });
  if (tuplesStatus !== 'ok')
    findings.push(
      finding(ANALYZE_RULES.TUPLES, tuplesStatus, { used: tuplesCount.count, projected: tuplesJudged, limit: o.maxTuples, window: windowDays }, {}),
    );

  const worst = rows[0];
  budgets.push({
    id: ANALYZE_RULES.METRIC_TUPLES.id,
    label: `dimension tuples of one metric (${windowDays} days)`,
    used: worst?.tuples.count ?? 0,
    projected: worst?.projected ?? null,
    limit: o.maxTuplesPerMetric,
    share: (worst?.judged ?? 0) / o.maxTuplesPerMetric,
    status: status(worst?.judged ?? 0, o.maxTuplesPerMetric, o.warnShare),
    ...(worst !== undefined ? { metric: worst.m.key } : {}),
    exact: worst?.tuples.exact ?? true,
    error: worst?.tuples.error ?? 0,
  });
  for (const r of rows) {
    const s = status(r.judged, o.maxTuplesPerMetric, o.warnShare);
    if (s === 'ok') break;
    const ref = r.m.exampleRefs[0];
    findings.push(
      finding(
        ANALYZE_RULES.METRIC_TUPLES,
        s,
        { metric: r.m.key, used: r.tuples.count, projected: r.judged, limit: o.maxTuplesPerMetric, window: windowDays },
        {
          metric: r.m.key,
          ...(ref !== undefined ? { source: ref.source, line: ref.line } : {}),
          ...(r.m.examples[0] !== undefined ? { text: r.m.examples[0] } : {}),
        },
      ),
    );
  }

  let widest: MetricState | undefined;
  for (const m of a.metrics) if (widest === undefined || m.maxDimensions > widest.maxDimensions) widest = m;
  const widestDims = widest?.maxDimensions ?? 0;
  const dimsStatus: BudgetStatus = widestDims > o.maxDimensions ? 'error' : 'ok';
  budgets.push({
    id: ANALYZE_RULES.DIMENSIONS.id,
    label: 'dimensions on one point',
    used: widestDims,
    projected: null,
    limit: o.maxDimensions,
    share: widestDims / o.maxDimensions,
    status: dimsStatus,
    ...(widest !== undefined ? { metric: widest.key } : {}),
    exact: true,
    error: 0,
  });
  for (const m of a.metrics) {
    if (m.maxDimensions <= o.maxDimensions) continue;
    const ref = m.maxDimensionsRef;
    findings.push(
      finding(
        ANALYZE_RULES.DIMENSIONS,
        'error',
        { metric: m.key, used: m.maxDimensions, limit: o.maxDimensions },
        { metric: m.key, ...(ref !== undefined ? { source: ref.source, line: ref.line } : {}) },
      ),
    );
  }

  // lint: volatile dimensions, tuples growing with lines
  for (const r of rows) {
    const m = r.m;
    for (const d of m.dims) {
      const v = volatileOf(d);
      const values = Math.min(Math.round(d.values.count()), m.points);
      if (v === undefined || v.share < o.volatileShare || values < o.volatileMinDistinct) continue;
      const ref = d.exampleRefs[v.cls];
      const example = d.examples[v.cls] ?? '';
      findings.push(
        finding(
          ANALYZE_RULES.VOLATILE,
          ANALYZE_RULES.VOLATILE.severity,
          { metric: m.key, dimension: d.key, used: values, share: percent(v.share), class: VOLATILE_CLASS_WORDS[v.cls]!, example },
          { metric: m.key, dimension: d.key, text: example, ...(ref !== undefined ? { source: ref.source, line: ref.line } : {}) },
        ),
      );
    }
    if (m.points >= o.growthMinPoints && r.tuples.count / m.points >= o.growthShare) {
      const driver = driverOf(m);
      const ref = m.exampleRefs[0];
      findings.push(
        finding(
          ANALYZE_RULES.GROWTH,
          ANALYZE_RULES.GROWTH.severity,
          { metric: m.key, used: r.tuples.count, points: m.points, share: percent(r.tuples.count / m.points), dimension: driver?.key ?? '(none)' },
          { metric: m.key, ...(driver !== undefined ? { dimension: driver.key } : {}), ...(ref !== undefined ? { source: ref.source, line: ref.line } : {}) },
        ),
      );
    }
  }
  findings.sort((x, y) => rank(x.severity) - rank(y.severity));

  const offenders: Offender[] = rows.slice(0, o.topOffenders).map((r) => {
    const m = r.m;
    const dims = m.dims
      .map((d) => ({ d, values: distinct(d.values, m.points) }))
      .sort((x, y) => y.values.count - x.values.count)
      .map(({ d, values }): OffenderDimension => {
        const v = volatileOf(d);
        const out: OffenderDimension = { key: d.key, series: d.series, values };
        if (v !== undefined) out.volatile = { class: VOLATILE_CLASS_WORDS[v.cls]!, share: v.share, example: d.examples[v.cls] ?? '' };
        return out;
      });
    const driver = driverOf(m);
    return {
      metric: m.key,
      points: m.points,
      tuples: r.tuples,
      projected: r.projected,
      share: r.judged / o.maxTuplesPerMetric,
      maxDimensions: m.maxDimensions,
      dimensions: dims,
      untrackedDimensions: m.untrackedDims,
      ...(driver !== undefined ? { driver: driver.key } : {}),
      examples: m.examples.map((text, i) => ({ text, source: m.exampleRefs[i]!.source, line: m.exampleRefs[i]!.line })),
    };
  });

  return {
    limits: {
      maxMetricKeys: o.maxMetricKeys,
      maxTuplesPerMetric: o.maxTuplesPerMetric,
      maxTuples: o.maxTuples,
      maxDimensions: o.maxDimensions,
      windowMs: o.windowMs,
    },
    sample: {
      points: a.points,
      lines: a.lines,
      invalid: a.invalid,
      axis: a.axis,
      spanMs,
      trackedMetrics: a.metrics.length,
      untrackedPoints: a.untrackedPoints,
    },
    metricKeys: keys,
    tuples: { ...tuplesCount, projected: tuplesProjected },
    budgets,
    findings,
    offenders,
  };
}

function rank(s: Severity): number {
  return s === 'error' ? 0 : s === 'warning' ? 1 : 2;
}

/** The dimension with the most distinct values (ties: the first seen). */
function driverOf(m: MetricState): DimensionState | undefined {
  let best: DimensionState | undefined;
  let most = 0;
  for (const d of m.dims) {
    const n = d.values.count();
    if (n > most) {
      most = n;
      best = d;
    }
  }
  return best;
}
