// The functions a V8 CPU profile (`node --cpu-prof`, e.g. `node bench/serve.mjs --cpu --profile DIR`)
// spends its samples in: self time and inclusive time (a function counted once per sample however
// often it recurs), as shares of all samples, idle included (the server's share of CPU is 100 % minus
// the `(idle)` row).
//
//   node bench/cpuprofile-top.mjs DIR/proxy-123.cpuprofile [--top 30]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const top = Number(args[args.indexOf('--top') + 1] ?? 30) || 30;
if (file === undefined) {
  console.error('usage: node bench/cpuprofile-top.mjs FILE.cpuprofile [--top N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
// microseconds per node: each sample weighs the time to the next
const spent = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  spent.set(id, (spent.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
}
const self = new Map();
const inclusive = new Map();
let total = 0;
for (const [id, us] of spent) {
  total += us;
  const own = name(byId.get(id));
  self.set(own, (self.get(own) ?? 0) + us);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const k = name(byId.get(at));
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + us);
  }
}
const table = (title, m) => {
  console.log(`\n| ${title} | share of samples |\n|---|---:|`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`| ${k} | ${((us / total) * 100).toFixed(1)} % |`);
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms of samples`);
table('self', self);
table('inclusive', inclusive);
