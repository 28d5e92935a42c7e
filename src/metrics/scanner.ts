/**
 * The line grammar: one pass over the bytes of one line that checks every rule and records where
 * each part is, into a reused {@link MetricLine} view (`view.ts`). Nothing is allocated and no string is built
 * here; the view decodes strings only when asked.
 *
 * ```
 * data line:     metric-key [ "," dimension *( "," dimension ) ] SP payload [ SP timestamp ]
 * metadata line: "#" metric-key SP ( "gauge" | "count" ) SP "dt.meta." prop "=" value *( "," ... )
 * ```
 *
 * The first problem, reading left to right, decides the line's verdict (what the endpoint lists).
 *
 * @module
 */
import type { ResolvedMetricsOptions } from '../protocol/options.js';
import { SUMMARY_TOLERANCE, timestampWindow } from '../protocol/options.js';
import { RuleCode } from '../protocol/rules.js';
import { Byte, CHAR_CLASS, CharClass, UNIT_CHAR, utf16Length, utf8SequenceLength } from '../protocol/chars.js';
import { META_PROPERTY_WORDS, SUMMARY_FIELD_WORDS, WORDS, endsWithCountSuffix, wordBytes } from '../protocol/words.js';
import { isBlankLine } from '../scan/line-map.js';
import { NUMBER_INVALID, NUMBER_OK, parseDigitsTo, parseNumberTo } from './numbers.js';
import { DIM_STRIDE, EMPTY, KeySuffix, LineKind, MetaProp, MetricLine, NumberSlot, PayloadType } from './view.js';

/**
 * Checks lines against the protocol. One instance per stream; reentrant across instances (all
 * state is in locals and in the view).
 *
 * @example
 * const scanner = new LineScanner(resolveMetricsOptions());
 * const view = scanner.createView();
 * scanner.scan(view, bytes, 0, bytes.length, 1);
 * view.error; // 0 when valid
 */
export class LineScanner {
  private readonly o: ResolvedMetricsOptions;
  private readonly tsMin: number;
  private readonly tsMax: number;

  /** @param options resolved options (see `resolveMetricsOptions`) */
  constructor(options: ResolvedMetricsOptions) {
    this.o = options;
    const window = timestampWindow(options);
    this.tsMin = window.min;
    this.tsMax = window.max;
  }

  /** A view sized for these options. */
  createView(): MetricLine {
    return new MetricLine(this.o.maxDimensions);
  }

  /**
   * Scans `buf[start, end)` (one line without its LF) into `view`. Returns the error code (0 when
   * the line is valid; blank lines are valid with `kind === BLANK`).
   */
  scan(view: MetricLine, buf: Uint8Array, start: number, end: number, line: number): number {
    if (this.o.ignoreCarriageReturn && end > start && buf[end - 1] === Byte.CR) end--;
    view.buf = buf;
    view.start = start;
    view.end = end;
    view.line = line;
    view.error = 0;
    view.warning = 0;
    view.keySuffix = KeySuffix.NONE;
    view.dimCount = 0;
    view.numbers[NumberSlot.TIMESTAMP] = -1; // none
    view.lastValueBare = false;
    view.keyStart = view.keyEnd = start;
    view.payloadStart = view.payloadEnd = start;
    // blank: empty, or spaces only (spec §1; the rule is isBlankLine's)
    if (start === end) {
      view.kind = LineKind.BLANK;
      return 0;
    }
    // line length (spec §1, *docs*) before the spaces-only check: a long line carried across chunks
    // is skipped unread, so its verdict cannot depend on its content (even if that is only spaces);
    // bytes bound UTF-16 units from above, so count only long lines
    const maxLine = this.o.maxLineLength;
    if (end - start > maxLine) {
      const units = utf16Length(buf, start, end);
      if (units > maxLine) {
        view.kind = buf[start] === Byte.HASH ? LineKind.METADATA : LineKind.DATA;
        return fail(view, RuleCode.LINE_TOO_LONG, start, units);
      }
    }
    if (buf[start] === Byte.SPACE && isBlankLine(buf, start, end)) {
      view.kind = LineKind.BLANK;
      return 0;
    }
    if (buf[start] === Byte.HASH) {
      view.kind = LineKind.METADATA;
      return this.scanMetadata(view, buf, start + 1, end);
    }
    view.kind = LineKind.DATA;
    return this.scanData(view, buf, start, end);
  }

  /** Called for a line the splitter skipped because it grew past the limit across chunks. */
  tooLong(view: MetricLine, line: number, units: number, prefix: Uint8Array = EMPTY, prefixLength = 0): number {
    view.buf = prefix;
    view.start = view.keyStart = view.keyEnd = 0;
    view.end = prefixLength;
    view.line = line;
    view.kind = LineKind.DATA;
    view.warning = 0;
    view.dimCount = 0;
    return fail(view, RuleCode.LINE_TOO_LONG, 0, units);
  }

  private scanData(view: MetricLine, buf: Uint8Array, start: number, end: number): number {
    const o = this.o;
    // --- metric key ---------------------------------------------------------------------------------
    let i = scanMetricKey(view, buf, start, end, o.allowDigitLeadingSections);
    if (i < 0) return view.error;
    const keyLength = i - start;
    view.keyStart = start;
    view.keyEnd = i;
    // 'dt.' keys are reserved (spec §2, *docs*)
    if (keyLength >= RESERVED.length && matches(buf, start, RESERVED)) {
      return fail(view, RuleCode.METRIC_KEY_RESERVED, start, 0);
    }
    if (keyLength < o.metricKeyMinLength) return fail(view, RuleCode.METRIC_KEY_TOO_SHORT, start, keyLength);
    if (keyLength > o.metricKeyMaxLength) return fail(view, RuleCode.METRIC_KEY_TOO_LONG, start, keyLength);

    // --- dimensions ---------------------------------------------------------------------------------
    if (i < end && buf[i] === Byte.COMMA) {
      i = this.scanDimensions(view, buf, i, end);
      if (i < 0) return view.error;
    }

    // --- payload ------------------------------------------------------------------------------------
    // here buf[i] is a space or i === end
    if (i >= end) return fail(view, RuleCode.PAYLOAD_MISSING, end, 0);
    const separatorAt = i;
    i++;
    if (o.collapseSpaces) while (i < end && buf[i] === Byte.SPACE) i++;
    if (i >= end) return fail(view, RuleCode.PAYLOAD_MISSING, end, 0);
    const ps = i;
    while (i < end && buf[i] !== Byte.SPACE) i++;
    const pe = i;
    view.payloadStart = ps;
    view.payloadEnd = pe;
    const payloadError = this.scanPayload(view, buf, ps, pe);
    if (payloadError !== 0) {
      // `k=a b 5`: a bare space ended the dimensions early, so the server reads `b` as the payload
      // and says `invalid metric type` (*server*); our report says what really happened.
      if (payloadError === RuleCode.METRIC_TYPE_INVALID && view.lastValueBare) {
        return fail(view, RuleCode.DIMENSION_VALUE_UNESCAPED_SPACE, separatorAt, 0);
      }
      return payloadError;
    }

    // --- timestamp ----------------------------------------------------------------------------------
    if (i < end) {
      i++;
      if (o.collapseSpaces) while (i < end && buf[i] === Byte.SPACE) i++;
      if (i < end) {
        const ts = i;
        while (i < end && buf[i] !== Byte.SPACE) i++;
        const numbers = view.numbers;
        // read into a scratch slot first: an out-of-range value is the error's argument, not the timestamp
        if (!parseDigitsTo(buf, ts, i, numbers, NumberSlot.SCRATCH)) return fail(view, RuleCode.TIMESTAMP_INVALID, ts, 0);
        if (numbers[NumberSlot.SCRATCH]! < this.tsMin || numbers[NumberSlot.SCRATCH]! > this.tsMax)
          return fail(view, RuleCode.TIMESTAMP_OUT_OF_RANGE, ts, numbers[NumberSlot.SCRATCH]!);
        numbers[NumberSlot.TIMESTAMP] = numbers[NumberSlot.SCRATCH]!;
        // trailing spaces are separators too; anything else is a fourth token
        while (i < end && buf[i] === Byte.SPACE) i++;
        if (i < end) return fail(view, RuleCode.TRAILING_DATA, i, 0);
      }
    }

    // --- rewrites (spec §3): warnings, the line stays OK ------------------------------------------------
    if (o.rewriteKeySuffix) {
      const countSuffix = endsWithCountSuffix(buf, start, view.keyEnd);
      if (view.payloadType === PayloadType.COUNT) {
        if (!countSuffix) {
          view.keySuffix = KeySuffix.COUNT;
          view.warning = RuleCode.METRIC_KEY_CHANGED;
        }
      } else if (countSuffix) {
        view.keySuffix = KeySuffix.GAUGE;
        view.warning = RuleCode.METRIC_KEY_CHANGED;
      }
    }
    return 0;
  }

  /** Scans `,k=v,k=v...` starting at the first comma. Returns the index after the last value, or -1. */
  private scanDimensions(view: MetricLine, buf: Uint8Array, i: number, end: number): number {
    const cc = CHAR_CLASS; // a local: module bindings are reloaded in hot loops
    const o = this.o;
    const maxDims = o.maxDimensions;
    const maxKey = o.dimensionKeyMaxLength;
    const maxValue = o.dimensionValueMaxLength;
    let dims = view.dims;
    let capacity = view.dimCapacity;
    let count = 0;
    let tooManyAt = -1;
    while (i < end && buf[i] === Byte.COMMA) {
      i++;
      // --- dimension key: lowercase sections starting with a letter or '_' (spec §2) ---
      const ks = i;
      let code = 0;
      let at = 0;
      for (;;) {
        // at the first character of a section
        if (i >= end) {
          code = i === ks ? RuleCode.DIMENSION_KEY_EMPTY : RuleCode.DIMENSION_MISSING_EQUALS;
          at = i;
          break;
        }
        const c = buf[i]!;
        const cls = cc[c]!;
        if ((cls & CharClass.DIM_KEY_START) === 0) {
          if (c === Byte.EQUALS) {
            if (i === ks) {
              code = RuleCode.DIMENSION_KEY_EMPTY;
              at = ks;
            } else {
              code = RuleCode.DIMENSION_KEY_SECTION_START;
              at = i - 1; // trailing '.'
            }
          } else if (c === Byte.COMMA || c === Byte.SPACE) {
            code = i === ks ? RuleCode.DIMENSION_KEY_EMPTY : RuleCode.DIMENSION_MISSING_EQUALS;
            at = i;
          } else if (c === Byte.DOT || (cls & CharClass.DIM_KEY) !== 0) {
            code = RuleCode.DIMENSION_KEY_SECTION_START; // empty section, or a digit, '-' or ':' first
            at = i;
          } else {
            code = RuleCode.DIMENSION_KEY_CHAR;
            at = i;
          }
          break;
        }
        i++;
        while (i < end && (cc[buf[i]!]! & CharClass.DIM_KEY) !== 0) i++;
        if (i >= end) {
          code = RuleCode.DIMENSION_MISSING_EQUALS;
          at = i;
          break;
        }
        const d = buf[i]!;
        if (d === Byte.EQUALS) break;
        if (d === Byte.DOT) {
          i++;
          continue;
        }
        code = d === Byte.COMMA || d === Byte.SPACE ? RuleCode.DIMENSION_MISSING_EQUALS : RuleCode.DIMENSION_KEY_CHAR;
        at = i;
        break;
      }
      if (code === 0 && i - ks > maxKey) {
        code = RuleCode.DIMENSION_KEY_TOO_LONG;
        at = ks;
      }
      if (code !== 0) return failDims(view, code, at, code === RuleCode.DIMENSION_KEY_TOO_LONG ? i - ks : 0, tooManyAt, count);
      const ke = i;
      i++; // '='

      // --- dimension value ---
      let vs = i;
      let ve = i;
      let flags = 0;
      // UTF-16 units = bytes - (bytes that do not make a unit of their own: escape backslashes and
      // the extra bytes of multi-byte sequences); counted only where such bytes occur
      let shrink = 0;
      if (i < end && buf[i] === Byte.QUOTE) {
        // quoted: only \" and \\ are escapes; , = and space are plain (spec §2, *docs*)
        flags = 1;
        const open = i;
        i++;
        vs = i;
        for (;;) {
          while (i < end && (cc[buf[i]!]! & CharClass.QUOTED_STOP) === 0) i++;
          if (i >= end) return failDims(view, RuleCode.DIMENSION_VALUE_UNTERMINATED, open, 0, tooManyAt, count);
          const c = buf[i]!;
          if (c === Byte.QUOTE) break;
          if (c === Byte.BACKSLASH) {
            // *decided*: a backslash before any other character is a literal backslash
            if (i + 1 < end && (buf[i + 1] === Byte.QUOTE || buf[i + 1] === Byte.BACKSLASH)) {
              flags |= 2;
              shrink++;
              i += 2;
            } else {
              i++;
            }
            continue;
          }
          if (c < 128) return failDims(view, RuleCode.DIMENSION_VALUE_CHAR, i, 0, tooManyAt, count);
          const n = utf8SequenceLength(buf, i, end);
          if (n === 0) return failDims(view, RuleCode.INVALID_UTF8, i, 0, tooManyAt, count);
          shrink += n === 4 ? 2 : n - 1;
          i += n;
        }
        ve = i;
        i++; // closing quote
        if (i < end && buf[i] !== Byte.COMMA && buf[i] !== Byte.SPACE) {
          return failDims(view, RuleCode.DIMENSION_VALUE_AFTER_QUOTE, i, 0, tooManyAt, count);
        }
        view.lastValueBare = false;
      } else {
        // bare: no space , = " unless escaped with a backslash (spec §2, *lib*)
        for (;;) {
          while (i < end && (cc[buf[i]!]! & CharClass.BARE_STOP) === 0) i++;
          if (i >= end) break;
          const c = buf[i]!;
          if (c === Byte.COMMA || c === Byte.SPACE) break;
          if (c === Byte.BACKSLASH) {
            if (i + 1 >= end) return failDims(view, RuleCode.DIMENSION_VALUE_DANGLING_ESCAPE, i, 0, tooManyAt, count);
            const d = buf[i + 1]!;
            if (d === Byte.SPACE || d === Byte.COMMA || d === Byte.EQUALS || d === Byte.QUOTE || d === Byte.BACKSLASH) {
              flags |= 2;
              shrink++;
              i += 2;
            } else {
              i++; // *decided*: before any other character the backslash is literal
            }
            continue;
          }
          if (c < 128) return failDims(view, RuleCode.DIMENSION_VALUE_CHAR, i, 0, tooManyAt, count); // = " or a control
          const n = utf8SequenceLength(buf, i, end);
          if (n === 0) return failDims(view, RuleCode.INVALID_UTF8, i, 0, tooManyAt, count);
          shrink += n === 4 ? 2 : n - 1;
          i += n;
        }
        ve = i;
        view.lastValueBare = ve > vs;
      }
      const units = ve - vs - shrink;
      if (units > maxValue) return failDims(view, RuleCode.DIMENSION_VALUE_TOO_LONG, vs, units, tooManyAt, count);
      // an empty value drops the dimension and the line stays valid (spec §2, *server*-adjacent)
      if (units === 0) continue;
      count++;
      if (count > maxDims) {
        if (tooManyAt < 0) tooManyAt = ks;
        continue;
      }
      if (count > capacity) {
        // a line with more dimensions than reserved: every one within maxDimensions is kept
        dims = view.growDims(count);
        capacity = view.dimCapacity;
      }
      const r = (count - 1) * DIM_STRIDE;
      dims[r] = ks;
      dims[r + 1] = ke;
      dims[r + 2] = vs;
      dims[r + 3] = ve;
      dims[r + 4] = flags;
      dims[r + 5] = units;
    }
    if (tooManyAt >= 0) return failDims(view, RuleCode.TOO_MANY_DIMENSIONS, tooManyAt, count, tooManyAt, count);
    view.dimCount = count;
    return i;
  }

  /** Checks the payload token `buf[ps, pe)`; fills the numbers. Returns the error code or 0. */
  private scanPayload(view: MetricLine, buf: Uint8Array, ps: number, pe: number): number {
    const cc = CHAR_CLASS; // a local: module bindings are reloaded in hot loops
    const bare = this.o.allowBareDecimalPoint;
    const len = pe - ps;
    // `gauge,` and `count,` checked byte by byte: this runs once per line
    const c0 = buf[ps]!;
    if (len >= GAUGE_COMMA.length && matches(buf, ps, GAUGE_COMMA)) {
      const r = ps + GAUGE_COMMA.length;
      // a letter after `gauge,` starts the summary fields; a number is a plain gauge
      if (r < pe && (cc[buf[r]!]! & CharClass.ALPHA) !== 0) return this.scanSummary(view, buf, ps, r, pe);
      const st = parseNumberTo(buf, r, pe, bare, view.numbers, NumberSlot.VALUE);
      if (st !== NUMBER_OK) return fail(view, st === NUMBER_INVALID ? RuleCode.METRIC_VALUE_INVALID : RuleCode.METRIC_VALUE_NOT_FINITE, r, 0);
      view.payloadType = PayloadType.GAUGE;
      return 0;
    }
    if (len >= COUNT_COMMA.length && matches(buf, ps, COUNT_COMMA)) {
      let r = ps + COUNT_COMMA.length;
      if (pe - r >= DELTA_FIELD.length && matches(buf, r, DELTA_FIELD)) {
        r += DELTA_FIELD.length;
      } else if (!this.o.allowCountWithoutDelta) {
        return fail(view, RuleCode.COUNT_WITHOUT_DELTA, r, 0);
      }
      const st = parseNumberTo(buf, r, pe, bare, view.numbers, NumberSlot.DELTA);
      if (st !== NUMBER_OK) return fail(view, st === NUMBER_INVALID ? RuleCode.METRIC_VALUE_INVALID : RuleCode.METRIC_VALUE_NOT_FINITE, r, 0);
      view.payloadType = PayloadType.COUNT;
      return 0;
    }
    // a bare number is a gauge (spec §2 "Payload")
    const st = parseNumberTo(buf, ps, pe, bare, view.numbers, NumberSlot.VALUE);
    if (st === NUMBER_INVALID) {
      // something that starts like a number is a bad value; anything else is an unknown type
      const numberLike = (cc[c0]! & CharClass.DIGIT) !== 0 || c0 === Byte.MINUS || c0 === Byte.DOT;
      return fail(view, numberLike ? RuleCode.METRIC_VALUE_INVALID : RuleCode.METRIC_TYPE_INVALID, ps, 0);
    }
    if (st !== NUMBER_OK) return fail(view, RuleCode.METRIC_VALUE_NOT_FINITE, ps, 0);
    view.payloadType = PayloadType.GAUGE;
    return 0;
  }

  /** `gauge,min=..,max=..,sum=..,count=..` (spec §2; order *decided*, option `summaryFieldOrder`). */
  private scanSummary(view: MetricLine, buf: Uint8Array, ps: number, r: number, pe: number): number {
    const bare = this.o.allowBareDecimalPoint;
    const strict = this.o.summaryFieldOrder === 'strict';
    const numbers = view.numbers;
    let seen = 0; // bit per field: 1 min, 2 max, 4 sum, 8 count
    let i = r;
    for (let field = 0; field < 4; field++) {
      if (i >= pe) return fail(view, RuleCode.SUMMARY_FIELDS, i, 0);
      // which field is this? (strict order: only the expected one)
      let which = -1;
      for (let f = strict ? field : 0; f < (strict ? field + 1 : 4); f++) {
        const name = SUMMARY_FIELDS[f]!;
        if (pe - i > name.length && matches(buf, i, name)) {
          which = f;
          break;
        }
      }
      if (which < 0 || (seen & (1 << which)) !== 0) return fail(view, RuleCode.SUMMARY_FIELDS, i, 0);
      seen |= 1 << which;
      const vs = i + SUMMARY_FIELDS[which]!.length;
      let ve = vs;
      while (ve < pe && buf[ve] !== Byte.COMMA) ve++;
      // the fields in NumberSlot order: MIN, MAX, SUM, COUNT
      if (which === 3) {
        if (!parseDigitsTo(buf, vs, ve, numbers, NumberSlot.COUNT)) return fail(view, RuleCode.SUMMARY_COUNT_INVALID, vs, 0);
      } else {
        const st = parseNumberTo(buf, vs, ve, bare, numbers, NumberSlot.MIN + which);
        if (st !== NUMBER_OK) return fail(view, st === NUMBER_INVALID ? RuleCode.METRIC_VALUE_INVALID : RuleCode.METRIC_VALUE_NOT_FINITE, vs, 0);
      }
      i = ve;
      if (field < 3) {
        if (i >= pe) return fail(view, RuleCode.SUMMARY_FIELDS, i, 0);
        i++; // ','
      }
    }
    if (i < pe) return fail(view, RuleCode.SUMMARY_FIELDS, i, 0);
    view.payloadType = PayloadType.SUMMARY;
    const min = numbers[NumberSlot.MIN]!;
    const max = numbers[NumberSlot.MAX]!;
    const sum = numbers[NumberSlot.SUM]!;
    const count = numbers[NumberSlot.COUNT]!;
    // consistency (spec §2, *server* texts)
    if (count === 0) {
      if (min !== 0 || max !== 0 || sum !== 0) return fail(view, RuleCode.SUMMARY_COUNT_ZERO, ps, 0);
    } else {
      const avg = sum / count;
      if (!(min - SUMMARY_TOLERANCE <= avg && avg <= max + SUMMARY_TOLERANCE)) {
        return fail(view, RuleCode.SUMMARY_AVG_RANGE, ps, 0);
      }
    }
    return 0;
  }

  /** `#key gauge|count dt.meta.prop=value[,...]` (spec §5). `i` is just after the `#`. */
  private scanMetadata(view: MetricLine, buf: Uint8Array, i: number, end: number): number {
    const cc = CHAR_CLASS; // a local: module bindings are reloaded in hot loops
    const o = this.o;
    const ks = i;
    const ke = scanMetricKey(view, buf, ks, end, o.allowDigitLeadingSections);
    view.keyStart = ks;
    if (ke < 0) {
      view.keyEnd = ks;
      return fail(view, RuleCode.METADATA_KEY, view.errorAt, 0);
    }
    view.keyEnd = ke;
    const keyLength = ke - ks;
    if (keyLength < o.metricKeyMinLength || keyLength > o.metricKeyMaxLength) return fail(view, RuleCode.METADATA_KEY, ks, 0);
    if (keyLength >= 3 && buf[ks] === 100 && buf[ks + 1] === 116 && buf[ks + 2] === Byte.DOT) return fail(view, RuleCode.METADATA_KEY, ks, 0);
    i = ke;
    if (i >= end || buf[i] !== Byte.SPACE) return fail(view, i >= end ? RuleCode.METADATA_TYPE : RuleCode.METADATA_SYNTAX, i, 0);
    while (i < end && buf[i] === Byte.SPACE) i++;
    // type
    const ts = i;
    while (i < end && buf[i] !== Byte.SPACE) i++;
    if (i - ts === 5 && matches(buf, ts, GAUGE)) view.payloadType = PayloadType.GAUGE;
    else if (i - ts === 5 && matches(buf, ts, COUNT)) view.payloadType = PayloadType.COUNT;
    else return fail(view, RuleCode.METADATA_TYPE, ts, 0);
    while (i < end && buf[i] === Byte.SPACE) i++;
    if (i >= end) return fail(view, RuleCode.METADATA_NO_PROPERTY, i, 0);
    const meta = view.meta;
    meta[0] = meta[3] = meta[6] = -1;
    for (;;) {
      // dt.meta.<prop> (property names case-insensitive, spec §5 *decided*)
      const prop = i;
      if (end - i <= 8 || !matches(buf, i, DT_META)) return fail(view, RuleCode.METADATA_PROPERTY_UNKNOWN, prop, 0);
      i += 8;
      const ns = i;
      while (i < end && buf[i] !== Byte.EQUALS && buf[i] !== Byte.SPACE && buf[i] !== Byte.COMMA) i++;
      if (i >= end || buf[i] !== Byte.EQUALS) return fail(view, RuleCode.METADATA_SYNTAX, i, 0);
      const which = metaPropertyIndex(buf, ns, i);
      if (which < 0) return fail(view, RuleCode.METADATA_PROPERTY_UNKNOWN, prop, 0);
      i++; // '='
      let vs = i;
      let ve = i;
      let units = 0;
      let quoted = 0;
      if (i < end && buf[i] === Byte.QUOTE) {
        quoted = 1;
        const open = i;
        i++;
        vs = i;
        for (;;) {
          if (i >= end) return fail(view, RuleCode.METADATA_VALUE_INVALID, open, 0);
          const c = buf[i]!;
          if (c === Byte.QUOTE) break;
          if (c === Byte.BACKSLASH) {
            const d = i + 1 < end ? buf[i + 1] : 0;
            if (d === Byte.QUOTE || d === Byte.BACKSLASH || d === Byte.LOWER_N) {
              units++;
              i += 2;
              continue;
            }
            // *decided*, as in dimension values: before any other character the backslash is literal
            // (the Java library writes the text `a\b` as `"a\b"`); a unit has no backslash character
            if (which === MetaProp.UNIT) return fail(view, RuleCode.METADATA_VALUE_INVALID, i, 0);
            units++;
            i++;
            continue;
          }
          if (c < 128) {
            if ((cc[c]! & CharClass.CONTROL) !== 0) return fail(view, RuleCode.METADATA_VALUE_INVALID, i, 0);
            if (which === MetaProp.UNIT && UNIT_CHAR[c] === 0) return fail(view, RuleCode.METADATA_VALUE_INVALID, i, 0);
            units++;
            i++;
          } else {
            const n = utf8SequenceLength(buf, i, end);
            if (n === 0 || which === MetaProp.UNIT) return fail(view, RuleCode.METADATA_VALUE_INVALID, i, 0);
            units += n === 4 ? 2 : 1;
            i += n;
          }
        }
        ve = i;
        i++;
      } else {
        for (; i < end; i++) {
          const c = buf[i]!;
          if (c === Byte.COMMA || c === Byte.SPACE) break;
          if (c < 128) {
            if (c === Byte.QUOTE || c === Byte.EQUALS || c === Byte.BACKSLASH || (cc[c]! & CharClass.CONTROL) !== 0)
              return fail(view, RuleCode.METADATA_VALUE_INVALID, i, 0);
            if (which === MetaProp.UNIT && UNIT_CHAR[c] === 0) return fail(view, RuleCode.METADATA_VALUE_INVALID, i, 0);
            units++;
          } else {
            const n = utf8SequenceLength(buf, i, end);
            if (n === 0 || which === MetaProp.UNIT) return fail(view, RuleCode.METADATA_VALUE_INVALID, i, 0);
            units += n === 4 ? 2 : 1;
            i += n - 1;
          }
        }
        ve = i;
        if (ve === vs) return fail(view, RuleCode.METADATA_VALUE_INVALID, vs, 0);
      }
      const limit =
        which === MetaProp.UNIT ? o.metadataUnitMaxLength : which === MetaProp.DISPLAY_NAME ? o.metadataDisplayNameMaxLength : o.metadataDescriptionMaxLength;
      if (units > limit) return failMax(view, RuleCode.METADATA_VALUE_TOO_LONG, vs, units, limit);
      // the first value of a property wins
      if (meta[which * 3]! < 0) {
        meta[which * 3] = vs;
        meta[which * 3 + 1] = ve;
        meta[which * 3 + 2] = quoted;
      }
      if (i >= end) return 0;
      if (buf[i] === Byte.COMMA) {
        i++;
        continue;
      }
      // a space: only trailing spaces may follow
      while (i < end && buf[i] === Byte.SPACE) i++;
      if (i < end) return fail(view, RuleCode.METADATA_SYNTAX, i, 0);
      return 0;
    }
  }
}

/** Records an error whose limit depends on more than the code (metadata value lengths). */
function failMax(view: MetricLine, code: number, at: number, arg: number, max: number): number {
  view.errorMax = max;
  return fail(view, code, at, arg);
}

function fail(view: MetricLine, code: number, at: number, arg: number): number {
  view.error = code;
  view.errorAt = at;
  view.errorArg = arg;
  return code;
}

/** Reading left to right, a dimension past the limit comes before any later problem. */
function failDims(view: MetricLine, code: number, at: number, arg: number, tooManyAt: number, count: number): number {
  if (tooManyAt >= 0) fail(view, RuleCode.TOO_MANY_DIMENSIONS, tooManyAt, count);
  else fail(view, code, at, arg);
  return -1;
}

/**
 * Metric key: sections of A-Z a-z 0-9 - _ separated by '.', no empty section, first character a
 * letter or '_', no later section starting with '-' (spec §2, *docs*) or, by default, a digit
 * (*server*). Returns the end of the key (at ',' / ' ' / end) or -1 after recording the error.
 */
function scanMetricKey(view: MetricLine, buf: Uint8Array, start: number, end: number, allowDigitSections: boolean): number {
  const cc = CHAR_CLASS; // a local: module bindings are reloaded in hot loops
  let i = start;
  if (i >= end || buf[i] === Byte.COMMA || buf[i] === Byte.SPACE) {
    fail(view, RuleCode.METRIC_KEY_EMPTY, start, 0);
    return -1;
  }
  let first = true;
  for (;;) {
    // at the first character of a section
    if (i >= end) {
      fail(view, RuleCode.METRIC_KEY_EMPTY_SECTION, i - 1, 0); // the key ends with '.'
      return -1;
    }
    const c = buf[i]!;
    const cls = cc[c]!;
    if ((cls & CharClass.METRIC_KEY) === 0) {
      if (c === Byte.DOT) fail(view, RuleCode.METRIC_KEY_EMPTY_SECTION, i, 0);
      else if (c === Byte.COMMA || c === Byte.SPACE) fail(view, RuleCode.METRIC_KEY_EMPTY_SECTION, i - 1, 0);
      else fail(view, RuleCode.METRIC_KEY_CHAR, i, 0);
      return -1;
    }
    if (first) {
      if ((cls & CharClass.ALPHA) === 0 && c !== Byte.UNDERSCORE) {
        fail(view, RuleCode.METRIC_KEY_SECTION_START, i, 0);
        return -1;
      }
    } else if (c === Byte.MINUS) {
      fail(view, RuleCode.METRIC_KEY_SECTION_START, i, 0);
      return -1;
    } else if ((cls & CharClass.DIGIT) !== 0 && !allowDigitSections) {
      fail(view, RuleCode.METRIC_KEY_DIGIT_SECTION, i, 0);
      return -1;
    }
    i++;
    // the rest of the section: skip plain key characters in one tight loop
    while (i < end && (cc[buf[i]!]! & CharClass.METRIC_KEY) !== 0) i++;
    if (i >= end) return i;
    const d = buf[i]!;
    if (d === Byte.COMMA || d === Byte.SPACE) return i;
    if (d !== Byte.DOT) {
      fail(view, RuleCode.METRIC_KEY_CHAR, i, 0);
      return -1;
    }
    i++;
    first = false;
  }
}

function matches(buf: Uint8Array, at: number, word: readonly number[]): boolean {
  for (let k = 0; k < word.length; k++) if (buf[at + k] !== word[k]) return false;
  return true;
}

// The fixed words, as bytes. Each table is built in a call marked pure whose arguments read nothing
// (a property read could run a getter), so a bundle that never scans drops it (docs/architecture.md).
const GAUGE = /* @__PURE__ */ (() => wordBytes(WORDS.GAUGE))();
const COUNT = /* @__PURE__ */ (() => wordBytes(WORDS.COUNT))();
const GAUGE_COMMA = /* @__PURE__ */ (() => wordBytes(WORDS.GAUGE + ','))();
const COUNT_COMMA = /* @__PURE__ */ (() => wordBytes(WORDS.COUNT + ','))();
const DELTA_FIELD = /* @__PURE__ */ (() => wordBytes(WORDS.DELTA_FIELD))();
const RESERVED = /* @__PURE__ */ (() => wordBytes(WORDS.RESERVED_KEY_PREFIX))();
const DT_META = /* @__PURE__ */ (() => wordBytes(WORDS.METADATA_PREFIX))();
const SUMMARY_FIELDS = /* @__PURE__ */ (() => SUMMARY_FIELD_WORDS.map(wordBytes))();
const META_NAMES = /* @__PURE__ */ (() => META_PROPERTY_WORDS.map(wordBytes))();

/** Index of a metadata property name, compared case-insensitively (spec §5, *decided*). */
function metaPropertyIndex(buf: Uint8Array, start: number, end: number): number {
  outer: for (let p = 0; p < META_NAMES.length; p++) {
    const name = META_NAMES[p]!;
    if (end - start !== name.length) continue;
    for (let k = 0; k < name.length; k++) {
      const c = buf[start + k]!;
      const lower = c >= Byte.UPPER_A && c <= Byte.UPPER_Z ? c + (Byte.LOWER_A - Byte.UPPER_A) : c;
      if (lower !== name[k]) continue outer;
    }
    return p;
  }
  return -1;
}
