/**
 * The list of received requests, newest first: the search box (query syntax: `rule:`, `status:`,
 * `route:`, `key:`, `sender:` and free text), the summary of what matches (by rule, metric key and
 * sender; a click filters), and the table, drawn a screenful at a time. The table is one Tab stop:
 * the selected row holds the focus (roving tabindex), arrows and j/k move it.
 */
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { ListSummary, SummaryEntry } from '../../src/serve/inspector/listing.js';
import { toggleTerm } from '../../src/serve/inspector/query.js';
import type { RequestSummary } from '../../src/serve/inspector/record.js';
import { apiUrl } from '../shared/api.js';
import { formatBytes, formatTime, plural, statusClass } from '../shared/format.js';
import { scrollRowIntoView, useRowWindow } from '../shared/virtual.js';

/** Height of one row of the table, px (the style sheet gives `table.requests tbody tr` this height). */
export const LIST_ROW = 28;
/** Height of the table's header row, px (sticky). */
const HEAD = 30;

export function SearchBar(props: {
  query: string;
  matched: number;
  listed: number;
  paused: boolean;
  pending: number;
  partial: boolean;
  /** The rows shown are the page's own, filtered while the server's answer is on its way. */
  searching: boolean;
  /** `matched` counts every match (else: at least this many, counted once typing pauses). */
  exact: boolean;
  onQuery: (q: string) => void;
  onPause: (paused: boolean) => void;
}): JSX.Element {
  const { matched, listed } = props;
  return (
    <div class="filters">
      <input
        type="search"
        aria-label="search requests"
        name="q"
        id="search"
        placeholder="search: rule:id status:4xx route:metrics key:cpu.temp sender:127.0.0.1, or any text…"
        value={props.query}
        onInput={(e) => props.onQuery(e.currentTarget.value)}
      />
      <span class="count" aria-live="polite">
        {props.searching
          ? `searching ${plural(listed, 'request')}…`
          : !props.exact
            ? `${matched.toLocaleString('en-US')}+ of ${plural(listed, 'request')}`
            : matched === listed
              ? plural(listed, 'request')
              : `${matched.toLocaleString('en-US')} of ${plural(listed, 'request')}`}
        {props.partial ? ' (metric keys of the older bodies not read)' : ''}
      </span>
      <button type="button" class={props.paused ? 'paused' : ''} aria-pressed={props.paused} data-action="pause" onClick={() => props.onPause(!props.paused)}>
        {props.paused ? (props.pending > 0 ? `resume (${props.pending.toLocaleString('en-US')} new)` : 'resume') : 'pause'}
      </button>
      <ExportLinks query={props.query} />
    </div>
  );
}

/**
 * The problems of the requests that match, downloaded in the CLI's formats (`dt-ingest validate
 * --format json|sarif`), built by the server for the query as typed.
 */
function ExportLinks(props: { query: string }): JSX.Element {
  const href = (format: string): string => apiUrl(`problems?${new URLSearchParams({ format, q: props.query }).toString()}`);
  return (
    <span class="exports">
      <a
        class="button"
        href={href('json')}
        download
        data-export="json"
        title="the problems of the requests that match, as dt-ingest validate --format json writes them"
      >
        export JSON
      </a>
      <a
        class="button"
        href={href('sarif')}
        download
        data-export="sarif"
        title="the problems of the requests that match, as SARIF 2.1.0 (dt-ingest validate --format sarif)"
      >
        export SARIF
      </a>
    </span>
  );
}

function Group(props: {
  title: string;
  field: 'rule' | 'key' | 'sender';
  entries: SummaryEntry[];
  more: number;
  query: string;
  onQuery: (q: string) => void;
}): JSX.Element {
  return (
    <div class="group">
      <h2>{props.title}</h2>
      {props.entries.length === 0 ? <span class="hint">none</span> : null}
      <ul>
        {props.entries.map((e) => {
          const next = toggleTerm(props.query, props.field, e.value);
          const on = next.length < props.query.length;
          return (
            <li key={e.value}>
              <button
                type="button"
                class={`chip${on ? ' on' : ''}`}
                aria-pressed={on}
                data-summary={props.field}
                data-value={e.value}
                onClick={() => props.onQuery(next)}
              >
                <span class="v">{e.value}</span> <span class="n">{e.count.toLocaleString('en-US')}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {props.more > 0 ? <span class="hint">{`${props.more} more`}</span> : null}
    </div>
  );
}

/** The summary of the requests that match: per rule, metric key and sender, with counts. */
export function SummaryPanel(props: { summary: ListSummary | undefined; query: string; onQuery: (q: string) => void }): JSX.Element | null {
  const s = props.summary;
  // the panel keeps its place while its counts load (and one fixed height after), so the rows below
  // never move under the cursor when it appears or its groups grow
  if (s === undefined)
    return (
      <section class="summary" aria-label="summary of the matching requests" aria-busy="true">
        <span class="hint">counting…</span>
      </section>
    );
  return (
    <section class="summary" aria-label="summary of the matching requests">
      <Group title="rules" field="rule" entries={s.rules} more={s.more.rules} query={props.query} onQuery={props.onQuery} />
      <Group title="metric keys" field="key" entries={s.keys} more={s.more.keys} query={props.query} onQuery={props.onQuery} />
      <Group title="senders" field="sender" entries={s.senders} more={s.more.senders} query={props.query} onQuery={props.onQuery} />
    </section>
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

/** `3 / 1` lines ok / invalid (metrics), `2 errors` (JSON bodies). */
function counts(s: RequestSummary): string {
  if (s.linesOk !== null) return `${s.linesOk} / ${s.linesInvalid}`;
  if (s.route === 'metrics' || s.route === 'unknown') return '';
  if (s.errors > 0) return plural(s.errors, 'error');
  return s.warnings > 0 ? plural(s.warnings, 'warning') : '';
}

/** The rules of a row, the ones the query names first; or, with none, the answer's reason (413, 415…). */
function Rules(props: { s: RequestSummary; wanted: readonly string[] }): JSX.Element {
  const s = props.s;
  if (s.rules.length === 0 && s.status >= 400 && s.message !== null)
    return (
      <span class="reason" title={s.message}>
        {s.message}
      </span>
    );
  const rules = [...s.rules.filter((r) => props.wanted.includes(r)), ...s.rules.filter((r) => !props.wanted.includes(r))];
  return (
    <span class="rules" title={rules.join(', ')}>
      {rules.map((r) => (
        <span class={`rule${s.errors === 0 && s.warnings > 0 ? ' warning' : ''}`} key={r}>
          {r}
        </span>
      ))}
    </span>
  );
}

/** Bytes, or `—` when the body was not read (a 413 is answered before). */
function bytesCell(s: RequestSummary): string {
  if (s.bytes === 0 && s.status === 413) return '—';
  return formatBytes(s.bytes);
}

function Row(props: {
  s: RequestSummary;
  selected: boolean;
  focusable: boolean;
  proxy: boolean;
  wanted: readonly string[];
  onSelect: (id: number) => void;
}): JSX.Element {
  const s = props.s;
  return (
    <tr
      data-id={s.id}
      class={props.selected ? 'selected' : ''}
      aria-selected={props.selected}
      tabIndex={props.focusable ? 0 : -1}
      onClick={() => props.onSelect(s.id)}
    >
      <td class="time">{formatTime(s.at)}</td>
      <td class="num">
        <span class={statusClass(s.status)}>{s.status}</span>
      </td>
      <td>{s.route}</td>
      <td class="target" title={`${s.method} ${s.target}`}>{`${s.method} ${s.target}`}</td>
      <td class="num">{counts(s)}</td>
      <td class="rules-cell">
        <Rules s={s} wanted={props.wanted} />
      </td>
      <td class="num">{bytesCell(s)}</td>
      <td class="sender">{s.sender}</td>
      {props.proxy ? (
        <td>
          {s.upstream !== null && s.upstream.length > 0 ? <span class="badge">{s.upstream.join(' → ')}</span> : null}
          <Accounting s={s} />
        </td>
      ) : null}
    </tr>
  );
}

/** A row drawn last time, with what it was drawn from. */
interface DrawnRow {
  s: RequestSummary;
  selected: boolean;
  focusable: boolean;
  wanted: readonly string[];
  proxy: boolean;
  el: JSX.Element;
}

/** Keys that move the selection in the list, and by how many rows (`page` = a screenful). */
function step(key: string, page: number): number | 'first' | 'last' | undefined {
  if (key === 'ArrowDown' || key === 'j') return 1;
  if (key === 'ArrowUp' || key === 'k') return -1;
  if (key === 'PageDown') return page;
  if (key === 'PageUp') return -page;
  if (key === 'Home') return 'first';
  if (key === 'End') return 'last';
  return undefined;
}

/**
 * The table. `rowAt(i)` gives row `i` (newest first) when the page holds it; `onNeed` asks for the
 * rows in view that it does not.
 */
export function RequestTable(props: {
  count: number;
  rowAt: (i: number) => RequestSummary | undefined;
  indexOf: (id: number) => number;
  selected: number | undefined;
  proxy: boolean;
  missed: number;
  wanted: readonly string[];
  empty: JSX.Element;
  /** The query the rows drawn answer (when read): tests and the page benchmark wait on it. */
  shown: string | undefined;
  /** The query whose rows are drawn from what the page held, before the server's answer. */
  searching: string | undefined;
  onSelect: (id: number) => void;
  onNeed: (first: number, last: number) => void;
}): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const drawn = useRef(new Map<number, DrawnRow>());
  const w = useRowWindow(box, props.count, LIST_ROW, HEAD);
  /** The row a key selected, to be focused once it is drawn as selected (not by an unrelated render). */
  const wantFocus = useRef<number | undefined>(undefined);
  const { first, last } = w;
  useEffect(() => props.onNeed(first, last), [first, last, props.count]);
  // after a key moved the selection: the focus follows it
  // a layout effect: the focus moves before the next key is handled, so fast keys never act on a stale row
  useLayoutEffect(() => {
    const want = wantFocus.current;
    if (want === undefined) return;
    const row = box.current?.querySelector<HTMLElement>('tr.selected');
    if (row === null || row === undefined || row.getAttribute('data-id') !== String(want)) return;
    wantFocus.current = undefined;
    row.focus({ preventScroll: true });
  });
  const cols = props.proxy ? 9 : 8;
  const selectedAt = props.selected === undefined ? -1 : props.indexOf(props.selected);
  // one Tab stop: the selected row when drawn, else the first row drawn
  const focusAt = selectedAt >= first && selectedAt < last ? selectedAt : first;
  const move = (e: KeyboardEvent): void => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const page = Math.max(1, Math.floor((box.current?.clientHeight ?? 600) / LIST_ROW) - 1);
    const by = step(e.key, page);
    if (by === undefined) return;
    e.preventDefault();
    const from = selectedAt < 0 ? focusAt : selectedAt;
    const to = by === 'first' ? 0 : by === 'last' ? props.count - 1 : Math.max(0, Math.min(props.count - 1, from + by));
    const s = props.rowAt(to);
    if (box.current !== null) scrollRowIntoView(box.current, to, LIST_ROW, HEAD, props.count);
    if (s === undefined) return;
    wantFocus.current = s.id;
    props.onSelect(s.id);
  };
  const rows: JSX.Element[] = [];
  // a row whose request and state did not change is the same element as before, which Preact does not
  // diff again: a keystroke or an arrival re-renders the rows that changed, not the screenful (a
  // request's summary never changes, so the same id and time is the same row, also from a new answer;
  // the time tells a restarted server's request 1 from the last one's)
  const before = drawn.current;
  const now = new Map<number, DrawnRow>();
  for (let i = first; i < last; i++) {
    const s = props.rowAt(i);
    if (s === undefined) {
      rows.push(
        <tr key={`p${i}`} class="placeholder">
          <td colSpan={cols}>…</td>
        </tr>,
      );
      continue;
    }
    const selected = s.id === props.selected;
    const focusable = i === focusAt;
    const old = before.get(s.id);
    const el =
      old !== undefined &&
      old.s.id === s.id &&
      old.s.at === s.at &&
      old.selected === selected &&
      old.focusable === focusable &&
      old.wanted === props.wanted &&
      old.proxy === props.proxy ? (
        old.el
      ) : (
        <Row key={s.id} s={s} selected={selected} focusable={focusable} proxy={props.proxy} wanted={props.wanted} onSelect={props.onSelect} />
      );
    now.set(s.id, { s, selected, focusable, wanted: props.wanted, proxy: props.proxy, el });
    rows.push(el);
  }
  drawn.current = now;
  return (
    <div class="pane list-scroll" ref={box} data-shown={props.shown} data-searching={props.searching}>
      <table class="requests" aria-label="received requests" aria-rowcount={props.count}>
        <colgroup>
          <col class="c-time" />
          <col class="c-status" />
          <col class="c-route" />
          <col class="c-target" />
          <col class="c-count" />
          <col class="c-rules" />
          <col class="c-bytes" />
          <col class="c-sender" />
          {props.proxy ? <col class="c-upstream" /> : null}
        </colgroup>
        <thead>
          <tr>
            <th scope="col">time</th>
            <th scope="col" class="num">
              status
            </th>
            <th scope="col">route</th>
            <th scope="col">request</th>
            <th scope="col" class="num">
              ok / invalid
            </th>
            <th scope="col">rules or reason</th>
            <th scope="col" class="num">
              bytes
            </th>
            <th scope="col">sender</th>
            {props.proxy ? <th scope="col">upstream</th> : null}
          </tr>
        </thead>
        <tbody onKeyDown={move} onKeyDownCapture={(e) => (e.key === 'Enter' || e.key === ' ' ? e.preventDefault() : undefined)}>
          {props.missed > 0 ? (
            <tr class="missed">
              <td colSpan={cols}>{`missed ${props.missed} updates while the page fell behind; the list was read again`}</td>
            </tr>
          ) : null}
          {w.before > 0 ? (
            <tr class="spacer">
              <td colSpan={cols} style={{ height: `${w.before}px` }} />
            </tr>
          ) : null}
          {rows}
          {w.after > 0 ? (
            <tr class="spacer">
              <td colSpan={cols} style={{ height: `${w.after}px` }} />
            </tr>
          ) : null}
        </tbody>
      </table>
      {props.count === 0 ? props.empty : null}
    </div>
  );
}
