/**
 * The counts of an endpoint's answer read from its bytes, without `JSON.parse`: a proxy that passes
 * an accepted answer on as it is needs only to know that it is a `ValidationResponse` (spec §4), and a
 * 202 to a 1 MB exporter body carries ~50 KB of warnings that parsing would turn into objects only to
 * drop them.
 *
 * The scan is strict: it says yes only for bytes that `JSON.parse` reads as an object whose top-level
 * `linesOk` (or `linesValid`) and `linesInvalid` are plain non-negative integers; for anything else
 * (a syntax error, an escaped key, a count written as `1e3`, `"7"` or `null`, nesting deeper than
 * {@link MAX_DEPTH}) it answers `undefined` and the caller parses, so it never reads an answer
 * differently from `readIngestResponse`.
 *
 * @module
 */

/** The counts of a `ValidationResponse`. */
export interface AnswerCounts {
  linesOk: number;
  linesInvalid: number;
}

// JSON's structural bytes (RFC 8259 §2)
const QUOTE = 0x22; // '"'
const BACKSLASH = 0x5c; // '\'
const COMMA = 0x2c; // ','
const COLON = 0x3a; // ':'
const LBRACE = 0x7b; // '{'
const RBRACE = 0x7d; // '}'
const LBRACKET = 0x5b; // '['
const RBRACKET = 0x5d; // ']'
const MINUS = 0x2d; // '-'
const PLUS = 0x2b; // '+'
const DOT = 0x2e; // '.'
const ZERO = 0x30; // '0'
const NINE = 0x39; // '9'
const LOWER_E = 0x65; // 'e'
const UPPER_E = 0x45; // 'E'
const LOWER_U = 0x75; // 'u'

/** Containers nested deeper than this are left to `JSON.parse` (the open ones are bits of one integer). */
const MAX_DEPTH = 30;
/** Counts longer than this are left to `JSON.parse` (its rounding of huge numbers). */
const MAX_DIGITS = 15;

/** 1 for the bytes that may follow a backslash in a string, `u` aside (RFC 8259 §7). */
const ESCAPES = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256);
  for (const c of '"\\/bfnrt') t[c.charCodeAt(0)] = 1;
  return t;
})();

/** 1 for hex digits. */
const HEX = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256);
  for (const c of '0123456789abcdefABCDEF') t[c.charCodeAt(0)] = 1;
  return t;
})();

/** The top-level keys the scan reads (`linesValid`: older answers). */
const KEYS = /* @__PURE__ */ (() => ['linesOk', 'linesValid', 'linesInvalid'].map((k) => Uint8Array.from(k, (c) => c.charCodeAt(0))))();
const KEY_OK = 0;
const KEY_VALID = 1;
const KEY_INVALID = 2;
/** A key the scan does not read. */
const KEY_OTHER = -1;
/** A key with an escape: its text is `JSON.parse`'s to decide. */
const KEY_ESCAPED = -2;

/**
 * `linesOk` and `linesInvalid` of an answer that is a JSON object carrying both as plain integers
 * (`linesValid` for `linesOk` when that is absent, as `readIngestResponse` reads them);
 * `undefined` when the bytes are anything else, or when only `JSON.parse` can tell.
 * @example scanAnswerCounts(Buffer.from('{"linesOk":3,"linesInvalid":0,"error":null}')) // { linesOk: 3, linesInvalid: 0 }
 */
export function scanAnswerCounts(b: Uint8Array): AnswerCounts | undefined {
  let i = skipSpace(b, 0);
  if (b[i] !== LBRACE) return undefined;
  // JSON.parse keeps the last of duplicate keys: so does the scan
  let ok = -1;
  let valid = -1;
  let invalid = -1;
  i = skipSpace(b, i + 1);
  if (b[i] === RBRACE) return undefined; // `{}` has no counts
  for (;;) {
    if (b[i] !== QUOTE) return undefined;
    const end = skipString(b, i);
    if (end < 0) return undefined;
    const key = keyOf(b, i + 1, end - 1);
    if (key === KEY_ESCAPED) return undefined;
    i = skipSpace(b, end);
    if (b[i] !== COLON) return undefined;
    i = skipSpace(b, i + 1);
    const from = i;
    i = skipValue(b, i);
    if (i < 0) return undefined;
    if (key !== KEY_OTHER) {
      const n = plainInteger(b, from, i);
      if (n < 0) return undefined;
      if (key === KEY_OK) ok = n;
      else if (key === KEY_VALID) valid = n;
      else if (key === KEY_INVALID) invalid = n;
    }
    i = skipSpace(b, i);
    if (b[i] === COMMA) {
      i = skipSpace(b, i + 1);
      continue;
    }
    if (b[i] !== RBRACE) return undefined;
    break;
  }
  if (skipSpace(b, i + 1) !== b.length) return undefined;
  const linesOk = ok >= 0 ? ok : valid;
  if (linesOk < 0 || invalid < 0) return undefined;
  return { linesOk, linesInvalid: invalid };
}

/** The index after the JSON whitespace from `i` on (space, tab, LF, CR). */
function skipSpace(b: Uint8Array, i: number): number {
  while (i < b.length) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** The index after the string that opens at `i` (a quote), or -1 when it is not a valid JSON string. */
function skipString(b: Uint8Array, i: number): number {
  const n = b.length;
  for (let j = i + 1; j < n; j++) {
    const c = b[j]!;
    if (c === QUOTE) return j + 1;
    // RFC 8259 §7: control characters are escaped, never raw
    if (c < 0x20) return -1;
    if (c !== BACKSLASH) continue;
    const e = b[++j];
    if (e === undefined) return -1;
    if (e === LOWER_U) {
      if (j + 4 >= n || HEX[b[j + 1]!] === 0 || HEX[b[j + 2]!] === 0 || HEX[b[j + 3]!] === 0 || HEX[b[j + 4]!] === 0) return -1;
      j += 4;
    } else if (ESCAPES[e] === 0) return -1;
  }
  return -1;
}

/** Which of {@link KEYS} the key bytes `[from, to)` are, {@link KEY_OTHER}, or {@link KEY_ESCAPED}. */
function keyOf(b: Uint8Array, from: number, to: number): number {
  for (let j = from; j < to; j++) if (b[j] === BACKSLASH) return KEY_ESCAPED;
  for (let k = 0; k < KEYS.length; k++) {
    const word = KEYS[k]!;
    if (word.length !== to - from) continue;
    let j = 0;
    while (j < word.length && b[from + j] === word[j]) j++;
    if (j === word.length) return k;
  }
  return KEY_OTHER;
}

/** The value of the bytes `[from, to)` when they are a plain integer (`0`, `[1-9][0-9]*`, at most {@link MAX_DIGITS} digits); else -1. */
function plainInteger(b: Uint8Array, from: number, to: number): number {
  if (to - from < 1 || to - from > MAX_DIGITS || (b[from] === ZERO && to - from > 1)) return -1;
  let n = 0;
  for (let j = from; j < to; j++) {
    const d = b[j]! - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** The index after the number at `i` (RFC 8259 §6), or -1. */
function skipNumber(b: Uint8Array, i: number): number {
  if (b[i] === MINUS) i++;
  if (b[i] === ZERO) i++;
  else if (isDigit(b[i])) while (isDigit(b[i])) i++;
  else return -1;
  if (b[i] === DOT) {
    i++;
    if (!isDigit(b[i])) return -1;
    while (isDigit(b[i])) i++;
  }
  if (b[i] === LOWER_E || b[i] === UPPER_E) {
    i++;
    if (b[i] === PLUS || b[i] === MINUS) i++;
    if (!isDigit(b[i])) return -1;
    while (isDigit(b[i])) i++;
  }
  return i;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= ZERO && c <= NINE;
}

/** The index after the literal `word` at `i`, or -1. */
function skipWord(b: Uint8Array, i: number, word: string): number {
  for (let j = 0; j < word.length; j++) if (b[i + j] !== word.charCodeAt(j)) return -1;
  return i + word.length;
}

/** The index after one scalar value at `i` (string, number, `true`, `false`, `null`), or -1. */
function skipScalar(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i);
  if (c === 0x74) return skipWord(b, i, 'true');
  if (c === 0x66) return skipWord(b, i, 'false');
  if (c === 0x6e) return skipWord(b, i, 'null');
  return skipNumber(b, i);
}

/**
 * The index after the member key and colon at `i` (an object's next member), or -1.
 */
function skipKey(b: Uint8Array, i: number): number {
  if (b[i] !== QUOTE) return -1;
  i = skipString(b, i);
  if (i < 0) return -1;
  i = skipSpace(b, i);
  return b[i] === COLON ? skipSpace(b, i + 1) : -1;
}

/**
 * The index after the JSON value at `i`, or -1 when it is not one. Iterative: the open containers
 * are the bits of `objects` (1: an object, 0: an array), the innermost lowest.
 */
function skipValue(b: Uint8Array, i: number): number {
  let depth = 0;
  let objects = 0;
  for (;;) {
    // a value starts at i
    const c = b[i];
    if (c === LBRACE || c === LBRACKET) {
      if (depth === MAX_DEPTH) return -1;
      depth++;
      objects = objects * 2 + (c === LBRACE ? 1 : 0);
      i = skipSpace(b, i + 1);
      if (b[i] === (c === LBRACE ? RBRACE : RBRACKET)) {
        depth--;
        objects = Math.floor(objects / 2);
        i++;
      } else {
        if (c === LBRACE) i = skipKey(b, i);
        if (i < 0) return -1;
        continue;
      }
    } else {
      i = skipScalar(b, i);
      if (i < 0) return -1;
    }
    // after a value: close containers until a comma opens the next value
    for (;;) {
      if (depth === 0) return i;
      i = skipSpace(b, i);
      const inObject = objects % 2 === 1;
      if (b[i] === COMMA) {
        i = skipSpace(b, i + 1);
        if (inObject) i = skipKey(b, i);
        if (i < 0) return -1;
        break;
      }
      if (b[i] !== (inObject ? RBRACE : RBRACKET)) return -1;
      depth--;
      objects = Math.floor(objects / 2);
      i++;
    }
  }
}
