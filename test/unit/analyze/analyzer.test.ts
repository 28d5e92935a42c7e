/**
 * The cardinality analyzer (issue 25 item 3): exact counts below the thresholds, the sketch's error
 * within its stated bound at a million distinct values, tuples as sets of the dimensions the endpoint
 * keeps, the projection over the window, the findings, bounded tracking, and the same counts from the
 * line path, the batch path, OTLP and record files.
 */
import { describe, expect, it } from 'vitest';
import {
  CardinalityAnalyzer,
  DistinctCounter,
  LineProtocolAnalyzer,
  RecordFileAnalyzer,
  analyzeOtlp,
  hashBytes,
  seriesHash,
  sketchError,
} from '../../../src/analyze/index.js';
import { parseMetricsBatch } from '../../../src/metrics/batch.js';
import { ANALYZE_DEFAULTS, resolveAnalyzeOptions } from '../../../src/protocol/analyze-options.js';
import { ANALYZE_RULES, analyzeMessage, formatCount } from '../../../src/protocol/analyze-rules.js';
import { attr, encodeRequest, nanos, request } from '../../helpers/otlp.js';

const T0 = 1_700_000_000_000;

function analyze(text: string, options = {}): ReturnType<CardinalityAnalyzer['report']> {
  const a = new LineProtocolAnalyzer(options);
  a.push(text);
  a.end();
  return a.report();
}

function lines(n: number, f: (i: number) => string): string {
  let s = '';
  for (let i = 0; i < n; i++) s += `${f(i)}\n`;
  return s;
}

describe('distinct counts', () => {
  it('are exact below the threshold: keys, tuples per metric and in total', () => {
    // 40 keys x 25 hosts = 1,000 tuples, each seen twice
    const text = lines(2000, (i) => `m${i % 40}.value,host=h${Math.floor(i / 40) % 25} gauge,1`);
    const r = analyze(text);
    expect(r.metricKeys).toEqual({ count: 40, exact: true, error: 0 });
    expect(r.tuples.count).toBe(1000);
    expect(r.tuples.exact).toBe(true);
    expect(r.sample.points).toBe(2000);
    for (const o of r.offenders) expect(o.tuples).toEqual({ count: 25, exact: true, error: 0 });
    expect(r.offenders[0]!.dimensions).toEqual([{ key: 'host', series: 25, values: { count: 25, exact: true, error: 0 } }]);
  });

  it('values a dimension cycles through (short and long, with other dimensions between) are each counted once, in any order', () => {
    // 6 hosts, 3 routes of more than 32 bytes, 7 zones: 42 tuples
    const routes = ['/api/v1/orders/by-customer/and-region', '/api/v1/users/by-id/with-details/x', '/api/v1/very/long/route/for/testing'];
    const text = lines(1260, (i) => `m.value,host=h${i % 6},route=${routes[i % 3]},zone=z${i % 7} gauge,1`);
    const r = analyze(text);
    expect(r.tuples.count).toBe(42);
    const dims = Object.fromEntries(r.offenders[0]!.dimensions.map((d) => [d.key, d.values.count]));
    expect(dims).toEqual({ host: 6, route: 3, zone: 7 });
    // the same lines in reverse order give the same counts (the per-position shortcuts change nothing)
    const shuffled = text.split('\n').filter(Boolean).reverse().join('\n');
    const r2 = analyze(`${shuffled}\n`);
    expect(Object.fromEntries(r2.offenders[0]!.dimensions.map((d) => [d.key, d.values.count]))).toEqual(dims);
    expect(r2.tuples.count).toBe(42);
  });

  it('a value first met as a later duplicate (dropped) is counted when it comes back alone', () => {
    // line 2's second a=7 is dropped as a duplicate; line 3's a=7 is a new value of 'a' (the
    // dimension's last-value shortcut must not take it as one it counted already)
    const r = analyze('m.value,x=0,a=1 gauge,1\nm.value,a=5,a=7 gauge,1\nm.value,x=0,a=7 gauge,1\n');
    const dims = Object.fromEntries(r.offenders[0]!.dimensions.map((d) => [d.key, d.values.count]));
    expect(dims).toEqual({ x: 1, a: 3 });
    expect(r.tuples.count).toBe(3);
  });

  it('the series memo, grown as series arrive, changes no count (against no memo), also past its largest size', () => {
    // 3,000 series sent four times: the memo grows from its first size to 1,024 slots and then overwrites
    const text = lines(12_000, (i) => `m${(i % 3000) % 7}.value,host=h${i % 3000},zone=z${(i % 3000) % 5} gauge,1`);
    for (const seriesCache of [1000, 8192]) {
      const memo = analyze(text, { seriesCache });
      const none = analyze(text, { seriesCache: 0 });
      expect(memo.tuples).toEqual(none.tuples);
      expect(memo.tuples.count).toBe(3000);
      expect(memo.sample.points).toBe(12_000);
      expect(memo.offenders).toEqual(none.offenders);
    }
  });

  it('a sketch past the threshold stays within 3 standard errors at 1,000,000 distinct values', () => {
    const c = new DistinctCounter(ANALYZE_DEFAULTS.exactDistinct, ANALYZE_DEFAULTS.sketchPrecision);
    const h = new Int32Array(2);
    const enc = new TextEncoder();
    const buf = new Uint8Array(32);
    for (let i = 0; i < 1_000_000; i++) {
      const n = enc.encodeInto(`request-${i}`, buf).written;
      hashBytes(buf, 0, n, h);
      c.add(h[0]!, h[1]!);
    }
    expect(c.exact).toBe(false);
    expect(c.error).toBeCloseTo(sketchError(14), 10);
    expect(c.error).toBeLessThan(0.01);
    expect(Math.abs(c.count() / 1_000_000 - 1)).toBeLessThan(3 * c.error);
    // adding the same values again changes nothing
    const before = c.count();
    for (let i = 0; i < 1000; i++) {
      const n = enc.encodeInto(`request-${i}`, buf).written;
      hashBytes(buf, 0, n, h);
      c.add(h[0]!, h[1]!);
    }
    expect(c.count()).toBe(before);
  });

  it('small sketches keep their (larger) stated error too', () => {
    for (const p of [8, 12]) {
      const c = new DistinctCounter(0, p);
      const h = new Int32Array(2);
      const buf = new Uint8Array(4);
      for (let i = 0; i < 200_000; i++) {
        new DataView(buf.buffer).setUint32(0, i);
        hashBytes(buf, 0, 4, h);
        c.add(h[0]!, h[1]!);
      }
      expect(Math.abs(c.count() / 200_000 - 1)).toBeLessThan(3 * sketchError(p));
    }
  });

  it('an exact set holds the threshold, then turns into registers (memory bounded by the larger)', () => {
    const c = new DistinctCounter(100, 8);
    for (let i = 0; i < 100; i++) c.add(i * 7919, i * 104729 + 1);
    expect(c.exact).toBe(true);
    expect(c.count()).toBe(100);
    const exactBytes = c.heldBytes;
    for (let i = 100; i < 100_000; i++) c.add(Math.imul(i, 0x9e3779b1), Math.imul(i, 0x85ebca6b) ^ i);
    expect(c.exact).toBe(false);
    expect(c.heldBytes).toBe(256);
    expect(exactBytes).toBeLessThanOrEqual(8 * 256);
  });
});

describe('hashes', () => {
  it('the series hash reads words through a DataView or byte by byte alike, at any offset and length', () => {
    const bytes = new TextEncoder().encode('http.server.requests,uri="/api/v1/orders",method=GET,status=200 gauge,1');
    const buf = new Uint8Array(bytes.length + 3);
    buf.set(bytes, 3);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const a = new Int32Array(2);
    const b = new Int32Array(2);
    for (let start = 3; start < 8; start++) {
      for (let end = start; end <= buf.length; end++) {
        seriesHash(buf, start, end, a, view);
        seriesHash(buf, start, end, b);
        expect([start, end, a[0], a[1]]).toEqual([start, end, b[0], b[1]]);
      }
    }
    seriesHash(buf, 3, 40, a);
    seriesHash(buf, 3, 41, b);
    expect(a[0]).not.toBe(b[0]);
  });
});

describe('tuples are the dimensions the endpoint keeps', () => {
  it('order does not matter; escapes are resolved; empty values and later duplicates are dropped', () => {
    const r = analyze(
      [
        'm.a,host=x,zone=z gauge,1',
        'm.a,zone=z,host=x gauge,1',
        'm.a,zone="z",host=x,empty= gauge,1',
        'm.a,host=x,zone=z,host=y gauge,1',
        'm.a,host=a\\ b gauge,1',
        'm.a,host="a b" gauge,1',
        '',
      ].join('\n'),
    );
    expect(r.tuples.count).toBe(2);
    expect(r.offenders[0]!.points).toBe(6);
  });

  it('a count and a gauge of one name are two metric keys (the stored suffix)', () => {
    const r = analyze('hits,a=b count,delta=1\nhits,a=b gauge,1\n');
    expect(r.metricKeys.count).toBe(2);
    expect(r.offenders.map((o) => o.metric).sort()).toEqual(['hits', 'hits.count']);
  });

  it('invalid lines and metadata are not counted; captured timestamps of any age are', () => {
    const r = analyze(`bad line\n#m.a gauge dt.meta.unit=By\nm.a,h=1 gauge,1 ${T0 - 30 * 86_400_000}\n`);
    expect(r.sample.invalid).toBe(1);
    expect(r.sample.points).toBe(1);
    expect(r.sample.lines).toBe(3);
  });

  it('chunks cut anywhere give the same counts', () => {
    const text = lines(300, (i) => `m${i % 3}.v,host=h${i % 7},id=x${i % 11} gauge,${i} ${T0 + i * 1000}`);
    const whole = analyze(text);
    const bytes = new TextEncoder().encode(text);
    for (const size of [1, 7, 64]) {
      const a = new LineProtocolAnalyzer();
      for (let i = 0; i < bytes.length; i += size) a.push(bytes.subarray(i, i + size));
      a.end();
      const r = a.report();
      expect(r.tuples).toEqual(whole.tuples);
      expect(r.offenders.map((o) => [o.metric, o.tuples.count])).toEqual(whole.offenders.map((o) => [o.metric, o.tuples.count]));
    }
  });

  it('the batch path (a converter sink) counts what the line path counts', () => {
    const text = lines(500, (i) => `m${i % 4}.v,host=h${i % 9},zone=z${i % 2} gauge,${i} ${T0 + i}`);
    const fromLines = analyze(text);
    const a = new CardinalityAnalyzer();
    a.addBatch(parseMetricsBatch(text, { now: T0 }));
    const fromBatch = a.report();
    expect(fromBatch.tuples).toEqual(fromLines.tuples);
    expect(fromBatch.metricKeys).toEqual(fromLines.metricKeys);
    expect(fromBatch.offenders.map((o) => [o.metric, o.tuples.count, o.dimensions.length])).toEqual(
      fromLines.offenders.map((o) => [o.metric, o.tuples.count, o.dimensions.length]),
    );
  });
});

describe('projection over the window', () => {
  it('stable series seen in several exports project to what was seen', () => {
    // 5 exports, one minute apart, of the same 50 series
    const text = lines(250, (i) => `m.v,host=h${i % 50} gauge,1 ${T0 + Math.floor(i / 50) * 60_000}`);
    const r = analyze(text);
    expect(r.sample.axis).toBe('time');
    expect(r.sample.spanMs).toBe(5 * 60_000);
    expect(r.tuples.projected).toBe(50);
    expect(r.offenders[0]!.projected).toBe(50);
  });

  it('a volatile dimension projects its rate over 30 days and fails the per-metric budget', () => {
    // 10 new request ids a minute over 10 minutes: 43,200 minutes x 10 ids a month
    const text = lines(100, (i) => `req.count,request_id=${(0x1000 + i).toString(16)}abcdef0123456789 count,delta=1 ${T0 + Math.floor(i / 10) * 60_000}`);
    const r = analyze(text, { maxTuplesPerMetric: 100_000 });
    const o = r.offenders[0]!;
    expect(o.tuples.count).toBe(100);
    expect(o.projected).toBeGreaterThan(400_000);
    expect(o.projected).toBeLessThan(450_000);
    expect(r.findings.some((f) => f.rule === ANALYZE_RULES.METRIC_TUPLES.id && f.severity === 'error')).toBe(true);
  });

  it('one export without timestamps cannot tell: no projection unless a sample duration is given', () => {
    const text = lines(100, (i) => `m.v,host=h${i} gauge,1`);
    expect(analyze(text).tuples.projected).toBeNull();
    const r = analyze(text, { sampleDurationMs: 60_000 });
    expect(r.sample.axis).toBe('order');
    expect(r.sample.spanMs).toBeCloseTo(60_000, 5);
    expect(r.tuples.projected).toBeGreaterThan(100);
  });
});

describe('findings', () => {
  it('a UUID request id is a volatile dimension and its tuples grow with the lines', () => {
    const uuid = (i: number): string => `${(0x10000000 + i).toString(16)}-1b2c-4d5e-8f90-${(0x100000000000 + i * 7).toString(16)}`;
    const text = lines(200, (i) => `req.count,host=h${i % 3},request_id=${uuid(i)} count,delta=1`);
    const r = analyze(text);
    const volatile = r.findings.find((f) => f.rule === ANALYZE_RULES.VOLATILE.id)!;
    expect(volatile.dimension).toBe('request_id');
    expect(volatile.message).toContain('UUIDs');
    expect(volatile.line).toBe(1);
    expect(volatile.text).toBe(uuid(0));
    const growth = r.findings.find((f) => f.rule === ANALYZE_RULES.GROWTH.id)!;
    expect(growth.dimension).toBe('request_id');
    expect(r.offenders[0]!.driver).toBe('request_id');
    expect(r.offenders[0]!.examples[0]).toEqual({ text: `req.count,host=h0,request_id=${uuid(0)}`, source: '', line: 1 });
  });

  it('a few UUID-like values (a fixed set of ids) and stable hosts are not flagged', () => {
    const text = lines(500, (i) => `m.v,host=web-${i % 5},device=${(0xabcdef00 + (i % 3)).toString(16)}-aaaa-4bbb-8ccc-0123456789ab gauge,1`);
    expect(analyze(text).findings).toEqual([]);
  });

  it('budgets warn from warnShare of a limit and err past it', () => {
    const text = lines(9, (i) => `m${i}.v gauge,1`);
    const warn = analyze(text, { maxMetricKeys: 10 });
    expect(warn.budgets[0]).toMatchObject({ id: 'budget-metric-keys', used: 9, status: 'warning' });
    expect(warn.findings).toEqual([
      { rule: 'budget-metric-keys', severity: 'warning', message: analyzeMessage(ANALYZE_RULES.METRIC_KEYS, { used: 9, limit: 10 }) },
    ]);
    const over = analyze(text, { maxMetricKeys: 8 });
    expect(over.findings[0]!.severity).toBe('error');
    expect(analyze(text).findings).toEqual([]);
  });

  it('a converted point with more dimensions than the limit', () => {
    const a = new CardinalityAnalyzer({ maxDimensions: 2 });
    a.addBatch(parseMetricsBatch('m.v,a=1,b=2,c=3 gauge,1\n'));
    const r = a.report();
    expect(r.budgets.find((b) => b.id === 'budget-dimensions')).toMatchObject({ used: 3, limit: 2, status: 'error' });
    expect(r.findings[0]!.rule).toBe('budget-dimensions');
  });

  it('texts come from the rules table', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(analyzeMessage(ANALYZE_RULES.METRIC_KEYS, { used: 25_000, limit: 20_000 })).toBe(
      '25,000 distinct metric keys; the environment holds at most 20,000',
    );
  });
});

describe('bounded tracking', () => {
  it('keys past maxTrackedMetrics count in the totals only', () => {
    const r = analyze(
      lines(100, (i) => `m${i}.v,h=x gauge,1`),
      { maxTrackedMetrics: 5 },
    );
    expect(r.metricKeys.count).toBe(100);
    expect(r.tuples.count).toBe(100);
    expect(r.sample.trackedMetrics).toBe(5);
    expect(r.sample.untrackedPoints).toBe(95);
  });

  it('dimension keys past maxTrackedDimensions are counted, not followed', () => {
    const r = analyze(
      lines(10, (i) => `m.v,d${i}=x gauge,1`),
      { maxTrackedDimensions: 4 },
    );
    expect(r.offenders[0]!.dimensions).toHaveLength(4);
    expect(r.offenders[0]!.untrackedDimensions).toBe(6);
    expect(r.tuples.count).toBe(10);
  });

  it('wrong options are caller mistakes', () => {
    expect(() => resolveAnalyzeOptions({ sketchPrecision: 30 })).toThrow(TypeError);
    expect(() => resolveAnalyzeOptions({ warnShare: 2 })).toThrow(TypeError);
    expect(() => resolveAnalyzeOptions({ nope: 1 } as never)).toThrow(/unknown analyze option/);
  });
});

describe('other sources', () => {
  it('OTLP requests: attributes are the dimensions', () => {
    const body = encodeRequest(
      request([
        {
          name: 'http.server.duration',
          gauge: { dataPoints: [0, 1, 2, 1].map((i) => ({ attributes: [attr('route', `/r${i}`)], timeUnixNano: nanos(T0), asDouble: 1 })) },
        },
      ]),
    );
    const a = new CardinalityAnalyzer();
    expect(analyzeOtlp(a, body)).toBe(true);
    expect(analyzeOtlp(a, new Uint8Array([0xff, 0xff]))).toBe(false);
    const r = a.report();
    expect(r.offenders[0]).toMatchObject({ metric: 'http.server.duration', points: 4, tuples: { count: 3 } });
    expect(r.sample.invalid).toBe(1);
  });

  it('serve --record files: metrics lines and OTLP points, arrival times place lines without timestamps', () => {
    const records = [0, 1, 2, 3]
      .flatMap((minute) => [
        { route: 'metrics', receivedAt: new Date(T0 + minute * 60_000).toISOString(), item: `m.v,host=h1 gauge,${minute}` },
        {
          route: 'otlp',
          receivedAt: new Date(T0 + minute * 60_000).toISOString(),
          item: { metric: 'o.v', type: 'gauge', value: 1, timestamp: null, attributes: { k: `v${minute}` } },
        },
        { route: 'events', receivedAt: new Date(T0).toISOString(), item: { title: 'x' } },
      ])
      .map((r) => JSON.stringify(r))
      .join('\n');
    const a = new CardinalityAnalyzer();
    const rf = new RecordFileAnalyzer(a);
    rf.push(new TextEncoder().encode(`${records}\nnot json\n`));
    rf.end();
    const r = a.report();
    expect(rf.skipped).toBe(4);
    expect(r.sample.axis).toBe('time');
    expect(r.sample.invalid).toBe(1);
    const byKey = Object.fromEntries(r.offenders.map((o) => [o.metric, o]));
    expect(byKey['m.v']).toMatchObject({ points: 4, tuples: { count: 1 }, projected: 1 });
    expect(byKey['o.v']!.tuples.count).toBe(4);
    expect(byKey['o.v']!.projected).toBeGreaterThan(40_000);
  });
});
