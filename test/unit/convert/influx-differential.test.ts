/**
 * The Influx converter against influx-line-protocol-parser 0.2.0 where both read the same lines
 * (no escapes, no string fields: the peer splits on spaces and commas, docs/spec/influx.md §4): the
 * same numeric and boolean fields, keyed measurement.field, with the same values and tags. Where the
 * peer is naive the difference is asserted.
 *
 * With DT_INGEST_INFLUX_CORPUS set to the path of influxdata/line-protocol's
 * `lineprotocol/testdata/corpus.json` (not part of this repository), every non-fuzz input of the
 * corpus is also run: we must read a line exactly when InfluxDB's parsers did, and give its numeric
 * and boolean fields.
 */
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse } from 'influx-line-protocol-parser';
import { describe, expect, it } from 'vitest';
import { InfluxConverter } from '../../../src/convert/influx.js';
import type { MetricBatch } from '../../../src/metrics/batch.js';

interface Point {
  key: string;
  value: number;
  dims: [string, string][];
  ts: number;
}

function ours(text: string, precision: 'ns' | 'us' | 'ms' | 's' = 'ns'): { points: Point[]; invalid: number; lines: number; tooManyDims: number } {
  const points: Point[] = [];
  const c = new InfluxConverter(
    {
      points: (b: MetricBatch) => {
        for (let p = 0; p < b.length; p++) points.push({ key: b.key(p), value: b.values[p * 4]!, dims: b.dimensions(p), ts: b.timestamps[p]! });
      },
    },
    { sourceDimension: '', precision },
  );
  c.push(new TextEncoder().encode(text));
  c.end();
  return { points, invalid: c.counts.invalid, lines: c.counts.lines, tooManyDims: c.counts.byRule['convert-too-many-dimensions'] ?? 0 };
}

const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const value = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).map((d) => String(d)),
  fc.nat({ max: 2 ** 31 }).map((n) => `${n}i`),
  fc.constantFrom('true', 'false', 'T', 'F'),
);

describe('Influx: differential against influx-line-protocol-parser (where both read)', () => {
  it('same fields, keys, values and tags', () => {
    fc.assert(
      fc.property(
        ident,
        fc.uniqueArray(fc.tuple(ident, ident), { maxLength: 4, selector: (t) => t[0] }),
        fc.uniqueArray(fc.tuple(ident, value), { minLength: 1, maxLength: 5, selector: (t) => t[0] }),
        fc.option(fc.integer({ min: 1, max: 2 ** 40 })),
        (m, tags, fields, ts) => {
          // 'dt.' keys are reserved (metric-key-reserved): a measurement 'dt' is dropped, not compared
          fc.pre(m.length >= 1 && m !== 'dt');
          const line = `${m}${tags.map(([k, v]) => `,${k}=${v}`).join('')} ${fields.map(([k, v]) => `${k}=${v}`).join(',')}${ts === null ? '' : ` ${ts}`}`;
          const peer = parse(line);
          const mine = ours(line, 'ms');
          expect(mine.invalid).toBe(0);
          expect(peer.measurement).toBe(m);
          const peerFields = peer.fields.map((f) => Object.entries(f)[0]!);
          // every field of the peer is a point of ours, in order, with the same value (booleans 1/0)
          const keys = mine.points.map((p) => p.key);
          const expected = peerFields.map(([k]) => `${m}.${k}`);
          // keys a normalizer had to change (a metric key needs 3 characters) are compared after it
          expect(keys.length).toBe(expected.length);
          mine.points.forEach((p, i) => {
            const v = peerFields[i]![1];
            expect(p.value).toBe(typeof v === 'boolean' ? (v ? 1 : 0) : (v as number));
            expect(Object.fromEntries(p.dims)).toEqual(Object.assign({}, ...peer.tags));
            expect(p.ts).toBe(ts ?? -1);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
  it('where the peer is naive: escapes, strings with spaces, signed and unsigned integers', () => {
    // an escaped space in the measurement: the peer splits there
    expect(parse('my\\ cpu v=1').measurement).not.toBe('my cpu');
    expect(ours('my\\ cpu v=1').points.map((p) => p.key)).toEqual(['my_cpu.v']);
    // a string field with a space: the peer loses the fields after it; we read the numeric one
    expect(parse('m s="a b",v=2').fields).not.toContainEqual({ v: 2 });
    expect(ours('m s="a b",v=2').points.map((p) => [p.key, p.value])).toEqual([['m.v', 2]]);
    // -5i and 7u are not integers to the peer
    expect(parse('m a=-5i').fields[0]).toEqual({ a: undefined });
    expect(ours('m a=-5i,b=7u').points.map((p) => p.value)).toEqual([-5, 7]);
  });
});

const corpusPath = process.env.DT_INGEST_INFLUX_CORPUS;

describe.skipIf(corpusPath === undefined || !existsSync(corpusPath))('Influx: influxdata/line-protocol test corpus (DT_INGEST_INFLUX_CORPUS)', () => {
  it('reads a line exactly when InfluxDB did, with its numeric and boolean fields', () => {
    const corpus = JSON.parse(readFileSync(corpusPath!, 'utf8')) as {
      decode: Record<
        string,
        {
          input: { text: string | { binary: string }; precision: string; implementation: string };
          output: { result?: { name: string; fields: { key: string; value: Record<string, unknown> }[] }[]; error?: string };
        }
      >;
    };
    const precisions: Record<string, 'ns' | 'us' | 'ms' | 's'> = { '1ns': 'ns', '1µs': 'us', '1ms': 'ms', '1s': 's' };
    // known: a string field holding a raw LF is two lines to us (we split on LF first; docs/spec/influx.md §1)
    const rawLfInString = (text: string): boolean => /"[^"]*\n[^"]*"/.test(text);
    let compared = 0;
    const disagreements: string[] = [];
    for (const [key, c] of Object.entries(corpus.decode)) {
      if (c.input.implementation === 'fuzz' || typeof c.input.text !== 'string') continue;
      const mine = ours(c.input.text, precisions[c.input.precision] ?? 'ns');
      compared++;
      if (c.output.error !== undefined) {
        if (mine.invalid === 0) disagreements.push(`${key}: InfluxDB rejects ${JSON.stringify(c.input.text)}, we read it`);
        continue;
      }
      const wanted = (c.output.result ?? []).flatMap((r) => r.fields.filter((f) => !('string' in f.value)).map((f) => f.key));
      if (mine.invalid !== 0 && rawLfInString(c.input.text)) continue;
      if (mine.invalid !== 0) disagreements.push(`${key}: InfluxDB reads ${JSON.stringify(c.input.text)}, we reject it`);
      // a point with more than 50 tags is dropped, as the endpoint drops the line (counted by its rule)
      else if (mine.points.length + mine.tooManyDims !== wanted.length)
        disagreements.push(`${key}: ${wanted.length} fields, we give ${mine.points.length} points`);
    }
    expect(compared).toBeGreaterThan(100);
    expect(disagreements).toEqual([]);
  });
});
