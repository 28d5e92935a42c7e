/**
 * The fused pass: one loop over a region of complete lines that reads each line's grammar and finds
 * its LF as the byte after its last token, so a plain valid line costs no call, no view and no
 * string. It is an *acceptor*: it counts a line only when it can prove, with the same arithmetic as
 * the reference scanner (`scanner.ts`), that the line is a valid data line; for such a line whose
 * key the endpoint rewrites (spec §3) it reports the key's bytes. Every other line (an error,
 * metadata, a blank line of spaces, non-ASCII bytes, a number with an exponent, two spaces in a
 * row, ...) goes to {@link RegionHost.line}, where the reference scanner judges it and explains
 * why. So the fused pass can never change a verdict; it can only be slower on unusual lines (each
 * is read at most twice, so the cost stays linear).
 *
 * The region must end with an LF: every inner loop stops at that byte (LF is in no class a loop
 * skips), so no loop tests bounds.
 *
 * Two passes share the grammar: {@link RegionScanner.scan} (validation) and
 * {@link RegionScanner.record} (the columnar batch). They are written out twice on purpose: the
 * validation pass makes no call while it reads lines (it stores the few lines it hands on as events
 * and hands them on after each block of lines; its small helpers, `keyEnd`, `stopAt` and `quad`,
 * are inlined by the optimizing compiler), so V8 keeps its state in registers; the recording
 * pass calls out for every dimension and number. One loop serving both paid for the recording's calls
 * in validation (issue 19: 13 %). `test/unit/metrics/region.test.ts` holds both to the reference
 * scanner line by line.
 *
 * @module
 */
import type { ResolvedMetricsOptions } from '../protocol/options.js';
import { SUMMARY_TOLERANCE, timestampWindow } from '../protocol/options.js';
import { Byte, CHAR_CLASS, CharClass } from '../protocol/chars.js';
import { SUMMARY_FIELD_WORDS, WORDS, endsWithCountSuffix, wordBytes } from '../protocol/words.js';
import { LineVerdict, type LineMap } from '../scan/line-map.js';
import { NUMBER_OK, POW10, parseDigitsTo, parseNumberTo } from './numbers.js';
import {
  DIM_ESCAPED,
  DIM_FLAGS,
  DIM_KEY_END,
  DIM_KEY_START,
  DIM_QUOTED,
  DIM_STRIDE,
  DIM_VALUE_END,
  DIM_VALUE_START,
  DIM_VALUE_UNITS,
  KeySuffix,
  NumberSlot,
  PayloadType,
} from './view.js';

/** Where the fused pass hands the lines it does not accept (in both of its modes). */
export interface RegionHost {
  /** A line the pass did not accept: `buf[start, end)` without its LF, to be judged by the reference scanner. */
  line(buf: Uint8Array, start: number, end: number, line: number): void;
}

/** Counting mode (the validator): the accepted lines are counted; those whose key is rewritten are handed on. */
export interface RegionCounter extends RegionHost {
  /**
   * A valid data line whose key the endpoint rewrites (spec §3): key `buf[keyStart, keyEnd)` (the key
   * starts the line), {@link KeySuffix}, and `lineEnd`, the offset of the line's LF.
   */
  keyRewritten(line: number, buf: Uint8Array, keyStart: number, keyEnd: number, suffix: number, lineEnd: number): void;
}

/**
 * Where the fused pass writes the parts of each line it accepts, when asked (the columnar batch):
 * integers and one shared `Float64Array`, so handing a point over boxes nothing.
 */
export interface RegionRecorder extends RegionHost {
  /** Dimension records of the line being read, `DIM_STRIDE` ints each (the view's layout). */
  dims: Int32Array;
  /** Makes room for at least `count` dimension records and returns the (new) array. */
  growDims(count: number): Int32Array;
  /** The accepted line's numbers, by `NumberSlot` (timestamp -1 when absent). */
  readonly numbers: Float64Array;
  /** A valid data line: key `buf[keyStart, keyEnd)`, `dimCount` records in {@link dims}, {@link PayloadType}, {@link KeySuffix}. */
  point(line: number, buf: Uint8Array, keyStart: number, keyEnd: number, dimCount: number, payloadType: number, suffix: number): void;
}

/**
 * Numbers the passes compare with: named as a `const enum` so the bundle writes them into the loops
 * (a module constant is a context load and a hole check at every use in optimized code).
 */
const enum Limit {
  /**
   * Integer digits a plain number may have and still be accepted here as finite without computing
   * it: 10^300 is far below the largest double (about 1.8e308). Longer ones go to the reference scanner.
   */
  MAX_PLAIN_INT_DIGITS = 300,
  /** Exponent digits read here; a longer exponent (leading zeros, or huge) goes to the reference reader. */
  MAX_EXPONENT_DIGITS = 4,
  /** Digits of a summary field computed here: below 10^15 an integer mantissa is exact (as in numbers.ts). */
  MAX_EXACT_DIGITS = 15,
}

/**
 * {@link PayloadType} (view.ts) as a `const enum`, for the same reason; the
 * region tests compare what the passes report with the reference scanner's view, so a drift fails there.
 */
const enum Payload {
  GAUGE = 0,
  SUMMARY = 1,
  COUNT = 2,
}
/** {@link KeySuffix} as a `const enum` (see {@link Payload}). */
const enum Suffix {
  NONE = 0,
  COUNT = 1,
  GAUGE = 2,
}

// the fixed words (src/protocol/words.ts) as bytes packed four to an int (little-endian), compared
// with one load and compare per four bytes instead of a loop over an array (issue 19 ablation:
// 11-19 %); in pure calls a bundle can drop (docs/architecture.md). The passes copy them into locals.
const GAUGE_COMMA = /* @__PURE__ */ (() => wordBytes(WORDS.GAUGE + ','))();
const COUNT_COMMA_DELTA = /* @__PURE__ */ (() => wordBytes(WORDS.COUNT + ',' + WORDS.DELTA_FIELD))();
const SUMMARY_FIELDS = /* @__PURE__ */ (() => SUMMARY_FIELD_WORDS.map(wordBytes))();
const RESERVED = /* @__PURE__ */ (() => wordBytes(WORDS.RESERVED_KEY_PREFIX))();
const COUNT_SUFFIX = /* @__PURE__ */ (() => wordBytes(WORDS.COUNT_SUFFIX_WORD))();
/** Bytes `at, at + 4)` of a word as one int, little-endian (as {@link quad} reads the input). */
const packed = (word: readonly number[], at: number): number => word[at]! | (word[at + 1]! << 8) | (word[at + 2]! << 16) | (word[at + 3]! << 24);
/** `gauge,` `count,delta=` `dt.` and `count` (the key suffix word) as ints, with their lengths. */
const WORD = /* @__PURE__ */ (() =>
  Int32Array.of(
    packed(GAUGE_COMMA, 0),
    GAUGE_COMMA[4]! | (GAUGE_COMMA[5]! << 8),
    packed(COUNT_COMMA_DELTA, 0),
    packed(COUNT_COMMA_DELTA, 4),
    packed(COUNT_COMMA_DELTA, 8),
    RESERVED[0]! | (RESERVED[1]! << 8) | (RESERVED[2]! << 16),
    packed(COUNT_SUFFIX, 0),
    COUNT_SUFFIX[4]!,
  ))();
/** min= max= sum= as ints, then count= as an int and its last two bytes. */
const SUMMARY_0 = /* @__PURE__ */ (() => Int32Array.from(SUMMARY_FIELDS, (w) => packed(w, 0)))();
const SUMMARY_COUNT_4 = /* @__PURE__ */ (() => SUMMARY_FIELDS[3]![4]! | (SUMMARY_FIELDS[3]![5]! << 8))();

/**
 * Bits of {@link KEY_RUN}: a key and its dots read in one loop. A dot used to end the loop (one
 * mispredicted exit per section); now the loop runs through it and remembers, without a branch,
 * whether the byte after a dot may start a section (spec §2: a metric key section starts with a
 * key character that is not '-', nor a digit unless allowed; a dimension key section with a
 * lowercase letter or '_').
 */
const enum Run {
  /** '.' */
  DOT = 1,
  /** May not start a metric key section: '-' and '.'. */
  KEY_BAD_START = 2,
  /** A digit (may start a metric key section only when `allowDigitLeadingSections`). */
  DIGIT = 4,
  /** May not start a dimension key section: a dimension key byte that is no start byte, and '.'. */
  DIM_BAD_START = 8,
  /** Stays in a dimension key: a dimension key byte or '.'. */
  DIM = 64,
  /** Stays in a metric key: a metric key byte or '.'. */
  KEY = 128,
}

/** A '.' of {@link KEY_RUN} holds, from this bit on, the {@link Run} bits the byte after it may not have. */
const enum RunShift {
  AFTER = 8,
}

/** The classes of {@link Run}, derived from `CHAR_CLASS` (chars.ts stays the one table of characters). */
const KEY_RUN = /* @__PURE__ */ (() => {
  const t = new Uint16Array(256);
  for (let c = 0; c < 256; c++) {
    const k = CHAR_CLASS[c]!;
    let f = 0;
    if (c === Byte.DOT)
      f |= Run.DOT | Run.KEY_BAD_START | Run.DIM_BAD_START | Run.KEY | Run.DIM | ((Run.KEY_BAD_START | Run.DIGIT | Run.DIM_BAD_START) << RunShift.AFTER);
    if (c === Byte.MINUS) f |= Run.KEY_BAD_START;
    if ((k & CharClass.DIGIT) !== 0) f |= Run.DIGIT;
    if ((k & CharClass.DIM_KEY) !== 0) f |= Run.DIM;
    if ((k & CharClass.DIM_KEY) !== 0 && (k & CharClass.DIM_KEY_START) === 0) f |= Run.DIM_BAD_START;
    if ((k & CharClass.METRIC_KEY) !== 0) f |= Run.KEY;
    t[c] = f;
  }
  return t;
})();

/**
 * The end of a key from `i` (just past its first byte): the first byte without the `stay` bit of
 * {@link KEY_RUN} ({@link Run.KEY} or {@link Run.DIM}), or -1 when a section after a dot starts with a
 * byte in `badStart` or the key ends with a dot. Four bytes a turn: V8 checks for interrupts and
 * reloads the array's pointers once per turn, and a run of ordinary bytes costs no branch but the
 * one per byte that ends it. Small enough that the optimizing compiler inlines it (the passes make
 * no real call per line).
 */
function keyEnd(buf: Uint8Array, i: number, stay: number, badStart: number): number {
  const run = KEY_RUN;
  // `after` holds the bits the byte after a dot may not have; `bad` collects them
  let after = 0;
  let bad = 0;
  let k = 0;
  for (;;) {
    k = run[buf[i]!]!;
    if ((k & stay) === 0) break;
    bad |= after & k;
    after = k >> RunShift.AFTER;
    k = run[buf[i + 1]!]!;
    if ((k & stay) === 0) {
      i += 1;
      break;
    }
    bad |= after & k;
    after = k >> RunShift.AFTER;
    k = run[buf[i + 2]!]!;
    if ((k & stay) === 0) {
      i += 2;
      break;
    }
    bad |= after & k;
    after = k >> RunShift.AFTER;
    k = run[buf[i + 3]!]!;
    if ((k & stay) === 0) {
      i += 3;
      break;
    }
    bad |= after & k;
    after = k >> RunShift.AFTER;
    i += 4;
  }
  return ((bad | after) & badStart) === 0 ? i : -1;
}

/**
 * The first byte from `i` with a `stop` bit of `CHAR_CLASS` ({@link CharClass.BARE_STOP} or
 * {@link CharClass.QUOTED_STOP}): the end of a dimension value's plain run. Four bytes a turn (see
 * {@link keyEnd}).
 */
function stopAt(buf: Uint8Array, i: number, stop: number): number {
  const cc = CHAR_CLASS;
  for (;;) {
    if ((cc[buf[i]!]! & stop) !== 0) return i;
    if ((cc[buf[i + 1]!]! & stop) !== 0) return i + 1;
    if ((cc[buf[i + 2]!]! & stop) !== 0) return i + 2;
    if ((cc[buf[i + 3]!]! & stop) !== 0) return i + 3;
    i += 4;
  }
}

/** Four input bytes as one int (little-endian); the caller knows they lie before the region's last LF. */
function quad(buf: Uint8Array, i: number): number {
  return buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
}

/**
 * Summary fields min, max, sum, count, written in place (no heap-number boxes). Shared by every
 * instance: no callback runs between writing a line's fields and reading them, so a scan started from
 * inside another scan's callback cannot disturb them.
 */
const SCRATCH = /* @__PURE__ */ new Float64Array(4);

/**
 * Lines the validation pass reads before it hands on what it found: bounds its event buffer (one
 * event per line at most) and what a line map grows by per block.
 */
const BLOCK_LINES = 1024;

/**
 * An event of the validation pass, {@link EventSlot.STRIDE} ints: a line it hands on (`SUFFIX` 0: to
 * {@link RegionHost.line}) or a valid line whose key the endpoint rewrites (`SUFFIX` a
 * {@link KeySuffix}: to {@link RegionHost.keyRewritten}).
 */
const enum EventSlot {
  LINE = 0,
  START = 1,
  KEY_END = 2,
  LINE_END = 3,
  SUFFIX = 4,
  STRIDE = 5,
}

/**
 * Event buffers not in use: a scan takes one and gives it back, so the passes of every validator in
 * a process share one (a scan started from a callback of another takes a second).
 */
const freeEvents: Int32Array[] = [];

/**
 * The fused pass for one set of options. Holds no state between calls, so one instance serves a
 * stream; create one per parser (instances are independent).
 *
 * @example
 * const region = new RegionScanner(resolveMetricsOptions());
 * const plain = region.scan(bytes, 0, bytes.length, 1, counter); // bytes end with LF
 */
export class RegionScanner {
  /** Physical lines the last {@link scan} or {@link record} went through (blank ones included). */
  lines = 0;
  /** Where each line's start (and an empty line's blank verdict) goes, when the body's map is wanted ({@link scan} only). */
  map: LineMap | undefined = undefined;
  private readonly o: ResolvedMetricsOptions;
  private readonly tsMin: number;
  private readonly tsMax: number;
  /** What the last {@link block} found: plain lines, events (ints used), the next line's number. */
  private blockPlain = 0;
  private blockEvents = 0;
  private blockNextLine = 0;

  /** @param options resolved options */
  constructor(options: ResolvedMetricsOptions) {
    this.o = options;
    const window = timestampWindow(options);
    this.tsMin = window.min;
    this.tsMax = window.max;
  }

  /**
   * Scans `buf[start, end)`, which ends with an LF, whose first line is number `firstLine`. Returns
   * the number of valid data lines without a warning that it counted; sets {@link lines}. The lines it
   * does not count reach `counter` in line order.
   */
  scan(buf: Uint8Array, start: number, end: number, firstLine: number, counter: RegionCounter): number {
    const events = freeEvents.pop() ?? new Int32Array(BLOCK_LINES * EventSlot.STRIDE);
    let plain = 0;
    let line = firstLine;
    let pos = start;
    try {
      while (pos < end) {
        pos = this.block(buf, pos, end, line, events);
        plain += this.blockPlain;
        line = this.blockNextLine;
        const n = this.blockEvents;
        for (let e = 0; e < n; e += EventSlot.STRIDE) {
          const number = events[e + EventSlot.LINE]!;
          const ls = events[e + EventSlot.START]!;
          const lineEnd = events[e + EventSlot.LINE_END]!;
          const suffix = events[e + EventSlot.SUFFIX]!;
          if (suffix === Suffix.NONE) counter.line(buf, ls, lineEnd, number);
          else counter.keyRewritten(number, buf, ls, events[e + EventSlot.KEY_END]!, suffix, lineEnd);
        }
      }
    } finally {
      freeEvents.push(events);
    }
    this.lines = line - firstLine;
    return plain;
  }

  /**
   * The validation pass over at most {@link BLOCK_LINES} lines from `pos`: counts plain lines, writes
   * the others as events, fills the map. Makes no call (module tables and options are read into
   * locals first), so the optimizing compiler keeps its state in registers. Returns where it stopped.
   */
  private block(buf: Uint8Array, pos: number, end: number, line: number, events: Int32Array): number {
    const cc = CHAR_CLASS;
    const o = this.o;
    const maxLine = o.maxLineLength;
    const keyMin = o.metricKeyMinLength;
    const keyMax = o.metricKeyMaxLength;
    const keyBadStart = o.allowDigitLeadingSections ? Run.KEY_BAD_START : Run.KEY_BAD_START | Run.DIGIT;
    const maxDims = o.maxDimensions;
    const dimKeyMax = o.dimensionKeyMaxLength;
    const dimValueMax = o.dimensionValueMaxLength;
    const rewrite = o.rewriteKeySuffix;
    const ignoreCr = o.ignoreCarriageReturn;
    const tsMin = this.tsMin;
    const tsMax = this.tsMax;
    const numbers = SCRATCH;
    const pow10 = POW10;
    const summary0 = SUMMARY_0;
    const summaryCount4 = SUMMARY_COUNT_4;
    const word = WORD;
    const gauge0 = word[0]!;
    const gauge4 = word[1]!;
    const count0 = word[2]!;
    const count4 = word[3]!;
    const count8 = word[4]!;
    const reserved0 = word[5]!;
    const suffix0 = word[6]!;
    const suffix4 = word[7]!;
    const gaugeFirst = gauge0 & 0xff;
    const countFirst = count0 & 0xff;
    const gaugeLength = GAUGE_COMMA.length;
    const countLength = COUNT_COMMA_DELTA.length;
    const reservedLength = RESERVED.length;
    const suffixLength = COUNT_SUFFIX.length + 1;
    const map = this.map;
    let starts: Int32Array | undefined;
    let verdicts: Uint8Array | undefined;
    let base = 0;
    // map index of line `line` is `line - first` (a stream's map forgets the lines it has read)
    let first = 1;
    if (map !== undefined) {
      first = map.first;
      map.reserve(line - first + BLOCK_LINES);
      starts = map.starts;
      verdicts = map.verdicts;
      base = map.base;
    }
    const lineLimit = line + BLOCK_LINES;
    let plain = 0;
    let ne = 0;
    while (pos < end && line < lineLimit) {
      const ls = pos;
      if (starts !== undefined) {
        starts[line - first] = base + ls;
        verdicts![line - first] = LineVerdict.OK;
      }
      let i = pos;
      let c = buf[i]!;
      // biome-ignore lint/suspicious/noConfusingLabels: one labelled block, left by `break accepted` the moment a line needs the full scanner
      accepted: {
        // --- metric key: the first character is a letter or '_' (spec §2, *docs*) --------------------
        if ((cc[c]! & CharClass.ALPHA) === 0 && c !== Byte.UNDERSCORE) {
          if (c === Byte.LF) {
            // an empty line: blank, neither OK nor invalid (spec §1)
            if (verdicts !== undefined) verdicts[line - first] = LineVerdict.BLANK;
            pos = i + 1;
            line++;
            continue;
          }
          break accepted;
        }
        // a later section: a key character, not '-', a digit only when allowed (spec §2, *server*)
        const ke = keyEnd(buf, i + 1, Run.KEY, keyBadStart);
        if (ke < 0) break accepted;
        i = ke;
        c = buf[i]!;
        if (c !== Byte.COMMA && c !== Byte.SPACE) break accepted;
        const keyLength = ke - ls;
        if (keyLength < keyMin || keyLength > keyMax) break accepted;
        // a reserved prefix (dt.): the key has at least 3 bytes here and the separator follows
        if (keyLength >= reservedLength && (buf[ls]! | (buf[ls + 1]! << 8) | (buf[ls + 2]! << 16)) === reserved0) break accepted;

        // --- dimensions: ,key=value (spec §2) ---------------------------------------------------------
        // The same reader as in `record` below (its runs share keyEnd and stopAt). The keys stay
        // written out twice: keyEnd in `record` too cost the batch 5-10 % (V8's inlining budget,
        // issue 19 A/B); change both together.
        let kept = 0;
        while (c === Byte.COMMA) {
          const ks = ++i;
          if ((cc[buf[i]!]! & CharClass.DIM_KEY_START) === 0) break accepted;
          // a later section starts with a lowercase letter or '_' (spec §2)
          const dimKeyEnd = keyEnd(buf, i + 1, Run.DIM, Run.DIM_BAD_START);
          if (dimKeyEnd < 0) break accepted;
          i = dimKeyEnd;
          c = buf[i]!;
          if (c !== Byte.EQUALS || i - ks > dimKeyMax) break accepted;
          const vs = ++i;
          let shrink = 0;
          let units: number;
          if (buf[i] === Byte.QUOTE) {
            // quoted: only \" and \\ are escapes; a backslash before anything else is literal (*decided*)
            i++;
            for (;;) {
              while ((cc[buf[i]!]! & CharClass.QUOTED_STOP) === 0) i++;
              c = buf[i]!;
              if (c === Byte.QUOTE) break;
              if (c !== Byte.BACKSLASH) break accepted; // a control character (LF included) or non-ASCII
              const d = buf[i + 1]!;
              if (d === Byte.QUOTE || d === Byte.BACKSLASH) {
                shrink++;
                i += 2;
              } else {
                i++;
              }
            }
            units = i - vs - 1 - shrink;
            c = buf[++i]!;
            if (c !== Byte.COMMA && c !== Byte.SPACE) break accepted;
          } else {
            // bare: space , = " end it unless escaped (spec §2, *lib*)
            for (;;) {
              i = stopAt(buf, i, CharClass.BARE_STOP);
              c = buf[i]!;
              if (c === Byte.COMMA || c === Byte.SPACE) break;
              if (c !== Byte.BACKSLASH) break accepted; // = " a control character (LF included) or non-ASCII
              const d = buf[i + 1]!;
              if (d === Byte.SPACE || d === Byte.COMMA || d === Byte.EQUALS || d === Byte.QUOTE || d === Byte.BACKSLASH) {
                shrink++;
                i += 2;
              } else if ((cc[d]! & CharClass.BARE_STOP) !== 0) {
                break accepted; // a backslash at the end of the line, or before a control or non-ASCII byte
              } else {
                i++;
              }
            }
            units = i - vs - shrink;
          }
          if (units > dimValueMax) break accepted;
          // an empty value drops the dimension (spec §2)
          if (units !== 0) kept++;
        }
        if (kept > maxDims) break accepted;

        // --- payload (c is the one space after key or dimensions) ---------------------------------------
        c = buf[++i]!;
        let payload: number = Payload.GAUGE;
        let r = i;
        // the packed reads stay inside the region: a valid line has a number and the LF after the word
        if (c === gaugeFirst) {
          if (i + gaugeLength >= end || quad(buf, i) !== gauge0 || (buf[i + 4]! | (buf[i + 5]! << 8)) !== gauge4) break accepted;
          r = i + gaugeLength;
          if ((cc[buf[r]!]! & CharClass.ALPHA) !== 0) {
            // gauge,min=..,max=..,sum=..,count=.. in the strict order (spec §2); other orders: reference
            for (let f = 0; f < 4; f++) {
              // (the bytes written out, not quad(): V8 inlines calls up to a budget, kept for the hot ones)
              if (r + 6 >= end || (buf[r]! | (buf[r + 1]! << 8) | (buf[r + 2]! << 16) | (buf[r + 3]! << 24)) !== summary0[f]) break accepted;
              let fs = r + 4;
              if (f === 3) {
                if ((buf[fs]! | (buf[fs + 1]! << 8)) !== summaryCount4) break accepted;
                fs += 2;
              }
              // -?digits(.digits)? with at most 15 digits, computed as the reference reader's exact path
              // does (the digits as an exact integer, then one division by an exact power of ten), so
              // the consistency check sees the same doubles; any other number: the reference scanner
              let j = fs;
              const negative = buf[j] === Byte.MINUS;
              if (negative) j++;
              let mantissa = 0;
              let digits = 0;
              let d = 0;
              while ((d = (buf[j]! - Byte.ZERO) >>> 0) <= 9) {
                mantissa = mantissa * 10 + d;
                digits++;
                j++;
              }
              let fraction = 0;
              if (buf[j] === Byte.DOT && f < 3) {
                j++;
                while ((d = (buf[j]! - Byte.ZERO) >>> 0) <= 9) {
                  mantissa = mantissa * 10 + d;
                  fraction++;
                  j++;
                }
                if (fraction === 0) digits = 0; // a bare point: the reference decides
              }
              // not the plain form (no digits, too many, or more than digits in the field): the
              // reference scanner reads the line (its number readers handle every other form)
              if (digits === 0 || digits + fraction > Limit.MAX_EXACT_DIGITS || (cc[buf[j]!]! & CharClass.BARE_STOP) === 0) break accepted;
              if (f < 3) {
                const v = fraction === 0 ? mantissa : mantissa / pow10[fraction]!;
                numbers[f] = negative ? -v : v;
                if (buf[j] !== Byte.COMMA) break accepted;
                r = j + 1;
              } else {
                if (negative) break accepted; // a count is digits only
                numbers[3] = mantissa;
                r = j;
              }
            }
            const min = numbers[0]!;
            const max = numbers[1]!;
            const sum = numbers[2]!;
            const count = numbers[3]!;
            if (count === 0) {
              if (min !== 0 || max !== 0 || sum !== 0) break accepted;
            } else {
              const avg = sum / count;
              if (!(min - SUMMARY_TOLERANCE <= avg && avg <= max + SUMMARY_TOLERANCE)) break accepted;
            }
            i = r;
            c = buf[i]!;
            r = -1; // no plain number follows
            payload = Payload.SUMMARY;
          }
        } else if (c === countFirst) {
          if (i + countLength >= end || quad(buf, i) !== count0 || quad(buf, i + 4) !== count4 || quad(buf, i + 8) !== count8) break accepted;
          r = i + countLength;
          payload = Payload.COUNT;
        }
        if (r >= 0) {
          // a plain number: -?digits(.digits)?([eE][+-]?digits)? whose magnitude is certainly finite
          // (below 10^(integer digits + exponent), kept under 10^300); anything else (a bare point,
          // a huge exponent, NaN-like words) goes to the reference scanner
          i = r;
          if (buf[i] === Byte.MINUS) i++;
          const ds = i;
          while ((cc[buf[i]!]! & CharClass.DIGIT) !== 0) i++;
          const intDigits = i - ds;
          if (intDigits === 0 || intDigits > Limit.MAX_PLAIN_INT_DIGITS) break accepted;
          if (buf[i] === Byte.DOT) {
            const fs = ++i;
            while ((cc[buf[i]!]! & CharClass.DIGIT) !== 0) i++;
            if (i === fs) break accepted;
          }
          c = buf[i]!;
          if (c === Byte.LOWER_E || c === Byte.UPPER_E) {
            c = buf[++i]!;
            const negativeExponent = c === Byte.MINUS;
            if (negativeExponent || c === Byte.PLUS) c = buf[++i]!;
            let exponent = 0;
            const es = i;
            while ((cc[c]! & CharClass.DIGIT) !== 0 && i - es < Limit.MAX_EXPONENT_DIGITS) {
              exponent = exponent * 10 + c - Byte.ZERO;
              c = buf[++i]!;
            }
            if (i === es || (cc[c]! & CharClass.DIGIT) !== 0 || (!negativeExponent && intDigits + exponent > Limit.MAX_PLAIN_INT_DIGITS)) break accepted;
          }
        }

        // --- timestamp: one space, digits, inside the window (spec §2) ----------------------------------
        if (c === Byte.SPACE) {
          c = buf[++i]!;
          if ((cc[c]! & CharClass.DIGIT) === 0) break accepted;
          // digits accumulated as the reference's parseDigitsTo does (t * 10 + d)
          let t = 0;
          let d = 0;
          while ((d = (buf[i]! - Byte.ZERO) >>> 0) <= 9) {
            t = t * 10 + d;
            i++;
          }
          if (t < tsMin || t > tsMax) break accepted;
          c = buf[i]!;
        }
        // --- the end of the line: LF, or CR LF when a CR before the LF is ignored (spec §1) ---------------
        if (c === Byte.CR) {
          if (!ignoreCr || buf[i + 1] !== Byte.LF) break accepted;
          c = buf[++i]!;
        }
        if (c !== Byte.LF || i - ls > maxLine) break accepted;

        // --- accepted: a valid data line. The endpoint's key rewrite (spec §3) ------------------------
        line++;
        pos = i + 1;
        if (rewrite) {
          // endsWithCountSuffix (words.ts) written out: `.count` or `_count` ends the key
          const s = ke - suffixLength;
          const countSuffix = s >= ls && (buf[s] === Byte.DOT || buf[s] === Byte.UNDERSCORE) && quad(buf, s + 1) === suffix0 && buf[s + 5] === suffix4;
          if (payload === Payload.COUNT ? !countSuffix : countSuffix) {
            events[ne + EventSlot.LINE] = line - 1;
            events[ne + EventSlot.START] = ls;
            events[ne + EventSlot.KEY_END] = ke;
            events[ne + EventSlot.LINE_END] = i;
            events[ne + EventSlot.SUFFIX] = countSuffix ? Suffix.GAUGE : Suffix.COUNT;
            ne += EventSlot.STRIDE;
            continue;
          }
        }
        plain++;
        continue;
      }
      // not accepted: the reference scanner judges the whole line (no call here: a loop to its LF)
      while (buf[i] !== Byte.LF) i++;
      events[ne + EventSlot.LINE] = line;
      events[ne + EventSlot.START] = ls;
      events[ne + EventSlot.LINE_END] = i;
      events[ne + EventSlot.SUFFIX] = Suffix.NONE;
      ne += EventSlot.STRIDE;
      line++;
      pos = i + 1;
    }
    if (map !== undefined && line - first > map.count) map.count = line - first;
    this.blockPlain = plain;
    this.blockEvents = ne;
    this.blockNextLine = line;
    return pos;
  }

  /**
   * The recording pass (the columnar batch) over `buf[start, end)`, which ends with an LF: every
   * accepted line goes to `recorder.point` with its parts, every other line to `recorder.line`, in
   * line order. Sets {@link lines}.
   */
  record(buf: Uint8Array, start: number, end: number, firstLine: number, recorder: RegionRecorder): void {
    const cc = CHAR_CLASS;
    const o = this.o;
    const maxLine = o.maxLineLength;
    const keyMin = o.metricKeyMinLength;
    const keyMax = o.metricKeyMaxLength;
    const digitSections = o.allowDigitLeadingSections;
    const maxDims = o.maxDimensions;
    const dimKeyMax = o.dimensionKeyMaxLength;
    const dimValueMax = o.dimensionValueMaxLength;
    const rewrite = o.rewriteKeySuffix;
    const ignoreCr = o.ignoreCarriageReturn;
    const bare = o.allowBareDecimalPoint;
    const tsMin = this.tsMin;
    const tsMax = this.tsMax;
    const numbers = SCRATCH;
    const rec = recorder;
    let recDims = rec.dims;
    let line = firstLine;
    let pos = start;
    while (pos < end) {
      const ls = pos;
      let i = pos;
      let c = buf[i]!;
      // biome-ignore lint/suspicious/noConfusingLabels: one labelled block, left by `break accepted` the moment a line needs the full scanner
      accepted: {
        // --- metric key: the first character is a letter or '_' (spec §2, *docs*) --------------------
        if ((cc[c]! & CharClass.ALPHA) === 0 && c !== Byte.UNDERSCORE) {
          if (c === Byte.LF) {
            // an empty line: blank, neither OK nor invalid (spec §1)
            pos = i + 1;
            line++;
            continue;
          }
          break accepted;
        }
        i++;
        for (;;) {
          while ((cc[buf[i]!]! & CharClass.METRIC_KEY) !== 0) i++;
          c = buf[i]!;
          if (c !== Byte.DOT) break;
          // a later section: a key character, not '-', a digit only when allowed (spec §2, *server*)
          c = buf[++i]!;
          if ((cc[c]! & CharClass.METRIC_KEY) === 0 || c === Byte.MINUS || (!digitSections && (cc[c]! & CharClass.DIGIT) !== 0)) break accepted;
          i++;
        }
        const ke = i;
        if (c !== Byte.COMMA && c !== Byte.SPACE) break accepted;
        const keyLength = ke - ls;
        if (keyLength < keyMin || keyLength > keyMax) break accepted;
        // a reserved prefix (dt.): the key has at least 3 bytes here and the separator follows
        if (keyLength >= RESERVED.length && (buf[ls]! | (buf[ls + 1]! << 8) | (buf[ls + 2]! << 16)) === WORD[5]) break accepted;

        // --- dimensions: ,key=value (spec §2) ---------------------------------------------------------
        // The same reader as in `block` above, which reads the keys with keyEnd; here the old loops
        // stay (keyEnd here cost the batch 5-10 %: V8's inlining budget, issue 19 A/B). Change both together.
        let kept = 0;
        while (c === Byte.COMMA) {
          const ks = ++i;
          if ((cc[buf[i]!]! & CharClass.DIM_KEY_START) === 0) break accepted;
          for (;;) {
            i++;
            while ((cc[buf[i]!]! & CharClass.DIM_KEY) !== 0) i++;
            c = buf[i]!;
            if (c !== Byte.DOT) break;
            if ((cc[buf[++i]!]! & CharClass.DIM_KEY_START) === 0) break accepted;
          }
          if (c !== Byte.EQUALS || i - ks > dimKeyMax) break accepted;
          const vs = ++i;
          let shrink = 0;
          let units: number;
          if (buf[i] === Byte.QUOTE) {
            // quoted: only \" and \\ are escapes; a backslash before anything else is literal (*decided*)
            i++;
            for (;;) {
              i = stopAt(buf, i, CharClass.QUOTED_STOP);
              c = buf[i]!;
              if (c === Byte.QUOTE) break;
              if (c !== Byte.BACKSLASH) break accepted; // a control character (LF included) or non-ASCII
              const d = buf[i + 1]!;
              if (d === Byte.QUOTE || d === Byte.BACKSLASH) {
                shrink++;
                i += 2;
              } else {
                i++;
              }
            }
            units = i - vs - 1 - shrink;
            if (units !== 0) recDims = recordDimension(rec, recDims, kept, ks, vs - 1, vs + 1, i, shrink === 0 ? DIM_QUOTED : DIM_QUOTED | DIM_ESCAPED, units);
            c = buf[++i]!;
            if (c !== Byte.COMMA && c !== Byte.SPACE) break accepted;
          } else {
            // bare: space , = " end it unless escaped (spec §2, *lib*)
            for (;;) {
              i = stopAt(buf, i, CharClass.BARE_STOP);
              c = buf[i]!;
              if (c === Byte.COMMA || c === Byte.SPACE) break;
              if (c !== Byte.BACKSLASH) break accepted; // = " a control character (LF included) or non-ASCII
              const d = buf[i + 1]!;
              if (d === Byte.SPACE || d === Byte.COMMA || d === Byte.EQUALS || d === Byte.QUOTE || d === Byte.BACKSLASH) {
                shrink++;
                i += 2;
              } else if ((cc[d]! & CharClass.BARE_STOP) !== 0) {
                break accepted; // a backslash at the end of the line, or before a control or non-ASCII byte
              } else {
                i++;
              }
            }
            units = i - vs - shrink;
            if (units !== 0) recDims = recordDimension(rec, recDims, kept, ks, vs - 1, vs, i, shrink === 0 ? 0 : DIM_ESCAPED, units);
          }
          if (units > dimValueMax) break accepted;
          // an empty value drops the dimension (spec §2)
          if (units !== 0) kept++;
        }
        if (kept > maxDims) break accepted;

        // --- payload (c is the one space after key or dimensions) ---------------------------------------
        c = buf[++i]!;
        let payload: number = Payload.GAUGE;
        let r = i;
        // the packed reads stay inside the region: a valid line has a number and the LF after the word
        if (c === GAUGE_COMMA[0]) {
          if (i + GAUGE_COMMA.length >= end || quad(buf, i) !== WORD[0] || (buf[i + 4]! | (buf[i + 5]! << 8)) !== WORD[1]) break accepted;
          r = i + GAUGE_COMMA.length;
          if ((cc[buf[r]!]! & CharClass.ALPHA) !== 0) {
            // gauge,min=..,max=..,sum=..,count=.. in the strict order (spec §2); other orders: reference
            for (let f = 0; f < 4; f++) {
              if (r + 6 >= end || quad(buf, r) !== SUMMARY_0[f]) break accepted;
              let fs = r + 4;
              if (f === 3) {
                if ((buf[fs]! | (buf[fs + 1]! << 8)) !== SUMMARY_COUNT_4) break accepted;
                fs += 2;
              }
              // -?digits(.digits)? with at most 15 digits, computed as the reference reader's exact path
              // does (the digits as an exact integer, then one division by an exact power of ten), so
              // the consistency check sees the same doubles; any other number: the reference reader
              let j = fs;
              const negative = buf[j] === Byte.MINUS;
              if (negative) j++;
              let mantissa = 0;
              let digits = 0;
              let d = 0;
              while ((d = (buf[j]! - Byte.ZERO) >>> 0) <= 9) {
                mantissa = mantissa * 10 + d;
                digits++;
                j++;
              }
              let fraction = 0;
              if (buf[j] === Byte.DOT && f < 3) {
                j++;
                while ((d = (buf[j]! - Byte.ZERO) >>> 0) <= 9) {
                  mantissa = mantissa * 10 + d;
                  fraction++;
                  j++;
                }
                if (fraction === 0) digits = 0; // a bare point: the reference decides
              }
              let fe = j;
              if (digits === 0 || digits + fraction > Limit.MAX_EXACT_DIGITS || (cc[buf[j]!]! & CharClass.BARE_STOP) === 0) {
                // not the plain form: the reference readers on the whole field
                while ((cc[buf[fe]!]! & CharClass.BARE_STOP) === 0) fe++;
                if (f < 3 ? parseNumberTo(buf, fs, fe, bare, numbers, f) !== NUMBER_OK : !parseDigitsTo(buf, fs, fe, numbers, 3)) break accepted;
              } else if (f < 3) {
                const v = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
                numbers[f] = negative ? -v : v;
              } else {
                if (negative) break accepted; // a count is digits only
                numbers[3] = mantissa;
              }
              if (f < 3) {
                if (buf[fe] !== Byte.COMMA) break accepted;
                r = fe + 1;
              } else {
                r = fe;
              }
            }
            const min = numbers[0]!;
            const max = numbers[1]!;
            const sum = numbers[2]!;
            const count = numbers[3]!;
            if (count === 0) {
              if (min !== 0 || max !== 0 || sum !== 0) break accepted;
            } else {
              const avg = sum / count;
              if (!(min - SUMMARY_TOLERANCE <= avg && avg <= max + SUMMARY_TOLERANCE)) break accepted;
            }
            i = r;
            c = buf[i]!;
            r = -1; // no plain number follows
            payload = Payload.SUMMARY;
          }
        } else if (c === COUNT_COMMA_DELTA[0]) {
          if (i + COUNT_COMMA_DELTA.length >= end || quad(buf, i) !== WORD[2] || quad(buf, i + 4) !== WORD[3] || quad(buf, i + 8) !== WORD[4]) break accepted;
          r = i + COUNT_COMMA_DELTA.length;
          payload = Payload.COUNT;
        }
        if (r >= 0) {
          // a plain number: -?digits(.digits)?([eE][+-]?digits)? whose magnitude is certainly finite
          // (below 10^(integer digits + exponent), kept under 10^300); anything else (a bare point,
          // a huge exponent, NaN-like words) goes to the reference reader
          i = r;
          if (buf[i] === Byte.MINUS) i++;
          const ds = i;
          while ((cc[buf[i]!]! & CharClass.DIGIT) !== 0) i++;
          const intDigits = i - ds;
          if (intDigits === 0 || intDigits > Limit.MAX_PLAIN_INT_DIGITS) break accepted;
          if (buf[i] === Byte.DOT) {
            const fs = ++i;
            while ((cc[buf[i]!]! & CharClass.DIGIT) !== 0) i++;
            if (i === fs) break accepted;
          }
          c = buf[i]!;
          if (c === Byte.LOWER_E || c === Byte.UPPER_E) {
            c = buf[++i]!;
            const negativeExponent = c === Byte.MINUS;
            if (negativeExponent || c === Byte.PLUS) c = buf[++i]!;
            let exponent = 0;
            const es = i;
            while ((cc[c]! & CharClass.DIGIT) !== 0 && i - es < Limit.MAX_EXPONENT_DIGITS) {
              exponent = exponent * 10 + c - Byte.ZERO;
              c = buf[++i]!;
            }
            if (i === es || (cc[c]! & CharClass.DIGIT) !== 0 || (!negativeExponent && intDigits + exponent > Limit.MAX_PLAIN_INT_DIGITS)) break accepted;
          }
          // the value itself with the reference reader (the same double)
          parseNumberTo(buf, r, i, bare, rec.numbers, payload === Payload.COUNT ? NumberSlot.DELTA : NumberSlot.VALUE);
        }
        let timestamp = -1;

        // --- timestamp: one space, digits, inside the window (spec §2) ----------------------------------
        if (c === Byte.SPACE) {
          c = buf[++i]!;
          if ((cc[c]! & CharClass.DIGIT) === 0) break accepted;
          // digits accumulated as the reference's parseDigitsTo does (t * 10 + d)
          let t = 0;
          let d = 0;
          while ((d = (buf[i]! - Byte.ZERO) >>> 0) <= 9) {
            t = t * 10 + d;
            i++;
          }
          if (t < tsMin || t > tsMax) break accepted;
          timestamp = t;
          c = buf[i]!;
        }
        // --- the end of the line: LF, or CR LF when a CR before the LF is ignored (spec §1) ---------------
        if (c === Byte.CR) {
          if (!ignoreCr || buf[i + 1] !== Byte.LF) break accepted;
          c = buf[++i]!;
        }
        if (c !== Byte.LF || i - ls > maxLine) break accepted;

        // --- accepted: a valid data line. The endpoint's key rewrite (spec §3) ------------------------
        line++;
        pos = i + 1;
        let suffix: number = Suffix.NONE;
        if (rewrite) {
          const countSuffix = endsWithCountSuffix(buf, ls, ke);
          if (payload === Payload.COUNT ? !countSuffix : countSuffix) suffix = countSuffix ? Suffix.GAUGE : Suffix.COUNT;
        }
        const out = rec.numbers;
        out[NumberSlot.TIMESTAMP] = timestamp;
        if (payload === Payload.SUMMARY) {
          out[NumberSlot.MIN] = numbers[0]!;
          out[NumberSlot.MAX] = numbers[1]!;
          out[NumberSlot.SUM] = numbers[2]!;
          out[NumberSlot.COUNT] = numbers[3]!;
        }
        rec.point(line - 1, buf, ls, ke, kept, payload, suffix);
        continue;
      }
      // not accepted: the reference scanner judges the whole line
      const nl = buf.indexOf(Byte.LF, i);
      rec.line(buf, ls, nl, line);
      line++;
      pos = nl + 1;
    }
    this.lines = line - firstLine;
  }
}

/** Writes one dimension record for the recorder (growing its array if needed); returns the array. */
function recordDimension(
  rec: RegionRecorder,
  dims: Int32Array,
  index: number,
  keyStart: number,
  keyEnd: number,
  valueStart: number,
  valueEnd: number,
  flags: number,
  units: number,
): Int32Array {
  const r = index * DIM_STRIDE;
  if (r + DIM_STRIDE > dims.length) dims = rec.growDims(index + 1);
  dims[r + DIM_KEY_START] = keyStart;
  dims[r + DIM_KEY_END] = keyEnd;
  dims[r + DIM_VALUE_START] = valueStart;
  dims[r + DIM_VALUE_END] = valueEnd;
  dims[r + DIM_FLAGS] = flags;
  dims[r + DIM_VALUE_UNITS] = units;
  return dims;
}
