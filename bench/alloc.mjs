// Allocation table on the exporter corpus: bytes allocated per line and GC counts for validate-only
// streamed (one validator, endpoint defaults) and per 1 MB body (a validator each) on each backend,
// the columnar batch decoder and typed objects, each in a fresh child with a fixed 1 MB young
// generation. test/alloc/alloc.test.ts holds the same scenarios to issue 11's bounds.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const MB = quick ? 8 : 32;
const rows = [];
for (const mode of ['stream:js', 'stream:native', 'bodies:js', 'bodies:native', 'batch', 'typed']) {
  const p = spawnSync(process.execPath, ['--max-semi-space-size=1', '--min-semi-space-size=1', join(here, 'alloc-child.mjs'), mode, String(MB)], {
    encoding: 'utf8',
    env: process.env,
  });
  const line = (p.stdout || '').trim().split('\n').pop();
  try {
    rows.push(JSON.parse(line));
  } catch {
    rows.push({ mode, error: (p.stderr || '').trim().split('\n').pop() });
  }
}
const label = {
  'stream:js': 'validate-only stream, 64 KB chunks, TypeScript',
  'stream:native': 'validate-only stream, 64 KB chunks, native',
  'bodies:js': 'validate-only, a validator per 1 MB body, TypeScript',
  'bodies:native': 'validate-only, a validator per 1 MB body, native',
  batch: 'MetricBatchDecoder, 64 KB chunks (lines = points + invalid + metadata)',
  typed: 'typed objects (pointOf per line), TypeScript',
};
console.log(`### Allocation (${MB} MB of exporter lines, young generation fixed at 1 MB)\n`);
console.log('| mode | lines | bytes allocated | bytes / line | scavenges | scavenges per 32 MB | mark-compacts |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  if (r.error) console.log(`| ${label[r.mode]} | error: ${r.error} | | | | | |`);
  else
    console.log(
      `| ${label[r.mode]} | ${r.lines} | ${r.allocated} | ${(r.allocated / r.lines).toFixed(2)} | ${r.scavenges} | ${((r.scavenges * 32) / MB).toFixed(1)} | ${r.marks} |`,
    );
}
