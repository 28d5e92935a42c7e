/**
 * The OTLP/JSON encoding of an `ExportMetricsServiceRequest` (what `-http` JSON exporters send and
 * what captured files often hold) re-encoded as protobuf, so the one walker judges it. The endpoint
 * itself answers JSON with 415 (docs/spec/otlp-metrics.md §3); this is for files (`dt-ingest validate
 * otlp`), never for a request the mock answers.
 *
 * Follows the OTLP/HTTP JSON mapping: lowerCamelCase keys (the proto names are accepted too), enums
 * as integers, 64-bit integers as strings or numbers, doubles also as "NaN"/"Infinity"/"-Infinity".
 * Exemplars are left out (*decided*: no rule reads them).
 *
 * @module
 */

type FieldType = 'string' | 'bool' | 'uint32' | 'int64' | 'sint32' | 'fixed64' | 'sfixed64' | 'double' | 'bytes' | 'skip' | string;
type Field = readonly [json: string, no: number, type: FieldType, repeated?: boolean];

// biome-ignore format: the schema, one message per row
const SCHEMA: Readonly<Record<string, readonly Field[]>> = {
  Request: [['resourceMetrics', 1, 'ResourceMetrics', true]],
  ResourceMetrics: [['resource', 1, 'Resource'], ['scopeMetrics', 2, 'ScopeMetrics', true], ['schemaUrl', 3, 'string']],
  Resource: [['attributes', 1, 'KeyValue', true], ['droppedAttributesCount', 2, 'uint32']],
  ScopeMetrics: [['scope', 1, 'Scope'], ['metrics', 2, 'Metric', true], ['schemaUrl', 3, 'string']],
  Scope: [['name', 1, 'string'], ['version', 2, 'string'], ['attributes', 3, 'KeyValue', true], ['droppedAttributesCount', 4, 'uint32']],
  Metric: [['name', 1, 'string'], ['description', 2, 'string'], ['unit', 3, 'string'], ['gauge', 5, 'Gauge'], ['sum', 7, 'Sum'], ['histogram', 9, 'Histogram'], ['exponentialHistogram', 10, 'ExponentialHistogram'], ['summary', 11, 'Summary'], ['metadata', 12, 'KeyValue', true]],
  Gauge: [['dataPoints', 1, 'NumberDataPoint', true]],
  Sum: [['dataPoints', 1, 'NumberDataPoint', true], ['aggregationTemporality', 2, 'uint32'], ['isMonotonic', 3, 'bool']],
  Histogram: [['dataPoints', 1, 'HistogramDataPoint', true], ['aggregationTemporality', 2, 'uint32']],
  ExponentialHistogram: [['dataPoints', 1, 'ExponentialHistogramDataPoint', true], ['aggregationTemporality', 2, 'uint32']],
  Summary: [['dataPoints', 1, 'SummaryDataPoint', true]],
  NumberDataPoint: [['attributes', 7, 'KeyValue', true], ['startTimeUnixNano', 2, 'fixed64'], ['timeUnixNano', 3, 'fixed64'], ['asDouble', 4, 'double'], ['asInt', 6, 'sfixed64'], ['exemplars', 5, 'skip'], ['flags', 8, 'uint32']],
  HistogramDataPoint: [['attributes', 9, 'KeyValue', true], ['startTimeUnixNano', 2, 'fixed64'], ['timeUnixNano', 3, 'fixed64'], ['count', 4, 'fixed64'], ['sum', 5, 'double'], ['bucketCounts', 6, 'fixed64', true], ['explicitBounds', 7, 'double', true], ['exemplars', 8, 'skip'], ['flags', 10, 'uint32'], ['min', 11, 'double'], ['max', 12, 'double']],
  ExponentialHistogramDataPoint: [['attributes', 1, 'KeyValue', true], ['startTimeUnixNano', 2, 'fixed64'], ['timeUnixNano', 3, 'fixed64'], ['count', 4, 'fixed64'], ['sum', 5, 'double'], ['scale', 6, 'sint32'], ['zeroCount', 7, 'fixed64'], ['positive', 8, 'Buckets'], ['negative', 9, 'Buckets'], ['flags', 10, 'uint32'], ['exemplars', 11, 'skip'], ['min', 12, 'double'], ['max', 13, 'double'], ['zeroThreshold', 14, 'double']],
  Buckets: [['offset', 1, 'sint32'], ['bucketCounts', 2, 'int64', true]],
  SummaryDataPoint: [['attributes', 7, 'KeyValue', true], ['startTimeUnixNano', 2, 'fixed64'], ['timeUnixNano', 3, 'fixed64'], ['count', 4, 'fixed64'], ['sum', 5, 'double'], ['quantileValues', 6, 'ValueAtQuantile', true], ['flags', 8, 'uint32']],
  ValueAtQuantile: [['quantile', 1, 'double'], ['value', 2, 'double']],
  KeyValue: [['key', 1, 'string'], ['value', 2, 'AnyValue']],
  AnyValue: [['stringValue', 1, 'string'], ['boolValue', 2, 'bool'], ['intValue', 3, 'int64'], ['doubleValue', 4, 'double'], ['arrayValue', 5, 'ArrayValue'], ['kvlistValue', 6, 'KeyValueList'], ['bytesValue', 7, 'bytes']],
  ArrayValue: [['values', 1, 'AnyValue', true]],
  KeyValueList: [['values', 1, 'KeyValue', true]],
};

/** A problem of the JSON document (its shape, not a Dynatrace rule). */
export class OtlpJsonError extends Error {
  /** Where: a JSON Pointer. */
  readonly pointer: string;
  constructor(message: string, pointer: string) {
    super(message);
    this.name = 'OtlpJsonError';
    this.pointer = pointer;
  }
}

class Bytes {
  buf = new Uint8Array(256);
  n = 0;
  need(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.n + k) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.n));
    this.buf = b;
  }
  byte(b: number): void {
    this.need(1);
    this.buf[this.n++] = b;
  }
  varint(v: bigint): void {
    let x = BigInt.asUintN(64, v);
    while (x >= 128n) {
      this.byte(Number(x & 127n) | 128);
      x >>= 7n;
    }
    this.byte(Number(x));
  }
  fixed64(v: bigint): void {
    let x = BigInt.asUintN(64, v);
    for (let i = 0; i < 8; i++) {
      this.byte(Number(x & 255n));
      x >>= 8n;
    }
  }
  double(d: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, d, true);
    this.raw(b);
  }
  raw(b: Uint8Array): void {
    this.need(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

const encoder = /* @__PURE__ */ new TextEncoder();

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function integer(v: unknown, at: string): bigint {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  throw new OtlpJsonError(`expected an integer, got ${JSON.stringify(v)}`, at);
}

function double(v: unknown, at: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw new OtlpJsonError(`expected a number, got ${JSON.stringify(v)}`, at);
}

function scalar(out: Bytes, no: number, type: FieldType, v: unknown, at: string): void {
  switch (type) {
    case 'string':
      if (typeof v !== 'string') throw new OtlpJsonError('expected a string', at);
      out.varint(BigInt((no << 3) | 2));
      lengthDelimited(out, encoder.encode(v));
      return;
    case 'bytes': {
      if (typeof v !== 'string') throw new OtlpJsonError('expected base64 text', at);
      out.varint(BigInt((no << 3) | 2));
      lengthDelimited(
        out,
        Uint8Array.from(atob(v), (c) => c.charCodeAt(0)),
      );
      return;
    }
    case 'bool':
      if (typeof v !== 'boolean') throw new OtlpJsonError('expected true or false', at);
      out.varint(BigInt(no << 3));
      out.byte(v ? 1 : 0);
      return;
    case 'uint32':
    case 'int64':
      out.varint(BigInt(no << 3));
      out.varint(integer(v, at));
      return;
    case 'sint32': {
      const x = integer(v, at);
      out.varint(BigInt(no << 3));
      out.varint(x >= 0n ? x * 2n : -x * 2n - 1n);
      return;
    }
    case 'fixed64':
    case 'sfixed64':
      out.varint(BigInt((no << 3) | 1));
      out.fixed64(integer(v, at));
      return;
    case 'double':
      out.varint(BigInt((no << 3) | 1));
      out.double(double(v, at));
      return;
  }
}

function lengthDelimited(out: Bytes, b: Uint8Array): void {
  out.varint(BigInt(b.length));
  out.raw(b);
}

function message(name: string, value: unknown, at: string, depth: number): Uint8Array {
  if (depth > 64) throw new OtlpJsonError('nested too deeply', at);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new OtlpJsonError(`expected an object (${name})`, at);
  const obj = value as Record<string, unknown>;
  const out = new Bytes();
  for (const [json, no, type, repeated] of SCHEMA[name]!) {
    const v = obj[json] ?? obj[snake(json)];
    if (v === undefined || v === null || type === 'skip') continue;
    const items = repeated ? v : [v];
    if (!Array.isArray(items)) throw new OtlpJsonError('expected an array', `${at}/${json}`);
    items.forEach((item, i) => {
      const here = repeated ? `${at}/${json}/${i}` : `${at}/${json}`;
      if (SCHEMA[type] !== undefined) {
        out.varint(BigInt((no << 3) | 2));
        lengthDelimited(out, message(type, item, here, depth + 1));
      } else scalar(out, no, type, item, here);
    });
  }
  return out.done();
}

/**
 * Encodes an OTLP/JSON `ExportMetricsServiceRequest` (text or parsed) as protobuf bytes.
 * Throws {@link OtlpJsonError} (with a JSON Pointer) for text that is not such a document.
 * @example otlpJsonToProtobuf('{"resourceMetrics":[]}').length // 0
 */
export function otlpJsonToProtobuf(json: string | object): Uint8Array {
  let doc: unknown = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (err) {
      throw new OtlpJsonError(`not JSON: ${(err as Error).message}`, '');
    }
  }
  return message('Request', doc, '', 0);
}

/** Whether bytes look like a JSON document (first non-blank byte `{`). */
export function looksJson(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0xef || b === 0xbb || b === 0xbf) continue;
    return b === 0x7b;
  }
  return false;
}
