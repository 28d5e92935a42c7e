/**
 * The list as the page reads it at volume: one page of the requests that pass a query, newest first
 * (`GET api/requests?q=&before=&offset=&limit=`), and the summary of the matching requests by rule,
 * metric key and sender (`GET api/summary?q=`). The page holds only what it draws; the server holds
 * the list (`receivedLimit`, up to 100,000 and more).
 *
 * Metric keys are read from the kept bodies when a query or the summary needs them (with the columnar
 * batch decoder, invalid lines left out), once per request, at most `viewBytes` of bodies per call:
 * requests not read yet count as without keys and the answer says `partial`.
 *
 * @module
 */
import { MetricBatchDecoder, type MetricBatch } from '../../metrics/batch.js';
import { resolveMetricsOptions } from '../../protocol/options.js';
import { INSPECTOR_LIMITS } from '../options.js';
import { haystack, isEmptyQuery, matchesQuery, parseQuery, senderHost, type InspectorQuery, type QueryContext } from './query.js';
import type { RequestRecord, RequestSummary } from './record.js';
import { searchBodies } from './views.js';

/** Distinct metric keys remembered per request. */
const KEYS_PER_REQUEST = 100;
/** Values listed per group in the summary (the rest are counted). */
const SUMMARY_VALUES = 25;
/** Rows one page of the list holds at most. */
export const PAGE_MAX = 1000;

/** Where a request's search text and metric keys are kept once computed (symbols: JSON leaves them out). */
const TEXT = Symbol('search text');
const KEYS = Symbol('metric keys');
type Cached = RequestSummary & { [TEXT]?: string; [KEYS]?: string[] };

/**
 * Metric keys and search text per request, computed on demand and kept on the request's summary
 * (they go when the request leaves the list). A property, not a `WeakMap`: a query reads them for
 * every request listed, and 100,000 weak-map lookups per keystroke (and the collector's work on a
 * weak map that size) cost more than the matching itself.
 * @example const index = new ListIndex(); index.keysOf(record)
 */
export class ListIndex {
  /** Body bytes decoded in the current call; past `viewBytes` keys are not read. */
  private budget = 0;
  /** A request's keys were needed but not read this call. */
  partial = false;

  /** Starts a call: a fresh byte budget. */
  begin(): void {
    this.budget = INSPECTOR_LIMITS.viewBytes;
    this.partial = false;
  }

  /** The metric keys of a request's valid lines (empty when not a kept metrics body). */
  keysOf(record: RequestRecord): readonly string[] {
    const s = record.summary as Cached;
    const known = s[KEYS];
    if (known !== undefined) return known;
    if (s.route !== 'metrics' || record.chunks === undefined || s.linesOk === 0) return [];
    if (s.bytes > this.budget) {
      this.partial = true;
      return [];
    }
    this.budget -= s.bytes;
    const seen = new Set<string>();
    const decoder = new MetricBatchDecoder(record.metricsOptions ?? resolveMetricsOptions(), (batch: MetricBatch) => {
      for (let p = 0; p < batch.length && seen.size < KEYS_PER_REQUEST; p++) seen.add(batch.key(p));
    });
    for (const chunk of record.chunks) decoder.push(chunk);
    decoder.end();
    const list = [...seen].sort();
    s[KEYS] = list;
    return list;
  }

  /** The lower-case search text of a request (cached). */
  textOf(s: RequestSummary): string {
    const c = s as Cached;
    let t = c[TEXT];
    if (t === undefined) {
      t = haystack(s);
      c[TEXT] = t;
    }
    return t;
  }
}

/**
 * The query's matcher over records (body search only when `bodies` is asked and there is free text).
 * Call `index.begin()` first: metric keys are read within its byte budget.
 * @example const pass = matcher(records, parseQuery('status:4xx'), index, false);
 */
export function matcher(records: readonly RequestRecord[], q: InspectorQuery, index: ListIndex, bodies: boolean): (r: RequestRecord) => boolean {
  if (isEmptyQuery(q)) return () => true;
  const byId = new Map<RequestSummary, RequestRecord>();
  if (q.key.length > 0) for (const r of records) byId.set(r.summary, r);
  const hits = bodies && q.free !== '' ? new Set(searchBodies(records, q.free)) : undefined;
  const ctx: QueryContext = {
    keys: (s) => {
      const r = byId.get(s);
      return r === undefined ? [] : index.keysOf(r);
    },
    text: (s) => index.textOf(s),
    ...(hits !== undefined ? { bodyHit: (s: RequestSummary) => hits.has(s.id) } : {}),
  };
  return (r) => matchesQuery(r.summary, q, ctx);
}

/**
 * One page of the list (`GET api/requests` with `limit`).
 * @example { matched: 10000, newest: 10000, offset: 0, items: [...50 summaries, newest first], partial: false }
 */
export interface ListPage {
  /** Requests (with id ≤ `newest`) that pass the query. */
  matched: number;
  /** The newest id considered: pages of one scroll ask with `before` = newest + 1 so offsets stay put. */
  newest: number;
  offset: number;
  /** Requests listed in all (before the query). */
  listed: number;
  items: RequestSummary[];
  /** Some metric keys were not read (see the module). */
  partial: boolean;
  /**
   * `matched` counts every match; `false` when the page was asked without the count (`count=0`) and
   * the scan stopped once the page was full: then `matched` is a lower bound.
   */
  exact: boolean;
}

/** What a page of the list asks. */
export interface ListAsk {
  q: string;
  /** Only requests with a smaller id (0: all). */
  before: number;
  offset: number;
  limit: number;
  /** Also search the kept bodies for the free text (exact bytes). */
  bodies: boolean;
  /**
   * Count every match (`matched`); `false` (`count=0`): stop at the page, so a keystroke's first page
   * costs the requests scanned to fill it, not the whole list (the page asks the count once typing
   * pauses).
   */
  count: boolean;
}

/**
 * Reads the list's query parameters.
 * @example listAsk(new URLSearchParams('q=status:4xx&limit=50')) // { q: 'status:4xx', before: 0, offset: 0, limit: 50, bodies: false, count: true }
 */
export function listAsk(params: URLSearchParams): ListAsk {
  const int = (name: string, fallback: number, max: number): number => {
    const n = Number(params.get(name) ?? '');
    return Number.isInteger(n) && n >= 0 ? Math.min(n, max) : fallback;
  };
  return {
    q: (params.get('q') ?? '').slice(0, 2000),
    before: int('before', 0, Number.MAX_SAFE_INTEGER),
    offset: int('offset', 0, Number.MAX_SAFE_INTEGER),
    limit: int('limit', 100, PAGE_MAX),
    bodies: params.get('bodies') === '1',
    count: params.get('count') !== '0',
  };
}

/**
 * One page of the requests that pass a query, newest first.
 * @example listPage(log.list(), listAsk(params), index)
 */
export function listPage(records: readonly RequestRecord[], ask: ListAsk, index: ListIndex): ListPage {
  index.begin();
  const q = parseQuery(ask.q);
  const pass = matcher(records, q, index, ask.bodies);
  const items: RequestSummary[] = [];
  let matched = 0;
  let newest = 0;
  let exact = true;
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (ask.before > 0 && r.summary.id >= ask.before) continue;
    if (newest === 0) newest = r.summary.id;
    if (!pass(r)) continue;
    if (matched >= ask.offset && items.length < ask.limit) items.push(r.summary);
    matched++;
    if (!ask.count && matched >= ask.offset + ask.limit && i > 0) {
      exact = false;
      break;
    }
  }
  return { matched, newest, offset: ask.offset, listed: records.length, items, partial: index.partial, exact };
}

/**
 * A count of one value in the summary.
 * @example { value: 'metric-key-char', count: 12 }
 */
export interface SummaryEntry {
  value: string;
  count: number;
}

/**
 * The summary of the requests that pass a query (`GET api/summary?q=`): per rule, metric key and
 * sender (address without port), how many of them have it, most first; at most 25 values each,
 * `more` says how many values were left out.
 * @example summary.rules[0] // { value: 'metric-key-char', count: 12 }
 */
export interface ListSummary {
  matched: number;
  rules: SummaryEntry[];
  keys: SummaryEntry[];
  senders: SummaryEntry[];
  more: { rules: number; keys: number; senders: number };
  partial: boolean;
}

function top(counts: Map<string, number>): { list: SummaryEntry[]; more: number } {
  const all = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return { list: all.slice(0, SUMMARY_VALUES).map(([value, count]) => ({ value, count })), more: Math.max(0, all.length - SUMMARY_VALUES) };
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/**
 * The summary of the requests that pass a query.
 * @example listSummary(log.list(), 'route:metrics', index).rules
 */
export function listSummary(records: readonly RequestRecord[], text: string, index: ListIndex): ListSummary {
  index.begin();
  const q = parseQuery(text);
  const pass = matcher(records, q, index, false);
  const rules = new Map<string, number>();
  const keys = new Map<string, number>();
  const senders = new Map<string, number>();
  let matched = 0;
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (!pass(r)) continue;
    matched++;
    for (const rule of r.summary.rules) bump(rules, rule);
    for (const key of index.keysOf(r)) bump(keys, key);
    bump(senders, senderHost(r.summary.sender));
  }
  const tr = top(rules);
  const tk = top(keys);
  const ts = top(senders);
  return { matched, rules: tr.list, keys: tk.list, senders: ts.list, more: { rules: tr.more, keys: tk.more, senders: ts.more }, partial: index.partial };
}
