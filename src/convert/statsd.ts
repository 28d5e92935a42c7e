/**
 * StatsD (Dynatrace's flavour, the one OneAgent and ActiveGate listen for on UDP 18125 / 18126) to
 * the metrics line protocol, docs/spec/statsd.md:
 *
 *     name:value|type[|@rate][|#key:value,key2:value2][|T<unix seconds>]
 *
 * - `c` counter → `count,delta=<value / rate>`;
 * - `g` gauge → `gauge,<value>`; a signed value (`+4`, `-10`) changes the gauge's current value
 *   (option `gaugeDeltas`);
 * - `ms` timer, `h` histogram, `d` distribution → one observation as a summary,
 *   `gauge,min=v,max=v,sum=v·n,count=n` with `n = round(1 / rate)` (option `sampleRates`);
 * - `s` set → dropped, or counted once per distinct member (option `sets`);
 * - tags `key:value` → dimensions (names through the normalizers), the first `:` separating key and
 *   value; `|T` → the point's timestamp.
 *
 * Streaming over bytes with `indexOf` jumps between delimiters; no regex, no object per point: each
 * line fills the reused {@link MetricBatch} of the converter (`line-converter.ts`). A UDP datagram is
 * read with `StatsdConverter.datagram` (its last line needs no LF).
 *
 * @module
 */
import type { MetricBatch } from '../metrics/batch.js';
import { VALUE_STRIDE } from '../metrics/batch.js';
import { KeyTable } from '../metrics/keys.js';
import { NUMBER_OK, parseDigitsTo, parseNumberTo } from '../metrics/numbers.js';
import { KeySuffix, PayloadType } from '../metrics/view.js';
import { resolveConvertOptions, STATSD_DEFAULTS, type ResolvedStatsdOptions, type StatsdOptions } from '../protocol/convert-options.js';
import { KEY_HASH_FNV } from '../protocol/native-layout.js';
import { SERIES_STATE_DEFAULTS } from '../protocol/otlp-options.js';
import { LineConverter } from './line-converter.js';
import { NameFate } from './names.js';
import type { ConvertSink } from './source.js';

const COLON = 58;
const LF = 10;
const CR = 13;
const PIPE = 124;
const AT = 64;
const HASH = 35;
const COMMA = 44;
const PLUS = 43;
const MINUS = 45;
const SPACE = 32;
const TAB = 9;
const UPPER_T = 84;
const LOWER_C = 99;
const LOWER_G = 103;
const LOWER_M = 109;
const LOWER_S = 115;
const LOWER_H = 104;
const LOWER_D = 100;

const DOT = 46;

/** 10^0 to 10^15, exact doubles (the divisors of {@link plainDecimal}). */
const POW10 = /* @__PURE__ */ Float64Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * The value of `buf[s, e)` when it is a plain decimal (digits with at most one '.', 1 to 15 digits),
 * else NaN (the caller then reads it with the number grammar). The fast path of most StatsD values
 * and rates: a mantissa below 10^15 and a power of ten up to 10^15 are exact doubles, so their
 * quotient is the correctly rounded value, the one the grammar gives.
 */
function plainDecimal(buf: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n === 0 || n > 16) return Number.NaN;
  let m = 0;
  let point = -1;
  for (let i = s; i < e; i++) {
    const c = buf[i]!;
    const d = c - 48;
    if (d >= 0 && d <= 9) m = m * 10 + d;
    else if (c === DOT && point < 0) point = i;
    else return Number.NaN;
  }
  if (point < 0) return n <= 15 ? m : Number.NaN;
  return n === 1 ? Number.NaN : m / POW10[e - point - 1]!;
}

/**
 * Slots of the name cache (a power of two) and the longest name it holds, in bytes (*decided*: 1,024
 * names of up to 64 bytes, 64 KiB, cover an agent's metric names; longer or more take the key table).
 */
const NAME_CACHE_SLOTS = 1024;
const NAME_CACHE_BYTES = 64;

/** The StatsD metric types, as read from the type field. */
const StatsdType = { INVALID: 0, COUNTER: 1, GAUGE: 2, TIMER: 3, HISTOGRAM: 4, DISTRIBUTION: 5, SET: 6 } as const;

/** Names of the types for messages, by {@link StatsdType}. */
const TYPE_NAMES = ['', 'c', 'g', 'ms', 'h', 'd', 's'] as const;

const encoder = /* @__PURE__ */ new TextEncoder();

/** The type of `buf[start, end)`, or `StatsdType.INVALID`. */
function typeOf(buf: Uint8Array, start: number, end: number): number {
  const n = end - start;
  const c = buf[start];
  if (n === 1) {
    if (c === LOWER_C) return StatsdType.COUNTER;
    if (c === LOWER_G) return StatsdType.GAUGE;
    if (c === LOWER_H) return StatsdType.HISTOGRAM;
    if (c === LOWER_D) return StatsdType.DISTRIBUTION;
    if (c === LOWER_S) return StatsdType.SET;
  } else if (n === 2 && c === LOWER_M && buf[start + 1] === LOWER_S) return StatsdType.TIMER;
  return StatsdType.INVALID;
}

/**
 * The index of `byte` in `buf[from, end)`, or -1. A plain loop, not `indexOf`: StatsD fields are a
 * few bytes long, where the native call costs more than the scan (bench/convert-statsd-influx.mjs).
 */
function find(buf: Uint8Array, byte: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (buf[i] === byte) return i;
  return -1;
}

/**
 * A streaming StatsD converter (see the module's doc for the mapping).
 *
 * @example
 * const lines: string[] = [];
 * const writer = new LineWriter();
 * const c = new StatsdConverter({ points: (b) => lines.push(writer.write(b)) });
 * c.datagram(new TextEncoder().encode('api.calls:3|c|@0.5|#env:prod'));
 * lines.join(''); // 'api.calls,env=prod count,delta=6\n'
 */
export class StatsdConverter extends LineConverter {
  /** The options in force. */
  readonly options: ResolvedStatsdOptions;
  private readonly numbers = new Float64Array(2);
  private readonly prefix: Uint8Array;
  private keyBuf = new Uint8Array(256);
  /** Series identities (name, 0, tag text) of signed gauges' state, and their values by id. */
  private readonly gaugeSeries = new KeyTable();
  private gaugeValues = new Float64Array(16);
  /** Gauge values of series without tags, by the name's raw id (see `gaugeSeriesId`). */
  private gaugeByName = new Float64Array(16);
  private gaugeGeneration = 0;
  /** Members seen (name, 0, tag text, 1, member), for `sets: 'distinct'`. */
  private readonly setMembers = new KeyTable();
  private readonly maxSeries: number;
  /**
   * A direct-mapped cache of valid names by the hash the scan computed: the name's length, hash,
   * metric key id and raw id, and its bytes (compared four at a time through DataViews), valid for
   * one string-table generation. A hit skips the key table's probe and byte loop.
   */
  private readonly cacheLength = new Int32Array(NAME_CACHE_SLOTS);
  private readonly cacheHash = new Int32Array(NAME_CACHE_SLOTS);
  private readonly cacheKey = new Int32Array(NAME_CACHE_SLOTS);
  private readonly cacheRaw = new Int32Array(NAME_CACHE_SLOTS);
  private readonly cacheBytes = new Uint8Array(NAME_CACHE_SLOTS * NAME_CACHE_BYTES);
  private readonly cacheView = new DataView(this.cacheBytes.buffer);
  private cacheGeneration = 0;
  /** A DataView over the buffer lines are read from (one per buffer, not per line). */
  private view: DataView | undefined;
  private viewOf: Uint8Array | undefined;
  /** Raw id of the last name read (the key of tagless gauges' state). */
  private rawId = -1;

  /**
   * @param sink where batches and problems go
   * @param options see {@link StatsdOptions}
   */
  constructor(sink: ConvertSink, options?: StatsdOptions) {
    const o = resolveConvertOptions(options, STATSD_DEFAULTS) as ResolvedStatsdOptions;
    super(sink, o.maxLineBytes, o.batchPoints, o.maxStringBytes, o.metrics);
    this.options = o;
    this.prefix = encoder.encode(o.metricPrefix);
    this.maxSeries = o.series?.maxSeries ?? SERIES_STATE_DEFAULTS.maxSeries;
  }

  /** Reads one UDP datagram: its lines, the last one without LF too. */
  datagram(bytes: Uint8Array): void {
    this.push(bytes);
    this.end();
  }

  /**
   * The fused chunk scan: every complete line of `buf[start, end)` in one loop that finds the LF, the
   * ':' and the '|' as it goes, hashing the name and reading an all-digit value on the way, with no
   * splitter pass and no call per line before the fields are known. A line of another shape (blank,
   * leading or trailing blanks, CR, no ':' or '|', too long) goes to the per-line path, which reads
   * and reports it exactly as before (bench/convert-statsd-influx.mjs measures the gain).
   */
  protected override readLines(buf: Uint8Array, start: number, end: number, firstLine: number): number {
    let line = firstLine;
    let s = start;
    const counts = this.counts;
    const maxLineBytes = this.maxLineBytes;
    while (s < end) {
      let i = s;
      let c = buf[i]!;
      let colon = -1;
      let pipe = -1;
      let hash = KEY_HASH_FNV.OFFSET;
      if (c !== SPACE && c !== TAB) {
        // the name, hashed on the way (FNV-1a, as the key table hashes)
        for (; i < end && (c = buf[i]!) !== COLON && c !== LF; i++) hash = Math.imul(hash ^ c, KEY_HASH_FNV.PRIME);
        if (c === COLON && i > s) {
          colon = i;
          // the value, up to the '|' (read by plainDecimal or the number grammar in readFields)
          for (i++; i < end && (c = buf[i]!) !== PIPE && c !== LF; i++);
          if (c === PIPE) pipe = i;
        }
      }
      // the rest of the line: the type and the sections, read by readFields
      while (i < end && buf[i] !== LF) i++;
      const last = i > s ? buf[i - 1]! : LF;
      if (pipe < 0 || i - s > maxLineBytes || last === CR || last === SPACE || last === TAB) this.line(buf, s, i, line);
      else {
        counts.lines++;
        this.makeRoom();
        this.readFields(buf, s, i, line, colon, hash, pipe);
      }
      line++;
      s = i + 1;
    }
    return line - firstLine;
  }

  /** Reads one line (the LineConverter frame calls it). */
  protected readLine(buf: Uint8Array, start: number, end: number, line: number): void {
    while (start < end && (buf[start] === SPACE || buf[start] === TAB)) start++;
    while (end > start && (buf[end - 1] === SPACE || buf[end - 1] === TAB)) end--;
    if (start === end) return;
    // the name: up to the first ':', hashed on the way (FNV-1a, as the key table hashes)
    let colon = -1;
    let hash = KEY_HASH_FNV.OFFSET;
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c === COLON) {
        colon = i;
        break;
      }
      hash = Math.imul(hash ^ c, KEY_HASH_FNV.PRIME);
    }
    if (colon <= start) {
      this.invalid('statsd-syntax', line, colon < 0 ? end - start + 1 : 1, { hint: colon < 0 ? "no ':' after the metric name" : 'empty metric name' });
      return;
    }
    // the value: up to the next '|'
    const pipe = find(buf, PIPE, colon + 1, end);
    if (pipe < 0) {
      this.invalid('statsd-syntax', line, end - start + 1, { hint: "no '|' and type after the value" });
      return;
    }
    this.readFields(buf, start, end, line, colon, hash, pipe);
  }

  /**
   * Reads the line `buf[start, end)` (trimmed) from its type on: `colon` and `pipe` are the first ':'
   * and the '|' after it, `hash` the name's FNV-1a hash.
   */
  private readFields(buf: Uint8Array, start: number, end: number, line: number, colon: number, hash: number, pipe: number): void {
    let typeEnd = find(buf, PIPE, pipe + 1, end);
    if (typeEnd < 0) typeEnd = end;
    const type = typeOf(buf, pipe + 1, typeEnd);
    if (type === StatsdType.INVALID) {
      this.invalid('statsd-type', line, pipe + 2 - start, { token: this.listening ? this.token(buf, pipe + 1, typeEnd) : '' });
      return;
    }
    // the sections after the type: |@rate, |#tags, |T<seconds>; others are reported and skipped
    const o = this.options;
    const numbers = this.numbers;
    let rate = 1;
    let tagsStart = -1;
    let tagsEnd = -1;
    let timestamp = -1;
    let ignoredAt = -1;
    let ignoredEnd = -1;
    for (let s = typeEnd; s < end; ) {
      const ss = s + 1;
      let se = find(buf, PIPE, ss, end);
      if (se < 0) se = end;
      const c = ss < se ? buf[ss] : 0;
      if (c === AT) {
        rate = plainDecimal(buf, ss + 1, se);
        if (Number.isNaN(rate)) rate = parseNumberTo(buf, ss + 1, se, true, numbers, 0) === NUMBER_OK ? numbers[0]! : Number.NaN;
        if (!(rate > 0 && rate <= 1)) {
          this.invalid('statsd-sample-rate', line, ss + 2 - start, { token: this.listening ? this.token(buf, ss + 1, se) : '' });
          return;
        }
      } else if (c === HASH) {
        tagsStart = ss + 1;
        tagsEnd = se;
      } else if (c === UPPER_T) {
        if (!parseDigitsTo(buf, ss + 1, se, numbers, 0) || !Number.isSafeInteger(numbers[0]! * 1000)) {
          this.invalid('statsd-timestamp', line, ss + 2 - start, { token: this.listening ? this.token(buf, ss + 1, se) : '' });
          return;
        }
        if (o.timestamps === 'keep') timestamp = numbers[0]! * 1000;
      } else if (ignoredAt < 0) {
        ignoredAt = ss;
        ignoredEnd = se;
      }
      s = se;
    }
    // the value, by type
    const vs = colon + 1;
    const ve = pipe;
    let payload: number = PayloadType.GAUGE;
    let value = 0;
    let count = 1;
    let signed = 0;
    if (type !== StatsdType.SET) value = plainDecimal(buf, vs, ve);
    if (type !== StatsdType.SET && Number.isNaN(value)) {
      if (vs < ve && (buf[vs] === PLUS || buf[vs] === MINUS)) signed = buf[vs]!;
      // parseNumberTo reads a leading '-' but not '+'
      const from = signed === PLUS ? vs + 1 : vs;
      if (parseNumberTo(buf, from, ve, true, numbers, 0) !== NUMBER_OK || (signed === PLUS && from < ve && buf[from] === MINUS)) {
        this.invalid('statsd-value', line, vs + 1 - start, { token: this.listening ? this.token(buf, vs, ve) : '', hint: TYPE_NAMES[type] });
        return;
      }
      value = numbers[0]!;
    }
    // the key: the prefix (if any) and the name
    let key: number;
    if (this.prefix.length === 0) {
      key = this.cachedKey(buf, start, colon, hash, line);
    } else {
      const n = this.prefix.length + (colon - start);
      if (this.keyBuf.length < n) this.keyBuf = new Uint8Array(2 * n);
      this.keyBuf.set(this.prefix, 0);
      this.keyBuf.set(buf.subarray(start, colon), this.prefix.length);
      key = this.metricKey(this.keyBuf, 0, n, line, 1);
      this.rawId = this.names.lastRawId;
    }
    if (key < 0) return;
    const scale = o.sampleRates === 'scale';
    switch (type) {
      case StatsdType.COUNTER:
        payload = PayloadType.COUNT;
        if (scale) value /= rate;
        break;
      case StatsdType.GAUGE:
        if (signed !== 0 && o.gaugeDeltas !== 'value') {
          if (o.gaugeDeltas === 'drop') {
            this.problem(
              'statsd-gauge-delta-dropped',
              line,
              vs + 1 - start,
              this.listening ? { name: this.token(buf, start, colon), token: this.token(buf, vs, ve) } : {},
            );
            return;
          }
          const id = this.gaugeSeriesId(buf, start, colon, tagsStart, tagsEnd);
          const values = tagsStart < 0 ? this.gaugeByName : this.gaugeValues;
          value += values[id]!;
          if (Number.isFinite(value)) values[id] = value;
        } else if (signed === 0 && o.gaugeDeltas === 'delta') {
          const id = this.gaugeSeriesId(buf, start, colon, tagsStart, tagsEnd);
          (tagsStart < 0 ? this.gaugeByName : this.gaugeValues)[id] = value;
        }
        break;
      case StatsdType.SET:
        if (o.sets === 'drop') {
          this.problem('statsd-set-dropped', line, 1, this.listening ? { name: this.token(buf, start, colon) } : {});
          return;
        }
        if (!this.newMember(buf, start, colon, tagsStart, tagsEnd, vs, ve)) return;
        payload = PayloadType.COUNT;
        value = 1;
        break;
      default:
        // one observation (or round(1 / rate) of them) as a summary
        payload = PayloadType.SUMMARY;
        if (scale && rate < 1) count = Math.max(1, Math.round(1 / rate));
        break;
    }
    if (!Number.isFinite(value) || !Number.isFinite(value * count)) {
      this.problem(
        'convert-value-infinite',
        line,
        vs + 1 - start,
        this.listening ? { name: this.token(buf, start, colon), token: this.token(buf, vs, ve) } : {},
      );
      return;
    }
    if (ignoredAt >= 0)
      this.problem(
        'statsd-section-ignored',
        line,
        ignoredAt + 1 - start,
        this.listening ? { name: this.token(buf, start, colon), token: this.token(buf, ignoredAt, ignoredEnd) } : {},
      );
    const batch: MetricBatch = this.batch;
    const p = batch.beginPoint(line, key, KeySuffix.NONE, payload, timestamp);
    const v = batch.values;
    const at = p * VALUE_STRIDE;
    if (payload === PayloadType.SUMMARY) {
      // min and max as the endpoint will compute the average (sum / count), so min <= avg <= max holds
      // exactly even where value · count / count is an ulp away from value (huge values)
      const sum = value * count;
      const avg = count === 1 ? value : sum / count;
      v[at] = avg;
      v[at + 1] = avg;
      v[at + 2] = sum;
      v[at + 3] = count;
    } else {
      v[at] = value;
      v[at + 1] = v[at + 2] = v[at + 3] = 0;
    }
    // only tags add dimensions: a point without them needs no dimension count check
    if (tagsStart >= 0) {
      this.tags(buf, tagsStart, tagsEnd, line, start);
      this.endPoint(line);
    }
  }

  /**
   * The metric key id of the name `buf[start, end)` whose FNV-1a hash is `hash`: from the name cache
   * when the same bytes are there, else through the key table (which reports a rename or a drop);
   * a valid name is then cached. Sets `rawId`.
   */
  private cachedKey(buf: Uint8Array, start: number, end: number, hash: number, line: number): number {
    const n = end - start;
    const slot = (hash ^ (hash >>> 16)) & (NAME_CACHE_SLOTS - 1);
    const names = this.names;
    if (this.cacheGeneration !== names.batch.generation) {
      this.cacheGeneration = names.batch.generation;
      this.cacheLength.fill(0);
    }
    if (this.cacheLength[slot] === n && this.cacheHash[slot] === hash && this.sameName(buf, start, n, slot * NAME_CACHE_BYTES)) {
      this.rawId = this.cacheRaw[slot]!;
      return this.cacheKey[slot]!;
    }
    const key = this.metricKeyHashed(buf, start, end, hash, line);
    this.rawId = names.lastRawId;
    if (names.fate === NameFate.VALID && n <= NAME_CACHE_BYTES) {
      const at = slot * NAME_CACHE_BYTES;
      this.cacheBytes.set(buf.subarray(start, end), at);
      this.cacheLength[slot] = n;
      this.cacheHash[slot] = hash;
      this.cacheKey[slot] = key;
      this.cacheRaw[slot] = this.rawId;
    }
    return key;
  }

  /** Whether `buf[start, start + n)` holds the cached bytes at `at`: four bytes a step, then the tail. */
  private sameName(buf: Uint8Array, start: number, n: number, at: number): boolean {
    if (buf !== this.viewOf) {
      this.viewOf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const view = this.view!;
    const cache = this.cacheView;
    let k = 0;
    for (; k + 4 <= n; k += 4) if (view.getInt32(start + k, true) !== cache.getInt32(at + k, true)) return false;
    const bytes = this.cacheBytes;
    for (; k < n; k++) if (buf[start + k] !== bytes[at + k]) return false;
    return true;
  }

  /** The tags `k:v,k2:v2` of `buf[start, end)` as dimensions of the last point. */
  private tags(buf: Uint8Array, start: number, end: number, line: number, lineStart: number): void {
    for (let t = start; t < end; ) {
      let te = find(buf, COMMA, t, end);
      if (te < 0) te = end;
      if (te > t) {
        const sep = find(buf, COLON, t, te);
        if (sep < 0) {
          // a tag without a value (DogStatsD's `#env`): a dimension needs one
          this.problem('convert-dimension-empty', line, t + 1 - lineStart, { label: this.listening ? this.token(buf, t, te) : '' });
        } else {
          this.dimension(buf, t, sep, buf, sep + 1, te, line);
        }
      }
      t = te + 1;
    }
  }

  /** Interns (name, 0, tags) into `table`, after `extra` more bytes; forgets all past `maxSeries`. */
  private seriesBytes(buf: Uint8Array, ns: number, ne: number, ts: number, te: number, extraStart: number, extraEnd: number): number {
    const tags = ts < 0 ? 0 : te - ts;
    const extra = extraEnd - extraStart;
    const n = ne - ns + 1 + tags + (extra > 0 ? 1 + extra : 0);
    if (this.keyBuf.length < n) this.keyBuf = new Uint8Array(2 * n);
    const k = this.keyBuf;
    k.set(buf.subarray(ns, ne), 0);
    let at = ne - ns;
    k[at++] = 0;
    if (tags > 0) {
      k.set(buf.subarray(ts, te), at);
      at += tags;
    }
    if (extra > 0) {
      k[at++] = 1;
      k.set(buf.subarray(extraStart, extraEnd), at);
      at += extra;
    }
    return at;
  }

  /**
   * The id of a gauge series in the bounded state (a new one starts at 0): a series without tags is
   * its name, keyed by the name's raw id (already interned with the key: no second hash; forgotten
   * with the name tables); one with tags is keyed by name and tag text in a table of its own.
   */
  private gaugeSeriesId(buf: Uint8Array, ns: number, ne: number, ts: number, te: number): number {
    if (ts < 0) {
      if (this.gaugeGeneration !== this.batch.generation) {
        this.gaugeGeneration = this.batch.generation;
        this.gaugeByName.fill(0);
      }
      const id = this.rawId;
      if (id >= this.gaugeByName.length) {
        const grown = new Float64Array(Math.max(2 * this.gaugeByName.length, id + 1));
        grown.set(this.gaugeByName);
        this.gaugeByName = grown;
      }
      return id;
    }
    const table = this.gaugeSeries;
    if (table.size >= this.maxSeries) {
      table.clear();
      this.gaugeValues.fill(0);
    }
    const id = table.intern(this.keyBuf, 0, this.seriesBytes(buf, ns, ne, ts, te, 0, 0));
    if (id >= this.gaugeValues.length) {
      const grown = new Float64Array(Math.max(2 * this.gaugeValues.length, id + 1));
      grown.set(this.gaugeValues);
      this.gaugeValues = grown;
    }
    return id;
  }

  /** Whether a set member is new to its series (bounded like the gauge state). */
  private newMember(buf: Uint8Array, ns: number, ne: number, ts: number, te: number, ms: number, me: number): boolean {
    const table = this.setMembers;
    if (table.size >= this.maxSeries) table.clear();
    const before = table.size;
    const n = this.seriesBytes(buf, ns, ne, ts, te, ms, me);
    table.intern(this.keyBuf, 0, n);
    return table.size > before;
  }
}

/**
 * A {@link StatsdConverter} writing to `sink` (the `open` of the `statsd` row of `SOURCE_FORMATS`).
 * @example statsdConverter({ points: (batch) => console.log(batch.length) }).datagram(bytes)
 */
export function statsdConverter(sink: ConvertSink, options?: StatsdOptions): StatsdConverter {
  return new StatsdConverter(sink, options);
}
