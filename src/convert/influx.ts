/**
 * Influx line protocol to the metrics line protocol, as Telegraf's Dynatrace output writes it
 * (docs/spec/influx.md):
 *
 *     measurement[,tag=value...] field=value[,field=value...] [timestamp]
 *
 * - each numeric field (float, `i` integer, `u` unsigned) → one point keyed `measurement.field`
 *   (`metricPrefix` before it), `gauge,<value>`, or `count,delta=<value>` when the key is listed in
 *   `additionalCounters`;
 * - boolean fields → `gauge,1` / `gauge,0` (option `booleans`); string fields → dropped;
 * - tags → dimensions, after the `sourceDimension` (`dt.metrics.source=telegraf` by default);
 * - the timestamp (unit: option `precision`) → epoch milliseconds.
 *
 * The grammar is InfluxData's (`line-protocol.ebnf` of influxdata/line-protocol): a backslash escapes
 * `,` and space in a measurement, `,` `=` and space in keys and tag values, `"` and `\` in a string
 * field; before any other byte it is literal. Control characters end nothing and are invalid in names.
 * A line is read whole before any of its points is written, so a line that turns out invalid (a bad
 * field after good ones, a bad timestamp) gives no point, as InfluxDB rejects it whole.
 *
 * Streaming over bytes, no regex, no object per point: each field fills the converter's reused
 * {@link MetricBatch}; the tags of a line are interned once and shared by its fields.
 *
 * @module
 */
import { VALUE_STRIDE } from '../metrics/batch.js';
import { NUMBER_OK, parseDigitsTo, parseNumberTo } from '../metrics/numbers.js';
import { KeySuffix, PayloadType } from '../metrics/view.js';
// the bytes the grammar names are protocol/chars.ts' (one table per concept)
import { Byte } from '../protocol/chars.js';
import { INFLUX_DEFAULTS, type InfluxOptions, type ResolvedInfluxOptions, resolveConvertOptions } from '../protocol/convert-options.js';
import { LineConverter } from './line-converter.js';
import { NameFate } from './names.js';
import { checkDimensionKey } from '../produce/check.js';
import type { ConvertSink } from './source.js';

/** Kinds of a field value. */
const FieldKind = { FLOAT: 0, INTEGER: 1, UNSIGNED: 2, BOOLEAN: 3, STRING: 4 } as const;

/** Ints per tag in the position scratch. */
const TAG_STRIDE = 5;

/** Field record layout in the scratch: key start, key end, escaped (0/1), kind. */
const FIELD_STRIDE = 4;

/** The largest magnitudes of Influx's int64 and uint64 fields, as ASCII digits (compared as text: doubles cannot tell 2^64 - 1 from 2^64). */
const INT64_MAX = /* @__PURE__ */ asciiBytes('9223372036854775807');
const INT64_MIN_MAGNITUDE = /* @__PURE__ */ asciiBytes('9223372036854775808');
const UINT64_MAX = /* @__PURE__ */ asciiBytes('18446744073709551615');

function asciiBytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Whether the digits `buf[s, e)` (no sign) are at most `limit`, leading zeros allowed. */
function digitsAtMost(buf: Uint8Array, s: number, e: number, limit: Uint8Array): boolean {
  while (s < e - 1 && buf[s] === 48) s++;
  const n = e - s;
  if (n !== limit.length) return n < limit.length;
  for (let i = 0; i < n; i++) {
    const d = buf[s + i]! - limit[i]!;
    if (d !== 0) return d < 0;
  }
  return true;
}

/** Nanoseconds per unit of each precision, as a divisor to milliseconds. */
const PER_MS: Readonly<Record<string, number>> = { ns: 1e6, us: 1e3, ms: 1, s: 1e-3 };

const encoder = /* @__PURE__ */ new TextEncoder();

/** Whether a byte is a control character (0x00-0x1F, 0x7F): never part of a name. */
function isControl(c: number): boolean {
  return c < 32 || c === 127;
}

/**
 * The boolean a field value spells (`t T true True TRUE f F false False FALSE`): 1, 0, or -1 for none.
 */
function booleanOf(buf: Uint8Array, s: number, e: number): number {
  const n = e - s;
  const c = buf[s]!;
  if (n === 1) return c === 116 || c === 84 ? 1 : c === 102 || c === 70 ? 0 : -1; // t T / f F
  if (n === 4 && (c === 116 || c === 84)) {
    const r = buf[s + 1]!;
    const u = buf[s + 2]!;
    const x = buf[s + 3]!;
    // true, True, TRUE
    if (r === 114 && u === 117 && x === 101) return 1;
    if (c === 84 && r === 82 && u === 85 && x === 69) return 1;
    return -1;
  }
  if (n === 5 && (c === 102 || c === 70)) {
    const a = buf[s + 1]!;
    const l = buf[s + 2]!;
    const ss = buf[s + 3]!;
    const x = buf[s + 4]!;
    // false, False, FALSE
    if (a === 97 && l === 108 && ss === 115 && x === 101) return 0;
    if (c === 70 && a === 65 && l === 76 && ss === 83 && x === 69) return 0;
  }
  return -1;
}

/**
 * A streaming Influx line protocol converter (see the module's doc for the mapping).
 *
 * @example
 * const writer = new LineWriter();
 * let out = '';
 * const c = new InfluxConverter({ points: (b) => (out += writer.write(b)) }, { sourceDimension: '' });
 * c.push(new TextEncoder().encode('cpu,host=a usage=0.5,up=true 1700000000000000000\n'));
 * c.end();
 * out; // 'cpu.usage,host=a gauge,0.5 1700000000000\ncpu.up,host=a gauge,1 1700000000000\n'
 */
export class InfluxConverter extends LineConverter {
  /** The options in force. */
  readonly options: ResolvedInfluxOptions;
  private readonly numbers = new Float64Array(2);
  private readonly prefix: Uint8Array;
  private readonly counters: ReadonlySet<string>;
  private readonly perMs: number;
  /** `key=value` of the source dimension, split, or null. */
  private readonly source: Uint8Array | null;
  private readonly sourceSplit: number;
  private unescaped = new Uint8Array(256);
  /** Tag records of the line: key id, value id. */
  private tagIds = new Int32Array(32);
  /** Field records of the line (`FIELD_STRIDE` ints each) and their values. */
  private fields = new Int32Array(16 * FIELD_STRIDE);
  private values = new Float64Array(16);
  /** Tag records of the current line in `tagIds`. */
  private tagIdCount = 0;
  /** Duplicate tag keys: the stamp of the line that last had each raw key id. */
  private tagStamps = new Int32Array(64);
  /** Tag positions of the line (`TAG_STRIDE` ints each: key start, key end, value start, value end, escape flags). */
  private tagPos = new Int32Array(16 * 5);
  private tagStamp = 0;

  /**
   * @param sink where batches and problems go
   * @param options see {@link InfluxOptions}
   */
  constructor(sink: ConvertSink, options?: InfluxOptions) {
    const o = resolveConvertOptions(options, INFLUX_DEFAULTS) as ResolvedInfluxOptions;
    super(sink, o.maxLineBytes, o.batchPoints, o.maxStringBytes, o.metrics);
    this.options = o;
    this.prefix = encoder.encode(o.metricPrefix);
    this.counters = new Set(o.additionalCounters);
    this.perMs = PER_MS[o.precision]!;
    const eq = o.sourceDimension.indexOf('=');
    if (o.sourceDimension === '') {
      this.source = null;
      this.sourceSplit = 0;
    } else {
      const problem = eq <= 0 || eq === o.sourceDimension.length - 1 ? "expected 'key=value'" : checkDimensionKey(o.sourceDimension.slice(0, eq), o.metrics);
      if (problem !== null) throw new TypeError(`dt-ingest: option sourceDimension: ${problem}`);
      this.source = encoder.encode(o.sourceDimension);
      this.sourceSplit = encoder.encode(o.sourceDimension.slice(0, eq)).length;
    }
  }

  /** Reads one line (the LineConverter frame calls it). */
  protected readLine(buf: Uint8Array, start: number, end: number, line: number): void {
    let i = start;
    while (i < end && buf[i] === Byte.SPACE) i++;
    if (i === end || buf[i] === Byte.HASH) return; // blank, or a comment
    // --- measurement: up to an unescaped ',' or space ---------------------------------------------
    const ms = i;
    let mEscaped = false;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c === Byte.BACKSLASH && i + 1 < end && (buf[i + 1] === Byte.COMMA || buf[i + 1] === Byte.SPACE)) {
        mEscaped = true;
        i++;
      } else if (c === Byte.COMMA || c === Byte.SPACE) break;
      else if (isControl(c)) return this.syntax(line, i, start, 'control character in the measurement');
    }
    const me = i;
    if (i === end) return this.syntax(line, i, start, 'no fields');
    // --- tags ---------------------------------------------------------------------------------------
    let tagCount = 0;
    const tagsAt = i;
    while (i < end && buf[i] === Byte.COMMA) {
      const ks = ++i;
      for (; i < end; i++) {
        const c = buf[i]!;
        if (c === Byte.BACKSLASH && i + 1 < end && (buf[i + 1] === Byte.COMMA || buf[i + 1] === Byte.EQUALS || buf[i + 1] === Byte.SPACE)) i++;
        else if (c === Byte.EQUALS || c === Byte.COMMA || c === Byte.SPACE || isControl(c)) break;
      }
      if (i === ks || buf[i] !== Byte.EQUALS) return this.syntax(line, i, start, i === ks ? 'empty tag key' : "expected '=' after a tag key");
      const vs = ++i;
      for (; i < end; i++) {
        const c = buf[i]!;
        if (c === Byte.BACKSLASH && i + 1 < end && (buf[i + 1] === Byte.COMMA || buf[i + 1] === Byte.EQUALS || buf[i + 1] === Byte.SPACE)) i++;
        else if (c === Byte.COMMA || c === Byte.SPACE || c === Byte.EQUALS || isControl(c)) break;
      }
      if (i === vs) return this.syntax(line, i, start, 'empty tag value');
      if (i < end && buf[i] === Byte.EQUALS) return this.syntax(line, i, start, "unescaped '=' in a tag value");
      if (i < end && isControl(buf[i]!)) return this.syntax(line, i, start, 'control character in a tag');
      tagCount++;
    }
    if (i === end || buf[i] !== Byte.SPACE) return this.syntax(line, i, start, 'expected a space before the fields');
    while (i < end && buf[i] === Byte.SPACE) i++;
    // --- fields ---------------------------------------------------------------------------------------
    let fieldCount = 0;
    for (;;) {
      const ks = i;
      let kEscaped = 0;
      for (; i < end; i++) {
        const c = buf[i]!;
        if (c === Byte.BACKSLASH && i + 1 < end && (buf[i + 1] === Byte.COMMA || buf[i + 1] === Byte.EQUALS || buf[i + 1] === Byte.SPACE)) {
          kEscaped = 1;
          i++;
        } else if (c === Byte.EQUALS || c === Byte.COMMA || c === Byte.SPACE || isControl(c)) break;
      }
      if (i === ks) return this.syntax(line, i, start, 'expected a field key');
      if (i === end || buf[i] !== Byte.EQUALS) return this.syntax(line, i, start, "expected '=' after a field key");
      const ke = i;
      const vs = ++i;
      let kind: number;
      let value = 0;
      if (i < end && buf[i] === Byte.QUOTE) {
        // a string: up to the closing quote; `\"` and `\\` are escapes
        for (i++; i < end; i++) {
          const c = buf[i]!;
          if (c === Byte.BACKSLASH && i + 1 < end) i++;
          else if (c === Byte.QUOTE) break;
        }
        if (i === end) return this.syntax(line, i, start, 'string field without its closing quote');
        i++;
        kind = FieldKind.STRING;
      } else {
        while (i < end && buf[i] !== Byte.COMMA && buf[i] !== Byte.SPACE) i++;
        if (i === vs) return this.fieldProblem(buf, line, start, ks, ke, vs, i, 'empty value');
        const last = buf[i - 1]!;
        if (last === Byte.LOWER_I || last === Byte.LOWER_U) {
          const negative = buf[vs] === Byte.MINUS;
          if ((last === Byte.LOWER_U && negative) || !parseDigitsTo(buf, negative ? vs + 1 : vs, i - 1, this.numbers, 0))
            return this.fieldProblem(buf, line, start, ks, ke, vs, i, last === Byte.LOWER_U ? 'not an unsigned integer' : 'not an integer');
          value = this.numbers[0]!;
          if (!digitsAtMost(buf, negative ? vs + 1 : vs, i - 1, last === Byte.LOWER_U ? UINT64_MAX : negative ? INT64_MIN_MAGNITUDE : INT64_MAX))
            return this.fieldProblem(buf, line, start, ks, ke, vs, i, 'out of range');
          if (negative) value = -value;
          kind = last === Byte.LOWER_I ? FieldKind.INTEGER : FieldKind.UNSIGNED;
        } else {
          const b = booleanOf(buf, vs, i);
          if (b >= 0) {
            value = b;
            kind = FieldKind.BOOLEAN;
          } else {
            // a float: no leading '+' (the grammar's `[ "-" ] non_negative_float`)
            if (buf[vs] === 43 || parseNumberTo(buf, vs, i, true, this.numbers, 0) !== NUMBER_OK)
              return this.fieldProblem(buf, line, start, ks, ke, vs, i, 'not a number');
            value = this.numbers[0]!;
            kind = FieldKind.FLOAT;
          }
        }
      }
      this.addField(fieldCount++, ks, ke, kEscaped, kind, value);
      if (i === end) break;
      if (buf[i] === Byte.COMMA) {
        i++;
        continue;
      }
      break; // a space
    }
    // --- timestamp ------------------------------------------------------------------------------------
    while (i < end && buf[i] === Byte.SPACE) i++;
    let timestamp = -1;
    let timestampProblem = -1;
    if (i < end) {
      const ts = i;
      while (i < end && buf[i] !== Byte.SPACE) i++;
      const te = i;
      while (i < end && buf[i] === Byte.SPACE) i++;
      if (i < end) return this.syntax(line, i, start, 'unexpected text after the timestamp');
      const negative = buf[ts] === Byte.MINUS;
      if (
        !parseDigitsTo(buf, negative ? ts + 1 : ts, te, this.numbers, 0) ||
        !digitsAtMost(buf, negative ? ts + 1 : ts, te, negative ? INT64_MIN_MAGNITUDE : INT64_MAX)
      ) {
        this.invalid('influx-timestamp', line, ts + 1 - start, { token: this.listening ? this.token(buf, ts, te) : '' });
        return;
      }
      if (this.options.timestamps === 'keep') {
        const ms = Math.floor(this.numbers[0]! / this.perMs);
        if (negative || !Number.isSafeInteger(ms)) timestampProblem = ts;
        else timestamp = ms;
      }
    }
    // --- the line is valid: its tags once, then one point per field ----------------------------------
    if (!this.readTags(buf, tagsAt, tagCount, line, start)) return;
    this.emit(buf, ms, me, mEscaped, fieldCount, timestamp, line, start, timestampProblem);
  }

  /** Reports an unreadable line at byte `at`. */
  private syntax(line: number, at: number, start: number, hint: string): void {
    this.invalid('influx-syntax', line, at + 1 - start, { hint });
  }

  /** Reports an unreadable field value (the whole line is unreadable). */
  private fieldProblem(buf: Uint8Array, line: number, start: number, ks: number, ke: number, vs: number, ve: number, hint: string): void {
    this.invalid('influx-field-value', line, vs + 1 - start, this.listening ? { label: this.token(buf, ks, ke), token: this.token(buf, vs, ve), hint } : {});
  }

  private addField(n: number, ks: number, ke: number, escaped: number, kind: number, value: number): void {
    if ((n + 1) * FIELD_STRIDE > this.fields.length) {
      const f = new Int32Array(this.fields.length * 2);
      f.set(this.fields);
      this.fields = f;
      const v = new Float64Array(this.values.length * 2);
      v.set(this.values);
      this.values = v;
    }
    const r = n * FIELD_STRIDE;
    this.fields[r] = ks;
    this.fields[r + 1] = ke;
    this.fields[r + 2] = escaped;
    this.fields[r + 3] = kind;
    this.values[n] = value;
  }

  /** `buf[s, e)` with the backslash escapes of `escapes` resolved, into `out` from `at`; returns the end. */
  private unescapeInto(buf: Uint8Array, s: number, e: number, measurement: boolean, at: number): number {
    let out = this.unescaped;
    if (out.length < at + (e - s)) {
      const grown = new Uint8Array(2 * (at + (e - s)));
      grown.set(out.subarray(0, at));
      this.unescaped = out = grown;
    }
    for (let i = s; i < e; i++) {
      const c = buf[i]!;
      if (c === Byte.BACKSLASH && i + 1 < e) {
        const d = buf[i + 1]!;
        if (d === Byte.COMMA || d === Byte.SPACE || (!measurement && d === Byte.EQUALS)) {
          out[at++] = d;
          i++;
          continue;
        }
      }
      out[at++] = c;
    }
    return at;
  }

  /**
   * Interns the tags of the line (`count` of them from `at`, the ',' before the first) into `tagIds`.
   * Returns false (reported) when a tag key appears twice, as written: InfluxDB rejects such a line.
   */
  private readTags(buf: Uint8Array, at: number, count: number, line: number, start: number): boolean {
    // a new stamp per line: a raw key id seen with this stamp is a duplicate (nothing to clear)
    if (++this.tagStamp === 0x7fffffff) {
      this.tagStamps.fill(0);
      this.tagStamp = 1;
    }
    if (this.tagIds.length < 2 * count) this.tagIds = new Int32Array(4 * count);
    if (this.tagPos.length < TAG_STRIDE * count) this.tagPos = new Int32Array(2 * TAG_STRIDE * count);
    this.tagIdCount = count;
    const ids = this.tagIds;
    const pos = this.tagPos;
    const names = this.names;
    // first every key's raw id, so a duplicate rejects the line before any rename is reported
    let i = at;
    for (let t = 0; t < count; t++) {
      const ks = ++i;
      let escaped = 0;
      for (; buf[i] !== Byte.EQUALS; i++) {
        if (buf[i] === Byte.BACKSLASH && (buf[i + 1] === Byte.COMMA || buf[i + 1] === Byte.EQUALS || buf[i + 1] === Byte.SPACE)) {
          escaped = 1;
          i++;
        }
      }
      const ke = i;
      const vs = ++i;
      let vEscaped = 0;
      for (; i < buf.length && buf[i] !== Byte.COMMA && buf[i] !== Byte.SPACE; i++) {
        if (buf[i] === Byte.BACKSLASH && (buf[i + 1] === Byte.COMMA || buf[i + 1] === Byte.EQUALS || buf[i + 1] === Byte.SPACE)) {
          vEscaped = 2;
          i++;
        }
      }
      const raw = escaped === 1 ? names.rawId(this.unescaped, 0, this.unescapeInto(buf, ks, ke, false, 0)) : names.rawId(buf, ks, ke);
      if (raw >= this.tagStamps.length) {
        const grown = new Int32Array(Math.max(2 * this.tagStamps.length, raw + 1));
        grown.set(this.tagStamps);
        this.tagStamps = grown;
      }
      if (this.tagStamps[raw] === this.tagStamp) {
        this.invalid('influx-duplicate-tag', line, ks + 1 - start, { label: this.listening ? this.token(buf, ks, ke) : '' });
        return false;
      }
      this.tagStamps[raw] = this.tagStamp;
      const r = t * TAG_STRIDE;
      pos[r] = ks;
      pos[r + 1] = ke;
      pos[r + 2] = vs;
      pos[r + 3] = i;
      pos[r + 4] = escaped | vEscaped;
      ids[2 * t] = raw;
    }
    // then each key mapped to a dimension key and each value to a dimension value
    for (let t = 0; t < count; t++) {
      const r = t * TAG_STRIDE;
      const ks = pos[r]!;
      const ke = pos[r + 1]!;
      const vs = pos[r + 2]!;
      const ve = pos[r + 3]!;
      const flags = pos[r + 4]!;
      let key: number;
      if ((flags & 1) !== 0) {
        const n = this.unescapeInto(buf, ks, ke, false, 0);
        key = this.mapDimensionKey(this.unescaped, 0, n, ids[2 * t]!, line, ks + 1 - start);
      } else key = this.mapDimensionKey(buf, ks, ke, ids[2 * t]!, line, ks + 1 - start);
      let value = -1;
      if (key >= 0) {
        if ((flags & 2) !== 0) {
          const n = this.unescapeInto(buf, vs, ve, false, 0);
          value = names.dimensionValue(this.unescaped, 0, n);
        } else value = names.dimensionValue(buf, vs, ve);
        if (value < 0) this.problem('convert-dimension-empty', line, vs + 1 - start, { label: this.listening ? this.token(buf, ks, ke) : '' });
        else if (names.fate === NameFate.RENAMED)
          this.problem('convert-dimension-value-normalized', line, vs + 1 - start, { label: this.listening ? this.token(buf, ks, ke) : '' });
      }
      ids[2 * t] = key;
      ids[2 * t + 1] = value;
    }
    return true;
  }

  /** A dimension key id, or -1, reporting a rename or a drop. */
  private mapDimensionKey(buf: Uint8Array, s: number, e: number, rawId: number, line: number, column: number): number {
    const names = this.names;
    const key = names.dimensionKeyOf(buf, s, e, rawId);
    if (names.fate === NameFate.VALID) return key;
    if (key < 0) this.problem('convert-dimension-key-invalid', line, column, { label: names.lastRaw });
    else this.problem('convert-dimension-key-normalized', line, column, { label: names.lastRaw, new: names.batch.strings.text(key) });
    return key;
  }

  /** One point per numeric or boolean field. */
  private emit(
    buf: Uint8Array,
    ms: number,
    me: number,
    mEscaped: boolean,
    fieldCount: number,
    timestamp: number,
    line: number,
    start: number,
    tsProblem: number,
  ): void {
    const o = this.options;
    const names = this.names;
    const batch = this.batch;
    const prefix = this.prefix;
    // the key's first part, `prefix` + measurement + '.', once for every field
    let base: number;
    if (mEscaped) {
      base = this.unescapeInto(buf, ms, me, true, prefix.length);
      if (prefix.length > 0) this.unescaped.set(prefix, 0);
    } else {
      const need = prefix.length + (me - ms);
      if (this.unescaped.length < need + 1) this.unescaped = new Uint8Array(2 * (need + 1));
      this.unescaped.set(prefix, 0);
      this.unescaped.set(buf.subarray(ms, me), prefix.length);
      base = need;
    }
    if (this.unescaped.length < base + 1) {
      const grown = new Uint8Array(2 * (base + 1));
      grown.set(this.unescaped.subarray(0, base));
      this.unescaped = grown;
    }
    this.unescaped[base++] = Byte.DOT;
    const keyStart = base;
    let timestampReported = false;
    for (let f = 0; f < fieldCount; f++) {
      const r = f * FIELD_STRIDE;
      const ks = this.fields[r]!;
      const ke = this.fields[r + 1]!;
      const kind = this.fields[r + 3]!;
      if (kind === FieldKind.STRING) {
        if (this.listening)
          this.problem('influx-string-field-dropped', line, ks + 1 - start, { label: this.token(buf, ks, ke), name: this.token(buf, ms, me) });
        else this.problem('influx-string-field-dropped', line, 0, {});
        continue;
      }
      if (kind === FieldKind.BOOLEAN && o.booleans === 'drop') {
        if (this.listening) this.problem('influx-bool-field-dropped', line, ks + 1 - start, { label: this.token(buf, ks, ke), name: this.token(buf, ms, me) });
        else this.problem('influx-bool-field-dropped', line, 0, {});
        continue;
      }
      // the key: base + field key (unescaped)
      let keyEnd: number;
      if (this.fields[r + 2] === 1) keyEnd = this.unescapeInto(buf, ks, ke, false, keyStart);
      else {
        keyEnd = keyStart + (ke - ks);
        if (this.unescaped.length < keyEnd) {
          const grown = new Uint8Array(2 * keyEnd);
          grown.set(this.unescaped.subarray(0, keyStart));
          this.unescaped = grown;
        }
        this.unescaped.set(buf.subarray(ks, ke), keyStart);
      }
      let counter = false;
      if (this.counters.size > 0) counter = this.counters.has(this.token(this.unescaped, prefix.length, keyEnd));
      const key = this.metricKey(this.unescaped, 0, keyEnd, line, ks + 1 - start);
      if (key < 0) continue;
      if (tsProblem >= 0 && !timestampReported) {
        timestampReported = true;
        this.problem(
          'convert-timestamp-dropped',
          line,
          tsProblem + 1 - start,
          this.listening
            ? {
                name: names.batch.strings.text(key),
                token: this.token(buf, tsProblem, buf.indexOf(Byte.SPACE, tsProblem) < 0 ? tsProblem + 20 : buf.indexOf(Byte.SPACE, tsProblem)),
              }
            : {},
        );
      }
      const p = batch.beginPoint(line, key, KeySuffix.NONE, counter ? PayloadType.COUNT : PayloadType.GAUGE, timestamp);
      const v = batch.values;
      const at = p * VALUE_STRIDE;
      v[at] = this.values[f]!;
      v[at + 1] = v[at + 2] = v[at + 3] = 0;
      if (this.source !== null)
        batch.addDimension(names.intern(this.source, 0, this.sourceSplit), names.intern(this.source, this.sourceSplit + 1, this.source.length));
      for (let t = 0; t < this.tagIdCount; t++) {
        const k = this.tagIds[2 * t]!;
        const val = this.tagIds[2 * t + 1]!;
        if (k >= 0 && val >= 0) batch.addDimension(k, val);
      }
      this.endPoint(line);
    }
  }
}

/**
 * An {@link InfluxConverter} writing to `sink` (the `open` of the `influx` row of `SOURCE_FORMATS`).
 * @example influxConverter({ points: (batch) => console.log(batch.length) }).push(bytes)
 */
export function influxConverter(sink: ConvertSink, options?: InfluxOptions): InfluxConverter {
  return new InfluxConverter(sink, options);
}
