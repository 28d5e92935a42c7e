/**
 * Bounded state under distinct keys (issue 19 item 2, issue 21 item 8): 3,000,000 lines whose metric
 * keys are all distinct and all warned about (or 3,000,000 distinct metadata keys) go through ONE
 * validator or decoder in a child process (--expose-gc); the heap plus array buffers after a full
 * collection may grow by at most 32 MB between line 1,000,000 and line 3,000,000. Without the bounds
 * each key costs ~50-70 bytes (over 100 MB for these 2M keys); the control with
 * `maxReportedWarnings: Infinity` (which a caller must ask for) shows the check sees such growth.
 * Memory only, no clock. Runs on the built package (dist/), where the native addon loads.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nativeAvailable } from '../../dist/node.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = new URL('../../dist/node.js', import.meta.url).href;
const MB = 1024 * 1024;

interface Growth {
  lines: number;
  ok: number;
  issues: number;
  growth: number;
}

function run(mode: string, backend: string, lines = 3_000_000): Growth {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(new URL('memory-child.mjs', import.meta.url)), entry, mode, backend, String(lines)], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Growth;
}

const backends = nativeAvailable() ? ['js', 'native'] : ['js'];
const LONG = 300_000;

describe('memory under 3M distinct warned keys stays bounded (growth from line 1M to 3M)', () => {
  for (const backend of backends) {
    it(`validate-only, maxBodyBytes lifted: past maxReportedWarnings only counts (${backend})`, { timeout: LONG }, () => {
      const r = run('validate', backend);
      expect(r.ok).toBeGreaterThanOrEqual(3_000_000);
      expect(r.growth).toBeLessThanOrEqual(32 * MB);
    });

    it(`rich report with onIssue: one issue per line, texts from a bounded cache (${backend})`, { timeout: LONG }, () => {
      const r = run('rich', backend);
      expect(r.issues).toBe(r.ok);
      expect(r.growth).toBeLessThanOrEqual(32 * MB);
    });
  }

  it('validate-only with the endpoint defaults: nothing is kept after the 413', { timeout: LONG }, () => {
    const r = run('validate413', 'js');
    expect(r.growth).toBeLessThanOrEqual(32 * MB);
  });

  it('the columnar batch decoder: the string table starts afresh past its budget', { timeout: LONG }, () => {
    const r = run('batch', 'js');
    expect(r.ok).toBeGreaterThanOrEqual(3_000_000); // points
    expect(r.growth).toBeLessThanOrEqual(32 * MB);
  });

  it('3M distinct metadata keys in the rich report: at most maxTrackedMetadataKeys remembered', { timeout: LONG }, () => {
    const r = run('metadata', 'js');
    expect(r.growth).toBeLessThanOrEqual(32 * MB);
  });

  it('the check can fail: with maxReportedWarnings: Infinity every key is kept, and the growth shows', { timeout: LONG }, () => {
    // 1.2M lines: growth from line 400,000 to 1,200,000 (800,000 keys kept)
    const r = run('unbounded', 'js', 1_200_000);
    expect(r.growth).toBeGreaterThan(32 * MB);
  });
});
