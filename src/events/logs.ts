/**
 * Log ingest v2: `POST /api/v2/logs/ingest` (docs/spec/logs-ingest.md).
 *
 * Three body forms, chosen by the media type (*docs*): `application/json` (one record object or an
 * array of them), JSON lines (`application/jsonl`, `application/x-ndjson`, ...: one record object per
 * line) and `text/plain` (one record whose content is the body, or one per line with the option
 * `logsTextPlainLines`). Each record is judged on its own: a record that is not an object (or a JSON
 * line that does not parse) is dropped and the others ingested, answered 200 with the endpoint's
 * `SuccessEnvelope` (*docs*: "Only a part of input events were ingested due to event invalidity");
 * when no record is valid the answer is 400 (*decided*). What the endpoint repairs or drops after
 * accepting (old or future timestamps, long values, too many attributes) is a warning.
 *
 * @module
 */
import { LineSplitter, type LineSink } from '../scan/lines.js';
import type { BodyInput } from './common.js';
import { isRawBody, isResult, readInput } from './common.js';
import type { BodyIssue, LogsSuccessEnvelope, LogsValidationResult, RequestFailure } from './envelopes.js';
import { IssueCollector, errorEnvelope, parentPointer, requestFailure } from './envelopes.js';
import { eventTimestampMillis } from './generic.js';
import type { PathSegment } from './json.js';
import { firstInvalidUtf8, lineColumn, readJsonBody, utf8Length } from './json.js';
import { locateJsonPointers } from './json-locate.js';
import type { EventsOptions, EventsSettings, ResolvedEventsOptions } from './options.js';
import { LOG_KEYS, LOG_LEVEL_INITIALS, LOG_MEDIA_TYPES, callerNow, eventsSettings } from './options.js';
import { parseRfc3339 } from './patterns.js';
import { EVENT_RULES, formatEventTemplate } from './rules.js';

/** How a log body is read: one JSON document, JSON lines, or plain text. */
export type LogsBodyKind = 'json' | 'jsonLines' | 'text';

/**
 * The body kind of a `Content-Type` (parameters such as `charset` ignored, case-insensitive), or
 * `undefined` for a media type the endpoint does not take.
 * @example logsBodyKind('application/json; charset=utf-8') // 'json'
 * @example logsBodyKind('application/x-ndjson') // 'jsonLines'
 */
export function logsBodyKind(contentType: string | undefined): LogsBodyKind | undefined {
  if (contentType === undefined) return 'json';
  const semi = contentType.indexOf(';');
  const type = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  if (type === '' || LOG_MEDIA_TYPES.json.includes(type)) return 'json';
  if (LOG_MEDIA_TYPES.jsonLines.includes(type)) return 'jsonLines';
  if (LOG_MEDIA_TYPES.text.includes(type)) return 'text';
  return undefined;
}

const MS_PER_HOUR = 3_600_000;
const SPECIAL_TIMESTAMP = 0;
const SPECIAL_LEVEL = 1;
const SPECIAL_CONTENT = 2;
/** Lower-case special key → kind × 64 + its place in the kind's list (the first present wins). */
const SPECIAL_KEYS: ReadonlyMap<string, number> = /* @__PURE__ */ (() => {
  const m = new Map<string, number>();
  const lists = [LOG_KEYS.timestamp, LOG_KEYS.level, LOG_KEYS.content];
  for (let kind = 0; kind < lists.length; kind++) {
    const list = lists[kind]!;
    for (let i = 0; i < list.length; i++) m.set(list[i]!, kind * 64 + i);
  }
  return m;
})();

/** Code of a special key, or -1; lower-cases only keys with an ASCII capital (the common key is lower case already). */
function specialKey(key: string): number {
  const hit = SPECIAL_KEYS.get(key);
  if (hit !== undefined) return hit;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 65 && c <= 90) return SPECIAL_KEYS.get(key.toLowerCase()) ?? -1;
  }
  return -1;
}

const MONTHS = 'janfebmaraprmayjunjulaugsepoctnovdec';

/** True for an RFC 3164 timestamp (`Mmm dd hh:mm:ss`, day space-padded or not): no year, so no age is judged (*decided*). */
function isRfc3164(t: string): boolean {
  if (t.length < 14 || t.length > 15) return false;
  const month = MONTHS.indexOf(t.slice(0, 3).toLowerCase());
  if (month < 0 || month % 3 !== 0 || t.charCodeAt(3) !== 32) return false;
  const rest = t.length === 15 ? t.slice(4) : ` ${t.slice(4)}`;
  const d0 = rest.charCodeAt(0);
  const d1 = rest.charCodeAt(1);
  if (!((d0 === 32 || (d0 >= 48 && d0 <= 51)) && d1 >= 48 && d1 <= 57) || rest.charCodeAt(2) !== 32) return false;
  for (const at of [3, 4, 6, 7, 9, 10]) {
    const c = rest.charCodeAt(at);
    if (c < 48 || c > 57) return false;
  }
  return rest.charCodeAt(5) === 58 && rest.charCodeAt(8) === 58;
}

/** True when the level value maps to a known loglevel (*docs*: by its first letter, or `trace`/`verbose`). */
function isKnownLevel(v: unknown): boolean {
  if (typeof v !== 'string' || v.length === 0) return false;
  const first = v.charAt(0).toLowerCase();
  if (LOG_LEVEL_INITIALS.includes(first)) return true;
  const lower = v.slice(0, 7).toLowerCase();
  return lower.startsWith('trace') || lower.startsWith('verbose');
}

/** UTF-8 length of a string, counted only when its UTF-16 length cannot decide against `max`. */
function bytesOver(s: string, max: number): number {
  if (s.length * 3 <= max) return 0;
  const n = utf8Length(s);
  return n > max ? n : 0;
}

/** The state of one validation, shared by the record checks. */
interface LogsRun {
  readonly s: EventsSettings;
  readonly c: IssueCollector;
  /** Lower end of the age window (NaN until a timestamp needs the clock). */
  oldest: number;
  /** Upper end before a timestamp is replaced. */
  newest: number;
  /** Records with an error (dropped). */
  invalid: number;
  /** Attribute leaves counted in the current record. */
  leaves: number;
}

/** Reads the clock for the windows, once, when the first timestamp needs it. */
function window(run: LogsRun, now: number): void {
  const t = Number.isNaN(now) ? Date.now() : now;
  run.oldest = t - run.s.logsMaxAgeMs;
  run.newest = t + run.s.logsFutureToleranceMs;
}

/**
 * Counts the attribute leaves of one value and reports long keys and values, nested objects past the
 * level limit, and arrays with too many values. Recursion stops at the level limit (deeper levels are
 * not ingested), so a deep body cannot exhaust the stack.
 */
function checkValue(run: LogsRun, v: unknown, path: PathSegment[], keyBytes: number, level: number): void {
  const s = run.s;
  if (keyBytes > s.logsMaxAttributeKeyBytes)
    run.c.add(EVENT_RULES.LOG_ATTRIBUTE_KEY_TOO_LONG, path.slice(), undefined, { n: keyBytes, max: s.logsMaxAttributeKeyBytes });
  if (typeof v === 'string') {
    run.leaves++;
    const n = bytesOver(v, s.logsMaxAttributeValueBytes);
    if (n > 0) run.c.add(EVENT_RULES.LOG_ATTRIBUTE_VALUE_TOO_LONG, path.slice(), v, { n, max: s.logsMaxAttributeValueBytes });
    return;
  }
  if (typeof v !== 'object' || v === null) {
    run.leaves++;
    return;
  }
  if (Array.isArray(v)) {
    run.leaves++;
    if (v.length > s.logsMaxValuesPerAttribute)
      run.c.add(EVENT_RULES.LOG_TOO_MANY_VALUES, path.slice(), undefined, { n: v.length, max: s.logsMaxValuesPerAttribute });
    for (let i = 0; i < v.length; i++) {
      const item = v[i];
      if (typeof item !== 'string') continue;
      const n = bytesOver(item, s.logsMaxAttributeValueBytes);
      if (n > 0) run.c.add(EVENT_RULES.LOG_ATTRIBUTE_VALUE_TOO_LONG, [...path, i], item, { n, max: s.logsMaxAttributeValueBytes });
    }
    return;
  }
  // a nested object is flattened into `parent.child` attributes (*docs*)
  if (level >= s.logsMaxNestingLevels) {
    run.c.add(EVENT_RULES.LOG_NESTING_TOO_DEEP, path.slice(), undefined, { max: s.logsMaxNestingLevels });
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    path.push(k);
    checkValue(
      run,
      k === '__proto__' ? Object.getOwnPropertyDescriptor(o, k)?.value : o[k],
      path,
      keyBytes + 1 + (k.length * 3 <= 100 ? k.length : utf8Length(k)),
      level + 1,
    );
    path.pop();
  }
}

/** Judges the timestamp value of a record. */
function checkTimestamp(run: LogsRun, now: number, t: unknown, path: PathSegment[]): void {
  let ms = eventTimestampMillis(t);
  // a date-time without an offset is UTC (*docs*: "the default timezone is UTC if it's missing"; the
  // API page's own request model sends `2025-12-17T22:12:31.0000`)
  if (Number.isNaN(ms) && typeof t === 'string' && t.charCodeAt(4) === 45) ms = parseRfc3339(`${t}Z`);
  if (Number.isNaN(ms)) {
    if (typeof t === 'string' && isRfc3164(t)) return;
    run.c.add(EVENT_RULES.LOG_TIMESTAMP_INVALID, path, t);
    return;
  }
  if (Number.isNaN(run.oldest)) window(run, now);
  const s = run.s;
  if (ms < run.oldest) run.c.add(EVENT_RULES.LOG_TIMESTAMP_OLD, path, t, { max: s.logsMaxAgeMs / MS_PER_HOUR });
  else if (ms > run.newest) {
    const ahead = ms - (run.newest - s.logsFutureToleranceMs);
    const name = s.logsFutureClampToTolerance ? `the current time plus ${s.logsFutureToleranceMs} ms` : 'the current time';
    run.c.add(EVENT_RULES.LOG_TIMESTAMP_FUTURE, path, t, { n: Math.round(ahead), max: s.logsFutureToleranceMs, name });
  }
}

/** Judges one record at index `i` (`-1`: the body is this one record). */
function checkRecord(run: LogsRun, now: number, rec: unknown, i: number): void {
  const c = run.c;
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
    c.add(EVENT_RULES.LOG_NOT_OBJECT, i < 0 ? [] : [i], rec, { hint: i < 0 ? ' (the body must be an object or an array of objects)' : '' });
    run.invalid++;
    return;
  }
  const o = rec as Record<string, unknown>;
  // the first key of each special list present wins (keys compared case-insensitively, *docs*)
  let ts = -1;
  let tsKey = '';
  let lv = -1;
  let lvKey = '';
  let ct = -1;
  let ctKey = '';
  let keys = 0;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    keys++;
    const code = specialKey(k);
    if (code < 0) continue;
    const kind = code >> 6;
    const rank = code & 63;
    if (kind === SPECIAL_TIMESTAMP) {
      if (ts < 0 || rank < ts) [ts, tsKey] = [rank, k];
    } else if (kind === SPECIAL_LEVEL) {
      if (lv < 0 || rank < lv) [lv, lvKey] = [rank, k];
    } else if (kind === SPECIAL_CONTENT && (ct < 0 || rank < ct)) [ct, ctKey] = [rank, k];
  }
  const at = (k: string): PathSegment[] => (i < 0 ? [k] : [i, k]);
  if (ts >= 0) checkTimestamp(run, now, o[tsKey], at(tsKey));
  if (lv >= 0 && !isKnownLevel(o[lvKey])) c.add(EVENT_RULES.LOG_SEVERITY_UNKNOWN, at(lvKey), o[lvKey], { name: lvKey });
  const s = run.s;
  if (ct < 0) c.add(EVENT_RULES.LOG_CONTENT_MISSING, i < 0 ? [] : [i], undefined, { name: LOG_KEYS.content.join(', ') });
  else {
    const content = o[ctKey];
    const n = typeof content === 'string' ? bytesOver(content, s.logsMaxContentBytes) : 0;
    if (n > 0) c.add(EVENT_RULES.LOG_CONTENT_TOO_LONG, at(ctKey), content, { n, max: s.logsMaxContentBytes });
  }
  // the other keys are attributes; the common record (a few flat keys, short values) is judged here
  run.leaves = 0;
  if (keys > 0) {
    const path: PathSegment[] = i < 0 ? [] : [i];
    for (const k in o) {
      if (!Object.hasOwn(o, k) || k === tsKey || k === lvKey || k === ctKey) continue;
      path.push(k);
      checkValue(run, k === '__proto__' ? Object.getOwnPropertyDescriptor(o, k)?.value : o[k], path, k.length * 3 <= 100 ? k.length : utf8Length(k), 1);
      path.pop();
    }
  }
  if (run.leaves > s.logsMaxAttributes) c.add(EVENT_RULES.LOG_TOO_MANY_ATTRIBUTES, i < 0 ? [] : [i], undefined, { n: run.leaves, max: s.logsMaxAttributes });
}

/** The 413 of a body with more records than `logsMaxRecords`. */
function tooManyRecords(n: number, max: number): RequestFailure {
  const rule = EVENT_RULES.LOGS_TOO_MANY_RECORDS;
  const message = formatEventTemplate(rule.endpoint, { n, max });
  const issue: BodyIssue = { rule: rule.id, severity: 'error', message: formatEventTemplate(rule.report, { n, max }), pointer: '', endpointMessage: message };
  return { ok: false, status: 413, body: { error: { code: 413, message } }, issues: [issue] };
}

const decoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = /* @__PURE__ */ new TextEncoder();

/** Size and UTF-8 of a raw text body, judged as the JSON bodies' are: the bytes, or the request's answer. */
function readBytes(input: string | Uint8Array | ArrayBuffer, maxBytes: number, allowBom: boolean): Uint8Array | RequestFailure {
  let bytes = typeof input === 'string' ? undefined : input instanceof ArrayBuffer ? new Uint8Array(input) : input;
  if (bytes === undefined) {
    const text = input as string;
    if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes)) {
      return requestFailure({ ok: false, status: 413, bytes: utf8Length(text), max: maxBytes });
    }
    bytes = encoder.encode(text);
  } else {
    if (bytes.byteLength > maxBytes) return requestFailure({ ok: false, status: 413, bytes: bytes.byteLength, max: maxBytes });
    try {
      decoder.decode(bytes);
    } catch {
      const offset = Math.max(firstInvalidUtf8(bytes), 0);
      const prefix = decoder.decode(bytes.subarray(0, offset));
      const lc = lineColumn(prefix, prefix.length);
      return requestFailure({
        ok: false,
        status: 400,
        kind: 'utf8',
        reason: 'invalid UTF-8',
        line: lc.line,
        column: lc.column,
        offset: prefix.length,
        text: prefix,
      });
    }
  }
  if (allowBom && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  return bytes;
}

/** True for a line of JSON whitespace only (RFC 8259: space, tab, CR): a JSON lines body may hold such lines between records (*docs* example). */
function isJsonWhitespace(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b !== 32 && b !== 9 && b !== 13) return false;
  }
  return true;
}

/** One record of a line-oriented body: its line number and text. */
interface LineRecord {
  line: number;
  text: string;
}

/** Collects the non-blank lines of a body (at most `max + 1`: past the record limit the answer is 413). */
class RecordLines implements LineSink {
  readonly records: LineRecord[] = [];
  count = 0;
  constructor(private readonly max: number) {}
  line(buf: Uint8Array, start: number, end: number, lineNumber: number): void {
    if (isJsonWhitespace(buf, start, end)) return;
    this.count++;
    if (this.records.length > this.max) return;
    let e = end;
    if (e > start && buf[e - 1] === 13) e--;
    this.records.push({ line: lineNumber, text: decoder.decode(buf.subarray(start, e)) });
  }
  tooLong(lineNumber: number): void {
    // not reached: the splitter's carry limit is the body limit
    this.count++;
    this.records.push({ line: lineNumber, text: '' });
  }
}

/** The non-blank lines of a body, through the one line splitter (`scan/lines.ts`). */
function splitRecords(bytes: Uint8Array, maxRecords: number): RecordLines {
  const sink = new RecordLines(maxRecords);
  const splitter = new LineSplitter(sink, bytes.length + 1);
  splitter.push(bytes);
  splitter.end();
  return sink;
}

/** Positions of the issues: JSON Pointers located in the text (JSON), or in each record's line. */
function placeIssues(issues: BodyIssue[], text: string | undefined, lines: readonly LineRecord[] | undefined, kind: LogsBodyKind): void {
  if (lines === undefined) {
    if (text === undefined) return;
    const wanted = new Set<string>();
    for (const issue of issues) if (issue.line === undefined) wanted.add(issue.pointer).add(parentPointer(issue.pointer));
    const found = locateJsonPointers(text, wanted);
    for (const issue of issues) {
      const at = found.get(issue.pointer) ?? found.get(parentPointer(issue.pointer));
      if (at !== undefined && issue.line === undefined) [issue.line, issue.column] = [at.line, at.column];
    }
    return;
  }
  // line-oriented: the first pointer segment is the record's index
  const perRecord = new Map<number, Set<string>>();
  const rest = (pointer: string): [number, string] => {
    const slash = pointer.indexOf('/', 1);
    return [Number(slash < 0 ? pointer.slice(1) : pointer.slice(1, slash)), slash < 0 ? '' : pointer.slice(slash)];
  };
  for (const issue of issues) {
    if (issue.pointer === '' || issue.line !== undefined) continue;
    const [r, p] = rest(issue.pointer);
    let set = perRecord.get(r);
    if (set === undefined) perRecord.set(r, (set = new Set()));
    set.add(p);
  }
  const found = new Map<number, ReturnType<typeof locateJsonPointers>>();
  for (const [r, set] of perRecord) {
    const rec = lines[r];
    if (rec !== undefined && kind === 'jsonLines') found.set(r, locateJsonPointers(rec.text, set));
  }
  for (const issue of issues) {
    if (issue.pointer === '' || issue.line !== undefined) continue;
    const [r, p] = rest(issue.pointer);
    const rec = lines[r];
    if (rec === undefined) continue;
    const at = found.get(r)?.get(p);
    issue.line = rec.line;
    issue.column = at === undefined || at.line !== 1 ? 1 : at.column;
  }
}

/** The answer once every record was judged. */
function answer(run: LogsRun, total: number, text: string | undefined, lines: readonly LineRecord[] | undefined, kind: LogsBodyKind): LogsValidationResult {
  const c = run.c;
  const issues = c.issues ?? [];
  if (issues.length > 0) placeIssues(issues, text, lines, kind);
  if (run.invalid === 0) return { ok: true, status: 204, body: null, issues };
  if (run.invalid >= total) return { ok: false, status: 400, body: errorEnvelope('classic', c, text), issues };
  const values = { n: total - run.invalid, max: total };
  const rule = EVENT_RULES.LOGS_PARTIAL_SUCCESS;
  const message = formatEventTemplate(rule.endpoint, values);
  issues.push({ rule: rule.id, severity: rule.severity, message: formatEventTemplate(rule.report, values), pointer: '', endpointMessage: message });
  const body: LogsSuccessEnvelope = { details: { code: 200, message } };
  return { ok: true, status: 200, body, issues };
}

/**
 * Validates a log ingest body as `POST /api/v2/logs/ingest` judges it. `contentType` picks the form
 * (`application/json` when omitted; see {@link logsBodyKind}); a type the endpoint does not take
 * throws a `TypeError` (the server answers such a request before reading it). `body` is the raw text or
 * bytes, or for `application/json` an already parsed value.
 *
 * Answers 204 (every record ingested), 200 with `{"details":{"code":200,"message":...}}` when some
 * records were dropped, 400 with the `ErrorEnvelope` (malformed JSON, or no valid record), or 413 (past
 * `logsMaxBodyBytes` or `logsMaxRecords`). Issues carry a JSON Pointer whose first segment is the
 * record's index (`/3/severity`), and the line and column of the value.
 * @example validateLogs('[{"content":"hello","severity":"info"}]').status // 204
 * @example validateLogs('hello\nworld', undefined, 'text/plain').status // 204
 */
export function validateLogs(body: BodyInput, options?: EventsOptions | ResolvedEventsOptions, contentType?: string): LogsValidationResult {
  const kind = logsBodyKind(contentType);
  if (kind === undefined) throw new TypeError(`dt-ingest: the log ingest endpoint does not take ${String(contentType)}`);
  const s = eventsSettings(options);
  const now = callerNow(options);
  const run: LogsRun = { s, c: new IssueCollector(s.maxErrors), oldest: Number.NaN, newest: Number.NaN, invalid: 0, leaves: 0 };
  if (kind === 'json' || !isRawBody(body)) {
    const read = readInput(body, s.logsMaxBodyBytes, s, false);
    if (isResult(read)) return read;
    const value = read.value;
    if (!Array.isArray(value)) {
      checkRecord(run, now, value, -1);
      return answer(run, 1, read.text, undefined, 'json');
    }
    if (value.length > s.logsMaxRecords) return tooManyRecords(value.length, s.logsMaxRecords);
    if (value.length === 0) run.c.add(EVENT_RULES.LOGS_EMPTY, [], undefined);
    for (let i = 0; i < value.length; i++) checkRecord(run, now, value[i], i);
    return answer(run, value.length, read.text, undefined, 'json');
  }
  const bytes = readBytes(body as string | Uint8Array | ArrayBuffer, s.logsMaxBodyBytes, s.allowBom);
  if (!(bytes instanceof Uint8Array)) return bytes;
  if (kind === 'text' && !s.logsTextPlainLines) return textRecord(run, bytes);
  const split = splitRecords(bytes, s.logsMaxRecords);
  if (split.count > s.logsMaxRecords) return tooManyRecords(split.count, s.logsMaxRecords);
  const records = split.records;
  if (records.length === 0)
    return requestFailure({ ok: false, status: 400, kind: 'empty', reason: 'empty request body', line: 1, column: 1, offset: 0, text: '' });
  for (let i = 0; i < records.length; i++) {
    const rec = records[i]!;
    if (kind === 'text') {
      const n = bytesOver(rec.text, s.logsMaxContentBytes);
      if (n > 0) run.c.add(EVENT_RULES.LOG_CONTENT_TOO_LONG, [i], rec.text, { n, max: s.logsMaxContentBytes });
      continue;
    }
    // each line read as a body is (the nesting cap included: one hostile line must not stall the read)
    const read = readJsonBody(rec.text, Number.POSITIVE_INFINITY, false, s.maxJsonDepth);
    let value: unknown;
    if (read.ok) value = read.value;
    else {
      const reason = read.status === 400 ? read.reason : 'invalid JSON';
      const column = read.status === 400 ? read.column : 1;
      run.c.add(EVENT_RULES.LOG_LINE_SYNTAX, [i], rec.text, { name: reason, line: rec.line, column });
      const last = run.c.issues?.[run.c.issues.length - 1];
      if (last?.rule === EVENT_RULES.LOG_LINE_SYNTAX.id && last.pointer === `/${i}`) [last.line, last.column] = [rec.line, column];
      run.invalid++;
      continue;
    }
    checkRecord(run, now, value, i);
  }
  return answer(run, records.length, undefined, records, kind);
}

/** A `text/plain` body read whole: one record whose content is the body (*docs*: "limited to a single log event"). */
function textRecord(run: LogsRun, bytes: Uint8Array): LogsValidationResult {
  if (bytes.every((b) => b === 32 || b === 9 || b === 10 || b === 13)) {
    return requestFailure({ ok: false, status: 400, kind: 'empty', reason: 'empty request body', line: 1, column: 1, offset: 0, text: '' });
  }
  const max = run.s.logsMaxContentBytes;
  if (bytes.length > max) run.c.add(EVENT_RULES.LOG_CONTENT_TOO_LONG, [], undefined, { n: bytes.length, max });
  const issues = run.c.issues ?? [];
  for (const issue of issues) [issue.line, issue.column] = [1, 1];
  return { ok: true, status: 204, body: null, issues };
}

/**
 * The records of an accepted log body as the mock keeps them: the JSON records, the objects of a JSON
 * lines body (lines that do not parse left out), or `{content}` per text record. Call after
 * {@link validateLogs} accepted the body (it does not judge again).
 * @example logRecords('a\nb', 'text/plain', { logsTextPlainLines: true }) // [{ content: 'a' }, { content: 'b' }]
 */
export function logRecords(body: string | Uint8Array, contentType?: string, options?: EventsOptions | ResolvedEventsOptions): unknown[] {
  const kind = logsBodyKind(contentType) ?? 'json';
  const s = eventsSettings(options);
  if (kind === 'json') {
    const read = readInput(body, Number.POSITIVE_INFINITY, s, false);
    if (isResult(read)) return [];
    const records = Array.isArray(read.value) ? read.value : [read.value];
    return records.filter((r) => typeof r === 'object' && r !== null && !Array.isArray(r)); // the others were dropped
  }
  const bytes = readBytes(body, Number.POSITIVE_INFINITY, s.allowBom);
  if (!(bytes instanceof Uint8Array)) return [];
  if (kind === 'text' && !s.logsTextPlainLines) return [{ content: decoder.decode(bytes) }];
  const out: unknown[] = [];
  for (const rec of splitRecords(bytes, s.logsMaxRecords).records) {
    if (kind === 'text') out.push({ content: rec.text });
    else {
      const read = readJsonBody(rec.text, Number.POSITIVE_INFINITY, false, s.maxJsonDepth);
      if (read.ok) out.push(read.value); // else a dropped record: not ingested, not kept
    }
  }
  return out;
}
