// What the rich report (issues) costs beyond validate-only, per backend, as a ratio measured in one
// process (CPU time, rounds alternating between the two): the exporter corpus as a 64 MB stream in
// 64 KB chunks (a quarter of the count,delta keys warned), and a 1.6 MB body of repeated metadata
// lines (50 keys, every later line a `metadata-duplicate` warning).
//   npm run build && taskset -c 1 node bench/rich-cost.mjs [--rounds 5]
// DT_INGEST_ENTRY picks another build of the package (to compare two builds in alternating processes).
import { median, time, validatorContenders } from './byte-loop.mjs';
import { NOW, generateCorpus } from './corpus.mjs';

const args = process.argv.slice(2);
const ROUNDS = Number(args.indexOf('--rounds') >= 0 ? args[args.indexOf('--rounds') + 1] : 5);
const MIN_MS = 200;
const lib = await import(process.env.DT_INGEST_ENTRY ?? '../dist/node.js');
const enc = new TextEncoder();

const body = enc.encode(generateCorpus({ bytes: 1_000_000, mix: 'exporter', now: NOW }).text);
const stream = new Uint8Array(body.length * 64);
for (let r = 0; r < 64; r++) stream.set(body, r * body.length);
const chunks = [];
for (let i = 0; i < stream.length; i += 64 * 1024) chunks.push(stream.subarray(i, i + 64 * 1024));
let meta = '';
for (let i = 0; i < 20_000; i++) meta += `#jvm.memory.used${i % 50} gauge dt.meta.displayName="jvm memory (by host)",dt.meta.unit=Byte\n`;
const metaBody = enc.encode(meta);
const inputs = [
  { name: 'exporter 64 MB stream', chunks },
  { name: 'repeated metadata 1.6 MB body', chunks: [metaBody] },
];

const { validateOnly, rich } = validatorContenders(lib, NOW);
for (const backend of ['js', ...(lib.nativeAvailable() ? ['native'] : [])]) {
  const plain = validateOnly(backend);
  const full = rich(backend);
  for (const input of inputs) {
    for (let w = 0; w < 3; w++) {
      full(input);
      plain(input);
    }
    const ratios = [];
    for (let r = 0; r < ROUNDS; r++) {
      // the order alternates, so neither contender always runs on the heap the other left
      const first = r % 2 === 0 ? time(plain, input, MIN_MS) : time(full, input, MIN_MS);
      const second = r % 2 === 0 ? time(full, input, MIN_MS) : time(plain, input, MIN_MS);
      ratios.push(r % 2 === 0 ? second / first : first / second);
    }
    const lo = Math.min(...ratios).toFixed(2);
    const hi = Math.max(...ratios).toFixed(2);
    console.log(`${input.name} | ${backend}: rich / validate-only ${median(ratios).toFixed(2)} (${lo}..${hi})`);
  }
}
