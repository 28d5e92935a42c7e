// Cost of the JSON nesting cap (issue 21.3): validateEvents on generated generic event bodies with the
// default cap (maxJsonDepth 1,000: one pass over the text before JSON.parse) against the same calls
// without it (maxJsonDepth Infinity skips the pass), in the same run, interleaved. CPU time per call,
// median of BENCH_ROUNDS rounds (default 9) and the spread (min..max of the ratio).
//
//   taskset -c 1 node bench/json-depth.mjs          (imports ../dist/node.js: build first)
import { genericBody, NOW } from './event-bodies.mjs';

const lib = await import(new URL(process.env.DT_INGEST_ENTRY ?? '../dist/node.js', import.meta.url).href);
const { validateEvents } = lib;
const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
const capped = { now: NOW };
const uncapped = { now: NOW, maxJsonDepth: Number.POSITIVE_INFINITY };

function cpuPerCall(body, options, calls) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) validateEvents(body, options);
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / calls;
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
// a markdown section of its own (bench/run.mjs adds it to bench/RESULTS.md)
console.log('### JSON nesting cap (maxJsonDepth) on generic events bodies\n');
console.log(`- command: \`taskset -c 1 node bench/json-depth.mjs\` (part of \`npm run bench\`); ${new Date().toISOString()}, Node ${process.version}`);
console.log('- validateEvents on bytes with the default cap (1,000) against maxJsonDepth Infinity in the same process, interleaved; CPU time\n');

for (const size of [1024, 100 * 1024, 1024 * 1024]) {
  const body = Buffer.from(JSON.stringify(genericBody(size)));
  const calls = Math.max(5, Math.round(20_000_000 / body.length / 10));
  if (validateEvents(body, capped).status !== 202) throw new Error('bench body not accepted');
  cpuPerCall(body, capped, calls);
  cpuPerCall(body, uncapped, calls);
  const ratios = [];
  const base = [];
  for (let r = 0; r < rounds; r++) {
    const off = cpuPerCall(body, uncapped, calls);
    const on = cpuPerCall(body, capped, calls);
    base.push(off);
    ratios.push(on / off);
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  console.log(
    `- ${(body.length / 1024).toFixed(0)} KiB: without the cap ${median(base).toFixed(1)} µs/call; with it x${median(ratios).toFixed(3)} (spread ${sorted[0].toFixed(3)}..${sorted.at(-1).toFixed(3)}, ${rounds} rounds)`,
  );
}
// 10 MB of '[' against a flat 10 MB event, with the cap (the attack of the report)
const deep = Buffer.alloc(10 * 1024 * 1024 - 16, '[');
const flat = Buffer.from(`[{"title":"${'x'.repeat(deep.length - 14)}"}]`);
const d = [];
const f = [];
for (let r = 0; r < 5; r++) {
  d.push(cpuPerCall(deep, capped, 3));
  f.push(cpuPerCall(flat, capped, 3));
}
console.log(
  `- 10 MiB of \`[\`: ${(median(d) / 1000).toFixed(1)} ms/call; a flat 10 MiB event: ${(median(f) / 1000).toFixed(1)} ms/call (x${(median(d) / median(f)).toFixed(2)})`,
);
