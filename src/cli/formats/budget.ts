/**
 * The budget report of `dt-ingest analyze` as text (`--format stylish`): the budgets against their
 * limits as a table, the findings, and the top offenders with their dimensions and examples. Every
 * estimate says so, with its standard error (a HyperLogLog past the exact threshold).
 *
 * @module
 */
import { createColors } from 'picocolors';
import type { AnalyzeReport, BudgetLine, DistinctCount } from '../../analyze/index.js';
import { formatCount } from '../../protocol/analyze-rules.js';
import { plural } from './words.js';

const DAY_MS = 86_400_000;

/**
 * A count with its error: `1,234` when exact, `~1,234 (±0.8 %)` for a sketch's estimate.
 * @example countText({ count: 1234, exact: false, error: 0.008125 }) // '~1,234 (±0.8 %)'
 */
export function countText(c: Pick<DistinctCount, 'count' | 'exact' | 'error'>): string {
  return c.exact ? formatCount(c.count) : `~${formatCount(c.count)} (±${(Math.round(c.error * 1000) / 10).toFixed(1)} %)`;
}

/** A share as a percentage with one decimal. */
function pct(share: number): string {
  return `${(Math.round(share * 1000) / 10).toFixed(1)} %`;
}

/** A duration for people. */
function duration(ms: number): string {
  if (ms >= DAY_MS) return `${(ms / DAY_MS).toFixed(1)} days`;
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The stylish text of a report.
 * @example process.stdout.write(budgetText(report, { color: false }))
 */
export function budgetText(r: AnalyzeReport, o: { color: boolean }): string {
  const c = createColors(o.color);
  const out: string[] = [];
  const s = r.sample;
  const span = s.spanMs === null ? 'span unknown (no timestamps: give --sample-duration to project)' : `spanning ${duration(s.spanMs)}`;
  out.push(
    '',
    c.bold('Sample'),
    `  ${plural(s.points, 'point')} from ${plural(s.lines, 'line')} (${s.invalid} unreadable), ${span}; metric keys ${countText(r.metricKeys)}, dimension tuples ${countText(r.tuples)}`,
  );
  if (s.untrackedPoints > 0)
    out.push(`  ${c.yellow('note')} ${plural(s.untrackedPoints, 'point')} of keys past the first ${formatCount(s.trackedMetrics)} counted in the totals only`);
  out.push('', c.bold(`Budget (window ${duration(r.limits.windowMs)})`));
  const rows = r.budgets.map((b) => [
    b.label,
    b.metric ?? '',
    countText({ count: b.used, exact: b.exact, error: b.error }),
    b.projected === null ? '-' : formatCount(b.projected),
    formatCount(b.limit),
    pct(b.share),
    b.status,
  ]);
  const head = ['budget', 'worst metric', 'in sample', 'projected', 'limit', 'used', 'status'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => `  ${cells.map((cell, i) => (i >= 2 && i <= 5 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ')}`;
  out.push(c.dim(line(head)));
  r.budgets.forEach((b: BudgetLine, i) => {
    const text = line(rows[i]!);
    out.push(b.status === 'error' ? c.red(text) : b.status === 'warning' ? c.yellow(text) : text);
  });
  if (r.findings.length > 0) {
    out.push('', c.bold('Findings'));
    for (const f of r.findings) {
      const where = f.source !== undefined && f.source !== '' ? c.dim(`  ${f.source}${f.line !== undefined ? `:${f.line}` : ''}`) : '';
      const sev = f.severity === 'error' ? c.red(f.severity.padEnd(7)) : c.yellow(f.severity.padEnd(7));
      out.push(`  ${sev}  ${f.message}  ${c.dim(f.rule)}${where}`);
    }
  }
  if (r.offenders.length > 0) {
    out.push('', c.bold('Top offenders (most dimension tuples)'));
    for (const m of r.offenders) {
      const projected = m.projected === null ? '' : `, ${formatCount(m.projected)} projected`;
      out.push(
        `  ${c.underline(m.metric)}  ${countText(m.tuples)} tuples in ${plural(m.points, 'point')}${projected} (${pct(m.share)} of the per-metric limit)`,
      );
      for (const d of m.dimensions.slice(0, 8)) {
        const vol = d.volatile !== undefined ? c.yellow(`  ${pct(d.volatile.share)} ${d.volatile.class}, e.g. ${JSON.stringify(d.volatile.example)}`) : '';
        out.push(`    ${d.key.padEnd(24)} ${countText(d.values).padStart(18)} values${vol}`);
      }
      if (m.dimensions.length > 8) out.push(c.dim(`    ... ${m.dimensions.length - 8} more dimension keys`));
      for (const e of m.examples) out.push(c.dim(`    e.g. ${e.text}  (${e.source}${e.source !== '' ? ':' : 'line '}${e.line})`));
    }
  }
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const warnings = r.findings.length - errors;
  out.push('');
  out.push(
    errors + warnings === 0
      ? c.green('✔ within every budget')
      : (errors > 0 ? c.red : c.yellow)(`✖ ${plural(errors + warnings, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`),
  );
  return `${out.join('\n')}\n`;
}
