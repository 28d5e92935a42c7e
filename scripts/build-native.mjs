#!/usr/bin/env node
// Compiles the C++ addon in native/ from source with node-gyp (the copy bundled with npm), offline,
// using the Node headers already on the machine, into native/build/Release/dt_ingest.node, and records
// the hash of its sources next to it (scripts/native-hash.mjs). An explicit opt-in, never an install
// script: `npx dt-ingest build-native` in a project that installed dt-ingest (for a platform without a
// prebuilt platform package, or to build with this machine's compiler), `npm run build:native` here.
// The loader (src/backend/node-addon.ts) prefers this build to the platform package.
//
//   node scripts/build-native.mjs              compiles; fails loudly (exit 1) when it cannot
//   node scripts/build-native.mjs --if-stale   compiles only when the built package (dist/) loads no
//                                              binary made from the current sources (npm test)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findNodeGyp, localNodeDir, nativeDir, recordSources, root } from './native-build-lib.mjs';

function giveUp(reason) {
  console.error(`dt-ingest: native addon not built (${reason}); the TypeScript path is used`);
  process.exit(1);
}

/** With --if-stale: the binary the built package loads now, when it loads one (its record matches). */
async function loadedBinary() {
  const entry = join(root, 'dist', 'node.js');
  if (!existsSync(entry)) return undefined;
  const { nativeStatus } = await import(pathToFileURL(entry).href);
  const status = nativeStatus();
  return status.available ? (status.binary ?? 'a binary') : undefined;
}

if (!existsSync(join(nativeDir, 'binding.gyp'))) giveUp('native/binding.gyp missing');
if (process.argv.includes('--if-stale')) {
  const loaded = await loadedBinary();
  if (loaded !== undefined) {
    console.log(`dt-ingest: native addon ready (${loaded})`);
    process.exit(0);
  }
}
// the header the sources include, from the tables (in a checkout; the package ships it generated)
const gen = join(root, 'scripts', 'gen-native-header.mjs');
if (existsSync(gen) && existsSync(join(root, 'src'))) {
  const g = spawnSync(process.execPath, [gen], { stdio: 'inherit' });
  if (g.status !== 0) giveUp('gen-native-header failed');
}
const nodeGyp = findNodeGyp();
if (nodeGyp === undefined) giveUp("npm's node-gyp not found");
const args = [nodeGyp, 'rebuild', `--directory=${nativeDir}`];
const nodedir = localNodeDir();
if (nodedir !== undefined) args.push(`--nodedir=${nodedir}`);
const r = spawnSync(process.execPath, args, { cwd: nativeDir, stdio: 'inherit' });
if (r.error) giveUp(r.error.message);
if (r.status !== 0) giveUp(`node-gyp exited ${r.status}; a C++ compiler, make and python3 are needed`);
const binary = join(nativeDir, 'build', 'Release', 'dt_ingest.node');
if (!existsSync(binary)) giveUp('no dt_ingest.node after the build');
recordSources(binary);
console.log(`dt-ingest: native addon built (${binary})`);
