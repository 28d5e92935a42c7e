#!/usr/bin/env node
// Native against TypeScript, validate-only, in one process on the built package (dist/):
//   - the 1 MB body in one push,
//   - a 64 MB stream pushed in 64 KB chunks,
// realistic exporter lines from bench/corpus.mjs (bare and quoted dims, summaries, counters with
// `.count` suffixes, 1% invalid lines). Median of RUNS runs each; MB/s = 10^6 bytes per second.
//
//   npx tsup && taskset -c 1 node bench/native.mjs [--runs 7]
import { MetricsValidator, nativeAvailable } from '../dist/node.js';
import { NOW, generateCorpus } from './corpus.mjs';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 7;
if (!nativeAvailable()) {
  console.error('bench/native: the native addon is not built (npm run build:native)');
  process.exit(1);
}

const enc = new TextEncoder();
const oneMb = enc.encode(generateCorpus({ bytes: 1_000_000, invalidRatio: 0.01, seed: 7 }).text);
const big = enc.encode(generateCorpus({ bytes: 64_000_000, invalidRatio: 0.01, seed: 8 }).text);
const CHUNK = 64 * 1024;
const opts = { now: NOW, maxBodyBytes: Number.POSITIVE_INFINITY };

function runOnce(bytes, chunk, backend) {
  const v = new MetricsValidator({ ...opts, backend }, { issues: false });
  const t0 = process.hrtime.bigint();
  if (chunk === 0) v.push(bytes);
  else for (let i = 0; i < bytes.length; i += chunk) v.push(bytes.subarray(i, Math.min(bytes.length, i + chunk)));
  const r = v.end();
  const ns = Number(process.hrtime.bigint() - t0);
  return { ns, ok: r.body.linesOk, invalid: r.body.linesInvalid };
}

function median(a) {
  const s = [...a].sort((x, y) => x - y);
  return s[s.length >> 1];
}

function measure(name, bytes, chunk) {
  const reps = bytes.length < 4e6 ? 20 : 1; // repeat the small body so one sample is ~20 MB
  const times = { js: [], native: [] };
  let check;
  for (let k = 0; k < RUNS + 1; k++) {
    for (const backend of ['js', 'native']) {
      let ns = 0;
      for (let j = 0; j < reps; j++) {
        const r = runOnce(bytes, chunk, backend);
        ns += r.ns;
        const c = `${r.ok}/${r.invalid}`;
        if (check === undefined) check = c;
        else if (check !== c) throw new Error(`backends disagree: ${check} vs ${c}`);
      }
      if (k > 0) times[backend].push(ns / reps); // first round is warm-up
    }
  }
  const mbs = (b) => bytes.length / 1e6 / (median(times[b]) / 1e9);
  const js = mbs('js');
  const native = mbs('native');
  console.log(
    `${name.padEnd(26)} ${(bytes.length / 1e6).toFixed(1).padStart(6)} MB  js ${js.toFixed(0).padStart(6)} MB/s  native ${native.toFixed(0).padStart(6)} MB/s  ratio ${(native / js).toFixed(2)}x  (lines ok/invalid ${check})`,
  );
  return { js, native };
}

console.log(`node ${process.version}, median of ${RUNS} runs, validate-only (issues: false)`);
measure('1 MB body, one push', oneMb, 0);
measure('64 MB stream, 64 KB chunks', big, CHUNK);
