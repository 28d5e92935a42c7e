/**
 * Names and dimension values of converted points, from source bytes to strings the metrics line
 * protocol accepts, interned into a converter's {@link MetricBatch}. Shared by the StatsD and Influx
 * converters (and open to any byte-level converter).
 *
 * The hot path allocates nothing: a name is interned by its raw bytes once, and what it maps to (the
 * same bytes when valid, a normalized string when not, or nothing) is remembered by raw id, so a name
 * that repeats costs one hash. Only a name seen for the first time is checked byte by byte, and only
 * an invalid one goes through the string normalizers of `produce/normalize.ts` (which the serializer
 * and the validator agree with). Dimension values are checked on their bytes; only a value that could
 * be rejected (a control character, or a written form longer than `dimensionValueMaxLength`) is
 * repaired through `normalizeDimensionValue`.
 *
 * Memory is bounded: past `maxStringBytes` of interned text both tables start afresh between two
 * batches (`MetricBatch.generation` is bumped, as the line decoder does).
 *
 * @module
 */
import { DEFAULT_MAX_STRING_BYTES, MetricBatch } from '../metrics/batch.js';
import { KeyTable } from '../metrics/keys.js';
import { CHAR_CLASS, C_ALPHA, C_CONTROL, C_DIGIT, C_DIM_KEY, C_DIM_KEY_START, C_METRIC_KEY, DOT, MINUS, UNDERSCORE } from '../protocol/chars.js';
import { METRICS_DEFAULTS, type MetricsOptions } from '../protocol/options.js';
import { WORDS } from '../protocol/words.js';
import { normalizeDimensionKey, normalizeDimensionValue, normalizeMetricKey } from '../produce/normalize.js';

/**
 * What a name became: {@link NameMapper.metricKey} and {@link NameMapper.dimensionKey} set it.
 * `RESERVED` is a dropped metric key whose only fault is the prefix 'dt.', which the line protocol
 * reserves (rule metric-key-reserved): a drop with its own reason.
 */
export const NameFate = { VALID: 0, RENAMED: 1, DROPPED: 2, RESERVED: 3 } as const;

const decoder = /* @__PURE__ */ new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = /* @__PURE__ */ new TextEncoder();

/** Whether a byte is one a bare dimension value escapes (space `,` `=` `"` `\`). */
function escapedByte(c: number): boolean {
  return c === 0x20 || c === 0x2c || c === 0x3d || c === 0x22 || c === 0x5c;
}

/**
 * Maps source names and values to valid line-protocol strings interned in one {@link MetricBatch}.
 *
 * @example
 * const names = new NameMapper();
 * const bytes = new TextEncoder().encode('cpu load');
 * names.metricKey(bytes, 0, 8); // id of 'cpu_load'; names.fate === NameFate.RENAMED
 */
export class NameMapper {
  /** The batch the ids belong to (the converter fills it and hands it to its sink). */
  readonly batch: MetricBatch;
  /** What the last `metricKey` / `dimensionKey` / `dimensionValue` call did (a {@link NameFate}). */
  fate = 0;
  /** The name the last renamed or dropped call saw, decoded (for problem messages); '' otherwise. */
  lastRaw = '';
  private readonly raw = new KeyTable();
  /**
   * The raw id of the last metric key's (or dimension key's) bytes: stable while `MetricBatch.generation` is, so a
   * converter can key per-series state of a name by it without hashing the name again.
   */
  lastRawId = -1;
  /** Raw id → batch id + 1 of the metric key it maps to (0: not yet seen; -1: dropped). */
  private keyIds = new Int32Array(16);
  private keyFates = new Uint8Array(16);
  /** The same for dimension keys (another rule set on the same raw table). */
  private dimIds = new Int32Array(16);
  private dimFates = new Uint8Array(16);
  private scratch = new Uint8Array(256);
  private readonly maxStringBytes: number;
  private readonly options: MetricsOptions;
  private readonly keyMin: number;
  private readonly keyMax: number;
  private readonly allowDigit: boolean;
  private readonly dimKeyMax: number;
  private readonly valueMax: number;

  /**
   * @param options the line-protocol options the output must satisfy
   * @param maxStringBytes interned bytes kept before both tables start afresh (between batches)
   */
  constructor(options: MetricsOptions = {}, maxStringBytes = DEFAULT_MAX_STRING_BYTES) {
    this.options = { ...options, shortMetricKey: 'null' } as MetricsOptions;
    this.batch = new MetricBatch(new KeyTable());
    this.maxStringBytes = maxStringBytes;
    this.keyMin = options.metricKeyMinLength ?? METRICS_DEFAULTS.metricKeyMinLength;
    this.keyMax = options.metricKeyMaxLength ?? METRICS_DEFAULTS.metricKeyMaxLength;
    this.allowDigit = options.allowDigitLeadingSections ?? METRICS_DEFAULTS.allowDigitLeadingSections;
    this.dimKeyMax = options.dimensionKeyMaxLength ?? METRICS_DEFAULTS.dimensionKeyMaxLength;
    this.valueMax = options.dimensionValueMaxLength ?? METRICS_DEFAULTS.dimensionValueMaxLength;
  }

  /** Empties the batch for the next one; past the budget, forgets every interned string first. */
  startBatch(): void {
    const batch = this.batch;
    batch.clear();
    if (batch.strings.heldBytes + this.raw.heldBytes > this.maxStringBytes) {
      batch.strings.clear();
      this.raw.clear();
      this.keyIds.fill(0);
      this.dimIds.fill(0);
      batch.generation++;
    }
  }

  /** Interns bytes as they are into the batch's table (text the caller knows to be valid). */
  intern(buf: Uint8Array, start: number, end: number): number {
    return this.batch.strings.intern(buf, start, end);
  }

  /** Interns a string into the batch's table (cold paths: options, repaired names). */
  internText(text: string): number {
    const need = text.length * 3;
    if (this.scratch.length < need) this.scratch = new Uint8Array(need);
    const n = encoder.encodeInto(text, this.scratch).written;
    return this.batch.strings.intern(this.scratch, 0, n);
  }

  /**
   * The batch id of the metric key `buf[start, end)` stands for, or -1 when nothing valid can be made
   * of it; `fate` tells whether it was renamed or dropped.
   */
  metricKey(buf: Uint8Array, start: number, end: number): number {
    return this.metricKeyOf(buf, start, end, this.raw.intern(buf, start, end));
  }

  /**
   * `metricKey` with the FNV-1a hash of the bytes (`hashKeyBytes`) already computed by the
   * caller's scan, so the name is read once more only to compare it with the stored one.
   */
  metricKeyHashed(buf: Uint8Array, start: number, end: number, hash: number): number {
    return this.metricKeyOf(buf, start, end, this.raw.internHashed(buf, start, end, hash));
  }

  /** Raw id (see `lastRawId`) of the name of the last `metricKey` call. */
  private metricKeyOf(buf: Uint8Array, start: number, end: number, rawId: number): number {
    this.lastRawId = rawId;
    if (rawId >= this.keyIds.length) this.growKeys(rawId);
    const known = this.keyIds[rawId]!;
    if (known !== 0) {
      this.fate = this.keyFates[rawId]!;
      if (this.fate !== NameFate.VALID) this.lastRaw = this.raw.text(rawId);
      return known > 0 ? known - 1 : -1;
    }
    let id: number;
    let fate: number;
    if (this.validMetricKey(buf, start, end)) {
      id = this.intern(buf, start, end);
      fate = NameFate.VALID;
    } else {
      const text = this.raw.text(rawId);
      const fixed = normalizeMetricKey(text, this.options);
      id = fixed === null ? -1 : this.internText(fixed);
      fate = fixed === null ? this.dropFate(text) : NameFate.RENAMED;
      this.lastRaw = text;
    }
    this.keyIds[rawId] = id + 1 === 0 ? -1 : id + 1;
    this.keyFates[rawId] = fate;
    this.fate = fate;
    return id;
  }

  /** The batch id of the dimension key `buf[start, end)` stands for, or -1 (see `metricKey`). */
  dimensionKey(buf: Uint8Array, start: number, end: number): number {
    return this.dimensionKeyOf(buf, start, end, this.raw.intern(buf, start, end));
  }

  /** The raw id of `buf[start, end)` (interned as written; what `dimensionKeyOf` takes). */
  rawId(buf: Uint8Array, start: number, end: number): number {
    return this.raw.intern(buf, start, end);
  }

  /** `dimensionKey` of bytes whose raw id (`rawId`) the caller already has. */
  dimensionKeyOf(buf: Uint8Array, start: number, end: number, rawId: number): number {
    this.lastRawId = rawId;
    if (rawId >= this.dimIds.length) this.growDims(rawId);
    const known = this.dimIds[rawId]!;
    if (known !== 0) {
      this.fate = this.dimFates[rawId]!;
      if (this.fate !== NameFate.VALID) this.lastRaw = this.raw.text(rawId);
      return known > 0 ? known - 1 : -1;
    }
    let id: number;
    let fate: number;
    if (this.validDimensionKey(buf, start, end)) {
      id = this.intern(buf, start, end);
      fate = NameFate.VALID;
    } else {
      const text = this.raw.text(rawId);
      const fixed = normalizeDimensionKey(text, this.options);
      id = fixed === null ? -1 : this.internText(fixed);
      fate = fixed === null ? NameFate.DROPPED : NameFate.RENAMED;
      this.lastRaw = text;
    }
    this.dimIds[rawId] = id + 1 === 0 ? -1 : id + 1;
    this.dimFates[rawId] = fate;
    this.fate = fate;
    return id;
  }

  /**
   * The batch id of the dimension value `buf[start, end)` (unescaped bytes), repaired when it could be
   * rejected; -1 when empty or nothing is left (the endpoint drops such a dimension).
   */
  dimensionValue(buf: Uint8Array, start: number, end: number): number {
    if (start >= end) {
      this.fate = NameFate.DROPPED;
      return -1;
    }
    // the written form (escapes included) bounds both readings of the limit; UTF-16 units <= bytes
    let written = end - start;
    let clean = true;
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c < 128) {
        if ((CHAR_CLASS[c]! & C_CONTROL) !== 0) {
          clean = false;
          break;
        }
        if (escapedByte(c)) written++;
      }
    }
    if (clean && written <= this.valueMax) {
      this.fate = NameFate.VALID;
      return this.intern(buf, start, end);
    }
    const text = decoder.decode(buf.subarray(start, end));
    const escaped = normalizeDimensionValue(text, this.options);
    if (escaped === null) {
      this.fate = NameFate.DROPPED;
      return -1;
    }
    this.fate = NameFate.RENAMED;
    return this.internText(unescapeBare(escaped));
  }

  /**
   * Why a metric key that cannot be repaired is dropped: `RESERVED` when the prefix 'dt.' is its only
   * fault (the same name with another two-letter first section would be kept), else `DROPPED`. The
   * repair keeps a first section of letters as it is, so only a name that starts with 'dt.' can end
   * up reserved. Cold: once per distinct dropped name.
   */
  private dropFate(text: string): number {
    if (!text.startsWith(WORDS.RESERVED_KEY_PREFIX)) return NameFate.DROPPED;
    return normalizeMetricKey(`xx${text.slice(2)}`, this.options) === null ? NameFate.DROPPED : NameFate.RESERVED;
  }

  private validMetricKey(buf: Uint8Array, start: number, end: number): boolean {
    const n = end - start;
    if (n < this.keyMin || n > this.keyMax) return false;
    // 'dt.' is reserved
    if (n >= 3 && buf[start] === 0x64 && buf[start + 1] === 0x74 && buf[start + 2] === DOT) return false;
    let sectionStart = true;
    let first = true;
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c === DOT) {
        if (sectionStart) return false;
        sectionStart = true;
        first = false;
        continue;
      }
      if (c >= 128) return false;
      const k = CHAR_CLASS[c]!;
      if ((k & C_METRIC_KEY) === 0) return false;
      if (sectionStart) {
        sectionStart = false;
        if (first) {
          if ((k & C_ALPHA) === 0 && c !== UNDERSCORE) return false;
        } else if (c === MINUS || ((k & C_DIGIT) !== 0 && !this.allowDigit)) return false;
      }
    }
    return !sectionStart;
  }

  private validDimensionKey(buf: Uint8Array, start: number, end: number): boolean {
    const n = end - start;
    if (n === 0 || n > this.dimKeyMax) return false;
    let sectionStart = true;
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c === DOT) {
        if (sectionStart) return false;
        sectionStart = true;
        continue;
      }
      if (c >= 128) return false;
      const k = CHAR_CLASS[c]!;
      if ((k & (sectionStart ? C_DIM_KEY_START : C_DIM_KEY)) === 0) return false;
      sectionStart = false;
    }
    return !sectionStart;
  }

  private growKeys(rawId: number): void {
    let n = this.keyIds.length * 2;
    while (n <= rawId) n *= 2;
    const ids = new Int32Array(n);
    ids.set(this.keyIds);
    this.keyIds = ids;
    const fates = new Uint8Array(n);
    fates.set(this.keyFates);
    this.keyFates = fates;
  }

  private growDims(rawId: number): void {
    let n = this.dimIds.length * 2;
    while (n <= rawId) n *= 2;
    const ids = new Int32Array(n);
    ids.set(this.dimIds);
    this.dimIds = ids;
    const fates = new Uint8Array(n);
    fates.set(this.dimFates);
    this.dimFates = fates;
  }
}

/** The text an escaped bare dimension value stands for (`a\ b` → `a b`). */
function unescapeBare(escaped: string): string {
  if (escaped.indexOf('\\') < 0) return escaped;
  let out = '';
  for (let i = 0; i < escaped.length; i++) {
    const c = escaped.charCodeAt(i);
    if (c === 0x5c && i + 1 < escaped.length) {
      out += escaped[i + 1];
      i++;
    } else out += escaped[i];
  }
  return out;
}
