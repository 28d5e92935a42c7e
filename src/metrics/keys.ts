/**
 * An interned table of byte strings (metric keys, dimension keys and values): each distinct byte
 * sequence gets a small integer id once, and its string is decoded once, when first asked for. The
 * fused scanner, the native glue and the columnar batch hand ids around instead of strings, so a
 * line whose key repeats (nearly every line of real traffic) costs a hash and a byte comparison, and
 * allocates nothing.
 *
 * Open addressing over typed arrays (ids + 1 in the slots, 0 for empty), the bytes in one growing
 * arena. It starts small (a one-line body pays for a few 64-byte arrays) and growth doubles, so memory
 * is proportional to the distinct bytes seen; every long-lived owner bounds it, either by what it
 * interns (the validator interns only the keys of listed warnings, at most `maxReportedWarnings`) or
 * by starting afresh with {@link KeyTable.clear} past a budget (the batch decoder's string table,
 * the rich report's text cache).
 *
 * @module
 */
import { hashKeyBytes } from '../protocol/native-layout.js';

// a U+FEFF that starts a string is data, not a byte-order mark: keep it (ignoreBOM)
const decoder = /* @__PURE__ */ new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Most slots of the recent-strings cache (a power of two). It is made at the first string interned a
 * second time (a table of strings that never repeat, such as a one-line body's, has no use for it)
 * and grows with the table.
 */
const RECENT_SLOTS = 1024;
/** The recent-strings cache until a string repeats: one empty array for every table. */
const NO_RECENT = /* @__PURE__ */ new Int32Array(0);
/**
 * Starting sizes: each typed array at most 64 bytes, which V8 keeps on the heap beside its object
 * (no separate backing store), so a table made for a one-line body costs a few small allocations.
 * A larger one is an ArrayBuffer of its own, ten times the cost; and each typed array is still a few
 * hundred bytes of objects, so offsets and lengths share one (two ints per id: 64 bytes for 8 ids).
 */
const INITIAL_SLOTS = 16;
const INITIAL_ARENA = 64;
/** Longest string {@link KeyTable} copies into its arena byte by byte instead of through a view. */
const SHORT_COPY_BYTES = 64;
/**
 * Bytes per entry besides its text: two slots at a load factor of one half, hash, offset and length
 * (4 bytes each), and the decoded-string reference (8).
 */
const ENTRY_BYTES = 28;

/**
 * Interned byte strings with stable ids (0, 1, 2, ... in order of first appearance).
 *
 * @example
 * const keys = new KeyTable();
 * const bytes = new TextEncoder().encode('cpu.temp cpu.temp');
 * keys.intern(bytes, 0, 8) === keys.intern(bytes, 9, 17); // true: one id
 * keys.text(0); // 'cpu.temp'
 */
export class KeyTable {
  private slots: Int32Array;
  private mask: number;
  private hashes: Int32Array;
  /** Arena offset and length of each id (`2 * id`, `2 * id + 1`). */
  private spans: Int32Array;
  private arena: Uint8Array;
  private arenaLength = 0;
  private strings: (string | undefined)[] = [];
  /** Ids + 1 of recently interned strings (0 for none), direct-mapped; see `intern` (empty until a string repeats). */
  private recent: Int32Array = NO_RECENT;
  private recentMask = 0;
  /** Number of distinct strings held. */
  size = 0;

  /** @internal @param initialSlots starting slot count (a power of two; grows as needed) */
  constructor(initialSlots = INITIAL_SLOTS) {
    let n = INITIAL_SLOTS;
    while (n < initialSlots) n *= 2;
    this.slots = new Int32Array(n);
    this.mask = n - 1;
    this.hashes = new Int32Array(n >> 1);
    this.spans = new Int32Array(n);
    this.arena = new Uint8Array(Math.max(INITIAL_ARENA, n * 4));
  }

  /**
   * @internal What the table holds, in bytes: the arena plus each entry's share of the slots, the id
   * columns and the decoded-string cache (about {@link ENTRY_BYTES}); owners compare it with a budget.
   */
  get heldBytes(): number {
    return this.arenaLength + this.size * ENTRY_BYTES;
  }

  /**
   * The id of `buf[start, end)`, added if new. A repeated string is usually found in a small cache of
   * recent ones, indexed by its length and three of its bytes and checked byte by byte, which skips
   * hashing; anything else (a miss, or strings built to share the sampled bytes) takes the hash path.
   * @internal
   */
  intern(buf: Uint8Array, start: number, end: number): number {
    if (this.recent.length === 0) return this.internUncached(buf, start, end);
    const length = end - start;
    let slot = length;
    if (length !== 0) slot = Math.imul(length, 0x9e3779b1) ^ (buf[start]! << 16) ^ (buf[end - 1]! << 8) ^ buf[start + (length >> 1)]!;
    slot &= this.recentMask;
    const candidate = this.recent[slot]! - 1;
    if (candidate >= 0 && this.spans[2 * candidate + 1] === length && this.sameBytes(candidate, buf, start, length)) return candidate;
    const id = this.internHashed(buf, start, end, hashKeyBytes(buf, start, end));
    this.recent[slot] = id + 1;
    return id;
  }

  /** `intern` before the recent-strings cache exists: makes it when a string repeats. */
  private internUncached(buf: Uint8Array, start: number, end: number): number {
    const size = this.size;
    const id = this.internHashed(buf, start, end, hashKeyBytes(buf, start, end));
    if (id < size) this.makeRecent(this.slots.length);
    return id;
  }

  /** @internal {@link KeyTable.intern} with the hash already computed (by the addon, or by a scan that read the bytes). */
  internHashed(buf: Uint8Array, start: number, end: number, hash: number): number {
    const length = end - start;
    const slots = this.slots;
    const mask = this.mask;
    let s = hash & mask;
    for (;;) {
      const entry = slots[s]!;
      if (entry === 0) break;
      const id = entry - 1;
      if (this.hashes[id] === hash && this.spans[2 * id + 1] === length && this.sameBytes(id, buf, start, length)) return id;
      s = (s + 1) & mask;
    }
    return this.add(buf, start, end, hash, s);
  }

  /** The string of `id`, decoded on first use (UTF-8, malformed bytes replaced). */
  text(id: number): string {
    const cached = this.strings[id];
    if (cached !== undefined) return cached;
    const at = this.spans[2 * id]!;
    const str = decoder.decode(this.arena.subarray(at, at + this.spans[2 * id + 1]!));
    this.strings[id] = str;
    return str;
  }

  /** @internal The bytes the ids point into (replaced when the table grows: read it after interning). */
  get arenaBytes(): Uint8Array {
    return this.arena;
  }

  /** @internal Where the bytes of `id` start in {@link KeyTable.arenaBytes}. */
  offsetOf(id: number): number {
    return this.spans[2 * id]!;
  }

  /** @internal How many bytes `id` has. */
  lengthOf(id: number): number {
    return this.spans[2 * id + 1]!;
  }

  /** @internal Forgets every string (ids start again at 0); keeps the memory already grown. */
  clear(): void {
    this.slots.fill(0);
    this.recent.fill(0);
    this.strings.length = 0;
    this.size = 0;
    this.arenaLength = 0;
  }

  private sameBytes(id: number, buf: Uint8Array, start: number, length: number): boolean {
    const arena = this.arena;
    const at = this.spans[2 * id]!;
    for (let k = 0; k < length; k++) if (arena[at + k] !== buf[start + k]) return false;
    return true;
  }

  private add(buf: Uint8Array, start: number, end: number, hash: number, slot: number): number {
    const id = this.size;
    const length = end - start;
    if (id >= this.hashes.length) this.growIds();
    if (this.arenaLength + length > this.arena.length) this.growArena(length);
    const at = this.arenaLength;
    const arena = this.arena;
    // a short string byte by byte: `set(buf.subarray(...))` allocates a view per new string
    if (length <= SHORT_COPY_BYTES) for (let k = 0; k < length; k++) arena[at + k] = buf[start + k]!;
    else arena.set(buf.subarray(start, end), at);
    this.arenaLength = at + length;
    this.hashes[id] = hash;
    this.spans[2 * id] = at;
    this.spans[2 * id + 1] = length;
    this.size = id + 1;
    this.slots[slot] = id + 1;
    // keep the load factor at most one half, so probes stay short
    if (this.size * 2 > this.slots.length) this.rehash();
    return id;
  }

  private growIds(): void {
    const hashes = new Int32Array(this.hashes.length * 2);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const spans = new Int32Array(this.spans.length * 2);
    spans.set(this.spans);
    this.spans = spans;
  }

  private growArena(need: number): void {
    let n = this.arena.length * 2;
    while (n < this.arenaLength + need) n *= 2;
    const b = new Uint8Array(n);
    b.set(this.arena.subarray(0, this.arenaLength));
    this.arena = b;
  }

  private rehash(): void {
    const n = this.slots.length * 2;
    const slots = new Int32Array(n);
    const mask = n - 1;
    for (let id = 0; id < this.size; id++) {
      let s = this.hashes[id]! & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = id + 1;
    }
    this.slots = slots;
    this.mask = mask;
    // the recent cache (once made) grows with the table, up to its cap; it is only a cache, so it starts empty
    if (this.recent.length !== 0 && this.recent.length < RECENT_SLOTS) this.makeRecent(n);
  }

  private makeRecent(slots: number): void {
    this.recent = new Int32Array(Math.min(slots, RECENT_SLOTS));
    this.recentMask = this.recent.length - 1;
  }
}
