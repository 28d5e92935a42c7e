/**
 * Deterministic stand-in ids: Smartscape Mode 2 ids and custom device entity/group ids.
 *
 * The real algorithms are not public (spec, Smartscape "Mode 2 ID" and custom device "Success"). These
 * functions produce stable ids of the right shape, documented as local stand-ins: they will NOT equal
 * the ids a tenant computes.
 *
 * @module
 */
import type { CustomDevicePushResult } from './envelopes.js';
import { isSmartscapeType } from './patterns.js';

const encoder = /* @__PURE__ */ new TextEncoder();

function hex16(n: number): string {
  return (n >>> 0).toString(16).toUpperCase().padStart(4, '0').slice(-4);
}

/**
 * FNV-1a 64-bit over bytes, as 16 uppercase hex digits. Computed on four 16-bit limbs (no BigInt):
 * the prime 0x100000001b3 is 2^40 + 0x1b3, so `h * prime` is `h * 0x1b3 + (h << 40)` mod 2^64.
 * @example fnv1a64Hex(new TextEncoder().encode('a')) // 'AF63DC4C8601EC8C'
 */
export function fnv1a64Hex(bytes: Uint8Array): string {
  // Offset basis 0xcbf29ce484222325, low limb first.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < bytes.length; i++) {
    h0 ^= bytes[i]!;
    const t0 = h0 * 0x1b3;
    let t1 = h1 * 0x1b3;
    let t2 = h2 * 0x1b3 + (h0 << 8);
    let t3 = h3 * 0x1b3 + (h1 << 8);
    t1 += t0 >>> 16;
    t2 += t1 >>> 16;
    t3 += t2 >>> 16;
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return hex16(h3) + hex16(h2) + hex16(h1) + hex16(h0);
}

/** Appends a 4-byte big-endian length then the UTF-8 bytes of `s` (length framing keeps `ab|c` ≠ `a|bc`). */
function frame(parts: Uint8Array[], s: string): number {
  const b = encoder.encode(s);
  const len = new Uint8Array(4);
  len[0] = (b.length >>> 24) & 0xff;
  len[1] = (b.length >>> 16) & 0xff;
  len[2] = (b.length >>> 8) & 0xff;
  len[3] = b.length & 0xff;
  parts.push(len, b);
  return 4 + b.length;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The stand-in Smartscape id of a Mode 2 node: `type`, `-`, then FNV-1a 64 (16 uppercase hex digits)
 * over the length-framed UTF-8 of the type and of each component's key and value, in order. Local
 * stand-in: the tenant's algorithm is not public, so this will not equal the tenant's id.
 * Throws a `TypeError` for a type that does not match `^[A-Z][A-Z0-9_]*$` or a malformed component.
 * @example computeSmartscapeId('HOST', [{ hostname: 'myhost' }]) // 'HOST-' + 16 hex digits
 */
export function computeSmartscapeId(type: string, components: readonly Readonly<Record<string, string>>[]): string {
  if (typeof type !== 'string' || !isSmartscapeType(type)) throw new TypeError('dt-ingest: Smartscape type must match ^[A-Z][A-Z0-9_]*$');
  if (!Array.isArray(components)) throw new TypeError('dt-ingest: id_components must be an array of single-key objects');
  const parts: Uint8Array[] = [];
  let total = frame(parts, type);
  for (const comp of components) {
    if (comp === null || typeof comp !== 'object' || Array.isArray(comp)) throw new TypeError('dt-ingest: each id component must be a single-key object');
    let count = 0;
    for (const key in comp) {
      if (!Object.hasOwn(comp, key)) continue;
      count++;
      const value = comp[key];
      if (typeof value !== 'string') throw new TypeError('dt-ingest: id component values must be strings');
      total += frame(parts, key);
      total += frame(parts, value);
    }
    if (count !== 1) throw new TypeError('dt-ingest: each id component must be a single-key object');
  }
  return type + '-' + fnv1a64Hex(concat(parts, total));
}

// MurmurHash3 x64-128 on 32-bit halves (no BigInt: the custom device answer computes two hashes per
// request, and BigInt arithmetic with its garbage was three quarters of a small push's cost). Every
// 64-bit value is a pair of slots (hi, lo) of one Uint32Array, and the helpers take slot indices: the
// 32-bit halves never cross a call as numbers, where V8 would box those above 2^30.
const H1 = 0;
const H2 = 2;
const K1 = 4;
const K2 = 6;
const C1 = 8; // 0x87c37b91114253d5
const C2 = 10; // 0x4cf5ad432745937f
const F1 = 12; // 0xff51afd7ed558ccd
const F2 = 14; // 0xc4ceb9fe1a85ec53
const FIVE = 16;
const N1 = 18; // 0x52dce729
const N2 = 20; // 0x38495ab5
const W = /* @__PURE__ */ (() => {
  const w = new Uint32Array(22);
  w.set([0x87c37b91, 0x114253d5, 0x4cf5ad43, 0x2745937f, 0xff51afd7, 0xed558ccd, 0xc4ceb9fe, 0x1a85ec53, 0, 5, 0, 0x52dce729, 0, 0x38495ab5], C1);
  return w;
})();

/**
 * W[d] = W[d] * W[b] mod 2^64, on 16-bit limbs. Each step adds one partial product (below 2^32 - 2^17)
 * to a carry below 2^17 and masks before the next, so every sum stays an unsigned 32-bit integer.
 */
function mul64(d: number, b: number): void {
  const ah = W[d]!;
  const al = W[d + 1]!;
  const bh = W[b]!;
  const bl = W[b + 1]!;
  const a48 = ah >>> 16;
  const a32 = ah & 0xffff;
  const a16 = al >>> 16;
  const a00 = al & 0xffff;
  const b48 = bh >>> 16;
  const b32 = bh & 0xffff;
  const b16 = bl >>> 16;
  const b00 = bl & 0xffff;
  let c00 = a00 * b00;
  let c16 = c00 >>> 16;
  c00 &= 0xffff;
  c16 += a16 * b00;
  let c32 = c16 >>> 16;
  c16 &= 0xffff;
  c16 += a00 * b16;
  c32 += c16 >>> 16;
  c16 &= 0xffff;
  c32 += a32 * b00;
  let c48 = c32 >>> 16;
  c32 &= 0xffff;
  c32 += a16 * b16;
  c48 += c32 >>> 16;
  c32 &= 0xffff;
  c32 += a00 * b32;
  c48 += c32 >>> 16;
  c32 &= 0xffff;
  c48 += Math.imul(a48, b00) + Math.imul(a32, b16) + Math.imul(a16, b32) + Math.imul(a00, b48);
  W[d] = ((c48 & 0xffff) << 16) | c32;
  W[d + 1] = (c16 << 16) | c00;
}

/** W[d] = W[d] + W[b] mod 2^64. */
function add64(d: number, b: number): void {
  const lo = W[d + 1]! + W[b + 1]!;
  W[d] = W[d]! + W[b]! + (lo > 0xffffffff ? 1 : 0);
  W[d + 1] = lo;
}

/** W[d] = W[d] rotated left by `r` (1 to 63 bits, not 32). */
function rotl64(d: number, r: number): void {
  let h = W[d]!;
  let l = W[d + 1]!;
  if (r > 32) {
    const t = h;
    h = l;
    l = t;
    r -= 32;
  }
  W[d] = (h << r) | (l >>> (32 - r));
  W[d + 1] = (l << r) | (h >>> (32 - r));
}

/** W[d] ^= W[d] >> 33. */
function xorShift33(d: number): void {
  W[d + 1] = W[d + 1]! ^ (W[d]! >>> 1);
}

/** W[d] = fmix64(W[d]): the finalizer. */
function fmix64(d: number): void {
  xorShift33(d);
  mul64(d, F1);
  xorShift33(d);
  mul64(d, F2);
  xorShift33(d);
}

/** W[d] = the little-endian 64-bit word of `b` at `at`, of which only `n` (0 to 8) bytes are present. */
function le64(d: number, b: Uint8Array, at: number, n: number): void {
  let hi = 0;
  let lo = 0;
  for (let j = Math.min(n, 8) - 1; j >= 4; j--) hi = (hi << 8) | b[at + j]!;
  for (let j = Math.min(n, 4) - 1; j >= 0; j--) lo = (lo << 8) | b[at + j]!;
  W[d] = hi;
  W[d + 1] = lo;
}

/** Mixes lane `k` (K1 with C1, C2, 31; K2 with C2, C1, 33) into hash `h`. */
function mixLane(h: number, k: number, first: number, second: number, r: number): void {
  mul64(k, first);
  rotl64(k, r);
  mul64(k, second);
  W[h] = W[h]! ^ W[k]!;
  W[h + 1] = W[h + 1]! ^ W[k + 1]!;
}

/** h = (rotl(h, r) + other) * 5 + n, the body step of each lane. */
function stepLane(h: number, r: number, other: number, n: number): void {
  rotl64(h, r);
  add64(h, other);
  mul64(h, FIVE);
  add64(h, n);
}

/** MurmurHash3 x64-128 of `bytes[0, len)`, seed 0: (h1, h2) in W[H1], W[H2]. */
function murmur128(bytes: Uint8Array, len: number): void {
  W.fill(0, 0, 8);
  const blocks = len - (len % 16);
  for (let i = 0; i < blocks; i += 16) {
    le64(K1, bytes, i, 8);
    mixLane(H1, K1, C1, C2, 31);
    stepLane(H1, 27, H2, N1);
    le64(K2, bytes, i + 8, 8);
    mixLane(H2, K2, C2, C1, 33);
    stepLane(H2, 31, H1, N2);
  }
  const rest = len - blocks;
  if (rest > 8) {
    le64(K2, bytes, blocks + 8, rest - 8);
    mixLane(H2, K2, C2, C1, 33);
  }
  if (rest > 0) {
    le64(K1, bytes, blocks, rest);
    mixLane(H1, K1, C1, C2, 31);
  }
  W[H1 + 1] = W[H1 + 1]! ^ len; // the length is below 2^32
  W[H2 + 1] = W[H2 + 1]! ^ len;
  add64(H1, H2);
  add64(H2, H1);
  fmix64(H1);
  fmix64(H2);
  add64(H1, H2);
  add64(H2, H1);
}

/**
 * MurmurHash3 x64 128-bit (Austin Appleby's algorithm), seed 0, written from the algorithm
 * description: 16-byte blocks mixed into two 64-bit lanes, tail, then `fmix64`. Returns `[h1, h2]`
 * (`h1` is the low 64 bits of the little-endian 128-bit digest). Computed on 32-bit halves; the
 * BigInts are built only for this result.
 * @example murmur3x64_128(new TextEncoder().encode('hello'))[0].toString(16) // 'cbd8a7b341bd9b02'
 */
export function murmur3x64_128(bytes: Uint8Array): [bigint, bigint] {
  murmur128(bytes, bytes.length);
  const big = (hi: number, lo: number): bigint => (BigInt(hi) << 32n) | BigInt(lo);
  return [big(W[H1]!, W[H1 + 1]!), big(W[H2]!, W[H2 + 1]!)];
}

/** Two uppercase hex digits per byte value. */
const HEX_BYTE: readonly string[] = /* @__PURE__ */ Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));

function hex32(v: number): string {
  return HEX_BYTE[v >>> 24]! + HEX_BYTE[(v >>> 16) & 0xff]! + HEX_BYTE[(v >>> 8) & 0xff]! + HEX_BYTE[v & 0xff]!;
}

/** Scratch for the framed inputs (a device id and a group are at most a few kB; longer ones get a one-off buffer). */
let scratch: Uint8Array = /* @__PURE__ */ new Uint8Array(2048);

/**
 * Writes `prefix` (8 bytes, big-endian, when given), the UTF-8 of `s` and its byte length (4 bytes,
 * big-endian) into the scratch; returns the buffer and the length written.
 */
function framed(s: string, prefixHi?: number, prefixLo?: number): [Uint8Array, number] {
  const head = prefixHi === undefined ? 0 : 8;
  const need = head + s.length * 3 + 4;
  const buf = need <= scratch.length ? scratch : new Uint8Array(need);
  if (prefixHi !== undefined) {
    buf[0] = prefixHi >>> 24;
    buf[1] = (prefixHi >>> 16) & 0xff;
    buf[2] = (prefixHi >>> 8) & 0xff;
    buf[3] = prefixHi & 0xff;
    buf[4] = prefixLo! >>> 24;
    buf[5] = (prefixLo! >>> 16) & 0xff;
    buf[6] = (prefixLo! >>> 8) & 0xff;
    buf[7] = prefixLo! & 0xff;
  }
  const n = encoder.encodeInto(s, buf.subarray(head)).written;
  const at = head + n;
  buf[at] = (n >>> 24) & 0xff;
  buf[at + 1] = (n >>> 16) & 0xff;
  buf[at + 2] = (n >>> 8) & 0xff;
  buf[at + 3] = n & 0xff;
  if (buf !== scratch && buf.length <= 65_536) scratch = buf; // keep the larger size, bounded
  return [buf, at + 4];
}

/** Ids of the devices seen last (at most {@link KNOWN_IDS_MAX} entries of keys up to {@link KNOWN_KEY_MAX} units: about 2 MB at worst). */
const KNOWN_IDS: Map<string, readonly [string, string]> = /* @__PURE__ */ new Map();
const KNOWN_IDS_MAX = 1024;
const KNOWN_KEY_MAX = 1100;

/**
 * The stand-in ids of a custom device (spec: the public reverse-engineered scheme, MurmurHash3 x64-128,
 * seed 0, low 64 bits). Group: hash of the UTF-8 group name followed by its byte length (4 bytes,
 * big-endian). Device: hash of the group hash (8 bytes, big-endian), the UTF-8 device id and its byte
 * length. The group name is `group`, else `type`, else the device id (*decided*: the docs say a
 * missing group is derived "based on the ID or type"). Local stand-in: it does not reproduce the
 * documentation's example ids.
 * @example computeCustomDeviceIds('idOfmyCustomDevice', 'myGroup').entityId.startsWith('CUSTOM_DEVICE-') // true
 */
export function computeCustomDeviceIds(customDeviceId: string, group?: string | null, type?: string | null): CustomDevicePushResult {
  const groupName = typeof group === 'string' && group !== '' ? group : typeof type === 'string' && type !== '' ? type : customDeviceId;
  // a device pushes again and again with the same id and group: their ids are remembered (bounded)
  const key = `${groupName}\u0000${customDeviceId}`;
  const known = KNOWN_IDS.get(key);
  if (known !== undefined) return { entityId: known[0], groupId: known[1] };
  const [g, gn] = framed(groupName);
  murmur128(g, gn);
  const groupHi = W[H1]!;
  const groupLo = W[H1 + 1]!;
  const [d, dn] = framed(customDeviceId, groupHi, groupLo);
  murmur128(d, dn);
  const entityId = `CUSTOM_DEVICE-${hex32(W[H1]!)}${hex32(W[H1 + 1]!)}`;
  const groupId = `CUSTOM_DEVICE_GROUP-${hex32(groupHi)}${hex32(groupLo)}`;
  if (KNOWN_IDS.size >= KNOWN_IDS_MAX) KNOWN_IDS.clear(); // a generation reset keeps memory bounded
  if (key.length <= KNOWN_KEY_MAX) KNOWN_IDS.set(key, [entityId, groupId]);
  return { entityId, groupId };
}
