/**
 * Numbers of the line protocol, read straight from bytes.
 *
 * Grammar (spec §2 "Numbers"): optional `-`, digits, optional fraction, optional exponent
 * (`e`/`E`, optional sign). `NaN`, `Infinity`, hex, a leading `+` and `,` as decimal mark are
 * invalid (*decided*). With `allowBareDecimalPoint` one side of the point may be empty (`5.`, `.5`).
 *
 * Most values have at most 15 significant digits and a small exponent; those are computed exactly
 * with one multiplication or division by an exact power of ten (Clinger's fast path: both operands
 * are exact doubles, so the one IEEE operation rounds correctly). Anything else falls back to
 * `Number()` on the token, which allocates a short string: rare, and only for such values.
 *
 * @module
 */
import { Byte } from '../protocol/chars.js';

/**
 * The exact powers of ten 10^0 .. 10^(count-1) (exact as doubles up to 10^22). A function rather than a
 * loop at the top of the module, so that a bundle that never reads numbers can drop the table.
 */
function exactPowersOfTen(count: number): Float64Array {
  const table = new Float64Array(count);
  for (let i = 0, p = 1; i < count; i++, p *= 10) table[i] = p;
  return table;
}

/**
 * Exact powers of ten representable as doubles (10^0 .. 10^22): the one table of every exact number
 * reader (here and the fused pass of `region.ts`).
 */
export const POW10: Float64Array = /* @__PURE__ */ exactPowersOfTen(23);

/** 2^53: mantissas below it are exact doubles. */
const EXACT_LIMIT = 9007199254740992;

/** {@link parseNumberTo}: a finite number was written. */
export const NUMBER_OK = 0;
/** {@link parseNumberTo}: the bytes do not follow the number grammar. */
export const NUMBER_INVALID = 1;
/** {@link parseNumberTo}: the number overflows a double. */
export const NUMBER_NOT_FINITE = 2;

/**
 * Parses `buf[start, end)` as a protocol number into `out[slot]` and returns {@link NUMBER_OK},
 * {@link NUMBER_INVALID} (not the grammar) or {@link NUMBER_NOT_FINITE} (overflows a double).
 * Writing into a Float64Array instead of returning the double keeps the hot path free of
 * heap-number boxes (a double returned from a call that is not inlined is allocated).
 *
 * @example
 * const out = new Float64Array(1);
 * parseNumberTo(new TextEncoder().encode('1.5e3'), 0, 5, true, out, 0); // 0, out[0] === 1500
 */
export function parseNumberTo(buf: Uint8Array, start: number, end: number, allowBareDecimalPoint: boolean, out: Float64Array, slot: number): number {
  const v = parseNumberRaw(buf, start, end, allowBareDecimalPoint, out, slot);
  if (v !== NUMBER_OK) return v;
  const x = out[slot]!;
  return x === Infinity || x === -Infinity ? NUMBER_NOT_FINITE : NUMBER_OK;
}

function parseNumberRaw(buf: Uint8Array, start: number, end: number, allowBareDecimalPoint: boolean, out: Float64Array, slot: number): number {
  let i = start;
  if (i >= end) return NUMBER_INVALID;
  let negative = false;
  if (buf[i] === Byte.MINUS) {
    negative = true;
    i++;
  }
  let mantissa = 0;
  let exponent = 0; // decimal exponent adjustment
  let exact = true;
  let intDigits = 0;
  let c = 0;
  while (i < end && (c = buf[i]! - Byte.ZERO) >= 0 && c <= 9) {
    if (mantissa < 1e15) {
      mantissa = mantissa * 10 + c;
    } else {
      exponent++;
      if (c !== 0) exact = false;
    }
    intDigits++;
    i++;
  }
  let fracDigits = 0;
  if (i < end && buf[i] === Byte.DOT) {
    i++;
    while (i < end && (c = buf[i]! - Byte.ZERO) >= 0 && c <= 9) {
      if (mantissa < 1e15) {
        mantissa = mantissa * 10 + c;
        exponent--;
      } else if (c !== 0) {
        exact = false;
      }
      fracDigits++;
      i++;
    }
    if (intDigits === 0 && fracDigits === 0) return NUMBER_INVALID;
    if (!allowBareDecimalPoint && (intDigits === 0 || fracDigits === 0)) return NUMBER_INVALID;
  } else if (intDigits === 0) {
    return NUMBER_INVALID;
  }
  if (i < end) {
    const e = buf[i];
    if (e !== Byte.LOWER_E && e !== Byte.UPPER_E) return NUMBER_INVALID;
    i++;
    let expNegative = false;
    if (i < end && (buf[i] === Byte.MINUS || buf[i] === Byte.PLUS)) {
      expNegative = buf[i] === Byte.MINUS;
      i++;
    }
    let expValue = 0;
    let expDigits = 0;
    while (i < end && (c = buf[i]! - Byte.ZERO) >= 0 && c <= 9) {
      if (expValue < 100_000) expValue = expValue * 10 + c;
      expDigits++;
      i++;
    }
    if (expDigits === 0 || i < end) return NUMBER_INVALID;
    exponent += expNegative ? -expValue : expValue;
  }
  let value: number;
  if (exact && mantissa < EXACT_LIMIT && exponent >= -22 && exponent <= 22) {
    value = exponent < 0 ? mantissa / POW10[-exponent]! : mantissa * POW10[exponent]!;
  } else if (mantissa === 0 && exact) {
    value = 0;
  } else {
    out[slot] = slowParse(buf, start, end); // sign already in the text
    return NUMBER_OK;
  }
  out[slot] = negative ? -value : value;
  return NUMBER_OK;
}

/** The exact, allocating path: the token is ASCII (the grammar was checked above). */
function slowParse(buf: Uint8Array, start: number, end: number): number {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
  return Number(s);
}

/**
 * Parses `buf[start, end)` as a run of ASCII digits (timestamps, summary counts) into `out[slot]` (no
 * heap-number box for values past 2^31). Returns false when the range is empty or holds anything
 * else. Values past 2^53 lose precision, which no check cares about (they are far out of every
 * accepted range).
 * @example parseDigitsTo(bytes, 0, 13, out, 0)
 */
export function parseDigitsTo(buf: Uint8Array, start: number, end: number, out: Float64Array, slot: number): boolean {
  if (start >= end) return false;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]! - Byte.ZERO;
    if (c < 0 || c > 9) return false;
    v = v * 10 + c;
  }
  out[slot] = v;
  return true;
}

/**
 * Formats a double with six decimals the way the server prints summary fields (C `%f`: the exact
 * binary value, rounded). `toFixed` does the same below 1e21; above, the double is an integer.
 *
 * @example formatFixed6(26.734909 / 2) // '13.367454'
 */
export function formatFixed6(value: number): string {
  if (Object.is(value, -0)) return '-0.000000';
  if (Math.abs(value) < 1e21) return value.toFixed(6);
  return BigInt(value).toString() + '.000000';
}

/**
 * Formats an integer-valued double without exponent notation.
 * @example formatInteger(1e21) // '1000000000000000000000'
 */
export function formatInteger(value: number): string {
  return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
}
