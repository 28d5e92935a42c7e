#!/usr/bin/env node
// Builds the optional C++ addon in native/ with node-gyp (the copy bundled with npm), offline, using
// the Node headers already on the machine. Runs as the package's `install` script, so it must never
// fail the install: on any problem (no compiler, no headers, unsupported platform) it prints one line
// and exits 0, and the package uses the TypeScript path.
//
//   node scripts/build-native.mjs           install mode: never fails
//   node scripts/build-native.mjs --strict  exits non-zero on failure (npm run build:native)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const strict = process.argv.includes('--strict');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');

function giveUp(reason) {
  const line = `dt-ingest: native addon not built (${reason}); using the TypeScript path`;
  if (strict) {
    console.error(line);
    process.exit(1);
  }
  console.log(line);
  process.exit(0);
}

try {
  if (process.env.DT_INGEST_NATIVE === '0') giveUp('DT_INGEST_NATIVE=0');
  if (!existsSync(join(nativeDir, 'binding.gyp'))) giveUp('native/binding.gyp missing');

  // node-gyp: npm tells lifecycle scripts where its bundled copy is; else look next to npm
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  ];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally: fine
  }
  const nodeGyp = candidates.find((p) => typeof p === 'string' && p !== '' && existsSync(p));
  if (nodeGyp === undefined) giveUp('node-gyp not found');

  // headers: use the local ones (no download) unless npm already says where they are
  const args = [nodeGyp, 'rebuild', `--directory=${nativeDir}`];
  if (!process.env.npm_config_nodedir) {
    const prefix = resolve(dirname(process.execPath), '..');
    if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
  }
  const quiet = !strict && process.env.DT_INGEST_BUILD_VERBOSE !== '1';
  const r = spawnSync(process.execPath, args, { cwd: nativeDir, stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (r.error) giveUp(r.error.message);
  if (r.status !== 0) {
    const text = `${r.stderr ?? ''}${r.stdout ?? ''}`;
    const hint = /not found|No such file|command not found/i.test(text) && /make|g\+\+|c\+\+|cc\b/i.test(text) ? 'no C++ compiler' : `node-gyp exited ${r.status}`;
    giveUp(hint);
  }
  if (!existsSync(join(nativeDir, 'build', 'Release', 'dt_ingest.node'))) giveUp('no dt_ingest.node after the build');
  if (!quiet || strict) console.log('dt-ingest: native addon built');
} catch (e) {
  giveUp(e instanceof Error ? e.message : String(e));
}
