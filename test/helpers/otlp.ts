/**
 * The test oracle for OTLP: protobufjs with the official opentelemetry-proto definitions
 * (test/fixtures/otlp/proto, copied with their origin), plus fast-check arbitraries of
 * `ExportMetricsServiceRequest` objects (protobufjs JSON-ish shape, camelCase fields).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import protobuf from 'protobufjs';

// beside this file, or from the package root when bundled elsewhere (fuzz/out/)
const besideHelpers = fileURLToPath(new URL('../fixtures/otlp/proto/', import.meta.url));
const protoRoot = existsSync(besideHelpers) ? besideHelpers : join(process.cwd(), 'test/fixtures/otlp/proto');

function load(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(protoRoot, target);
  root.loadSync('opentelemetry/proto/collector/metrics/v1/metrics_service.proto');
  return root;
}

/** The loaded schema. */
export const otlpRoot = load();
/** `ExportMetricsServiceRequest`. */
export const RequestType = otlpRoot.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
/** `ExportMetricsServiceResponse`. */
export const ResponseType = otlpRoot.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse');

/** Encodes a request object (camelCase fields, as protobufjs takes them). */
export function encodeRequest(request: object): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(RequestType.encode(RequestType.fromObject(request)).finish());
}

/** Decodes a request with the oracle; `undefined` when it fails. */
export function decodeRequest(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    return RequestType.toObject(RequestType.decode(bytes), { longs: String, defaults: false, arrays: true }) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** One nanosecond timestamp (as a string, for int64 fields) of epoch ms. */
export function nanos(ms: number): string {
  return (BigInt(ms) * 1_000_000n).toString();
}

/** A string attribute. */
export function attr(key: string, value: string): object {
  return { key, value: { stringValue: value } };
}

/** A request of one resource, one scope, the given metrics. */
export function request(metrics: object[], resourceAttributes: object[] = []): object {
  return { resourceMetrics: [{ resource: { attributes: resourceAttributes }, scopeMetrics: [{ scope: { name: 'test' }, metrics }] }] };
}

const T0 = 1_700_000_000_000;

const keyArb = fc.stringMatching(/^[a-z][a-z0-9_.]{0,12}$/);
const valueArb = fc.oneof(
  fc.record({ stringValue: fc.string({ maxLength: 12 }) }),
  fc.record({ intValue: fc.integer({ min: -1000, max: 1000 }) }),
  fc.record({ boolValue: fc.boolean() }),
  fc.record({ doubleValue: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
);
const attributesArb = fc.array(fc.record({ key: keyArb, value: valueArb }), { maxLength: 6 });
const timeArb = fc.integer({ min: 0, max: 100_000 }).map((d) => nanos(T0 + d));
const doubleArb = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY));

const numberPointArb = fc
  .record(
    {
      attributes: attributesArb,
      timeUnixNano: timeArb,
      asDouble: doubleArb,
      asInt: fc.integer({ min: -1_000_000, max: 1_000_000 }),
    },
    { requiredKeys: ['attributes', 'timeUnixNano'] },
  )
  .map((p) => {
    // a oneof: keep one of the two values
    if (p.asDouble !== undefined && p.asInt !== undefined) delete (p as { asInt?: number }).asInt;
    return p;
  });

const histogramPointArb = fc
  .record({
    attributes: attributesArb,
    timeUnixNano: timeArb,
    bounds: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1000, max: 1000 }), { maxLength: 5 }),
    sorted: fc.boolean(),
    counts: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 7, maxLength: 7 }),
    sum: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { nil: undefined }),
    min: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { nil: undefined }),
  })
  .map((h) => {
    const bounds = h.sorted ? [...new Set(h.bounds)].sort((a, b) => a - b) : h.bounds;
    const bucketCounts = h.counts.slice(0, bounds.length + 1);
    const count = bucketCounts.reduce((a, b) => a + b, 0);
    const p: Record<string, unknown> = { attributes: h.attributes, timeUnixNano: h.timeUnixNano, explicitBounds: bounds, bucketCounts, count };
    if (h.sum !== undefined) p.sum = h.sum;
    if (h.min !== undefined) p.min = h.min;
    return p;
  });

const nameArb = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9_.]{1,20}$/), fc.constantFrom('bad name!', '', '__', 'Upper.Case'));

/** A metric of any kind and temporality. */
export const metricArb = fc.oneof(
  fc.record({ name: nameArb, unit: fc.constantFrom('', 'ms', 'By'), gauge: fc.record({ dataPoints: fc.array(numberPointArb, { maxLength: 4 }) }) }),
  fc.record({
    name: nameArb,
    sum: fc.record({ dataPoints: fc.array(numberPointArb, { maxLength: 4 }), aggregationTemporality: fc.constantFrom(0, 1, 2), isMonotonic: fc.boolean() }),
  }),
  fc.record({
    name: nameArb,
    histogram: fc.record({ dataPoints: fc.array(histogramPointArb, { maxLength: 3 }), aggregationTemporality: fc.constantFrom(1, 2) }),
  }),
  fc.record({
    name: nameArb,
    summary: fc.record({
      dataPoints: fc.array(
        fc.record({ attributes: attributesArb, timeUnixNano: timeArb, count: fc.integer({ min: 0, max: 9 }), sum: fc.double({ noNaN: true }) }),
        { maxLength: 2 },
      ),
    }),
  }),
);

/** A whole request. */
export const requestArb = fc
  .array(
    fc.record({
      resource: fc.record({ attributes: attributesArb }),
      scopeMetrics: fc.array(fc.record({ scope: fc.record({ name: fc.string({ maxLength: 8 }) }), metrics: fc.array(metricArb, { maxLength: 4 }) }), {
        maxLength: 3,
      }),
    }),
    { maxLength: 3 },
  )
  .map((resourceMetrics) => ({ resourceMetrics }));

/** A byte mutation: one flipped, the rest cut, or a few inserted (positions modulo the length). */
export type Mutation = { kind: 'flip'; at: number; byte: number } | { kind: 'cut'; at: number } | { kind: 'insert'; at: number; bytes: Uint8Array };

/** Arbitrary mutations. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }) }),
);

/** Applies mutations in order. */
export function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = Uint8Array.from(bytes);
  for (const m of mutations) {
    if (out.length === 0) break;
    const at = m.at % out.length;
    if (m.kind === 'flip') out[at] = m.byte;
    else if (m.kind === 'cut') out = out.subarray(0, at);
    else out = Uint8Array.from([...out.subarray(0, at), ...m.bytes, ...out.subarray(at)]);
  }
  return out;
}

/** Data points in an oracle-decoded request. */
export function oraclePoints(decoded: Record<string, unknown>): number {
  let n = 0;
  for (const rm of (decoded.resourceMetrics as Record<string, any>[] | undefined) ?? [])
    for (const sm of rm.scopeMetrics ?? [])
      for (const m of sm.metrics ?? []) for (const k of ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary']) n += m[k]?.dataPoints?.length ?? 0;
  return n;
}
