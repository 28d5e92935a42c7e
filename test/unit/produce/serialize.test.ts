import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMetricNumber, serializeMetadata, serializeMetric } from '../../../src/produce/index.js';
import type { MetricMetadata, MetricPoint, ParsedLine } from '../../../src/types.js';

// The parser is the lead's; imported dynamically so this file still runs while it is being written.
const api = (await import('../../../src/index.js')) as { parseMetrics?: (input: string, options?: { now?: number }) => ParsedLine[] };
const parseMetrics = api.parseMetrics;

const gauge = (key: string, value: number, dims: [string, string][] = [], timestamp: number | null = null): MetricPoint => ({
  key,
  dimensions: dims.map(([k, v]) => ({ key: k, value: v })),
  payload: { type: 'gauge', value },
  timestamp,
});

describe('formatMetricNumber', () => {
  it('writes the shortest round-trip form, keeps -0, rejects NaN and Infinity', () => {
    expect(formatMetricNumber(42)).toBe('42');
    expect(formatMetricNumber(0.1)).toBe('0.1');
    expect(formatMetricNumber(-0)).toBe('-0');
    expect(formatMetricNumber(1e21)).toBe('1e+21');
    expect(formatMetricNumber(5e-324)).toBe('5e-324');
    expect(formatMetricNumber(Number.MAX_VALUE)).toBe('1.7976931348623157e+308');
    expect(() => formatMetricNumber(NaN)).toThrow(TypeError);
    expect(() => formatMetricNumber(Infinity)).toThrow('finite');
  });
});

describe('serializeMetric', () => {
  it('writes gauge, count and summary payloads and the timestamp', () => {
    expect(serializeMetric(gauge('cpu.temp', 42.5))).toBe('cpu.temp gauge,42.5');
    expect(serializeMetric(gauge('cpu.temp', 1, [['host', 'a']], 1700000000000))).toBe('cpu.temp,host=a gauge,1 1700000000000');
    expect(serializeMetric({ key: 'req.count', dimensions: [], payload: { type: 'count', delta: -3 }, timestamp: null })).toBe('req.count count,delta=-3');
    expect(serializeMetric({ key: 'lat', dimensions: [], payload: { type: 'summary', min: 17.1, max: 17.3, sum: 34.4, count: 2 }, timestamp: null })).toBe(
      'lat gauge,min=17.1,max=17.3,sum=34.4,count=2',
    );
    expect(serializeMetric({ key: 'lat', dimensions: [], payload: { type: 'summary', min: 0, max: 0, sum: 0, count: 0 }, timestamp: null })).toBe(
      'lat gauge,min=0,max=0,sum=0,count=0',
    );
  });
  it('escapes dimension values in the bare form and leaves empty ones out', () => {
    expect(
      serializeMetric(
        gauge('abc', 1, [
          ['k', 'a b,c=d"e\\f'],
          ['e', ''],
          ['u', 'ünï\u{1F600}'],
        ]),
      ),
    ).toBe('abc,k=a\\ b\\,c\\=d\\"e\\\\f,u=ünï\u{1F600} gauge,1');
  });
  it('throws a TypeError for what the validator would reject', () => {
    const bad: [MetricPoint, string][] = [
      [gauge('1abc', 1), 'must start with a letter'],
      [gauge('a.0b', 1), 'starts with a digit'],
      [gauge('dt.cpu', 1), 'reserved'],
      [gauge('ab', 1), 'too short'],
      [gauge('a'.repeat(256), 1), 'too long'],
      [gauge('abc', NaN), 'finite'],
      [gauge('abc', -Infinity), 'finite'],
      [gauge('abc', 1, [['Host', 'a']]), "dimension key 'Host'"],
      [gauge('abc', 1, [['host', 'a\nb']]), 'control character'],
      [gauge('abc', 1, [['host', 'a\ud800']]), 'lone surrogate'],
      [gauge('abc', 1, [['host', 'v'.repeat(251)]]), 'length exceeded: 251 > 250'],
      // within 250 unescaped, 400 written: rejected if the server counts escapes
      [gauge('abc', 1, [['host', '='.repeat(200)]]), 'length exceeded: 400 > 250 (written with escapes'],
      [gauge('abc', 1, [], 1.5), 'timestamp'],
      [{ key: 'abc', dimensions: [], payload: { type: 'summary', min: 1, max: 2, sum: 10, count: 2 }, timestamp: null }, 'inconsistent'],
      [{ key: 'abc', dimensions: [], payload: { type: 'summary', min: 1, max: 2, sum: 3, count: 1.5 }, timestamp: null }, 'non-negative integer'],
      [{ key: 'abc', dimensions: [], payload: { type: 'histogram' } as never, timestamp: null }, 'unknown payload type'],
    ];
    for (const [point, message] of bad) expect(() => serializeMetric(point), message).toThrow(message);
    expect(() =>
      serializeMetric(
        gauge('abc', 1, [
          ['a', 'x'],
          ['b', 'y'],
        ]),
        { maxDimensions: 1 },
      ),
    ).toThrow('too many dimensions');
    expect(() => serializeMetric(gauge('abc', 1, [['k', 'v'.repeat(200)]]), { maxLineLength: 100 })).toThrow('line length');
    expect(serializeMetric(gauge('abc', 1, [['k', '='.repeat(125)]]))).toBe('abc,k=' + '\\='.repeat(125) + ' gauge,1');
  });
  it('follows allowDigitLeadingSections', () => {
    expect(serializeMetric(gauge('system.load.1m', 1), { allowDigitLeadingSections: true })).toBe('system.load.1m gauge,1');
  });
});

describe('serializeMetadata', () => {
  it('writes the properties in order, bare or quoted', () => {
    const meta: MetricMetadata = { key: 'cpu.temp', type: 'gauge', properties: { unit: 'Cel', displayName: 'CPU temperature' } };
    expect(serializeMetadata(meta)).toBe('#cpu.temp gauge dt.meta.displayName="CPU temperature",dt.meta.unit=Cel');
    // a backslash before a character that needs no escape stays single, as the Java library writes it
    expect(serializeMetadata({ key: 'req', type: 'count', properties: { description: 'a "b"\nc\\d' } })).toBe(
      '#req count dt.meta.description="a \\"b\\"\\nc\\d"',
    );
    expect(serializeMetadata({ key: 'req', type: 'count', properties: { description: 'c:\\n\\' } })).toBe('#req count dt.meta.description="c:\\\\n\\\\"');
    expect(serializeMetadata({ key: 'req', type: 'count', properties: { unit: '' } })).toBe('#req count dt.meta.unit=""');
  });
  it('throws for invalid metadata', () => {
    expect(() => serializeMetadata({ key: 'req', type: 'gauge', properties: {} })).toThrow('at least one');
    expect(() => serializeMetadata({ key: 'req', type: 'gauge', properties: { unit: 'per cent' } })).toThrow('unit');
    expect(() => serializeMetadata({ key: 'req', type: 'summary' as never, properties: { unit: 'x' } })).toThrow('type');
    expect(() => serializeMetadata({ key: 'dt.req', type: 'gauge', properties: { unit: 'x' } })).toThrow('reserved');
    expect(() => serializeMetadata({ key: 'req', type: 'gauge', properties: { displayName: 'd'.repeat(301) } })).toThrow('301 > 300');
    expect(() => serializeMetadata({ key: 'req', type: 'gauge', properties: { displayName: '"'.repeat(200) } })).toThrow('400 > 300 (written with escapes');
  });
});

// ---------------------------------------------------------------------------------------------------
// Round trip: generate valid points, serialize, parse with the lead's parser: the same point back.

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const chars = (s: string): fc.Arbitrary<string> => fc.constantFrom(...s.split(''));

const metricSection = (first: boolean): fc.Arbitrary<string> =>
  fc.tuple(chars(first ? LETTERS + '_' : LETTERS + '_'), fc.string({ unit: chars(LETTERS + DIGITS + '_-'), maxLength: 20 })).map(([a, b]) => a + b);
const metricKey = fc
  .tuple(metricSection(true), fc.array(metricSection(false), { maxLength: 4 }))
  .map(([a, rest]) => [a, ...rest].join('.'))
  .filter((k) => k.length >= 3 && k.length <= 255 && !k.startsWith('dt.'));

const dimSection = fc
  .tuple(chars('abcdefghijklmnopqrstuvwxyz_'), fc.string({ unit: chars('abcdefghijklmnopqrstuvwxyz0123456789_:-'), maxLength: 10 }))
  .map(([a, b]) => a + b);
const dimKey = fc
  .array(dimSection, { minLength: 1, maxLength: 3 })
  .map((s) => s.join('.'))
  .filter((k) => k.length <= 100);
/** The bare written length: one more for each of space , = " \ (spec §2). */
const escapedLength = (v: string): number => v.length + [...v].filter((c) => ' ,="\\'.includes(c)).length;
const dimValue = fc
  .oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), fc.string({ unit: chars('a \\,="\u00e4'), minLength: 1, maxLength: 20 }))
  .filter((v) => {
    if (escapedLength(v) > 250) return false;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c < 32 || c === 127) return false;
    }
    return true;
  });
const dims = fc.uniqueArray(fc.record({ key: dimKey, value: dimValue }), { selector: (d) => d.key, maxLength: 8 });

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const summary = fc
  .tuple(
    fc.double({ noNaN: true, min: -1e12, max: 1e12 }),
    fc.double({ noNaN: true, min: -1e12, max: 1e12 }),
    fc.integer({ min: 1, max: 100_000 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  )
  .map(([a, b, count, t]) => {
    const min = Math.min(a, b);
    const max = Math.max(a, b);
    return { type: 'summary' as const, min, max, sum: (min + (max - min) * t) * count, count };
  })
  .filter((p) => {
    const avg = p.sum / p.count;
    return Number.isFinite(p.sum) && p.min - 1e-6 <= avg && avg <= p.max + 1e-6;
  });
const payload = fc.oneof(
  finite.map((value) => ({ type: 'gauge' as const, value })),
  finite.map((delta) => ({ type: 'count' as const, delta })),
  summary,
  fc.constant({ type: 'summary' as const, min: 0, max: 0, sum: 0, count: 0 }),
);

const NOW = 1_750_000_000_000;
const point: fc.Arbitrary<MetricPoint> = fc.record({
  key: metricKey,
  dimensions: dims,
  payload,
  timestamp: fc.option(fc.integer({ min: NOW - 3_600_000, max: NOW + 600_000 }), { nil: null }),
});

describe('round trip through parseMetrics', () => {
  it('serializeMetric then parseMetrics gives the same point', () => {
    fc.assert(
      fc.property(point, (p) => {
        const line = serializeMetric(p);
        expect(line.includes('\n')).toBe(false);
        const parsed = parseMetrics!(line, { now: NOW });
        expect(parsed.length).toBe(1);
        const entry = parsed[0]!;
        expect('point' in entry, `${line} → ${JSON.stringify(entry)}`).toBe(true);
        if ('point' in entry) expect(entry.point).toEqual(p);
      }),
      { numRuns: 1000 },
    );
  });
  it('serializeMetadata then parseMetrics gives the same metadata', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 80 }).filter((v) => {
      for (let i = 0; i < v.length; i++) {
        const c = v.charCodeAt(i);
        if ((c < 32 && c !== 10) || c === 127) return false;
      }
      return true;
    });
    const meta: fc.Arbitrary<MetricMetadata> = fc
      .record({
        key: metricKey,
        type: fc.constantFrom('gauge' as const, 'count' as const),
        properties: fc.record(
          { displayName: text, description: text, unit: fc.string({ unit: chars(LETTERS + DIGITS + '%[]{}/_'), maxLength: 63 }) },
          { requiredKeys: [] },
        ),
      })
      .filter((m) => Object.keys(m.properties).length > 0);
    fc.assert(
      fc.property(meta, (m) => {
        const line = serializeMetadata(m);
        const parsed = parseMetrics!(line, { now: NOW });
        expect(parsed.length).toBe(1);
        const entry = parsed[0]!;
        expect('metadata' in entry, `${line} → ${JSON.stringify(entry)}`).toBe(true);
        if ('metadata' in entry) expect(entry.metadata).toEqual(m);
      }),
      { numRuns: 500 },
    );
  });
});
