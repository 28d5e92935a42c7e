/**
 * The inspector's search syntax, shared by the server (paging, summary) and the page (live arrivals):
 * `rule:`, `status:`, `route:`, `key:`, `sender:` terms plus free text. Terms of one field are OR-ed,
 * different fields AND-ed; free words must all occur (case-insensitive) in what the list holds of a
 * request. `status:4xx` matches a class, `status:413` one code. A value may be quoted (`key:"a b"`).
 * Pure (no Node built-ins): the page's bundle imports it.
 *
 * @module
 */
import type { RequestSummary } from './record.js';

/**
 * A parsed query.
 * @example parseQuery('rule:metric-key-char status:4xx cpu') // { rule: ['metric-key-char'], status: ['4xx'], ..., words: ['cpu'] }
 */
export interface InspectorQuery {
  rule: string[];
  status: string[];
  route: string[];
  key: string[];
  sender: string[];
  /** Free words, lower case. */
  words: string[];
  /** The free words as typed (the server searches the kept bodies for this, exact bytes). */
  free: string;
}

/** The fields a query term can name. */
export const QUERY_FIELDS = ['rule', 'status', 'route', 'key', 'sender'] as const;
type Field = (typeof QUERY_FIELDS)[number];

const FIELD_SET: ReadonlySet<string> = new Set(QUERY_FIELDS);

/** Splits on spaces outside double quotes; quotes are taken off. */
function tokens(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let any = false;
  for (const ch of text) {
    if (ch === '"') {
      quoted = !quoted;
      any = true;
    } else if (!quoted && (ch === ' ' || ch === '\t')) {
      if (any) out.push(cur);
      cur = '';
      any = false;
    } else {
      cur += ch;
      any = true;
    }
  }
  if (any) out.push(cur);
  return out;
}

/**
 * Parses the search box. An unknown `name:` prefix is free text.
 * @example parseQuery('route:metrics "bad key"').words // ['bad key']
 */
export function parseQuery(text: string): InspectorQuery {
  const q: InspectorQuery = { rule: [], status: [], route: [], key: [], sender: [], words: [], free: '' };
  const free: string[] = [];
  for (const t of tokens(text)) {
    const colon = t.indexOf(':');
    const name = colon > 0 ? t.slice(0, colon).toLowerCase() : '';
    if (FIELD_SET.has(name) && colon < t.length - 1) q[name as Field].push(t.slice(colon + 1));
    else if (t !== '') {
      free.push(t);
      q.words.push(t.toLowerCase());
    }
  }
  q.free = free.join(' ');
  return q;
}

/**
 * Whether the query names nothing.
 * @example isEmptyQuery(parseQuery('  ')) // true
 */
export function isEmptyQuery(q: InspectorQuery): boolean {
  return q.words.length === 0 && QUERY_FIELDS.every((f) => q[f].length === 0);
}

/** Whether a status matches `2xx`, `4xx`, `5xx` or one code. */
export function statusMatches(status: number, filter: string): boolean {
  if (filter.length === 3 && filter.endsWith('xx')) return Math.floor(status / 100) === Number(filter[0]);
  return status === Number(filter);
}

/**
 * The text free words look in, lower case: method, target, route, status, sender, user agent,
 * content type, the start of the body, the answer's message, rule ids, upstream outcomes.
 * @example haystack(summary).includes('cpu.temp')
 */
export function haystack(s: RequestSummary): string {
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

/** Where the list finds a request's metric keys and searchable text (the server computes keys lazily). */
export interface QueryContext {
  /** The metric keys of a request (empty when unknown). */
  keys(s: RequestSummary): readonly string[];
  /** The lower-case text free words look in (cached by the caller). */
  text(s: RequestSummary): string;
  /** Requests whose kept body holds a free word (exact bytes), if searched. */
  bodyHit?(s: RequestSummary): boolean;
}

function anyOf(values: readonly string[], test: (v: string) => boolean): boolean {
  return values.length === 0 || values.some(test);
}

/** The sender's address without the port (`127.0.0.1:53412` → `127.0.0.1`). */
export function senderHost(sender: string): string {
  const colon = sender.lastIndexOf(':');
  return colon < 0 || sender.endsWith(']') ? sender : sender.slice(0, colon);
}

/**
 * Whether a request passes a query.
 * @example matchesQuery(summary, parseQuery('status:4xx'), ctx)
 */
export function matchesQuery(s: RequestSummary, q: InspectorQuery, ctx: QueryContext): boolean {
  if (!anyOf(q.route, (r) => s.route === r)) return false;
  if (!anyOf(q.status, (f) => statusMatches(s.status, f))) return false;
  if (!anyOf(q.rule, (r) => s.rules.includes(r))) return false;
  if (!anyOf(q.sender, (v) => s.sender === v || senderHost(s.sender) === v)) return false;
  if (q.key.length > 0) {
    const keys = ctx.keys(s);
    if (!q.key.some((k) => keys.includes(k))) return false;
  }
  if (q.words.length === 0) return true;
  const text = ctx.text(s);
  if (q.words.every((w) => text.includes(w))) return true;
  return ctx.bodyHit?.(s) === true;
}

/**
 * The query with one more `field:value` term (quoted when it holds a space), or without it when it
 * is there already: what a click in the summary panel does.
 * @example toggleTerm('cpu', 'rule', 'metric-key-char') // 'cpu rule:metric-key-char'
 */
export function toggleTerm(text: string, field: Field, value: string): string {
  const term = `${field}:${/[\s"]/.test(value) ? `"${value.replace(/"/g, '')}"` : value}`;
  const parts = text.split(' ').filter((p) => p !== '');
  const at = parts.indexOf(term);
  if (at >= 0) parts.splice(at, 1);
  else parts.push(term);
  return parts.join(' ');
}
