/**
 * The inspector page of `dt-ingest serve`: the requests received, live (Server-Sent Events), with
 * filters and a detail view; the metrics and events that arrived. Everything a request carries is put
 * into the page as text (Preact text nodes), never as HTML.
 */
import { render, type JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { RequestSummary } from '../../src/serve/inspector/record.js';
import { apiUrl, getJson } from '../shared/api.js';
import { EventsTab, MetricsTab } from './data.js';
import { Detail } from './detail.js';
import { FilterBar, NO_FILTERS, RequestTable, applyFilters, type Filters } from './list.js';

/** What `GET api/requests` answers besides the items. */
interface Info {
  mode: string;
  upstream: string | null;
  filter: boolean;
  requireToken: boolean;
  limit: number;
  total: number;
  bodyBytes: number;
  keptBytes: number;
  cspViolations: number;
  failures: number;
}

type Tab = 'requests' | 'metrics' | 'events';
type Connection = 'connecting' | 'live' | 'down';

function Empty(props: { info: Info | undefined }): JSX.Element {
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

function App(): JSX.Element {
  const byId = useRef(new Map<number, RequestSummary>());
  const [items, setItems] = useState<RequestSummary[]>([]);
  const [info, setInfo] = useState<Info | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const [tab, setTab] = useState<Tab>('requests');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [bodyHits, setBodyHits] = useState<ReadonlySet<number>>(new Set());
  const [missed, setMissed] = useState(0);
  const [conn, setConn] = useState<Connection>('connecting');
  const [error, setError] = useState<string | undefined>(undefined);
  const limit = useRef(1000);

  const publish = useCallback(() => {
    const all = [...byId.current.values()].sort((a, b) => a.id - b.id);
    // the page keeps no more than the server lists
    while (all.length > limit.current) byId.current.delete(all.shift()!.id);
    setItems(all);
    setVersion((v) => v + 1);
  }, []);

  const reload = useCallback(async () => {
    try {
      const list = await getJson<Info & { items: RequestSummary[] }>('requests');
      const { items: listed, ...rest } = list;
      limit.current = Math.max(1, rest.limit);
      // keep what arrived live after the list was taken
      const last = listed.length > 0 ? listed[listed.length - 1]!.id : 0;
      const next = new Map<number, RequestSummary>();
      for (const s of listed) next.set(s.id, s);
      for (const [id, s] of byId.current) if (id > last) next.set(id, s);
      byId.current = next;
      setInfo(rest);
      setError(undefined);
      publish();
    } catch (e) {
      setError((e as Error).message);
    }
  }, [publish]);

  useEffect(() => {
    const source = new EventSource(apiUrl('stream'));
    source.addEventListener('open', () => {
      setConn('live');
      void reload();
    });
    source.addEventListener('error', () => setConn(source.readyState === EventSource.CLOSED ? 'down' : 'connecting'));
    source.addEventListener('requests', (e) => {
      const batch = JSON.parse((e as MessageEvent<string>).data) as RequestSummary[];
      for (const s of batch) byId.current.set(s.id, s);
      publish();
    });
    source.addEventListener('missed', (e) => {
      const n = (JSON.parse((e as MessageEvent<string>).data) as { missed: number }).missed;
      setMissed((m) => m + n);
      void reload();
    });
    source.addEventListener('cleared', () => {
      byId.current = new Map();
      setMissed(0);
      setSelected(undefined);
      publish();
    });
    return () => source.close();
  }, [publish, reload]);

  // the free text also searches the kept bodies, on the server
  useEffect(() => {
    const text = filters.text.trim();
    if (text === '') {
      setBodyHits(new Set());
      return;
    }
    const timer = setTimeout(() => {
      getJson<{ ids: number[] }>(`search?q=${encodeURIComponent(text)}`).then(
        (r) => setBodyHits(new Set(r.ids)),
        () => setBodyHits(new Set()),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [filters.text, version]);

  const shown = useMemo(() => applyFilters(items, filters, bodyHits), [items, filters, bodyHits]);
  const clear = async (): Promise<void> => {
    const res = await fetch(apiUrl('requests'), { method: 'DELETE' });
    if (res.ok) {
      byId.current = new Map();
      setSelected(undefined);
      publish();
    }
  };
  const open = (id: number): void => {
    setTab('requests');
    setSelected(id);
  };
  const proxy = info?.mode === 'proxy';
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
        {info !== undefined && info.cspViolations > 0 ? <span class="badge down">{`${info.cspViolations} CSP violations reported`}</span> : null}
        {info !== undefined && info.failures > 0 ? <span class="badge down">{`${info.failures} requests the inspector could not record`}</span> : null}
        <nav class="tabs">
          {(['requests', 'metrics', 'events'] as Tab[]).map((t) => (
            <button type="button" key={t} class={tab === t ? 'active' : ''} data-view={t} onClick={() => setTab(t)}>
              {t}
            </button>
          ))}
        </nav>
        <span class="spacer" />
        <a class="button" href={apiUrl('export')} download title="the accepted items as NDJSON, as --record writes them">
          export NDJSON
        </a>
        <button type="button" onClick={() => void clear()}>
          clear
        </button>
        <a class="button" href="playground">
          playground
        </a>
      </header>
      {error !== undefined ? <div class="notice">{error}</div> : null}
      {tab === 'requests' ? (
        <main>
          <div class="pane list-pane">
            <FilterBar items={items} filters={filters} shown={shown.length} onChange={setFilters} />
            <div class="pane">
              {items.length === 0 ? (
                <Empty info={info} />
              ) : (
                <RequestTable items={shown} selected={selected} proxy={proxy} missed={missed} onSelect={setSelected} />
              )}
            </div>
          </div>
          <div class="pane detail-pane">
            {selected === undefined ? (
              <div class="empty">Select a request to see its body, each problem at its line, the answer and the headers.</div>
            ) : (
              <Detail id={selected} version={0} />
            )}
          </div>
        </main>
      ) : tab === 'metrics' ? (
        <main>
          <MetricsTab version={version} />
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
