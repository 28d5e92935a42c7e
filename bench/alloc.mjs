// Allocation table: bytes allocated per line and GC counts for validate-only (TypeScript, native),
// typed parse and streaming (64 KB chunks), each in a fresh child with a fixed 1 MB young generation.
// The test test/alloc/alloc.test.ts fails the suite if validate-only allocates per line.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const MB = quick ? 8 : 32;
const rows = [];
for (const mode of ['validate-only', 'validate-only-native', 'stream', 'typed']) {
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
  'validate-only': 'validate-only, TypeScript, one push',
  'validate-only-native': 'validate-only, native, one push',
  stream: 'validate-only, TypeScript, 64 KB chunks',
  typed: 'typed parse (pointOf per line), TypeScript',
};
console.log(`### Allocation (${MB} MB of exporter lines, young generation fixed at 1 MB)\n`);
console.log('| mode | lines | bytes allocated | bytes / line | scavenges | mark-compacts |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  if (r.error) console.log(`| ${label[r.mode]} | error: ${r.error} | | | | |`);
  else console.log(`| ${label[r.mode]} | ${r.lines} | ${r.allocated} | ${(r.allocated / r.lines).toFixed(2)} | ${r.scavenges} | ${r.marks} |`);
}
