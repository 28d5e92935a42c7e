/**
 * Results are identical however the body is cut (llhttp re-runs every case split at every byte
 * offset; so do we): inside quoted values, between CR and LF, inside UTF-8 sequences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetricsValidator, validateMetrics, type MetricsValidationResult } from '../../src/index.js';
import { loadMetricVectors } from '../helpers/vectors.js';
import { dataLine } from '../helpers/arbitraries.js';

const NOW = Date.now();

function inPieces(bytes: Uint8Array, cuts: number[], options: Record<string, unknown> = {}): MetricsValidationResult {
  const v = new MetricsValidator({ now: NOW, ...options });
  let prev = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    v.push(bytes.subarray(prev, c));
    prev = c;
  }
  v.push(bytes.subarray(prev));
  return v.end();
}

const MIXED = [
  '#cpu.temp gauge dt.meta.displayName="CPU \\"temp\\"",dt.meta.unit=Cel',
  'cpu.temp,host="web 01, rack=2",region=eu\\ west gauge,min=1.5,max=2.5,sum=4,count=2',
  'cpu.temp,city=Zürich,emoji=😀 42\r',
  '',
  '   ',
  'bad key here',
  'requests.count,path=/a\\,b count,delta=-3',
  'my.metric,a="unterminated 1',
  `latency,svc=api 12.5 ${NOW}`,
  'x'.repeat(300) + ' 1',
  'ok.metric 1e+10',
].join('\n');

describe('chunk boundaries', () => {
  const rows = loadMetricVectors().filter((r) => r.kind === 'line' || r.kind === 'body');
  it('every vector gives the same result cut at every byte offset', () => {
    for (const r of rows) {
      const bytes = new TextEncoder().encode(r.input);
      const whole = validateMetrics(bytes, { now: NOW });
      for (let cut = 0; cut <= bytes.length; cut++) {
        expect(inPieces(bytes, [cut]), `row ${r.row} cut ${cut}`).toEqual(whole);
      }
    }
  });

  it('a mixed body (quotes, CRLF, UTF-8, escapes, metadata, blank lines) gives the same result cut at every offset', () => {
    const bytes = new TextEncoder().encode(MIXED);
    const whole = validateMetrics(bytes, { now: NOW });
    expect(whole.status).toBe(400);
    for (let cut = 0; cut <= bytes.length; cut++) expect(inPieces(bytes, [cut])).toEqual(whole);
    for (let cut = 0; cut + 3 <= bytes.length; cut += 3) expect(inPieces(bytes, [cut, cut + 1, cut + 2])).toEqual(whole);
  });

  it('random multi-way cuts of the mixed body and of generated bodies', () => {
    const mixed = new TextEncoder().encode(MIXED);
    const whole = validateMetrics(mixed, { now: NOW });
    fc.assert(
      fc.property(fc.array(fc.nat({ max: mixed.length }), { maxLength: 30 }), (cuts) => {
        expect(inPieces(mixed, cuts)).toEqual(whole);
      }),
      { numRuns: 500 },
    );
    // the separator is an arbitrary too, so a failure shrinks and replays with it
    const body = fc
      .tuple(
        fc.array(
          fc.oneof(
            dataLine(NOW).map((l) => l.text),
            fc.string({ maxLength: 30 }),
            fc.constant(''),
          ),
          { maxLength: 15 },
        ),
        fc.constantFrom('\n', '\r\n'),
      )
      .map(([ls, separator]) => new TextEncoder().encode(ls.join(separator)));
    fc.assert(
      fc.property(
        body.chain((b) => fc.tuple(fc.constant(b), fc.array(fc.nat({ max: b.length }), { maxLength: 12 }))),
        ([b, cuts]) => {
          expect(inPieces(b, cuts)).toEqual(validateMetrics(b, { now: NOW }));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a line past the length limit gives the same error whole or carried across chunks, and later lines still parse', () => {
    const long = 'my.metric,a="' + 'é'.repeat(60_000) + '" 1';
    const bytes = new TextEncoder().encode(`abc 1\n${long}\r\nabc 2\nbad`);
    const whole = validateMetrics(bytes, { now: NOW });
    expect(whole.body).toMatchObject({
      linesOk: 2,
      linesInvalid: 2,
      error: {
        invalidLines: [
          { line: 2, error: 'line length exceeded: 60016 > 50000' },
          { line: 4, error: 'invalid metric type' },
        ],
      },
    });
    for (const size of [1, 7, 1000, 4096, 65_536]) {
      const cuts: number[] = [];
      for (let c = size; c < bytes.length; c += size) cuts.push(c);
      expect(inPieces(bytes, cuts), `chunk size ${size}`).toEqual(whole);
    }
  });
});
