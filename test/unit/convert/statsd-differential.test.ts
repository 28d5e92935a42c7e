/**
 * The StatsD converter against statsd-parser 0.0.4 (its regex, `matchStatsd`) where both read the
 * same lines: names that are valid metric keys, numbers the peer's regex takes, types c g ms s,
 * optional sample rates. With `sampleRates: 'ignore'` and `gaugeDeltas: 'value'` our points carry
 * the values as written, so each line must give the same name, value and kind on both sides, and
 * a line the peer rejects must be one we reject. Where the peer is naive (tags, h/d types, bad rates)
 * the difference is asserted too (docs/spec/statsd.md §4).
 */
import fc from 'fast-check';
import { matchStatsd } from 'statsd-parser';
import { describe, expect, it } from 'vitest';
import type { MetricBatch } from '../../../src/metrics/batch.js';
import { StatsdConverter } from '../../../src/convert/statsd.js';
import { PayloadType } from '../../../src/metrics/view.js';

interface Point {
  key: string;
  type: number;
  value: number;
}

function ours(line: string): { points: Point[]; invalid: number } {
  const points: Point[] = [];
  const c = new StatsdConverter(
    {
      points: (b: MetricBatch) => {
        for (let p = 0; p < b.length; p++) points.push({ key: b.key(p), type: b.types[p]!, value: b.values[p * 4]! });
      },
    },
    { sampleRates: 'ignore', gaugeDeltas: 'value', sets: 'distinct' },
  );
  c.datagram(new TextEncoder().encode(line));
  return { points, invalid: c.counts.invalid };
}

const KIND: Record<string, number> = { c: PayloadType.COUNT, g: PayloadType.GAUGE, ms: PayloadType.SUMMARY };

const name = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9_]{2,10}$/), fc.array(fc.stringMatching(/^[a-z][a-z0-9_-]{0,5}$/), { maxLength: 3 }))
  .map(([a, rest]) => [a, ...rest].join('.'));
const number = fc.stringMatching(/^[-+]?[0-9]{0,6}\.?[0-9]{1,6}$/);

describe('StatsD: differential against statsd-parser (where both read)', () => {
  it('same name, value and kind for every line the peer reads', () => {
    fc.assert(
      fc.property(name, number, fc.constantFrom('c', 'g', 'ms'), fc.option(fc.constantFrom('0.5', '1', '0.25', '.1')), (n, v, t, rate) => {
        const line = `${n}:${v}|${t}${rate === null ? '' : `|@${rate}`}`;
        const peer = matchStatsd(line);
        const mine = ours(line);
        expect(peer).not.toBeNull();
        expect(mine.invalid).toBe(0);
        expect(mine.points).toHaveLength(1);
        expect(mine.points[0]!.key).toBe(peer!.stat);
        expect(mine.points[0]!.type).toBe(KIND[peer!.type]);
        expect(mine.points[0]!.value).toBe(Number(peer!.value));
      }),
      { numRuns: 500 },
    );
  });
  it('a line the peer rejects in that domain is one we reject', () => {
    for (const line of ['a.b:|c', 'a.b:1|x', 'a.b|c', 'a.b:1', 'a.b:abc|g']) {
      expect(matchStatsd(line)).toBeNull();
      expect(ours(line).invalid).toBe(1);
    }
  });
  it('where the peer is naive: tags, h and d, timestamps, bad sample rates', () => {
    // Dynatrace's tags and the h/d types: the peer reads nothing, we read a point
    for (const line of ['a.b:1|c|#env:prod', 'a.b:1|h', 'a.b:1|d', 'a.b:1|g|T1700000000']) {
      expect(matchStatsd(line)).toBeNull();
      expect(ours(line).points).toHaveLength(1);
    }
    // rates outside (0, 1]: the peer takes them, we reject the line
    for (const line of ['a.b:1|c|@-1', 'a.b:1|c|@', 'a.b:1|c|@2']) {
      expect(matchStatsd(line)).not.toBeNull();
      expect(ours(line).invalid).toBe(1);
    }
  });
});
