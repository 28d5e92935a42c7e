// Runs in a child process with a fixed 1 MB young generation and --trace-gc: validates the exporter
// corpus (bench/corpus.mjs: a quarter of the count,delta keys lack `.count` and are warned about)
// and prints markers around the measured phase, so the parent can count the scavenges inside it.
// argv: <entry> <mode> <backend> <megabytes>
//   stream      one validator, the body pushed in 64 KB chunks, endpoint defaults (past 1 MB: a 413
//               that lists nothing, so nothing is kept)
//   bodies      one validator per 1 MB body, as a proxy judges requests
//   allocating  stream, but decoding every line's key (a string per line: the check must see it)
//   typed       stream with typed points built per line (allocates by nature)
//   batch       the columnar decoder, 64 KB chunks, one reused batch (prints points instead of lines)
//   one-line    validateMetrics on a 1-line body, <megabytes> x 1000 calls (prints calls; issue 19's
//               fixed cost: what one call allocates besides its answer)
//   one-line-warned  the same with a line whose key the endpoint rewrites (a warning in the answer)
//   one-line-batch   parseMetricsBatch on the 1-line body (the batch and its string table are the answer)
import { generateCorpus, NOW } from '../../bench/corpus.mjs';

const [entry, mode = 'stream', backend = 'js', megabytes = '64'] = process.argv.slice(2);
const lib = await import(entry);
const body = new TextEncoder().encode(generateCorpus({ bytes: 1_000_000, now: NOW }).text);
const repeat = Number(megabytes);
const CHUNK = 65_536;

const ONE_LINE = 'jvm.memory.used,area=heap,host=web-01 gauge,4.2e6\n';
const ONE_LINE_WARNED = 'jvm.gc.collections,host=web-01 count,delta=3\n';

function run(n) {
  let extra = 0;
  if (mode === 'one-line-batch') {
    let points = 0;
    for (let i = 0; i < n * 1000; i++) points += lib.parseMetricsBatch(ONE_LINE, { now: NOW }).length;
    return points;
  }
  if (mode === 'one-line' || mode === 'one-line-warned') {
    const line = mode === 'one-line' ? ONE_LINE : ONE_LINE_WARNED;
    let calls = 0;
    for (let i = 0; i < n * 1000; i++) calls += lib.validateMetrics(line, { now: NOW, backend }).body.linesOk;
    return calls;
  }
  const settings = { issues: false };
  if (mode === 'allocating')
    settings.onLine = (view) => {
      extra += view.key().length;
    };
  if (mode === 'typed')
    settings.onLine = (view) => {
      if (view.kind === lib.LineKind.DATA && view.error === 0) extra += lib.pointOf(view).dimensions.length;
    };
  if (mode === 'batch') {
    let points = 0;
    const d = new lib.MetricBatchDecoder({ now: NOW }, (b) => {
      points += b.length;
    });
    for (let i = 0; i < n; i++) for (let k = 0; k < body.length; k += CHUNK) d.push(body.subarray(k, k + CHUNK));
    d.end();
    return points;
  }
  if (mode === 'bodies') {
    let ok = 0;
    for (let i = 0; i < n; i++) {
      const v = new lib.MetricsValidator({ now: NOW, backend }, settings);
      v.push(body);
      ok += v.end().body.linesOk;
    }
    return ok;
  }
  const v = new lib.MetricsValidator({ now: NOW, backend }, settings);
  for (let i = 0; i < n; i++) for (let k = 0; k < body.length; k += CHUNK) v.push(body.subarray(k, k + CHUNK));
  v.end();
  return v.linesOk + extra;
}
// warm up: compile the hot paths before measuring
for (let i = 0; i < 20; i++) run(1);
process.stdout.write('@@BEGIN\n');
const lines = run(repeat);
process.stdout.write(`@@END ${lines}\n`);
