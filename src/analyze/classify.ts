/**
 * The volatile-value classifier: does a dimension value look like something that changes with every
 * request or every minute (a UUID, a hexadecimal id, an epoch or ISO 8601 timestamp, an IP address, a
 * URL path with an id in it, a long number)? Dynatrace names these "volatile dimensions" and warns
 * that they exhaust the tuple budget (docs/spec/analyze.md §3).
 *
 * It reads bytes, not strings, and runs no regular expression: the hash pass ORs each byte's class
 * bits (the table below) into one mask, and {@link classifyValue} decides from the mask, the length
 * and a few positions; only a value with a `/` is walked again, segment by segment.
 *
 * @module
 */

/** Bits of a byte's class in {@link VALUE_CLASS}. */
export const ValueBits = {
  /** 0-9 */
  DIGIT: 1,
  /** a-f, A-F */
  HEX: 2,
  /** the other ASCII letters */
  ALPHA: 4,
  /** - */
  HYPHEN: 8,
  /** . */
  DOT: 16,
  /** : */
  COLON: 32,
  /** / */
  SLASH: 64,
  /** anything else (space, _, ?, =, &, non-ASCII bytes, ...) */
  OTHER: 128,
} as const;

const { DIGIT, HEX, HYPHEN, DOT, COLON, SLASH } = ValueBits;

/** The class of each byte (one row per 16 codes). */
export const VALUE_CLASS: Uint8Array = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256).fill(ValueBits.OTHER);
  // 0-47: controls, space, punctuation; '-' 45, '.' 46, '/' 47
  t[45] = HYPHEN;
  t[46] = DOT;
  t[47] = SLASH;
  // 48-63 (0-9:;<=>?)
  for (let c = 48; c <= 57; c++) t[c] = DIGIT;
  t[58] = COLON;
  // 64-95 (@A-Z[\]^_): A-F hex, G-Z letters
  for (let c = 65; c <= 90; c++) t[c] = c <= 70 ? HEX : ValueBits.ALPHA;
  // 96-127 (`a-z{|}~DEL): a-f hex, g-z letters
  for (let c = 97; c <= 122; c++) t[c] = c <= 102 ? HEX : ValueBits.ALPHA;
  return t;
})();

/** What a value looks like; the words are `VOLATILE_CLASS_WORDS` (protocol/analyze-rules.ts), by the same index. */
export const VolatileClass = {
  NONE: 0,
  UUID: 1,
  HEX_ID: 2,
  EPOCH: 3,
  ISO_TIME: 4,
  IP: 5,
  URL_ID: 6,
  NUMBER: 7,
} as const;

/** Number of {@link VolatileClass} values. */
export const VOLATILE_CLASSES = 8;

/**
 * Shortest run of hex digits (with at least one decimal digit) taken for an id: 16, a span id's
 * length (trace ids have 32, Mongo ObjectIds 24, SHA-1 40).
 */
const MIN_HEX_ID = 16;
/** Shortest run of decimal digits taken for a numeric id (shorter: status codes, ports, small counts). */
const MIN_NUMBER = 5;
/** Shortest path segment of digits taken for an id in a URL (`/users/42`). */
const MIN_URL_DIGITS = 2;
/** Digits of an epoch timestamp in s, ms, µs and ns (values from 2001 to 2033 start with a 1). */
const EPOCH_LENGTHS = [10, 13, 16, 19];
const UUID_LENGTH = 36;
const UUID_HYPHENS = [8, 13, 18, 23];

const C_HYPHEN = 45;
const C_COLON = 58;
const C_ONE = 49;
const C_T = 84;
const C_SPACE = 32;

/** `buf[at, at + n)` are all decimal digits. */
function digits(buf: Uint8Array, at: number, n: number): boolean {
  for (let i = at; i < at + n; i++) if (VALUE_CLASS[buf[i]!] !== DIGIT) return false;
  return true;
}

/** `YYYY-MM-DD` at `s`, followed by nothing, `T` or a space. */
function isoDate(buf: Uint8Array, s: number, n: number): boolean {
  if (n < 10 || buf[s + 4] !== C_HYPHEN || buf[s + 7] !== C_HYPHEN) return false;
  if (!digits(buf, s, 4) || !digits(buf, s + 5, 2) || !digits(buf, s + 8, 2)) return false;
  return n === 10 || buf[s + 10] === C_T || buf[s + 10] === C_SPACE;
}

/** A dotted quad: four groups of 1-3 digits. */
function ipv4(buf: Uint8Array, s: number, e: number): boolean {
  let groups = 0;
  let run = 0;
  for (let i = s; i < e; i++) {
    if (buf[i] === 46) {
      if (run === 0) return false;
      groups++;
      run = 0;
    } else if (++run > 3) return false;
  }
  return run > 0 && groups === 3;
}

/** An IPv6 address: hex groups and colons, with `::` or at least five colons. */
function ipv6(buf: Uint8Array, s: number, e: number): boolean {
  let colons = 0;
  let double = false;
  for (let i = s; i < e; i++) {
    if (buf[i] === C_COLON) {
      colons++;
      if (i > s && buf[i - 1] === C_COLON) double = true;
    }
  }
  return double ? colons >= 2 : colons >= 5;
}

/** A UUID in its 8-4-4-4-12 form (hex and hyphens only, checked by the caller's mask). */
function uuid(buf: Uint8Array, s: number, n: number): boolean {
  if (n !== UUID_LENGTH) return false;
  for (const at of UUID_HYPHENS) if (buf[s + at] !== C_HYPHEN) return false;
  return true;
}

/** A segment of a URL (between `/ ? & = # ;`) that is an id: digits, a long hex run, or a UUID. */
function urlWithId(buf: Uint8Array, s: number, e: number): boolean {
  let start = s;
  let mask = 0;
  for (let i = s; i <= e; i++) {
    const c = i < e ? buf[i]! : 47;
    if (c === 47 || c === 63 || c === 38 || c === 61 || c === 35 || c === 59) {
      const n = i - start;
      if (n >= MIN_URL_DIGITS && mask === DIGIT) return true;
      if ((mask & ~(DIGIT | HEX)) === 0 && (mask & DIGIT) !== 0 && n >= MIN_HEX_ID) return true;
      if ((mask & ~(DIGIT | HEX | HYPHEN)) === 0 && uuid(buf, start, n)) return true;
      start = i + 1;
      mask = 0;
    } else mask |= VALUE_CLASS[c]!;
  }
  return false;
}

/**
 * The {@link VolatileClass} of the value `buf[s, e)` whose byte classes OR to `mask` (from
 * `hashValue`, or {@link valueMask}).
 * @example classifyValue(bytes, 0, bytes.length, valueMask(bytes, 0, bytes.length)) // VolatileClass.UUID for 'a3bb189e-8bf9-3888-9912-ace4e6543002'
 */
export function classifyValue(buf: Uint8Array, s: number, e: number, mask: number): number {
  const n = e - s;
  if (n === 0) return VolatileClass.NONE;
  // the common case: a word with letters beyond a-f and no slash (host names, status words, regions)
  if ((mask & SLASH) !== 0) return urlWithId(buf, s, e) ? VolatileClass.URL_ID : VolatileClass.NONE;
  if (mask === DIGIT) {
    if (buf[s] === C_ONE && EPOCH_LENGTHS.includes(n)) return VolatileClass.EPOCH;
    return n >= MIN_NUMBER ? VolatileClass.NUMBER : VolatileClass.NONE;
  }
  if ((mask & DIGIT) !== 0 && n >= 10 && buf[s + 4] === C_HYPHEN && isoDate(buf, s, n)) return VolatileClass.ISO_TIME;
  if ((mask & ~(DIGIT | HEX | HYPHEN)) === 0) {
    if ((mask & HYPHEN) !== 0) return uuid(buf, s, n) ? VolatileClass.UUID : VolatileClass.NONE;
    return n >= MIN_HEX_ID && (mask & DIGIT) !== 0 ? VolatileClass.HEX_ID : VolatileClass.NONE;
  }
  if ((mask & ~(DIGIT | DOT)) === 0) return ipv4(buf, s, e) ? VolatileClass.IP : VolatileClass.NONE;
  if ((mask & COLON) !== 0 && (mask & ~(DIGIT | HEX | COLON | DOT)) === 0) return ipv6(buf, s, e) ? VolatileClass.IP : VolatileClass.NONE;
  return VolatileClass.NONE;
}

/**
 * The OR of the byte classes of `buf[s, e)` (what `hashValue` computes in its pass).
 * @example valueMask(new TextEncoder().encode('42'), 0, 2) // ValueBits.DIGIT
 */
export function valueMask(buf: Uint8Array, s: number, e: number): number {
  let mask = 0;
  for (let i = s; i < e; i++) mask |= VALUE_CLASS[buf[i]!]!;
  return mask;
}
