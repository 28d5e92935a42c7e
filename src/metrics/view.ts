/**
 * The reused view of one scanned line: offsets into the bytes, numbers already parsed, the verdict,
 * and the strings decoded only when asked. The scanner (`scanner.ts`) fills it; everything above reads
 * it. Nothing here allocates unless a string getter is called.
 *
 * @module
 */
import { BACKSLASH, Byte, COMMA, EQUALS, QUOTE, SPACE, utf16Length } from '../protocol/chars.js';
import { WORDS } from '../protocol/words.js';

/** What a line is. */
export const LineKind = {
  /** Empty or only spaces: skipped, neither OK nor invalid (spec §1, *decided*). */
  BLANK: 0,
  /** A data point line. */
  DATA: 1,
  /** A `#` metadata line. */
  METADATA: 2,
} as const;

/** Payload types. */
export const PayloadType = { GAUGE: 0, SUMMARY: 1, COUNT: 2 } as const;

/** Which suffix the endpoint appends to the key (spec §3). */
export const KeySuffix = { NONE: 0, COUNT: 1, GAUGE: 2 } as const;

/** Ints per stored dimension in {@link MetricLine.dims}. */
export const DIM_STRIDE = 6;
/** Offsets inside one dimension record. */
export const DIM_KEY_START = 0;
/** Offset of the dimension key's end in a record. */
export const DIM_KEY_END = 1;
/** Offset of the value's start (after an opening quote) in a record. */
export const DIM_VALUE_START = 2;
/** Offset of the value's end (before a closing quote) in a record. */
export const DIM_VALUE_END = 3;
/** Bit 0: value was quoted ({@link DIM_QUOTED}); bit 1: value holds escapes ({@link DIM_ESCAPED}). */
export const DIM_FLAGS = 4;
/** {@link DIM_FLAGS} bit: the value was quoted. */
export const DIM_QUOTED = 1;
/** {@link DIM_FLAGS} bit: the value holds escapes (resolved when it is read). */
export const DIM_ESCAPED = 2;
/** Unescaped length of the value in UTF-16 units. */
export const DIM_VALUE_UNITS = 5;

/**
 * Dimension records a view reserves at first (the default `maxDimensions` is 50): more are allocated
 * only for a line that has them, so a large `maxDimensions` costs nothing until used.
 */
export const INITIAL_DIM_CAPACITY = 64;

/** Slots of {@link MetricLine.numbers}. */
export const NumberSlot = {
  VALUE: 0,
  MIN: 1,
  MAX: 2,
  SUM: 3,
  COUNT: 4,
  DELTA: 5,
  TIMESTAMP: 6,
  /** a value read before it is known to be the timestamp */ SCRATCH: 7,
} as const;

/** Metadata properties: the argument of {@link MetricLine.metaValue}. */
export const MetaProp = { DISPLAY_NAME: 0, DESCRIPTION: 1, UNIT: 2 } as const;

/**
 * The reused view of one line: offsets into `buf`, numbers already parsed, the verdict. Valid only
 * during the callback that receives it; copy what you need (or call the string getters) there.
 */
export class MetricLine {
  /** Bytes holding the line (the input chunk, or the carry buffer for a line that spanned chunks). */
  buf: Uint8Array = EMPTY;
  /** First byte of the line. */
  start = 0;
  /** End of the line (exclusive), after dropping a trailing CR. */
  end = 0;
  /** 1-based physical line number in the body. */
  line = 0;
  /** {@link LineKind}. */
  kind: number = LineKind.BLANK;
  /** First error's {@link RuleCode} (0 when the line is valid). */
  error = 0;
  /** Byte offset (into `buf`) where the first error was found. */
  errorAt = 0;
  /** Numeric argument of the error message (a measured length or count, the timestamp). */
  errorArg = 0;
  /** @internal The limit of the error message where it is not fixed by the code alone (metadata values). */
  errorMax = 0;
  /** Warning {@link RuleCode} (0 when none). */
  warning = 0;
  /** {@link KeySuffix} the endpoint would append. */
  keySuffix: number = KeySuffix.NONE;
  /** Metric key is `buf[keyStart, keyEnd)` (after the `#` for metadata lines). */
  keyStart = 0;
  keyEnd = 0;
  /** Number of kept dimensions (empty values dropped). */
  dimCount = 0;
  /** @internal Dimension records, `DIM_STRIDE` ints each, one per kept dimension (grown as lines need). */
  dims: Int32Array;
  /** @internal How many dimension records fit. */
  dimCapacity: number;
  /** @internal Whether the dimension part ended in a bare (unquoted) value. */
  lastValueBare = false;
  /** {@link PayloadType} (data lines) or 0 gauge / 2 count (metadata lines). */
  payloadType: number = PayloadType.GAUGE;
  payloadStart = 0;
  payloadEnd = 0;
  /**
   * The parsed numbers, by `NumberSlot`: written in place so the hot path boxes no doubles.
   * The getters below read them.
   * @internal
   */
  readonly numbers: Float64Array = new Float64Array(8);
  /** Gauge value. */
  get value(): number {
    return this.numbers[NumberSlot.VALUE]!;
  }
  /** Summary `min`. */
  get min(): number {
    return this.numbers[NumberSlot.MIN]!;
  }
  /** Summary `max`. */
  get max(): number {
    return this.numbers[NumberSlot.MAX]!;
  }
  /** Summary `sum`. */
  get sum(): number {
    return this.numbers[NumberSlot.SUM]!;
  }
  /** Summary `count`. */
  get count(): number {
    return this.numbers[NumberSlot.COUNT]!;
  }
  /** Count delta. */
  get delta(): number {
    return this.numbers[NumberSlot.DELTA]!;
  }
  /** Timestamp in epoch ms, or -1 when absent. */
  get timestamp(): number {
    return this.numbers[NumberSlot.TIMESTAMP]!;
  }
  /** @internal Metadata property ranges: [start, end, flags] for displayName, description, unit (start -1 when absent). */
  readonly meta: Int32Array = new Int32Array(9);

  /**
   * @param maxDimensions the `maxDimensions` option: records for that many dimensions are reserved up
   *   to `INITIAL_DIM_CAPACITY`; a line with more valid dimensions grows the array (doubling), so
   *   every dimension a line may have is kept, whatever the option
   * @internal
   */
  constructor(maxDimensions: number) {
    this.dimCapacity = Math.max(1, Math.min(maxDimensions, INITIAL_DIM_CAPACITY));
    this.dims = new Int32Array(this.dimCapacity * DIM_STRIDE);
  }

  /** @internal Makes room for at least `count` dimension records (amortized: the capacity doubles). */
  growDims(count: number): Int32Array {
    let capacity = this.dimCapacity * 2;
    while (capacity < count) capacity *= 2;
    const dims = new Int32Array(capacity * DIM_STRIDE);
    dims.set(this.dims);
    this.dims = dims;
    this.dimCapacity = capacity;
    return dims;
  }

  /** The metric key (decoded on request; ASCII by the grammar, unless the line is invalid). */
  key(): string {
    return decodeUtf8(this.buf, this.keyStart, this.keyEnd);
  }

  /** The key the endpoint stores (with `.count` / `.gauge` appended per spec §3). */
  storedKey(): string {
    return storedKeyOf(this.key(), this.keySuffix);
  }

  /** Key of kept dimension `i`. */
  dimensionKey(i: number): string {
    const o = i * DIM_STRIDE;
    return decodeUtf8(this.buf, this.dims[o + DIM_KEY_START]!, this.dims[o + DIM_KEY_END]!);
  }

  /** Value of kept dimension `i`, escapes resolved. */
  dimensionValue(i: number): string {
    const o = i * DIM_STRIDE;
    const start = this.dims[o + DIM_VALUE_START]!;
    const end = this.dims[o + DIM_VALUE_END]!;
    if ((this.dims[o + DIM_FLAGS]! & 2) === 0) return decodeUtf8(this.buf, start, end);
    return unescapeValue(this.buf, start, end, (this.dims[o + DIM_FLAGS]! & 1) !== 0);
  }

  /** The raw text of the line (for reports). */
  text(): string {
    return decodeUtf8(this.buf, this.start, this.end);
  }

  /** Metadata property `p` ({@link MetaProp}) or `undefined`. */
  metaValue(p: number): string | undefined {
    const s = this.meta[p * 3]!;
    if (s < 0) return undefined;
    const e = this.meta[p * 3 + 1]!;
    const quoted = this.meta[p * 3 + 2] === 1;
    return quoted ? unescapeMetadata(this.buf, s, e) : decodeUtf8(this.buf, s, e);
  }

  /** 1-based column (UTF-16 units) of a byte offset in this line. */
  columnOf(offset: number): number {
    return utf16Length(this.buf, this.start, Math.min(offset, this.end)) + 1;
  }
}

/**
 * The key the endpoint stores for `key` with a {@link KeySuffix} (spec §3).
 * @example storedKeyOf('requests', KeySuffix.COUNT) // 'requests.count'
 */
export function storedKeyOf(key: string, suffix: number): string {
  return suffix === KeySuffix.COUNT ? key + WORDS.STORED_COUNT_SUFFIX : suffix === KeySuffix.GAUGE ? key + WORDS.STORED_GAUGE_SUFFIX : key;
}

/** An empty buffer: the view's bytes before the first scan. */
export const EMPTY = /* @__PURE__ */ new Uint8Array(0);
// a U+FEFF that starts a decoded slice is data, not a byte-order mark: keep it (ignoreBOM)
const decoder = /* @__PURE__ */ new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Short ASCII strings decoded lately, by content (in the spirit of msgpackr's key cache): metric keys,
 * dimension keys and many values repeat from line to line, so a hit hands back the same string and
 * allocates nothing. 4,096 slots of at most 16 bytes (64 KB), direct-mapped by a hash of the bytes.
 */
const CACHE_SLOTS = 4096;
const CACHE_MAX_BYTES = 16;
const cacheBytes = /* @__PURE__ */ (() => new Uint8Array(CACHE_SLOTS * CACHE_MAX_BYTES))();
const cacheLengths = /* @__PURE__ */ new Uint8Array(CACHE_SLOTS); // 0: empty (an empty string never gets here)
const cacheStrings: string[] = /* @__PURE__ */ (() => new Array<string>(CACHE_SLOTS).fill(''))();

function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 0) return '';
  if (n <= 64) {
    // ASCII check and hash in one pass
    let h = n;
    let i = start;
    for (; i < end; i++) {
      const b = buf[i]!;
      if (b >= 128) break;
      h = Math.imul(h ^ b, 0x9e3779b1);
    }
    if (i === end) {
      if (n > CACHE_MAX_BYTES) return asciiString(buf, start, end);
      const slot = (h >>> 20) & (CACHE_SLOTS - 1);
      const at = slot * CACHE_MAX_BYTES;
      if (cacheLengths[slot] === n) {
        let k = 0;
        while (k < n && cacheBytes[at + k] === buf[start + k]) k++;
        if (k === n) return cacheStrings[slot]!;
      }
      const str = asciiString(buf, start, end);
      for (let k = 0; k < n; k++) cacheBytes[at + k] = buf[start + k]!;
      cacheLengths[slot] = n;
      cacheStrings[slot] = str;
      return str;
    }
  }
  return decoder.decode(buf.subarray(start, end));
}

/** ASCII bytes as a string, four characters per call (no subarray, no argument array). */
function asciiString(buf: Uint8Array, start: number, end: number): string {
  let out = '';
  let i = start;
  for (; i + 4 <= end; i += 4) out += String.fromCharCode(buf[i]!, buf[i + 1]!, buf[i + 2]!, buf[i + 3]!);
  for (; i < end; i++) out += String.fromCharCode(buf[i]!);
  return out;
}

/**
 * Writes the value `buf[start, end)` with its escapes resolved into `out` (at least `end - start`
 * bytes) and returns the length: in quoted values only `\"` and `\\` are escapes, in bare values a
 * backslash before any of ` ,="\`; a backslash before anything else is literal (spec §2, *decided*).
 * @example unescapeValueBytes(bytes, s, e, false, out) // 'a\ b' -> 'a b'
 */
export function unescapeValueBytes(buf: Uint8Array, start: number, end: number, quoted: boolean, out: Uint8Array): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c === BACKSLASH && i + 1 < end) {
      const d = buf[i + 1]!;
      if (d === QUOTE || d === BACKSLASH || (!quoted && (d === SPACE || d === COMMA || d === EQUALS))) {
        out[n++] = d;
        i++;
        continue;
      }
    }
    out[n++] = c;
  }
  return n;
}

/** {@link unescapeValueBytes}, decoded. */
function unescapeValue(buf: Uint8Array, start: number, end: number, quoted: boolean): string {
  const out = new Uint8Array(end - start);
  return decoder.decode(out.subarray(0, unescapeValueBytes(buf, start, end, quoted, out)));
}

/**
 * Resolves `\"`, `\\` and `\n` in a quoted metadata value; a backslash before any other character
 * is literal (spec §5, *decided* as for dimension values).
 */
function unescapeMetadata(buf: Uint8Array, start: number, end: number): string {
  const out = new Uint8Array(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c === BACKSLASH && i + 1 < end) {
      const d = buf[i + 1]!;
      if (d !== QUOTE && d !== BACKSLASH && d !== Byte.LOWER_N) {
        out[n++] = c;
        continue;
      }
      out[n++] = d === Byte.LOWER_N ? Byte.LF : d;
      i++;
      continue;
    }
    out[n++] = c;
  }
  return decoder.decode(out.subarray(0, n));
}
