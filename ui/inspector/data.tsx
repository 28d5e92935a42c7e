/**
 * What arrived, as data: the metrics view (keys with their types and dimension sets, a small chart
 * of each series' values over time) and the events view (one row per event, a column per attribute).
 * Both are read from the server when shown, and again (at most every 2 s) while requests arrive.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EventsView, MetricsView, SeriesView } from '../../src/serve/inspector/views.js';
import { getJson } from '../shared/api.js';
import { formatTime, formatValue } from '../shared/format.js';

/** Series charted per metric key (the rest are counted). */
const SERIES_SHOWN = 8;
const REFRESH_MS = 2000;

/** Reads a view when shown, and again when `version` (requests received) changes: at most every 2 s. */
function useView<T>(path: string, version: number): { data: T | undefined; error: string | undefined } {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const asked = useRef({ version: -1, at: 0 });
  useEffect(() => {
    if (asked.current.version === version) return;
    const wait = Math.max(0, asked.current.at + REFRESH_MS - Date.now());
    const timer = setTimeout(() => {
      asked.current = { version, at: Date.now() };
      getJson<T>(path).then(
        (d) => {
          setData(d);
          setError(undefined);
        },
        (e: Error) => setError(e.message),
      );
    }, wait);
    return () => clearTimeout(timer);
  }, [path, version]);
  return { data, error };
}

/** A small line chart of one series (values over time), drawn as SVG. */
export function Sparkline(props: { series: SeriesView }): JSX.Element {
  const w = 140;
  const h = 30;
  const pts = props.series.points;
  if (pts.length === 0) return <svg class="spark" width={w} height={h} />;
  let t0 = pts[0]![0];
  let t1 = pts[pts.length - 1]![0];
  let lo = Infinity;
  let hi = -Infinity;
  for (const [, v] of pts) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (t1 === t0) {
    t0 -= 1;
    t1 += 1;
  }
  if (hi === lo) {
    hi += 1;
    lo -= 1;
  }
  const x = (t: number): number => 2 + ((t - t0) / (t1 - t0)) * (w - 4);
  const y = (v: number): number => h - 2 - ((v - lo) / (hi - lo)) * (h - 4);
  const points = pts.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const last = pts[pts.length - 1]!;
  return (
    <svg class="spark" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img">
      <title>{`${pts.length} points, ${formatTime(pts[0]![0])} – ${formatTime(last[0])}, min ${formatValue(lo)}, max ${formatValue(hi)}`}</title>
      {pts.length > 1 ? <polyline points={points} /> : null}
      <circle cx={x(last[0])} cy={y(last[1])} r="2" />
    </svg>
  );
}

export function MetricsTab(props: { version: number }): JSX.Element {
  const { data, error } = useView<MetricsView>('metrics', props.version);
  const [filter, setFilter] = useState('');
  if (error !== undefined) return <div class="empty">{error}</div>;
  if (data === undefined) return <div class="empty">loading…</div>;
  const f = filter.trim().toLowerCase();
  const keys = f === '' ? data.keys : data.keys.filter((k) => k.key.toLowerCase().includes(f));
  return (
    <div class="full-pane metrics-view">
      <div class="filters">
        <input type="search" aria-label="metric key filter" placeholder="metric key…" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        <span class="count">{`${data.keys.length} keys, ${data.points} points from ${data.requests} requests${data.partial ? ' (the newest; older requests are left out)' : ''}`}</span>
      </div>
      {data.keys.length === 0 ? <div class="empty">No metric data point has arrived yet.</div> : null}
      <div class="cards">
        {keys.map((k) => (
          <div class="card metric-key" key={k.key} data-key={k.key}>
            <h2>{k.key}</h2>
            <div class="meta">
              {`${k.types.join(', ')} · ${k.points} points · ${k.seriesCount} series`}
              {k.dimensionSets.map((d, i) => (
                <div key={i} class="dimset">
                  {`dimensions: ${d.keys.length === 0 ? '(none)' : d.keys.join(', ')} (${d.points})`}
                </div>
              ))}
            </div>
            {k.series.slice(0, SERIES_SHOWN).map((s, i) => (
              <div class="series" key={i}>
                <span class="dims" title={s.dimensions.map(([a, b]) => `${a}=${b}`).join(', ')}>
                  {s.dimensions.length === 0 ? '(no dimensions)' : s.dimensions.map(([a, b]) => `${a}=${b}`).join(', ')}
                </span>
                <Sparkline series={s} />
                <span class="last">{s.points.length > 0 ? formatValue(s.points[s.points.length - 1]![1]) : ''}</span>
              </div>
            ))}
            {k.seriesCount > SERIES_SHOWN ? <div class="hint">{`${k.seriesCount - Math.min(SERIES_SHOWN, k.series.length)} more series`}</div> : null}
          </div>
        ))}
      </div>
    </div>
  );
}

export function EventsTab(props: { version: number; onOpen: (request: number) => void }): JSX.Element {
  const { data, error } = useView<EventsView>('events', props.version);
  const [filter, setFilter] = useState('');
  if (error !== undefined) return <div class="empty">{error}</div>;
  if (data === undefined) return <div class="empty">loading…</div>;
  const f = filter.trim().toLowerCase();
  const rows = f === '' ? data.rows : data.rows.filter((r) => Object.values(r.cells).some((v) => v.toLowerCase().includes(f)));
  return (
    <div class="full-pane events-view">
      <div class="filters">
        <input type="search" aria-label="event filter" placeholder="any attribute value…" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        <span class="count">{`${rows.length} of ${data.total} events${data.partial ? ' (the newest; older requests are left out)' : ''}`}</span>
      </div>
      {data.rows.length === 0 ? (
        <div class="empty">No event has arrived yet (generic events and Smartscape events accepted by the endpoint are shown here).</div>
      ) : (
        <div class="pane">
          <table class="events-table">
            <thead>
              <tr>
                <th>time</th>
                <th>route</th>
                {data.columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} data-request={r.request} onClick={() => props.onOpen(r.request)}>
                  <td>{formatTime(r.at)}</td>
                  <td>{r.route}</td>
                  {data.columns.map((c) => (
                    <td key={c} title={r.cells[c] ?? ''}>
                      {r.cells[c] ?? ''}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
