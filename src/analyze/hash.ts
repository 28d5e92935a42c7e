/**
 * Hashes of byte strings for the distinct counters: two 32-bit lanes (multiply-xorshift over four bytes
 * a step, with different constants) finished by MurmurHash3's mixer, so the pair behaves as one 64-bit hash: the exact sets compare
 * both lanes, and a HyperLogLog takes its register from one and its rank from the other. Bytes are
 * hashed where they lie (no string per point); the same bytes give the same hash on every path (the
 * line protocol read in place, a converter's interned strings, a record file).
 *
 * @module
 */
import { VALUE_CLASS } from './classify.js';

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const LANE_B_SEED = 0x9747b28c | 0;
const LANE_B_PRIME = 0x5bd1e995;
const GOLDEN = 0x9e3779b1 | 0;

/**
 * MurmurHash3's 32-bit finaliser: every input bit reaches every output bit.
 * @example fmix32(1) !== fmix32(2)
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Hashes `buf[start, end)` into `out[0]`, `out[1]`.
 * @example const out = new Int32Array(2); hashBytes(new TextEncoder().encode('cpu'), 0, 3, out)
 */
export function hashBytes(buf: Uint8Array, start: number, end: number, out: Int32Array): void {
  let a = FNV_OFFSET;
  let b = LANE_B_SEED;
  let i = start;
  // four bytes a step (one multiply per lane per word), then the tail byte by byte
  for (const last = end - 4; i <= last; i += 4) {
    const w = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    a = Math.imul(a ^ w, FNV_PRIME);
    a ^= a >>> 15;
    b = Math.imul(b + w, LANE_B_PRIME);
    b ^= b >>> 13;
  }
  for (; i < end; i++) {
    const c = buf[i]!;
    a = Math.imul(a ^ c, FNV_PRIME);
    b = Math.imul(b ^ c, LANE_B_PRIME);
  }
  finish(a, b, end - start, out);
}

/** The finalisers of both lanes (the length mixed in, lane 1 made to depend on lane 0). */
function finish(a: number, b: number, n: number, out: Int32Array): void {
  const fa = fmix32(a ^ n);
  out[0] = fa;
  out[1] = fmix32(b + Math.imul(n, GOLDEN)) ^ (fa >>> 7);
}

/**
 * A cheaper hash of a longer byte string for the series memo: each lane takes every other four-byte
 * word (one multiply per word instead of two), so a difference in one word is seen by one lane's 32
 * bits, enough to tell a repeated series from a new one (a false match is a 2^-32 event per lookup).
 * `view`, a `DataView` over `buf` (same offsets), reads the words faster; the hash is the same.
 * @example seriesHash(line, 0, keyAndDimsEnd, out)
 */
export function seriesHash(buf: Uint8Array, start: number, end: number, out: Int32Array, view?: DataView): void {
  let a = FNV_OFFSET;
  let b = LANE_B_SEED;
  let i = start;
  if (view !== undefined) {
    // the same little-endian words read by the engine at once (unaligned reads are allowed)
    for (const last = end - 8; i <= last; i += 8) {
      a = Math.imul(a ^ view.getInt32(i, true), FNV_PRIME);
      a ^= a >>> 15;
      b = Math.imul(b ^ view.getInt32(i + 4, true), LANE_B_PRIME);
      b ^= b >>> 13;
    }
  } else {
    for (const last = end - 8; i <= last; i += 8) {
      const w = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
      const x = buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24);
      a = Math.imul(a ^ w, FNV_PRIME);
      a ^= a >>> 15;
      b = Math.imul(b ^ x, LANE_B_PRIME);
      b ^= b >>> 13;
    }
  }
  for (; i < end; i++) {
    const c = buf[i]!;
    a = Math.imul(a ^ c, FNV_PRIME);
    b = Math.imul(b ^ c, LANE_B_PRIME);
  }
  finish(a, b, end - start, out);
}

/**
 * {@link hashBytes} that also returns the OR of the value classes of the bytes (`VALUE_CLASS`), in
 * the same pass, for the volatile-value classifier.
 * @example hashValue(bytes, 0, bytes.length, out) & ValueBits.ALPHA
 */
export function hashValue(buf: Uint8Array, start: number, end: number, out: Int32Array): number {
  let a = FNV_OFFSET;
  let b = LANE_B_SEED;
  let mask = 0;
  const table = VALUE_CLASS;
  let i = start;
  for (const last = end - 4; i <= last; i += 4) {
    const c0 = buf[i]!;
    const c1 = buf[i + 1]!;
    const c2 = buf[i + 2]!;
    const c3 = buf[i + 3]!;
    mask |= table[c0]! | table[c1]! | table[c2]! | table[c3]!;
    const w = c0 | (c1 << 8) | (c2 << 16) | (c3 << 24);
    a = Math.imul(a ^ w, FNV_PRIME);
    a ^= a >>> 15;
    b = Math.imul(b + w, LANE_B_PRIME);
    b ^= b >>> 13;
  }
  for (; i < end; i++) {
    const c = buf[i]!;
    mask |= table[c]!;
    a = Math.imul(a ^ c, FNV_PRIME);
    b = Math.imul(b ^ c, LANE_B_PRIME);
  }
  finish(a, b, end - start, out);
  return mask;
}

/**
 * One dimension's contribution to lane 0 of an order-independent tuple hash (its key's and value's
 * hashes mixed); a tuple's hash is the sum of its dimensions', so `a=1,b=2` and `b=2,a=1` are one tuple.
 * @example pairLane0(k0, v0)
 */
export function pairLane0(k: number, v: number): number {
  return fmix32(Math.imul(k, 0xcc9e2d51) ^ (v + GOLDEN));
}

/**
 * {@link pairLane0} for lane 1 (other constants).
 * @example pairLane1(k1, v1)
 */
export function pairLane1(k: number, v: number): number {
  return fmix32(Math.imul(k, 0x1b873593) ^ (v + 0x5555_5555));
}

/**
 * Mixes two hashes into one lane (a metric key with its suffix, a metric with its tuple).
 * @example combine(metricHash, tupleHash)
 */
export function combine(x: number, y: number): number {
  return fmix32(Math.imul(x ^ 0x27d4eb2f, 0x165667b1) + y);
}
