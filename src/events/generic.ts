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
import { finish, isResult, readInput } from './common.js';
import type { BodyValidationResult, PlatformErrorEnvelope } from './envelopes.js';
import { IssueCollector } from './envelopes.js';
import type { EventsOptions, ResolvedEventsOptions } from './options.js';
import { EVENTS_CONSTANTS, resolveEventsOptions } from './options.js';
import { isRfc3339, rfc3339ToMillis } from './patterns.js';
import { EVENT_RULES } from './rules.js';

/**
 * Epoch milliseconds of a generic event timestamp, or `NaN` when the platform would not understand it
 * (*docs*: numbers up to 1e11 are seconds, up to 1e14 milliseconds, up to 1e16 microseconds; strings
 * are epoch seconds or milliseconds as decimal digits, or RFC 3339).
 * @example eventTimestampMillis(1700000000) // 1700000000000
 */
export function eventTimestampMillis(t: unknown): number {
  if (typeof t === 'number') {
    if (!(t > 0) || !Number.isFinite(t)) return Number.NaN;
    if (t <= EVENTS_CONSTANTS.secondsBelow) return t * 1000;
    if (t <= EVENTS_CONSTANTS.millisBelow) return t;
    if (t <= EVENTS_CONSTANTS.microsBelow) return t / 1000;
    return Number.NaN;
  }
  if (typeof t === 'string') {
    // Decimal digits with an optional fraction: epoch seconds or milliseconds (*decided*: no sign, no exponent).
    let digits = t.length > 0;
    let dot = false;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 46 && !dot && i > 0 && i < t.length - 1) dot = true; // '.'
      else if (c < 48 || c > 57) {
        digits = false;
        break;
      }
    }
    if (digits) {
      const n = Number(t);
      if (!(n > 0)) return Number.NaN;
      if (n <= EVENTS_CONSTANTS.secondsBelow) return n * 1000;
      if (n <= EVENTS_CONSTANTS.millisBelow) return n;
      return Number.NaN;
    }
    return isRfc3339(t) ? rfc3339ToMillis(t) : Number.NaN;
  }
  return Number.NaN;
}

function checkEvent(c: IssueCollector, o: ResolvedEventsOptions, oldest: number, ev: unknown, i: number): void {
  if (typeof ev !== 'object' || ev === null || Array.isArray(ev)) {
    c.add(EVENT_RULES.EVENT_NOT_OBJECT, i < 0 ? [] : [i], ev, { hint: i < 0 ? ' (the body must be an object or an array of objects)' : '' });
    return;
  }
  const t = (ev as Record<string, unknown>).timestamp;
  if (t === undefined || t === null) return;
  // Fast path: epoch milliseconds, the common form.
  if (typeof t === 'number' && t > EVENTS_CONSTANTS.secondsBelow && t <= EVENTS_CONSTANTS.millisBelow && t >= oldest) return;
  const ms = eventTimestampMillis(t);
  if (Number.isNaN(ms)) c.add(EVENT_RULES.EVENT_TIMESTAMP_INVALID, i < 0 ? ['timestamp'] : [i, 'timestamp'], t);
  else if (ms < oldest) c.add(EVENT_RULES.EVENT_TIMESTAMP_OLD, i < 0 ? ['timestamp'] : [i, 'timestamp'], t, { max: o.eventMaxAgeMs / 3_600_000 });
}

/**
 * Validates a generic events body as `POST /platform/ingest/v1/events` judges it. `body` is the raw
 * text or bytes (size limit and JSON syntax judged too) or an already parsed value (not copied).
 * Answers 202 with no body, 400 with the platform `ErrorResponseEnvelope`, or 413.
 * @example validateEvents('[{"event.type":"CUSTOM_INFO","title":"hi"}]').status // 202
 */
export function validateEvents(body: BodyInput, options?: EventsOptions | ResolvedEventsOptions): BodyValidationResult<PlatformErrorEnvelope | null> {
  const o = resolveEventsOptions(options);
  const read = readInput(body, o.eventsMaxBodyBytes, o.allowBom, 'platform', false);
  if (isResult(read)) return read as BodyValidationResult<PlatformErrorEnvelope | null>;
  const value = read.value;
  const c = new IssueCollector(o.maxErrors);
  // Read once: the resolved options object is frozen and may be in dictionary mode.
  const oldest = o.now - o.eventMaxAgeMs;
  if (Array.isArray(value)) {
    if (value.length === 0) c.add(EVENT_RULES.EVENTS_EMPTY, [], undefined);
    for (let i = 0; i < value.length; i++) {
      checkEvent(c, o, oldest, value[i], i);
      if (c.errors > 0 && c.full) break;
    }
  } else {
    checkEvent(c, o, oldest, value, -1);
  }
  return finish(c, 'platform', read.text, 202, null) as BodyValidationResult<PlatformErrorEnvelope | null>;
}
