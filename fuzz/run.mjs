#!/usr/bin/env node
// Long fuzz runs of every target in fuzz/properties.ts (bundled from the TypeScript sources with
// esbuild, so no build of dist/ is needed), time-boxed with fast-check's interruptAfterTimeLimit and
// effectively unbounded run counts. Each target runs in turn for its share of the time; the heap is
// sampled between targets (after a forced GC) so that a leak shows up as growth.
//
//   npm run fuzz -- --minutes 10            all targets, 10 minutes in total
//   npm run fuzz -- --seconds 30 --only fix one target
//   npm run fuzz -- --seed 123              reproduce a run
//   npm run fuzz -- --replay fuzz/regressions/fix-1a2b3c.json   run one kept input, print the error
//
// A failing counterexample is written to fuzz/regressions/<target>-<hash>.json (replayed by
// test/fuzz/regressions.test.ts) and the run exits 1. The native differential (fuzz/differential.mjs,
// option sets and raw records) and the libFuzzer harness (npm run fuzz:native) stay separate.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { nativeSourcesHash } from '../scripts/native-hash.mjs';
import fc from 'fast-check';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const value = (name, def) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : def);
const seconds = args.includes('--seconds') ? Number(value('--seconds')) : Number(value('--minutes', 1)) * 60;
const only = value('--only', '');
const seed = Number(value('--seed', Date.now() & 0x7fffffff));
const replay = value('--replay', '');
const slowMs = Number(value('--slow-ms', 2000));
const heapLimitMb = Number(value('--heap-growth-mb', 64));

// bundle the TypeScript targets and sources; fuzz/out/ is git-ignored and sits inside the package,
// so fast-check resolves from node_modules
const outfile = join(here, 'out', 'properties.mjs');
mkdirSync(dirname(outfile), { recursive: true });
// the native sources' hash, as the package build bakes it in (the addon is loaded only for the same sources)
const define = { __DT_INGEST_NATIVE_SOURCES__: JSON.stringify(nativeSourcesHash(join(here, '..', 'native'))) };
await build({
  entryPoints: [join(here, 'properties.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile,
  packages: 'external',
  logLevel: 'error',
  define,
});
const P = await import(pathToFileURL(outfile).href);

if (replay) {
  const reg = JSON.parse(readFileSync(replay, 'utf8'));
  const t = P.targetByName(reg.target);
  try {
    await P.timedCheck(t, P.decodeArgs(reg.args), slowMs);
    console.log(`${replay}: passes`);
  } catch (e) {
    console.log(`${replay}: FAILS\n${e.stack ?? e}`);
    process.exit(1);
  }
  process.exit(0);
}

const targets = P.targets.filter((t) => (!only || t.name.includes(only)) && (t.available === undefined || t.available()));
const share = (seconds * 1000) / targets.length;
const heap = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
};
const heap0 = heap();
let failures = 0;
console.log(
  `fuzz: ${targets.length} targets, ${(share / 1000).toFixed(1)} s each, seed ${seed}${globalThis.gc ? '' : ' (no --expose-gc: heap figures are rough)'}`,
);
for (const t of targets) {
  const started = Date.now();
  const before = heap();
  const r = await fc.check(P.propertyOf(t, slowMs), { seed, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: share, markInterruptAsFailure: false });
  const growth = (heap() - before) / 1e6;
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.failed) {
    failures++;
    const encoded = P.encodeArgs(r.counterexample?.[0]);
    const id = createHash('sha1').update(JSON.stringify(encoded)).digest('hex').slice(0, 10);
    const file = join(here, 'regressions', `${t.name}-${id}.json`);
    const error = String(r.errorInstance?.message ?? r.error ?? '').slice(0, 2000);
    writeFileSync(
      file,
      JSON.stringify(
        { target: t.name, args: encoded, seed: r.seed, path: r.counterexamplePath, found: new Date().toISOString().slice(0, 10), error },
        null,
        1,
      ) + '\n',
    );
    console.log(`FAIL ${t.name} after ${r.numRuns} runs (${secs} s): ${error.split('\n')[0]}\n  kept as ${file}`);
  } else {
    console.log(`ok   ${t.name.padEnd(20)} ${String(r.numRuns).padStart(8)} runs in ${secs} s, heap ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB`);
  }
  if (growth > heapLimitMb) {
    failures++;
    console.log(`FAIL ${t.name}: heap grew by ${growth.toFixed(1)} MB over the run (limit ${heapLimitMb} MB)`);
  }
}
const total = (heap() - heap0) / 1e6;
console.log(`fuzz: done, heap ${total >= 0 ? '+' : ''}${total.toFixed(1)} MB overall, ${failures} failure(s)`);
process.exit(failures === 0 ? 0 : 1);
