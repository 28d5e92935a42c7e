/**
 * The cardinality analyzer's memory is bounded by its options whatever the input (issue 25, bad
 * input): 3,000,000 lines of all-distinct tuples, all-distinct metric keys, or all-distinct dimension
 * keys go through ONE analyzer in a child process (--expose-gc); the heap plus array buffers after a
 * full collection may grow by at most 16 MB between line 1,000,000 and line 3,000,000. The control with
 * every bound lifted (exact sets without end, every key tracked) shows the check sees growth. Memory
 * only, no clock. The analyzer is bundled from src/ with esbuild.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineProtocolAnalyzer } from '../../src/analyze/index.js';

const MB = 1024 * 1024;
const LONG = 300_000;
const dir = mkdtempSync(join(tmpdir(), 'dt-ingest-analyze-mem-'));
const bundle = join(dir, 'analyze.mjs');

beforeAll(async () => {
  await build({
    entryPoints: [fileURLToPath(new URL('../../src/analyze/index.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: bundle,
    logLevel: 'error',
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Result {
  points: number;
  keys: number;
  tuples: number;
  tuplesExact: boolean;
  error: number;
  tracked: number;
  growth: number;
}

function run(mode: string, lines = 3_000_000): Result {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', fileURLToPath(new URL('analyze-memory-child.mjs', import.meta.url)), pathToFileURL(bundle).href, mode, String(lines)],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Result;
}

describe('analyze: memory under millions of distinct values stays bounded (growth from line 1M to 3M)', () => {
  it('3M distinct tuples of one metric: the counters become sketches, the estimate within its error', { timeout: LONG }, () => {
    const r = run('tuples');
    expect(r.points).toBe(3_000_000);
    expect(r.tuplesExact).toBe(false);
    expect(Math.abs(r.tuples / 3_000_000 - 1)).toBeLessThan(3 * r.error);
    expect(r.growth).toBeLessThanOrEqual(16 * MB);
  });

  it('3M distinct metric keys: past maxTrackedMetrics they count in the totals only', { timeout: LONG }, () => {
    const r = run('keys');
    expect(r.points).toBe(3_000_000);
    expect(r.tracked).toBe(2000);
    expect(Math.abs(r.keys / 3_000_000 - 1)).toBeLessThan(0.03);
    expect(r.growth).toBeLessThanOrEqual(16 * MB);
  });

  it('3M distinct dimension keys of one metric: past maxTrackedDimensions they are counted, not followed', { timeout: LONG }, () => {
    const r = run('dims');
    expect(r.points).toBe(3_000_000);
    expect(r.growth).toBeLessThanOrEqual(16 * MB);
  });

  it('the check can fail: with every bound lifted the exact sets keep every tuple, and the growth shows', { timeout: LONG }, () => {
    const r = run('unbounded', 1_500_000);
    expect(r.tuplesExact).toBe(true);
    expect(r.tuples).toBe(1_500_000);
    expect(r.growth).toBeGreaterThan(16 * MB);
  });
});

/** CPU ms of analyzing `n` lines made by `line`. */
function cpu(n: number, line: (i: number) => string): number {
  let text = '';
  for (let i = 0; i < n; i++) text += `${line(i)}\n`;
  const bytes = new TextEncoder().encode(text);
  const a = new LineProtocolAnalyzer();
  const t0 = process.cpuUsage();
  for (let i = 0; i < bytes.length; i += 65536) a.push(bytes.subarray(i, i + 65536));
  a.end();
  a.report();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1000;
}

describe('analyze: time grows linearly with distinct values (4x the lines, at most 8x the CPU; quadratic would be 16x)', () => {
  const cases: Record<string, (i: number) => string> = {
    'distinct dimension keys of one metric (past the tracked ones)': (i) => `m.v,d${i}=x gauge,1`,
    'distinct metric keys (past the tracked ones)': (i) => `k${i}.v,h=x gauge,1`,
    'distinct tuples of one metric': (i) => `m.v,id=${i} gauge,1`,
  };
  for (const [name, line] of Object.entries(cases)) {
    it(name, { timeout: LONG }, () => {
      cpu(20_000, line); // warm up
      const small = Math.min(cpu(50_000, line), cpu(50_000, line));
      const large = cpu(200_000, line);
      expect(large / small).toBeLessThan(8);
    });
  }
});
