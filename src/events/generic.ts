/**
 * Generic events: `POST /platform/ingest/v1/events` (seed 001).
 *
 * Body: one JSON object or an array of objects, any keys, any values (*docs*). An array item that is
 * not an object, or a top-level scalar, is a 400 and one invalid event rejects the whole request
 * (*decided*). An empty array is a 202 that ingests nothing (a warning). A bad or old `timestamp` is
 * not rejected by the platform (it is replaced by the ingest time, or the event is dropped after
 * acceptance, *docs*), so those are warnings only.
 *
 * @module
 */
import type { BodyInput } from './common.js';
import { finish, isRawBody, isResult, readInput } from './common.js';
import type { PlatformValidationResult } from './envelopes.js';
import { IssueCollector } from './envelopes.js';
import type { EventsOptions, EventsSettings, ResolvedEventsOptions } from './options.js';
import { EPOCH_MICROS_BELOW, EPOCH_MILLIS_BELOW, EPOCH_SECONDS_BELOW, callerNow, eventsSettings } from './options.js';
import { parseRfc3339 } from './patterns.js';
import { EVENT_RULES } from './rules.js';

// The magnitudes as plain constants, so the per-event comparisons read no object.
const SECONDS_BELOW = EPOCH_SECONDS_BELOW;
const MILLIS_BELOW = EPOCH_MILLIS_BELOW;
const MICROS_BELOW = EPOCH_MICROS_BELOW;
const MS_PER_HOUR = 3_600_000;

/** Epoch milliseconds of a string timestamp, or `NaN` (see {@link eventTimestampMillis}). */
function stringTimestampMillis(t: string): number {
  // '-' at index 4 only in an RFC 3339 date (`YYYY-`): skip the digit scan
  if (t.charCodeAt(4) === 45) return parseRfc3339(t);
  // Decimal digits with an optional fraction: epoch seconds or milliseconds (*decided*: no sign, no exponent).
  const n = t.length;
  if (n === 0) return Number.NaN;
  let dot = false;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c === 46 && !dot && i > 0 && i < n - 1)
      dot = true; // '.'
    else if (c < 48 || c > 57) return Number.NaN; // neither digits nor RFC 3339
  }
  const v = Number(t);
  if (!(v > 0)) return Number.NaN;
  if (v <= SECONDS_BELOW) return v * 1000;
  if (v <= MILLIS_BELOW) return v;
  return Number.NaN;
}

/**
 * Epoch milliseconds of a generic event timestamp, or `NaN` when the platform would not understand it
 * (*docs*: numbers up to 1e11 are seconds, up to 1e14 milliseconds, up to 1e16 microseconds; strings
 * are epoch seconds or milliseconds as decimal digits, or RFC 3339).
 * @example eventTimestampMillis(1700000000) // 1700000000000
 * @example eventTimestampMillis('2023-11-14T22:13:20Z') // 1700000000000
 */
export function eventTimestampMillis(t: unknown): number {
  if (typeof t === 'number') {
    if (!(t > 0) || !Number.isFinite(t)) return Number.NaN;
    if (t <= SECONDS_BELOW) return t * 1000;
    if (t <= MILLIS_BELOW) return t;
    if (t <= MICROS_BELOW) return t / 1000;
    return Number.NaN;
  }
  if (typeof t === 'string') return stringTimestampMillis(t);
  return Number.NaN;
}

/** Reports what is wrong with one event (the slow path: only events that have something to say get here). */
function checkEvent(c: IssueCollector, s: EventsSettings, oldest: number, ev: unknown, i: number): void {
  if (typeof ev !== 'object' || ev === null || Array.isArray(ev)) {
    c.add(EVENT_RULES.EVENT_NOT_OBJECT, i < 0 ? [] : [i], ev, { hint: i < 0 ? ' (the body must be an object or an array of objects)' : '' });
    return;
  }
  const t = (ev as Record<string, unknown>).timestamp;
  if (t === undefined || t === null) return;
  const ms = eventTimestampMillis(t);
  if (Number.isNaN(ms)) c.add(EVENT_RULES.EVENT_TIMESTAMP_INVALID, i < 0 ? ['timestamp'] : [i, 'timestamp'], t);
  else if (ms < oldest) c.add(EVENT_RULES.EVENT_TIMESTAMP_OLD, i < 0 ? ['timestamp'] : [i, 'timestamp'], t, { max: s.eventMaxAgeMs / MS_PER_HOUR });
}

/** The answer to a body with nothing to report: 202, no body, no issues (fresh objects: the caller owns them). */
function accepted(): PlatformValidationResult {
  return { ok: true, status: 202, body: null, issues: [] };
}

/**
 * Index of the first event, from `i`, that may have something to report; `events.length` when none
 * has. The common shape (an object whose `timestamp` is absent, or epoch milliseconds inside the
 * window) costs a type test, a property load and one comparison, no call. `lo` is the window's lower
 * end, above 1e11 (so milliseconds, not seconds), or `Infinity` to send every numeric timestamp to
 * the caller. An RFC 3339 string inside the window costs one parse.
 *
 * Runs of numeric timestamps and runs of other ones (absent, null, strings) are walked by two
 * functions of their own, so the `timestamp` load in the numeric loop only meets objects that hold
 * numbers there: a load site that has also met absent or string timestamps (another body earlier in
 * the process) merges the field's representations and boxes every number it reads, measured 2-3x
 * slower on the same body (bench/RESULTS.md, "type feedback"). This loop reads one timestamp per run.
 */
function quietUntil(events: readonly unknown[], i: number, lo: number): number {
  const n = events.length;
  // `lo <= t <= 1e14` as one distance from the middle (one branch per event instead of two), with a
  // margin of 1 ms: the rounding of these doubles is below 0.05 ms at 1e14, so whatever passes is
  // inside the window; a timestamp within 1 ms of either end goes to the caller's exact test.
  const mid = (lo + MILLIS_BELOW) / 2;
  const half = (MILLIS_BELOW - lo) / 2 - 1;
  while (i < n) {
    const ev = events[i];
    if (typeof ev !== 'object' || ev === null || Array.isArray(ev)) return i;
    const t = (ev as Record<string, unknown>).timestamp;
    if (typeof t === 'number') {
      if (!(Math.abs(t - mid) <= half)) return i;
      i = numericRun(events, i + 1, mid, half);
    } else if (t === undefined || t === null || (typeof t === 'string' && stringTimestampMillis(t) >= lo)) {
      i = otherRun(events, i + 1, lo);
    } else {
      return i;
    }
  }
  return n;
}

/**
 * Index of the first event, from `i`, that is not an object with a number inside the window
 * (`|t - mid| <= half`); `events.length` when all are. Its caller looks at that event again.
 */
function numericRun(events: readonly unknown[], i: number, mid: number, half: number): number {
  const n = events.length;
  // Two events a turn while both are objects with epoch milliseconds inside the window (the bulk of
  // a real batch): half the loop's own work, measured about 10 % faster on the bench's 1 MB body.
  for (; i + 1 < n; i += 2) {
    const a = events[i];
    const b = events[i + 1];
    if (typeof a !== 'object' || a === null || Array.isArray(a) || typeof b !== 'object' || b === null || Array.isArray(b)) return i;
    const ta = (a as Record<string, unknown>).timestamp;
    const tb = (b as Record<string, unknown>).timestamp;
    if (typeof ta !== 'number' || typeof tb !== 'number' || !(Math.abs(ta - mid) <= half && Math.abs(tb - mid) <= half)) return i;
  }
  return i; // the odd last event, if any, is its caller's
}

/**
 * Index of the first event, from `i`, that is not an object whose `timestamp` is absent, null or a
 * string at or after `lo`; `events.length` when all are. Its caller looks at that event again.
 */
function otherRun(events: readonly unknown[], i: number, lo: number): number {
  const n = events.length;
  for (; i < n; i++) {
    const ev = events[i];
    if (typeof ev !== 'object' || ev === null || Array.isArray(ev)) return i;
    const t = (ev as Record<string, unknown>).timestamp;
    if (t === undefined || t === null) continue;
    if (typeof t !== 'string' || !(stringTimestampMillis(t) >= lo)) return i;
  }
  return n;
}

/**
 * Validates a generic events body as `POST /platform/ingest/v1/events` judges it. `body` is the raw
 * text or bytes (size limit and JSON syntax judged too) or an already parsed value (not copied).
 * Answers 202 with no body, 400 with the platform `ErrorResponseEnvelope`, or 413.
 *
 * Performance: options are resolved once per options object (see `eventsSettings`), and one pass
 * over the events answers the common body (objects with epoch-millisecond or RFC 3339 timestamps
 * inside the window) without a call per event or an allocation; a body with anything to report is
 * walked again from its first such event to build the issues.
 * @example validateEvents('[{"event.type":"CUSTOM_INFO","title":"hi"}]').status // 202
 */
export function validateEvents(body: BodyInput, options?: EventsOptions | ResolvedEventsOptions): PlatformValidationResult {
  const s = eventsSettings(options);
  const now = callerNow(options);
  let value: unknown = body;
  let text: string | undefined;
  if (isRawBody(body)) {
    const read = readInput(body, s.eventsMaxBodyBytes, s, false);
    if (isResult(read)) return read;
    value = read.value;
    text = read.text;
  }
  // The window's lower end; NaN until a timestamp needs it when the clock is read per call.
  let oldest = now - s.eventMaxAgeMs;
  let from = 0; // first event that may have something to report
  if (Array.isArray(value)) {
    const n = value.length;
    while (from < n) {
      from = quietUntil(value, from, oldest > SECONDS_BELOW ? oldest : Number.POSITIVE_INFINITY);
      if (from === n) return accepted();
      // not the common shape: judge this one event here, then go on
      const ev: unknown = value[from];
      if (typeof ev !== 'object' || ev === null || Array.isArray(ev)) break;
      if (Number.isNaN(oldest)) oldest = Date.now() - s.eventMaxAgeMs; // the first timestamp reads the clock
      if (!(eventTimestampMillis((ev as Record<string, unknown>).timestamp) >= oldest)) break;
      from++;
    }
    if (from === n && n > 0) return accepted();
  } else if (typeof value === 'object' && value !== null) {
    const t = (value as Record<string, unknown>).timestamp;
    if (t === undefined || t === null) return accepted();
    if (Number.isNaN(oldest)) oldest = Date.now() - s.eventMaxAgeMs;
    if (eventTimestampMillis(t) >= oldest) return accepted();
  }
  // Something to report: the issues, from the first event that has any.
  if (Number.isNaN(oldest)) oldest = Date.now() - s.eventMaxAgeMs;
  const c = new IssueCollector(s.maxErrors);
  if (Array.isArray(value)) {
    if (value.length === 0) c.add(EVENT_RULES.EVENTS_EMPTY, [], undefined);
    for (let i = from; i < value.length; i++) {
      checkEvent(c, s, oldest, value[i], i);
      if (c.errors > 0 && c.full) break;
    }
  } else {
    checkEvent(c, s, oldest, value, -1);
  }
  return finish(c, 'platform', text, 202, null);
}
