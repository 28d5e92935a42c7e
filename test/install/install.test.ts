/**
 * The package as users install it: the packed main package and the packed platform packages
 * (npm/<target>/; only linux-x64-gnu holds a binary here) installed into fresh projects by npm, pnpm
 * (current major, `--frozen-lockfile`, and `--ignore-scripts`) and yarn (berry, node-modules linker).
 * Each install exits 0 and prints no warning, only the platform package of this machine is installed,
 * and the installed package loads the addon from it (nativeStatus() names the binary); with npm the
 * README's CLI example runs from the consumer project on the example the package ships.
 *
 * Slow (three package managers, network to the npm registry for pnpm, yarn and the dependencies):
 * not in the default `vitest run`; `npm test` runs it once (scripts/test-both.mjs), or
 * `DT_INGEST_INSTALL_TESTS=1 npx vitest run test/install`. Needs a fresh dist/ (npx tsup).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linuxLibc, nativePackageName } from '../../src/backend/node-addon.js';
import { PLATFORMS } from '../../scripts/native-platforms.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** The package managers' versions: pnpm's current major, yarn berry. */
const PNPM = 'pnpm@12';
const YARN = '@yarnpkg/cli-dist@4';
/** Where the package managers and their stores stay between runs (inside node_modules: never committed). */
const cache = join(root, 'node_modules', '.cache', 'dt-ingest-install');
const here = nativePackageName(process.platform, process.arch, linuxLibc());
const HOME_PLATFORM = here === 'dt-ingest-linux-x64-gnu';

let work: string;
let tarballs: Record<string, string>;

function run(cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, DT_INGEST_NATIVE: '', NO_COLOR: '1', CI: '1', ...env }, timeout: 300_000 });
}

function packInto(dir: string, from: string): string {
  const r = run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], from);
  if (r.status !== 0) throw new Error(`npm pack in ${from} failed: ${r.stderr}`);
  return join(dir, r.stdout.trim().split('\n').pop()!);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'dt-ingest-install-'));
  const packs = join(work, 'tarballs');
  mkdirSync(packs);
  tarballs = { 'dt-ingest': packInto(packs, root) };
  for (const p of PLATFORMS) tarballs[`dt-ingest-${p.target}`] = packInto(packs, join(root, 'npm', p.target));
  // the package managers themselves, from the npm registry (no corepack download)
  if (!existsSync(join(cache, 'tools', 'node_modules', 'pnpm')) || !existsSync(join(cache, 'tools', 'node_modules', '@yarnpkg', 'cli-dist'))) {
    mkdirSync(join(cache, 'tools'), { recursive: true });
    const r = run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', '--prefix', join(cache, 'tools'), PNPM, YARN], root);
    if (r.status !== 0) throw new Error(`installing ${PNPM} and ${YARN} failed: ${r.stderr}`);
  }
}, 600_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/**
 * A fresh project depending on the packed dt-ingest, the platform packages (not on the registry)
 * pointed at their tarballs: npm's `overrides`, yarn's `resolutions`, pnpm's `overrides` in
 * pnpm-workspace.yaml (pnpm 11+ reads no "pnpm" field in package.json).
 */
function project(name: string, overridesKey: 'overrides' | 'pnpm' | 'resolutions'): string {
  const dir = join(work, name);
  mkdirSync(dir);
  const platforms = Object.fromEntries(
    Object.entries(tarballs)
      .filter(([n]) => n !== 'dt-ingest')
      .map(([n, t]) => [n, `file:${t}`]),
  );
  const manifest: Record<string, unknown> = {
    name: `consumer-${name}`,
    version: '1.0.0',
    private: true,
    dependencies: { 'dt-ingest': `file:${tarballs['dt-ingest']}` },
  };
  if (overridesKey === 'pnpm') {
    const lines = Object.entries(platforms).map(([n, spec]) => `  ${n}: ${JSON.stringify(spec)}`);
    writeFileSync(join(dir, 'pnpm-workspace.yaml'), `overrides:\n${lines.join('\n')}\n`);
  } else manifest[overridesKey] = platforms;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

/** The lines of an install's output that warn (every manager spells it differently). */
function warnings(r: SpawnSyncReturns<string>): string[] {
  return `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /\bwarn(ing)?\b|WARN|YN0002|YN0060|YN0086/i.test(l) && !/YN0000/.test(l));
}

/** What the installed package says about the addon, and which platform packages are in node_modules. */
function installed(dir: string): { status: { available: boolean; binary?: string; reason?: string }; platforms: string[] } {
  const r = run(process.execPath, ['-e', "process.stdout.write(JSON.stringify(require('dt-ingest').nativeStatus()))"], dir);
  if (r.status !== 0) throw new Error(r.stderr);
  // hoisted (npm, yarn) or in pnpm's virtual store (node_modules/.pnpm/<name>@<version or file>)
  const nm = join(dir, 'node_modules');
  const store = join(nm, '.pnpm');
  const names = [...readdirSync(nm), ...(existsSync(store) ? readdirSync(store).map((n) => n.slice(0, n.indexOf('@'))) : [])];
  const platforms = [...new Set(names.filter((n) => n.startsWith('dt-ingest-')))];
  return { status: JSON.parse(r.stdout) as { available: boolean; binary?: string }, platforms };
}

function expectLoaded(dir: string): void {
  const { status, platforms } = installed(dir);
  expect(platforms).toEqual([here]);
  expect(status.available, status.reason).toBe(true);
  expect(status.binary).toContain(join('node_modules', here, 'dt_ingest.node').replace(/^node_modules/, ''));
}

const pnpm = (): string => join(cache, 'tools', 'node_modules', 'pnpm', 'bin', 'pnpm.mjs');
const yarn = (): string => join(cache, 'tools', 'node_modules', '@yarnpkg', 'cli-dist', 'bin', 'yarn.js');

describe.runIf(HOME_PLATFORM && process.env.DT_INGEST_INSTALL_TESTS === '1')('installing the packed package', () => {
  it('npm: no warning, the addon from the platform package, the README example from the consumer project', () => {
    const dir = project('npm', 'overrides');
    const r = run('npm', ['install', '--no-audit', '--no-fund'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(warnings(r)).toEqual([]);
    expectLoaded(dir);
    const cli = run(join(dir, 'node_modules', '.bin', 'dt-ingest'), ['validate', 'metrics', 'node_modules/dt-ingest/examples/metrics.txt', '--no-color'], dir);
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(1);
    expect(cli.stdout).toMatch(/node_modules\/dt-ingest\/examples\/metrics\.txt\n/);
    expect(cli.stdout).toMatch(/✖ \d+ problems/);
  });

  it(`pnpm (${PNPM}): --frozen-lockfile, no warning, the addon loads`, () => {
    const dir = project('pnpm', 'pnpm');
    const store = ['--store-dir', join(cache, 'pnpm-store')];
    const lock = run(process.execPath, [pnpm(), 'install', '--lockfile-only', ...store], dir);
    expect(lock.status, lock.stdout + lock.stderr).toBe(0);
    const r = run(process.execPath, [pnpm(), 'install', '--frozen-lockfile', ...store], dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(warnings(r)).toEqual([]);
    expectLoaded(dir);
  });

  it(`pnpm (${PNPM}): --ignore-scripts changes nothing (there is no script to skip)`, () => {
    const dir = project('pnpm-ignore-scripts', 'pnpm');
    const r = run(process.execPath, [pnpm(), 'install', '--ignore-scripts', '--store-dir', join(cache, 'pnpm-store')], dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(warnings(r)).toEqual([]);
    expectLoaded(dir);
  });

  it(`yarn (${YARN}, node-modules linker): no warning, the addon loads`, () => {
    const dir = project('yarn', 'resolutions');
    writeFileSync(join(dir, '.yarnrc.yml'), 'nodeLinker: node-modules\nenableTelemetry: false\n');
    writeFileSync(join(dir, 'yarn.lock'), '');
    const r = run(process.execPath, [yarn(), 'install'], dir, { YARN_ENABLE_IMMUTABLE_INSTALLS: 'false', YARN_ENABLE_PROGRESS_BARS: 'false' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(warnings(r)).toEqual([]);
    expectLoaded(dir);
  });
});
