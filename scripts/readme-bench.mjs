#!/usr/bin/env node
// Copies bench/RESULTS.md (written by `npm run bench`) into README.md between the markers
// <!-- bench:start --> and <!-- bench:end -->, so the README always shows the latest full run.
// Its "# Benchmark results" heading becomes a line of its own; the rest is copied as it is.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';
const results = readFileSync(join(root, 'bench', 'RESULTS.md'), 'utf8').replace(/^# Benchmark results\n+/, '').trim();
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const a = readme.indexOf(START);
const b = readme.indexOf(END);
if (a < 0 || b < a) {
  console.error(`readme-bench: README.md has no ${START} ... ${END} region`);
  process.exit(1);
}
writeFileSync(readmePath, `${readme.slice(0, a + START.length)}\n\n${results}\n\n${readme.slice(b)}`);
console.log('readme-bench: README.md updated from bench/RESULTS.md');
