/**
 * Prometheus text exposition format 0.0.4 and OpenMetrics 1.0 text to the metrics line protocol: a
 * streaming parser over bytes that fills a reused {@link MetricBatch} (no object per point) and
 * hands it to its sink. The mapping (docs/spec/prometheus.md, options in `protocol/convert-options.ts`,
 * rules in `protocol/convert-rules.ts`):
 *
 * - gauges, untyped/unknown, info and stateset samples → `gauge,<value>`;
 * - counters (`_total` in OpenMetrics) → `count,delta=<change>` through a bounded `SeriesState`
 *   (option `counters`): the first value of a series only sets the baseline, a value below the
 *   previous one a new baseline (a reset), as Dynatrace documents for scraped counters;
 * - histograms (`_bucket` with `le`, `_sum`, `_count`) and summaries (quantiles with `quantile`,
 *   `_sum`, `_count`): options `histograms`, `summaries`, `bucketLabels`; OpenMetrics gauge
 *   histograms are gauges;
 * - `_created` samples, exemplars, `# HELP` and `# UNIT` are read and not written;
 * - NaN and ±Inf cannot be written: dropped with a problem;
 * - names and labels go through the line protocol's normalizers (each distinct name, label key and
 *   value once: the results are cached by interned id), so every line passes `validateMetrics`.
 *
 * Hot path: one pass of char-code comparisons over each line (classes from `protocol/prom-chars.ts`),
 * names and labels interned by their bytes, numbers parsed into a Float64Array slot; a string is
 * built only the first time a name, label or counter series is seen.
 *
 * @module
 */
import type { MetricBatch as MetricBatchType } from '../metrics/batch.js';
import { MetricBatch, VALUE_STRIDE } from '../metrics/batch.js';
import { KeyTable } from '../metrics/keys.js';
import { NUMBER_OK, POW10, parseNumberTo } from '../metrics/numbers.js';
import { KeySuffix, PayloadType } from '../metrics/view.js';
import { escapedDimensionValueLength } from '../produce/escape.js';
import { type NormalizeOptions, normalizeDimensionKey, normalizeDimensionValue, normalizeMetricKey } from '../produce/normalize.js';
import { SeriesState } from '../produce/series-state.js';
import { PROMETHEUS_DEFAULTS, type PrometheusOptions, type ResolvedPrometheusOptions, resolveConvertOptions } from '../protocol/convert-options.js';
import { type ConvertRuleId, convertRule } from '../protocol/convert-rules.js';
import { METRICS_DEFAULTS } from '../protocol/options.js';
import { formatTemplate, type TemplateValues } from '../protocol/rules.js';
// the bytes the grammar names are protocol/chars.ts' (one table per concept)
import { Byte } from '../protocol/chars.js';
import { WORDS } from '../protocol/words.js';
import { P_BLANK, P_LABEL, P_LABEL_START, P_NAME, P_NAME_START, PROM_CHAR } from '../protocol/prom-chars.js';
import { LineSplitter } from '../scan/lines.js';
import { KIND_NONE, KIND_SAMPLE, KIND_SKIP, KIND_TYPE, KnownSeries, NO_LINK, START } from './prom-known.js';
import type { ConvertCounts, ConvertProblem, ConvertSink, SourceConverter } from './source.js';
import { LineWriter } from './write-lines.js';

/** A family's declared type (`# TYPE`). */
const enum Family {
  UNTYPED = 0,
  COUNTER = 1,
  GAUGE = 2,
  HISTOGRAM = 3,
  GAUGE_HISTOGRAM = 4,
  SUMMARY = 5,
  INFO = 6,
  STATESET = 7,
}

/** What a sample's name adds to its family's name. */
const enum Suffix {
  NONE = 0,
  TOTAL = 1,
  CREATED = 2,
  BUCKET = 3,
  SUM = 4,
  COUNT = 5,
  GSUM = 6,
  GCOUNT = 7,
  INFO = 8,
  /** The sample is not of the current family. */
  OTHER = 9,
}

/** What a sample becomes. */
const enum Role {
  GAUGE = 0,
  COUNTER = 1,
  CREATED = 2,
  DROP_HISTOGRAM = 3,
  DROP_SUMMARY = 4,
}

/** Value parse outcomes. */
const enum Value {
  OK = 0,
  INVALID = 1,
  NAN = 2,
  INFINITE = 3,
}

const ascii = (s: string): Uint8Array => {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
};

/** Type words, by `Family`, and whether OpenMetrics has the word (`untyped` is 0.0.4's, `unknown` OpenMetrics'). */
const TYPE_WORDS: readonly (readonly [Uint8Array, Family, boolean])[] = /* @__PURE__ */ (() =>
  (
    [
      ['counter', Family.COUNTER, true],
      ['gauge', Family.GAUGE, true],
      ['histogram', Family.HISTOGRAM, true],
      ['gaugehistogram', Family.GAUGE_HISTOGRAM, true],
      ['summary', Family.SUMMARY, true],
      ['untyped', Family.UNTYPED, false],
      ['unknown', Family.UNTYPED, true],
      ['info', Family.INFO, true],
      ['stateset', Family.STATESET, true],
    ] as const
  ).map(([w, f, om]) => [ascii(w), f, om] as const))();

/** Name suffixes, by {@link Suffix}. */
const SUFFIX_WORDS: readonly (readonly [Uint8Array, Suffix])[] = /* @__PURE__ */ (() =>
  (
    [
      ['_total', Suffix.TOTAL],
      ['_created', Suffix.CREATED],
      ['_bucket', Suffix.BUCKET],
      ['_sum', Suffix.SUM],
      ['_count', Suffix.COUNT],
      ['_gsum', Suffix.GSUM],
      ['_gcount', Suffix.GCOUNT],
      ['_info', Suffix.INFO],
    ] as const
  ).map(([w, s]) => [ascii(w), s] as const))();

const W_TYPE = /* @__PURE__ */ ascii('TYPE');
const W_EOF = /* @__PURE__ */ ascii('EOF');
const W_HELP = /* @__PURE__ */ ascii('HELP');
const W_HASH_HELP = /* @__PURE__ */ ascii('# HELP ');
const W_UNIT = /* @__PURE__ */ ascii('UNIT');
const W_LE = /* @__PURE__ */ ascii('le');
const W_QUANTILE = /* @__PURE__ */ ascii('quantile');
const W_NAN = /* @__PURE__ */ ascii('nan');
const W_INF = /* @__PURE__ */ ascii('inf');
const W_INFINITY = /* @__PURE__ */ ascii('infinity');

/** Whether `buf[s, e)` is `word` (ASCII, exact). */
function isWord(buf: Uint8Array, s: number, e: number, word: Uint8Array): boolean {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[s + i] !== word[i]) return false;
  return true;
}

/** Whether `buf[s, e)` is `word` ignoring ASCII case (`word` in lowercase). */
function isWordFolded(buf: Uint8Array, s: number, e: number, word: Uint8Array): boolean {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) if ((buf[s + i]! | 0x20) !== word[i]) return false;
  return true;
}

/** Ints per label in the label scratch: key start, key end, value start, value end, escaped (0/1). */
const LABEL_STRIDE = 5;
/** Room for the payload and timestamp of a written line (`count,delta=` + a number + a timestamp). */
const PAYLOAD_RESERVE = 64;
/** Bytes of a token quoted in a problem's message. */
const TOKEN_EXCERPT = 64;
/** Flags of a cached name or label (`Normalized.changed`). */
const NAME_CHANGED = 1;
/** A dropped name whose only fault is the reserved 'dt.' start (the metric prefix's, say). */
const NAME_RESERVED = 2;
const PAIR_KEY_CHANGED = 1;
const PAIR_KEY_INVALID = 2;
const PAIR_VALUE_CHANGED = 4;
const PAIR_VALUE_EMPTY = 8;
/** The label is `le` or `quantile` (option bucketLabels). */
const PAIR_BUCKET = 16;
/** Flags that report something. */
const PAIR_PROBLEMS = PAIR_KEY_CHANGED | PAIR_KEY_INVALID | PAIR_VALUE_CHANGED | PAIR_VALUE_EMPTY;
/** The entry's problem was reported (later ones are counted only). */
const REPORTED = 128;
/** Bit of a cached role: the name is a sample of a histogram, gauge histogram or summary family. */
const ROLE_BUCKET_FAMILY = 8;
/** States of a cached label set. */
const SET_UNKNOWN = 0;
const SET_CLEAN = 1;
/** Its labels need the per-label path (a problem, a bucket label to drop, or bytes that are not a whole set). */
const SET_SLOW = 2;
/** Longest label set cached whole, in bytes (*decided*: real sets are far shorter; longer ones take the per-label path). */
const SET_MAX_BYTES = 1024;
/** Cache slot not yet filled. */
const UNKNOWN = -2;
/** The family epoch before any `# TYPE` (a role cache's -1 means none). */
const NO_FAMILY = -2;
/** Most digits of a timestamp read on the fast path (an integer of up to 15 digits is exact). */
const MAX_PLAIN_DIGITS = 15;
/** Cache slot: nothing can be kept. */
const NONE = -1;

const decoder = /* @__PURE__ */ new TextDecoder();

/** The last value of a counter series (what {@link PrometheusConverter.state} keeps per series). */
export interface CounterPoint {
  /** The value as sent. */
  value: number;
  /** Its timestamp, epoch ms, or -1 when the sample had none. */
  timeMs: number;
}

/**
 * A cache from interned raw strings (names, label keys, label values) to what they become: the id
 * in the output string table (or {@link NONE}), the written length, and whether the normalizer
 * changed it. Filled on the first sight of each raw string.
 */
class Normalized {
  readonly raw = new KeyTable();
  out = new Int32Array(64).fill(UNKNOWN);
  /** Output id of the value (label pairs only). */
  value = new Int32Array(64);
  len = new Int32Array(64);
  changed = new Uint8Array(64);
  /** Names only: the cached role, and the family epoch it was computed in (-1: none). */
  role = new Uint8Array(64);
  roleEpoch = new Int32Array(64).fill(-1);

  /** The slot of a raw id (grown as needed). */
  ensure(id: number): void {
    if (id < this.out.length) return;
    let n = this.out.length * 2;
    while (n <= id) n *= 2;
    const out = new Int32Array(n).fill(UNKNOWN);
    out.set(this.out);
    const len = new Int32Array(n);
    len.set(this.len);
    const value = new Int32Array(n);
    value.set(this.value);
    this.value = value;
    const role = new Uint8Array(n);
    role.set(this.role);
    this.role = role;
    const roleEpoch = new Int32Array(n).fill(-1);
    roleEpoch.set(this.roleEpoch);
    this.roleEpoch = roleEpoch;
    const changed = new Uint8Array(n);
    changed.set(this.changed);
    this.out = out;
    this.len = len;
    this.changed = changed;
  }

  /** Forgets the results (the output table started afresh); keeps the raw strings. */
  forgetOutputs(): void {
    this.out.fill(UNKNOWN);
  }

  /** Forgets everything (the raw table went past its budget). */
  clear(): void {
    this.raw.clear();
    this.out.fill(UNKNOWN);
    this.roleEpoch.fill(-1);
  }
}

/**
 * A streaming Prometheus / OpenMetrics converter (see the module). Keep one per stream of scrapes of
 * one target: its series state turns cumulative counters into deltas from one scrape to the next.
 * Call `end()` after each exposition (OpenMetrics: it checks `# EOF`), then `reset()` before the next
 * one; the series state carries over.
 *
 * @example
 * const writer = new LineWriter();
 * const converter = new PrometheusConverter({ points: (b) => process.stdout.write(writer.write(b)) });
 * converter.push(bytes);
 * converter.end();
 */
export class PrometheusConverter implements SourceConverter {
  /** The resolved options in force. */
  readonly options: ResolvedPrometheusOptions;
  /** Whether the input is read as OpenMetrics 1.0 (else text format 0.0.4). */
  readonly openMetrics: boolean;
  /** Counter series (cumulative → delta). */
  readonly state: SeriesState<CounterPoint>;
  /** Counts so far. */
  readonly counts: ConvertCounts = { lines: 0, points: 0, invalid: 0, byRule: {} };
  private readonly sink: ConvertSink;
  private splitter: LineSplitter;
  private readonly strings = new KeyTable();
  private readonly batch: MetricBatch;
  private readonly names = new Normalized();
  /** Label pairs `key="value"` (raw bytes) → dimension key, value, written length, flags. */
  private readonly pairs = new Normalized();
  /** Raw label values (escapes resolved), decoded on a pair's first sight. */
  private readonly labelValues = new Normalized();
  private readonly series = new KeyTable();
  private readonly normalizeOptions: NormalizeOptions;
  private readonly maxDimensions: number;
  private readonly maxLineLength: number;
  private readonly counterNames: ReadonlySet<string>;
  private readonly num = new Float64Array(2);
  private labels = new Int32Array(16 * LABEL_STRIDE);
  private unescaped = new Uint8Array(256);
  /** The current family (the last `# TYPE`): its name and type. */
  private family = new Uint8Array(64);
  private familyLength = -1;
  private familyType: Family = Family.UNTYPED;
  private eofLine = 0;
  /** Byte offset of the line being read (for columns). */
  private lineStart = 0;

  /**
   * @param sink receives the batches and the problems
   * @param options mapping choices and bounds (defaults with their evidence in `PROMETHEUS_DEFAULTS`)
   * @param openMetrics read OpenMetrics 1.0 (timestamps in seconds, `# EOF`) instead of 0.0.4
   */
  constructor(sink: ConvertSink, options?: PrometheusOptions, openMetrics = false) {
    this.options = resolveConvertOptions(options, PROMETHEUS_DEFAULTS) as ResolvedPrometheusOptions;
    this.openMetrics = openMetrics;
    this.sink = sink;
    this.batch = new MetricBatch(this.strings);
    this.state = new SeriesState<CounterPoint>(this.options.series);
    this.splitter = new LineSplitter(this, this.options.maxLineBytes);
    this.normalizeOptions = { ...this.options.metrics, shortMetricKey: 'null' };
    this.maxDimensions = this.options.metrics?.maxDimensions ?? METRICS_DEFAULTS.maxDimensions;
    this.maxLineLength = this.options.metrics?.maxLineLength ?? METRICS_DEFAULTS.maxLineLength;
    this.counterNames = new Set(this.options.additionalCounters);
  }

  /** Reads a chunk; the points of its complete lines go to the sink. */
  push(chunk: Uint8Array): void {
    this.splitter.push(chunk);
    this.flush();
  }

  /** Reads the last line, checks `# EOF` (OpenMetrics) and flushes. */
  end(): void {
    this.splitter.end();
    if (this.openMetrics && this.eofLine === 0 && this.options.requireEof) this.report('prom-eof-missing', 0, 0, {});
    this.flush();
  }

  /** Starts a new exposition (line numbers, `# EOF`, the current family); the series state stays. */
  reset(): void {
    this.splitter = new LineSplitter(this, this.options.maxLineBytes);
    this.eofLine = 0;
    this.familyLength = -1;
    this.familyType = Family.UNTYPED;
    this.familyEpoch = NO_FAMILY;
    this.previous = START;
    this.expected = this.known.next[START]!;
  }

  /**
   * @internal LineSink bulk path: the complete lines of `buf[start, end)`. A sample line is first
   * compared with the series predicted for it (see `prom-known.ts`); the line splitter's own pass
   * is fused in (the fast path finds the LF as it reads the value), the rest go through `line`.
   */
  bulkLines(buf: Uint8Array, start: number, end: number, firstLine: number): number {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let line = firstLine;
    let pos = start;
    while (pos < end) {
      const id = this.eofLine === 0 ? this.expected : NO_LINK;
      let stop = -1;
      if (id >= 0 && this.known.kind[id] === KIND_SAMPLE) stop = this.knownSample(buf, view, pos, end, line);
      else if (id >= 0) {
        stop = this.known.lineEnd(id, buf, view, pos, end);
        if (stop >= 0) this.knownComment(id, buf, pos);
      }
      if (stop < 0) {
        stop = buf.indexOf(Byte.LF, pos);
        // (the splitter's carry may hold stale bytes past `end`)
        if (stop < 0 || stop > end) stop = end;
        if (this.isHelp(buf, pos, stop)) this.counts.lines++;
        else this.line(buf, pos, stop, line);
      }
      pos = stop + 1;
      line++;
    }
    return line - firstLine;
  }

  /**
   * Whether `buf[at, stop)` is a 0.0.4 `# HELP` line within `maxLineBytes`: nothing in it can be an
   * error, so it is only counted (the most frequent comment of a /metrics page, as long as a sample).
   */
  private isHelp(buf: Uint8Array, at: number, stop: number): boolean {
    return (
      !this.openMetrics && stop - at <= this.options.maxLineBytes && stop - at > W_HASH_HELP.length && isWord(buf, at, at + W_HASH_HELP.length, W_HASH_HELP)
    );
  }

  /** Known series: `name{labels}` of clean samples, with the series that followed each (prom-known.ts). */
  private readonly known = new KnownSeries();
  /** Where the next sample's series is linked from (a series id + 1, or START), or NO_LINK. */
  private previous = START;
  /** The series predicted for the next sample line, or NO_LINK. */
  private expected = NO_LINK;

  /**
   * The sample at `buf[at, end)` when it starts with the predicted series' bytes and its value (and
   * 0.0.4 timestamp) is plain: converted without a grammar pass, and the LF's offset returned (or
   * `end`). Else -1, having changed nothing: the line takes the full path.
   */
  private knownSample(buf: Uint8Array, view: DataView, at: number, end: number, line: number): number {
    // over a string budget: the full path applies the budgets before the sample, as for every sample
    // (a fast path that skipped them would reset the caches, and report again what they forget, later)
    if (this.overBudget()) return -1;
    const id = this.expected;
    const known = this.known;
    if (!known.matches(id, buf, view, at, end)) return -1;
    const se = at + known.table.lengthOf(id);
    const vs = this.blanks(buf, se, end, 1);
    if (vs <= se || vs >= end) return -1;
    let i = plainNumber(buf, vs, end, this.num);
    if (i < 0) {
      // not a plain decimal: the general number path (still no point for NaN or ±Inf)
      i = vs;
      while (i < end && buf[i]! > Byte.SPACE) i++;
      if (this.parseValue(buf, vs, i) !== Value.OK) return -1;
    }
    let timestamp = -1;
    if (i < end && buf[i] !== Byte.LF && buf[i] !== Byte.CR) {
      // a 0.0.4 timestamp of plain digits (OpenMetrics' seconds take the full path)
      const ts = this.openMetrics ? i : this.blanks(buf, i, end, 1);
      if (ts === i) return -1;
      i = ts;
      while (i < end && buf[i]! > Byte.SPACE) i++;
      if (i - ts > MAX_PLAIN_DIGITS || !this.parseTimestamp(buf, ts, i) || this.num[1]! < 0) return -1;
      timestamp = this.num[1]!;
    }
    const stop = i < end && buf[i] === Byte.CR ? i + 1 : i;
    if ((stop < end && buf[stop] !== Byte.LF) || i - at > this.options.maxLineBytes) return -1;
    const nameId = known.name[id]!;
    const role = this.roleFor(nameId, buf, at, at + this.names.raw.lengthOf(nameId));
    if (role !== Role.GAUGE && role !== Role.COUNTER) return -1;
    this.counts.lines++;
    this.lineStart = at;
    this.knownPoint(id, role, buf, at, se, timestamp, line);
    if (this.batch.length >= this.options.batchPoints) this.flush();
    return stop;
  }

  /** The point of a known series (its checks were passed when it was first read). */
  private knownPoint(id: number, role: Role, buf: Uint8Array, ns: number, se: number, timestamp: number, line: number): void {
    const known = this.known;
    const names = this.names;
    const nameId = known.name[id]!;
    let payload: number = PayloadType.GAUGE;
    let number = this.num[0]!;
    if (this.options.timestamps === 'drop') timestamp = -1;
    if (role === Role.COUNTER) {
      const delta = this.delta(buf, ns, se, number, timestamp, line);
      this.link(id);
      if (delta === null) return;
      payload = PayloadType.COUNT;
      number = delta;
    } else this.link(id);
    const keyId = names.out[nameId]!;
    if (names.changed[nameId] !== 0) this.renamedName(nameId, keyId, line, ns);
    const batch = this.batch;
    const p = batch.beginPoint(line, keyId, KeySuffix.NONE, payload, timestamp);
    batch.values[p * VALUE_STRIDE] = number;
    const setId = known.set[id]!;
    if (setId >= 0) {
      const pool = this.setPool;
      const at = this.sets.out[setId]!;
      const n = pool[at]!;
      for (let k = 0; k < n; k++) batch.addDimension(pool[at + 1 + 2 * k]!, pool[at + 2 + 2 * k]!);
    }
    this.counts.points++;
  }

  /** Series `id` was read: link it after the previous one, predict its successor. */
  private link(id: number): void {
    const next = this.known.next;
    if (this.previous !== NO_LINK) next[this.previous] = id;
    this.previous = id + 1;
    this.expected = next[id + 1]!;
  }

  /** The role of sample name `nameId` (`buf[ns, ne)`) in the current family; sets `bucketSample`. */
  private roleFor(nameId: number, buf: Uint8Array, ns: number, ne: number): Role {
    const names = this.names;
    // a name's role holds while its family does: computed once per name and TYPE line
    if (names.roleEpoch[nameId] !== this.familyEpoch) {
      const inFamily = this.suffixOf(buf, ns, ne) !== Suffix.OTHER;
      const t = this.familyType;
      const bucketFamily = inFamily && (t === Family.HISTOGRAM || t === Family.GAUGE_HISTOGRAM || t === Family.SUMMARY);
      names.role[nameId] = this.roleOf(nameId, buf, ns, ne) | (bucketFamily ? ROLE_BUCKET_FAMILY : 0);
      names.roleEpoch[nameId] = this.familyEpoch;
    }
    this.bucketSample = (names.role[nameId]! & ROLE_BUCKET_FAMILY) !== 0;
    return (names.role[nameId]! & ~ROLE_BUCKET_FAMILY) as Role;
  }

  /** @internal LineSink: a line longer than `maxLineBytes`. */
  tooLong(lineNumber: number): void {
    this.counts.lines++;
    this.report('convert-line-too-long', lineNumber, 1, { max: this.options.maxLineBytes });
  }

  /** @internal LineSink: one complete line (without LF). */
  line(buf: Uint8Array, start: number, end: number, lineNumber: number): void {
    this.counts.lines++;
    this.lineStart = start;
    if (end > start && buf[end - 1] === Byte.CR) end--;
    if (end - start > this.options.maxLineBytes) {
      this.report('convert-line-too-long', lineNumber, 1, { max: this.options.maxLineBytes });
      return;
    }
    const strict = this.openMetrics;
    let i = start;
    while (i < end && (PROM_CHAR[buf[i]!]! & P_BLANK) !== 0) i++;
    if (i === end) {
      // 0.0.4: blank lines are ignored; OpenMetrics has none ("no blank lines", its bad_blank_line case)
      if (strict && this.eofLine === 0) this.invalid('prom-syntax', lineNumber, start, buf, start, end, 'blank line (OpenMetrics has none)');
      return;
    }
    if (this.eofLine !== 0) {
      this.report('prom-after-eof', lineNumber, i - start + 1, {});
      return;
    }
    if (strict && i > start) {
      this.invalid('prom-syntax', lineNumber, start, buf, start, end, 'leading blank');
      return;
    }
    if (buf[i] === Byte.HASH) {
      this.comment(buf, i + 1, end, lineNumber);
      // a comment with nothing to check (0.0.4 HELP) leaves the chain of known lines as it is
      if (this.commentKind === KIND_SKIP) return;
      const previous = this.previous;
      this.previous = NO_LINK;
      this.expected = NO_LINK;
      if (this.commentKind === KIND_TYPE && this.eofLine === 0) {
        // a TYPE line that checked cleanly: the next scrape sets its family on sight
        const id = this.known.addLine(buf, start, end, KIND_TYPE, this.familyEpoch, this.familyType, this.familyAt);
        this.previous = previous;
        this.link(id);
      }
      return;
    }
    this.sample(buf, i, end, lineNumber);
    if (this.batch.length >= this.options.batchPoints) this.flush();
  }

  /**
   * `# TYPE name type`, `# EOF`; `# HELP` and `# UNIT` are read and not written. 0.0.4: any other
   * comment is ignored; OpenMetrics: only those four, one space between tokens.
   */
  private comment(buf: Uint8Array, i: number, end: number, line: number): void {
    const strict = this.openMetrics;
    this.commentKind = KIND_NONE;
    const at = i;
    while (i < end && (PROM_CHAR[buf[i]!]! & P_BLANK) !== 0) i++;
    if (strict && (i !== at + 1 || buf[at] !== Byte.SPACE)) {
      this.invalid('prom-syntax', line, at, buf, at - 1, end, "expected '# ' and HELP, TYPE, UNIT or EOF");
      return;
    }
    let e = i;
    while (e < end && (PROM_CHAR[buf[e]!]! & P_BLANK) === 0) e++;
    if (strict && isWord(buf, i, e, W_EOF) && e === end) {
      this.eofLine = line;
      return;
    }
    const type = isWord(buf, i, e, W_TYPE);
    if (!type && !isWord(buf, i, e, W_HELP) && !isWord(buf, i, e, W_UNIT)) {
      if (strict) this.invalid('prom-syntax', line, i, buf, i, e, "expected '# ' and HELP, TYPE, UNIT or EOF");
      else this.commentKind = KIND_SKIP;
      return;
    }
    // 0.0.4: HELP and UNIT are not checked further (nothing in them is an error)
    if (!type && !strict) {
      this.commentKind = KIND_SKIP;
      return;
    }
    const kw = i;
    i = e;
    // the metric name
    const sep = i;
    while (i < end && (PROM_CHAR[buf[i]!]! & P_BLANK) !== 0) i++;
    if (strict && (i !== sep + 1 || buf[sep] !== Byte.SPACE)) {
      this.invalid('prom-syntax', line, sep, buf, kw, end, 'expected one space and a metric name');
      return;
    }
    const ns = i;
    if (i < end && (PROM_CHAR[buf[i]!]! & P_NAME_START) !== 0) i++;
    while (i < end && (PROM_CHAR[buf[i]!]! & P_NAME) !== 0) i++;
    if (i === ns || (i < end && (PROM_CHAR[buf[i]!]! & P_BLANK) === 0)) {
      if (type || strict) this.invalid('prom-metric-name', line, ns, buf, ns, end);
      return;
    }
    const ne = i;
    if (!type) {
      // HELP: any text after one space; UNIT: one token, no trailing blank
      if (strict && isWord(buf, kw, kw + W_UNIT.length, W_UNIT) && i < end) {
        let u = i + 1;
        while (u < end && (PROM_CHAR[buf[u]!]! & P_BLANK) === 0) u++;
        if (buf[i] !== Byte.SPACE || u !== end) this.invalid('prom-syntax', line, i, buf, i, end, 'the unit is one token after one space');
      } else if (strict && i < end && buf[i] !== Byte.SPACE) this.invalid('prom-syntax', line, i, buf, i, end, 'expected one space before the help text');
      return;
    }
    const ts = i;
    while (i < end && (PROM_CHAR[buf[i]!]! & P_BLANK) !== 0) i++;
    let te = end;
    while (te > i && (PROM_CHAR[buf[te - 1]!]! & P_BLANK) !== 0) te--;
    if (strict && (i !== ts + 1 || buf[ts] !== Byte.SPACE || te !== end)) {
      this.invalid('prom-syntax', line, ts, buf, ts, end, 'expected one space and the type, nothing after');
      return;
    }
    // the same TYPE line as before, the same family: its type and the roles cached under it still hold
    const id = this.families.intern(buf, ns, te);
    this.familyEpoch = id;
    if (id >= this.familyTypes.length) {
      const grown = new Int8Array(Math.max(2 * this.familyTypes.length, id + 1)).fill(UNKNOWN);
      grown.set(this.familyTypes);
      this.familyTypes = grown;
    }
    let family = this.familyTypes[id]!;
    if (family === UNKNOWN) {
      family = -1;
      for (const [word, f, om] of TYPE_WORDS) if (isWord(buf, i, te, word) && (om || !strict)) family = f;
      this.familyTypes[id] = family;
    }
    if (ne - ns > this.family.length) this.family = new Uint8Array(2 * (ne - ns));
    for (let k = ns; k < ne; k++) this.family[k - ns] = buf[k]!;
    this.familyLength = ne - ns;
    if (family < 0) {
      this.familyType = Family.UNTYPED;
      this.invalid('prom-type', line, i, buf, i, te);
      return;
    }
    this.familyType = family as Family;
    this.commentKind = KIND_TYPE;
    this.familyAt = ns - this.lineStart;
  }

  /** What the last comment line was: KIND_SKIP (nothing to check), KIND_TYPE (a family set), or KIND_NONE (read each time). */
  private commentKind = KIND_NONE;
  /** Where the name of the last `# TYPE` line starts, from the line's start. */
  private familyAt = 0;

  /** A comment line met before (the same bytes): nothing to check again, a TYPE's family set again. */
  private knownComment(id: number, buf: Uint8Array, at: number): void {
    const known = this.known;
    this.counts.lines++;
    if (known.kind[id] === KIND_TYPE) {
      const familyId = known.name[id]!;
      const ns = at + known.familyAt[id]!;
      const n = this.families.lengthOf(familyId);
      let ne = ns;
      while (ne < ns + n && (PROM_CHAR[buf[ne]!]! & P_BLANK) === 0) ne++;
      if (ne - ns > this.family.length) this.family = new Uint8Array(2 * (ne - ns));
      for (let k = ns; k < ne; k++) this.family[k - ns] = buf[k]!;
      this.familyLength = ne - ns;
      this.familyEpoch = familyId;
      this.familyType = known.set[id] as Family;
    }
    this.link(id);
  }

  /** Whether the sample being read is one of a histogram's or summary's (option bucketLabels). */
  private bucketSample = false;

  /**
   * The family in force, for the roles cached per name: the id of its `# TYPE` line (name and type
   * as written) in `families`, NO_FAMILY before any, or a fresh negative number once `families` was
   * cleared (its ids are then reused).
   */
  private familyEpoch = NO_FAMILY;
  /** `# TYPE` lines met: the name and type word, as written. */
  private readonly families = new KeyTable();
  /** The `Family` of each of `families` (-1: not a type word), UNKNOWN before its first sight. */
  private familyTypes = new Int8Array(64).fill(UNKNOWN);
  /** The last epoch given to a family whose id was forgotten (counts down from NO_FAMILY). */
  private orphanEpoch = NO_FAMILY;

  /**
   * Skips the blanks at `i`; OpenMetrics wants exactly `want` spaces there (0 or 1), else -1.
   * 0.0.4 takes any run of spaces and tabs.
   */
  private blanks(buf: Uint8Array, i: number, end: number, want: number): number {
    const from = i;
    while (i < end && (PROM_CHAR[buf[i]!]! & P_BLANK) !== 0) i++;
    if (this.openMetrics && (i - from !== want || (want === 1 && buf[from] !== Byte.SPACE))) return -1;
    return i;
  }

  /** `name[{labels}] value [timestamp] [# exemplar]`. */
  private sample(buf: Uint8Array, i: number, end: number, line: number): void {
    const strict = this.openMetrics;
    // the chain of known series breaks here unless the sample converts cleanly (see the end)
    const previous = this.previous;
    this.previous = NO_LINK;
    this.expected = NO_LINK;
    // the string budgets are applied between points, before this sample takes any id
    if (this.overBudget()) this.flush();
    // --- name
    const ns = i;
    if ((PROM_CHAR[buf[i]!]! & P_NAME_START) === 0) {
      this.invalid('prom-metric-name', line, i, buf, i, end);
      return;
    }
    i++;
    while (i < end && (PROM_CHAR[buf[i]!]! & P_NAME) !== 0) i++;
    const ne = i;
    // --- labels
    let labelCount = 0;
    let labelsEnd = ne;
    let j = i;
    while (j < end && (PROM_CHAR[buf[j]!]! & P_BLANK) !== 0) j++;
    if (j < end && buf[j] === Byte.OPEN_BRACE) {
      if (strict && j !== i) {
        this.invalid('prom-syntax', line, i, buf, i, end, 'no blank between the name and {');
        return;
      }
      // a label set seen before (its bytes up to the first '}') is not parsed again: see setOf
      const set = this.setOf(buf, j, end);
      if (set >= 0 && this.sets.changed[set] === SET_CLEAN) {
        this.setId = set;
        labelCount = 0;
        i = labelsEnd = this.setEnd;
      } else {
        this.setId = -1;
        this.setCandidate = set;
        labelCount = this.labelSet(buf, j + 1, end, line, false);
        if (labelCount < 0) return;
        i = this.labelsEnd;
        labelsEnd = i;
        this.sampleSetEnd = i; // (an exemplar's label set moves labelsEnd on)
      }
    } else {
      this.setId = -1;
      this.setCandidate = -1;
    }
    // --- value
    const vs = this.blanks(buf, i, end, 1);
    if (vs < 0 || vs === i || vs >= end) {
      this.invalid('prom-syntax', line, i, buf, ns, end, vs >= end ? 'the sample has no value' : 'expected one blank before the value');
      return;
    }
    i = vs;
    while (i < end && (PROM_CHAR[buf[i]!]! & P_BLANK) === 0) i++;
    const ve = i;
    const value = this.parseValue(buf, vs, ve);
    if (value === Value.INVALID) {
      this.invalid('prom-value', line, vs, buf, vs, ve);
      return;
    }
    // --- timestamp and exemplar
    let timestamp = -1;
    let tsStart = -1;
    let tsEnd = -1;
    let exemplar = false;
    if (i < end) {
      const k = this.blanks(buf, i, end, 1);
      if (k < 0 || (k >= end && strict)) {
        this.invalid('prom-syntax', line, i, buf, i, end, k < 0 ? 'expected one space after the value' : 'trailing blank');
        return;
      }
      i = k;
      if (i < end && buf[i] !== Byte.HASH) {
        tsStart = i;
        while (i < end && (PROM_CHAR[buf[i]!]! & P_BLANK) === 0) i++;
        tsEnd = i;
        if (!this.parseTimestamp(buf, tsStart, tsEnd)) {
          this.invalid('prom-timestamp', line, tsStart, buf, tsStart, tsEnd);
          return;
        }
        timestamp = this.num[1]!;
        if (i < end) {
          const m = this.blanks(buf, i, end, 1);
          if (m < 0 || (m >= end && strict) || (m < end && buf[m] !== Byte.HASH)) {
            this.invalid('prom-syntax', line, i, buf, i, end, m >= end ? 'trailing blank' : 'unexpected text after the timestamp');
            return;
          }
          i = m;
        }
      }
      if (i < end) {
        if (!strict) {
          this.invalid('prom-syntax', line, i, buf, i, end, 'unexpected text after the sample');
          return;
        }
        if (!this.exemplar(buf, i, end, line)) return;
        exemplar = true;
      }
    }
    if (exemplar) this.decided('prom-exemplar-ignored', line, i, buf, ns, ne, true);
    // --- the mapping
    const names = this.names;
    const nameId = names.raw.intern(buf, ns, ne);
    names.ensure(nameId);
    const role = this.roleFor(nameId, buf, ns, ne);
    if (role !== Role.GAUGE && role !== Role.COUNTER) {
      this.decided(
        role === Role.CREATED ? 'prom-created-ignored' : role === Role.DROP_HISTOGRAM ? 'prom-histogram-dropped' : 'prom-summary-dropped',
        line,
        ns,
        buf,
        ns,
        ne,
        true,
      );
      return;
    }
    if (value !== Value.OK) {
      this.dropValue(value, line, buf, ns, ne, vs, ve);
      return;
    }
    if (timestamp !== -1 && !(timestamp >= 0 && Number.isSafeInteger(timestamp))) {
      this.decided('convert-timestamp-dropped', line, tsStart, buf, ns, ne, false, buf, tsStart, tsEnd);
      timestamp = -1;
    }
    if (this.options.timestamps === 'drop') timestamp = -1;
    let payload: number = PayloadType.GAUGE;
    let number = this.num[0]!;
    if (role === Role.COUNTER) {
      const delta = this.delta(buf, ns, labelsEnd, number, timestamp, line);
      if (delta === null) return;
      payload = PayloadType.COUNT;
      number = delta;
    }
    const setId = this.commit(buf, ns, ne, nameId, labelCount, payload, number, timestamp, line);
    // a clean sample: its series is known from now on (the next scrape compares its bytes only)
    if (setId !== UNKNOWN && !exemplar) {
      const id = this.known.add(buf, ns, labelsEnd, nameId, setId);
      this.previous = previous;
      this.link(id);
    }
  }

  /** End of the last label set read by `labelSet` (just past its `}`). */
  private labelsEnd = 0;

  /**
   * Reads a label set from just after its `{`: its labels into the scratch (unless `exemplar`),
   * `labelsEnd` past its `}`. Returns the label count, or -1 after reporting the problem.
   * OpenMetrics: no blanks inside, no trailing comma.
   */
  private labelSet(buf: Uint8Array, i: number, end: number, line: number, exemplar: boolean): number {
    const strict = this.openMetrics;
    let count = 0;
    let afterComma = false;
    for (;;) {
      const b = i;
      while (i < end && (PROM_CHAR[buf[i]!]! & P_BLANK) !== 0) i++;
      if (strict && i !== b) {
        this.invalid('prom-syntax', line, b, buf, b, end, 'no blanks inside a label set');
        return -1;
      }
      if (i < end && buf[i] === Byte.CLOSE_BRACE) {
        if (strict && afterComma) {
          this.invalid('prom-syntax', line, i, buf, i, end, 'no comma before }');
          return -1;
        }
        this.labelsEnd = i + 1;
        return count;
      }
      const ks = i;
      if (i >= end || (PROM_CHAR[buf[i]!]! & P_LABEL_START) === 0) {
        this.invalid(i >= end ? 'prom-syntax' : 'prom-label-name', line, i, buf, i, end, 'the label set is not closed with }');
        return -1;
      }
      i++;
      while (i < end && (PROM_CHAR[buf[i]!]! & P_LABEL) !== 0) i++;
      const ke = i;
      i = this.blanks(buf, i, end, 0);
      if (i < 0 || i >= end || buf[i] !== Byte.EQUALS) {
        this.invalid('prom-syntax', line, ke, buf, ke, end, "expected '=' after the label name");
        return -1;
      }
      i = this.blanks(buf, i + 1, end, 0);
      if (i < 0 || i >= end || buf[i] !== Byte.QUOTE) {
        this.invalid('prom-label-value', line, ke, buf, ke, end, 'expected a quoted value');
        return -1;
      }
      const vs = ++i;
      // one pass over the value: each byte is looked at once, whatever the escapes (linear)
      let escaped = 0;
      for (;;) {
        while (i < end && buf[i] !== Byte.QUOTE && buf[i] !== Byte.BACKSLASH) i++;
        if (i >= end) {
          this.invalid('prom-label-value', line, vs - 1, buf, vs - 1, end, 'unterminated quoted value');
          return -1;
        }
        if (buf[i] === Byte.QUOTE) break;
        // any escaped byte is read (as the Prometheus server's lexer reads `\\.`); only \\ \" \n mean something
        escaped = 1;
        i += 2;
      }
      const ve = i++;
      if (!exemplar) {
        const r = count * LABEL_STRIDE;
        if (r + LABEL_STRIDE > this.labels.length) {
          const grown = new Int32Array(this.labels.length * 2);
          grown.set(this.labels);
          this.labels = grown;
        }
        const labels = this.labels;
        labels[r] = ks;
        labels[r + 1] = ke;
        labels[r + 2] = vs;
        labels[r + 3] = ve;
        labels[r + 4] = escaped;
      }
      count++;
      i = this.blanks(buf, i, end, 0);
      if (i >= 0 && i < end && buf[i] === Byte.COMMA) {
        i++;
        afterComma = true;
        continue;
      }
      if (i >= 0 && i < end && buf[i] === Byte.CLOSE_BRACE) {
        this.labelsEnd = i + 1;
        return count;
      }
      const at = i >= 0 ? i : ve + 1;
      this.invalid('prom-syntax', line, at, buf, at, end, "expected ',' or '}' after a label");
      return -1;
    }
  }

  /** An OpenMetrics exemplar from its `#`: `# {labels} value [timestamp]`, read and checked, not kept. */
  private exemplar(buf: Uint8Array, i: number, end: number, line: number): boolean {
    const at = i;
    if (i + 2 >= end || buf[i + 1] !== Byte.SPACE || buf[i + 2] !== Byte.OPEN_BRACE) {
      this.invalid('prom-syntax', line, at, buf, at, end, "an exemplar is '# {labels} value [timestamp]'");
      return false;
    }
    if (this.labelSet(buf, i + 3, end, line, true) < 0) return false;
    i = this.labelsEnd;
    if (i >= end || buf[i] !== Byte.SPACE) {
      this.invalid('prom-syntax', line, i, buf, at, end, 'an exemplar needs a value');
      return false;
    }
    const vs = ++i;
    while (i < end && buf[i] !== Byte.SPACE) i++;
    if (this.exemplarNumber(buf, vs, i) === false) {
      this.invalid('prom-value', line, vs, buf, vs, i);
      return false;
    }
    if (i < end) {
      const ts = ++i;
      while (i < end && buf[i] !== Byte.SPACE) i++;
      if (i < end || !this.exemplarNumber(buf, ts, i)) {
        this.invalid('prom-timestamp', line, ts, buf, ts, end);
        return false;
      }
    }
    return true;
  }

  /** Whether `buf[s, e)` is a finite number (an exemplar's value or timestamp); keeps `num[0]`. */
  private exemplarNumber(buf: Uint8Array, s: number, e: number): boolean {
    const keep = this.num[0]!;
    const ok = this.parseValue(buf, s, e) === Value.OK;
    this.num[0] = keep;
    return ok;
  }

  /** Parses a sample value into `num[0]` (Go's ParseFloat spellings of NaN and infinity included). */
  private parseValue(buf: Uint8Array, s: number, e: number): Value {
    let sign = 1;
    let i = s;
    if (i < e && (buf[i] === Byte.PLUS || buf[i] === Byte.MINUS)) {
      if (buf[i] === Byte.MINUS) sign = -1;
      i++;
    }
    if (i < e && (buf[i]! | 0x20) >= 0x61) {
      // a letter: NaN, Inf, Infinity (any case, as Go's strconv.ParseFloat reads them)
      if (isWordFolded(buf, i, e, W_NAN)) return i === s ? Value.NAN : Value.INVALID;
      if (isWordFolded(buf, i, e, W_INF) || isWordFolded(buf, i, e, W_INFINITY)) {
        this.num[0] = sign * Infinity;
        return Value.INFINITE;
      }
      return Value.INVALID;
    }
    if (buf[s] === Byte.PLUS) {
      if (i < e && buf[i] === Byte.MINUS) return Value.INVALID;
      if (parseNumberTo(buf, i, e, true, this.num, 0) !== NUMBER_OK) return this.num[0] === Infinity ? Value.INFINITE : Value.INVALID;
      return Value.OK;
    }
    const r = parseNumberTo(buf, s, e, true, this.num, 0);
    if (r === NUMBER_OK) return Value.OK;
    const x = this.num[0]!;
    return x === Infinity || x === -Infinity ? Value.INFINITE : Value.INVALID;
  }

  /**
   * Parses a timestamp into `num[1]` as epoch ms: 0.0.4 an integer of milliseconds (optional sign),
   * OpenMetrics a number of seconds (fraction allowed), rounded to the millisecond.
   */
  private parseTimestamp(buf: Uint8Array, s: number, e: number): boolean {
    const num = this.num;
    if (this.openMetrics) {
      let i = s;
      if (i < e && buf[i] === Byte.PLUS) i++;
      if (parseNumberTo(buf, i, e, false, num, 1) !== NUMBER_OK) return false;
      num[1] = Math.round(num[1]! * 1000);
      return true;
    }
    let i = s;
    let sign = 1;
    if (i < e && (buf[i] === Byte.PLUS || buf[i] === Byte.MINUS)) {
      if (buf[i] === Byte.MINUS) sign = -1;
      i++;
    }
    if (i >= e) return false;
    let v = 0;
    for (; i < e; i++) {
      const c = buf[i]! - 48;
      if (c < 0 || c > 9) return false;
      v = v * 10 + c;
    }
    num[1] = sign * v;
    return true;
  }

  /** The role of sample `buf[ns, ne)` in the current family, under the options. */
  private roleOf(nameId: number, buf: Uint8Array, ns: number, ne: number): Role {
    const o = this.options;
    if (this.counterNames.size > 0 && this.counterNames.has(this.names.raw.text(nameId))) return Role.COUNTER;
    const suffix = this.suffixOf(buf, ns, ne);
    const counter = o.counters === 'delta' ? Role.COUNTER : Role.GAUGE;
    if (suffix === Suffix.OTHER) return Role.GAUGE;
    if (suffix === Suffix.CREATED && this.familyType !== Family.UNTYPED && this.familyType !== Family.GAUGE) return Role.CREATED;
    switch (this.familyType) {
      case Family.COUNTER:
        return suffix === Suffix.NONE || suffix === Suffix.TOTAL ? counter : Role.GAUGE;
      case Family.HISTOGRAM:
        if (suffix !== Suffix.BUCKET && suffix !== Suffix.SUM && suffix !== Suffix.COUNT) return Role.GAUGE;
        return o.histograms === 'drop' ? Role.DROP_HISTOGRAM : o.histograms === 'counters' ? counter : Role.GAUGE;
      case Family.SUMMARY:
        if (o.summaries === 'drop') return Role.DROP_SUMMARY;
        if (suffix !== Suffix.SUM && suffix !== Suffix.COUNT) return Role.GAUGE;
        return o.summaries === 'counters' ? counter : Role.GAUGE;
      default:
        return Role.GAUGE;
    }
  }

  /** How sample name `buf[ns, ne)` extends the current family's name. */
  private suffixOf(buf: Uint8Array, ns: number, ne: number): Suffix {
    const n = this.familyLength;
    if (n < 0 || ne - ns < n) return Suffix.OTHER;
    const family = this.family;
    for (let k = 0; k < n; k++) if (buf[ns + k] !== family[k]) return Suffix.OTHER;
    if (ne - ns === n) return Suffix.NONE;
    if (buf[ns + n] !== Byte.UNDERSCORE) return Suffix.OTHER;
    for (let w = 0; w < SUFFIX_WORDS.length; w++) {
      const row = SUFFIX_WORDS[w]!;
      if (isWord(buf, ns + n, ne, row[0])) return row[1];
    }
    return Suffix.OTHER;
  }

  /** Cumulative → delta: the change since the series' previous value, or null (counted). */
  private delta(buf: Uint8Array, ns: number, labelsEnd: number, value: number, timestamp: number, line: number): number | null {
    const series = this.series;
    const key = series.text(series.intern(buf, ns, labelsEnd));
    const previous = this.state.get(key);
    if (previous === undefined) {
      this.state.set(key, { value, timeMs: timestamp });
      this.decided('convert-counter-baseline', line, ns, buf, ns, labelsEnd, true);
      return null;
    }
    if (timestamp >= 0 && previous.timeMs > timestamp) {
      this.decided('convert-counter-out-of-order', line, ns, buf, ns, labelsEnd, false);
      return null;
    }
    const delta = value - previous.value;
    previous.value = value;
    previous.timeMs = timestamp;
    this.state.set(key, previous);
    if (delta < 0) {
      this.report('convert-counter-reset', line, ns - this.lineStart + 1, { name: excerpt(buf, ns, labelsEnd), hint: `${value} after ${value - delta}` });
      return null;
    }
    return delta;
  }

  /**
   * Writes the point into the batch: key and labels through the caches, then the bounds. Returns
   * what a known series of these bytes may keep: its clean label set's id, NONE for no labels, or
   * UNKNOWN (no point, or a label with a problem: such a sample always takes the full path).
   */
  private commit(
    buf: Uint8Array,
    ns: number,
    ne: number,
    nameId: number,
    labelCount: number,
    payload: number,
    number: number,
    timestamp: number,
    line: number,
  ): number {
    const names = this.names;
    if (names.out[nameId] === UNKNOWN) this.fillName(nameId);
    const keyId = names.out[nameId]!;
    if (keyId === NONE) {
      const rule = names.changed[nameId] === NAME_RESERVED ? 'convert-metric-key-reserved' : 'convert-metric-key-invalid';
      this.decided(rule, line, ns, buf, ns, ne, false);
      return UNKNOWN;
    }
    if (names.changed[nameId] !== 0) this.renamedName(nameId, keyId, line, ns);
    const batch = this.batch;
    const p = batch.beginPoint(line, keyId, KeySuffix.NONE, payload, timestamp);
    batch.values[p * VALUE_STRIDE] = number;
    let written = names.len[nameId]! + PAYLOAD_RESERVE;
    const dropBuckets = this.options.bucketLabels === 'drop' && this.bucketSample;
    const setId = this.setId;
    if (setId >= 0) {
      // a known clean label set: its dimensions from the pool
      const pool = this.setPool;
      const at = this.sets.out[setId]!;
      const n = pool[at]!;
      for (let k = 0; k < n; k++) batch.addDimension(pool[at + 1 + 2 * k]!, pool[at + 2 + 2 * k]!);
      written += this.sets.len[setId]!;
      labelCount = 0;
    }
    let clean = this.setCandidate >= 0 && this.sampleSetEnd === this.setEnd && labelCount > 0;
    const firstDim = batch.dimOffsets[p]!;
    const writtenBefore = written;
    const labels = this.labels;
    const pairs = this.pairs;
    for (let k = 0; k < labelCount; k++) {
      const r = k * LABEL_STRIDE;
      const ks = labels[r]!;
      // one intern per label: the raw bytes `key="value"` (escapes as written) stand for what they become
      const id = pairs.raw.intern(buf, ks, labels[r + 3]!);
      pairs.ensure(id);
      if (pairs.out[id] === UNKNOWN) this.fillPair(id, buf, r);
      const flags = pairs.changed[id]!;
      if (flags !== 0) {
        // a set with `le` or `quantile` is cached only when those are always kept (option bucketLabels)
        if ((flags & ~REPORTED) !== PAIR_BUCKET || this.options.bucketLabels === 'drop') clean = false;
        if ((flags & PAIR_BUCKET) !== 0 && dropBuckets) {
          this.decided('prom-bucket-label-dropped', line, ks, buf, ns, ne, true, buf, ks, labels[r + 1]!);
          continue;
        }
        if ((flags & PAIR_PROBLEMS) !== 0 && !this.pairProblem(id, flags, buf, r, line)) continue;
      }
      const before = batch.dimOffsets[p + 1]!;
      batch.addDimension(pairs.out[id]!, pairs.value[id]!);
      if (batch.dimOffsets[p + 1] === before) {
        clean = false;
        this.report('convert-dimension-duplicate', line, ks - this.lineStart + 1, {
          label: excerpt(buf, ks, labels[r + 1]!),
          new: this.strings.text(pairs.out[id]!),
        });
        continue;
      }
      written += pairs.len[id]!;
    }
    if (clean) this.keepSet(batch, firstDim, batch.dimOffsets[p + 1]!, written - writtenBefore);
    else if (this.setCandidate >= 0 && setId < 0) this.sets.changed[this.setCandidate] = SET_SLOW;
    const dims = batch.dimOffsets[p + 1]! - batch.dimOffsets[p]!;
    if (dims > this.maxDimensions) {
      batch.length = p;
      this.report('convert-too-many-dimensions', line, ns - this.lineStart + 1, { n: dims, max: this.maxDimensions });
      return UNKNOWN;
    }
    if (written > this.maxLineLength) {
      batch.length = p;
      this.report('convert-output-too-long', line, ns - this.lineStart + 1, { name: excerpt(buf, ns, ne), max: this.maxLineLength });
      return UNKNOWN;
    }
    this.counts.points++;
    return setId >= 0 ? setId : labelCount === 0 ? NONE : clean ? this.setCandidate : UNKNOWN;
  }

  /** A renamed metric name: reported the first time, counted every time. */
  private renamedName(nameId: number, keyId: number, line: number, ns: number): void {
    const names = this.names;
    if ((names.changed[nameId]! & REPORTED) !== 0) {
      this.count('convert-metric-key-normalized');
      return;
    }
    names.changed[nameId]! |= REPORTED;
    this.report('convert-metric-key-normalized', line, ns - this.lineStart + 1, { name: names.raw.text(nameId), new: this.strings.text(keyId) });
  }

  /**
   * The mapping decisions of a label (key renamed or invalid, value changed or empty): each reported
   * the first time the label is met, counted every time. Returns whether the label is kept.
   */
  private pairProblem(id: number, flags: number, buf: Uint8Array, r: number, line: number): boolean {
    const pairs = this.pairs;
    const first = (flags & REPORTED) === 0;
    if (first) pairs.changed[id]! |= REPORTED;
    const ks = this.labels[r]!;
    const column = ks - this.lineStart + 1;
    const label = first ? excerpt(buf, ks, this.labels[r + 1]!) : '';
    const note = (rule: ConvertRuleId, values: TemplateValues & { label?: string }) => (first ? this.report(rule, line, column, values) : this.count(rule));
    if ((flags & PAIR_KEY_INVALID) !== 0) {
      note('convert-dimension-key-invalid', { label });
      return false;
    }
    if ((flags & PAIR_KEY_CHANGED) !== 0) note('convert-dimension-key-normalized', { label, new: first ? this.strings.text(pairs.out[id]!) : '' });
    if ((flags & PAIR_VALUE_EMPTY) !== 0) {
      note('convert-dimension-empty', { label });
      return false;
    }
    if ((flags & PAIR_VALUE_CHANGED) !== 0)
      note('convert-dimension-value-normalized', { label, max: this.options.metrics?.dimensionValueMaxLength ?? METRICS_DEFAULTS.dimensionValueMaxLength });
    return true;
  }

  /** Counts a rule without a problem (a repeat of one already reported). */
  private count(rule: ConvertRuleId): void {
    this.counts.byRule[rule] = (this.counts.byRule[rule] ?? 0) + 1;
  }

  /** First sight of a label: its key and value through the normalizers, the flags of what changed. */
  private fillPair(id: number, buf: Uint8Array, r: number): void {
    const labels = this.labels;
    const ks = labels[r]!;
    const ke = labels[r + 1]!;
    const pairs = this.pairs;
    let flags = isWord(buf, ks, ke, W_LE) || isWord(buf, ks, ke, W_QUANTILE) ? PAIR_BUCKET : 0;
    const rawKey = decoder.decode(buf.subarray(ks, ke));
    const key = normalizeDimensionKey(rawKey, this.normalizeOptions);
    pairs.out[id] = NONE;
    if (key === null) {
      pairs.changed[id] = flags | PAIR_KEY_INVALID;
      return;
    }
    if (key !== rawKey) flags |= PAIR_KEY_CHANGED;
    pairs.out[id] = this.internString(key);
    const vid = this.internValue(buf, labels[r + 2]!, labels[r + 3]!, labels[r + 4]!);
    const raw = this.labelValues.raw.text(vid);
    // the normalizer answers in the escaped form; the batch holds values unescaped (the writer escapes)
    const escaped = raw.length === 0 ? null : normalizeDimensionValue(raw, this.normalizeOptions);
    if (escaped === null) {
      pairs.changed[id] = flags | PAIR_VALUE_EMPTY;
      return;
    }
    const value = unescapeBare(escaped);
    if (value !== raw) flags |= PAIR_VALUE_CHANGED;
    pairs.value[id] = this.internString(value);
    pairs.len[id] = 2 + key.length + escapedDimensionValueLength(value);
    pairs.changed[id] = flags;
  }

  /** Label sets `{...}` (raw bytes) → their dimensions in `setPool` (`out`: offset), written length (`len`), state (`changed`). */
  private readonly sets = new Normalized();
  /** Per cached set: the dimension count, then (key id, value id) pairs. */
  private setPool = new Int32Array(256);
  private setPoolLength = 0;
  /** The set of the sample being read: its id when cached and clean, else -1. */
  private setId = -1;
  /** The interned candidate of the sample being read (its bytes up to the first '}'), or -1. */
  private setCandidate = -1;
  /** End of the candidate (just past its '}'). */
  private setEnd = 0;
  /** End of the sample's own label set as parsed. */
  private sampleSetEnd = -1;

  /**
   * The id of the label set at `buf[j]` (`{`) up to its first `}`, interned; -1 when none is within
   * `SET_MAX_BYTES`. Why this is sound: only a set that parsed cleanly with exactly these bytes
   * is marked `SET_CLEAN`, and a `}` inside a quoted value cannot end such bytes (the quote would
   * be open), so a hit is the whole set. The search is bounded, so it stays linear.
   */
  private setOf(buf: Uint8Array, j: number, end: number): number {
    const limit = Math.min(end, j + SET_MAX_BYTES);
    let k = j + 1;
    while (k < limit && buf[k] !== Byte.CLOSE_BRACE) k++;
    if (k >= limit) return -1;
    this.setEnd = k + 1;
    const sets = this.sets;
    const id = sets.raw.intern(buf, j, k + 1);
    sets.ensure(id);
    if (sets.out[id] === UNKNOWN) sets.changed[id] = SET_UNKNOWN;
    return id;
  }

  /** Keeps the dimensions `[from, to)` of the batch as the candidate set's (it parsed cleanly). */
  private keepSet(batch: MetricBatch, from: number, to: number, written: number): void {
    const sets = this.sets;
    const id = this.setCandidate;
    const n = to - from;
    const need = this.setPoolLength + 1 + 2 * n;
    if (need > this.setPool.length) {
      const grown = new Int32Array(Math.max(need, this.setPool.length * 2));
      grown.set(this.setPool.subarray(0, this.setPoolLength));
      this.setPool = grown;
    }
    const pool = this.setPool;
    const at = this.setPoolLength;
    pool[at] = n;
    for (let k = 0; k < n; k++) {
      pool[at + 1 + 2 * k] = batch.dimKeys[from + k]!;
      pool[at + 2 + 2 * k] = batch.dimValues[from + k]!;
    }
    this.setPoolLength = need;
    sets.out[id] = at;
    sets.len[id] = written;
    sets.changed[id] = SET_CLEAN;
  }

  private setsGeneration = 0;

  /** Whether the output table or a raw table went past the string budget (checked between points). */
  private overBudget(): boolean {
    const max = this.options.maxStringBytes;
    return (
      this.strings.heldBytes > max ||
      this.names.raw.heldBytes > max ||
      this.pairs.raw.heldBytes > max ||
      this.labelValues.raw.heldBytes > max ||
      this.series.heldBytes > max ||
      this.sets.raw.heldBytes > max ||
      this.known.table.heldBytes > max ||
      this.families.heldBytes > max ||
      this.setPoolLength * 4 > max
    );
  }

  /** Interns a label value by the bytes it stands for (escapes resolved). */
  private internValue(buf: Uint8Array, vs: number, ve: number, escaped: number): number {
    if (escaped === 0) return this.labelValues.raw.intern(buf, vs, ve);
    if (this.unescaped.length < ve - vs) this.unescaped = new Uint8Array(2 * (ve - vs));
    const out = this.unescaped;
    let n = 0;
    for (let i = vs; i < ve; i++) {
      let c = buf[i]!;
      if (c === Byte.BACKSLASH) {
        const next = buf[i + 1]!;
        // \\ \" \n stand for one byte; any other escaped byte keeps its backslash (as the server's lexer does)
        if (next === Byte.BACKSLASH || next === Byte.QUOTE || next === Byte.LOWER_N) {
          c = next === Byte.LOWER_N ? Byte.LF : next;
          i++;
        }
      }
      out[n++] = c;
    }
    return this.labelValues.raw.intern(out, 0, n);
  }

  private fillName(id: number): void {
    const names = this.names;
    const raw = names.raw.text(id);
    const prefixed = this.options.metricPrefix + raw;
    const key = normalizeMetricKey(prefixed, this.normalizeOptions);
    if (key === null) {
      names.out[id] = NONE;
      // 'dt.' is reserved (line-protocol rule metric-key-reserved): named as the reason when it is the only one
      const reserved = prefixed.startsWith(WORDS.RESERVED_KEY_PREFIX) && normalizeMetricKey(`xx${prefixed.slice(2)}`, this.normalizeOptions) !== null;
      names.changed[id] = reserved ? NAME_RESERVED : 0;
      return;
    }
    names.out[id] = this.internString(key);
    names.len[id] = key.length;
    names.changed[id] = key !== prefixed ? NAME_CHANGED : 0;
  }

  private scratch = new Uint8Array(256);
  private readonly encoder = new TextEncoder();

  /** Interns a JS string into the output table. */
  private internString(s: string): number {
    if (this.scratch.length < s.length * 3) this.scratch = new Uint8Array(s.length * 3 + 16);
    const { written } = this.encoder.encodeInto(s, this.scratch);
    return this.strings.intern(this.scratch, 0, written);
  }

  /** Hands the batch on (when it has points) and applies the string budgets. */
  private flush(): void {
    const batch = this.batch;
    if (batch.length > 0) this.sink.points(batch);
    batch.clear();
    const max = this.options.maxStringBytes;
    if (this.strings.heldBytes > max) {
      this.strings.clear();
      batch.generation++;
      this.names.forgetOutputs();
      this.pairs.forgetOutputs();
      this.labelValues.forgetOutputs();
    }
    // known series hold name and set ids: they go with either, or past their own budget
    let forget = this.known.table.heldBytes > max;
    if (this.names.raw.heldBytes > max) {
      this.names.clear();
      forget = true;
    }
    if (this.pairs.raw.heldBytes > max) this.pairs.clear();
    // cached sets hold output ids: they go with the output table, or past their own budget
    if (batch.generation !== this.setsGeneration || this.sets.raw.heldBytes > max || this.setPoolLength * 4 > max) {
      this.sets.clear();
      this.setPoolLength = 0;
      this.setsGeneration = batch.generation;
      forget = true;
    }
    if (forget) {
      this.known.clear();
      this.previous = NO_LINK;
      this.expected = NO_LINK;
    }
    if (this.labelValues.raw.heldBytes > max) this.labelValues.clear();
    if (this.series.heldBytes > max) this.series.clear();
    if (this.families.heldBytes > max) {
      this.families.clear();
      this.familyTypes.fill(UNKNOWN);
      this.names.roleEpoch.fill(-1);
      if (this.familyEpoch !== NO_FAMILY) this.familyEpoch = --this.orphanEpoch;
    }
  }

  // --- problems (the slow path) -----------------------------------------------------------------------

  /** Counts a rule and hands its problem to the sink. */
  private report(rule: ConvertRuleId, line: number, column: number, values: TemplateValues & { name?: string; label?: string }): void {
    const row = convertRule(rule);
    const counts = this.counts;
    counts.byRule[rule] = (counts.byRule[rule] ?? 0) + 1;
    if (row.kind === 'invalid') counts.invalid++;
    if (this.sink.problem === undefined) return;
    const problem: ConvertProblem = { kind: row.kind, rule, line, column, message: formatTemplate(row.report, values) };
    this.sink.problem(problem);
  }

  /** An unreadable line, with the offending token. */
  private invalid(rule: ConvertRuleId, line: number, at: number, buf: Uint8Array, ts: number, te: number, hint = ''): void {
    this.report(rule, line, at - this.lineStart + 1, { token: excerpt(buf, ts, Math.min(te, ts + TOKEN_EXCERPT)), hint });
  }

  /**
   * A mapping decision on sample `buf[ns, ne)`. `once`: reported to the sink the first time only
   * (per rule), counted every time.
   */
  private decided(
    rule: ConvertRuleId,
    line: number,
    at: number,
    buf: Uint8Array,
    ns: number,
    ne: number,
    once: boolean,
    tokenBuf?: Uint8Array,
    ts = 0,
    te = 0,
  ): void {
    if (once && (this.counts.byRule[rule] ?? 0) > 0) {
      this.counts.byRule[rule]!++;
      return;
    }
    const token = tokenBuf === undefined ? '' : excerpt(tokenBuf, ts, te);
    this.report(rule, line, at - this.lineStart + 1, { name: excerpt(buf, ns, ne), token, label: token });
  }

  private dropValue(value: Value, line: number, buf: Uint8Array, ns: number, ne: number, vs: number, ve: number): void {
    this.report(value === Value.NAN ? 'convert-value-nan' : 'convert-value-infinite', line, vs - this.lineStart + 1, {
      name: excerpt(buf, ns, ne),
      token: excerpt(buf, vs, ve),
    });
  }
}

/**
 * The fast path of a sample value: a decimal `-?digits[.digits][e[+-]digits]` of at most
 * {@link MAX_PLAIN_DIGITS} digits and a decimal exponent within what doubles hold exactly (10^22)
 * is `mantissa / 10^k` or `mantissa * 10^k`, one correctly rounded operation on exact operands
 * (Clinger's fast path; `parseNumberTo` computes the same). Parsed while the value's end is found,
 * so its bytes are read once. Writes `out[0]`; returns the offset past the number, or -1 for
 * anything else (it then takes `parseValue`).
 */
function plainNumber(buf: Uint8Array, i: number, end: number, out: Float64Array): number {
  const negative = buf[i] === Byte.MINUS;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let c = 0;
  while (i < end && (c = buf[i]! - Byte.ZERO) >= 0 && c <= 9) {
    mantissa = mantissa * 10 + c;
    digits++;
    i++;
  }
  if (i < end && buf[i] === Byte.DOT) {
    i++;
    while (i < end && (c = buf[i]! - Byte.ZERO) >= 0 && c <= 9) {
      mantissa = mantissa * 10 + c;
      digits++;
      scale--;
      i++;
    }
  }
  if (digits === 0 || digits > MAX_PLAIN_DIGITS) return -1;
  if (i < end && (buf[i]! | 0x20) === Byte.LOWER_E) {
    i++;
    const minus = i < end && buf[i] === Byte.MINUS;
    if (i < end && (minus || buf[i] === Byte.PLUS)) i++;
    let e = 0;
    const from = i;
    while (i < end && (c = buf[i]! - Byte.ZERO) >= 0 && c <= 9 && e < 1000) {
      e = e * 10 + c;
      i++;
    }
    if (i === from) return -1;
    scale += minus ? -e : e;
  }
  if ((i < end && buf[i]! > Byte.SPACE) || scale < -22 || scale > 22) return -1;
  const x = scale < 0 ? mantissa / POW10[-scale]! : mantissa * POW10[scale]!;
  out[0] = negative ? -x : x;
  return i;
}

/** Decoded text of `buf[s, e)`, at most {@link TOKEN_EXCERPT} bytes (problems only). */
function excerpt(buf: Uint8Array, s: number, e: number): string {
  return decoder.decode(buf.subarray(s, Math.min(e, s + TOKEN_EXCERPT)));
}

/** Removes the backslashes of a bare escaped dimension value (`a\ b` → `a b`). */
function unescapeBare(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === Byte.BACKSLASH && i + 1 < s.length) {
      out += s[i + 1];
      i++;
    } else out += s[i];
  }
  return out;
}

/**
 * A converter of the Prometheus text exposition format 0.0.4 (`text/plain; version=0.0.4`).
 * @example
 * const c = prometheusConverter({ points: (b) => out.push(writeBatchLines(b)) });
 * c.push(new TextEncoder().encode('# TYPE node_load1 gauge\nnode_load1{job="api"} 1\n'));
 * c.end(); // out: ['node_load1,job=api gauge,1\n']
 */
export function prometheusConverter(sink: ConvertSink, options?: PrometheusOptions): PrometheusConverter {
  return new PrometheusConverter(sink, options, false);
}

/**
 * A converter of OpenMetrics 1.0 text (`application/openmetrics-text`): timestamps in seconds,
 * `_total` counters, `# EOF`, exemplars ignored.
 * @example openMetricsConverter(sink).push(bytes)
 */
export function openMetricsConverter(sink: ConvertSink, options?: PrometheusOptions): PrometheusConverter {
  return new PrometheusConverter(sink, options, true);
}

/** What {@link prometheusToLines} gives. */
export interface PrometheusLinesResult {
  /** The line protocol text, one LF-terminated line per point. */
  text: string;
  /** The converter's counts. */
  counts: ConvertCounts;
  /** Every problem, in input order. */
  problems: ConvertProblem[];
}

/**
 * Converts one whole exposition to line protocol text (a fresh series state: counters give their
 * baselines only; keep a {@link PrometheusConverter} across scrapes for deltas).
 * @example prometheusToLines('node_load1 0.5\n').text // 'node_load1 gauge,0.5\n'
 */
export function prometheusToLines(
  input: string | Uint8Array,
  options?: PrometheusOptions & { openMetrics?: boolean },
  write?: (batch: MetricBatchType) => string,
): PrometheusLinesResult {
  const { openMetrics = false, ...rest } = options ?? {};
  let text = '';
  const problems: ConvertProblem[] = [];
  const writer = write ?? defaultWrite();
  const converter = new PrometheusConverter(
    {
      points: (batch) => {
        text += writer(batch);
      },
      problem: (p) => problems.push(p),
    },
    rest,
    openMetrics,
  );
  converter.push(typeof input === 'string' ? new TextEncoder().encode(input) : input);
  converter.end();
  return { text, counts: converter.counts, problems };
}

function defaultWrite(): (batch: MetricBatchType) => string {
  const w = new LineWriter();
  return (batch) => w.write(batch);
}
