/**
 * The small grammars of the JSON bodies, as char-code loops (no regular expressions in the validation
 * path): Smartscape ids and types, RFC 3339 date-times, IPv4 and IPv6 addresses, http(s) URLs.
 *
 * @module
 */

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90; // A-Z
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57; // 0-9
}

function isUpperHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70); // 0-9 A-F
}

/** Length of the `[A-Z][A-Z0-9_]*` prefix of `s` starting at 0 (0 when it does not start with A-Z). */
function typePrefix(s: string): number {
  if (s.length === 0 || !isUpper(s.charCodeAt(0))) return 0;
  let i = 1;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(isUpper(c) || isDigit(c) || c === 95)) break; // '_'
  }
  return i;
}

/**
 * `^[A-Z][A-Z0-9_]*$` (Smartscape `type`, seed 000).
 * @example isSmartscapeType('HOST_GROUP') // true
 */
export function isSmartscapeType(s: string): boolean {
  return s.length > 0 && typePrefix(s) === s.length;
}

/**
 * `^[A-Z][A-Z0-9_]*-[0-9A-F]{16}$` (Smartscape `id`, seed 000).
 * @example isSmartscapeId('HOST-0000000000000001') // true
 */
export function isSmartscapeId(s: string): boolean {
  const dash = s.length - 17;
  if (dash < 1 || s.charCodeAt(dash) !== 45) return false; // '-'
  if (typePrefix(s) !== dash) return false;
  for (let i = dash + 1; i < s.length; i++) if (!isUpperHex(s.charCodeAt(i))) return false;
  return true;
}

/** `s[at]` and `s[at + 1]` as a number 0-99, or -1 when either is not a digit. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  // NaN past the end fails every comparison
  if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9)) return -1;
  return a * 10 + b;
}

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MS_PER_DAY = 86_400_000;

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (year 0-9999), in integer arithmetic: the year
 * starts in March so the leap day is last, then whole 400-year eras (146,097 days each).
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = y >= 0 ? (y / 400) | 0 : -1; // y is at least -1 (January or February of year 0)
  const yoe = y - era * 400;
  const doy = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1;
  const doe = yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Epoch milliseconds of an RFC 3339 `date-time`, or `NaN` when `s` is not one (see
 * {@link isRfc3339}): `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, `T` and `Z` in either case, calendar
 * checked, second 60 (a leap second) read as :59. Digits past the milliseconds are checked and
 * dropped (truncated, as `Date.parse` does).
 *
 * Char codes only: no regular expression, no `Date` object, no allocation. The generic events
 * validator calls it once per event that carries a string timestamp.
 * @example parseRfc3339('2024-01-01T01:00:00+01:00') // 1704067200000
 * @example parseRfc3339('2024-02-30T00:00:00Z') // NaN
 */
export function parseRfc3339(s: string): number {
  const n = s.length;
  if (n < 20) return Number.NaN;
  const century = twoDigits(s, 0);
  const yy = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  if ((century | yy) < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Number.NaN; // '-'
  if (month < 1 || month > 12 || day < 1) return Number.NaN;
  const year = century * 100 + yy;
  const leap = (yy === 0 ? century : yy) % 4 === 0; // divisible by 4, and by 400 when by 100
  if (day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month]!)) return Number.NaN;
  const t = s.charCodeAt(10) | 32;
  if (t !== 116) return Number.NaN; // 'T' or 't'
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  let second = twoDigits(s, 17);
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return Number.NaN; // ':'
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return Number.NaN;
  if (second === 60) second = 59; // a leap second is read as the second before it
  let ms = 0;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    // '.'
    i++;
    const start = i;
    for (; i < n; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      // the first three digits are milliseconds; later ones are checked and dropped
      if (i - start < 3) ms = ms * 10 + d;
    }
    const digits = i - start;
    if (digits === 0) return Number.NaN;
    if (digits === 1) ms *= 100;
    else if (digits === 2) ms *= 10;
  }
  const z = s.charCodeAt(i);
  let offset = 0; // minutes east of UTC
  if ((z | 32) === 122) {
    // 'Z' or 'z'
    if (i + 1 !== n) return Number.NaN;
  } else {
    if (z !== 43 && z !== 45) return Number.NaN; // '+' '-'
    if (i + 6 !== n || s.charCodeAt(i + 3) !== 58) return Number.NaN;
    const oh = twoDigits(s, i + 1);
    const om = twoDigits(s, i + 4);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return Number.NaN;
    offset = z === 43 ? oh * 60 + om : -(oh * 60 + om);
  }
  return daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute - offset) * 60 + second) * 1000 + ms;
}

/**
 * RFC 3339 `date-time`: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, `T` and `Z` in either case (the RFC's
 * ABNF is case-insensitive), calendar-checked (leap years), second 60 allowed (leap second).
 * @example isRfc3339('2024-01-01T00:00:00Z') // true
 */
export function isRfc3339(s: string): boolean {
  const ms = parseRfc3339(s);
  return !Number.isNaN(ms);
}

/**
 * Epoch milliseconds of a string that {@link isRfc3339} accepted (leap second folded onto :59), `NaN`
 * for any other string. Same as {@link parseRfc3339}.
 * @example rfc3339ToMillis('2024-01-01T00:00:00Z') // 1704067200000
 */
export function rfc3339ToMillis(s: string): number {
  return parseRfc3339(s);
}

/** Parses a decimal octet `0`-`255` without leading zeros in `s[from, to)`; -1 when invalid. */
function octet(s: string, from: number, to: number): number {
  const n = to - from;
  if (n < 1 || n > 3) return -1;
  if (n > 1 && s.charCodeAt(from) === 48) return -1; // leading zero
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - 48);
  }
  return v <= 255 ? v : -1;
}

function isIPv4Range(s: string, from: number, to: number): boolean {
  let start = from;
  let parts = 0;
  for (let i = from; i <= to; i++) {
    if (i === to || s.charCodeAt(i) === 46) {
      if (octet(s, start, i) < 0) return false;
      parts++;
      start = i + 1;
    }
  }
  return parts === 4;
}

/**
 * Dotted-quad IPv4, four decimal octets 0-255 without leading zeros.
 * @example isIPv4('10.0.0.1') // true
 */
export function isIPv4(s: string): boolean {
  return s.length >= 7 && s.length <= 15 && isIPv4Range(s, 0, s.length);
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * IPv6 text form (RFC 4291 §2.2): eight groups of 1-4 hex digits, one `::` for a run of zero groups,
 * an optional dotted IPv4 tail; no zone id.
 * @example isIPv6('2001:db8::1') // true
 */
export function isIPv6(s: string): boolean {
  const n = s.length;
  if (n < 2 || n > 45) return false;
  let groups = 0;
  let compressed = false;
  let i = 0;
  if (s.charCodeAt(0) === 58) {
    // leading ':' must be '::'
    if (s.charCodeAt(1) !== 58) return false;
    compressed = true;
    i = 2;
    if (i === n) return true; // '::'
  }
  for (;;) {
    // one group (or an IPv4 tail) starts at i
    let j = i;
    while (j < n && isHex(s.charCodeAt(j))) j++;
    if (j < n && s.charCodeAt(j) === 46) {
      // '.': the IPv4 tail takes two groups and ends the address
      if (!isIPv4Range(s, i, n)) return false;
      groups += 2;
      break;
    }
    const len = j - i;
    if (len < 1 || len > 4) return false;
    groups++;
    if (j === n) break;
    if (s.charCodeAt(j) !== 58) return false;
    if (s.charCodeAt(j + 1) === 58) {
      if (compressed) return false;
      compressed = true;
      i = j + 2;
      if (i === n) break;
    } else {
      i = j + 1;
      if (i === n) return false; // trailing single ':'
    }
  }
  return compressed ? groups < 8 : groups === 8;
}

/**
 * An absolute `http:` or `https:` URL with a host (what `favicon` and `configUrl` describe).
 * @example isHttpUrl('https://example.com/x.png') // true
 */
export function isHttpUrl(s: string): boolean {
  let rest: number;
  if (s.startsWith('https://')) rest = 8;
  else if (s.startsWith('http://')) rest = 7;
  else return false;
  if (rest >= s.length) return false;
  const c = s.charCodeAt(rest);
  if (c === 47 || c === 63 || c === 35) return false; // '/', '?', '#': no host
  for (let i = rest; i < s.length; i++) {
    const d = s.charCodeAt(i);
    if (d <= 32 || d === 127) return false; // control characters and spaces
  }
  return true;
}
