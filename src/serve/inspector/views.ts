/**
 * What the inspector's pages read, built when a page asks (never on the ingest path): the detail of
 * one request (its kept body judged again with the options it was judged with, so the problems are
 * exactly those of its answer, each at its line and column), fix mode's result as a diff, the
 * metrics that arrived (read with the columnar batch decoder) and the events that arrived.
 *
 * @module
 */
import { endpointById, judgeBody } from '../../endpoints/index.js';
import { resolveEventsOptions } from '../../events/index.js';
import { parseJsonText, placeJsonIssues } from './place.js';
import { MetricBatchDecoder, VALUE_STRIDE, type MetricBatch } from '../../metrics/batch.js';
import { PayloadType } from '../../metrics/view.js';
import { fixMetrics } from '../../produce/fix.js';
import { resolveMetricsOptions } from '../../protocol/options.js';
import { MetricsValidator } from '../../report/validate.js';
import { LineMap, mapLines } from '../../scan/line-map.js';
import type { Issue } from '../../types.js';
import { INSPECTOR_LIMITS } from '../options.js';
import { matchRoute, mediaType, splitTarget } from '../route-table.js';
import type { RequestRecord, RequestSummary } from './record.js';

const MAX_PROBLEMS = INSPECTOR_LIMITS.maxProblems;

/**
 * One problem of a request, placed in its body.
 * @example { line: 2, column: 4, rule: 'metric-key-char', severity: 'error', message: "...", endpointMessage: 'invalid metric key', source: 'local' }
 */
export interface PlacedProblem {
  line: number;
  column: number;
  rule: string;
  severity: string;
  /** Our own words. */
  message: string;
  /** The endpoint's words, where it has them. */
  endpointMessage: string | null;
  /** The offending text, shortened. */
  text: string | null;
  /** JSON bodies: the JSON Pointer of the value. */
  pointer: string | null;
  /** `local` (this server's validator) or `upstream` (proxy mode: a line only the upstream rejected). */
  source: 'local' | 'upstream';
}

/**
 * The detail view of one request (`GET /_dt-ingest/ui/api/requests/{id}`).
 * @example requestDetail(record).problems[0] // { line: 2, column: 5, rule: 'metric-type-invalid', ... }
 */
export interface RequestDetail {
  summary: RequestSummary;
  target: string;
  headers: [string, string][];
  body: {
    kept: boolean;
    bytes: number;
    /** The body as text, up to `previewBytes`. */
    text: string;
    truncated: boolean;
    /**
     * The body's bytes exactly, base64, when it is kept and at most `curlInlineBytes` (copy as curl
     * replays them byte for byte: NUL and invalid UTF-8 included, which `text` cannot carry).
     */
    base64?: string;
  };
  problems: PlacedProblem[];
  /** Problems in all (more than listed when over `maxProblems`). */
  problemCount: number;
  answer: { status: number; headers: [string, string][]; body: string };
  /** Fix mode applies (a metrics body that is kept). */
  fixable: boolean;
}

function joinChunks(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * The whole kept body, or `undefined`.
 * @example bodyOf(record)?.length // 1048576
 */
export function bodyOf(record: RequestRecord): Uint8Array | undefined {
  return record.chunks === undefined ? undefined : joinChunks(record.chunks);
}

function previewOf(chunks: readonly Uint8Array[], max: number): { text: string; truncated: boolean; bytes: number } {
  let bytes = 0;
  for (const c of chunks) bytes += c.length;
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let text = '';
  let taken = 0;
  for (const c of chunks) {
    if (taken >= max) break;
    const part = c.length <= max - taken ? c : c.subarray(0, max - taken);
    taken += part.length;
    text += decoder.decode(part, { stream: true });
  }
  text += decoder.decode();
  return { text, truncated: bytes > max, bytes };
}

/** The answer, indented when it is JSON (and not cut). */
function answerText(answer: RequestRecord['answer']): string {
  if (answer.cut) return answer.body + '… (cut: the answer was longer)';
  try {
    return answer.body === '' ? '' : JSON.stringify(JSON.parse(answer.body), null, 2);
  } catch {
    return answer.body;
  }
}

function placed(issue: Issue, line: number, column: number): PlacedProblem {
  return {
    line,
    column,
    rule: issue.rule,
    severity: issue.severity,
    message: issue.message,
    endpointMessage: issue.endpointMessage ?? null,
    text: issue.text ?? null,
    pointer: issue.pointer ?? null,
    source: 'local',
  };
}

function metricsProblems(record: RequestRecord, body: Uint8Array, out: PlacedProblem[]): number {
  let count = 0;
  const v = new MetricsValidator(record.metricsOptions ?? resolveMetricsOptions(), {
    onIssue: (issue) => {
      count++;
      if (out.length < MAX_PROBLEMS) out.push(placed(issue, issue.line ?? 1, issue.column ?? 1));
    },
  });
  v.push(body);
  v.end();
  // proxy mode: lines the upstream rejected that the local validator accepted
  if (record.invalidLines !== undefined) {
    const local = new Set(out.map((p) => p.line));
    for (const entry of record.invalidLines) {
      if (local.has(entry.line)) continue;
      count++;
      if (out.length < MAX_PROBLEMS)
        out.push({
          line: entry.line,
          column: 1,
          rule: 'upstream',
          severity: 'error',
          message: `rejected by the upstream: ${entry.error}`,
          endpointMessage: entry.error,
          text: null,
          pointer: null,
          source: 'upstream',
        });
    }
  }
  return count;
}

/** A kept whole body judged again by its endpoint's validator, with the options and media type it was judged with. */
function bodyProblems(record: RequestRecord, body: Uint8Array, out: PlacedProblem[]): number {
  const { pathname } = splitTarget(record.target);
  const match = matchRoute(pathname);
  if (match.kind !== 'ingest') return 0;
  const contentType = record.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const result = judgeBody(match.route, {
    body,
    mediaType: mediaType(contentType),
    param: match.param,
    metrics: record.metricsOptions ?? resolveMetricsOptions(),
    events: record.eventsOptions ?? resolveEventsOptions(),
  });
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
  const places = placeJsonIssues(result.issues, text);
  for (let i = 0; i < result.issues.length && out.length < MAX_PROBLEMS; i++) out.push(placed(result.issues[i]!, places[i]!.line, places[i]!.column));
  return result.issues.length;
}

/**
 * The problems of a request at their line and column (at most `maxProblems`, sorted), and how many
 * there are: its kept body judged again (the detail view and the export of the filtered problems).
 * @param body the kept body ({@link bodyOf}); `undefined` when none is kept
 * @example placedProblems(record, bodyOf(record)).count // 3
 */
export function placedProblems(record: RequestRecord, body: Uint8Array | undefined): { problems: PlacedProblem[]; count: number } {
  const problems: PlacedProblem[] = [];
  let count = 0;
  // a body is kept only when it was judged (not for 404/405/415/401/413 or injected faults)
  const reader = body !== undefined ? endpointById(record.summary.route)?.reader : undefined;
  if (body !== undefined && reader === 'metrics-stream') count = metricsProblems(record, body, problems);
  else if (body !== undefined && reader === 'whole') count = bodyProblems(record, body, problems);
  // OTLP: the body kept is the request decoded as text (problems at their place); the counts are the validator's
  else if (reader === 'protobuf') count = record.summary.errors + record.summary.warnings;
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { problems, count };
}

/**
 * The detail of one request: the body (up to `previewBytes`), every problem at its line and column,
 * the answer, the headers (redacted at capture).
 * @example const detail = requestDetail(log.get(7)!);
 */
export function requestDetail(record: RequestRecord): RequestDetail {
  const body = bodyOf(record);
  const route = record.summary.route;
  const { problems, count: problemCount } = placedProblems(record, body);
  const preview =
    record.chunks !== undefined ? previewOf(record.chunks, INSPECTOR_LIMITS.previewBytes) : { text: '', truncated: false, bytes: record.summary.bytes };
  return {
    summary: record.summary,
    target: record.target,
    headers: record.headers,
    body: {
      kept: record.chunks !== undefined,
      bytes: record.summary.bytes,
      text: preview.text,
      truncated: preview.truncated,
      ...(body !== undefined && body.length <= INSPECTOR_LIMITS.curlInlineBytes
        ? { base64: Buffer.from(body.buffer, body.byteOffset, body.length).toString('base64') }
        : {}),
    },
    problems,
    problemCount,
    answer: { status: record.answer.status, headers: record.answer.headers, body: answerText(record.answer) },
    fixable: body !== undefined && route === 'metrics',
  };
}

/**
 * One row of the fix diff: an input line that fix mode changed or left out.
 * @example { line: 2, kind: 'changed', before: 'my..metric 1', after: 'my.metric 1', notes: ['metric key repaired: ...'] }
 */
export interface FixRow {
  line: number;
  kind: 'changed' | 'dropped';
  before: string;
  /** The repaired line (`changed`). */
  after: string | null;
  /** What was done, or why the line was left out. */
  notes: string[];
}

/**
 * Fix mode's result for a request, as a diff of the lines it touched.
 * @example { linesKept: 9, linesRepaired: 1, linesDropped: 0, rows: [...], rowCount: 1 }
 */
export interface FixDiff {
  linesKept: number;
  linesRepaired: number;
  linesDropped: number;
  rows: FixRow[];
  /** Rows in all (more than listed when over `fixRows`). */
  rowCount: number;
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Line `i + 1` of a mapped body as text, without its LF and the CR before it; `''` past the last line. */
function lineText(body: Uint8Array, map: LineMap, i: number): string {
  return i < map.count ? utf8.decode(body.subarray(map.start(i), map.end(body, i))) : '';
}

/**
 * Fix mode over a kept metrics body, with the options it was judged with: which lines it repaired
 * (before and after) and which it left out (and why). The fixed body itself: {@link fixedBody}.
 * @example const diff = fixDiff(record, body);
 */
export function fixDiff(record: RequestRecord, body: Uint8Array): FixDiff {
  const o = record.metricsOptions ?? resolveMetricsOptions();
  const fixed = fixMetrics(body, { ...o });
  // both bodies read through their line maps (a CR before the LF is not shown, whatever the options)
  const input = mapLines(body, new LineMap(), true);
  const outBytes = new TextEncoder().encode(fixed.output);
  const output = mapLines(outBytes, new LineMap(), true);
  const notes = new Map<number, string[]>();
  for (const issue of fixed.issues) {
    if (issue.line === undefined) continue;
    const list = notes.get(issue.line);
    if (list === undefined) notes.set(issue.line, [issue.message]);
    else list.push(issue.message);
  }
  const rows: FixRow[] = [];
  let rowCount = 0;
  const seen = new Set<number>();
  for (let j = 0; j < fixed.lineMap.length; j++) {
    const line = fixed.lineMap[j]!;
    seen.add(line);
    const before = lineText(body, input, line - 1);
    const after = lineText(outBytes, output, j);
    if (before === after) continue;
    rowCount++;
    if (rows.length < INSPECTOR_LIMITS.fixRows) rows.push({ line, kind: 'changed', before, after, notes: notes.get(line) ?? [] });
  }
  for (const [line, list] of notes) {
    if (seen.has(line)) continue;
    rowCount++;
    if (rows.length < INSPECTOR_LIMITS.fixRows) rows.push({ line, kind: 'dropped', before: lineText(body, input, line - 1), after: null, notes: list });
  }
  rows.sort((a, b) => a.line - b.line);
  return { linesKept: fixed.linesKept, linesRepaired: fixed.linesRepaired, linesDropped: fixed.linesDropped, rows, rowCount };
}

/**
 * The fixed body of a kept metrics body.
 * @example res.end(fixedBody(record, body))
 */
export function fixedBody(record: RequestRecord, body: Uint8Array): string {
  return fixMetrics(body, { ...(record.metricsOptions ?? resolveMetricsOptions()) }).output;
}

// --- the metrics view --------------------------------------------------------------------------------

/**
 * One series: a metric key with one set of dimension values.
 * @example { dimensions: [['host', 'a']], type: 'gauge', points: [[1767225600000, 42]], count: 1 }
 */
export interface SeriesView {
  dimensions: [string, string][];
  type: string;
  /** `[time (epoch ms), value]`, oldest first, the last `seriesPoints`; a summary's value is its average. */
  points: [number, number][];
  count: number;
}

/**
 * One metric key of the metrics view.
 * @example { key: 'cpu.temp', types: ['gauge'], points: 2, dimensionSets: [{ keys: ['host'], points: 2 }], series: [...], seriesCount: 2 }
 */
export interface MetricKeyView {
  key: string;
  types: string[];
  points: number;
  /** Distinct sets of dimension keys, with how many points had each. */
  dimensionSets: { keys: string[]; points: number }[];
  series: SeriesView[];
  /** Series in all (more than listed past `maxSeries`). */
  seriesCount: number;
}

/**
 * The metrics that arrived (`GET /_dt-ingest/ui/api/metrics`).
 * @example metricsView(log.list()).keys.map((k) => k.key) // ['cpu.temp']
 */
export interface MetricsView {
  keys: MetricKeyView[];
  /** Metrics requests read, and their body bytes (the newest, up to `viewBytes`). */
  requests: number;
  bytes: number;
  /** Older metrics requests were left out (over `viewBytes`, or without a kept body). */
  partial: boolean;
  points: number;
}

const TYPE_NAMES: Record<number, string> = { [PayloadType.GAUGE]: 'gauge', [PayloadType.COUNT]: 'count', [PayloadType.SUMMARY]: 'summary' };

interface KeyAgg {
  types: Set<string>;
  points: number;
  dimensionSets: Map<string, number>;
  series: Map<string, SeriesView>;
  seriesCount: number;
}

function trimPoints(points: [number, number][]): void {
  points.sort((a, b) => a[0] - b[0]);
  points.splice(0, points.length - INSPECTOR_LIMITS.seriesPoints);
}

/**
 * The metrics view over the newest kept metrics bodies: keys, their types and dimension sets, and
 * the values of each series over time. Each body is read by a {@link MetricBatchDecoder} with the
 * options it was judged with (invalid lines are left out, as the endpoint leaves them out).
 * @example const view = metricsView(log.list());
 */
export function metricsView(records: readonly RequestRecord[]): MetricsView {
  const keys = new Map<string, KeyAgg>();
  let bytes = 0;
  let requests = 0;
  let partial = false;
  let points = 0;
  let totalSeries = 0;
  for (let r = records.length - 1; r >= 0; r--) {
    const record = records[r]!;
    if (record.summary.route !== 'metrics' || record.summary.linesOk === null || record.summary.linesOk === 0) continue;
    if (record.chunks === undefined || bytes + record.summary.bytes > INSPECTOR_LIMITS.viewBytes) {
      partial = true;
      continue;
    }
    bytes += record.summary.bytes;
    requests++;
    const receivedAt = record.summary.at;
    const onBatch = (batch: MetricBatch): void => {
      for (let p = 0; p < batch.length; p++) {
        points++;
        const key = batch.key(p);
        let agg = keys.get(key);
        if (agg === undefined) {
          if (keys.size >= INSPECTOR_LIMITS.maxKeys) {
            partial = true;
            continue;
          }
          agg = { types: new Set(), points: 0, dimensionSets: new Map(), series: new Map(), seriesCount: 0 };
          keys.set(key, agg);
        }
        const type = TYPE_NAMES[batch.types[p]!] ?? 'gauge';
        agg.types.add(type);
        agg.points++;
        const dims = batch.dimensions(p).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        const setName = dims.map((d) => d[0]).join('\u0000');
        if (agg.dimensionSets.has(setName) || agg.dimensionSets.size < INSPECTOR_LIMITS.dimensionSets)
          agg.dimensionSets.set(setName, (agg.dimensionSets.get(setName) ?? 0) + 1);
        const id = type + '\u0001' + dims.map((d) => d[0] + '\u0000' + d[1]).join('\u0001');
        let series = agg.series.get(id);
        if (series === undefined) {
          agg.seriesCount++;
          if (totalSeries >= INSPECTOR_LIMITS.maxSeries) continue;
          totalSeries++;
          series = { dimensions: dims, type, points: [], count: 0 };
          agg.series.set(id, series);
        }
        const at = p * VALUE_STRIDE;
        const value = batch.types[p] === PayloadType.SUMMARY ? batch.values[at + 2]! / batch.values[at + 3]! : batch.values[at]!;
        const t = batch.timestamps[p]! >= 0 ? batch.timestamps[p]! : receivedAt;
        series.count++;
        series.points.push([t, value]);
        if (series.points.length >= 2 * INSPECTOR_LIMITS.seriesPoints) trimPoints(series.points);
      }
    };
    const decoder = new MetricBatchDecoder(record.metricsOptions ?? resolveMetricsOptions(), onBatch);
    for (const chunk of record.chunks) decoder.push(chunk);
    decoder.end();
  }
  const out: MetricKeyView[] = [];
  for (const [key, agg] of keys) {
    const series = [...agg.series.values()];
    for (const s of series) trimPoints(s.points);
    out.push({
      key,
      types: [...agg.types].sort(),
      points: agg.points,
      dimensionSets: [...agg.dimensionSets]
        .map(([name, n]) => ({ keys: name === '' ? [] : name.split('\u0000'), points: n }))
        .sort((a, b) => b.points - a.points),
      series,
      seriesCount: agg.seriesCount,
    });
  }
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { keys: out, requests, bytes, partial, points };
}

// --- the events view ---------------------------------------------------------------------------------

/**
 * The events that arrived, as a table (`GET /_dt-ingest/ui/api/events`).
 * @example eventsView(log.list()).columns // ['event.type', 'title']
 */
export interface EventsView {
  /** Attribute names, the most frequent first. */
  columns: string[];
  /** Newest first. */
  rows: { request: number; at: number; route: string; cells: Record<string, string> }[];
  /** Events in all in the bodies read (more than listed past `eventRows`). */
  total: number;
  /** Older requests were left out (over `viewBytes`, or without a kept body). */
  partial: boolean;
}

function cell(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length <= INSPECTOR_LIMITS.cellChars ? text : text.slice(0, INSPECTOR_LIMITS.cellChars - 1) + '…';
}

/**
 * The events view: the events of the newest accepted event and Smartscape requests, one row each,
 * a column per attribute.
 * @example const view = eventsView(log.list());
 */
export function eventsView(records: readonly RequestRecord[]): EventsView {
  const rows: EventsView['rows'] = [];
  const frequency = new Map<string, number>();
  // the columns the rows' endpoints name first, then the most frequent
  const leading = new Map<string, number>();
  let total = 0;
  let bytes = 0;
  let partial = false;
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  for (let r = records.length - 1; r >= 0; r--) {
    const record = records[r]!;
    const s = record.summary;
    const inspector = endpointById(s.route)?.inspector;
    if (inspector?.view !== 'events' || s.status >= 300) continue;
    if (record.chunks === undefined || bytes + s.bytes > INSPECTOR_LIMITS.viewBytes) {
      partial = true;
      continue;
    }
    bytes += s.bytes;
    const value = parseJsonText(decoder.decode(joinChunks(record.chunks)));
    if (value === undefined) continue;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      total++;
      if (rows.length >= INSPECTOR_LIMITS.eventRows || typeof item !== 'object' || item === null || Array.isArray(item)) continue;
      const cells: Record<string, string> = Object.create(null) as Record<string, string>;
      for (const key of Object.keys(item)) {
        cells[key] = cell((item as Record<string, unknown>)[key]);
        frequency.set(key, (frequency.get(key) ?? 0) + 1);
        const at = inspector.columns.indexOf(key);
        if (at >= 0 && !leading.has(key)) leading.set(key, at);
      }
      rows.push({ request: s.id, at: s.at, route: s.route, cells });
    }
  }
  const columns = [...frequency]
    .sort((a, b) => (leading.get(a[0]) ?? Infinity) - (leading.get(b[0]) ?? Infinity) || b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, INSPECTOR_LIMITS.eventColumns)
    .map(([k]) => k);
  return { columns, rows, total, partial };
}

// --- body search -------------------------------------------------------------------------------------

/** Whether `needle` occurs in the chunks (also across a chunk boundary). */
function contains(chunks: readonly Uint8Array[], needle: Buffer): boolean {
  let prev: Uint8Array | undefined;
  for (const c of chunks) {
    const buf = Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    if (buf.indexOf(needle) >= 0) return true;
    if (prev !== undefined && needle.length > 1) {
      const k = needle.length - 1;
      const seam = Buffer.concat([prev.subarray(Math.max(0, prev.length - k)), c.subarray(0, k)]);
      if (seam.indexOf(needle) >= 0) return true;
    }
    prev = c;
  }
  return false;
}

/**
 * Ids of the listed requests whose kept body contains `text` (exact bytes), newest first.
 * @example search(log.list(), 'cpu.temp') // [12, 9]
 */
export function searchBodies(records: readonly RequestRecord[], text: string): number[] {
  const out: number[] = [];
  if (text === '') return out;
  const needle = Buffer.from(text, 'utf8');
  for (let r = records.length - 1; r >= 0 && out.length < INSPECTOR_LIMITS.searchResults; r--) {
    const record = records[r]!;
    if (record.chunks !== undefined && contains(record.chunks, needle)) out.push(record.summary.id);
  }
  return out;
}
