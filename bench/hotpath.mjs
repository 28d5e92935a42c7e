#!/usr/bin/env node
// The metrics hot path against the byte loop, in one process: `npm run bench:hotpath`
// (= taskset -c 1 node bench/hotpath.mjs, on the built package).
//
// The byte loop is the floor any JavaScript reader of the bytes pays:
//   const table = new Uint8Array(256); for (const c of ' ,="\\\n') table[c.charCodeAt(0)] = 1;
//   let n = 0; for (let i = 0; i < bytes.length; i++) n += table[bytes[i]];
// Every contender is timed in interleaved rounds with the byte loop on the same bytes; each round
// gives a ratio (byte-loop time / contender time, so above 1 is faster than the loop), and the table
// shows the median ratio and the median MB/s over the rounds.
//
// Corpora (bench/corpus.mjs): 'exporter' (default: a quarter of the count,delta keys lack `.count`
// and are warned about), 'clean' (no warnings), 'exporter' with CRLF line ends.
// Inputs: a 1 MB body pushed whole, and a 64 MB stream of that body pushed in 64 KB chunks.
//
// Flags: --rounds N (default 9), --quick (3 rounds, short), --json (one JSON object on stdout),
//        --only <substring of a row name>
import { cpus } from 'node:os';
import { byteLoop, median, microsPerCall, time, validatorContenders } from './byte-loop.mjs';
import { generateCorpus, NOW } from './corpus.mjs';

const args = process.argv.slice(2);
const flag = (n) => args.includes(n);
const value = (n, d) => (args.indexOf(n) >= 0 ? args[args.indexOf(n) + 1] : d);
const quick = flag('--quick');
const ROUNDS = Number(value('--rounds', quick ? 3 : 9));
const MIN_MS = quick ? 40 : 150;
const only = value('--only', '');
const lib = await import(process.env.DT_INGEST_ENTRY ?? '../dist/node.js');
const native = lib.nativeAvailable();

const enc = new TextEncoder();

function corpus(mix, lineEnding) {
  const c = generateCorpus({ bytes: 1_000_000, mix, lineEnding, now: NOW });
  return { body: enc.encode(c.text), lines: c.lines };
}
function chunksOf(body, repeat, size) {
  const all = new Uint8Array(body.length * repeat);
  for (let r = 0; r < repeat; r++) all.set(body, r * body.length);
  const out = [];
  for (let i = 0; i < all.length; i += size) out.push(all.subarray(i, i + size));
  return { all, chunks: out };
}

const { validateOnly, rich, opts } = validatorContenders(lib, NOW);
const batch = (backend) => {
  if (typeof lib.MetricBatchDecoder !== 'function') return undefined;
  return (input) => {
    let points = 0;
    const d = new lib.MetricBatchDecoder(opts(backend), (b) => (points += b.length));
    for (const c of input.chunks) d.push(c);
    d.end();
    return points;
  };
};

const contenders = [
  ['validate-only js', validateOnly('js')],
  ['validate-only native', native ? validateOnly('native') : undefined],
  ['validateMetrics rich js', rich('js')],
  ['validateMetrics rich native', native ? rich('native') : undefined],
  ['parseMetricsBatch js', batch('js')],
].filter(([, f]) => f !== undefined);

const inputs = [];
for (const [name, mix, le] of [
  ['exporter', 'exporter', '\n'],
  ['clean', 'clean', '\n'],
  ['exporter CRLF', 'exporter', '\r\n'],
]) {
  const c = corpus(mix, le);
  inputs.push({ name: `${name} 1 MB body`, bytes: c.body.length, lines: c.lines, chunks: [c.body], all: c.body });
  if (name === 'exporter' || !quick) {
    const s = chunksOf(c.body, 64, 64 * 1024);
    inputs.push({ name: `${name} 64 MB stream`, bytes: s.all.length, lines: c.lines * 64, chunks: s.chunks, all: s.all });
  }
}

const rows = [];
for (const input of inputs) {
  for (const [name, f] of contenders) {
    const row = `${input.name} | ${name}`;
    if (only && !row.includes(only)) continue;
    for (let w = 0; w < 3; w++) f(input); // warm up
    const ratios = [];
    const mbs = [];
    for (let r = 0; r < ROUNDS; r++) {
      const base = time(byteLoop, input.all, MIN_MS);
      const ms = time(f, input, MIN_MS);
      ratios.push(base / ms);
      mbs.push(input.bytes / 1e6 / (ms / 1e3));
    }
    rows.push({
      input: input.name,
      contender: name,
      ratio: median(ratios),
      mbs: median(mbs),
      nsPerLine: ((input.bytes / 1e6 / median(mbs)) * 1e9) / input.lines,
    });
    if (!flag('--json')) process.stderr.write(`${row}: ${median(ratios).toFixed(2)}x byte loop, ${median(mbs).toFixed(0)} MB/s\n`);
  }
}

// a 1-line body: the fixed cost of one validateMetrics call, per backend
const oneLine = 'jvm.memory.used,area=heap,host=web-01 gauge,4.2e6\n';
const fixed = [];
for (const backend of ['js', ...(native ? ['native'] : [])]) {
  if (only && !`1-line body | ${backend}`.includes(only)) continue;
  const f = () => lib.validateMetrics(oneLine, { backend, now: NOW });
  const us = microsPerCall(f, ROUNDS);
  fixed.push({ backend, usPerCall: us });
  if (!flag('--json')) process.stderr.write(`1-line body | ${backend}: ${us.toFixed(2)} µs per validateMetrics call\n`);
}

// issue 19's fixed costs: a 1-line body whose key is warned (the key table), parseMetricsBatch on a
// 1-line body (the decoder's arrays), and duplicate-dimension detection per dimension at 2 and 50
const warnedLine = 'jvm.gc.collections,host=web-01 count,delta=3\n';
for (const backend of ['js', ...(native ? ['native'] : [])]) {
  const row = `1-line warned body | ${backend}`;
  if (only && !row.includes(only)) continue;
  const us = microsPerCall(() => lib.validateMetrics(warnedLine, { backend, now: NOW }), ROUNDS);
  fixed.push({ backend, usPerCall: us, what: 'warned' });
  if (!flag('--json')) process.stderr.write(`${row}: ${us.toFixed(2)} µs per validateMetrics call\n`);
}
const batchFixed = [];
if (typeof lib.parseMetricsBatch === 'function' && (!only || '1-line parseMetricsBatch'.includes(only))) {
  const us = microsPerCall(() => lib.parseMetricsBatch(oneLine, { now: NOW }), ROUNDS);
  batchFixed.push({ what: '1-line body', us });
  if (!flag('--json')) process.stderr.write(`1-line parseMetricsBatch: ${us.toFixed(2)} µs per call\n`);
  for (const dims of [2, 50]) {
    // 400 lines of `dims` distinct dimensions each, through one decoder: ns per dimension
    let text = '';
    for (let l = 0; l < 400; l++) {
      text += `m.k${l % 7}`;
      for (let d = 0; d < dims; d++) text += `,d${d}=v${d}`;
      text += ' 1\n';
    }
    const body = enc.encode(text);
    const decoder = new lib.MetricBatchDecoder({ now: NOW });
    const usBody = microsPerCall(() => decoder.push(body), ROUNDS, 200);
    const ns = (usBody * 1000) / (400 * dims);
    batchFixed.push({ what: `ns per dimension at ${dims}`, us: ns });
    if (!flag('--json')) process.stderr.write(`parseMetricsBatch, ${dims} dimensions per line: ${ns.toFixed(1)} ns per dimension\n`);
  }
}

// issue 11's targets, checked against this run's figures (ratios, so the machine's speed cancels out)
const find = (input, contender) => rows.find((r) => r.input === input && r.contender === contender);
const targets = [];
for (const input of ['exporter 1 MB body', 'exporter 64 MB stream']) {
  const js = find(input, 'validate-only js');
  const nat = find(input, 'validate-only native');
  const richJs = find(input, 'validateMetrics rich js');
  const batchJs = find(input, 'parseMetricsBatch js');
  if (js) targets.push({ target: `TypeScript validate-only >= 0.6x byte loop (${input})`, value: js.ratio, met: js.ratio >= 0.6 });
  if (nat) targets.push({ target: `native validate-only >= 1.0x byte loop (${input})`, value: nat.ratio, met: nat.ratio >= 1.0 });
  if (js && richJs)
    targets.push({
      target: `rich validateMetrics within 1.2x of validate-only, TypeScript (${input})`,
      value: js.ratio / richJs.ratio,
      met: js.ratio / richJs.ratio <= 1.2,
    });
  const richNat = find(input, 'validateMetrics rich native');
  if (nat && richNat)
    targets.push({
      target: `rich validateMetrics within 1.2x of validate-only, native (${input})`,
      value: nat.ratio / richNat.ratio,
      met: nat.ratio / richNat.ratio <= 1.2,
    });
  if (js && batchJs)
    targets.push({
      target: `parseMetricsBatch >= 0.4x TypeScript validate-only (${input})`,
      value: batchJs.ratio / js.ratio,
      met: batchJs.ratio / js.ratio >= 0.4,
    });
}
for (const f of fixed) {
  if (f.what === 'warned')
    targets.push({ target: `1-line warned body <= 1.5 µs per validateMetrics call (${f.backend})`, value: f.usPerCall, met: f.usPerCall <= 1.5 });
  else targets.push({ target: `1-line body <= 2 µs per validateMetrics call (${f.backend})`, value: f.usPerCall, met: f.usPerCall <= 2 });
}
const batchOne = batchFixed.find((b) => b.what === '1-line body');
if (batchOne) targets.push({ target: 'parseMetricsBatch 1-line body <= 3 µs', value: batchOne.us, met: batchOne.us <= 3 });
const [dims2, dims50] = [2, 50].map((n) => batchFixed.find((b) => b.what === `ns per dimension at ${n}`));
if (dims2 && dims50)
  targets.push({
    target: 'duplicate-dimension detection linear: ns per dimension at 50 / at 2 <= 1.5',
    value: dims50.us / dims2.us,
    met: dims50.us / dims2.us <= 1.5,
  });

const meta = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: `${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores)`,
  rounds: ROUNDS,
  native,
};
if (flag('--json')) {
  console.log(JSON.stringify({ meta, rows, fixed, batchFixed, targets }));
} else {
  console.log(
    `## Metrics hot path vs the byte loop\n\n- command: \`npm run bench:hotpath\` (pinned to one core with taskset where it exists; part of \`npm run bench\`)\n- ${meta.date}, Node ${meta.node}, ${meta.cpu}, medians of ${ROUNDS} interleaved rounds of CPU time; every ratio is the byte loop's time over the contender's, measured in the same round\n`,
  );
  console.log('| input | contender | × byte loop | MB/s | ns/line |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.input} | ${r.contender} | ${r.ratio.toFixed(2)} | ${r.mbs.toFixed(0)} | ${r.nsPerLine.toFixed(0)} |`);
  console.log('\n| 1-line body | CPU µs per validateMetrics call |');
  console.log('|---|---:|');
  for (const f of fixed) console.log(`| ${f.what ?? 'plain'}, ${f.backend} | ${f.usPerCall.toFixed(2)} |`);
  console.log('\n| parseMetricsBatch | CPU µs per call, or ns per dimension |');
  console.log('|---|---:|');
  for (const b of batchFixed) console.log(`| ${b.what} | ${b.us.toFixed(2)} |`);
  console.log('\n| target (issues 11, 19) | this run | met |');
  console.log('|---|---:|---|');
  for (const t of targets) console.log(`| ${t.target} | ${t.value.toFixed(2)} | ${t.met ? 'yes' : 'no'} |`);
}
