/**
 * The OTLP → lines converter on the inputs and expectations of the removed Collector Dynatrace
 * exporter's own tests (exporter/dynatraceexporter/internal/serialization/sum_test.go and
 * histogram_test.go; our own tests, written from them: without the exporter's prefix, and with our
 * number formatting), the series state's bounds, and a property: every line passes validateMetrics.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OtlpLineConverter, otlpToLines } from '../../../src/produce/otlp-lines.js';
import { SeriesState } from '../../../src/produce/series-state.js';
import { validateMetrics } from '../../../src/report/validate.js';
import { attr, encodeRequest, nanos, request, requestArb } from '../../helpers/otlp.js';

const T = Date.UTC(2021, 6, 16, 12, 30); // 1626438600000, the exporter tests' time
const sumMetric = (name: string, temporality: number, monotonic: boolean, points: object[]) => ({
  name,
  sum: { aggregationTemporality: temporality, isMonotonic: monotonic, dataPoints: points },
});
const lines = (c: OtlpLineConverter, metrics: object[]) => c.convert(encodeRequest(request(metrics))).lines;

describe('sums (sum_test.go)', () => {
  it('int delta without a timestamp', () => {
    expect(otlpToLines(encodeRequest(request([sumMetric('int_sum', 1, true, [{ asInt: 5 }])]))).lines).toEqual(['int_sum count,delta=5']);
  });
  it('float delta with a dimension', () => {
    const m = sumMetric('double_sum', 1, true, [{ asDouble: 5.5, timeUnixNano: nanos(T), attributes: [attr('key', 'value')] }]);
    expect(otlpToLines(encodeRequest(request([m]))).lines).toEqual(['double_sum,key=value count,delta=5.5 1626438600000']);
  });
  it('float cumulative: the first point sets the baseline, the second gives the delta', () => {
    const c = new OtlpLineConverter();
    const at = (v: number, t: number) => [sumMetric('double_sum', 2, true, [{ asDouble: v, timeUnixNano: nanos(t), attributes: [attr('key', 'value')] }])];
    expect(lines(c, at(5.5, T))).toEqual([]);
    expect(lines(c, at(7.0, T + 60_000))).toEqual(['double_sum,key=value count,delta=1.5 1626438660000']);
  });
  it('int cumulative', () => {
    const c = new OtlpLineConverter();
    const at = (v: number, t: number) => [sumMetric('int_sum', 2, true, [{ asInt: v, timeUnixNano: nanos(t), attributes: [attr('key', 'value')] }])];
    expect(lines(c, at(5, T))).toEqual([]);
    expect(lines(c, at(10, T + 60_000))).toEqual(['int_sum,key=value count,delta=5 1626438660000']);
  });
  it('different attributes are separate series; attribute order does not matter', () => {
    const c = new OtlpLineConverter();
    const p = (v: number, group: string, flip: boolean) => ({
      asInt: v,
      timeUnixNano: nanos(T),
      attributes: flip ? [attr('group', group), attr('sort', 'unstable')] : [attr('sort', 'unstable'), attr('group', group)],
    });
    expect(lines(c, [sumMetric('int_sum', 2, true, [p(5, 'a', false), p(10, 'b', false)])])).toEqual([]);
    expect(lines(c, [sumMetric('int_sum', 2, true, [p(10, 'a', true), p(20, 'b', true)])])).toEqual([
      'int_sum,group=a,sort=unstable count,delta=5 1626438600000',
      'int_sum,group=b,sort=unstable count,delta=10 1626438600000',
    ]);
  });
  it('a point older than the previous one is dropped and keeps the baseline', () => {
    const c = new OtlpLineConverter();
    expect(lines(c, [sumMetric('int_sum', 2, true, [{ asInt: 5, timeUnixNano: nanos(T) }])])).toEqual([]);
    const r = c.convert(encodeRequest(request([sumMetric('int_sum', 2, true, [{ asInt: 5, timeUnixNano: nanos(T - 60_000) }])])));
    expect(r.lines).toEqual([]);
    expect(r.skipped).toEqual({ 'out-of-order': 1 });
    expect(lines(c, [sumMetric('int_sum', 2, true, [{ asInt: 8, timeUnixNano: nanos(T + 1) }])])).toEqual(['int_sum count,delta=3 1626438600001']);
  });
  it('non-monotonic delta is dropped; monotonic delta is a count', () => {
    expect(otlpToLines(encodeRequest(request([sumMetric('metric_name', 1, false, [{ asInt: 3 }])]))).skipped).toEqual({ unsupported: 1 });
    expect(otlpToLines(encodeRequest(request([sumMetric('metric_name', 1, true, [{ asInt: 12 }])]))).lines).toEqual(['metric_name count,delta=12']);
  });
  it('NaN gives no line', () => {
    expect(otlpToLines(encodeRequest(request([sumMetric('metric_name', 1, true, [{ asDouble: Number.NaN }])]))).lines).toEqual([]);
    expect(otlpToLines(encodeRequest(request([sumMetric('metric_name', 2, false, [{ asDouble: Number.NaN }])]))).lines).toEqual([]);
  });
  it('non-monotonic cumulative is a gauge', () => {
    expect(otlpToLines(encodeRequest(request([sumMetric('metric_name', 2, false, [{ asDouble: 12.3 }])]))).lines).toEqual(['metric_name gauge,12.3']);
  });
  it('two cumulative points in one request: the second gives the delta (5.2 → 5.7)', () => {
    const out = otlpToLines(encodeRequest(request([sumMetric('metric_name', 2, true, [{ asDouble: 5.2 }, { asDouble: 5.7 }])]))).lines;
    expect(out).toHaveLength(1);
    // the exporter printed 0.5; we print the double the subtraction gives
    expect(Number(out[0]!.split('delta=')[1])).toBeCloseTo(0.5, 12);
  });
  it('a change between double and int resets the series (no line)', () => {
    const r = otlpToLines(encodeRequest(request([sumMetric('metric_name', 2, true, [{ asDouble: 5.2 }, { asInt: 5 }])])));
    expect(r.lines).toEqual([]);
    expect(r.skipped).toEqual({ baseline: 1, reset: 1 });
  });
  it('a value below the previous one is a counter reset (decided: new baseline, no line)', () => {
    const r = otlpToLines(encodeRequest(request([sumMetric('cnt', 2, true, [{ asInt: 9 }, { asInt: 2 }, { asInt: 5 }])])));
    expect(r.lines).toEqual(['cnt count,delta=3']);
  });
});

describe('histograms (histogram_test.go)', () => {
  const histLine = (point: object, temporality = 1) =>
    otlpToLines(encodeRequest(request([{ name: 'hist', histogram: { aggregationTemporality: temporality, dataPoints: [point] } }]))).lines;
  const summaryOf = (point: object) => {
    const line = histLine(point)[0]!;
    const m = /gauge,min=([^,]+),max=([^,]+),sum=([^,]+),count=(\d+)/.exec(line)!;
    return { min: Number(m[1]), max: Number(m[2]), sum: Number(m[3]), count: Number(m[4]) };
  };
  it('delta with a dimension: min and max from the non-empty buckets', () => {
    const p = { explicitBounds: [0, 2, 4, 8], bucketCounts: [0, 1, 0, 1, 0], count: 2, sum: 9.5, timeUnixNano: nanos(T), attributes: [attr('key', 'value')] };
    expect(histLine(p)).toEqual(['hist,key=value gauge,min=0,max=8,sum=9.5,count=2 1626438600000']);
  });
  it('non-empty first and last bucket', () => {
    expect(summaryOf({ explicitBounds: [0, 2, 4, 8], bucketCounts: [0, 1, 0, 1, 1], count: 3, sum: 9.5 })).toEqual({ min: 0, max: 8, sum: 9.5, count: 3 });
  });
  it('average above the highest bound: max = average', () => {
    expect(summaryOf({ explicitBounds: [0, 10], bucketCounts: [0, 0, 2], count: 2, sum: 30 })).toEqual({ min: 10, max: 15, sum: 30, count: 2 });
  });
  it('average below the lowest bound: min = average', () => {
    expect(summaryOf({ explicitBounds: [10, 20], bucketCounts: [2, 0, 0], count: 2, sum: 10 })).toEqual({ min: 5, max: 10, sum: 10, count: 2 });
  });
  it('given min, max, or both are used', () => {
    const base = { explicitBounds: [10, 20], bucketCounts: [2, 0, 0], count: 2, sum: 10 };
    expect(summaryOf({ ...base, min: 3 })).toEqual({ min: 3, max: 10, sum: 10, count: 2 });
    expect(summaryOf({ ...base, max: 7 })).toEqual({ min: 5, max: 7, sum: 10, count: 2 });
    expect(summaryOf({ ...base, min: 3, max: 7 })).toEqual({ min: 3, max: 7, sum: 10, count: 2 });
  });
  it('estimated min', () => {
    expect(summaryOf({ explicitBounds: [1, 2, 3, 4, 5], bucketCounts: [0, 1, 0, 3, 2, 0], count: 6, sum: 21.2 }).min).toBe(1);
    expect(summaryOf({ explicitBounds: [1, 2, 3, 4, 5], bucketCounts: [1, 0, 0, 3, 0, 4], count: 8, sum: 34.5 }).min).toBe(1);
    expect(summaryOf({ explicitBounds: [1, 2, 3, 4, 5], bucketCounts: [3, 0, 0, 0, 0, 0], count: 3, sum: 0.75 }).min).toBe(0.25);
    expect(summaryOf({ explicitBounds: [], bucketCounts: [4], count: 4, sum: 8.8 }).min).toBe(2.2);
    expect(summaryOf({ explicitBounds: [], bucketCounts: [1], count: 1, sum: 1.2 }).min).toBe(1.2);
    expect(summaryOf({ explicitBounds: [1, 2, 3, 4, 5], bucketCounts: [0, 0, 0, 0, 0, 3], count: 3, sum: 15.6 }).min).toBe(5);
  });
  it('estimated max', () => {
    expect(summaryOf({ explicitBounds: [1, 2, 3, 4, 5], bucketCounts: [0, 1, 0, 3, 2, 0], count: 6, sum: 21.2 }).max).toBe(5);
    expect(summaryOf({ explicitBounds: [1, 2, 3, 4, 5], bucketCounts: [1, 0, 0, 3, 0, 4], count: 8, sum: 34.5 }).max).toBe(5);
    expect(summaryOf({ explicitBounds: [1, 2, 3, 4, 5], bucketCounts: [0, 0, 0, 0, 0, 2], count: 2, sum: 20.2 }).max).toBe(10.1);
    expect(summaryOf({ explicitBounds: [0, 5], bucketCounts: [0, 2, 0], count: 2, sum: 2.3 }).max).toBe(5);
  });
  it('estimated sum', () => {
    expect(summaryOf({ explicitBounds: [], bucketCounts: [13], count: 6 }).sum).toBe(0);
    expect(summaryOf({ explicitBounds: [1, 2, 3, 4, 5], bucketCounts: [0, 3, 5, 0, 0, 0], count: 6 }).sum).toBe(3 * 1.5 + 5 * 2.5);
    expect(summaryOf({ explicitBounds: [1, 2, 3, 4, 5], bucketCounts: [2, 3, 5, 0, 0, 0], count: 6 }).sum).toBe(1 * 2 + 3 * 1.5 + 5 * 2.5);
    expect(summaryOf({ explicitBounds: [1, 2, 3, 4, 5], bucketCounts: [0, 3, 5, 0, 0, 2], count: 6 }).sum).toBe(3 * 1.5 + 5 * 2.5 + 2 * 5);
  });
  it('cumulative is dropped; count 0 is skipped; min > max gives no line', () => {
    expect(histLine({ explicitBounds: [1], bucketCounts: [1, 0], count: 1, sum: 1 }, 2)).toEqual([]);
    expect(histLine({ explicitBounds: [1], bucketCounts: [0, 0], count: 0 })).toEqual([]);
    expect(histLine({ min: 10, max: 3, count: 1, sum: 30 })).toEqual([]);
  });
  it('serialized as a summary when min, max, sum, count are given', () => {
    expect(histLine({ min: 1, max: 5, count: 3, sum: 8 })).toEqual(['hist gauge,min=1,max=5,sum=8,count=3']);
  });
});

describe('the series state', () => {
  it('forgets a series after ttlMs, so its next point is a new baseline', () => {
    let now = 0;
    const state = new SeriesState<number>({ ttlMs: 100 }, () => now);
    state.set('a', 1);
    now = 100;
    expect(state.get('a')).toBe(1);
    now = 201;
    expect(state.get('a')).toBeUndefined();
    expect(state.expired).toBe(1);
  });
  it('keeps at most maxSeries, forgetting the least recently seen', () => {
    const state = new SeriesState<number>({ maxSeries: 2 }, () => 0);
    state.set('a', 1);
    state.set('b', 2);
    state.get('a');
    state.set('a', 3); // a is now the most recent
    state.set('c', 4);
    expect([state.get('a'), state.get('b'), state.get('c')]).toEqual([3, undefined, 4]);
    expect(state.size).toBe(2);
    expect(state.evicted).toBe(1);
  });
  it('stays bounded over many distinct series (memory bounded by options, not by keys seen)', () => {
    const c = new OtlpLineConverter({ series: { maxSeries: 50 } });
    for (let i = 0; i < 20; i++) {
      const points = Array.from({ length: 20 }, (_, k) => ({ asInt: i, attributes: [attr('id', `${i}-${k}`)] }));
      c.convert(encodeRequest(request([sumMetric('cnt', 2, true, points)])));
    }
    expect(c.state.size).toBe(50);
  });
});

describe('property: every line the converter writes passes validateMetrics', () => {
  it('generated requests, converted twice (so cumulative sums give deltas)', () => {
    const now = 1_700_000_050_000;
    fc.assert(
      fc.property(requestArb, (req) => {
        const c = new OtlpLineConverter({ metrics: { now } });
        const body = encodeRequest(req);
        c.convert(body);
        const out = c.convert(body).lines;
        if (out.length === 0) return;
        const r = validateMetrics(out.join('\n'), { now, rewriteKeySuffix: false });
        expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(r.status).toBe(202);
        expect((r.body as { linesOk: number }).linesOk).toBe(out.length);
      }),
      { numRuns: 150 },
    );
  });
});
