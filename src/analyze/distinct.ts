/**
 * Distinct counting in bounded memory: a counter holds the hashes it has seen exactly (an open
 * addressing set of 64-bit hashes in an `Int32Array`) up to a threshold, then turns into a
 * HyperLogLog sketch of `2^precision` one-byte registers (Flajolet, Fusy, Gandouet, Meunier 2007,
 * with the linear-counting correction for small cardinalities). Below the threshold the count is
 * exact (up to a 64-bit hash collision); above it, its standard error is `1.04 / sqrt(2^precision)`
 * ({@link sketchError}), which every report states beside the estimate.
 *
 * Memory never exceeds that of the exact set at the threshold or that of the registers, whichever is
 * larger; the set starts small and doubles, so a counter that sees few values costs little.
 *
 * @module
 */

/** Smallest exact set, in slots (two ints each). */
const INITIAL_SLOTS = 16;

/** 2^-k for every rank a register can hold (Math.pow in the hot path costs a call). */
const INVERSE_POWERS = /* @__PURE__ */ (() => {
  const t = new Float64Array(64);
  for (let k = 0; k < 64; k++) t[k] = 2 ** -k;
  return t;
})();

/**
 * The relative standard error of a HyperLogLog of `2^precision` registers.
 * @example sketchError(14) // 0.008125
 */
export function sketchError(precision: number): number {
  return 1.04 / Math.sqrt(2 ** precision);
}

/** The bias constant alpha_m of HyperLogLog for `m` registers. */
function alpha(m: number): number {
  if (m === 16) return 0.673;
  if (m === 32) return 0.697;
  if (m === 64) return 0.709;
  return 0.7213 / (1 + 1.079 / m);
}

/**
 * A distinct counter over 64-bit hashes (two int lanes), exact up to `threshold` values, a
 * HyperLogLog past it.
 *
 * @example
 * const c = new DistinctCounter(1024, 12);
 * c.add(h0, h1); // true the first time
 * c.count(); // 1
 * c.exact; // true
 */
export class DistinctCounter {
  /** Pairs (lane 0, lane 1 with its low bit set, so 0 marks an empty slot); `undefined` once a sketch. */
  private set: Int32Array | undefined;
  private mask: number;
  private size = 0;
  private registers: Uint8Array | undefined;
  /** Sum of 2^-register over the registers, and registers still 0: kept as registers change, so a count costs O(1). */
  private inverseSum = 0;
  private zeros = 0;
  private readonly threshold: number;
  private readonly precision: number;

  /**
   * @param threshold distinct values held exactly
   * @param precision log2 of the sketch's registers
   */
  constructor(threshold: number, precision: number) {
    this.threshold = threshold;
    this.precision = precision;
    this.set = undefined;
    this.mask = INITIAL_SLOTS - 1;
    this.clear();
  }

  /** The count is exact (still below the threshold). */
  get exact(): boolean {
    return this.registers === undefined;
  }

  /** The relative standard error of {@link count}: 0 while exact. */
  get error(): number {
    return this.registers === undefined ? 0 : sketchError(this.precision);
  }

  /** Bytes held (the set or the registers). */
  get heldBytes(): number {
    return this.set !== undefined ? this.set.byteLength : this.registers!.byteLength;
  }

  /**
   * Adds a hash. Returns `true` when the value is new (exactly while exact; in a sketch, when a
   * register grew, which a new value may not do).
   */
  add(h0: number, h1: number): boolean {
    const set = this.set;
    if (set === undefined) return this.addSketch(h0, h1);
    const b = h1 | 1;
    const mask = this.mask;
    let s = h0 & mask;
    for (;;) {
      const at = s << 1;
      const v = set[at + 1]!;
      if (v === 0) {
        set[at] = h0;
        set[at + 1] = b;
        this.size++;
        if (this.size > this.threshold) this.toSketch();
        else if (this.size * 2 > mask + 1) this.grow();
        return true;
      }
      if (v === b && set[at] === h0) return false;
      s = (s + 1) & mask;
    }
  }

  /** The number of distinct values added (exact, or the sketch's estimate). */
  count(): number {
    const r = this.registers;
    if (r === undefined) return this.size;
    // the sum of dyadic fractions 2^-0 .. 2^-32 over at most 2^18 registers needs 51 bits: exact in a double
    const m = r.length;
    const raw = (alpha(m) * m * m) / this.inverseSum;
    if (raw <= 2.5 * m && this.zeros > 0) return m * Math.log(m / this.zeros);
    return raw;
  }

  /** Forgets everything (back to an empty exact set). */
  clear(): void {
    this.size = 0;
    this.registers = undefined;
    if (this.threshold > 0) {
      this.set = new Int32Array(2 * INITIAL_SLOTS);
      this.mask = INITIAL_SLOTS - 1;
    } else this.newRegisters();
  }

  private addSketch(h0: number, h1: number): boolean {
    const r = this.registers!;
    const j = h0 >>> (32 - this.precision);
    // the rank: position of the first 1 bit of lane 1 (the low bit is set, so at most 32)
    const rank = Math.clz32(h1 | 1) + 1;
    const old = r[j]!;
    if (rank > old) {
      r[j] = rank;
      this.inverseSum += INVERSE_POWERS[rank]! - INVERSE_POWERS[old]!;
      if (old === 0) this.zeros--;
      return true;
    }
    return false;
  }

  private newRegisters(): void {
    const m = 2 ** this.precision;
    this.registers = new Uint8Array(m);
    this.inverseSum = m;
    this.zeros = m;
  }

  private grow(): void {
    const old = this.set!;
    const slots = (this.mask + 1) * 2;
    const set = new Int32Array(2 * slots);
    const mask = slots - 1;
    for (let at = 0; at < old.length; at += 2) {
      const b = old[at + 1]!;
      if (b === 0) continue;
      const a = old[at]!;
      let s = a & mask;
      while (set[(s << 1) + 1] !== 0) s = (s + 1) & mask;
      set[s << 1] = a;
      set[(s << 1) + 1] = b;
    }
    this.set = set;
    this.mask = mask;
  }

  private toSketch(): void {
    const old = this.set!;
    this.newRegisters();
    this.set = undefined;
    for (let at = 0; at < old.length; at += 2) if (old[at + 1] !== 0) this.addSketch(old[at]!, old[at + 1]!);
  }
}
