/**
 * Hostile inputs of the StatsD and Influx converters, judged by how their cost GROWS (never by a
 * wall-clock bound, as test/hostile/hostile.test.ts): each input at a quarter of its size and at full
 * size, CPU time of the full one at most GROWTH_LIMIT times the small one's (linear work: 4x,
 * quadratic: 16x); and by what stays held: the converters' state (interned strings, per-series
 * state) stays within its options however many distinct names, tags and series arrive.
 */
import { describe, expect, it } from 'vitest';
import { InfluxConverter } from '../../src/convert/influx.js';
import type { ConvertSink } from '../../src/convert/source.js';
import { StatsdConverter } from '../../src/convert/statsd.js';

const SCALE = 4;
const GROWTH_LIMIT = Number(process.env.DT_HOSTILE_GROWTH ?? 8);
const TRIES = 3;
const FLOOR_MS = 25;
const enc = new TextEncoder();

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs `fn(n / SCALE)` and `fn(n)`; the full run may cost at most GROWTH_LIMIT times the small one. */
function linear(label: string, n: number, fn: (n: number) => void): void {
  let small = Number.POSITIVE_INFINITY;
  let full = Number.POSITIVE_INFINITY;
  let ratio = Number.POSITIVE_INFINITY;
  for (let t = 0; t < TRIES && ratio > GROWTH_LIMIT; t++) {
    let t0 = cpuMs();
    fn(Math.floor(n / SCALE));
    small = Math.min(small, cpuMs() - t0);
    t0 = cpuMs();
    fn(n);
    full = Math.min(full, cpuMs() - t0);
    ratio = full / Math.max(small, FLOOR_MS);
  }
  expect(ratio, `${label}: CPU time grew ${ratio.toFixed(2)}x from 1/${SCALE} to full size (${small.toFixed(0)} -> ${full.toFixed(0)} ms)`).toBeLessThanOrEqual(
    GROWTH_LIMIT,
  );
}

const counting = (): ConvertSink & { n: number } => {
  const s = {
    n: 0,
    points(b: { length: number }) {
      s.n += b.length;
    },
  };
  return s;
};

describe('hostile: StatsD', () => {
  it('a flood of datagrams, each a new name, tag value and gauge series: linear, state bounded', () => {
    linear('statsd flood', 80_000, (n) => {
      const sink = counting();
      const c = new StatsdConverter(sink, { maxStringBytes: 1 << 20, series: { maxSeries: 1000 } });
      for (let i = 0; i < n; i++) c.datagram(enc.encode(`flood.m${i}:+1|g|#req:${i}\nflood.c:1|c|#id:${i}`));
      expect(sink.n).toBe(2 * n);
      // the per-series state never holds more than maxSeries series
      expect((c as unknown as { gaugeSeries: { size: number } }).gaugeSeries.size).toBeLessThanOrEqual(1000);
    });
  });
  it('one line of 300,000 tags: linear (the point is dropped: more than 50 dimensions)', () => {
    linear('statsd many tags', 300_000, (n) => {
      const tags = Array.from({ length: n }, (_, i) => `k${i % 60}:v${i}`).join(',');
      const c = new StatsdConverter(counting(), { maxLineBytes: 64 << 20 });
      c.datagram(enc.encode(`a.b:1|c|#${tags}`));
      expect(c.counts.byRule['convert-too-many-dimensions']).toBe(1);
    });
  });
  it('a line of a million `|` sections and one of a million `:`: linear', () => {
    linear('statsd sections', 1_000_000, (n) => {
      const c = new StatsdConverter(counting(), { maxLineBytes: 64 << 20 });
      c.datagram(enc.encode(`a.b:1|c${'|x'.repeat(n)}\n${':'.repeat(n)}`));
      expect(c.counts.lines).toBe(2);
    });
  });
});

describe('hostile: Influx', () => {
  it('a line with a huge number of fields, every escape in their keys: linear', () => {
    linear('influx many fields', 80_000, (n) => {
      const fields = Array.from({ length: n }, (_, i) => `f\\,\\=\\ ${i}=${i}i`).join(',');
      const sink = counting();
      const c = new InfluxConverter(sink, { maxLineBytes: 64 << 20, batchPoints: 4096 });
      c.push(enc.encode(`m\\,e\\ s,t\\=k=v\\ 1 ${fields} 1700000000000000000\n`));
      c.end();
      expect(sink.n).toBe(n);
    });
  });
  it('a line of 300,000 tags (duplicates looked up in constant time): linear', () => {
    linear('influx many tags', 300_000, (n) => {
      const tags = Array.from({ length: n }, (_, i) => `,t${i}=v`).join('');
      const c = new InfluxConverter(counting(), { maxLineBytes: 64 << 20 });
      c.push(enc.encode(`m${tags} v=1\n`));
      c.end();
      expect(c.counts.byRule['convert-too-many-dimensions']).toBe(1);
    });
  });
  it('backslashes, quotes and an unclosed string of megabytes: linear', () => {
    linear('influx escapes', 2_000_000, (n) => {
      const c = new InfluxConverter(counting(), { maxLineBytes: 64 << 20 });
      c.push(enc.encode(`${'\\'.repeat(n)} v=1\nm s="${'\\"'.repeat(n)}\nm v=1,${'a'.repeat(n)}\n`));
      c.end();
      // all three unreadable: the backslashes end in an escaped space (no fields), the string is unclosed, the last field has no '='
      expect(c.counts.invalid).toBe(3);
    });
  });
  it('a stream of ever-new measurements and tag values keeps its string tables within maxStringBytes', () => {
    const c = new InfluxConverter(counting(), { maxStringBytes: 1 << 20 });
    for (let chunk = 0; chunk < 50; chunk++) {
      let text = '';
      for (let i = 0; i < 2000; i++) text += `m${chunk}_${i},id=${chunk * 2000 + i} v=${i}\n`;
      c.push(enc.encode(text));
    }
    c.end();
    const names = (c as unknown as { names: { batch: { strings: { heldBytes: number } }; raw: { heldBytes: number } } }).names;
    // one chunk's strings at most on top of the budget (the tables start afresh between batches)
    expect(names.batch.strings.heldBytes + names.raw.heldBytes).toBeLessThan(4 << 20);
    expect(c.counts.points).toBe(100_000);
  });
});
