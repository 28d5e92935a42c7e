/**
 * Allocation check: validate-only over 100 MB must not trigger a single scavenge in a child process
 * whose young generation is fixed and small. The same check catches a deliberately allocating
 * variant (a string per line), so it can fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
let bundle = '';

beforeAll(async () => {
  bundle = join(mkdtempSync(join(tmpdir(), 'dt-ingest-alloc-')), 'index.mjs');
  await build({ entryPoints: [join(root, 'src/index.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent' });
});

function scavenges(mode: string, megabytes: number): { scavenges: number; lines: number } {
  const r = spawnSync(process.execPath, ['--max-semi-space-size=1', '--min-semi-space-size=1', '--trace-gc', join(root, 'test/alloc/alloc-child.mjs'), bundle, mode, String(megabytes)], {
    encoding: 'utf8',
    env: { ...process.env, DT_INGEST_NATIVE: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  const out = r.stdout;
  const begin = out.indexOf('@@BEGIN');
  const end = out.indexOf('@@END');
  expect(begin).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(begin);
  const phase = out.slice(begin, end);
  return { scavenges: phase.split('Scavenge').length - 1, lines: Number(out.slice(end + 6).split('\n')[0]) };
}

describe('allocation', () => {
  it('validate-only over 100 MB from memory triggers no scavenge', () => {
    const r = scavenges('validate-only', 100);
    expect(r.lines).toBeGreaterThan(800_000);
    expect(r.scavenges).toBe(0);
  });

  it('validate-only streamed in 64 KB chunks over 100 MB allocates per chunk, not per line', () => {
    // ~320 bytes per push (the chunk views), ~0.6 byte per line: 1,600 chunks fill at most two 1 MB
    // young generations, while one small object per line (830,000 lines) would take dozens
    const r = scavenges('stream', 100);
    expect(r.lines).toBeGreaterThan(800_000);
    expect(r.scavenges).toBeLessThanOrEqual(2);
  });

  it('typed parse allocates per point but stays bounded (about 1 KB per line, 1 MB young generation)', () => {
    // a scavenge per ~1 MB allocated: 20 MB of lines (~166,000 points) gives ~170; 4 KB per line is the ceiling
    const r = scavenges('typed', 20);
    expect(r.scavenges).toBeGreaterThan(10);
    expect(r.scavenges).toBeLessThan(700);
  });

  it('the same check catches a variant that allocates a string per line', () => {
    const r = scavenges('allocating', 100);
    expect(r.scavenges).toBeGreaterThan(10);
  });
});
