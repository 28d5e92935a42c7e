#!/usr/bin/env node
// `npm run example`: the README's first command runs the CLI on the shipped example from this checkout
// (bin/dt-ingest.cjs on the dist/ that `npm install` just built), never through npx, which would
// install the repository into its cache and build it a second time.
//
// examples/metrics.txt holds invalid lines on purpose, so the CLI's exit code 1 ("findings") is the
// expected outcome here and becomes 0; 2 (usage or I/O error) or anything else is passed on.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.length > 2 ? process.argv.slice(2) : ['validate', 'metrics', 'examples/metrics.txt'];
const r = spawnSync(process.execPath, [join(root, 'bin', 'dt-ingest.cjs'), ...args], { cwd: root, stdio: 'inherit' });
if (r.error) {
  console.error(`example: ${r.error.message}`);
  process.exit(2);
}
if (r.status === 1) console.log('(exit code 1: the example holds invalid lines on purpose)');
process.exit(r.status === 1 ? 0 : (r.status ?? 2));
