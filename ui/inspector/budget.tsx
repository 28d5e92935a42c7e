/**
 * The cardinality budget of what the mock received (`GET api/budget`, the report `dt-ingest analyze`
 * gives): each budget against the limit Dynatrace documents, the findings (volatile dimensions, tuples
 * growing with lines) and the top offenders. Shown beside the metrics view; read when shown and again
 * (at most every 2 s) while requests arrive. Everything is put in the page as text.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AnalyzeReport, DistinctCount } from '../../src/analyze/report.js';
import { getJson } from '../shared/api.js';

const REFRESH_MS = 2000;
/** Findings and offenders listed (the report holds more). */
const SHOWN = 8;

/** A count with its error: `1,234`, or `~1,234 ±0.8 %` for a sketch's estimate. */
function count(c: Pick<DistinctCount, 'count' | 'exact' | 'error'>): string {
  const n = c.count.toLocaleString('en-US');
  return c.exact ? n : `~${n} ±${(c.error * 100).toFixed(1)} %`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

/** The budget panel. */
export function BudgetPanel(props: { version: number }): JSX.Element {
  const [data, setData] = useState<AnalyzeReport | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const asked = useRef({ version: -1, at: 0 });
  useEffect(() => {
    if (asked.current.version === props.version) return;
    const wait = Math.max(0, asked.current.at + REFRESH_MS - Date.now());
    const timer = setTimeout(() => {
      asked.current = { version: props.version, at: Date.now() };
      getJson<AnalyzeReport>('budget').then(
        (d) => {
          setData(d);
          setError(undefined);
        },
        (e: Error) => setError(e.message),
      );
    }, wait);
    return () => clearTimeout(timer);
  }, [props.version]);

  return (
    <section class="pane budget-pane" aria-label="cardinality budget" data-panel="budget">
      <h2>Cardinality budget</h2>
      {error !== undefined ? <div class="empty">{error}</div> : data === undefined ? <div class="empty">loading…</div> : <Report r={data} />}
    </section>
  );
}

function Report(props: { r: AnalyzeReport }): JSX.Element {
  const r = props.r;
  const days = Math.round(r.limits.windowMs / 86_400_000);
  return (
    <>
      <div class="meta">
        {`${r.sample.points.toLocaleString('en-US')} points · ${count(r.metricKeys)} metric keys · ${count(r.tuples)} tuples${
          r.tuples.projected !== null ? ` (${r.tuples.projected.toLocaleString('en-US')} projected over ${days} days)` : ''
        }`}
      </div>
      <table class="budget-table">
        <thead>
          <tr>
            <th>budget</th>
            <th>in sample</th>
            <th>projected</th>
            <th>limit</th>
            <th>used</th>
          </tr>
        </thead>
        <tbody>
          {r.budgets.map((b) => (
            <tr key={b.id} data-budget={b.id} data-status={b.status} class={b.status}>
              <td title={b.metric ?? ''}>{b.label}</td>
              <td>{count({ count: b.used, exact: b.exact, error: b.error })}</td>
              <td>{b.projected === null ? '–' : b.projected.toLocaleString('en-US')}</td>
              <td>{b.limit.toLocaleString('en-US')}</td>
              <td>{percent(b.share)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.findings.length > 0 ? (
        <ul class="budget-findings">
          {r.findings.slice(0, SHOWN).map((f, i) => (
            <li key={i} class={f.severity} data-rule={f.rule}>
              {f.message}
            </li>
          ))}
          {r.findings.length > SHOWN ? <li class="hint">{`${r.findings.length - SHOWN} more`}</li> : null}
        </ul>
      ) : (
        <div class="hint">Within every budget.</div>
      )}
      {r.offenders.length > 0 ? (
        <>
          <h3>Top offenders</h3>
          <ul class="budget-offenders">
            {r.offenders.slice(0, SHOWN).map((o) => (
              <li key={o.metric} data-metric={o.metric}>
                <span class="key">{o.metric}</span>
                {` ${count(o.tuples)} tuples`}
                {o.driver !== undefined ? ` · most values: ${o.driver}` : ''}
                {o.examples[0] !== undefined ? <div class="example">{o.examples[0].text}</div> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
