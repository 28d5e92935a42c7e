#!/usr/bin/env node
// `npm run prebuilds` (a script named `prebuild` would run before every `npm run build`): regenerates
// native/src/generated.h from the tables, then builds the prebuilt binary of this platform into its
// platform package, npm/<target>/dt_ingest.node (scripts/native-platforms.mjs: linux-x64-gnu here),
// with prebuildify (Node-API, so one binary serves every Node version; symbols stripped), offline with
// npm's node-gyp and the local Node headers, and records the hash of the sources next to it. The main
// package lists the platform packages as optional dependencies; src/backend/node-addon.ts loads the
// one installed (or, in this checkout, npm/<target>/). Rerun it whenever native/ changes (a stale
// binary is refused at load time, and test/native/prebuild.test.ts fails).
//
// Here (Linux x64, Debian): glibc always; musl too when a musl C++ toolchain is on the PATH
// (x86_64-linux-musl-g++, as musl.cc's): Debian's musl-tools has a C compiler only, and g++ with its
// specs fails on libstdc++'s glibc configuration (tried), so the musl binaries come from Alpine in CI.
// macOS, Windows and arm64 binaries come from .github/workflows/prebuild.yml (docs/packaging.md).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { findNodeGyp, localNodeDir, nativeDir, recordSources, root } from './native-build-lib.mjs';
import { BINARY, hostTarget, packageDir } from './native-platforms.mjs';

const require = createRequire(import.meta.url);
const prebuildify = require('prebuildify');

function fail(message) {
  console.error(`prebuild: ${message}`);
  process.exit(1);
}

// 1. the header the sources include, from the tables (as npm run build:native does)
const gen = spawnSync(process.execPath, [join(root, 'scripts', 'gen-native-header.mjs')], { stdio: 'inherit' });
if (gen.status !== 0) fail('gen-native-header failed');

const nodeGyp = findNodeGyp();
if (nodeGyp === undefined) fail("npm's node-gyp not found");
const nodedir = localNodeDir();
// node-gyp reads npm_config_nodedir: the local headers, no download
const env = nodedir === undefined ? {} : { npm_config_nodedir: nodedir };

/** One prebuildify run for `libc` (with extra environment, e.g. the musl compilers). */
function build(libc, extraEnv = {}) {
  const saved = { ...process.env };
  Object.assign(process.env, env, extraEnv);
  return new Promise((resolvePromise, reject) => {
    prebuildify(
      {
        cwd: nativeDir,
        napi: true,
        targets: [{ runtime: 'node', target: process.versions.node }],
        strip: true,
        tagLibc: true,
        libc,
        // npm's node-gyp is a script: run it with this Node through the shell
        nodeGyp: `"${process.execPath}" "${nodeGyp}"`,
        shell: process.platform === 'win32' ? true : '/bin/sh',
        quiet: process.env.DT_INGEST_BUILD_VERBOSE !== '1',
      },
      (err) => {
        process.env = saved;
        if (err) reject(err);
        else resolvePromise();
      },
    );
  });
}

const dir = join(nativeDir, 'prebuilds', `${process.platform}-${process.arch}`);
// Alpine builds its own musl binary; elsewhere on Linux the host's is glibc, and musl is cross-built
// when a musl C++ compiler is there
const alpine = process.platform === 'linux' && existsSync('/etc/alpine-release');
const libcs = process.platform === 'linux' ? [alpine ? 'musl' : 'glibc'] : [undefined];
const muslCxx = process.platform === 'linux' && process.arch === 'x64' && !alpine ? 'x86_64-linux-musl-g++' : undefined;
if (muslCxx !== undefined && spawnSync(muslCxx, ['--version'], { stdio: 'ignore' }).status === 0) libcs.push('musl');
else if (muslCxx !== undefined) console.log(`prebuild: no ${muslCxx} on the PATH: the musl binary comes from the CI workflow`);

// prebuildify's scratch directory starts empty (a binary left from another run is not copied)
rmSync(join(nativeDir, 'prebuilds'), { recursive: true, force: true });
for (const libc of libcs) {
  const extra = libc === 'musl' ? { CC: 'x86_64-linux-musl-gcc', CXX: muslCxx, LINK: muslCxx } : {};
  try {
    await build(libc, extra);
  } catch (e) {
    fail(`prebuildify (${libc ?? process.platform}) failed: ${e instanceof Error ? e.message : e}; rerun with DT_INGEST_BUILD_VERBOSE=1`);
  }
}
// a local build would be loaded before the platform package: leave none behind
rmSync(join(nativeDir, 'build'), { recursive: true, force: true });

// prebuildify's output (node.<libc>.node in native/prebuilds/<platform>-<arch>/) goes into the
// platform packages; native/prebuilds/ is only its scratch directory
const written = [];
for (const f of readdirSync(dir).filter((name) => name.endsWith('.node'))) {
  const libc = f.includes('musl') ? 'musl' : f.includes('glibc') ? 'glibc' : undefined;
  const p = hostTarget(libc);
  if (p === undefined) fail(`no platform package for ${process.platform}-${process.arch}${libc ? ` ${libc}` : ''} in scripts/native-platforms.mjs`);
  mkdirSync(packageDir(p.target), { recursive: true });
  const target = join(packageDir(p.target), BINARY);
  copyFileSync(join(dir, f), target);
  recordSources(target);
  written.push(`npm/${p.target}/${BINARY} (+ .sources)`);
}
rmSync(join(nativeDir, 'prebuilds'), { recursive: true, force: true });
if (written.length === 0) fail(`prebuildify wrote no binary into ${dir}`);
for (const w of written) console.log(`prebuild: ${w}`);
