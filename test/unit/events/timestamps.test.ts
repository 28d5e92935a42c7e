/**
 * RFC 3339 / ISO 8601 timestamps read with char codes (issue 15): the parser must accept exactly
 * the strings the previous implementation accepted (a char-code grammar check, then `Date.parse`),
 * with the same epoch milliseconds. The previous implementation is kept here, verbatim in behaviour,
 * as the oracle; strings come from fast-check arbitraries only, so a failure shrinks and replays.
 *
 * Then the generic events validator: its one-pass fast path must report exactly what a plain
 * per-event reading of the rules reports, on bodies built around every boundary of the window.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { EVENTS_CONSTANTS, eventTimestampMillis, isRfc3339, parseRfc3339, rfc3339ToMillis, validateEvents } from '../../../src/events/index.js';

// ---------------------------------------------------------------------------------------------------
// The previous implementation (dt-ingest before issue 15), the oracle.

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
function twoDigitsBefore(s: string, at: number): number {
  const a = s.charCodeAt(at);
  const b = s.charCodeAt(at + 1);
  if (!isDigit(a) || !isDigit(b)) return -1;
  return (a - 48) * 10 + (b - 48);
}
const DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function isRfc3339Before(s: string): boolean {
  if (s.length < 20) return false;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return false;
    year = year * 10 + (c - 48);
  }
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const month = twoDigitsBefore(s, 5);
  const day = twoDigitsBefore(s, 8);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && !leap ? 28 : DAYS[month]!)) return false;
  const t = s.charCodeAt(10);
  if (t !== 84 && t !== 116) return false;
  const hour = twoDigitsBefore(s, 11);
  const minute = twoDigitsBefore(s, 14);
  const second = twoDigitsBefore(s, 17);
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    i++;
    const start = i;
    while (isDigit(s.charCodeAt(i))) i++;
    if (i === start) return false;
  }
  const z = s.charCodeAt(i);
  if (z === 90 || z === 122) return i + 1 === s.length;
  if (z !== 43 && z !== 45) return false;
  if (i + 6 !== s.length || s.charCodeAt(i + 3) !== 58) return false;
  const oh = twoDigitsBefore(s, i + 1);
  const om = twoDigitsBefore(s, i + 4);
  return oh >= 0 && oh <= 23 && om >= 0 && om <= 59;
}
function millisBefore(s: string): number {
  if (!isRfc3339Before(s)) return Number.NaN;
  const fixed = s.charCodeAt(17) === 54 && s.charCodeAt(18) === 48 ? s.slice(0, 17) + '59' + s.slice(19) : s;
  return Date.parse(fixed);
}
/**
 * The value the previous implementation meant: Date.parse with the fraction cut to 9 digits. V8 reads
 * a fraction of 10 or more digits with leading zeros wrongly (`.0009000000` → 9 ms, not 0: it keeps
 * 9 significant digits after the zeros but divides by the digit count); digits past the milliseconds
 * are dropped anyway, so cutting them changes no correct value. The accepted set is compared on the
 * unchanged previous implementation.
 */
function millisMeant(s: string): number {
  if (!isRfc3339Before(s) || s.charCodeAt(19) !== 46) return millisBefore(s);
  let end = 20;
  while (end < s.length && isDigit(s.charCodeAt(end))) end++;
  return millisBefore(end - 20 > 9 ? s.slice(0, 29) + s.slice(end) : s);
}
function eventTimestampMillisBefore(t: unknown): number {
  if (typeof t === 'number') {
    if (!(t > 0) || !Number.isFinite(t)) return Number.NaN;
    if (t <= 1e11) return t * 1000;
    if (t <= 1e14) return t;
    if (t <= 1e16) return t / 1000;
    return Number.NaN;
  }
  if (typeof t === 'string') {
    let digits = t.length > 0;
    let dot = false;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 46 && !dot && i > 0 && i < t.length - 1) dot = true;
      else if (c < 48 || c > 57) {
        digits = false;
        break;
      }
    }
    if (digits) {
      const n = Number(t);
      if (!(n > 0)) return Number.NaN;
      if (n <= 1e11) return n * 1000;
      if (n <= 1e14) return n;
      return Number.NaN;
    }
    return millisBefore(t);
  }
  return Number.NaN;
}

// ---------------------------------------------------------------------------------------------------
// Arbitraries: well-formed strings around every field's range, then single-character mutations of
// them (replace, insert, delete, cut), then strings over the grammar's own alphabet.

const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const fraction = fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 12 }), { nil: undefined });
const zone = fc.oneof(
  fc.constantFrom('Z', 'z'),
  fc
    .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }))
    .map(([sign, h, m]) => `${sign}${pad(h, 2)}:${pad(m, 2)}`),
);
const wellFormed = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1, 4, 100, 400, 1900, 1970, 2000, 2024, 2100, 9999)),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.oneof(fc.integer({ min: 0, max: 32 }), fc.constantFrom(28, 29, 30, 31)),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    t: fc.constantFrom('T', 't', 'T', ' '),
    fraction,
    zone,
  })
  .map(
    (r) =>
      `${pad(r.year, 4)}-${pad(r.month, 2)}-${pad(r.day, 2)}${r.t}${pad(r.hour, 2)}:${pad(r.minute, 2)}:${pad(r.second, 2)}${r.fraction === undefined ? '' : '.' + r.fraction}${r.zone}`,
  );
const validInstants = fc
  // 0000-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z: the four-digit years
  .date({ min: new Date(-62_167_219_200_000), max: new Date(253_402_300_799_999), noInvalidDate: true })
  .map((d) => d.toISOString());
const alphabet = fc.constantFrom(...'0123456789', '-', ':', '.', 'T', 't', 'Z', 'z', '+', ' ', 'x', '/', '\u0000', '\u0660', '\uff10', '\u{1d7ce}');
const mutated = fc
  .tuple(fc.oneof(wellFormed, validInstants), fc.nat(), fc.constantFrom('replace', 'insert', 'delete', 'cut'), alphabet)
  .map(([s, at, op, ch]) => {
    const i = at % (s.length + 1);
    if (op === 'replace') return s.slice(0, i) + ch + s.slice(i + 1);
    if (op === 'insert') return s.slice(0, i) + ch + s.slice(i);
    if (op === 'delete') return s.slice(0, i) + s.slice(i + 1);
    return s.slice(0, i);
  });
const overAlphabet = fc.string({ unit: alphabet, minLength: 18, maxLength: 40 });
const anyTimestampText = fc.oneof(wellFormed, validInstants, mutated, overAlphabet, fc.string({ maxLength: 30 }));

describe('parseRfc3339: the same accepted set and values as before (Date.parse)', () => {
  test('examples: forms, calendar, leap second, offsets, fractions', () => {
    const cases = [
      '2024-01-01T00:00:00Z',
      '2024-01-01t00:00:00z',
      '2024-02-29T12:30:45.5+01:00',
      '2023-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2000-02-29T00:00:00Z',
      '0000-02-29T00:00:00Z',
      '0000-01-01T00:00:00+23:59',
      '9999-12-31T23:59:59.999-23:59',
      '2016-12-31T23:59:60Z',
      '2024-01-01T00:00:00.123456789Z',
      '2024-01-01T00:00:00.1234567890123Z',
      '2024-01-01T00:00:00.Z',
      '2024-01-01T24:00:00Z',
      '2024-01-01T00:00:00+24:00',
      '2024-01-01 00:00:00Z',
      '2024-01-01T00:00:00',
      '2024-1-01T00:00:00Z',
    ];
    for (const s of cases) {
      expect(Object.is(parseRfc3339(s), millisBefore(s)), s).toBe(true);
      expect(isRfc3339(s), s).toBe(isRfc3339Before(s));
    }
    // where Date.parse was wrong (V8), the digits past the milliseconds are dropped, not misread
    expect(Date.parse('2024-01-01T00:00:00.0009000000Z') - Date.UTC(2024, 0, 1)).toBe(9);
    expect(parseRfc3339('2024-01-01T00:00:00.0009000000Z') - Date.UTC(2024, 0, 1)).toBe(0);
    expect(parseRfc3339('2024-01-01T01:00:00+01:00')).toBe(Date.UTC(2024, 0, 1));
    expect(parseRfc3339('2016-12-31T23:59:60.250Z')).toBe(Date.UTC(2016, 11, 31, 23, 59, 59, 250));
    expect(rfc3339ToMillis('2024-02-30T00:00:00Z')).toBeNaN();
  });
  test('generated strings: same verdict and the same milliseconds', () => {
    fc.assert(
      fc.property(anyTimestampText, (s) => {
        const meant = millisMeant(s);
        expect(Object.is(parseRfc3339(s), meant), `${JSON.stringify(s)}: ${parseRfc3339(s)} vs ${meant}`).toBe(true);
        expect(isRfc3339(s)).toBe(isRfc3339Before(s));
        expect(Number.isNaN(parseRfc3339(s))).toBe(Number.isNaN(millisBefore(s)));
      }),
      { numRuns: 20_000 },
    );
  });
  test('every valid instant of years 0000-9999 round-trips through toISOString', () => {
    fc.assert(
      fc.property(validInstants, (s) => {
        expect(parseRfc3339(s)).toBe(Date.parse(s));
      }),
      { numRuns: 5_000 },
    );
  });
  test('eventTimestampMillis: unchanged for numbers and strings of every kind', () => {
    const value = fc.oneof(
      anyTimestampText,
      fc.string({ unit: fc.constantFrom(...'0123456789.'), maxLength: 20 }),
      fc.double(),
      fc.constantFrom(0, -1, 1e11, 1e11 + 1, 1e14, 1e14 + 1, 1e16, 1e16 + 2, Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY),
      fc.constantFrom(null, undefined, true, {}, []),
    );
    fc.assert(
      fc.property(value, (t) => {
        const before = typeof t === 'string' && isRfc3339Before(t) ? millisMeant(t) : eventTimestampMillisBefore(t);
        expect(Object.is(eventTimestampMillis(t), before)).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// The generic validator's fast path against the rules read one event at a time.

const NOW = Date.UTC(2024, 0, 1);
const MAX_AGE = 86_400_000;

/** What the rules say about one generic body, written from docs/spec/event-bodies.md directly. */
function expectedIssues(body: unknown, now: number): { rule: string; pointer: string }[] {
  const out: { rule: string; pointer: string }[] = [];
  const one = (ev: unknown, prefix: string): void => {
    if (typeof ev !== 'object' || ev === null || Array.isArray(ev)) {
      out.push({ rule: 'event-not-object', pointer: prefix });
      return;
    }
    const t = (ev as Record<string, unknown>).timestamp;
    if (t === undefined || t === null) return;
    const ms = typeof t === 'string' && isRfc3339Before(t) ? millisMeant(t) : eventTimestampMillisBefore(t);
    if (Number.isNaN(ms)) out.push({ rule: 'event-timestamp-invalid', pointer: `${prefix}/timestamp` });
    else if (ms < now - MAX_AGE) out.push({ rule: 'event-timestamp-old', pointer: `${prefix}/timestamp` });
  };
  if (Array.isArray(body)) {
    if (body.length === 0) out.push({ rule: 'events-empty', pointer: '' });
    body.forEach((ev, i) => void one(ev, `/${i}`));
  } else one(body, '');
  return out;
}

const oldest = NOW - MAX_AGE;
const boundary = fc.constantFrom(
  oldest,
  oldest - 1,
  oldest - 0.5,
  oldest + 0.5,
  oldest + 1,
  oldest + 1.5,
  EVENTS_CONSTANTS.secondsBelow,
  EVENTS_CONSTANTS.secondsBelow + 1,
  EVENTS_CONSTANTS.millisBelow,
  EVENTS_CONSTANTS.millisBelow - 1,
  EVENTS_CONSTANTS.millisBelow - 0.5,
  EVENTS_CONSTANTS.millisBelow + 1,
  EVENTS_CONSTANTS.microsBelow,
  oldest / 1000,
  oldest * 1000,
  NOW,
  0,
  -NOW,
);
const timestamp = fc.oneof(
  boundary,
  fc.double({ min: oldest - 10, max: oldest + 10, noNaN: true }),
  fc.integer({ min: oldest - 3_600_000, max: NOW + 3_600_000 }),
  fc.integer({ min: oldest - 3_600_000, max: NOW + 3_600_000 }).map((ms) => new Date(ms).toISOString()),
  fc.integer({ min: oldest - 10_000, max: oldest + 10_000 }).map((ms) => new Date(ms).toISOString().replace('Z', '+00:00')),
  anyTimestampText,
  fc.constantFrom(null, true, '', '1700000000', '1700000000000.5', {}),
);
const event = fc.oneof(
  { weight: 8, arbitrary: fc.record({ title: fc.string({ maxLength: 5 }), timestamp }, { requiredKeys: ['title'] }) },
  { weight: 1, arbitrary: fc.constantFrom(1, 'x', null, [], [{ timestamp: NOW }]) },
);
const body = fc.oneof({ weight: 6, arbitrary: fc.array(event, { maxLength: 12 }) }, { weight: 1, arbitrary: event });

describe('validateEvents: the one-pass fast path reports what the rules say, event by event', () => {
  test('generated bodies around every boundary (parsed and as text)', () => {
    fc.assert(
      fc.property(body, (b) => {
        const want = expectedIssues(b, NOW);
        // a JS string is always request text, so a string body is only sent as text
        for (const input of typeof b === 'string' ? [JSON.stringify(b)] : [b, JSON.stringify(b)]) {
          const r = validateEvents(input, { now: NOW });
          expect(r.issues.map((i) => ({ rule: i.rule, pointer: i.pointer }))).toEqual(want);
          expect(r.status).toBe(want.some((w) => w.rule === 'event-not-object') ? 400 : 202);
        }
      }),
      { numRuns: 3_000 },
    );
  });
  test('long runs of numeric, absent and string timestamps, switching at odd and even places', () => {
    // the fast path walks numeric runs two events a turn and other runs one at a time: runs of
    // odd and even lengths with an event to report at each end of a run
    const kinds: ((i: number) => unknown)[] = [
      (i) => ({ title: `n${i}`, timestamp: NOW - i }),
      (i) => ({ title: `a${i}` }),
      (i) => ({ title: `s${i}`, timestamp: new Date(NOW - i).toISOString() }),
      (i) => ({ title: `z${i}`, timestamp: null }),
    ];
    const odd: ((i: number) => unknown)[] = [(i) => ({ timestamp: oldest - 1 - i }), (i) => ({ timestamp: `bad${i}` }), () => 7, () => ['x']];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(3), fc.integer({ min: 1, max: 9 }), fc.option(fc.nat(3), { nil: undefined })), { maxLength: 12 }), (runs) => {
        const b: unknown[] = [];
        for (const [kind, len, extra] of runs) {
          for (let k = 0; k < len; k++) b.push(kinds[kind]!(b.length));
          if (extra !== undefined) b.push(odd[extra]!(b.length));
        }
        const r = validateEvents(b, { now: NOW, maxErrors: 1e6 });
        expect(r.issues.map((i) => ({ rule: i.rule, pointer: i.pointer }))).toEqual(expectedIssues(b, NOW));
      }),
      { numRuns: 500 },
    );
  });
  test('without now, the clock is read only when a timestamp needs it, and it is today', () => {
    expect(validateEvents([{ timestamp: Date.now() }, { timestamp: new Date().toISOString() }]).issues).toEqual([]);
    expect(validateEvents([{ title: 'no timestamp' }]).issues).toEqual([]);
    const old = validateEvents([{ timestamp: Date.now() - 2 * MAX_AGE }]);
    expect(old.issues.map((i) => i.rule)).toEqual(['event-timestamp-old']);
  });
  test('a now before 1973 (windows below 1e11) is still judged exactly', () => {
    const now = 50_000_000_000;
    const r = validateEvents([{ timestamp: now }, { timestamp: now / 1000 }, { timestamp: 1 }], { now });
    expect(r.issues.map((i) => ({ rule: i.rule, pointer: i.pointer }))).toEqual(
      expectedIssues([{ timestamp: now }, { timestamp: now / 1000 }, { timestamp: 1 }], now),
    );
  });
});
