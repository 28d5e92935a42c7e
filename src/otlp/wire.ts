/**
 * The protobuf wire format, read by hand over the bytes: varints, length-delimited fields, fixed64
 * and fixed32, with every problem (a field running past its message, a wrong wire type, a varint of
 * more than ten bytes, a group, field number 0) recorded with its byte offset instead of thrown.
 * One reused reader; no allocation.
 *
 * @module
 */
import { WireProblem } from '../protocol/otlp-rules.js';

/** Protobuf wire types. */
export const WireType = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;

const EMPTY = /* @__PURE__ */ new Uint8Array(0);
// doubles are read by copying 8 bytes into this scratch (little-endian hosts: every Node.js platform)
const scratchBytes = /* @__PURE__ */ new Uint8Array(8);
const scratchDouble = /* @__PURE__ */ (() => new Float64Array(scratchBytes.buffer))();
const TWO_32 = 4294967296;

/**
 * A cursor over one protobuf buffer. Methods advance `pos`; a problem sets `problem` (a
 * `WireProblem`) and `problemAt` (the byte offset) once, and the method returns -1 or `false`.
 * @internal
 */
export class WireReader {
  buf: Uint8Array = EMPTY;
  pos = 0;
  /** The first problem found (`WireProblem`), 0 when none. */
  problem = 0;
  /** Byte offset of the first problem. */
  problemAt = -1;

  /** Starts over on `buf`. */
  reset(buf: Uint8Array, pos: number): void {
    this.buf = buf;
    this.pos = pos;
    this.problem = 0;
    this.problemAt = -1;
  }

  /** Records a problem (the first one wins) and returns `false`. */
  fail(problem: number, at: number): false {
    if (this.problem === 0) {
      this.problem = problem;
      this.problemAt = at;
    }
    return false;
  }

  /** A varint as a number (exact below 2^53; wider values lose low bits), or -1 on a problem. */
  varint(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= end) return this.fail(WireProblem.TRUNCATED, pos) || -1;
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let value = b & 0x7f;
    let mul = 128;
    for (let i = 1; i < 10; i++) {
      if (pos >= end) return this.fail(WireProblem.TRUNCATED, pos) || -1;
      b = buf[pos++]!;
      value += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) {
        this.pos = pos;
        return value;
      }
    }
    return this.fail(WireProblem.VARINT_OVERLONG, this.pos) || -1;
  }

  /** The length of a length-delimited field, checked against `end`; -1 on a problem. */
  length(end: number): number {
    const at = this.pos;
    const n = this.varint(end);
    if (n < 0) return -1;
    if (n > end - this.pos) return this.fail(WireProblem.LENGTH_PAST_END, at) || -1;
    return n;
  }

  /** Checks that 8 bytes remain and returns their offset (then `pos` is past them); -1 on a problem. */
  fixed64At(end: number): number {
    const at = this.pos;
    if (end - at < 8) return this.fail(WireProblem.TRUNCATED, at) || -1;
    this.pos = at + 8;
    return at;
  }

  /** Skips a field of wire type `wt` whose tag started at `tagAt`. */
  skip(wt: number, end: number, tagAt: number): boolean {
    switch (wt) {
      case WireType.VARINT:
        return this.varint(end) >= 0;
      case WireType.I64:
        return this.fixed64At(end) >= 0;
      case WireType.LEN: {
        const n = this.length(end);
        if (n < 0) return false;
        this.pos += n;
        return true;
      }
      case WireType.I32:
        if (end - this.pos < 4) return this.fail(WireProblem.TRUNCATED, this.pos);
        this.pos += 4;
        return true;
      case WireType.SGROUP:
      case WireType.EGROUP:
        return this.fail(WireProblem.GROUP, tagAt);
      default:
        return this.fail(WireProblem.WIRE_TYPE, tagAt);
    }
  }
}

/**
 * Where the `load*` functions leave their number. Numbers read from the wire are written here and
 * read by the caller from the typed array, so a double never crosses a call boundary as a boxed
 * value (a call V8 does not inline would otherwise allocate a heap number per value).
 * @internal
 */
export const F64: Float64Array = scratchDouble;

/** Loads the little-endian double at `buf[at, at + 8)` into `F64[0]`. @internal */
export function loadDouble(buf: Uint8Array, at: number): void {
  scratchBytes[0] = buf[at]!;
  scratchBytes[1] = buf[at + 1]!;
  scratchBytes[2] = buf[at + 2]!;
  scratchBytes[3] = buf[at + 3]!;
  scratchBytes[4] = buf[at + 4]!;
  scratchBytes[5] = buf[at + 5]!;
  scratchBytes[6] = buf[at + 6]!;
  scratchBytes[7] = buf[at + 7]!;
}

/** Loads the unsigned little-endian 64-bit integer at `at` into `F64[0]` (rounded above 2^53). @internal */
export function loadFixed64(buf: Uint8Array, at: number): void {
  const lo = (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24)) >>> 0;
  const hi = (buf[at + 4]! | (buf[at + 5]! << 8) | (buf[at + 6]! << 16) | (buf[at + 7]! << 24)) >>> 0;
  scratchDouble[0] = hi * TWO_32 + lo;
}

/** Loads the signed little-endian 64-bit integer at `at` into `F64[0]` (rounded beyond ±2^53). @internal */
export function loadSfixed64(buf: Uint8Array, at: number): void {
  const lo = (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24)) >>> 0;
  const hi = buf[at + 4]! | (buf[at + 5]! << 8) | (buf[at + 6]! << 16) | (buf[at + 7]! << 24);
  scratchDouble[0] = hi * TWO_32 + lo;
}

/**
 * Loads nanoseconds since the epoch (fixed64 at `at`) as whole milliseconds into `F64[0]`, exact: the
 * high word times 4294.967296 split into an integer part and a remainder that stays below 2^53.
 * @internal
 */
export function loadNanosAsMillis(buf: Uint8Array, at: number): void {
  const lo = (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24)) >>> 0;
  const hi = (buf[at + 4]! | (buf[at + 5]! << 8) | (buf[at + 6]! << 16) | (buf[at + 7]! << 24)) >>> 0;
  scratchDouble[0] = hi * 4294 + Math.floor((hi * 967296 + lo) / 1e6);
}

/**
 * Checks UTF-8 over `buf[start, end)` and returns its length in UTF-16 code units (as Java strings
 * count characters), or -1 for invalid UTF-8 (overlong forms, surrogates, past U+10FFFF, truncated).
 * @internal
 */
export function utf16Length(buf: Uint8Array, start: number, end: number): number {
  let units = 0;
  let i = start;
  while (i < end) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      units++;
      continue;
    }
    if (b >= 0xc2 && b <= 0xdf) {
      if (i + 1 >= end || (buf[i + 1]! & 0xc0) !== 0x80) return -1;
      i += 2;
      units++;
    } else if (b >= 0xe0 && b <= 0xef) {
      if (i + 2 >= end) return -1;
      const b1 = buf[i + 1]!;
      if ((b1 & 0xc0) !== 0x80 || (buf[i + 2]! & 0xc0) !== 0x80) return -1;
      if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 >= 0xa0)) return -1;
      i += 3;
      units++;
    } else if (b >= 0xf0 && b <= 0xf4) {
      if (i + 3 >= end) return -1;
      const b1 = buf[i + 1]!;
      if ((b1 & 0xc0) !== 0x80 || (buf[i + 2]! & 0xc0) !== 0x80 || (buf[i + 3]! & 0xc0) !== 0x80) return -1;
      if ((b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 >= 0x90)) return -1;
      i += 4;
      units += 2;
    } else {
      return -1;
    }
  }
  return units;
}
