/**
 * Allocation per data point of the OTLP validate-only walk (issue 24: "no allocation per data point"):
 * 1.6 million points (400 walks of a 4,000-point request) in a child process whose young generation
 * is fixed at 1 MB must cause at most 2 scavenges, i.e. well under one byte per point on average (one
 * small object per point would be 16+ bytes each: 25+ MB, 25+ scavenges). The same check on the rich
 * report of a request whose every point has a change (an issue object per point) fails the bound, so
 * the check can fail. Runs on the built package (dist/).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = new URL('../../dist/index.js', import.meta.url).href;

function scavenges(mode: string, rounds: number): { scavenges: number; points: number } {
  const r = spawnSync(
    process.execPath,
    [
      '--max-semi-space-size=1',
      '--min-semi-space-size=1',
      '--trace-gc',
      fileURLToPath(new URL('otlp-alloc-child.mjs', import.meta.url)),
      entry,
      mode,
      String(rounds),
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  const out = r.stdout;
  const begin = out.indexOf('@@BEGIN');
  const end = out.indexOf('@@END');
  expect(begin).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(begin);
  return { scavenges: out.slice(begin, end).split('Scavenge').length - 1, points: Number(out.slice(end + 6).split('\n')[0]) };
}

describe('OTLP validate-only allocates nothing per data point (1 MB young generation)', () => {
  it('1.6 M points: at most 2 scavenges', () => {
    const r = scavenges('validate-only', 400);
    expect(r.points).toBe(1_600_000);
    expect(r.scavenges).toBeLessThanOrEqual(2);
  });
  it('the rich report with an issue per point exceeds the bound (the check can fail)', () => {
    const r = scavenges('report', 100);
    expect(r.points).toBe(400_000);
    expect(r.scavenges).toBeGreaterThan(2);
  });
});
