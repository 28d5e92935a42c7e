/**
 * Prebuilt binaries and the record of their sources: the platform package of this machine
 * (npm/linux-x64-gnu/) holds a binary made from the package's native sources (after a change to
 * native/, `npm run prebuilds` must be rerun: this test says so); a binary whose record names other
 * sources, or none, is refused with a warning and a reason that says what to do, never loaded; a
 * missing one is named (the platform package it looked for); the compile from source is an explicit
 * command, and `--if-stale` compiles nothing where a fresh binary loads.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { NATIVE_BINARY, NATIVE_SOURCES, SOURCES_SUFFIX, linuxLibc, loadNativeAddon, nativePackageName } from '../../src/backend/node-addon.js';
import { SOURCES_SUFFIX as SCRIPT_SOURCES_SUFFIX, nativeSourcesHash } from '../../scripts/native-hash.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const nativeDir = join(root, 'native');
const target = nativePackageName(process.platform, process.arch, linuxLibc()).slice('dt-ingest-'.length);
const platformDir = join(root, 'npm', target);
const shipped = existsSync(platformDir) ? readdirSync(platformDir).filter((f) => f.endsWith('.node')) : [];
/** The platform the repository ships a prebuild for (others come from the CI workflow). */
const HOME_PLATFORM = process.platform === 'linux' && process.arch === 'x64';

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/**
 * A package root with only a platform package's directory (npm/<target>/, a copy of the shipped
 * binary) and the given record; returns its native/ directory.
 */
function fakeNative(record: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'dt-ingest-native-'));
  temps.push(dir);
  const pkg = join(dir, 'npm', target);
  mkdirSync(pkg, { recursive: true });
  mkdirSync(join(dir, 'native'));
  copyFileSync(join(platformDir, NATIVE_BINARY), join(pkg, NATIVE_BINARY));
  if (record !== undefined) writeFileSync(join(pkg, NATIVE_BINARY + SOURCES_SUFFIX), record + '\n');
  return join(dir, 'native');
}

describe('the shipped prebuild', () => {
  it.runIf(HOME_PLATFORM)(
    'exists for linux-x64 (glibc) in npm/linux-x64-gnu/ and was built from the native sources of this package (else: npm run prebuilds)',
    () => {
      expect(target).toBe('linux-x64-gnu');
      expect(shipped).toEqual([NATIVE_BINARY]);
      const recorded = readFileSync(join(platformDir, NATIVE_BINARY + SOURCES_SUFFIX), 'utf8').trim();
      expect(recorded, `npm/${target}/${NATIVE_BINARY} is stale: run npm run prebuilds`).toBe(nativeSourcesHash(nativeDir));
    },
  );

  it('the hash baked into the JavaScript is the hash of the native sources, computed one way', () => {
    expect(NATIVE_SOURCES).toBe(nativeSourcesHash(nativeDir));
    expect(SOURCES_SUFFIX).toBe(SCRIPT_SOURCES_SUFFIX);
    // line endings do not change it (a Windows checkout builds the same record)
    const copy = mkdtempSync(join(tmpdir(), 'dt-ingest-crlf-'));
    temps.push(copy);
    cpSync(join(nativeDir, 'src'), join(copy, 'src'), { recursive: true });
    copyFileSync(join(nativeDir, 'binding.gyp'), join(copy, 'binding.gyp'));
    const scanner = join(copy, 'src', 'scanner.cc');
    writeFileSync(scanner, readFileSync(scanner, 'utf8').replace(/\n/g, '\r\n'));
    expect(nativeSourcesHash(copy)).toBe(nativeSourcesHash(nativeDir));
    // and any change to a source does
    writeFileSync(scanner, readFileSync(scanner, 'utf8') + '\n// changed\n');
    expect(nativeSourcesHash(copy)).not.toBe(nativeSourcesHash(nativeDir));
  });
});

describe('npm run prebuilds', () => {
  it('is one command, and no script runs as an npm hook of another (a `prebuild` would run before every build, the install included)', () => {
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.prebuilds).toBe('node scripts/prebuild.mjs');
    const names = Object.keys(scripts);
    const hooks = names.filter((n) => (n.startsWith('pre') && names.includes(n.slice(3))) || (n.startsWith('post') && names.includes(n.slice(4))));
    expect(hooks).toEqual([]);
  });
});

describe.runIf(shipped.length > 0)('loading a binary checks the record of its sources', () => {
  it('loads a binary whose record names the same sources, and names it', () => {
    const native = fakeNative(NATIVE_SOURCES);
    const r = loadNativeAddon(undefined, NATIVE_SOURCES, native);
    expect(r.reason).toBeUndefined();
    expect(typeof r.addon?.scanLines).toBe('function');
    expect(r.binary).toBe(join(native, '..', 'npm', target, NATIVE_BINARY));
  });

  it('prefers a compile from source (native/build/Release) to the platform package', () => {
    const native = fakeNative(NATIVE_SOURCES);
    const release = join(native, 'build', 'Release');
    mkdirSync(release, { recursive: true });
    copyFileSync(join(platformDir, NATIVE_BINARY), join(release, NATIVE_BINARY));
    writeFileSync(join(release, NATIVE_BINARY + SOURCES_SUFFIX), `${NATIVE_SOURCES}\n`);
    expect(loadNativeAddon(undefined, NATIVE_SOURCES, native).binary).toBe(join(release, NATIVE_BINARY));
  });

  it('refuses a binary built from other sources, with a warning and the hint', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const r = loadNativeAddon('1', NATIVE_SOURCES, fakeNative('0'.repeat(64)));
      expect(r.addon).toBeUndefined();
      expect(r.required).toBe(true);
      expect(r.reason).toMatch(/^npm\/[a-z0-9-]+\/dt_ingest\.node was built from other native sources than this package's: run npx dt-ingest build-native/);
      expect(r.binary).toMatch(/dt_ingest\.node$/);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/^dt-ingest: npm\/.*other native sources.*using the TypeScript path/);
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses a binary without a record, and any binary when the JavaScript names no sources', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      expect(loadNativeAddon(undefined, NATIVE_SOURCES, fakeNative(undefined)).reason).toMatch(/has no record of its sources \(\.sources\)/);
      expect(loadNativeAddon(undefined, undefined, fakeNative(NATIVE_SOURCES)).reason).toMatch(/names no native sources/);
      expect(warn).toHaveBeenCalledTimes(2);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('a missing addon', () => {
  it('names the platform package it looked for', () => {
    const empty = mkdtempSync(join(tmpdir(), 'dt-ingest-empty-'));
    temps.push(empty);
    const r = loadNativeAddon(undefined, NATIVE_SOURCES, join(empty, 'native'));
    expect(r.addon).toBeUndefined();
    expect(r.binary).toBeUndefined();
    expect(r.reason).toBe(
      `${nativePackageName(process.platform, process.arch, linuxLibc())} is not installed (an optional dependency: no prebuilt binary for this platform, or optional dependencies were left out)`,
    );
  });

  it('the CLI prints one dt-ingest: prefix, not two', () => {
    const r = spawnSync(
      process.execPath,
      [join(root, 'bin', 'dt-ingest.cjs'), 'validate', 'metrics', join(root, 'examples', 'metrics.txt'), '--backend', 'native'],
      {
        encoding: 'utf8',
        env: { ...process.env, DT_INGEST_NATIVE: '0' },
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^dt-ingest: backend 'native' was asked for but the native addon is not loaded \(disabled by DT_INGEST_NATIVE=0\)\n$/);
  });
});

describe('the compile from source', () => {
  const script = join(root, 'scripts', 'build-native.mjs');

  it('is no install script: the package has none, and the platform packages are its optional dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      optionalDependencies: Record<string, string>;
    };
    for (const hook of ['preinstall', 'install', 'postinstall']) expect(pkg.scripts[hook]).toBeUndefined();
    expect(pkg.scripts['build:native']).toBe('node scripts/build-native.mjs');
    expect(pkg.optionalDependencies[nativePackageName('linux', 'x64', 'glibc')]).toBeDefined();
  });

  it.runIf(HOME_PLATFORM && existsSync(join(root, 'dist', 'node.js')))('--if-stale compiles nothing where the platform package is fresh and loads', () => {
    const hadBuild = existsSync(join(nativeDir, 'build'));
    const r = spawnSync(process.execPath, [script, '--if-stale'], { encoding: 'utf8', env: { ...process.env, DT_INGEST_NATIVE: '' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^dt-ingest: native addon ready \(.*dt_ingest\.node\)\n$/);
    if (!hadBuild) expect(existsSync(join(nativeDir, 'build'))).toBe(false);
  });

  it('fails loudly, with the reason, where it cannot compile (no compiler, make or python)', () => {
    // a copy of the package's native part, and a PATH without compilers, make or python
    const pkg = mkdtempSync(join(tmpdir(), 'dt-ingest-install-'));
    temps.push(pkg);
    mkdirSync(join(pkg, 'scripts'));
    for (const f of ['build-native.mjs', 'native-build-lib.mjs', 'native-hash.mjs']) copyFileSync(join(root, 'scripts', f), join(pkg, 'scripts', f));
    cpSync(join(nativeDir, 'src'), join(pkg, 'native', 'src'), { recursive: true });
    copyFileSync(join(nativeDir, 'binding.gyp'), join(pkg, 'native', 'binding.gyp'));
    const r = spawnSync(process.execPath, [join(pkg, 'scripts', 'build-native.mjs')], {
      encoding: 'utf8',
      env: { PATH: join(pkg, 'no-tools'), HOME: pkg, npm_config_nodedir: '' },
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/dt-ingest: native addon not built \(.*\); the TypeScript path is used\n$/);
    expect(existsSync(join(pkg, 'native', 'build', 'Release', 'dt_ingest.node'))).toBe(false);
  }, 90_000);
});
