/**
 * The cardinality analyzer: what a stream of points will cost against Dynatrace's budgets (distinct
 * metric keys, dimension keys per metric, distinct dimension tuples per metric and in total, projected
 * over the 30-day window), which dimensions make it grow (volatile-value lint), and the top offenders
 * with examples, in memory bounded by {@link AnalyzeOptions} whatever the input.
 *
 * Points come from any source as bytes: {@link CardinalityAnalyzer.addBatch} reads a columnar
 * {@link MetricBatch} (a converter's sink, the OTLP typed decoder, the line protocol's decoder), and
 * `LineProtocolAnalyzer` (lines.ts) feeds the line protocol read in place by the fused pass. Both hash
 * the same bytes the same way; no string is made per point (strings are made only for what the report
 * keeps: tracked metric keys, dimension keys, a few examples).
 *
 * @module
 */
import type { MetricBatch } from '../metrics/batch.js';
import type { KeyTable } from '../metrics/keys.js';
import { type AnalyzeOptions, type ResolvedAnalyzeOptions, resolveAnalyzeOptions } from '../protocol/analyze-options.js';
import { WORDS } from '../protocol/words.js';
import { VOLATILE_CLASSES, VolatileClass, classifyValue } from './classify.js';
import { DistinctCounter } from './distinct.js';
import { Growth } from './growth.js';
import { combine, fmix32, hashBytes, hashValue, pairLane0, pairLane1 } from './hash.js';
import { buildReport, type AnalyzeReport } from './report.js';

const utf8 = /* @__PURE__ */ new TextDecoder('utf-8', { ignoreBOM: true });
/** Longest example value or tuple kept, in bytes (the rest is cut with an ellipsis). */
export const EXAMPLE_BYTES = 300;

/** Where a kept example came from: the source's name (a file, `<stdin>`, a route) and its line. */
export interface ExampleRef {
  source: string;
  line: number;
}

/** @internal What the analyzer follows of one dimension key of one metric key. */
export class DimensionState {
  /** The metric it belongs to. */
  metric: MetricState | undefined;
  /** Distinct tuples (series) of the metric carrying the dimension, as first seen. */
  series = 0;
  /** Series per volatile class of their value. */
  readonly classes = new Int32Array(VOLATILE_CLASSES);
  /** The first value of each volatile class, and where. */
  readonly examples: (string | undefined)[] = [];
  readonly exampleRefs: (ExampleRef | undefined)[] = [];
  /** The value last seen (line path), its hashes and class: a repeated value is not hashed again. */
  lastValue = new Uint8Array(16);
  lastLength = -1;
  lastV0 = 0;
  lastV1 = 0;
  lastClass = 0;
  constructor(
    readonly h0: number,
    readonly h1: number,
    readonly key: string,
    readonly values: DistinctCounter,
    /** The key's bytes, to recognise it by comparison instead of hashing. */
    readonly keyBytes: Uint8Array,
  ) {}

  /** Keeps `buf[s, e)` as the last value with its hashes and class (longest kept: {@link EXAMPLE_BYTES}). */
  remember(buf: Uint8Array, s: number, e: number, v0: number, v1: number, cls: number): void {
    const n = e - s;
    if (n > EXAMPLE_BYTES) {
      this.lastLength = -1;
      return;
    }
    if (n > this.lastValue.length) this.lastValue = new Uint8Array(Math.max(n, 2 * this.lastValue.length));
    const last = this.lastValue;
    for (let i = 0; i < n; i++) last[i] = buf[s + i]!;
    this.lastLength = n;
    this.lastV0 = v0;
    this.lastV1 = v1;
    this.lastClass = cls;
  }
}

/** @internal What the analyzer follows of one metric key. */
export class MetricState {
  points = 0;
  /** 1-based position in the analyzer's list. */
  index = 0;
  /** Most dimensions on one point, and where. */
  maxDimensions = 0;
  maxDimensionsRef: ExampleRef | undefined;
  readonly dims: DimensionState[] = [];
  /** Dimension keys seen past the tracking budget. */
  untrackedDims = 0;
  readonly examples: string[] = [];
  readonly exampleRefs: ExampleRef[] = [];
  readonly growth = new Growth();
  /** The dimension last seen at each position of a point (lines of one key list their dimensions alike). */
  readonly dimAtPos: (DimensionState | undefined)[] = [];
  constructor(
    readonly h0: number,
    readonly h1: number,
    readonly key: string,
    readonly tuples: DistinctCounter,
    /** The key's bytes (as sent) and `KeySuffix`, to recognise it by comparison instead of hashing. */
    readonly keyBytes: Uint8Array,
    readonly suffix: number,
  ) {}
}

/** `a[0, n)` holds the bytes `buf[s, s + n)` (the caller checked the length). */
function sameRange(a: Uint8Array, buf: Uint8Array, s: number, e: number): boolean {
  for (let i = 0; i < e - s; i++) if (a[i] !== buf[s + i]) return false;
  return true;
}

/** Slots of the line path's direct-mapped cache of metric keys. */
const METRIC_CACHE = 64;
/** Entries the series memo starts with (it doubles up to `seriesCache`). */
const INITIAL_SERIES_SLOTS = 256;
/** Dimension positions remembered per metric key. */
const MAX_DIM_POSITIONS = 64;

/** `a` holds the bytes `buf[s, e)`. */
function sameBytes(a: Uint8Array, buf: Uint8Array, s: number, e: number): boolean {
  if (a.length !== e - s) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== buf[s + i]) return false;
  return true;
}

/** Stored key suffix words by `KeySuffix`. */
const SUFFIX_TEXT = ['', WORDS.STORED_COUNT_SUFFIX, WORDS.STORED_GAUGE_SUFFIX];

/**
 * Counts keys, dimensions and tuples of points, within bounded memory, and reports them against the
 * budgets.
 *
 * @example
 * const analyzer = new CardinalityAnalyzer({ maxTuplesPerMetric: 10_000 });
 * analyzer.addBatch(parseMetricsBatch('cpu.temp,host=a 1\ncpu.temp,host=b 2\n'));
 * analyzer.report().tuples.count; // 2
 */
export class CardinalityAnalyzer {
  /** The options in force. */
  readonly options: ResolvedAnalyzeOptions;
  /** Distinct metric keys (as stored: with the suffix the endpoint appends). */
  readonly keys: DistinctCounter;
  /** Distinct (metric key, tuple) pairs: the environment's tuples. */
  readonly tuples: DistinctCounter;
  /** @internal */ readonly tupleGrowth = new Growth();
  /** @internal */ readonly metrics: MetricState[] = [];
  /** Points read (valid, analyzed). */
  points = 0;
  /** Lines (or records) read, where the source counts them. */
  lines = 0;
  /** Lines or records the source could not read (not analyzed). */
  invalid = 0;
  /** Points of metric keys past the tracking budget (counted in the run-wide counters only). */
  untrackedPoints = 0;
  /** Points without any time when the axis is time (placed at the last time seen). */
  untimedPoints = 0;
  /** The axis of the sample: decided by its first point (`time` when it has a timestamp or an arrival time). */
  axis: 'none' | 'time' | 'order' = 'none';
  /** @internal Position of the current point on the axis. */ x = 0;
  /** Time of arrival for points without a timestamp (epoch ms), or NaN: set by `serve` and record files. */
  clock = Number.NaN;
  /** The name of what is being read (a file, a route), for examples and findings. */
  source = '';
  private trackedDims = 0;
  /** The point's dimension keys are known to be distinct (the batch path). */
  private unique = false;
  /** Every tracked dimension, and an open-addressing table over (metric, dimension key) into it. */
  private readonly dimList: DimensionState[] = [];
  private dimSlots = new Int32Array(64);
  private metricSlots: Int32Array;
  private metricMask: number;
  private readonly h = new Int32Array(2);
  private readonly v = new Int32Array(2);
  // the point being read
  private metric: MetricState | undefined;
  private m0 = 0;
  private m1 = 0;
  private sum0 = 0;
  private sum1 = 0;
  private dimCount = 0;
  /** One bit per dimension key of the point (its hash's low 5 bits): the duplicate search runs only on a hit. */
  private keyBits = 0;
  private line = 0;
  private dimK0 = new Int32Array(64);
  private dimK1 = new Int32Array(64);
  /** Where each dimension of the point lies, for an example: buffer, key start/end, value start/end. */
  private dimBufs: Uint8Array[] = [];
  /** The tracked dimension of each of the point's dimensions (or undefined) and its value's class. */
  private pointDims: (DimensionState | undefined)[] = [];
  private pointClasses = new Uint8Array(64);
  private dimAt = new Int32Array(64 * 4);
  private keyBuf: Uint8Array | undefined;
  private keyStart = 0;
  private keyEnd = 0;
  private suffix = 0;
  // id caches of the batch path, valid for one string table generation
  private cacheTable: KeyTable | undefined;
  private cacheGeneration = -1;
  private cacheIds = new Int32Array(0);
  private cacheH0 = new Int32Array(0);
  private cacheH1 = new Int32Array(0);
  private cacheClass = new Uint8Array(0);
  /**
   * Series seen (line path): buckets of two entries (eight ints, so a probe touches one cache line),
   * each entry lane 0, lane 1 (low bit set, 0 for an empty entry), metric position + 1 (0:
   * untracked) and a spare int. The bucket is read from both lanes: `seriesHash` sees a word in one lane
   * only, so series that differ in lane 1's words alone share lane 0. Two ways, the newer first: series that share a bucket both stay, where
   * a direct-mapped table made them evict each other on every scrape (bench/analyze.mjs 'scrapes').
   */
  private series: Int32Array;
  /** Buckets - 1. */
  private seriesMask: number;
  /** Entries the series memo may grow to (`seriesCache` rounded up to a power of two; 0: no memo). */
  private readonly seriesSlots: number;
  /** Entries in use: the memo doubles when they fill half of it. */
  private seriesFilled = 0;
  private readonly metricCache: (MetricState | undefined)[] = new Array(METRIC_CACHE).fill(undefined);
  /** Dimensions offered for the point being read (its next dimension's position). */
  private offered = 0;

  /** @param options budgets and bounds (docs/options.md, "Analyze options") */
  constructor(options?: AnalyzeOptions) {
    const o = (this.options = resolveAnalyzeOptions(options));
    this.keys = new DistinctCounter(o.exactDistinct, o.sketchPrecision);
    this.tuples = new DistinctCounter(o.exactDistinct, o.sketchPrecision);
    this.metricSlots = new Int32Array(16);
    this.metricMask = 15;
    let series = 1;
    while (series < o.seriesCache) series *= 2;
    this.seriesSlots = o.seriesCache > 0 ? Math.max(2, series) : 0;
    // the memo starts small and grows with the series seen: a full-size table costs each analyzer a
    // large zeroed allocation, which a small input never repays
    const first = Math.min(this.seriesSlots, INITIAL_SERIES_SLOTS);
    this.series = new Int32Array(first * 4);
    this.seriesMask = (first >> 1) - 1;
  }

  /**
   * Adds the points of a batch (a converter's sink, the OTLP typed decoder's batch, the line
   * decoder's). Invalid lines of the batch are counted.
   */
  addBatch(batch: MetricBatch): void {
    this.invalid += batch.invalid;
    this.unique = true;
    const strings = batch.strings;
    this.prepareCache(strings, batch.generation);
    const arena = strings.arenaBytes;
    for (let p = 0; p < batch.length; p++) {
      const key = batch.keys[p]!;
      this.cached(strings, key);
      const ks = strings.offsetOf(key);
      this.beginHashed(
        batch.lines[p]!,
        this.cacheH0[key]!,
        this.cacheH1[key]!,
        arena,
        ks,
        ks + strings.lengthOf(key),
        batch.keySuffixes[p]!,
        batch.timestamps[p]!,
      );
      for (let k = batch.dimOffsets[p]!; k < batch.dimOffsets[p + 1]!; k++) {
        const dk = batch.dimKeys[k]!;
        const dv = batch.dimValues[k]!;
        this.cached(strings, dk);
        this.cached(strings, dv);
        const kOff = strings.offsetOf(dk);
        const vOff = strings.offsetOf(dv);
        this.dimensionHashed(
          this.cacheH0[dk]!,
          this.cacheH1[dk]!,
          this.cacheH0[dv]!,
          this.cacheH1[dv]!,
          this.cacheClass[dv]!,
          arena,
          kOff,
          kOff + strings.lengthOf(dk),
          vOff,
          vOff + strings.lengthOf(dv),
          undefined,
          true,
        );
      }
      this.endPoint();
    }
    this.unique = false;
  }

  /** @internal The line path: a point's key `buf[keyStart, keyEnd)`, its `KeySuffix` and timestamp (-1 for none). */
  beginPoint(line: number, buf: Uint8Array, keyStart: number, keyEnd: number, suffix: number, timestamp: number): void {
    const n = keyEnd - keyStart;
    const slot = (Math.imul(n, 31) + buf[keyStart]! + (buf[keyEnd - 1]! << 3) + (buf[keyStart + (n >> 1)]! << 6) + suffix) & (METRIC_CACHE - 1);
    const c = this.metricCache[slot];
    if (c !== undefined && c.suffix === suffix && sameBytes(c.keyBytes, buf, keyStart, keyEnd)) {
      // a tracked key seen before: its hashes are known and it is counted already
      this.advance(timestamp);
      this.m0 = c.h0;
      this.m1 = c.h1;
      this.startPoint(c, line, buf, keyStart, keyEnd, suffix);
      return;
    }
    hashBytes(buf, keyStart, keyEnd, this.h);
    this.beginHashed(line, this.h[0]!, this.h[1]!, buf, keyStart, keyEnd, suffix, timestamp);
    if (this.metric !== undefined) this.metricCache[slot] = this.metric;
  }

  /**
   * @internal The line path: a dimension of the point. `vbuf[vs, ve)` is the value as the endpoint
   * stores it (escapes resolved); `rawBuf[rs, re)` its bytes as sent, for examples.
   */
  dimension(kbuf: Uint8Array, ks: number, ke: number, vbuf: Uint8Array, vs: number, ve: number, rawBuf: Uint8Array, rs: number, re: number): void {
    const h = this.h;
    const v = this.v;
    const m = this.metric;
    const pos = this.offered++;
    const known = m !== undefined && pos < MAX_DIM_POSITIONS ? m.dimAtPos[pos] : undefined;
    if (known !== undefined && sameBytes(known.keyBytes, kbuf, ks, ke)) {
      // the dimension's last value again (stable dimensions repeat theirs): its hashes and class are known
      if (known.lastLength === ve - vs && sameRange(known.lastValue, vbuf, vs, ve)) {
        // its counter holds the value already (it was remembered only once added)
        this.dimensionHashed(known.h0, known.h1, known.lastV0, known.lastV1, known.lastClass, rawBuf, ks, ke, rs, re, known, false);
        return;
      }
      const mask = hashValue(vbuf, vs, ve, v);
      const cls = classifyValue(vbuf, vs, ve, mask);
      if (this.dimensionHashed(known.h0, known.h1, v[0]!, v[1]!, cls, rawBuf, ks, ke, rs, re, known, true) !== undefined)
        known.remember(vbuf, vs, ve, v[0]!, v[1]!, cls);
      return;
    }
    const mask = hashValue(vbuf, vs, ve, v);
    const cls = classifyValue(vbuf, vs, ve, mask);
    hashBytes(kbuf, ks, ke, h);
    const dim = this.dimensionHashed(h[0]!, h[1]!, v[0]!, v[1]!, cls, rawBuf, ks, ke, rs, re, undefined, true);
    if (m !== undefined && dim !== undefined && pos < MAX_DIM_POSITIONS) m.dimAtPos[pos] = dim;
  }

  /**
   * @internal The line path's shortcut: a point whose series (key, suffix and dimensions as bytes)
   * hashes to `s0, s1`. When the same bytes were seen before, the point adds no key, tuple or value:
   * it is counted and placed on the axis, and `true` returned; else the caller reads it in full and
   * calls {@link rememberSeries} after {@link endPoint}.
   */
  repeatedSeries(s0: number, s1: number, timestamp: number): boolean {
    const series = this.series;
    if (series.length === 0) return false;
    const b = s1 | 1;
    let at = ((s0 ^ b) & this.seriesMask) << 3;
    if (series[at + 1] !== b || series[at] !== s0) {
      at += 4;
      if (series[at + 1] !== b || series[at] !== s0) return false;
    }
    this.advance(timestamp);
    const mi = series[at + 2]!;
    if (mi > 0) {
      const m = this.metrics[mi - 1]!;
      m.points++;
      m.growth.observe(this.x, m.tuples);
    } else this.untrackedPoints++;
    this.tupleGrowth.observe(this.x, this.tuples);
    this.points++;
    return true;
  }

  /** @internal Remembers the series of the point just ended (see {@link repeatedSeries}). */
  rememberSeries(s0: number, s1: number): void {
    if (this.series.length === 0) return;
    // grown (up to its size) when half full or when the series would push another out of its bucket:
    // series that share a bucket and come in a cycle (one scrape after another) would push each other
    // out every time
    const full = this.series[(((s0 ^ (s1 | 1)) & this.seriesMask) << 3) + 5] !== 0;
    if ((full || this.seriesFilled * 2 >= this.series.length >> 2) && this.series.length >> 2 < this.seriesSlots) this.growSeries();
    this.putSeries(this.series, this.seriesMask, s0, s1 | 1, this.metric?.index ?? 0);
  }

  /** Puts an entry first in its bucket; the entry that was first moves second (the second's is dropped). */
  private putSeries(series: Int32Array, mask: number, s0: number, b: number, mi: number): void {
    const at = ((s0 ^ b) & mask) << 3;
    if (series[at + 1] !== 0) {
      if (series[at + 5] === 0) this.seriesFilled++;
      series[at + 4] = series[at]!;
      series[at + 5] = series[at + 1]!;
      series[at + 6] = series[at + 2]!;
    } else this.seriesFilled++;
    series[at] = s0;
    series[at + 1] = b;
    series[at + 2] = mi;
  }

  /** Doubles the series memo, keeping what it holds (older entries first, so each bucket keeps its order). */
  private growSeries(): void {
    const old = this.series;
    const series = new Int32Array(old.length * 2);
    const mask = (series.length >> 3) - 1;
    this.seriesFilled = 0;
    for (const way of [4, 0]) {
      for (let at = way; at < old.length; at += 8) if (old[at + 1] !== 0) this.putSeries(series, mask, old[at]!, old[at + 1]!, old[at + 2]!);
    }
    this.series = series;
    this.seriesMask = mask;
  }

  /** @internal Ends the point begun last. */
  endPoint(): void {
    const d = this.dimCount;
    const t0 = fmix32(this.sum0 + Math.imul(d, 0x9e3779b1));
    const t1 = fmix32(this.sum1 ^ Math.imul(d + 1, 0x85ebca6b));
    const m = this.metric;
    if (m !== undefined) {
      m.points++;
      if (d > m.maxDimensions) {
        m.maxDimensions = d;
        m.maxDimensionsRef = { source: this.source, line: this.line };
      }
      m.growth.observe(this.x, m.tuples);
      const exact = m.tuples.exact;
      const fresh = m.tuples.add(t0, t1);
      if (fresh) {
        if (exact && m.examples.length < this.options.examplesPerMetric) {
          m.examples.push(this.exampleText());
          m.exampleRefs.push({ source: this.source, line: this.line });
        }
        this.countSeries(d);
      }
      this.tupleGrowth.observe(this.x, this.tuples);
      // a tuple the metric's exact set already held is in the run-wide counter too
      if (fresh || !exact) this.tuples.add(t0 ^ this.m0, t1 ^ this.m1);
    } else {
      this.untrackedPoints++;
      this.tupleGrowth.observe(this.x, this.tuples);
      this.tuples.add(t0 ^ this.m0, t1 ^ this.m1);
    }
    this.points++;
  }

  /** A new series of the current metric: each of its dimensions counts it, by the class of its value. */
  private countSeries(d: number): void {
    for (let i = 0; i < d; i++) {
      const dim = this.pointDims[i];
      if (dim === undefined) continue;
      dim.series++;
      const cls = this.pointClasses[i]!;
      if (cls === VolatileClass.NONE) continue;
      dim.classes[cls]!++;
      if (dim.examples[cls] === undefined) {
        const at = i * 4;
        dim.examples[cls] = text(this.dimBufs[i]!, this.dimAt[at + 2]!, this.dimAt[at + 3]!);
        dim.exampleRefs[cls] = { source: this.source, line: this.line };
      }
    }
  }

  /**
   * The report: counts with their error, the budgets against the limits (projected over the window
   * where the sample can tell), the findings and the top offenders.
   */
  report(): AnalyzeReport {
    return buildReport(this);
  }

  /** @internal Milliseconds per unit of the axis (0 when unknown: line order without `sampleDurationMs`). */
  msPerUnit(): number {
    if (this.axis === 'time') return 1;
    if (this.axis === 'order' && this.options.sampleDurationMs > 0 && this.points > 0) return this.options.sampleDurationMs / this.points;
    return 0;
  }

  private beginHashed(line: number, k0: number, k1: number, buf: Uint8Array, keyStart: number, keyEnd: number, suffix: number, timestamp: number): void {
    this.advance(timestamp);
    const m0 = (this.m0 = combine(k0, suffix));
    const m1 = (this.m1 = combine(k1, suffix + 0x51));
    this.keys.add(m0, m1);
    this.startPoint(this.findMetric(m0, m1, buf, keyStart, keyEnd, suffix), line, buf, keyStart, keyEnd, suffix);
  }

  private startPoint(metric: MetricState | undefined, line: number, buf: Uint8Array, keyStart: number, keyEnd: number, suffix: number): void {
    this.metric = metric;
    this.offered = 0;
    this.sum0 = 0;
    this.sum1 = 0;
    this.dimCount = 0;
    this.keyBits = 0;
    this.line = line;
    this.keyBuf = buf;
    this.keyStart = keyStart;
    this.keyEnd = keyEnd;
    this.suffix = suffix;
  }

  /** The position of the next point on the axis (decided by the first point). */
  private advance(timestamp: number): void {
    let axis = this.axis;
    const time = timestamp >= 0 ? timestamp : this.clock;
    if (axis === 'none') axis = this.axis = Number.isNaN(time) ? 'order' : 'time';
    if (axis === 'order') this.x = this.points;
    else if (Number.isNaN(time)) this.untimedPoints++;
    // each point at its own time (files of one sample may overlap in time; each series' growth reads
    // its own points, which come in order)
    else this.x = time;
  }

  private dimensionHashed(
    k0: number,
    k1: number,
    v0: number,
    v1: number,
    cls: number,
    buf: Uint8Array,
    ks: number,
    ke: number,
    vs: number,
    ve: number,
    known: DimensionState | undefined,
    addValue: boolean,
  ): DimensionState | undefined {
    const n = this.dimCount;
    // a later duplicate of a key is dropped (first wins), as the endpoint and the batch do
    // (a batch holds no duplicate keys: its points are not searched, so a point of many dimensions stays linear;
    // a line's are searched only when a key of the point shares the low bits of its hash, a bit of `keyBits`)
    const bit = 1 << (k0 & 31);
    if (!this.unique && (this.keyBits & bit) !== 0) for (let i = 0; i < n; i++) if (this.dimK0[i] === k0 && this.dimK1[i] === k1) return undefined;
    this.keyBits |= bit;
    if (n >= this.dimK0.length) this.growPointDims();
    this.dimK0[n] = k0;
    this.dimK1[n] = k1;
    this.dimBufs[n] = buf;
    const at = n * 4;
    this.dimAt[at] = ks;
    this.dimAt[at + 1] = ke;
    this.dimAt[at + 2] = vs;
    this.dimAt[at + 3] = ve;
    this.dimCount = n + 1;
    this.sum0 = (this.sum0 + pairLane0(k0, v0)) | 0;
    this.sum1 = (this.sum1 + pairLane1(k1, v1)) | 0;
    const m = this.metric;
    if (m === undefined) return undefined;
    const dims = m.dims;
    let dim = known ?? this.findDimension(m, k0, k1);
    if (dim === undefined) {
      if (this.trackedDims >= this.options.maxTrackedDimensions) {
        m.untrackedDims++;
        this.pointDims[n] = undefined;
        return undefined;
      }
      this.trackedDims++;
      const o = this.options;
      dim = new DimensionState(k0, k1, text(buf, ks, ke), new DistinctCounter(o.dimensionExactDistinct, o.dimensionSketchPrecision), buf.slice(ks, ke));
      dims.push(dim);
      this.addDimensionSlot(m, dim);
    }
    if (addValue) dim.values.add(v0, v1);
    this.pointDims[n] = dim;
    this.pointClasses[n] = cls;
    return dim;
  }

  /** The tracked dimension `k0, k1` of metric `m`, through the run-wide table (constant time, not a walk of the metric's dimensions). */
  private findDimension(m: MetricState, k0: number, k1: number): DimensionState | undefined {
    const slots = this.dimSlots;
    const mask = slots.length - 1;
    let s = combine(m.h0, k0) & mask;
    for (;;) {
      const e = slots[s]!;
      if (e === 0) return undefined;
      const d = this.dimList[e - 1]!;
      if (d.h0 === k0 && d.h1 === k1 && d.metric === m) return d;
      s = (s + 1) & mask;
    }
  }

  private addDimensionSlot(m: MetricState, dim: DimensionState): void {
    this.dimList.push(dim);
    dim.metric = m;
    if (this.dimList.length * 2 > this.dimSlots.length) {
      const n = this.dimSlots.length * 2;
      const slots = new Int32Array(n);
      for (let i = 0; i < this.dimList.length; i++) {
        const d = this.dimList[i]!;
        let s = combine(d.metric!.h0, d.h0) & (n - 1);
        while (slots[s] !== 0) s = (s + 1) & (n - 1);
        slots[s] = i + 1;
      }
      this.dimSlots = slots;
      return;
    }
    const mask = this.dimSlots.length - 1;
    let s = combine(m.h0, dim.h0) & mask;
    while (this.dimSlots[s] !== 0) s = (s + 1) & mask;
    this.dimSlots[s] = this.dimList.length;
  }

  private findMetric(m0: number, m1: number, buf: Uint8Array, keyStart: number, keyEnd: number, suffix: number): MetricState | undefined {
    const slots = this.metricSlots;
    const mask = this.metricMask;
    let s = m0 & mask;
    for (;;) {
      const e = slots[s]!;
      if (e === 0) break;
      const m = this.metrics[e - 1]!;
      if (m.h0 === m0 && m.h1 === m1) return m;
      s = (s + 1) & mask;
    }
    const o = this.options;
    if (this.metrics.length >= o.maxTrackedMetrics) return undefined;
    const m = new MetricState(
      m0,
      m1,
      text(buf, keyStart, keyEnd) + (SUFFIX_TEXT[suffix] ?? ''),
      new DistinctCounter(o.metricExactDistinct, o.metricSketchPrecision),
      buf.slice(keyStart, keyEnd),
      suffix,
    );
    this.metrics.push(m);
    m.index = this.metrics.length;
    slots[s] = this.metrics.length;
    if (this.metrics.length * 2 > mask + 1) this.rehashMetrics();
    return m;
  }

  private rehashMetrics(): void {
    const n = this.metricSlots.length * 2;
    const slots = new Int32Array(n);
    const mask = n - 1;
    for (let i = 0; i < this.metrics.length; i++) {
      let s = this.metrics[i]!.h0 & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = i + 1;
    }
    this.metricSlots = slots;
    this.metricMask = mask;
  }

  private growPointDims(): void {
    const n = this.dimK0.length * 2;
    const k0 = new Int32Array(n);
    k0.set(this.dimK0);
    const k1 = new Int32Array(n);
    k1.set(this.dimK1);
    const at = new Int32Array(n * 4);
    at.set(this.dimAt);
    const classes = new Uint8Array(n);
    classes.set(this.pointClasses);
    this.dimK0 = k0;
    this.dimK1 = k1;
    this.dimAt = at;
    this.pointClasses = classes;
  }

  /** The point being read as `key,dim=value,...` (the stored key; values as sent). */
  private exampleText(): string {
    let out = text(this.keyBuf!, this.keyStart, this.keyEnd) + (SUFFIX_TEXT[this.suffix] ?? '');
    for (let i = 0; i < this.dimCount && out.length < EXAMPLE_BYTES; i++) {
      const buf = this.dimBufs[i]!;
      const at = i * 4;
      out += `,${text(buf, this.dimAt[at]!, this.dimAt[at + 1]!)}=${text(buf, this.dimAt[at + 2]!, this.dimAt[at + 3]!)}`;
    }
    return out.length > EXAMPLE_BYTES ? `${out.slice(0, EXAMPLE_BYTES)}…` : out;
  }

  private prepareCache(strings: KeyTable, generation: number): void {
    if (this.cacheTable === strings && this.cacheGeneration === generation) return;
    this.cacheTable = strings;
    this.cacheGeneration = generation;
    this.cacheIds.fill(0);
  }

  /** Hashes and classifies string `id` of the batch's table once per table generation. */
  private cached(strings: KeyTable, id: number): void {
    if (id >= this.cacheIds.length) this.growCache(id + 1);
    if (this.cacheIds[id] === 1) return;
    const buf = strings.arenaBytes;
    const s = strings.offsetOf(id);
    const e = s + strings.lengthOf(id);
    const mask = hashValue(buf, s, e, this.h);
    this.cacheH0[id] = this.h[0]!;
    this.cacheH1[id] = this.h[1]!;
    this.cacheClass[id] = classifyValue(buf, s, e, mask);
    this.cacheIds[id] = 1;
  }

  private growCache(need: number): void {
    let n = Math.max(64, this.cacheIds.length * 2);
    while (n < need) n *= 2;
    const grow = <T extends Int32Array | Uint8Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.cacheIds = grow(this.cacheIds, new Int32Array(n));
    this.cacheH0 = grow(this.cacheH0, new Int32Array(n));
    this.cacheH1 = grow(this.cacheH1, new Int32Array(n));
    this.cacheClass = grow(this.cacheClass, new Uint8Array(n));
  }
}

/** Bytes as text, cut to {@link EXAMPLE_BYTES}. */
function text(buf: Uint8Array, start: number, end: number): string {
  if (end - start > EXAMPLE_BYTES) return `${utf8.decode(buf.subarray(start, start + EXAMPLE_BYTES))}…`;
  return utf8.decode(buf.subarray(start, end));
}
