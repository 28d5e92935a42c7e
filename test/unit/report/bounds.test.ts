import { describe, expect, it } from 'vitest';
import { MetricsValidator, METRICS_DEFAULTS, validateMetrics } from '../../../src/index.js';
import type { MetricsIssue, ValidationResponse } from '../../../src/index.js';
import { REWRITE_TEXT_CACHE_KEYS } from '../../../src/report/issues.js';

const NOW = 1_700_000_000_000;

describe('bounded state keeps the answer exact for bodies the endpoint accepts', () => {
  it('the densest warned body within the default maxBodyBytes lists every warning', () => {
    // `_count 1` is the shortest warned line (9 bytes with its LF): a gauge under a `_count` key
    const lines = Math.floor(METRICS_DEFAULTS.maxBodyBytes / 9);
    expect(lines).toBeLessThanOrEqual(METRICS_DEFAULTS.maxReportedWarnings);
    const r = validateMetrics('_count 1\n'.repeat(lines), { now: NOW, backend: 'js' });
    const body = r.body as ValidationResponse;
    expect(r.status).toBe(202);
    expect(body.warnings!.message).toBe(`First ${lines} warnings reported`);
    expect(body.warnings!.changedMetricKeys).toHaveLength(lines);
    expect(body.warnings!.changedMetricKeys![lines - 1]).toEqual({ line: lines, warning: "metric key '_count' changed to '_count.gauge'" });
  });

  it('past maxReportedWarnings warned lines are counted, not listed, and the rest of the answer is unchanged', () => {
    const text = Array.from({ length: 50 }, (_, i) => `k${i}.a count,delta=1\n`).join('');
    for (const backend of ['js', 'native'] as const) {
      if (backend === 'native' && process.env.DT_INGEST_NATIVE === '0') continue;
      const r = validateMetrics(text, { now: NOW, maxReportedWarnings: 7, backend: backend === 'native' ? 'auto' : 'js' });
      const body = r.body as ValidationResponse;
      expect(body.linesOk).toBe(50);
      expect(body.warnings!.message).toBe('First 7 warnings reported');
      expect(body.warnings!.changedMetricKeys!.map((w) => w.warning)).toEqual(
        Array.from({ length: 7 }, (_, i) => `metric key 'k${i}.a' changed to 'k${i}.a.count'`),
      );
      expect(r.issues.filter((i) => i.rule === r.issues[0]!.rule)).toHaveLength(50);
    }
  });

  it('the rich report gives every warned line its own key text past the text cache bound', () => {
    const n = REWRITE_TEXT_CACHE_KEYS * 2 + 3;
    const issues: MetricsIssue[] = [];
    const v = new MetricsValidator({ now: NOW, maxBodyBytes: Number.POSITIVE_INFINITY }, { onIssue: (i) => issues.push(i) });
    // the first key again after the cache started afresh: its text is rebuilt, the same
    v.push(Array.from({ length: n }, (_, i) => `k${i}.a count,delta=1\n`).join('') + 'k0.a count,delta=2\n');
    v.end();
    expect(issues).toHaveLength(n + 1);
    for (const at of [0, REWRITE_TEXT_CACHE_KEYS - 1, REWRITE_TEXT_CACHE_KEYS, n - 1]) {
      expect(issues[at]!.message).toBe(`metric key 'k${at}.a' changed to 'k${at}.a.count'`);
      expect(issues[at]!.text).toBe(`k${at}.a`);
    }
    expect(issues[n]!.message).toBe("metric key 'k0.a' changed to 'k0.a.count'");
  });

  it('metadata duplicates are reported for the first maxTrackedMetadataKeys keys only', () => {
    const meta = (k: string) => `#${k} gauge dt.meta.unit=By\n`;
    const text = meta('a.one') + meta('a.two') + meta('a.three') + meta('a.one') + meta('a.three');
    const dupes = (o: Record<string, unknown>) =>
      validateMetrics(text, { now: NOW, ...o })
        .issues.filter((i) => i.severity === 'warning')
        .map((i) => i.line);
    expect(dupes({})).toEqual([4, 5]);
    expect(dupes({ maxTrackedMetadataKeys: 2 })).toEqual([4]);
    expect(dupes({ maxTrackedMetadataKeys: 0 })).toEqual([]);
  });
});
