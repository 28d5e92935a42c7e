#!/usr/bin/env node
// Builds the optional C++ addon in native/ with node-gyp (the copy bundled with npm), offline, using
// the Node headers already on the machine, and records the hash of its sources next to it
// (scripts/native-hash.mjs). Runs as the package's `install` script, so there it must never fail the
// install and says nothing: it returns at once when a binary made from these sources loads (the
// prebuild shipped in native/prebuilds/, or an earlier build), else it compiles; without a compiler
// (or on any other problem) the package uses the TypeScript path (`nativeStatus()` says why).
//
//   node scripts/build-native.mjs                    install mode: silent, never fails, compiles only when needed
//   node scripts/build-native.mjs --strict           always compiles, fails loudly (npm run build:native)
//   node scripts/build-native.mjs --strict --if-stale  compiles (loudly) only when no fresh binary loads (npm test)
//
// DT_INGEST_BUILD_VERBOSE=1 prints what install mode does.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SOURCES_SUFFIX, findNodeGyp, localNodeDir, nativeDir, nativeSourcesHash, recordSources } from './native-build-lib.mjs';

const strict = process.argv.includes('--strict');
const ifStale = process.argv.includes('--if-stale');
const verbose = strict || process.env.DT_INGEST_BUILD_VERBOSE === '1';
const say = (line) => {
  if (verbose) console.log(line);
};

function giveUp(reason) {
  const line = `dt-ingest: native addon not built (${reason}); using the TypeScript path`;
  if (strict) {
    console.error(line);
    process.exit(1);
  }
  say(line);
  process.exit(0);
}

/** The binary node-gyp-build would load (a local build first, then the prebuild), when it is fresh and loads. */
function freshBinary() {
  let file;
  try {
    file = createRequire(import.meta.url)('node-gyp-build').resolve(nativeDir);
  } catch {
    return undefined; // no build and no prebuild for this platform
  }
  let recorded;
  try {
    recorded = readFileSync(file + SOURCES_SUFFIX, 'utf8').trim();
  } catch {
    return undefined;
  }
  if (recorded !== nativeSourcesHash(nativeDir)) return undefined;
  try {
    createRequire(import.meta.url)(file); // loads here (a prebuild for a newer libc would not)
    return file;
  } catch {
    return undefined;
  }
}

try {
  if (process.env.DT_INGEST_NATIVE === '0') giveUp('DT_INGEST_NATIVE=0');
  if (!existsSync(join(nativeDir, 'binding.gyp'))) giveUp('native/binding.gyp missing');
  if (!strict || ifStale) {
    const fresh = freshBinary();
    if (fresh !== undefined) {
      say(`dt-ingest: native addon ready (${fresh})`);
      process.exit(0);
    }
  }

  const nodeGyp = findNodeGyp();
  if (nodeGyp === undefined) giveUp('node-gyp not found');
  const args = [nodeGyp, 'rebuild', `--directory=${nativeDir}`];
  const nodedir = localNodeDir();
  if (nodedir !== undefined) args.push(`--nodedir=${nodedir}`);
  const r = spawnSync(process.execPath, args, { cwd: nativeDir, stdio: strict ? 'inherit' : 'pipe', encoding: 'utf8' });
  if (r.error) giveUp(r.error.message);
  if (r.status !== 0) {
    const text = `${r.stderr ?? ''}${r.stdout ?? ''}`;
    const hint =
      /not found|No such file|command not found/i.test(text) && /make|g\+\+|c\+\+|cc\b/i.test(text) ? 'no C++ compiler' : `node-gyp exited ${r.status}`;
    giveUp(hint);
  }
  const binary = join(nativeDir, 'build', 'Release', 'dt_ingest.node');
  if (!existsSync(binary)) giveUp('no dt_ingest.node after the build');
  recordSources(binary);
  say('dt-ingest: native addon built');
} catch (e) {
  giveUp(e instanceof Error ? e.message : String(e));
}
