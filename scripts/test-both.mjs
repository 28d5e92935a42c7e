#!/usr/bin/env node
// Runs the whole vitest suite twice, once per backend: DT_INGEST_NATIVE=0 (TypeScript only) and
// DT_INGEST_NATIVE=1 (the native addon required and used for every input size). Fails if either
// run fails. Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

// vitest's package exports hide its bin file; resolve package.json and take the bin from there
const require = createRequire(import.meta.url);
const pkgPath = require.resolve('vitest/package.json');
const bin = require(pkgPath).bin;
const vitest = join(dirname(pkgPath), typeof bin === 'string' ? bin : bin.vitest);
const extra = process.argv.slice(2);
const root = join(dirname(new URL(import.meta.url).pathname), '..');
const results = [];
// the type check first: strict TypeScript over src, tests, benchmarks and fuzzers; then a fresh
// dist/ (the built-package tests, the CLI children and the fuzz scripts run on it)
if (extra.length === 0) {
  console.log('\n=== tsup (dist/) ===');
  const tsup = join(dirname(require.resolve('tsup/package.json')), 'dist', 'cli-default.js');
  const b = spawnSync(process.execPath, [tsup, '--silent'], { stdio: 'inherit' });
  results.push({ mode: 'build', status: b.status ?? 1 });
  // the package as npm would publish it: publint and are-the-types-wrong report nothing
  console.log('\n=== publint, attw (the packed package) ===');
  const pk = spawnSync(process.execPath, [join(dirname(new URL(import.meta.url).pathname), 'check-package.mjs')], { stdio: 'inherit' });
  results.push({ mode: 'package', status: pk.status ?? 1 });
  // the public API against etc/*.api.md: a change to the surface is a decision (npm run api:update)
  console.log('\n=== API report (etc/*.api.md) ===');
  const api = spawnSync(process.execPath, [join(dirname(new URL(import.meta.url).pathname), 'api-report.mjs')], { stdio: 'inherit' });
  results.push({ mode: 'api', status: api.status ?? 1 });
  // the addon too, when the built package loads no binary made from the current native sources (the
  // platform package npm/<target>/ or a local build: scripts/native-hash.mjs); the native run would
  // otherwise test a stale one
  const nb = spawnSync(process.execPath, [join(root, 'scripts', 'build-native.mjs'), '--if-stale'], {
    stdio: 'inherit',
    env: { ...process.env, DT_INGEST_NATIVE: '' },
  });
  results.push({ mode: 'native', status: nb.status ?? 1 });
  // formatting and lint rules (Biome, biome.jsonc): `npm run format` writes the fixes
  console.log('\n=== biome check ===');
  const biome = spawnSync(process.execPath, [join(root, 'node_modules', '@biomejs', 'biome', 'bin', 'biome'), 'check', '--error-on-warnings', root], {
    stdio: 'inherit',
  });
  results.push({ mode: 'lint', status: biome.status ?? 1 });
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  console.log('\n=== tsc --noEmit ===');
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', '.'], { stdio: 'inherit' });
  results.push({ mode: 'typecheck', status: r.status ?? 1 });
}
// the packed package installed by npm, pnpm and yarn into fresh projects (slow: once, not per backend)
if (extra.length === 0) {
  console.log('\n=== installs: npm, pnpm, yarn (test/install) ===');
  const r = spawnSync(process.execPath, [vitest, 'run', 'test/install'], { stdio: 'inherit', env: { ...process.env, DT_INGEST_INSTALL_TESTS: '1' } });
  results.push({ mode: 'install', status: r.status ?? 1 });
}
// each run also writes vitest's JSON report, so the failed tests can be named again at the very end
// (a CI log is often read from its tail, where the first run's failures are long scrolled away)
const reports = mkdtempSync(join(tmpdir(), 'dt-ingest-test-'));
const failures = [];
for (const mode of ['0', '1']) {
  console.log(`\n=== vitest with DT_INGEST_NATIVE=${mode} (${mode === '0' ? 'TypeScript' : 'native'} backend) ===`);
  const report = join(reports, `vitest-${mode}.json`);
  const args = [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, DT_INGEST_NATIVE: mode } });
  results.push({ mode, status: r.status ?? 1 });
  if (r.status !== 0) failures.push(...failedTests(report, mode));
}
rmSync(reports, { recursive: true, force: true });
const failed = results.filter((r) => r.status !== 0);
const LABELS = {
  typecheck: 'tsc',
  build: 'build',
  package: 'publint + attw',
  api: 'API report',
  native: 'native addon',
  lint: 'biome',
  install: 'installs (npm, pnpm, yarn)',
};
if (failures.length > 0) {
  console.log('\n=== failed tests (again, from the JSON reports) ===');
  for (const f of failures) console.log(f);
}
for (const r of results) console.log(`${LABELS[r.mode] ?? `DT_INGEST_NATIVE=${r.mode}`}: ${r.status === 0 ? 'passed' : `FAILED (exit ${r.status})`}`);
process.exit(failed.length === 0 ? 0 : 1);

/**
 * The failed tests of one vitest JSON report, each with the first lines of its failure message (and
 * the suites that failed to load at all), as lines to print.
 */
function failedTests(report, mode) {
  if (!existsSync(report)) return [`DT_INGEST_NATIVE=${mode}: vitest wrote no JSON report (it failed before running tests)`];
  const lines = [];
  const data = JSON.parse(readFileSync(report, 'utf8'));
  for (const file of data.testResults ?? []) {
    const name = relative(root, file.name ?? '');
    if (file.status === 'failed' && (file.assertionResults ?? []).every((a) => a.status !== 'failed')) {
      lines.push(`DT_INGEST_NATIVE=${mode} ${name}: ${firstLines(file.message ?? '')}`);
    }
    for (const a of file.assertionResults ?? []) {
      if (a.status !== 'failed') continue;
      lines.push(`DT_INGEST_NATIVE=${mode} ${name} > ${a.fullName}: ${firstLines((a.failureMessages ?? []).join('\n'))}`);
    }
  }
  return lines;
}

/** The first lines of a failure message without its stack (fast-check's seed and counterexample come first), indented. */
function firstLines(message) {
  const lines = message.split('\n').filter((line) => !/^\s+at /.test(line));
  return lines.slice(0, 16).join('\n    ');
}
