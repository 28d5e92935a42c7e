/**
 * The reference the adapters are compared with: checked once against the one-call APIs.
 */
import { describe, expect, it } from 'vitest';
import { LineFilterCollector, LineResultCollector } from '../../../src/stream/core.js';
import { isMetricsSummary, validateMetrics } from '../../../src/index.js';
import { CORPUS, CORPUS_BYTES, NOW, OPTION_SETS, checkReference, reference, validLines } from './corpus.js';

describe('stream reference', () => {
  it('the corpus is realistic: ~200 lines, valid and invalid, metadata, warnings', () => {
    const r = validateMetrics(CORPUS_BYTES, { now: NOW });
    expect(r.status).toBe(400);
    const body = r.body as { linesOk: number; linesInvalid: number };
    expect(body.linesOk + body.linesInvalid).toBeGreaterThan(180);
    expect(body.linesInvalid).toBeGreaterThan(20);
    expect(r.issues.some((i) => i.severity === 'warning')).toBe(true);
    expect(CORPUS.includes('\r\n')).toBe(true);
  });

  for (const { name, options } of OPTION_SETS) {
    it(`line results agree with validateMetrics and parseMetrics (${name})`, () => {
      checkReference(reference(CORPUS_BYTES, options), CORPUS_BYTES, options);
    });
  }

  it('lines: issues keeps only lines with an issue; none keeps only the summary', () => {
    const all = reference(CORPUS_BYTES, { now: NOW });
    const withIssue = all.filter((r) => !isMetricsSummary(r) && (!r.ok || r.warnings !== undefined));
    const c = new LineResultCollector({ now: NOW, lines: 'issues' });
    const issues = [...c.push(CORPUS_BYTES), ...c.end()];
    expect(issues.slice(0, -1)).toEqual(withIssue);
    expect(issues[issues.length - 1]).toEqual(all[all.length - 1]);
    const n = new LineResultCollector({ now: NOW, lines: 'none' });
    expect([...n.push(CORPUS_BYTES), ...n.end()]).toEqual([all[all.length - 1]]);
  });

  it('typed: false drops point and metadata; summaryIssues: false empties the summary issues', () => {
    const c = new LineResultCollector({ now: NOW, typed: false, summaryIssues: false });
    const out = [...c.push(CORPUS_BYTES), ...c.end()];
    for (const r of out) {
      if (isMetricsSummary(r)) {
        const full = validateMetrics(CORPUS_BYTES, { now: NOW });
        expect(r.summary).toEqual({ ...full, issues: [] });
      } else expect('point' in r || 'metadata' in r).toBe(false);
    }
  });

  it('the filter keeps exactly the valid lines, and they re-validate clean', () => {
    const f = new LineFilterCollector({ now: NOW });
    const head = f.push(CORPUS_BYTES);
    const { bytes, result } = f.end();
    const text = Buffer.concat([head, bytes]).toString('utf8');
    expect(text).toBe(validLines(CORPUS, { now: NOW }));
    expect(result).toEqual(validateMetrics(CORPUS_BYTES, { now: NOW }));
    const again = validateMetrics(text, { now: NOW }).body as { linesOk: number; linesInvalid: number };
    expect(again.linesInvalid).toBe(0);
    expect(again.linesOk).toBe((result.body as { linesOk: number }).linesOk);
  });

  it('the filter reads the line map in a window: its memory stays one chunk of lines and one bounded unfinished line', () => {
    const maxLineLength = 40;
    const long = `k ${'€'.repeat(200)}`; // far past the limit, in 3-byte characters: invalid
    const text = `${Array.from({ length: 5000 }, (_, i) => (i % 97 === 0 ? long : `a.b,i=${i} ${i}`)).join('\n')}\nlast.line 1`;
    const bytes = Buffer.from(text);
    const f = new LineFilterCollector({ now: NOW, maxLineLength });
    const state = f as unknown as { map: { verdicts: Uint8Array }; tail: Uint8Array; tailLength: number };
    const parts: Uint8Array[] = [];
    let widestTail = 0;
    for (let i = 0; i < bytes.length; i += 7) {
      parts.push(f.push(bytes.subarray(i, i + 7)));
      widestTail = Math.max(widestTail, state.tail.length);
    }
    const { bytes: last, result } = f.end();
    parts.push(last);
    expect(Buffer.concat(parts).toString('utf8')).toBe(validLines(text, { now: NOW, maxLineLength }));
    expect(result).toEqual(validateMetrics(bytes, { now: NOW, maxLineLength }));
    // 5001 lines went through a map that never held more than its first capacity
    expect(state.map.verdicts.length).toBe(1024);
    // the 600-byte lines were not kept whole: the tail is bounded by the line limit (3 bytes a unit)
    expect(widestTail).toBeLessThanOrEqual(3 * (maxLineLength + 1));
    expect(widestTail).toBeGreaterThan(0);
  });

  it('rejects a wrong lines setting', () => {
    expect(() => new LineResultCollector({ lines: 'some' as 'all' })).toThrow(TypeError);
  });
});
