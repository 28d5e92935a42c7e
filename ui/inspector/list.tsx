/**
 * The list of received requests, newest first, and its filters (route, status, rule id, free text).
 * The free text matches the request's own fields and, through the server, the kept bodies.
 */
import type { JSX } from 'preact';
import type { RequestSummary } from '../../src/serve/inspector/record.js';
import { formatBytes, formatTime, statusClass } from '../shared/format.js';

/** The filters of the list. */
export interface Filters {
  route: string;
  status: string;
  rule: string;
  text: string;
}

export const NO_FILTERS: Filters = { route: '', status: '', rule: '', text: '' };

/** Whether a status matches a status filter (`2xx`, `4xx`, `5xx`, or one code). */
function statusMatches(status: number, filter: string): boolean {
  if (filter === '') return true;
  if (filter.endsWith('xx')) return Math.floor(status / 100) === Number(filter[0]);
  return status === Number(filter);
}

/** The text the free-text filter looks at, lower case. */
function haystack(s: RequestSummary): string {
  return [
    s.method,
    s.target,
    s.route,
    String(s.status),
    s.sender,
    s.userAgent,
    s.contentType,
    s.snippet,
    s.message ?? '',
    s.rules.join(' '),
    (s.upstream ?? []).join(' '),
  ]
    .join('\n')
    .toLowerCase();
}

/** The requests that pass the filters; `bodyHits` are ids whose body contains the text (server search). */
export function applyFilters(items: readonly RequestSummary[], f: Filters, bodyHits: ReadonlySet<number>): RequestSummary[] {
  const text = f.text.trim().toLowerCase();
  return items.filter(
    (s) =>
      (f.route === '' || s.route === f.route) &&
      statusMatches(s.status, f.status) &&
      (f.rule === '' || s.rules.includes(f.rule)) &&
      (text === '' || haystack(s).includes(text) || bodyHits.has(s.id)),
  );
}

function distinct(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

export function FilterBar(props: { items: readonly RequestSummary[]; filters: Filters; shown: number; onChange: (f: Filters) => void }): JSX.Element {
  const { items, filters: f, onChange } = props;
  const routes = distinct(items.map((s) => s.route));
  const statuses = distinct(items.map((s) => String(s.status)));
  const rules = distinct(items.flatMap((s) => s.rules));
  const set = (patch: Partial<Filters>): void => onChange({ ...f, ...patch });
  return (
    <div class="filters">
      <select aria-label="route" name="route" value={f.route} onChange={(e) => set({ route: e.currentTarget.value })}>
        <option value="">all routes</option>
        {routes.map((r) => (
          <option value={r} key={r}>
            {r}
          </option>
        ))}
      </select>
      <select aria-label="status" name="status" value={f.status} onChange={(e) => set({ status: e.currentTarget.value })}>
        <option value="">any status</option>
        <option value="2xx">2xx</option>
        <option value="4xx">4xx</option>
        <option value="5xx">5xx</option>
        {statuses.map((s) => (
          <option value={s} key={s}>
            {s}
          </option>
        ))}
      </select>
      <select aria-label="rule" name="rule" value={f.rule} onChange={(e) => set({ rule: e.currentTarget.value })}>
        <option value="">any rule</option>
        {rules.map((r) => (
          <option value={r} key={r}>
            {r}
          </option>
        ))}
      </select>
      <input
        type="search"
        aria-label="search"
        name="text"
        placeholder="search: path, sender, rule, body text…"
        value={f.text}
        onInput={(e) => set({ text: e.currentTarget.value })}
      />
      <span class="count">{props.shown === items.length ? `${items.length} requests` : `${props.shown} of ${items.length}`}</span>
    </div>
  );
}

function Accounting(props: { s: RequestSummary }): JSX.Element | null {
  const a = props.s.accounting;
  if (a === null) return null;
  return (
    <span class="account">
      <span class="ingested" title="ingested">
        {a.ingested}
      </span>
      {a.invalid > 0 ? (
        <span class="invalid" title="invalid">
          {a.invalid}
        </span>
      ) : null}
      {a.notIngested > 0 ? <span class="not-ingested" title="not ingested (safe to resend)">{`${a.notIngested} not ingested`}</span> : null}
      {a.unknown > 0 ? <span class="unknown" title="unknown outcome">{`${a.unknown} unknown`}</span> : null}
    </span>
  );
}

export function RequestTable(props: {
  items: readonly RequestSummary[];
  selected: number | undefined;
  proxy: boolean;
  missed: number;
  onSelect: (id: number) => void;
}): JSX.Element {
  const rows = props.items.slice().reverse();
  return (
    <table class="requests">
      <thead>
        <tr>
          <th>time</th>
          <th class="num">status</th>
          <th>route</th>
          <th>request</th>
          <th class="num">ok / invalid</th>
          <th>rules</th>
          <th class="num">bytes</th>
          <th>sender</th>
          {props.proxy ? <th>upstream</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.missed > 0 ? (
          <tr class="missed">
            <td colSpan={props.proxy ? 9 : 8}>{`missed ${props.missed} updates while the page fell behind; the list was read again`}</td>
          </tr>
        ) : null}
        {rows.map((s) => (
          <tr
            key={s.id}
            data-id={s.id}
            class={s.id === props.selected ? 'selected' : ''}
            tabIndex={0}
            onClick={() => props.onSelect(s.id)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                props.onSelect(s.id);
              }
            }}
          >
            <td class="time">{formatTime(s.at)}</td>
            <td class="num">
              <span class={statusClass(s.status)}>{s.status}</span>
            </td>
            <td>{s.route}</td>
            <td class="target" title={`${s.method} ${s.target}`}>{`${s.method} ${s.target}`}</td>
            <td class="num">
              {s.linesOk !== null
                ? `${s.linesOk} / ${s.linesInvalid}`
                : s.route !== 'metrics' && s.route !== 'unknown' && s.errors > 0
                  ? `${s.errors} errors`
                  : ''}
            </td>
            <td>
              <span class="rules">
                {s.rules.slice(0, 1).map((r) => (
                  <span class="rule" key={r}>
                    {r}
                  </span>
                ))}
                {s.rules.length > 1 ? <span class="rule" title={s.rules.slice(1).join(', ')}>{`+${s.rules.length - 1}`}</span> : null}
              </span>
            </td>
            <td class="num">{formatBytes(s.bytes)}</td>
            <td class="sender">{s.sender}</td>
            {props.proxy ? (
              <td>
                {s.upstream !== null && s.upstream.length > 0 ? <span class="badge">{s.upstream.join(' → ')}</span> : null}
                <Accounting s={s} />
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
