/**
 * `dt-ingest bench`: every mode of the table on every available backend, a baseline in the same run,
 * checked verdicts, a table or JSON. Timing is not asserted (benchmarks prove speed, not tests): only
 * that the figures are consistent with each other.
 */
import { describe, expect, it } from 'vitest';
import { nativeAvailable } from '../../../src/index.js';
import { BENCH_MODES, byteLoop } from '../../../src/cli/bench/modes.js';
import { generateCorpus, NOW } from '../../../src/cli/bench/corpus.js';
import { run, scratch } from './helpers.js';

const QUICK = ['--samples', '1', '--sample-ms', '5'];

interface Row {
  mode: string;
  backend: string;
  available: boolean;
  mbPerSecond?: number;
  linesPerSecond?: number;
  nsPerLine?: number;
  bytesPerLine?: number;
  vsByteLoop?: number;
}

describe('dt-ingest bench', () => {
  it('--format json: every mode on every backend, figures that agree with each other', async () => {
    const r = await run(['bench', '-f', 'json', '--corpus-bytes', '60000', '--invalid-ratio', '0.1', ...QUICK]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { input: { bytes: number; lines: number; invalid: number }; modes: Row[] };
    const corpus = generateCorpus({ bytes: 60_000, invalidRatio: 0.1 });
    expect(report.input).toMatchObject({ bytes: Buffer.byteLength(corpus.text), lines: corpus.lines, invalid: corpus.invalid });
    const names = report.modes.map((m) => `${m.mode}/${m.backend}`);
    expect(names).toEqual(['byte loop/js', ...BENCH_MODES.flatMap((m) => (m.backends ?? ['js', 'native']).map((b) => `${m.name}/${b}`))]);
    expect(names).toContain('typed batch/js');
    for (const row of report.modes) {
      expect(row.available).toBe(row.backend === 'js' || nativeAvailable());
      if (!row.available) continue;
      expect(row.mbPerSecond! * 1e6).toBeCloseTo((report.input.bytes / report.input.lines) * row.linesPerSecond!, -3);
      expect(row.nsPerLine! * row.linesPerSecond!).toBeCloseTo(1e9, -2);
      expect(row.bytesPerLine).toBeGreaterThanOrEqual(0);
    }
    expect(report.modes[0]!.vsByteLoop).toBe(1);
  });

  it('a table on a terminal, on a file of the user', async () => {
    const dir = scratch({ 'payload.txt': generateCorpus({ bytes: 20_000, now: NOW }).text });
    const r = await run(['bench', 'payload.txt', '--now', String(NOW), ...QUICK], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^dt-ingest bench: payload\.txt, \d+ bytes, \d+ lines \(0 invalid\)\n/);
    expect(r.stdout).toMatch(/\nmode +backend +MB\/s +lines\/s +ns\/line +B\/line +vs byte loop\n/);
    for (const m of BENCH_MODES) expect(r.stdout).toMatch(new RegExp(`\\n${m.name} +js +\\d`));
  });

  it('standard input, and nothing to measure', async () => {
    const r = await run(['bench', '-', '-f', 'json', ...QUICK], { stdin: 'a.b 1\n'.repeat(100) });
    expect(JSON.parse(r.stdout).input).toMatchObject({ source: 'standard input', lines: 100 });
    const empty = await run(['bench', '-', ...QUICK], { stdin: '\n' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('dt-ingest: nothing to measure: standard input has no metric lines\n');
  });

  it('the baseline is the byte loop of the issue: one lookup per byte for the delimiters', () => {
    expect(byteLoop(new TextEncoder().encode('a,b="x\\ y" 1\n'))).toBe(8);
  });
});
