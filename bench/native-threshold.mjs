#!/usr/bin/env node
// Where does the native call start to pay? Validate-only over regions of complete lines of growing
// size, each pushed as its own chunk, TypeScript vs native forced per call. The crossover sets
// NATIVE_THRESHOLD_BYTES in src/metrics/parser.ts.
//
//   npx tsup && taskset -c 1 node bench/native-threshold.mjs
import { MetricsValidator, nativeAvailable } from '../dist/node.js';
import { NOW, generateCorpus } from './corpus.mjs';

if (!nativeAvailable()) {
  console.error('bench/native-threshold: the native addon is not built');
  process.exit(1);
}
const corpus = new TextEncoder().encode(generateCorpus({ bytes: 2_000_000, invalidRatio: 0.01, seed: 11 }).text);

/** Chunks of about `size` bytes, each ending just after an LF. */
function chunksOf(size) {
  const out = [];
  let s = 0;
  while (s < corpus.length && out.length < 20000) {
    const e = corpus.indexOf(10, Math.min(corpus.length - 1, s + size - 1));
    if (e < 0) break;
    out.push(corpus.subarray(s, e + 1));
    s = e + 1;
  }
  return out;
}

function timePerByte(chunks, backend) {
  let best = Infinity;
  for (let k = 0; k < 7; k++) {
    const v = new MetricsValidator({ now: NOW, backend, maxBodyBytes: Infinity }, { issues: false });
    let bytes = 0;
    const t0 = process.hrtime.bigint();
    for (const c of chunks) {
      v.push(c);
      bytes += c.length;
    }
    v.end();
    const ns = Number(process.hrtime.bigint() - t0) / bytes;
    if (ns < best) best = ns;
  }
  return best;
}

console.log('region bytes   js ns/B   native ns/B   native/js');
for (const size of [128, 192, 256, 384, 512, 1024, 4096, 65536]) {
  const chunks = chunksOf(size);
  const js = timePerByte(chunks, 'js');
  const native = timePerByte(chunks, 'native');
  console.log(`${String(size).padStart(12)} ${js.toFixed(2).padStart(9)} ${native.toFixed(2).padStart(13)} ${(native / js).toFixed(2).padStart(11)}`);
}
