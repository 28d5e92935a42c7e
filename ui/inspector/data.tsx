/**
 * What arrived, as data: the metrics view (keys with their types and dimension sets, a small chart
 * of each series' values over time) and the events view (one row per event, a column per attribute).
 * Both are read from the server when shown, and again (at most every 2 s) while requests arrive.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
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

/** Chart size, px (the SVG scales to its box; the axes' labels are in its margins). */
const CW = 300;
const CH = 92;
const M = { left: 46, right: 8, top: 8, bottom: 18 };

/** Scale of a chart: the series' time and value ranges (a flat range widened so it draws). */
function extent(pts: readonly [number, number][]): { t0: number; t1: number; lo: number; hi: number } {
  let t0 = pts[0]![0];
  let t1 = pts[pts.length - 1]![0];
  let lo = Infinity;
  let hi = -Infinity;
  for (const [, v] of pts) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (t1 === t0) {
    t0 -= 1000;
    t1 += 1000;
  }
  if (hi === lo) {
    hi += Math.abs(hi) * 0.1 || 1;
    lo -= Math.abs(lo) * 0.1 || 1;
  }
  return { t0, t1, lo, hi };
}

/**
 * A line chart of one series (values over time) with its axes: values on the left (min, max, in the
 * series' unit where the key names one), times below (first, last); hovering shows the nearest
 * point's time and value.
 */
export function SeriesChart(props: { series: SeriesView; unit: string; label: string }): JSX.Element {
  const pts = props.series.points;
  const [hover, setHover] = useState<number | undefined>(undefined);
  if (pts.length === 0) return <svg class="chart" viewBox={`0 0 ${CW} ${CH}`} role="img" aria-label={`${props.label}: no points`} />;
  const { t0, t1, lo, hi } = extent(pts);
  const w = CW - M.left - M.right;
  const h = CH - M.top - M.bottom;
  const x = (t: number): number => M.left + ((t - t0) / (t1 - t0)) * w;
  const y = (v: number): number => M.top + h - ((v - lo) / (hi - lo)) * h;
  const line = pts.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const unit = props.unit === '' ? '' : ` ${props.unit}`;
  const onMove = (e: MouseEvent): void => {
    const box = (e.currentTarget as SVGSVGElement).getBoundingClientRect();
    const t = t0 + ((((e.clientX - box.left) / box.width) * CW - M.left) / w) * (t1 - t0);
    let best = 0;
    for (let i = 1; i < pts.length; i++) if (Math.abs(pts[i]![0] - t) < Math.abs(pts[best]![0] - t)) best = i;
    setHover(best);
  };
  const p = hover !== undefined ? pts[hover] : undefined;
  const last = pts[pts.length - 1]!;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${CW} ${CH}`}
      role="img"
      aria-label={`${props.label}: ${pts.length} points from ${formatTime(pts[0]![0])} to ${formatTime(last[0])}, min ${formatValue(lo)}${unit}, max ${formatValue(hi)}${unit}, last ${formatValue(last[1])}${unit}`}
      onMouseMove={onMove}
      onMouseLeave={() => setHover(undefined)}
    >
      <line class="axis" x1={M.left} y1={M.top} x2={M.left} y2={M.top + h} />
      <line class="axis" x1={M.left} y1={M.top + h} x2={M.left + w} y2={M.top + h} />
      <text class="tick" x={M.left - 4} y={M.top + 4} text-anchor="end">{`${formatValue(hi)}${unit}`}</text>
      <text class="tick" x={M.left - 4} y={M.top + h} text-anchor="end">{`${formatValue(lo)}${unit}`}</text>
      <text class="tick" x={M.left} y={CH - 4} text-anchor="start">
        {formatTime(t0)}
      </text>
      <text class="tick" x={M.left + w} y={CH - 4} text-anchor="end">
        {formatTime(t1)}
      </text>
      {pts.length > 1 ? <polyline points={line} /> : null}
      <circle cx={x(last[0])} cy={y(last[1])} r="2.5" />
      {p !== undefined ? (
        <g class="hover">
          <line class="cursor" x1={x(p[0])} y1={M.top} x2={x(p[0])} y2={M.top + h} />
          <circle cx={x(p[0])} cy={y(p[1])} r="3.5" />
          <text class="value" x={Math.min(x(p[0]) + 4, M.left + w - 90)} y={M.top + 10}>{`${formatTime(p[0])}  ${formatValue(p[1])}${unit}`}</text>
        </g>
      ) : null}
    </svg>
  );
}

/** The unit a metric key names by the usual suffixes (`.bytes`, `_seconds`, `.ms`, `.percent`…), or ''. */
export function unitOf(key: string): string {
  const m = /[._](bytes|byte|seconds|second|ms|millis|milliseconds|us|micros|ns|percent|pct|count|celsius|kb|mb|gb)$/i.exec(key);
  if (m === null) return '';
  const u = m[1]!.toLowerCase();
  const names: Record<string, string> = {
    byte: 'B',
    bytes: 'B',
    second: 's',
    seconds: 's',
    millis: 'ms',
    milliseconds: 'ms',
    micros: 'µs',
    us: 'µs',
    pct: '%',
    percent: '%',
    celsius: '°C',
    kb: 'KB',
    mb: 'MB',
    gb: 'GB',
  };
  return names[u] ?? u;
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
            {k.series.slice(0, SERIES_SHOWN).map((s, i) => {
              const label = s.dimensions.length === 0 ? '(no dimensions)' : s.dimensions.map(([a, b]) => `${a}=${b}`).join(', ');
              return (
                <div class="series" key={i}>
                  <span class="dims">{`${label} · ${s.type}`}</span>
                  <SeriesChart series={s} unit={unitOf(k.key)} label={`${k.key} ${label}`} />
                </div>
              );
            })}
            {k.seriesCount > SERIES_SHOWN ? <div class="hint">{`${k.seriesCount - Math.min(SERIES_SHOWN, k.series.length)} more series`}</div> : null}
          </div>
        ))}
      </div>
    </div>
  );
}

/** Names of event attributes that hold a time (generic events: `timestamp`, `startTime`…; Smartscape: `…time…`). */
function isTimeColumn(name: string): boolean {
  return /time|timestamp/i.test(name);
}

/** A time value made readable: an epoch number (s, ms, µs by magnitude) or an ISO text, as local time. */
export function readableTime(value: string): string | undefined {
  const n = Number(value);
  let ms: number;
  if (value.trim() !== '' && Number.isFinite(n)) ms = n < 1e11 ? n * 1000 : n < 1e14 ? n : n / 1000;
  else if (/^\d{4}-\d\d-\d\dT/.test(value)) ms = Date.parse(value);
  else return undefined;
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : `${d.toISOString().slice(0, 10)} ${formatTime(ms)}`;
}

type EventRow = EventsView['rows'][number];

/** Names shown for the body types of the events view. */
const TYPE_NAMES: Record<string, string> = { events: 'generic events', smartscape: 'Smartscape events' };

/** One body type's table: the columns its events have (most frequent first), sortable, each row leads to its request. */
function EventTable(props: { route: string; rows: EventRow[]; onOpen: (request: number) => void }): JSX.Element {
  const [sort, setSort] = useState<{ column: string; down: boolean }>({ column: '', down: true });
  const columns = useMemo(() => {
    const freq = new Map<string, number>();
    for (const r of props.rows) for (const k of Object.keys(r.cells)) freq.set(k, (freq.get(k) ?? 0) + 1);
    return [...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
  }, [props.rows]);
  const rows = useMemo(() => {
    if (sort.column === '') return props.rows;
    const key = (r: EventRow): string | number => (sort.column === '' ? r.at : (r.cells[sort.column] ?? ''));
    const out = [...props.rows].sort((a, b) => {
      const x = key(a);
      const y = key(b);
      const nx = Number(x);
      const ny = Number(y);
      const c = x !== '' && y !== '' && Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
      return sort.down ? -c : c;
    });
    return out;
  }, [props.rows, sort]);
  const header = (column: string, label: string): JSX.Element => {
    const on = sort.column === column;
    return (
      <th key={column} scope="col" aria-sort={on ? (sort.down ? 'descending' : 'ascending') : 'none'}>
        <button type="button" class="sort" onClick={() => setSort({ column, down: on ? !sort.down : false })}>
          {label}
          {on ? (sort.down ? ' ▼' : ' ▲') : ''}
        </button>
      </th>
    );
  };
  const name = TYPE_NAMES[props.route] ?? props.route;
  return (
    <section class="event-type" aria-label={name} data-route={props.route}>
      <h2>{`${name} (${props.rows.length})`}</h2>
      <div class="table-scroll">
        <table class="events-table">
          <thead>
            <tr>
              <th scope="col">request</th>
              {header('', 'received')}
              {columns.map((c) => header(c, c))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} data-request={r.request}>
                <td>
                  <button type="button" class="link" onClick={() => props.onOpen(r.request)}>{`#${r.request}`}</button>
                </td>
                <td>{formatTime(r.at)}</td>
                {columns.map((c) => {
                  const v = r.cells[c];
                  const t = v !== undefined && isTimeColumn(c) ? readableTime(v) : undefined;
                  return (
                    <td key={c} title={v ?? ''}>
                      {t ?? v ?? ''}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function EventsTab(props: { version: number; onOpen: (request: number) => void }): JSX.Element {
  const { data, error } = useView<EventsView>('events', props.version);
  const [filter, setFilter] = useState('');
  if (error !== undefined) return <div class="empty">{error}</div>;
  if (data === undefined) return <div class="empty">loading…</div>;
  const f = filter.trim().toLowerCase();
  const rows = f === '' ? data.rows : data.rows.filter((r) => Object.values(r.cells).some((v) => v.toLowerCase().includes(f)));
  const byType = new Map<string, EventRow[]>();
  for (const r of rows) {
    const list = byType.get(r.route);
    if (list === undefined) byType.set(r.route, [r]);
    else list.push(r);
  }
  return (
    <div class="full-pane events-view">
      <div class="filters">
        <input type="search" aria-label="event filter" placeholder="any attribute value…" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        <span class="count">{`${rows.length} of ${data.total} events${data.rows.length < data.total ? ` (the newest ${data.rows.length} are listed)` : ''}${data.partial ? ' (older requests are left out)' : ''}`}</span>
      </div>
      {data.rows.length === 0 ? (
        <div class="empty">No event has arrived yet (generic events and Smartscape events accepted by the endpoint are shown here).</div>
      ) : rows.length === 0 ? (
        <div class="empty">No event matches the filter.</div>
      ) : (
        [...byType].map(([route, list]) => <EventTable key={route} route={route} rows={list} onOpen={props.onOpen} />)
      )}
    </div>
  );
}
