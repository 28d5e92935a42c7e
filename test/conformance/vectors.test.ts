import { describe, expect, it } from 'vitest';
import { validateMetrics, parseMetrics } from '../../src/index.js';
import type { ValidationResponse } from '../../src/index.js';
import { loadMetricVectors } from '../helpers/vectors.js';

const rows = loadMetricVectors();

/** Spec §3 on a data line, by plain string operations: the warning the endpoint adds, or null. */
function expectedRewrite(line: string): string | null {
  if (line.startsWith('#')) return null;
  const key = line.slice(0, Math.min(...[line.indexOf(','), line.indexOf(' ')].filter((i) => i >= 0)));
  const counted = key.endsWith('.count') || key.endsWith('_count');
  const isCount = / count,/.test(line);
  if (isCount && !counted) return `metric key '${key}' changed to '${key}.count'`;
  if (!isCount && counted) return `metric key '${key}' changed to '${key}.gauge'`;
  return null;
}
const lineRows = rows.filter((r) => r.kind === 'line');
const bodyRows = rows.filter((r) => r.kind === 'body');

describe('metrics.tsv line vectors (default options, real clock)', () => {
  it('has the rows it should', () => {
    expect(lineRows.length).toBeGreaterThan(80);
  });
  for (const r of lineRows) {
    it(`row ${r.row}: ${r.expect} ${JSON.stringify(r.input.slice(0, 70))}`, () => {
      const { status, body, issues } = validateMetrics(r.input);
      const res = body as ValidationResponse;
      if (r.expect === 'valid') {
        expect(status, JSON.stringify(issues)).toBe(202);
        // 'valid' rows from library evidence include count lines under keys without a count suffix;
        // the endpoint accepts them and warns about the rewrite (spec §3), derived here independently
        const expected = expectedRewrite(r.input);
        if (expected === null) {
          expect(res).toEqual({ linesOk: 1, linesInvalid: 0, error: null, warnings: null });
          expect(issues.filter((i) => i.severity !== 'info')).toEqual([]);
        } else {
          expect(res.linesOk).toBe(1);
          expect(res.error).toBeNull();
          expect(res.warnings!.changedMetricKeys).toEqual([{ line: 1, warning: expected }]);
        }
      } else if (r.expect === 'invalid') {
        expect(status).toBe(400);
        expect(res.linesOk).toBe(0);
        expect(res.linesInvalid).toBe(1);
        expect(res.error!.invalidLines).toHaveLength(1);
        expect(res.error!.invalidLines[0]!.line).toBe(1);
        if (r.detail !== '') expect(res.error!.invalidLines[0]!.error).toBe(r.detail);
        expect(issues.filter((i) => i.severity === 'error')).toHaveLength(1);
        // the typed parser agrees
        const parsed = parseMetrics(r.input);
        expect(parsed).toHaveLength(1);
        expect('issue' in parsed[0]!).toBe(true);
      } else if (r.expect === 'warn') {
        expect(status).toBe(202);
        expect(res.linesOk).toBe(1);
        expect(res.warnings).not.toBeNull();
        expect(res.warnings!.changedMetricKeys).toEqual([{ line: 1, warning: r.detail }]);
        expect(res.warnings!.message).toBe('First 1 warnings reported');
      } else {
        throw new Error(`unknown expect ${r.expect}`);
      }
    });
  }
});

describe('metrics.tsv body vectors', () => {
  for (const r of bodyRows) {
    it(`row ${r.row}: ${r.expect} ${r.detail}`, () => {
      const { status, body } = validateMetrics(r.input);
      expect(r.expect).toBe('invalid');
      expect(status).toBe(400);
      expect(body).toEqual({ linesOk: 0, linesInvalid: 0, error: { code: 400, message: r.detail, invalidLines: [] }, warnings: null });
    });
  }
});
