/**
 * Differential properties of the OTLP wire reader against protobufjs with the official
 * opentelemetry-proto definitions (the oracle):
 *
 * 1. generated requests: our point and metric counts, rejected count (against a model of the rules
 *    written over the oracle's decoded objects) and typed columns (names, shapes, values, timestamps,
 *    attributes) equal what the oracle decodes;
 * 2. mutated requests (bytes flipped, cut, inserted): nothing throws, and whatever we accept the
 *    oracle decodes too, with the same number of points.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OtlpBatchDecoder } from '../../src/otlp/typed.js';
import { validateOtlpMetrics } from '../../src/otlp/validate.js';
import { decodeRequest, encodeRequest, mutate, mutationArb, requestArb } from '../helpers/otlp.js';

type Obj = Record<string, any>;
const KINDS = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;

function* metricsOf(decoded: Obj): Generator<Obj> {
  for (const rm of decoded.resourceMetrics ?? []) for (const sm of rm.scopeMetrics ?? []) yield* sm.metrics ?? [];
}

function kindOf(m: Obj): (typeof KINDS)[number] | undefined {
  return KINDS.find((k) => m[k] !== undefined);
}

function pointsOf(m: Obj): Obj[] {
  const k = kindOf(m);
  return k === undefined ? [] : (m[k].dataPoints ?? []);
}

/** The rules of docs/spec/otlp-metrics.md, written again over decoded objects (default options). */
function modelRejects(m: Obj, p: Obj): boolean {
  const kind = kindOf(m)!;
  const t = m[kind].aggregationTemporality ?? 0;
  if (kind === 'summary') return true;
  if (kind === 'sum' && t !== 1 && !(t === 2 && !m.sum.isMonotonic)) return true;
  if ((kind === 'histogram' || kind === 'exponentialHistogram') && t !== 1) return true;
  if (((p.flags ?? 0) & 1) !== 0) return false;
  if (!/[A-Za-z0-9]/.test(m.name ?? '')) return true;
  if (kind === 'gauge' || kind === 'sum') {
    const v = p.asDouble ?? (p.asInt !== undefined ? Number(p.asInt) : undefined);
    return v === undefined || !Number.isFinite(v);
  }
  const bounds: number[] = p.explicitBounds ?? [];
  for (let i = 1; i < bounds.length; i++) if (!(bounds[i]! > bounds[i - 1]!)) return true;
  if (bounds.some((b) => Number.isNaN(b))) return true;
  const counts = p.bucketCounts ?? [];
  if (kind === 'histogram' && counts.length !== 0 && counts.length !== bounds.length + 1) return true;
  return [p.sum, p.min, p.max].some((x) => x !== undefined && !Number.isFinite(x));
}

function attributeText(a: Obj): string | null {
  const v = a.value ?? {};
  if (v.stringValue !== undefined) return v.stringValue === '' ? null : v.stringValue;
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  return null;
}

describe('OTLP wire reader vs protobufjs (generated requests)', () => {
  it('counts, rejections and typed columns equal the oracle', () => {
    const decoder = new OtlpBatchDecoder();
    fc.assert(
      fc.property(requestArb, (req) => {
        const bytes = encodeRequest(req);
        const decoded = decodeRequest(bytes)!;
        const r = validateOtlpMetrics(bytes);
        let points = 0;
        let metrics = 0;
        let rejected = 0;
        const expected: [string, number, number, string][] = [];
        for (const m of metricsOf(decoded)) {
          metrics++;
          for (const p of pointsOf(m)) {
            points++;
            if (modelRejects(m, p)) {
              rejected++;
              continue;
            }
            if (((p.flags ?? 0) & 1) !== 0) continue;
            const kind = kindOf(m)!;
            if ((kind === 'histogram' || kind === 'exponentialHistogram') && Number(p.count ?? 0) === 0) continue;
            const ms = p.timeUnixNano === undefined ? -1 : Number(BigInt(p.timeUnixNano) / 1_000_000n);
            const value = kind === 'gauge' || kind === 'sum' ? (p.asDouble ?? Number(p.asInt)) : Number(p.count ?? 0);
            const dims = new Map<string, string>();
            for (const a of p.attributes ?? []) {
              const text = attributeText(a);
              if (a.key && text !== null && !dims.has(a.key)) dims.set(a.key, text);
            }
            expected.push([m.name ?? '', value, ms, JSON.stringify([...dims])]);
          }
        }
        expect(r.status).toBe(200);
        expect([r.points, r.metrics, r.rejected]).toEqual([points, metrics, rejected]);
        const batch = decoder.decode(bytes)!;
        const got: [string, number, number, string][] = [];
        for (let p = 0; p < batch.length; p++) {
          const value = batch.types[p] === 1 ? batch.values[p * 4 + 3]! : batch.values[p * 4]!;
          got.push([batch.key(p), value, batch.timestamps[p]!, JSON.stringify(batch.dimensions(p))]);
        }
        expect(got).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('OTLP wire reader vs protobufjs (mutated requests)', () => {
  it('never throws; what we accept the oracle decodes, with the same number of points', () => {
    fc.assert(
      fc.property(requestArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (req, ms) => {
        const bytes = mutate(encodeRequest(req), ms);
        const r = validateOtlpMetrics(bytes);
        const batch = new OtlpBatchDecoder().decode(bytes);
        expect(batch === null).toBe(r.status === 400);
        if (r.status === 400) {
          expect(r.issues[0]!.rule).toBe('otlp-wire-malformed');
          return;
        }
        const decoded = decodeRequest(bytes);
        expect(decoded).toBeDefined();
        let points = 0;
        for (const m of metricsOf(decoded!)) points += pointsOf(m).length;
        expect(r.points).toBe(points);
      }),
      { numRuns: 1500 },
    );
  });
});
