// One allocation measurement in a fresh process with a fixed young generation (run by bench/alloc.mjs
// with --max-semi-space-size=1 --min-semi-space-size=1): `node bench/alloc-child.mjs <mode>[:backend] <MB>`
// on the exporter corpus (a quarter of the count,delta keys lack `.count` and are warned about).
// Bytes allocated are summed from v8.GCProfiler's heap statistics (new-space use before each GC minus
// its use after the previous one, plus what is left at the end); prints one JSON line.
import v8 from 'node:v8';
import { generateCorpus, NOW } from './corpus.mjs';

const [mode = 'validate-only', megabytes = '32'] = process.argv.slice(2);
const lib = await import(process.env.DT_INGEST_ENTRY ?? '../dist/node.js');
const body = new TextEncoder().encode(generateCorpus({ bytes: 1_000_000 }).text);
const repeat = Number(megabytes);
const CHUNK = 64 * 1024;

function run(n) {
  const [kind, backend = 'js'] = mode.split(':');
  if (kind === 'stream') {
    // one validator, endpoint defaults: past 1 MB the answer is a 413 that lists nothing, so nothing is kept
    const v = new lib.MetricsValidator({ now: NOW, backend }, { issues: false });
    for (let i = 0; i < n; i++) for (let k = 0; k < body.length; k += CHUNK) v.push(body.subarray(k, k + CHUNK));
    v.end();
    return v.linesOk + v.linesInvalid;
  }
  if (kind === 'bodies') {
    // a validator per 1 MB request, as a proxy judges them
    let lines = 0;
    for (let i = 0; i < n; i++) {
      const v = new lib.MetricsValidator({ now: NOW, backend }, { issues: false });
      v.push(body);
      const r = v.end().body;
      lines += r.linesOk + r.linesInvalid;
    }
    return lines;
  }
  if (kind === 'batch') {
    let points = 0;
    const d = new lib.MetricBatchDecoder({ now: NOW }, (b) => (points += b.length + b.invalid + b.metadata));
    for (let i = 0; i < n; i++) for (let k = 0; k < body.length; k += CHUNK) d.push(body.subarray(k, k + CHUNK));
    d.end();
    return points;
  }
  // typed parse: every line's point object
  let sink = 0;
  const p = new lib.MetricsParser({ now: NOW, backend: 'js', maxBodyBytes: Infinity }, (view) => {
    sink++;
    if (view.error === 0 && view.kind === lib.LineKind.DATA) lib.pointOf(view);
  });
  for (let i = 0; i < n; i++) p.push(body);
  p.end();
  return sink;
}

for (let i = 0; i < 10; i++) run(1); // compile the hot paths first
const newSpace = (stats) => stats.heapSpaceStatistics.find((s) => s.spaceName === 'new_space')?.spaceUsedSize ?? 0;
const profiler = new v8.GCProfiler();
const start = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_used_size;
profiler.start();
const lines = run(repeat);
const end = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_used_size;
const data = profiler.stop();
let allocated = 0;
let prevAfter = start;
let scavenges = 0;
let marks = 0;
for (const s of data.statistics) {
  if (/Scavenge|MinorMarkCompact|MinorMS/i.test(s.gcType)) scavenges++;
  else marks++;
  allocated += Math.max(0, newSpace(s.beforeGC) - prevAfter);
  prevAfter = newSpace(s.afterGC);
}
allocated += Math.max(0, end - prevAfter);
console.log(JSON.stringify({ mode, megabytes: repeat, lines, allocated, scavenges, marks }));
