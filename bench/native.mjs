#!/usr/bin/env node
// The native backend against the byte loop of bench/hotpath.mjs, in one process, on the built
// package (dist/) and addon (native/build or native/prebuilds):
//   - the addon's scan alone (validate-only options, records walked by nothing): how fast the C++
//     fused scan runs from JavaScript, per stage-1 kernel this CPU has,
//   - validate-only (`new MetricsValidator(opts, { issues: false })`) and the rich validateMetrics,
//     native and TypeScript, on the 1 MB exporter body and a 64 MB stream of it in 64 KB chunks,
//   - a 1-line body: µs per validateMetrics call, native and TypeScript.
// Every contender is timed in interleaved rounds with the byte loop on the same bytes; each round
// gives a ratio (byte-loop time / contender time: above 1 is faster than the loop); the table shows
// medians over the rounds.
//
//   npm run build:native && npm run build && taskset -c 1 node bench/native.mjs [--rounds 7] [--quick]
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { byteLoop, median, microsPerCall, time as timeFor, validatorContenders } from './byte-loop.mjs';
import { NOW, generateCorpus } from './corpus.mjs';

const args = process.argv.slice(2);
const value = (n, d) => (args.indexOf(n) >= 0 ? args[args.indexOf(n) + 1] : d);
const quick = args.includes('--quick');
const ROUNDS = Number(value('--rounds', quick ? 3 : 7));
const MIN_MS = quick ? 40 : 120;
const lib = await import(process.env.DT_INGEST_ENTRY ?? '../dist/node.js');
if (!lib.nativeAvailable()) {
  console.error('bench/native: the native addon is not built (npm run build:native)');
  process.exit(1);
}
// the addon itself, as the package loads it (a local build, else the shipped prebuild)
const require = createRequire(import.meta.url);
const addon = require('node-gyp-build')(new URL('../native', import.meta.url).pathname);
// the record layout (src/protocol/native-layout.ts): header ints, record stride, numbers per record
const HEADER_SIZE = 4;
const HEADER_CONSUMED = 1;
const NUMBER_STRIDE = 6;

const body = new TextEncoder().encode(generateCorpus({ bytes: 1_000_000, mix: 'exporter', now: NOW }).text);
const stream = new Uint8Array(body.length * 64);
for (let r = 0; r < 64; r++) stream.set(body, r * body.length);
const chunks = [];
for (let i = 0; i < stream.length; i += 64 * 1024) chunks.push(stream.subarray(i, i + 64 * 1024));
const inputs = [
  { name: 'exporter 1 MB body', all: body, chunks: [body] },
  { name: 'exporter 64 MB stream', all: stream, chunks },
];

// the addon alone: validate-only options (the generated defaults, now = NOW), records into pooled arrays
const options = new Float64Array([50000, 3, 255, 0, 50, 100, 250, 1, NOW - 3600000, NOW + 600000, 1, 1, 1, 0, 1, 63, 300, 65535, 0, 1]);
if (options.length !== addon.optionCount) throw new Error('bench/native: the options array does not match the addon');
const out = new Int32Array(HEADER_SIZE + 1024 * addon.recordStride);
const numbers = new Float64Array(1024 * NUMBER_STRIDE);
const rawScan = (input) => {
  let records = 0;
  for (const c of input.chunks) {
    let pos = 0;
    while (pos < c.length) {
      records += addon.scanLines(c, pos, c.length, 1, options, out, numbers);
      pos = out[HEADER_CONSUMED];
    }
  }
  return records;
};
const { validateOnly, rich } = validatorContenders(lib, NOW);

const kernels = ['scalar', 'sse2', 'avx2', 'neon'].filter((k) => addon.setKernel(k));
addon.setKernel('auto');
const contenders = [
  ...kernels.map((k) => [`addon scan only, ${k} kernel`, rawScan, k]),
  ['validate-only native', validateOnly('native')],
  ['validateMetrics rich native', rich('native')],
  ['validate-only js', validateOnly('js')],
];

const time = (f, input) => timeFor(f, input, MIN_MS);

const rows = [];
for (const input of inputs) {
  for (const [name, f, kernel] of contenders) {
    addon.setKernel(kernel ?? 'auto');
    for (let w = 0; w < 2; w++) f(input);
    const ratios = [];
    const mbs = [];
    for (let r = 0; r < ROUNDS; r++) {
      const base = time(byteLoop, input.all);
      const ms = time(f, input);
      ratios.push(base / ms);
      mbs.push(input.all.length / 1e6 / (ms / 1e3));
    }
    rows.push({ input: input.name, name, ratio: median(ratios), mbs: median(mbs) });
    process.stderr.write(`${input.name} | ${name}: ${median(ratios).toFixed(2)}x byte loop, ${median(mbs).toFixed(0)} MB/s\n`);
  }
}
addon.setKernel('auto');

const oneLine = 'jvm.memory.used,area=heap,host=web-01 gauge,4.2e6\n';
const fixed = ['native', 'js'].map((backend) => ({ backend, us: microsPerCall(() => lib.validateMetrics(oneLine, { backend, now: NOW }), ROUNDS) }));

console.log(
  `\n### Native backend vs the byte loop\n\n${new Date().toISOString()}, Node ${process.version}, ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores), kernel ${addon.kernel()}, medians of ${ROUNDS} interleaved rounds\n`,
);
console.log('| input | contender | × byte loop | MB/s |');
console.log('|---|---|---:|---:|');
for (const r of rows) console.log(`| ${r.input} | ${r.name} | ${r.ratio.toFixed(2)} | ${r.mbs.toFixed(0)} |`);
const by = (i, n) => rows.find((r) => r.input === i && r.name === n);
for (const i of inputs.map((x) => x.name)) {
  const v = by(i, 'validate-only native');
  const rr = by(i, 'validateMetrics rich native');
  console.log(`\n${i}: rich native takes ${(v.ratio / rr.ratio).toFixed(2)}x the time of validate-only native`);
}
console.log('\n| 1-line body | µs per validateMetrics call |');
console.log('|---|---:|');
for (const f of fixed) console.log(`| ${f.backend} | ${f.us.toFixed(2)} |`);
