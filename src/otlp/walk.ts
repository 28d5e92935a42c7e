/**
 * One pass over an `ExportMetricsServiceRequest` (opentelemetry-proto `metrics_service.proto`,
 * `metrics.proto`), judging every data point as Dynatrace's OTLP metrics ingest does
 * (docs/spec/otlp-metrics.md). Messages are walked over the bytes: attribute keys and values are byte
 * ranges, a point is a handful of numbers in fields of the walker, and validate-only mode allocates
 * nothing per point. Problems go to a host on the problem path only; accepted points go to an optional
 * sink (the typed path).
 *
 * A message whose fields may come in any order is read in two passes where a later field decides how
 * to read an earlier one (a Sum's temporality follows its points on the wire): the first pass reads the
 * few scalar fields and skips the rest by length.
 *
 * @module
 */
import type { ResolvedOtlpOptions } from '../protocol/otlp-options.js';
import { OtlpCode, WireProblem } from '../protocol/otlp-rules.js';
import { F64, WireReader, WireType, loadDouble, loadFixed64, loadNanosAsMillis, loadSfixed64, utf16Length } from './wire.js';

/** Metric data kinds, by their field number in `Metric`. */
export const MetricKind = { NONE: 0, GAUGE: 5, SUM: 7, HISTOGRAM: 9, EXPONENTIAL_HISTOGRAM: 10, SUMMARY: 11 } as const;
/** `AggregationTemporality`. */
export const Temporality = { UNSPECIFIED: 0, DELTA: 1, CUMULATIVE: 2 } as const;
/** What a point becomes at Dynatrace. */
export const PointShape = { GAUGE: 0, SUMMARY: 1, COUNT: 2 } as const;
/** AnyValue kinds of an attribute value (0: absent). */
export const ValueKind = { NONE: 0, STRING: 1, BOOL: 2, INT: 3, DOUBLE: 4, ARRAY: 5, KVLIST: 6, BYTES: 7, STRINDEX: 8 } as const;

/** Receives problems (problem path only: may allocate). */
export interface OtlpWalkHost {
  /** A rule hit at the walker's current place (`w.resourceIndex` ... `w.attributeIndex`). */
  problem(code: number, w: OtlpWalker, n: number, max: number): void;
}

/** Receives accepted points (the typed path). Reads the point from the walker's fields. */
export interface OtlpPointSink {
  /** One accepted point; its attributes are read with {@link OtlpWalker.forEachPointAttribute}. */
  point(w: OtlpWalker): void;
}

// character classes of names and keys (docs: metric keys A-Z a-z 0-9 - _ .; dimension keys lowercase)
const NAME_OK = 1;
const KEY_OK = 2;
const ALNUM = 4;
const LETTER = 8;
const CLASS = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256);
  for (let c = 0x30; c <= 0x39; c++) t[c] = NAME_OK | KEY_OK | ALNUM;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = NAME_OK | KEY_OK | ALNUM | LETTER;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = NAME_OK | ALNUM | LETTER;
  for (const c of [0x2d, 0x5f, 0x2e]) t[c] = NAME_OK | KEY_OK;
  return t;
})();

/**
 * The walker. Reuse one per validator; {@link OtlpWalker.walk} resets it.
 * @internal
 */
export class OtlpWalker {
  readonly r = new WireReader();
  readonly o: ResolvedOtlpOptions;
  host: OtlpWalkHost | undefined;
  sink: OtlpPointSink | undefined;
  /** Receives every well-formed point before it is judged (the converter: it maps what Dynatrace rejects). */
  rawSink: OtlpPointSink | undefined;

  // --- counts of the request ---
  points = 0;
  rejected = 0;
  changed = 0;
  resources = 0;
  metrics = 0;

  // --- the place ---
  resourceIndex = -1;
  scopeIndex = -1;
  metricIndex = -1;
  pointIndex = -1;
  attributeIndex = -1;
  /** Byte offset of the current message (point, or metric). */
  at = 0;

  // --- the current metric ---
  nameStart = 0;
  nameEnd = 0;
  unitStart = 0;
  unitEnd = 0;
  kind = 0;
  temporality = 0;
  monotonic = false;
  /** Rule code rejecting every point of this metric (0: none). */
  metricReject = 0;
  /** Name rule of this metric: METRIC_NAME_INVALID rejects, NORMALIZED/TOO_LONG change. */
  nameRule = 0;
  nameUnits = 0;

  // --- the current point ---
  attrStart = 0;
  attrEnd = 0;
  /** Start and end of the point message (the typed path re-reads attributes in it). */
  pointStart = 0;
  pointEnd = 0;
  attrCount = 0;
  attrChanges = 0;
  shape = 0;
  timeMs = -1;
  value = 0;
  count = 0;
  sum = 0;
  min = 0;
  max = 0;
  hasSum = false;
  hasMin = false;
  hasMax = false;
  hasValue = false;
  /** The value came as `as_int` (a change of type resets a cumulative series). */
  valueIsInt = false;
  flags = 0;
  /** Histogram bounds and counts as byte ranges (packed) or -1 (the typed path re-reads them). */
  boundsCount = 0;
  bucketCount = 0;
  boundsUnsorted = false;
  private lastBound = 0;

  // --- the current attribute ---
  keyStart = 0;
  keyEnd = 0;
  valueKind = 0;
  valueStart = 0;
  valueEnd = 0;
  valueBool = false;
  valueNumber = 0;

  // --- resource and scope keys ('all' mode) ---
  private outerKeys = new Int32Array(64);
  private outerKeyCount = 0;
  private resourceKeyCount = 0;

  constructor(options: ResolvedOtlpOptions) {
    this.o = options;
  }

  /** Walks `buf[start, end)`; `false` on a wire problem (then `r.problem`, `r.problemAt`). */
  walk(buf: Uint8Array, start: number, end: number): boolean {
    this.r.reset(buf, start);
    this.points = this.rejected = this.changed = this.resources = this.metrics = 0;
    this.resourceIndex = this.scopeIndex = this.metricIndex = this.pointIndex = this.attributeIndex = -1;
    const r = this.r;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      if (field === 0) return r.fail(WireProblem.FIELD_ZERO, tagAt);
      if (field === 1) {
        const s = this.message(wt, end, tagAt, 1);
        if (s < 0) return false;
        this.resourceIndex++;
        this.resources++;
        this.scopeIndex = this.metricIndex = this.pointIndex = this.attributeIndex = -1;
        if (!this.resourceMetrics(s, r.pos, 1)) return false;
      } else if (!r.skip(wt, end, tagAt)) return false;
    }
    return true;
  }

  /**
   * Enters a length-delimited message field: checks the wire type and the depth, returns its start
   * (then `r.pos` is its end) or -1.
   */
  private message(wt: number, end: number, tagAt: number, depth: number): number {
    const r = this.r;
    if (wt !== WireType.LEN) return r.fail(WireProblem.WIRE_TYPE, tagAt) || -1;
    if (depth > this.o.maxNestingDepth) return r.fail(WireProblem.TOO_DEEP, tagAt) || -1;
    const n = r.length(end);
    if (n < 0) return -1;
    const s = r.pos;
    r.pos = s + n;
    return s;
  }

  /** A string field: wire type, length and UTF-8 checked; returns its start (`r.pos` is its end) or -1. */
  private string(wt: number, end: number, tagAt: number): number {
    const r = this.r;
    if (wt !== WireType.LEN) return r.fail(WireProblem.WIRE_TYPE, tagAt) || -1;
    const n = r.length(end);
    if (n < 0) return -1;
    const s = r.pos;
    r.pos = s + n;
    if (utf16Length(r.buf, s, s + n) < 0) return r.fail(WireProblem.UTF8, s) || -1;
    return s;
  }

  /** A scalar field of wire type `want`, skipped (its value is not needed); false on a problem. */
  private scalar(wt: number, want: number, end: number, tagAt: number): boolean {
    if (wt !== want) return this.r.fail(WireProblem.WIRE_TYPE, tagAt);
    return this.r.skip(wt, end, tagAt);
  }

  private resourceMetrics(start: number, end: number, depth: number): boolean {
    const r = this.r;
    // pass 1: the resource (its attributes may count as dimensions), the schema url
    this.outerKeyCount = 0;
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      if (field === 0) return r.fail(WireProblem.FIELD_ZERO, tagAt);
      if (field === 1) {
        const s = this.message(wt, end, tagAt, depth + 1);
        if (s < 0) return false;
        const e = r.pos;
        this.outerKeyCount = 0;
        if (!this.attributesOf(s, e, 1, depth + 1, true)) return false;
        r.pos = e;
      } else if (field === 3) {
        if (this.string(wt, end, tagAt) < 0) return false;
      } else if (!r.skip(wt, end, tagAt)) return false;
    }
    this.resourceKeyCount = this.outerKeyCount;
    // pass 2: the scopes
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      if (field === 2) {
        const s = this.message(wt, end, tagAt, depth + 1);
        if (s < 0) return false;
        const e = r.pos;
        this.scopeIndex++;
        this.metricIndex = this.pointIndex = this.attributeIndex = -1;
        if (!this.scopeMetrics(s, e, depth + 1)) return false;
        r.pos = e;
      } else if (!r.skip(wt, end, tagAt)) return false;
    }
    return true;
  }

  private scopeMetrics(start: number, end: number, depth: number): boolean {
    const r = this.r;
    this.outerKeyCount = this.resourceKeyCount;
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      if (field === 0) return r.fail(WireProblem.FIELD_ZERO, tagAt);
      if (field === 1) {
        const s = this.message(wt, end, tagAt, depth + 1);
        if (s < 0) return false;
        const e = r.pos;
        this.outerKeyCount = this.resourceKeyCount;
        if (!this.scope(s, e, depth + 1)) return false;
        r.pos = e;
      } else if (field === 3) {
        if (this.string(wt, end, tagAt) < 0) return false;
      } else if (!r.skip(wt, end, tagAt)) return false;
    }
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      if (field === 2) {
        const s = this.message(wt, end, tagAt, depth + 1);
        if (s < 0) return false;
        const e = r.pos;
        this.metricIndex++;
        this.pointIndex = this.attributeIndex = -1;
        this.metrics++;
        if (!this.metric(s, e, depth + 1)) return false;
        r.pos = e;
      } else if (!r.skip(wt, end, tagAt)) return false;
    }
    return true;
  }

  /** InstrumentationScope: name 1, version 2, attributes 3, dropped_attributes_count 4. */
  private scope(start: number, end: number, depth: number): boolean {
    const r = this.r;
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      if (field === 0) return r.fail(WireProblem.FIELD_ZERO, tagAt);
      if (field === 1 || field === 2) {
        if (this.string(wt, end, tagAt) < 0) return false;
      } else if (field === 3) {
        const s = this.message(wt, end, tagAt, depth + 1);
        if (s < 0) return false;
        const e = r.pos;
        if (!this.keyValue(s, e, depth + 1)) return false;
        this.rememberOuterKey();
        r.pos = e;
      } else if (field === 4) {
        if (!this.scalar(wt, WireType.VARINT, end, tagAt)) return false;
      } else if (!r.skip(wt, end, tagAt)) return false;
    }
    return true;
  }

  /**
   * Walks the `KeyValue`s of field `field` of a message (Resource: 1) and, with `remember`, keeps
   * their keys as outer keys. Resource: attributes 1, dropped count 2, entity_refs 3.
   */
  private attributesOf(start: number, end: number, field: number, depth: number, remember: boolean): boolean {
    const r = this.r;
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const f = Math.floor(tag / 8);
      const wt = tag % 8;
      if (f === 0) return r.fail(WireProblem.FIELD_ZERO, tagAt);
      if (f === field) {
        const s = this.message(wt, end, tagAt, depth + 1);
        if (s < 0) return false;
        const e = r.pos;
        if (!this.keyValue(s, e, depth + 1)) return false;
        if (remember) this.rememberOuterKey();
        r.pos = e;
      } else if (f === 2) {
        if (!this.scalar(wt, WireType.VARINT, end, tagAt)) return false;
      } else if (f === 3) {
        const s = this.message(wt, end, tagAt, depth + 1);
        if (s < 0) return false;
        const e = r.pos;
        if (!this.stringsOnly(s, e)) return false;
        r.pos = e;
      } else if (!r.skip(wt, end, tagAt)) return false;
    }
    return true;
  }

  /** A message whose length-delimited fields are all strings (EntityRef). */
  private stringsOnly(start: number, end: number): boolean {
    const r = this.r;
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const wt = tag % 8;
      if (tag < 8) return r.fail(WireProblem.FIELD_ZERO, tagAt);
      if (tag < 40 && wt === WireType.LEN) {
        if (this.string(wt, end, tagAt) < 0) return false;
      } else if (tag < 40) {
        return r.fail(WireProblem.WIRE_TYPE, tagAt);
      } else if (!r.skip(wt, end, tagAt)) return false;
    }
    return true;
  }

  private rememberOuterKey(): void {
    if (this.o.countedAttributeLevels !== 'all' || this.keyEnd === this.keyStart) return;
    const n = this.outerKeyCount;
    if (2 * n + 2 > this.outerKeys.length) {
      const grown = new Int32Array(this.outerKeys.length * 2);
      grown.set(this.outerKeys);
      this.outerKeys = grown;
    }
    this.outerKeys[2 * n] = this.keyStart;
    this.outerKeys[2 * n + 1] = this.keyEnd;
    this.outerKeyCount = n + 1;
  }

  // --- metrics ---------------------------------------------------------------------------------

  /** Metric: name 1, description 2, unit 3, data 5/7/9/10/11, metadata 12. */
  private metric(start: number, end: number, depth: number): boolean {
    const r = this.r;
    this.at = start;
    this.nameStart = this.nameEnd = this.unitStart = this.unitEnd = start;
    this.kind = MetricKind.NONE;
    let dataStart = 0;
    let dataEnd = 0;
    let descriptionUnits = 0;
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      switch (field) {
        case 0:
          return r.fail(WireProblem.FIELD_ZERO, tagAt);
        case 1: {
          const s = this.string(wt, end, tagAt);
          if (s < 0) return false;
          this.nameStart = s;
          this.nameEnd = r.pos;
          break;
        }
        case 2: {
          const s = this.string(wt, end, tagAt);
          if (s < 0) return false;
          descriptionUnits = utf16Length(r.buf, s, r.pos);
          break;
        }
        case 3: {
          const s = this.string(wt, end, tagAt);
          if (s < 0) return false;
          this.unitStart = s;
          this.unitEnd = r.pos;
          break;
        }
        case 5:
        case 7:
        case 9:
        case 10:
        case 11: {
          // a oneof: the last data field wins
          const s = this.message(wt, end, tagAt, depth + 1);
          if (s < 0) return false;
          this.kind = field;
          dataStart = s;
          dataEnd = r.pos;
          break;
        }
        case 12: {
          const s = this.message(wt, end, tagAt, depth + 1);
          if (s < 0) return false;
          const e = r.pos;
          if (!this.keyValue(s, e, depth + 1)) return false;
          r.pos = e;
          break;
        }
        default:
          if (!r.skip(wt, end, tagAt)) return false;
      }
    }
    this.judgeName();
    if (this.host !== undefined) this.metricChanges(descriptionUnits);
    if (this.kind === MetricKind.NONE) return true;
    if (!this.dataHeader(dataStart, dataEnd)) return false;
    this.metricReject = this.metricRule();
    const before = this.rejected;
    if (!this.dataPoints(dataStart, dataEnd, depth + 1)) return false;
    if (this.metricReject !== 0 && this.rejected > before) {
      // one endpoint line per metric, every point counted (contrib issue 33673)
      this.pointIndex = this.attributeIndex = -1;
      this.at = start;
      this.host?.problem(this.metricReject, this, this.rejected - before, 0);
    }
    return true;
  }

  /** Problems of the metric itself that change it (unit, description): listed once per metric. */
  private metricChanges(descriptionUnits: number): void {
    const o = this.o;
    const host = this.host!;
    const buf = this.r.buf;
    if (this.nameRule === OtlpCode.METRIC_NAME_NORMALIZED || this.nameRule === OtlpCode.METRIC_NAME_TOO_LONG)
      host.problem(this.nameRule, this, this.nameUnits, o.metricKeyMaxLength);
    if (descriptionUnits > o.descriptionMaxLength) host.problem(OtlpCode.DESCRIPTION_TOO_LONG, this, descriptionUnits, o.descriptionMaxLength);
    if (this.unitEnd > this.unitStart) {
      let printable = true;
      for (let i = this.unitStart; i < this.unitEnd; i++) {
        const c = buf[i]!;
        if (c < 0x20 || c > 0x7e) printable = false;
      }
      const units = utf16Length(buf, this.unitStart, this.unitEnd);
      if (!printable) host.problem(OtlpCode.UNIT_INVALID, this, units, 0);
      else if (units > o.unitMaxLength) host.problem(OtlpCode.UNIT_TOO_LONG, this, units, o.unitMaxLength);
    }
  }

  /** Judges the metric name: no valid character rejects, invalid characters or length change it. */
  private judgeName(): void {
    const buf = this.r.buf;
    let alnum = false;
    let clean = this.nameEnd > this.nameStart && (CLASS[buf[this.nameStart]!]! & LETTER) !== 0;
    for (let i = this.nameStart; i < this.nameEnd; i++) {
      const c = CLASS[buf[i]!]!;
      if ((c & ALNUM) !== 0) alnum = true;
      if ((c & NAME_OK) === 0) clean = false;
    }
    this.nameUnits = this.nameEnd - this.nameStart;
    if (!alnum) this.nameRule = OtlpCode.METRIC_NAME_INVALID;
    else if (!clean) this.nameRule = OtlpCode.METRIC_NAME_NORMALIZED;
    else if (this.nameUnits > this.o.metricKeyMaxLength) this.nameRule = OtlpCode.METRIC_NAME_TOO_LONG;
    else this.nameRule = 0;
  }

  /** Reads temporality (field 2) and is_monotonic (3) of the data message. */
  private dataHeader(start: number, end: number): boolean {
    const r = this.r;
    this.temporality = Temporality.UNSPECIFIED;
    this.monotonic = false;
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      if (field === 0) return r.fail(WireProblem.FIELD_ZERO, tagAt);
      if ((field === 2 || field === 3) && this.kind !== MetricKind.GAUGE && this.kind !== MetricKind.SUMMARY) {
        if (wt !== WireType.VARINT) return r.fail(WireProblem.WIRE_TYPE, tagAt);
        const v = r.varint(end);
        if (v < 0) return false;
        if (field === 2) this.temporality = v > 2 ? -1 : v;
        else if (this.kind === MetricKind.SUM) this.monotonic = v !== 0;
      } else if (field === 1) {
        if (wt !== WireType.LEN) return r.fail(WireProblem.WIRE_TYPE, tagAt);
        if (!r.skip(wt, end, tagAt)) return false;
      } else if (!r.skip(wt, end, tagAt)) return false;
    }
    return true;
  }

  /** The rule that rejects every point of the current metric (the instrument × temporality table), or 0. */
  private metricRule(): number {
    const t = this.temporality;
    const unspecified = t === Temporality.UNSPECIFIED || t < 0;
    const delta = t === Temporality.DELTA || (unspecified && this.o.unspecifiedTemporality === 'delta');
    switch (this.kind) {
      case MetricKind.SUMMARY:
        return OtlpCode.SUMMARY;
      case MetricKind.SUM:
        if (delta) return 0;
        if (t === Temporality.CUMULATIVE) return this.monotonic ? OtlpCode.MONOTONIC_CUMULATIVE_SUM : 0;
        return OtlpCode.UNSPECIFIED_TEMPORALITY;
      case MetricKind.HISTOGRAM:
        if (delta) return 0;
        return t === Temporality.CUMULATIVE ? OtlpCode.CUMULATIVE_HISTOGRAM : OtlpCode.UNSPECIFIED_TEMPORALITY;
      case MetricKind.EXPONENTIAL_HISTOGRAM:
        if (delta) return 0;
        return t === Temporality.CUMULATIVE ? OtlpCode.CUMULATIVE_EXP_HISTOGRAM : OtlpCode.UNSPECIFIED_TEMPORALITY;
      default:
        return 0;
    }
  }

  private dataPoints(start: number, end: number, depth: number): boolean {
    const r = this.r;
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      if (tag === 10) {
        const s = this.message(WireType.LEN, end, tagAt, depth + 1);
        if (s < 0) return false;
        const e = r.pos;
        this.pointIndex++;
        this.attributeIndex = -1;
        this.points++;
        if (!this.point(s, e, depth + 1)) return false;
        r.pos = e;
      } else {
        // temporality and monotonic were read by dataHeader; the field 1 with a wrong wire type too
        if (!r.skip(tag % 8, end, tagAt)) return false;
      }
    }
    return true;
  }

  // --- points ----------------------------------------------------------------------------------

  private point(start: number, end: number, depth: number): boolean {
    this.at = this.pointStart = start;
    this.pointEnd = end;
    this.attrCount = this.attrChanges = 0;
    this.timeMs = -1;
    this.value = this.count = this.sum = this.min = this.max = 0;
    this.hasSum = this.hasMin = this.hasMax = this.hasValue = this.valueIsInt = false;
    this.flags = 0;
    this.boundsCount = this.bucketCount = 0;
    this.boundsUnsorted = false;
    let ok: boolean;
    switch (this.kind) {
      case MetricKind.GAUGE:
      case MetricKind.SUM:
        ok = this.numberPoint(start, end, depth);
        break;
      case MetricKind.HISTOGRAM:
        ok = this.histogramPoint(start, end, depth);
        break;
      case MetricKind.EXPONENTIAL_HISTOGRAM:
        ok = this.exponentialPoint(start, end, depth);
        break;
      default:
        ok = this.summaryPoint(start, end, depth);
    }
    if (!ok) return false;
    this.judgePoint();
    return true;
  }

  /** Applies the point rules; counts and reports. */
  private judgePoint(): void {
    this.attributeIndex = -1;
    this.rawSink?.point(this);
    if (this.metricReject !== 0) {
      this.rejected++;
      return;
    }
    if ((this.flags & 1) !== 0) {
      this.host?.problem(OtlpCode.NO_RECORDED_VALUE, this, 0, 0);
      return;
    }
    const code = this.pointRule();
    if (code !== 0) {
      this.rejected++;
      if (code === OtlpCode.TOO_MANY_DIMENSIONS) this.host?.problem(code, this, this.attrCount, this.o.maxDimensions);
      else this.host?.problem(code, this, this.bucketCount, this.boundsCount);
      return;
    }
    if (this.attrChanges !== 0 || this.nameRule !== 0) {
      this.changed++;
      if (this.host !== undefined) this.reportChanges();
    }
    this.shape =
      this.kind === MetricKind.HISTOGRAM || this.kind === MetricKind.EXPONENTIAL_HISTOGRAM
        ? PointShape.SUMMARY
        : this.kind === MetricKind.SUM && this.temporality !== Temporality.CUMULATIVE
          ? PointShape.COUNT
          : PointShape.GAUGE;
    this.sink?.point(this);
  }

  /** The rule that rejects the current point, or 0. */
  private pointRule(): number {
    if (this.nameRule === OtlpCode.METRIC_NAME_INVALID) return OtlpCode.METRIC_NAME_INVALID;
    if (this.attrCount > this.o.maxDimensions) return OtlpCode.TOO_MANY_DIMENSIONS;
    switch (this.kind) {
      case MetricKind.GAUGE:
      case MetricKind.SUM:
        if (!this.hasValue) return OtlpCode.VALUE_MISSING;
        return Number.isNaN(this.value) ? OtlpCode.VALUE_NAN : this.value === Infinity || this.value === -Infinity ? OtlpCode.VALUE_INFINITE : 0;
      case MetricKind.HISTOGRAM:
        if (this.boundsUnsorted) return OtlpCode.HISTOGRAM_BOUNDS_UNSORTED;
        if (this.bucketCount !== 0 && this.bucketCount !== this.boundsCount + 1) return OtlpCode.HISTOGRAM_BUCKETS_MISMATCH;
        return this.summaryValueRule();
      case MetricKind.EXPONENTIAL_HISTOGRAM:
        return this.summaryValueRule();
      default:
        return 0;
    }
  }

  private summaryValueRule(): number {
    const s = this.sum;
    const lo = this.min;
    const hi = this.max;
    if (Number.isNaN(s) || Number.isNaN(lo) || Number.isNaN(hi)) return OtlpCode.VALUE_NAN;
    if (!Number.isFinite(s) || !Number.isFinite(lo) || !Number.isFinite(hi)) return OtlpCode.VALUE_INFINITE;
    return 0;
  }

  /** Problem path: the changes of a kept point, attribute by attribute. */
  private reportChanges(): void {
    const host = this.host!;
    if (this.attrChanges === 0) return;
    this.forEachPointAttribute((w) => {
      const code = w.attributeRule();
      if (code === OtlpCode.DIMENSION_VALUE_TOO_LONG) host.problem(code, w, utf16Length(w.r.buf, w.valueStart, w.valueEnd), w.o.dimensionValueMaxLength);
      else if (code === OtlpCode.DIMENSION_KEY_TOO_LONG) host.problem(code, w, utf16Length(w.r.buf, w.keyStart, w.keyEnd), w.o.dimensionKeyMaxLength);
      else if (code !== 0) host.problem(code, w, 0, 0);
    });
  }

  /**
   * Calls `each` for every attribute of the current point with the walker's attribute fields set
   * (typed path and problem path). The point was read before, so its bytes are well-formed.
   */
  forEachPointAttribute(each: (w: OtlpWalker) => void): void {
    const r = this.r;
    const field = this.kind === MetricKind.HISTOGRAM ? 9 : this.kind === MetricKind.EXPONENTIAL_HISTOGRAM ? 1 : 7;
    const savedPos = r.pos;
    const end = this.pointEnd;
    r.pos = this.pointStart;
    this.attributeIndex = -1;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag === field * 8 + 2) {
        const n = r.length(end);
        const s = r.pos;
        this.attributeIndex++;
        this.keyValue(s, s + n, 0);
        r.pos = s + n;
        each(this);
      } else r.skip(tag % 8, end, tagAt);
    }
    this.attributeIndex = -1;
    r.pos = savedPos;
  }

  /** The change rule of the current attribute, or 0 (first one only: the report's choice). */
  attributeRule(): number {
    const o = this.o;
    const buf = this.r.buf;
    if (this.keyEnd === this.keyStart || this.valueKind === ValueKind.NONE || (this.valueKind === ValueKind.STRING && this.valueEnd === this.valueStart))
      return OtlpCode.DIMENSION_EMPTY;
    let clean = (CLASS[buf[this.keyStart]!]! & LETTER) !== 0;
    for (let i = this.keyStart; i < this.keyEnd; i++) if ((CLASS[buf[i]!]! & KEY_OK) === 0) clean = false;
    if (!clean) return OtlpCode.DIMENSION_KEY_NORMALIZED;
    if (this.keyEnd - this.keyStart > o.dimensionKeyMaxLength) return OtlpCode.DIMENSION_KEY_TOO_LONG;
    if (this.valueKind === ValueKind.STRING && this.valueEnd - this.valueStart > o.dimensionValueMaxLength) {
      if (utf16Length(buf, this.valueStart, this.valueEnd) > o.dimensionValueMaxLength) return OtlpCode.DIMENSION_VALUE_TOO_LONG;
    }
    return 0;
  }

  /** Counts a point attribute just read by `keyValue` (hot path: no report). */
  private countAttribute(): void {
    const code = this.attributeRule();
    if (code === OtlpCode.DIMENSION_EMPTY) {
      this.attrChanges++;
      return;
    }
    if (code !== 0) this.attrChanges++;
    if (this.o.countedAttributeLevels === 'all' && this.isOuterKey()) return;
    this.attrCount++;
  }

  /** Whether the current key is also a resource or scope key (then it replaces that one: no new dimension). */
  private isOuterKey(): boolean {
    const buf = this.r.buf;
    const ks = this.keyStart;
    const n = this.keyEnd - ks;
    const keys = this.outerKeys;
    for (let k = 0; k < this.outerKeyCount; k++) {
      const s = keys[2 * k]!;
      if (keys[2 * k + 1]! - s !== n) continue;
      let same = true;
      for (let i = 0; i < n && same; i++) same = buf[s + i] === buf[ks + i];
      if (same) return true;
    }
    return false;
  }

  /** Sets the point's attribute count base ('all' mode: the distinct outer keys count too). */
  private startAttributes(): void {
    this.attrCount = this.o.countedAttributeLevels === 'all' ? this.outerKeyCount : 0;
  }

  /** NumberDataPoint: attributes 7, start 2, time 3, as_double 4, exemplars 5, as_int 6, flags 8. */
  private numberPoint(start: number, end: number, depth: number): boolean {
    const r = this.r;
    this.startAttributes();
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      switch (field) {
        case 0:
          return r.fail(WireProblem.FIELD_ZERO, tagAt);
        case 7:
          if (!this.pointAttribute(wt, end, tagAt, depth)) return false;
          break;
        case 2:
          if (!this.fixed(wt, end, tagAt)) return false;
          break;
        case 3: {
          if (wt !== WireType.I64) return r.fail(WireProblem.WIRE_TYPE, tagAt);
          const at = r.fixed64At(end);
          if (at < 0) return false;
          loadNanosAsMillis(r.buf, at);
          this.timeMs = F64[0]!;
          break;
        }
        case 4:
        case 6: {
          if (wt !== WireType.I64) return r.fail(WireProblem.WIRE_TYPE, tagAt);
          const at = r.fixed64At(end);
          if (at < 0) return false;
          if (field === 4) loadDouble(r.buf, at);
          else loadSfixed64(r.buf, at);
          this.value = F64[0]!;
          this.valueIsInt = field === 6;
          this.hasValue = true;
          break;
        }
        case 5: {
          const s = this.message(wt, end, tagAt, depth + 1);
          if (s < 0) return false;
          const e = r.pos;
          if (!this.exemplar(s, e, depth + 1)) return false;
          r.pos = e;
          break;
        }
        case 8: {
          if (wt !== WireType.VARINT) return r.fail(WireProblem.WIRE_TYPE, tagAt);
          const v = r.varint(end);
          if (v < 0) return false;
          this.flags = v;
          break;
        }
        default:
          if (!r.skip(wt, end, tagAt)) return false;
      }
    }
    return true;
  }

  /** HistogramDataPoint: attributes 9, start 2, time 3, count 4, sum 5, bucket_counts 6, bounds 7, exemplars 8, flags 10, min 11, max 12. */
  private histogramPoint(start: number, end: number, depth: number): boolean {
    const r = this.r;
    this.startAttributes();
    this.lastBound = Number.NEGATIVE_INFINITY;
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      switch (field) {
        case 0:
          return r.fail(WireProblem.FIELD_ZERO, tagAt);
        case 9:
          if (!this.pointAttribute(wt, end, tagAt, depth)) return false;
          break;
        case 2:
          if (!this.fixed(wt, end, tagAt)) return false;
          break;
        case 3:
        case 4:
        case 5:
        case 11:
        case 12: {
          if (wt !== WireType.I64) return r.fail(WireProblem.WIRE_TYPE, tagAt);
          const at = r.fixed64At(end);
          if (at < 0) return false;
          this.summaryField(field === 3 ? 0 : field === 4 ? 1 : field === 5 ? 2 : field === 11 ? 3 : 4, at);
          break;
        }
        case 6:
        case 7: {
          // repeated fixed64 / double: packed (LEN) or one per tag (I64)
          if (wt === WireType.I64) {
            const at = r.fixed64At(end);
            if (at < 0) return false;
            if (field === 6) this.bucketCount++;
            else this.bound(at);
          } else if (wt === WireType.LEN) {
            const n = r.length(end);
            if (n < 0) return false;
            if (n % 8 !== 0) return r.fail(WireProblem.PACKED_LENGTH, tagAt);
            const s = r.pos;
            if (field === 6) this.bucketCount += n / 8;
            else for (let i = s; i < s + n; i += 8) this.bound(i);
            r.pos = s + n;
          } else return r.fail(WireProblem.WIRE_TYPE, tagAt);
          break;
        }
        case 8: {
          const s = this.message(wt, end, tagAt, depth + 1);
          if (s < 0) return false;
          const e = r.pos;
          if (!this.exemplar(s, e, depth + 1)) return false;
          r.pos = e;
          break;
        }
        case 10:
          if (!this.scalar(wt, WireType.VARINT, end, tagAt)) return false;
          this.flags = readFlags(r.buf, tagAt, r.pos);
          break;
        default:
          if (!r.skip(wt, end, tagAt)) return false;
      }
    }
    return true;
  }

  /** One explicit bound at `at`: counted, and checked to grow strictly. */
  private bound(at: number): void {
    loadDouble(this.r.buf, at);
    const b = F64[0]!;
    this.boundsCount++;
    if (!(b > this.lastBound)) this.boundsUnsorted = true;
    this.lastBound = b;
  }

  /** Stores a fixed64 field of a histogram point: 0 time, 1 count, 2 sum, 3 min, 4 max. */
  private summaryField(which: number, at: number): void {
    const buf = this.r.buf;
    if (which === 0) {
      loadNanosAsMillis(buf, at);
      this.timeMs = F64[0]!;
    } else if (which === 1) {
      loadFixed64(buf, at);
      this.count = F64[0]!;
    } else {
      loadDouble(buf, at);
      if (which === 2) {
        this.sum = F64[0]!;
        this.hasSum = true;
      } else if (which === 3) {
        this.min = F64[0]!;
        this.hasMin = true;
      } else {
        this.max = F64[0]!;
        this.hasMax = true;
      }
    }
  }

  /** ExponentialHistogramDataPoint: attributes 1, start 2, time 3, count 4, sum 5, scale 6, zero_count 7, positive 8, negative 9, flags 10, exemplars 11, min 12, max 13, zero_threshold 14. */
  private exponentialPoint(start: number, end: number, depth: number): boolean {
    const r = this.r;
    this.startAttributes();
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      switch (field) {
        case 0:
          return r.fail(WireProblem.FIELD_ZERO, tagAt);
        case 1:
          if (!this.pointAttribute(wt, end, tagAt, depth)) return false;
          break;
        case 2:
        case 7:
        case 14:
          if (!this.fixed(wt, end, tagAt)) return false;
          break;
        case 3:
        case 4:
        case 5:
        case 12:
        case 13: {
          if (wt !== WireType.I64) return r.fail(WireProblem.WIRE_TYPE, tagAt);
          const at = r.fixed64At(end);
          if (at < 0) return false;
          this.summaryField(field === 3 ? 0 : field === 4 ? 1 : field === 5 ? 2 : field === 12 ? 3 : 4, at);
          break;
        }
        case 6:
          if (!this.scalar(wt, WireType.VARINT, end, tagAt)) return false;
          break;
        case 10:
          if (!this.scalar(wt, WireType.VARINT, end, tagAt)) return false;
          this.flags = readFlags(r.buf, tagAt, r.pos);
          break;
        case 8:
        case 9: {
          const s = this.message(wt, end, tagAt, depth + 1);
          if (s < 0) return false;
          const e = r.pos;
          if (!this.buckets(s, e)) return false;
          r.pos = e;
          break;
        }
        case 11: {
          const s = this.message(wt, end, tagAt, depth + 1);
          if (s < 0) return false;
          const e = r.pos;
          if (!this.exemplar(s, e, depth + 1)) return false;
          r.pos = e;
          break;
        }
        default:
          if (!r.skip(wt, end, tagAt)) return false;
      }
    }
    return true;
  }

  /** Buckets: offset 1 (sint32), bucket_counts 2 (repeated uint64, packed or not). */
  private buckets(start: number, end: number): boolean {
    const r = this.r;
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      if (field === 0) return r.fail(WireProblem.FIELD_ZERO, tagAt);
      if (field === 1) {
        if (!this.scalar(wt, WireType.VARINT, end, tagAt)) return false;
      } else if (field === 2 && wt === WireType.LEN) {
        const n = r.length(end);
        if (n < 0) return false;
        const e = r.pos + n;
        while (r.pos < e) if (r.varint(e) < 0) return false;
      } else if (field === 2) {
        if (!this.scalar(wt, WireType.VARINT, end, tagAt)) return false;
      } else if (!r.skip(wt, end, tagAt)) return false;
    }
    return true;
  }

  /** SummaryDataPoint: attributes 7, start 2, time 3, count 4, sum 5, quantile_values 6, flags 8 (rejected as a whole; read for wire validity). */
  private summaryPoint(start: number, end: number, depth: number): boolean {
    const r = this.r;
    this.startAttributes();
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      switch (field) {
        case 0:
          return r.fail(WireProblem.FIELD_ZERO, tagAt);
        case 7:
          if (!this.pointAttribute(wt, end, tagAt, depth)) return false;
          break;
        case 2:
        case 3:
        case 4:
        case 5:
          if (!this.fixed(wt, end, tagAt)) return false;
          break;
        case 6: {
          const s = this.message(wt, end, tagAt, depth + 1);
          if (s < 0) return false;
          const e = r.pos;
          r.pos = s;
          while (r.pos < e) {
            const qAt = r.pos;
            const q = r.varint(e);
            if (q < 0) return false;
            const f = Math.floor(q / 8);
            if (f === 0) return r.fail(WireProblem.FIELD_ZERO, qAt);
            if ((f === 1 || f === 2) && q % 8 !== WireType.I64) return r.fail(WireProblem.WIRE_TYPE, qAt);
            if (!r.skip(q % 8, e, qAt)) return false;
          }
          break;
        }
        case 8:
          if (!this.scalar(wt, WireType.VARINT, end, tagAt)) return false;
          break;
        default:
          if (!r.skip(wt, end, tagAt)) return false;
      }
    }
    return true;
  }

  /** Exemplar: filtered_attributes 7, time 2, as_double 3, span_id 4, trace_id 5, as_int 6. */
  private exemplar(start: number, end: number, depth: number): boolean {
    const r = this.r;
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      if (field === 0) return r.fail(WireProblem.FIELD_ZERO, tagAt);
      if (field === 7) {
        const s = this.message(wt, end, tagAt, depth + 1);
        if (s < 0) return false;
        const e = r.pos;
        if (!this.keyValue(s, e, depth + 1)) return false;
        r.pos = e;
      } else if (field === 2 || field === 3 || field === 6) {
        if (!this.fixed(wt, end, tagAt)) return false;
      } else if (field === 4 || field === 5) {
        if (wt !== WireType.LEN) return r.fail(WireProblem.WIRE_TYPE, tagAt);
        if (!r.skip(wt, end, tagAt)) return false;
      } else if (!r.skip(wt, end, tagAt)) return false;
    }
    return true;
  }

  /** A fixed64 / double field skipped. */
  private fixed(wt: number, end: number, tagAt: number): boolean {
    if (wt !== WireType.I64) return this.r.fail(WireProblem.WIRE_TYPE, tagAt);
    return this.r.fixed64At(end) >= 0;
  }

  /** A point's KeyValue: read, then counted. */
  private pointAttribute(wt: number, end: number, tagAt: number, depth: number): boolean {
    const s = this.message(wt, end, tagAt, depth + 1);
    if (s < 0) return false;
    const e = this.r.pos;
    this.attributeIndex++;
    if (!this.keyValue(s, e, depth + 1)) return false;
    this.countAttribute();
    this.r.pos = e;
    return true;
  }

  /** KeyValue: key 1, value 2 (AnyValue), key_strindex 3. Sets the attribute fields. */
  private keyValue(start: number, end: number, depth: number): boolean {
    const r = this.r;
    this.keyStart = this.keyEnd = start;
    this.valueKind = ValueKind.NONE;
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      if (field === 0) return r.fail(WireProblem.FIELD_ZERO, tagAt);
      if (field === 1) {
        const s = this.string(wt, end, tagAt);
        if (s < 0) return false;
        this.keyStart = s;
        this.keyEnd = r.pos;
      } else if (field === 2) {
        const s = this.message(wt, end, tagAt, depth + 1);
        if (s < 0) return false;
        const e = r.pos;
        if (!this.anyValue(s, e, depth + 1, true)) return false;
        r.pos = e;
      } else if (field === 3) {
        if (!this.scalar(wt, WireType.VARINT, end, tagAt)) return false;
      } else if (!r.skip(wt, end, tagAt)) return false;
    }
    return true;
  }

  /** AnyValue (a oneof: the last field wins); `top` sets the attribute's value fields. */
  private anyValue(start: number, end: number, depth: number, top: boolean): boolean {
    const r = this.r;
    r.pos = start;
    let kind = 0;
    let vs = start;
    let ve = start;
    let num = 0;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      switch (field) {
        case 0:
          return r.fail(WireProblem.FIELD_ZERO, tagAt);
        case 1: {
          const s = this.string(wt, end, tagAt);
          if (s < 0) return false;
          kind = ValueKind.STRING;
          vs = s;
          ve = r.pos;
          break;
        }
        case 2:
        case 3:
        case 8: {
          if (wt !== WireType.VARINT) return r.fail(WireProblem.WIRE_TYPE, tagAt);
          vs = r.pos;
          num = r.varint(end);
          if (num < 0) return false;
          ve = r.pos;
          kind = field === 2 ? ValueKind.BOOL : field === 3 ? ValueKind.INT : ValueKind.STRINDEX;
          break;
        }
        case 4: {
          if (wt !== WireType.I64) return r.fail(WireProblem.WIRE_TYPE, tagAt);
          const at = r.fixed64At(end);
          if (at < 0) return false;
          loadDouble(r.buf, at);
          num = F64[0]!;
          vs = at;
          ve = at + 8;
          kind = ValueKind.DOUBLE;
          break;
        }
        case 5:
        case 6: {
          const s = this.message(wt, end, tagAt, depth + 1);
          if (s < 0) return false;
          const e = r.pos;
          if (!this.nested(s, e, depth + 1, field === 5)) return false;
          r.pos = e;
          kind = field === 5 ? ValueKind.ARRAY : ValueKind.KVLIST;
          vs = s;
          ve = e;
          break;
        }
        case 7: {
          if (wt !== WireType.LEN) return r.fail(WireProblem.WIRE_TYPE, tagAt);
          const n = r.length(end);
          if (n < 0) return false;
          vs = r.pos;
          r.pos += n;
          ve = r.pos;
          kind = ValueKind.BYTES;
          break;
        }
        default:
          if (!r.skip(wt, end, tagAt)) return false;
      }
    }
    if (top) {
      this.valueKind = kind;
      this.valueStart = vs;
      this.valueEnd = ve;
      this.valueNumber = num;
      this.valueBool = num !== 0;
    }
    return true;
  }

  /** ArrayValue (values 1: AnyValue) or KeyValueList (values 1: KeyValue). */
  private nested(start: number, end: number, depth: number, array: boolean): boolean {
    const r = this.r;
    const keyStart = this.keyStart;
    const keyEnd = this.keyEnd;
    r.pos = start;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      if (tag < 0) return false;
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      if (field === 0) return r.fail(WireProblem.FIELD_ZERO, tagAt);
      if (field === 1) {
        const s = this.message(wt, end, tagAt, depth + 1);
        if (s < 0) return false;
        const e = r.pos;
        if (!(array ? this.anyValue(s, e, depth + 1, false) : this.keyValue(s, e, depth + 1))) return false;
        r.pos = e;
      } else if (!r.skip(wt, end, tagAt)) return false;
    }
    this.keyStart = keyStart;
    this.keyEnd = keyEnd;
    return true;
  }
}

/** The flags varint of a field that ended at `end` (re-read: it was skipped as a scalar). */
function readFlags(buf: Uint8Array, tagAt: number, end: number): number {
  let i = tagAt;
  while (buf[i]! >= 0x80) i++; // the tag
  i++;
  let v = 0;
  let mul = 1;
  for (; i < end; i++) {
    v += (buf[i]! & 0x7f) * mul;
    mul *= 128;
  }
  return v;
}
