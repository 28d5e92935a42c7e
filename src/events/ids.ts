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

const M64 = 0xffff_ffff_ffff_ffffn; // 2^64 - 1 (a literal: a bundle that never hashes drops it)
const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;

function rotl64(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & M64;
}

function fmix64(k: bigint): bigint {
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & M64;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & M64;
  k ^= k >> 33n;
  return k;
}

function readLe64(b: Uint8Array, at: number): bigint {
  let v = 0n;
  for (let j = 7; j >= 0; j--) v = (v << 8n) | BigInt(b[at + j]!);
  return v;
}

/**
 * MurmurHash3 x64 128-bit (Austin Appleby's algorithm), seed 0, written from the algorithm
 * description: 16-byte blocks mixed into two 64-bit lanes, tail, then `fmix64`. Returns `[h1, h2]`
 * (`h1` is the low 64 bits of the little-endian 128-bit digest). Not hot: BigInt keeps it obviously correct.
 * @example murmur3x64_128(new TextEncoder().encode('hello'))[0].toString(16) // 'cbd8a7b341bd9b02'
 */
export function murmur3x64_128(bytes: Uint8Array, seed = 0): [bigint, bigint] {
  const len = bytes.length;
  const blocks = len - (len % 16);
  let h1 = BigInt(seed >>> 0);
  let h2 = h1;
  for (let i = 0; i < blocks; i += 16) {
    let k1 = readLe64(bytes, i);
    let k2 = readLe64(bytes, i + 8);
    k1 = (k1 * C1) & M64;
    k1 = rotl64(k1, 31n);
    k1 = (k1 * C2) & M64;
    h1 ^= k1;
    h1 = rotl64(h1, 27n);
    h1 = (h1 + h2) & M64;
    h1 = (h1 * 5n + 0x52dce729n) & M64;
    k2 = (k2 * C2) & M64;
    k2 = rotl64(k2, 33n);
    k2 = (k2 * C1) & M64;
    h2 ^= k2;
    h2 = rotl64(h2, 31n);
    h2 = (h2 + h1) & M64;
    h2 = (h2 * 5n + 0x38495ab5n) & M64;
  }
  const rest = len - blocks;
  if (rest > 0) {
    let k1 = 0n;
    let k2 = 0n;
    for (let j = rest - 1; j >= 8; j--) k2 = (k2 << 8n) | BigInt(bytes[blocks + j]!);
    for (let j = Math.min(rest, 8) - 1; j >= 0; j--) k1 = (k1 << 8n) | BigInt(bytes[blocks + j]!);
    if (rest > 8) {
      k2 = (k2 * C2) & M64;
      k2 = rotl64(k2, 33n);
      k2 = (k2 * C1) & M64;
      h2 ^= k2;
    }
    k1 = (k1 * C1) & M64;
    k1 = rotl64(k1, 31n);
    k1 = (k1 * C2) & M64;
    h1 ^= k1;
  }
  const L = BigInt(len);
  h1 ^= L;
  h2 ^= L;
  h1 = (h1 + h2) & M64;
  h2 = (h2 + h1) & M64;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 = (h1 + h2) & M64;
  h2 = (h2 + h1) & M64;
  return [h1, h2];
}

function hex64(v: bigint): string {
  return v.toString(16).toUpperCase().padStart(16, '0');
}

function withLength(s: string, prefix?: bigint): Uint8Array {
  const b = encoder.encode(s);
  const head = prefix === undefined ? 0 : 8;
  const out = new Uint8Array(head + b.length + 4);
  if (prefix !== undefined) for (let j = 0; j < 8; j++) out[j] = Number((prefix >> BigInt(56 - 8 * j)) & 0xffn);
  out.set(b, head);
  const n = b.length;
  const at = head + n;
  out[at] = (n >>> 24) & 0xff;
  out[at + 1] = (n >>> 16) & 0xff;
  out[at + 2] = (n >>> 8) & 0xff;
  out[at + 3] = n & 0xff;
  return out;
}

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
  const groupHash = murmur3x64_128(withLength(groupName))[0];
  const deviceHash = murmur3x64_128(withLength(customDeviceId, groupHash))[0];
  return { entityId: 'CUSTOM_DEVICE-' + hex64(deviceHash), groupId: 'CUSTOM_DEVICE_GROUP-' + hex64(groupHash) };
}
