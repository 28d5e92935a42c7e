// The platform packages of the prebuilt native addon (the esbuild/swc pattern): one npm package per
// platform, `dt-ingest-<target>`, with only `dt_ingest.node` and its record of the sources, and
// `os`/`cpu`/`libc` in its package.json so that npm, pnpm and yarn install only the one that matches.
// The main package lists them all in `optionalDependencies` and has no install script;
// src/backend/node-addon.ts (`nativePackageName`) derives the same names at load time.
//
// Each lives in npm/<target>/ of this repository: `npm run prebuilds` writes this machine's binary
// there (linux-x64-gnu here), .github/workflows/prebuild.yml the others, and `npm publish` runs in
// each directory. `node scripts/native-platforms.mjs` writes their package.json files from this table
// and the main package.json (`--check`: only says whether they are up to date; test/native/packages.test.ts).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every target: the directory under npm/ and the package name's tail, and what it runs on. */
export const PLATFORMS = [
  { target: 'linux-x64-gnu', os: 'linux', cpu: 'x64', libc: 'glibc' },
  { target: 'linux-arm64-gnu', os: 'linux', cpu: 'arm64', libc: 'glibc' },
  { target: 'linux-x64-musl', os: 'linux', cpu: 'x64', libc: 'musl' },
  { target: 'linux-arm64-musl', os: 'linux', cpu: 'arm64', libc: 'musl' },
  { target: 'darwin-x64', os: 'darwin', cpu: 'x64' },
  { target: 'darwin-arm64', os: 'darwin', cpu: 'arm64' },
  { target: 'win32-x64-msvc', os: 'win32', cpu: 'x64' },
];

/** The binary's file name in a platform package. */
export const BINARY = 'dt_ingest.node';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The target of this machine (`libc`: 'glibc' or 'musl' on Linux), or undefined when none is built. */
export function hostTarget(libc) {
  return PLATFORMS.find((p) => p.os === process.platform && p.cpu === process.arch && (p.libc === undefined || p.libc === libc));
}

/** The directory of a target's package. */
export function packageDir(target) {
  return join(root, 'npm', target);
}

/** The package.json of a target, from the main package's. */
export function platformManifest(p, main) {
  const m = {
    name: `${main.name}-${p.target}`,
    version: main.version,
    description: `The prebuilt native addon of ${main.name} for ${p.target} (installed by ${main.name} as an optional dependency; not for direct use).`,
    license: main.license,
    repository: main.repository === undefined ? undefined : { ...main.repository, directory: `npm/${p.target}` },
    os: [p.os],
    cpu: [p.cpu],
    libc: p.libc === undefined ? undefined : [p.libc],
    files: [BINARY, `${BINARY}.sources`],
    engines: main.engines,
  };
  return JSON.parse(JSON.stringify(m));
}

/** What the main package's optionalDependencies must be: every platform package at its own version. */
export function expectedOptionalDependencies(main) {
  return Object.fromEntries(PLATFORMS.map((p) => [`${main.name}-${p.target}`, main.version]));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const main = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const stale = [];
  for (const p of PLATFORMS) {
    const file = join(packageDir(p.target), 'package.json');
    const text = `${JSON.stringify(platformManifest(p, main), null, 2)}\n`;
    let old = '';
    try {
      old = readFileSync(file, 'utf8');
    } catch {}
    if (old === text) continue;
    stale.push(`npm/${p.target}/package.json`);
    if (!check) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  }
  // compared as sorted entries: npm sorts the key on every `npm install <pkg>`, which is no change
  const sorted = (deps) => JSON.stringify(Object.entries(deps ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  if (sorted(main.optionalDependencies) !== sorted(expectedOptionalDependencies(main))) stale.push('package.json optionalDependencies');
  if (check && stale.length > 0) {
    console.error(`native-platforms: out of date: ${stale.join(', ')} (run node scripts/native-platforms.mjs; optionalDependencies by hand)`);
    process.exit(1);
  }
  if (!check) for (const s of stale) console.log(`native-platforms: wrote ${s}`);
}
