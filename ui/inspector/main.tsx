/**
 * The inspector page of `dt-ingest serve`: the requests received, live (Server-Sent Events), with a
 * query search, a summary and a detail view; the metrics and events that arrived. Everything a
 * request carries is put into the page as text (Preact text nodes), never as HTML.
 *
 * The page holds what it draws: the list is read from the server a page of rows at a time for the
 * rows in view (`GET api/requests?q=&before=&offset=&limit=`); new requests that match the query are
 * put on top as they arrive (not re-sorting or re-drawing the others), or counted while paused. The
 * query, the view, the selected request and the detail's tab are in the URL.
 */
import { render, type JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ListPage, ListSummary } from '../../src/serve/inspector/listing.js';
import { haystack, matchesQuery, parseQuery, type InspectorQuery } from '../../src/serve/inspector/query.js';
import type { RequestSummary } from '../../src/serve/inspector/record.js';
import { apiUrl, getJson } from '../shared/api.js';
import { plural } from '../shared/format.js';
import { BudgetPanel } from './budget.js';
import { EventsTab, MetricsTab } from './data.js';
import { Detail, type DetailTab } from './detail.js';
import { Help, isTyping } from './help.js';
import { RequestTable, SearchBar, SummaryPanel } from './list.js';

/** What `GET api/requests` answers besides the items. */
interface Info {
  mode: string;
  upstream: string | null;
  filter: boolean;
  requireToken: boolean;
  limit: number;
  total: number;
  /** The list's version when it was read (records added so far): compared with the stream's `hello`. */
  version: number;
  bodyBytes: number;
  keptBytes: number;
  cspViolations: number;
  failures: number;
}

type View = 'requests' | 'metrics' | 'events';
type Connection = 'connecting' | 'live' | 'down';

/** Rows read from the server at once. */
const PAGE = 100;
/** New rows put on top before the list is read again from the server. */
const HEAD_MAX = 2000;
/** Arrivals kept while paused (more are counted, and the list is read again on resume). */
const PENDING_MAX = 5000;
/** Recent arrivals remembered to fill in what came while the list was being read. */
const RECENT = 500;
const SUMMARY_MS = 2000;
/** After a keystroke, the summary and the URL wait this long for the next one (the list does not wait). */
const TYPING_MS = 400;
/** Rows the page holds that it filters at once for a new query, while the server's answer is on its way. */
const PROVISIONAL_MAX = PAGE;

/** The list as the page holds it: new rows on top, then pages of the server's answer. */
interface ListModel {
  q: string;
  query: InspectorQuery;
  gen: number;
  /** Newest id of the server's part (its pages ask with `before` = anchor + 1). */
  anchor: number;
  matched: number;
  listed: number;
  partial: boolean;
  /** Rows that arrived since, newest first. */
  head: RequestSummary[];
  pages: Map<number, RequestSummary[]>;
  asked: Set<number>;
  ready: boolean;
  /**
   * The rows shown are those the page held that pass the new query (filtered at once, on the
   * keystroke); the server's page replaces them when it is in.
   */
  provisional: boolean;
  /** `matched` counts every match (else the server stopped at the first page: a lower bound). */
  exact: boolean;
}

function emptyModel(q: string): ListModel {
  return {
    q,
    query: parseQuery(q),
    gen: 0,
    anchor: 0,
    matched: 0,
    listed: 0,
    partial: false,
    head: [],
    pages: new Map(),
    asked: new Set(),
    ready: false,
    provisional: false,
    exact: true,
  };
}

/** The state the URL holds. */
interface Place {
  q: string;
  view: View;
  id: number | undefined;
  tab: DetailTab;
}

function readPlace(): Place {
  const p = new URLSearchParams(location.search);
  const view = p.get('view');
  const id = Number(p.get('id'));
  const tab = p.get('tab');
  return {
    q: p.get('q') ?? '',
    view: view === 'metrics' || view === 'events' ? view : 'requests',
    id: Number.isInteger(id) && id > 0 ? id : undefined,
    tab: tab === 'answer' || tab === 'headers' || tab === 'fix' ? tab : 'body',
  };
}

function writePlace(p: Place): void {
  const s = new URLSearchParams();
  if (p.q !== '') s.set('q', p.q);
  if (p.view !== 'requests') s.set('view', p.view);
  if (p.id !== undefined) s.set('id', String(p.id));
  if (p.tab !== 'body') s.set('tab', p.tab);
  const search = s.toString();
  const url = location.pathname + (search === '' ? '' : `?${search}`);
  if (url !== location.pathname + location.search) history.replaceState(null, '', url);
}

function Empty(props: { info: Info | undefined; filtered: boolean }): JSX.Element {
  if (props.filtered) return <div class="empty">No request matches the search. Clear it to see them all.</div>;
  const origin = location.origin;
  return (
    <div class="empty">
      <p>No request yet. Point your exporter at this server, or try:</p>
      <pre>{`curl -X POST ${origin}/api/v2/metrics/ingest \\\n  -H 'Content-Type: text/plain; charset=utf-8'${props.info?.requireToken === true ? " \\\n  -H 'Authorization: Api-Token dt0c01.example'" : ''} \\\n  --data-binary $'cpu.temp,host=a 42\\nbad key 1\\n'`}</pre>
      <p>
        Every request to any route shows up here as it arrives, judged as the endpoint judges it. The <a href="playground">playground</a> judges a payload as
        you type it.
      </p>
    </div>
  );
}

/** Whether a new request passes the query, as far as the page can tell (metric keys and bodies are the server's). */
function passes(s: RequestSummary, q: InspectorQuery): boolean {
  return matchesQuery(s, q, { keys: () => [], text: haystack });
}

/** The rows a model holds, in list order (new ones on top, then the server's pages), at most `max`. */
function heldRows(m: ListModel, max: number): RequestSummary[] {
  const out = m.head.slice(0, max);
  for (const p of [...m.pages.keys()].sort((a, b) => a - b)) {
    for (const s of m.pages.get(p)!) {
      if (out.length >= max) return out;
      out.push(s);
    }
  }
  return out;
}

function App(): JSX.Element {
  const start = useMemo(readPlace, []);
  const model = useRef<ListModel>(emptyModel(start.q));
  const recent = useRef<RequestSummary[]>([]);
  const pending = useRef<RequestSummary[]>([]);
  const [, setTick] = useState(0);
  const redraw = useCallback(() => setTick((t) => t + 1), []);
  const [info, setInfo] = useState<Info | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const [query, setQuery] = useState(start.q);
  const [view, setView] = useState<View>(start.view);
  const [selected, setSelected] = useState<number | undefined>(start.id);
  const [tab, setTab] = useState<DetailTab>(start.tab);
  const [paused, setPaused] = useState(false);
  const pausedRef = useRef(false);
  const [pendingCount, setPendingCount] = useState(0);
  const [summary, setSummary] = useState<ListSummary | undefined>(undefined);
  const [missed, setMissed] = useState(0);
  const [conn, setConn] = useState<Connection>('connecting');
  const [error, setError] = useState<string | undefined>(undefined);
  const [help, setHelp] = useState(false);
  const [confirmClear, setConfirmClear] = useState(false);

  // the URL: at once for a view, a selection or a tab; for the query once typing pauses (replaceState
  // costs a frame in Chromium, and a keystroke must not wait for it); and when the page goes
  const place = useRef<Place>({ q: query, view, id: selected, tab });
  place.current = { q: query, view, id: selected, tab };
  useEffect(() => writePlace(place.current), [view, selected, tab]);
  useEffect(() => {
    const timer = setTimeout(() => writePlace(place.current), TYPING_MS);
    return () => clearTimeout(timer);
  }, [query]);
  useEffect(() => {
    const flush = (): void => writePlace(place.current);
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, []);
  /** The list request in flight (a newer query aborts it). */
  const inflight = useRef<AbortController | undefined>(undefined);
  /** The newest list version a finished read saw, and the version the open stream started at. */
  const readVersion = useRef(-1);
  const streamVersion = useRef(-1);

  /**
   * Reads the list again from the top for the query `q` (with a body search when `bodies`; without
   * the count of every match when not `count`: the server stops at the first page).
   */
  const reload = useCallback(
    async (q: string, bodies = false, count = true) => {
      const m = model.current;
      const gen = m.gen + 1;
      const next = emptyModel(q);
      next.gen = gen;
      next.anchor = m.anchor;
      next.listed = m.listed;
      if (q === m.q) {
        // rows in view keep showing until the answer is in
        next.pages = m.pages;
        next.head = m.head;
        next.matched = m.matched;
        next.ready = m.ready;
        next.provisional = m.provisional;
        next.exact = m.exact;
      } else if (m.ready && next.query.key.length === 0) {
        // a new query: the rows held that pass it, at once (metric keys are only the server's to judge)
        next.head = heldRows(m, PROVISIONAL_MAX).filter((s) => passes(s, next.query));
        next.ready = true;
        next.provisional = true;
      }
      model.current = next;
      if (next.provisional) redraw();
      inflight.current?.abort();
      const abort = new AbortController();
      inflight.current = abort;
      try {
        const params = new URLSearchParams({ q, limit: String(PAGE) });
        if (bodies) params.set('bodies', '1');
        if (!count) params.set('count', '0');
        const page = await getJson<Info & ListPage>(`requests?${params.toString()}`, abort.signal);
        if (model.current.gen !== gen) return;
        const { items, matched, newest, listed, partial, exact, ...rest } = page;
        const fresh = emptyModel(q);
        fresh.gen = gen;
        fresh.anchor = newest;
        fresh.matched = matched;
        fresh.exact = exact !== false;
        fresh.listed = listed;
        fresh.partial = partial;
        fresh.pages.set(0, items);
        fresh.asked.add(0);
        fresh.ready = true;
        // what arrived while the list was read
        for (const s of recent.current) if (s.id > newest && passes(s, fresh.query)) fresh.head.unshift(s);
        fresh.listed += recent.current.filter((s) => s.id > newest).length;
        model.current = fresh;
        const seen = (rest as unknown as Info).version;
        readVersion.current = Math.max(readVersion.current, seen);
        setInfo(rest as unknown as Info);
        // read before the stream started: what was added in between came through neither, read again
        if (streamVersion.current > seen) queueMicrotask(() => void reload(q));
        setError(undefined);
        redraw();
      } catch (e) {
        // a newer query took over
        if (model.current.gen !== gen || abort.signal.aborted) return;
        setError((e as Error).message);
      } finally {
        if (inflight.current === abort) inflight.current = undefined;
      }
    },
    [redraw],
  );

  /** Reads the pages of rows `[first, last)` that the page does not hold. */
  const need = useCallback(
    (first: number, last: number) => {
      const m = model.current;
      if (!m.ready || m.provisional) return;
      const from = Math.max(0, first - m.head.length);
      const to = last - m.head.length;
      for (let p = Math.floor(from / PAGE); p * PAGE < to && p * PAGE < m.matched; p++) {
        if (m.asked.has(p)) continue;
        m.asked.add(p);
        const params = new URLSearchParams({ q: m.q, before: String(m.anchor + 1), offset: String(p * PAGE), limit: String(PAGE) });
        void getJson<ListPage>(`requests?${params.toString()}`).then(
          (page) => {
            if (model.current.gen !== m.gen) return;
            m.pages.set(p, page.items);
            redraw();
          },
          () => m.asked.delete(p),
        );
      }
    },
    [redraw],
  );

  /** Puts arrivals on top (or counts them while paused). */
  const arrive = useCallback(
    (batch: RequestSummary[]) => {
      const r = recent.current;
      r.push(...batch);
      if (r.length > RECENT) r.splice(0, r.length - RECENT);
      if (pausedRef.current) {
        const p = pending.current;
        p.push(...batch);
        if (p.length > PENDING_MAX) p.splice(0, p.length - PENDING_MAX);
        setPendingCount((n) => n + batch.length);
        return;
      }
      const m = model.current;
      // a list being read: the answer takes in what arrived meanwhile (`recent`)
      if (!m.ready || m.provisional) return;
      const fits = batch.filter((s) => s.id > m.anchor && passes(s, m.query));
      m.listed += batch.length;
      if (m.query.key.length > 0) {
        // metric keys are read on the server
        void reload(m.q);
        return;
      }
      if (fits.length > 0) {
        fits.reverse();
        m.head = fits.concat(m.head);
        if (m.head.length > HEAD_MAX) {
          void reload(m.q);
          return;
        }
        // the rows in view stay where they are when the list is scrolled
        const box = document.querySelector<HTMLElement>('.list-scroll');
        if (box !== null && box.scrollTop > 0) box.scrollTop += fits.length * 28;
      }
      redraw();
      setVersion((v) => v + 1);
    },
    [redraw, reload],
  );

  const pause = (on: boolean): void => {
    pausedRef.current = on;
    setPaused(on);
    if (on) return;
    const waiting = pending.current;
    pending.current = [];
    setPendingCount(0);
    if (waiting.length > 0) arrive(waiting);
    setVersion((v) => v + 1);
  };

  useEffect(() => {
    // the list at once; read again only when the stream started at a version the read had not seen
    // (what was added in between came through neither), never a second read of the same list
    void reload(model.current.q);
    const source = new EventSource(apiUrl('stream'));
    source.addEventListener('open', () => setConn('live'));
    source.addEventListener('hello', (e) => {
      const at = (JSON.parse((e as MessageEvent<string>).data) as { version: number }).version;
      streamVersion.current = at;
      // a read in flight checks the version itself when it is in
      if (readVersion.current >= at || inflight.current !== undefined) return;
      void reload(model.current.q);
    });
    source.addEventListener('error', () => setConn(source.readyState === EventSource.CLOSED ? 'down' : 'connecting'));
    source.addEventListener('requests', (e) => arrive(JSON.parse((e as MessageEvent<string>).data) as RequestSummary[]));
    source.addEventListener('missed', (e) => {
      const n = (JSON.parse((e as MessageEvent<string>).data) as { missed: number }).missed;
      setMissed((m) => m + n);
      void reload(model.current.q);
    });
    source.addEventListener('cleared', () => {
      recent.current = [];
      pending.current = [];
      setPendingCount(0);
      setMissed(0);
      setSelected(undefined);
      void reload(model.current.q);
    });
    return () => source.close();
  }, [arrive, reload]);

  // a new query: its first page at once, from the keystroke's own event (not an effect, which runs a
  // frame later), the server stopping once the page is full; once typing pauses, read again with
  // every match counted (and the bodies searched for free text)
  const followUp = useRef(0);
  const search = useCallback(
    (q: string) => {
      setQuery(q);
      if (q === model.current.q) return;
      void reload(q, false, false);
      clearTimeout(followUp.current);
      const bodies = parseQuery(q).free !== '';
      const after = (): void => {
        const m = model.current;
        if (m.q !== q) return;
        // free text: the bodies searched too, which may add rows
        if (bodies) return void reload(q, true);
        // the first page is not in yet: ask again later
        if (m.provisional || !m.ready) {
          followUp.current = window.setTimeout(after, TYPING_MS);
          return;
        }
        if (m.exact) return;
        // the count alone (no rows): the rows shown stay
        const params = new URLSearchParams({ q, before: String(m.anchor + 1), limit: '0' });
        void getJson<ListPage>(`requests?${params.toString()}`).then(
          (page) => {
            if (model.current !== m) return;
            m.matched = page.matched;
            m.exact = true;
            redraw();
          },
          () => {},
        );
      };
      followUp.current = window.setTimeout(after, bodies ? 300 : TYPING_MS);
    },
    [reload, redraw],
  );

  // the summary: on a new query once typing pauses, and as requests arrive (at most every 2 s)
  const summaryAt = useRef(0);
  // on load too the summary waits (the list's first page comes first, and a page left at once costs none)
  const summaryQuery = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (view !== 'requests') return;
    const typed = summaryQuery.current !== query;
    summaryQuery.current = query;
    const wait = typed ? TYPING_MS : Math.max(0, summaryAt.current + SUMMARY_MS - Date.now());
    const timer = setTimeout(() => {
      summaryAt.current = Date.now();
      getJson<ListSummary>(`summary?q=${encodeURIComponent(query)}`).then(setSummary, () => {});
    }, wait);
    return () => clearTimeout(timer);
  }, [query, version, view]);

  const m = model.current;
  const count = m.head.length + m.matched;
  const rowAt = (i: number): RequestSummary | undefined => {
    if (i < m.head.length) return m.head[i];
    const j = i - m.head.length;
    return m.pages.get(Math.floor(j / PAGE))?.[j % PAGE];
  };
  const indexOf = (id: number): number => {
    for (let i = 0; i < m.head.length; i++) if (m.head[i]!.id === id) return i;
    for (const [p, items] of m.pages) {
      const k = items.findIndex((s) => s.id === id);
      if (k >= 0) return m.head.length + p * PAGE + k;
    }
    return -1;
  };

  const clear = async (): Promise<void> => {
    setConfirmClear(false);
    const res = await fetch(apiUrl('requests'), { method: 'DELETE' });
    if (res.ok) {
      setSelected(undefined);
      void reload(model.current.q);
    }
  };
  const open = (id: number): void => {
    setView('requests');
    setSelected(id);
  };
  const proxy = info?.mode === 'proxy';

  // shortcuts (documented on `?`)
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Escape') {
        setHelp(false);
        setConfirmClear(false);
        return;
      }
      if (isTyping(e.target)) return;
      if (e.key === '?') setHelp((h) => !h);
      else if (e.key === '/') document.getElementById('search')?.focus();
      else if (e.key === '.') pause(!pausedRef.current);
      else if (e.key === '1') setView('requests');
      else if (e.key === '2') setView('metrics');
      else if (e.key === '3') setView('events');
      else if (e.key === 'n' || e.key === ']') window.dispatchEvent(new CustomEvent('dt-problem', { detail: 1 }));
      else if (e.key === 'p' || e.key === '[') window.dispatchEvent(new CustomEvent('dt-problem', { detail: -1 }));
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const filtered = query.trim() !== '';
  // the same elements while their inputs stay (Preact skips them): a keystroke re-renders the list only
  const summaryPanel = useMemo(() => <SummaryPanel summary={summary} query={query} onQuery={search} />, [summary, query, search]);
  const detail = useMemo(() => (selected === undefined ? null : <Detail id={selected} tab={tab} onTab={setTab} />), [selected, tab]);
  return (
    <>
      <header class="top">
        <h1>
          dt-ingest <span>inspector</span>
        </h1>
        <span class="badge">{info === undefined ? '…' : proxy ? `proxy → ${info.upstream ?? ''}${info.filter ? ' (filter)' : ''}` : 'mock'}</span>
        <span class={`badge ${conn === 'live' ? 'live' : conn === 'down' ? 'down' : 'warn'}`} data-connection={conn}>
          {conn === 'live' ? 'live' : conn === 'down' ? 'disconnected' : 'connecting…'}
        </span>
        {info !== undefined && info.cspViolations > 0 ? <span class="badge down">{`${plural(info.cspViolations, 'CSP violation')} reported`}</span> : null}
        {info !== undefined && info.failures > 0 ? (
          <span class="badge down">{`${plural(info.failures, 'request')} the inspector could not record`}</span>
        ) : null}
        <nav class="tabs" aria-label="views">
          {(['requests', 'metrics', 'events'] as View[]).map((t) => (
            <button
              type="button"
              key={t}
              class={view === t ? 'active' : ''}
              aria-current={view === t ? 'page' : undefined}
              data-view={t}
              onClick={() => setView(t)}
            >
              {t}
            </button>
          ))}
        </nav>
        <span class="spacer" />
        <a class="button" href={apiUrl('export')} download title="the accepted items as NDJSON, as --record writes them">
          export NDJSON
        </a>
        {confirmClear ? (
          <span class="confirm">
            {`Forget ${plural(m.listed, 'request')}, the kept bodies and the mock's accepted items?`}
            <button type="button" class="danger" data-action="clear-confirm" onClick={() => void clear()}>
              clear
            </button>
            <button type="button" onClick={() => setConfirmClear(false)}>
              cancel
            </button>
          </span>
        ) : (
          <button type="button" data-action="clear" onClick={() => setConfirmClear(true)}>
            clear…
          </button>
        )}
        <button type="button" aria-label="keyboard shortcuts" title="keyboard shortcuts (?)" onClick={() => setHelp(true)}>
          ?
        </button>
        <a class="button" href="playground">
          playground
        </a>
      </header>
      {error !== undefined ? <div class="notice">{error}</div> : null}
      {help ? <Help onClose={() => setHelp(false)} /> : null}
      {view === 'requests' ? (
        <main>
          <div class="list-pane">
            <SearchBar
              query={query}
              matched={count}
              listed={m.listed}
              paused={paused}
              pending={pendingCount}
              partial={m.partial}
              searching={m.provisional}
              exact={m.exact}
              onQuery={search}
              onPause={pause}
            />
            {summaryPanel}
            <RequestTable
              count={count}
              rowAt={rowAt}
              indexOf={indexOf}
              selected={selected}
              proxy={proxy}
              missed={missed}
              wanted={m.query.rule}
              empty={
                m.ready && !m.provisional ? <Empty info={info} filtered={filtered} /> : <div class="empty">{m.provisional ? 'searching…' : 'loading…'}</div>
              }
              shown={m.ready && !m.provisional ? m.q : undefined}
              searching={m.provisional ? m.q : undefined}
              onSelect={setSelected}
              onNeed={need}
            />
          </div>
          <section class="pane detail-pane" aria-label="detail">
            {selected === undefined ? <div class="empty">Select a request to see its body, each problem at its line, the answer and the headers.</div> : detail}
          </section>
        </main>
      ) : view === 'metrics' ? (
        <main>
          <MetricsTab version={version} />
          <BudgetPanel version={version} />
        </main>
      ) : (
        <main>
          <EventsTab version={version} onOpen={open} />
        </main>
      )}
    </>
  );
}

render(<App />, document.getElementById('app')!);
