#!/usr/bin/env node
// Runs a node script pinned to one core (`taskset -c 1`) where taskset exists, so a benchmark on a
// shared machine is not moved between cores mid-run; elsewhere it simply runs it.
//   node scripts/pinned.mjs bench/hotpath.mjs [args...]
import { spawnSync } from 'node:child_process';

const [script, ...args] = process.argv.slice(2);
if (script === undefined) {
  console.error('usage: node scripts/pinned.mjs SCRIPT [ARGS...]');
  process.exit(2);
}
const pin = spawnSync('taskset', ['-c', '1', 'true']).status === 0 ? ['taskset', '-c', '1'] : [];
const cmd = [...pin, process.execPath, script, ...args];
const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit' });
process.exit(r.status ?? 1);
