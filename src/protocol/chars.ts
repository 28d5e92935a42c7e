/**
 * Character classes of the metrics line protocol as one 256-entry table of bit flags, so the hot
 * loops test a byte with one load and one AND instead of chains of comparisons.
 *
 * @module
 */

/**
 * The class bits of {@link CHAR_CLASS}. A `const enum`: the bundler writes the numbers into the hot
 * loops (a module constant would become a variable that the optimizing compiler loads on every
 * byte), while the source reads as names.
 */
export const enum CharClass {
  /** A-Z a-z. */
  ALPHA = 1,
  /** 0-9. */
  DIGIT = 2,
  /** Metric key body: A-Z a-z 0-9 - _ (spec §2 "Metric key"). */
  METRIC_KEY = 4,
  /** Dimension key body: a-z 0-9 - _ : (spec §2 "Dimensions"; uppercase is invalid, *server* 2020). */
  DIM_KEY = 8,
  /** Start of a dimension key section: a-z _ . */
  DIM_KEY_START = 16,
  /** Bytes a bare dimension value scan must stop at: space , = " \ controls, and every byte >= 0x80. */
  BARE_STOP = 32,
  /** Bytes a quoted dimension value scan must stop at: " \ controls, and every byte >= 0x80. */
  QUOTED_STOP = 64,
  /** Control characters: 0x00-0x1F and 0x7F (invalid in values, *decided*). */
  CONTROL = 128,
}

/** {@link CharClass.ALPHA} as a plain number (for the native header and callers). */
export const C_ALPHA: number = CharClass.ALPHA;
/** {@link CharClass.DIGIT}. */
export const C_DIGIT: number = CharClass.DIGIT;
/** {@link CharClass.METRIC_KEY}. */
export const C_METRIC_KEY: number = CharClass.METRIC_KEY;
/** {@link CharClass.DIM_KEY}. */
export const C_DIM_KEY: number = CharClass.DIM_KEY;
/** {@link CharClass.DIM_KEY_START}. */
export const C_DIM_KEY_START: number = CharClass.DIM_KEY_START;
/** {@link CharClass.BARE_STOP}. */
export const C_BARE_STOP: number = CharClass.BARE_STOP;
/** {@link CharClass.CONTROL}. */
export const C_CONTROL: number = CharClass.CONTROL;
/** {@link CharClass.QUOTED_STOP}. */
export const C_QUOTED_STOP: number = CharClass.QUOTED_STOP;

/**
 * The table: `CHAR_CLASS[byte] & C_...`. 8 bits per entry (a Uint8Array loads measurably faster
 * than a Uint16Array in the skip loops); the hot loops skip runs of plain characters with one load
 * and one AND per byte (uDSV, undici) and handle the rest in a few branches.
 */
export const CHAR_CLASS: Uint8Array = /* @__PURE__ */ buildTable();

/** Metadata unit characters, 1 or 0 per byte: A-Z a-z 0-9 % [ ] { } / _ (spec §5, *lib*). */
export const UNIT_CHAR: Uint8Array = /* @__PURE__ */ buildUnitTable();

function buildUnitTable(): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    const alnum = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (alnum || c === 37 /* % */ || c === 91 /* [ */ || c === 93 /* ] */ || c === 123 /* { */ || c === 125 /* } */ || c === 47 /* / */ || c === 95 /* _ */)
      t[c] = 1;
  }
  return t;
}

function buildTable(): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    let f = 0;
    const upper = c >= 65 && c <= 90; // A-Z
    const lower = c >= 97 && c <= 122; // a-z
    const digit = c >= 48 && c <= 57; // 0-9
    if (upper || lower) f |= C_ALPHA;
    if (digit) f |= C_DIGIT;
    if (upper || lower || digit || c === 45 /* - */ || c === 95 /* _ */) f |= C_METRIC_KEY;
    if (lower || digit || c === 45 /* - */ || c === 95 /* _ */ || c === 58 /* : */) f |= C_DIM_KEY;
    if (lower || c === 95 /* _ */) f |= C_DIM_KEY_START;
    if (c < 32 || c === 127) f |= C_CONTROL;
    // space , = " \ and controls and non-ASCII: everything a bare value cannot simply copy
    if (c === 32 || c === 44 || c === 61 || c === 34 || c === 92 || c < 32 || c === 127 || c >= 128) f |= C_BARE_STOP;
    if (c === 34 || c === 92 || c < 32 || c === 127 || c >= 128) f |= C_QUOTED_STOP;
    t[c] = f;
  }
  return t;
}

/**
 * The bytes the grammar names, so code reads as the grammar. A `const enum` for the same reason as
 * {@link CharClass}.
 */
export const enum Byte {
  /** Line feed: ends a line. */
  LF = 10,
  /** Carriage return (ignored before LF by default). */
  CR = 13,
  /** Space: the separator of key, payload and timestamp. */
  SPACE = 32,
  /** Double quote: opens and closes a quoted value. */
  QUOTE = 34,
  /** `#`: starts a metadata line. */
  HASH = 35,
  /** `+`: an exponent's sign. */
  PLUS = 43,
  /** Comma: separates dimensions and payload fields. */
  COMMA = 44,
  /** Minus sign. */
  MINUS = 45,
  /** Dot: separates key sections. */
  DOT = 46,
  /** `0`: digits are `ZERO` to `ZERO + 9`. */
  ZERO = 48,
  /** Equals sign: separates a dimension key from its value. */
  EQUALS = 61,
  /** `A`, the first uppercase letter (metadata property names compare case-insensitively). */
  UPPER_A = 65,
  /** `E`: an exponent. */
  UPPER_E = 69,
  /** `Z`. */
  UPPER_Z = 90,
  /** Backslash: the escape character. */
  BACKSLASH = 92,
  /** Underscore. */
  UNDERSCORE = 95,
  /** `a`. */
  LOWER_A = 97,
  /** `e`: an exponent. */
  LOWER_E = 101,
  /** `i`: an Influx integer field's suffix. */
  LOWER_I = 105,
  /** `n`: `\n` in a metadata value. */
  LOWER_N = 110,
  /** `u`: an Influx unsigned field's suffix. */
  LOWER_U = 117,
  /** `{`: opens a Prometheus label set. */
  OPEN_BRACE = 123,
  /** `}`: closes a Prometheus label set. */
  CLOSE_BRACE = 125,
}

/** {@link Byte.LF} as a plain number (for the native header and callers); the same for those below. */
export const LF: number = Byte.LF;
/** {@link Byte.CR}. */
export const CR: number = Byte.CR;
/** {@link Byte.SPACE}. */
export const SPACE: number = Byte.SPACE;
/** {@link Byte.QUOTE}. */
export const QUOTE: number = Byte.QUOTE;
/** {@link Byte.HASH}. */
export const HASH: number = Byte.HASH;
/** {@link Byte.COMMA}. */
export const COMMA: number = Byte.COMMA;
/** {@link Byte.MINUS}. */
export const MINUS: number = Byte.MINUS;
/** {@link Byte.DOT}. */
export const DOT: number = Byte.DOT;
/** {@link Byte.EQUALS}. */
export const EQUALS: number = Byte.EQUALS;
/** {@link Byte.BACKSLASH}. */
export const BACKSLASH: number = Byte.BACKSLASH;
/** {@link Byte.UNDERSCORE}. */
export const UNDERSCORE: number = Byte.UNDERSCORE;

/**
 * Length of the valid UTF-8 sequence starting at `i` (2, 3 or 4), or 0 when the bytes there are not
 * well-formed UTF-8 (overlong forms, surrogates, code points above U+10FFFF, truncated sequences).
 * Only called for bytes >= 0x80, which are rare in metric lines.
 */
export function utf8SequenceLength(buf: Uint8Array, i: number, end: number): number {
  const b0 = buf[i]!;
  if (b0 < 0xc2) return 0; // continuation byte or overlong 2-byte lead
  if (b0 < 0xe0) {
    return i + 1 < end && (buf[i + 1]! & 0xc0) === 0x80 ? 2 : 0;
  }
  if (b0 < 0xf0) {
    if (i + 2 >= end) return 0;
    const b1 = buf[i + 1]!;
    if ((b1 & 0xc0) !== 0x80 || (buf[i + 2]! & 0xc0) !== 0x80) return 0;
    if (b0 === 0xe0 && b1 < 0xa0) return 0; // overlong
    if (b0 === 0xed && b1 > 0x9f) return 0; // UTF-16 surrogate halves
    return 3;
  }
  if (b0 < 0xf5) {
    if (i + 3 >= end) return 0;
    const b1 = buf[i + 1]!;
    if ((b1 & 0xc0) !== 0x80 || (buf[i + 2]! & 0xc0) !== 0x80 || (buf[i + 3]! & 0xc0) !== 0x80) return 0;
    if (b0 === 0xf0 && b1 < 0x90) return 0; // overlong
    if (b0 === 0xf4 && b1 > 0x8f) return 0; // above U+10FFFF
    return 4;
  }
  return 0;
}

/**
 * Number of UTF-16 code units the bytes `[start, end)` decode to, counting each byte of a malformed
 * sequence as one unit (as a replacing decoder would). Used for line lengths and columns, which the
 * server counts in Java characters.
 */
export function utf16Length(buf: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    // count every byte that is not a continuation byte; a 4-byte lead stands for a surrogate pair
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}
