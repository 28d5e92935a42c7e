#!/usr/bin/env node
// Differential fuzzing of the native backend against the TypeScript reference, on the built package
// (dist/): random and grammar-generated bodies, random options, random chunk cuts; every result
// `{ status, body, issues }` must be identical. Time-boxed.
//
//   node fuzz/differential.mjs --seconds 60 [--seed N]
//
// A short run of the same property is part of the test suite (test/native/differential.test.ts).
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { MetricsValidator, nativeAvailable } from '../dist/node.js';
import { body, cuts, options, validateInPieces } from './bodies.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const seconds = arg('--seconds', 30);
const seed = arg('--seed', Date.now() & 0x7fffffff);

if (!nativeAvailable()) {
  console.error('fuzz/differential: the native addon is not built (npm run build:native)');
  process.exit(1);
}
const now = Date.now();
let runs = 0;
let bytes = 0;
const started = Date.now();
const result = fc.check(
  fc.property(body(now), cuts(), options(now), (b, points, opts) => {
    runs++;
    bytes += b.length;
    const js = validateInPieces(MetricsValidator, b, points, opts, 'js');
    const native = validateInPieces(MetricsValidator, b, points, opts, 'native');
    return isDeepStrictEqual(js, native);
  }),
  { seed, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: seconds * 1000, markInterruptAsFailure: false },
);
const secs = ((Date.now() - started) / 1000).toFixed(1);
if (result.failed) {
  console.error(fc.defaultReportMessage(result));
  console.error(`fuzz/differential: MISMATCH after ${runs} bodies (seed ${seed})`);
  process.exit(1);
}
console.log(`fuzz/differential: ${runs} bodies (${(bytes / 1e6).toFixed(1)} MB) in ${secs} s, seed ${seed}: js and native identical`);
