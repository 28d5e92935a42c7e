/**
 * Fix mode never changes a line's meaning (issue 22): a repaired line keeps its key (normalized),
 * every dimension (normalized) and its value, or it is left out with a reason. The lines are drawn
 * as a sender meant them, then written the sloppy ways senders write them (unescaped spaces in keys
 * and values, uppercase dimension keys, control characters, timestamps in seconds); the oracle is the
 * careful rendering of the normalized meaning, read by the validator's own parser.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixMetrics, normalizeDimensionKey, normalizeDimensionValue, normalizeMetricKey, parseMetrics } from '../../src/index.js';

const NOW = 1_700_000_000_000;
const opts = { now: NOW };

const letters = (min: number, max: number, upper = false) =>
  fc.string({
    unit: fc.constantFrom(...(upper ? 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ' : 'abcdefghijklmnopqrstuvwxyz')),
    minLength: min,
    maxLength: max,
  });

/** A word that can never read as a payload, so each sloppy line has exactly one meaning. */
const word = letters(1, 6, true);

/** The meaning: key, dimensions (unique keys), value, timestamp; and how sloppily it is written. */
const meant = fc.record({
  keyWords: fc.array(
    fc.array(letters(2, 6), { minLength: 1, maxLength: 3 }).map((s) => s.join('.')),
    { minLength: 1, maxLength: 2 },
  ),
  dims: fc.uniqueArray(fc.record({ key: letters(1, 5), upper: fc.boolean(), words: fc.array(word, { minLength: 1, maxLength: 3 }), control: fc.boolean() }), {
    maxLength: 5,
    selector: (d) => d.key,
  }),
  value: fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
  timestamp: fc.option(fc.integer({ min: NOW - 3_000_000, max: NOW }), { nil: undefined }),
  seconds: fc.boolean(),
});

type Meant = typeof meant extends fc.Arbitrary<infer T> ? T : never;

function sloppy(m: Meant): string {
  let line = m.keyWords.join(' '); // a space in the key, unescaped
  for (const d of m.dims) {
    const key = d.upper ? d.key.toUpperCase() : d.key;
    let value = d.words.join(' '); // spaces in the value, unescaped
    if (d.control) value += '\u0001';
    line += `,${key}=${value}`;
  }
  line += ` ${m.value}`;
  if (m.timestamp !== undefined) line += ` ${m.seconds ? Math.floor(m.timestamp / 1000) : m.timestamp}`;
  return line;
}

function careful(m: Meant): string {
  let line = normalizeMetricKey(m.keyWords.join(' '))!;
  for (const d of m.dims) {
    const value = d.words.join(' ') + (d.control ? '\u0001' : '');
    line += `,${normalizeDimensionKey(d.key)}=${normalizeDimensionValue(value)}`;
  }
  line += ` ${m.value}`;
  if (m.timestamp !== undefined) line += ` ${m.seconds ? Math.floor(m.timestamp / 1000) * 1000 : m.timestamp}`;
  return line;
}

describe('fix mode keeps meaning', () => {
  it('a repaired line has the key, every dimension and the value it was meant to have, or is left out with a reason', () => {
    let repaired = 0;
    let runs = 0;
    fc.assert(
      fc.property(meant, (m) => {
        runs++;
        const r = fixMetrics(`${sloppy(m)}\n`, opts);
        if (r.output === '') {
          const dropped = r.issues.filter((i) => i.rule === 'fix-line-dropped');
          expect(dropped).toHaveLength(1);
          expect(dropped[0]!.message.length).toBeGreaterThan('line left out, it cannot be repaired: '.length);
          return;
        }
        repaired++;
        const got = parseMetrics(r.output, opts);
        const want = parseMetrics(`${careful(m)}\n`, opts);
        expect(want).toHaveLength(1);
        expect('point' in want[0]!).toBe(true);
        expect(got).toEqual(want);
      }),
      { numRuns: 1500 },
    );
    // a fixer that leaves every line out would pass the rest: most of these lines are repairable
    expect(repaired / runs).toBeGreaterThan(0.9);
  });

  it('mutating a valid line never makes fix mode keep a line with another value or fewer dimensions', () => {
    const valid = fc.record({
      key: fc.array(letters(2, 6), { minLength: 2, maxLength: 3 }).map((s) => s.join('.')),
      dims: fc.uniqueArray(fc.record({ key: letters(1, 5), value: letters(1, 6, true) }), { maxLength: 6, selector: (d) => d.key }),
      value: fc.integer({ min: -1e6, max: 1e6 }),
    });
    const mutation = fc.record({ at: fc.nat(), byte: fc.constantFrom(' ', '=', ',', '"', '\\', '\u0000', 'A', '.') });
    fc.assert(
      fc.property(valid, mutation, (v, mu) => {
        const line = v.key + v.dims.map((d) => `,${d.key}=${d.value}`).join('') + ` ${v.value}`;
        const at = mu.at % line.length;
        const mutated = line.slice(0, at) + mu.byte + line.slice(at);
        const r = fixMetrics(`${mutated}\n`, opts);
        if (r.linesKept === 1) return; // still valid as mutated: fix mode copies it unchanged
        for (const entry of parseMetrics(r.output, opts)) {
          if (!('point' in entry)) continue;
          const p = entry.point;
          // the value is kept whole (a mutation inside it makes another number only by inserting a
          // character, which the fixer then cannot read as a payload: it leaves the line out)
          expect(p.payload).toEqual({ type: 'gauge', value: v.value });
          expect(p.dimensions.length).toBeGreaterThanOrEqual(v.dims.length);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
