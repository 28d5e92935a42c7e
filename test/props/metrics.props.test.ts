import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateMetrics, MetricsValidator, parseMetrics } from '../../src/index.js';
import type { ValidationResponse } from '../../src/index.js';
import { dataLine } from '../helpers/arbitraries.js';

const NOW = 1_700_000_000_000;

/** Non-blank physical lines, counted independently of the scanner (spec §1). */
function countNonBlank(bytes: Uint8Array): number {
  const text = Buffer.from(bytes).toString('latin1');
  let n = 0;
  for (let line of text.split('\n')) {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.replaceAll(' ', '') !== '') n++;
  }
  return n;
}

describe('properties of the metrics validator', () => {
  it('random bytes never throw, and linesOk + linesInvalid is the number of non-blank lines', () => {
    const bytes = fc.uint8Array({ maxLength: 400 }).chain((a) => fc.constant(a));
    const mixed = fc
      .array(fc.oneof(fc.constantFrom(10, 13, 32, 44, 61, 34, 92, 35), fc.integer({ min: 0, max: 255 })), { maxLength: 300 })
      .map((a) => Uint8Array.from(a));
    fc.assert(
      fc.property(fc.oneof(bytes, mixed), (input) => {
        const r = validateMetrics(input, { now: NOW });
        const n = countNonBlank(input);
        if (n === 0) {
          expect(r.status).toBe(400);
        } else {
          const b = r.body as ValidationResponse;
          expect(b.linesOk + b.linesInvalid).toBe(n);
          expect(r.issues.filter((i) => i.severity === 'error')).toHaveLength(b.linesInvalid);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('lines generated from the grammar are valid, and parse back to their parts', () => {
    fc.assert(
      fc.property(dataLine(NOW), (l) => {
        const r = validateMetrics(l.text, { now: NOW });
        expect(r.body, l.text).toMatchObject({ linesOk: 1, linesInvalid: 0, error: null, warnings: null });
        const [p] = parseMetrics(l.text, { now: NOW });
        if (!p || !('point' in p)) throw new Error('expected a point');
        expect(p.point.key).toBe(l.key);
        const seen = new Set<string>();
        const expectedDims = l.dims.filter((d) => !seen.has(d.key) && Boolean(seen.add(d.key))).map((d) => ({ key: d.key, value: d.value }));
        expect(p.point.dimensions).toEqual(expectedDims);
        expect(p.point.timestamp).toBe(l.ts ?? null);
      }),
      { numRuns: 1000 },
    );
  });

  it('a single mutation at a known position gives the expected rule and column', () => {
    const mutation = fc.constantFrom(
      { where: 'key', ch: '!', rule: 'metric-key-char' },
      { where: 'key', ch: 'Ä', rule: 'metric-key-char' },
      { where: 'dimkey', ch: 'Q', rule: 'dimension-key-char' },
      { where: 'dimkey', ch: '$', rule: 'dimension-key-char' },
      { where: 'dimvalue', ch: '\u0001', rule: 'dimension-value-char' },
      { where: 'dimvalue', ch: '=', rule: 'dimension-value-char' },
    );
    const line = fc.record({
      key: fc.constantFrom('my.metric', 'cpu_usage.total', 'abc'),
      dimKey: fc.constantFrom('host', 'dt.entity.host', 'k8s:pod_name'),
      dimValue: fc.constantFrom('web01', 'abcdef', 'x-y-z'),
    });
    fc.assert(
      fc.property(line, mutation, fc.nat(), (l, m, pos) => {
        let key = l.key;
        let dimKey = l.dimKey;
        let dimValue = l.dimValue;
        let column: number;
        if (m.where === 'key') {
          const at = 1 + (pos % (key.length - 1)); // never the first char (that is a section-start rule)
          key = key.slice(0, at) + m.ch + key.slice(at + 1);
          column = at + 1;
        } else if (m.where === 'dimkey') {
          const at = 1 + (pos % (dimKey.length - 1));
          // keep '.' separators intact so the mutation is the only problem
          if (dimKey[at] === '.' || dimKey[at - 1] === '.') return;
          dimKey = dimKey.slice(0, at) + m.ch + dimKey.slice(at + 1);
          column = key.length + 2 + at;
        } else {
          const at = pos % dimValue.length;
          dimValue = dimValue.slice(0, at) + m.ch + dimValue.slice(at + 1);
          column = key.length + 1 + dimKey.length + 1 + at + 1;
        }
        const text = `${key},${dimKey}=${dimValue} 1`;
        const r = validateMetrics(text, { now: NOW });
        expect(
          r.issues.map((i) => [i.rule, i.column]),
          text,
        ).toEqual([[m.rule, column]]);
      }),
      { numRuns: 1000 },
    );
  });

  it('validate-only and the rich validator agree on every random body', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            dataLine(NOW).map((l) => l.text),
            fc.string({ maxLength: 40 }),
          ),
          { maxLength: 20 },
        ),
        (lines) => {
          const text = lines.join('\n');
          const v = new MetricsValidator({ now: NOW }, { issues: false });
          v.push(text);
          expect(v.end().body).toEqual(validateMetrics(text, { now: NOW }).body);
        },
      ),
      { numRuns: 300 },
    );
  });
});
