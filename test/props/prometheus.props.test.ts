/**
 * Properties of the Prometheus / OpenMetrics converter (docs/spec/prometheus.md §6: "every written
 * line passes validateMetrics"):
 *
 * 1. generated expositions of valid grammar, under any options: no invalid line is reported, every
 *    written line is accepted by the metrics validator, and the output is the same however the input
 *    is chunked;
 * 2. arbitrary bytes (and generated text with bytes spliced in): nothing throws, every written line
 *    is still accepted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateMetrics } from '../../src/report/validate.js';
import { convertPieces, promExposition, promOptions } from '../helpers/prometheus.js';

const enc = (s: string) => new TextEncoder().encode(s);
const WIDE_WINDOW = { now: 1_700_000_000_000, timestampPastMs: 1e13, timestampFutureMs: 1e13 };

function accepted(text: string): boolean {
  if (text === '') return true;
  const r = validateMetrics(text, WIDE_WINDOW).body as { linesInvalid?: number };
  return r.linesInvalid === 0;
}

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const c of at) {
    out.push(bytes.subarray(from, c));
    from = c;
  }
  out.push(bytes.subarray(from));
  return out;
}

describe('Prometheus converter properties', () => {
  for (const openMetrics of [false, true]) {
    it(`${openMetrics ? 'OpenMetrics' : '0.0.4'}: valid grammar → no invalid line, every line accepted, chunking changes nothing`, () => {
      let written = 0;
      fc.assert(
        fc.property(promExposition(openMetrics), promOptions(), fc.array(fc.nat(), { maxLength: 6 }), (text, options, cuts) => {
          const bytes = enc(text);
          const whole = convertPieces([bytes], options, openMetrics);
          written += whole.text.length;
          expect(whole.problems.filter((p) => p.kind === 'invalid')).toEqual([]);
          expect(accepted(whole.text)).toBe(true);
          const chunked = convertPieces(split(bytes, cuts), options, openMetrics);
          expect(chunked.text).toBe(whole.text);
          expect(chunked.problems).toEqual(whole.problems);
        }),
        { numRuns: 150 },
      );
      // the generated expositions do give lines (the property is not vacuous)
      expect(written).toBeGreaterThan(1000);
    });
  }

  it('arbitrary bytes and spliced text: never throws, every written line accepted', () => {
    const bytesArb = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.tuple(promExposition(false), fc.uint8Array({ maxLength: 20 }), fc.nat()).map(([t, junk, at]) => {
        const b = enc(t);
        const i = at % (b.length + 1);
        const out = new Uint8Array(b.length + junk.length);
        out.set(b.subarray(0, i));
        out.set(junk, i);
        out.set(b.subarray(i), i + junk.length);
        return out;
      }),
    );
    fc.assert(
      fc.property(bytesArb, fc.boolean(), promOptions(), (bytes, openMetrics, options) => {
        const r = convertPieces([bytes], options, openMetrics);
        expect(accepted(r.text)).toBe(true);
        for (const p of r.problems) expect(p.line).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 200 },
    );
  });
});
