// One benchmark measurement in a fresh process: `node bench/worker.mjs <scenario> <contender>`.
// Prints one JSON line: the contender's checked output, its median time, and the same for the
// in-process byte-loop baseline, so every figure comes with a ratio measured in the same run.
import { Bench } from 'tinybench';
import { generateCorpus, NOW } from './corpus.mjs';
import { byteLoop, naiveSplit, ndjsonParse, papaParse, recordsOf, split2Lines, toCsv, toNdjson, udsvParse } from './contenders.mjs';

const [scenario = 'body-1mb', contender = 'dt-validate-js'] = process.argv.slice(2);
const lib = await import(process.env.DT_INGEST_ENTRY ?? '../dist/node.js');

const SCENARIOS = {
  'body-1mb': { bytes: 1_000_000, invalidRatio: 0, stream: false },
  'body-1mb-10pct-invalid': { bytes: 1_000_000, invalidRatio: 0.1, stream: false },
  'stream-64mb': { bytes: 1_000_000, repeat: 64, invalidRatio: 0, stream: true },
  'stream-64mb-10pct-invalid': { bytes: 1_000_000, repeat: 64, invalidRatio: 0.1, stream: true },
};
const sc = SCENARIOS[scenario];
if (!sc) throw new Error(`unknown scenario ${scenario}`);
const corpus = generateCorpus({ bytes: sc.bytes, invalidRatio: sc.invalidRatio });
const one = new TextEncoder().encode(corpus.text);
const repeat = sc.repeat ?? 1;
const body =
  repeat === 1
    ? one
    : (() => {
        const b = new Uint8Array(one.length * repeat);
        for (let i = 0; i < repeat; i++) b.set(one, i * one.length);
        return b;
      })();
const CHUNK = 64 * 1024;
const chunks = [];
for (let i = 0; i < body.length; i += CHUNK) chunks.push(body.subarray(i, i + CHUNK));
const expected = { lines: corpus.lines * repeat, invalid: corpus.invalid * repeat };

// renderings for the general-purpose parsers, built outside the timing (only for those contenders)
const rendering = { text: '', bytes: body.length };
if (['udsv', 'papaparse', 'json-parse-ndjson'].includes(contender)) {
  const records = recordsOf(lib, one, NOW);
  const once = contender === 'json-parse-ndjson' ? toNdjson(records) : toCsv(records);
  // uDSV reads its column names from a header row
  rendering.text = (contender === 'udsv' ? 'key,dims,type,value,ts\n' : '') + once.repeat(repeat);
  rendering.bytes = Buffer.byteLength(rendering.text);
}
const udsv = contender === 'udsv' ? await import('udsv') : undefined;
const udsvSchema = udsv ? udsv.inferSchema(rendering.text.slice(0, 4096)) : undefined;
const Papa = contender === 'papaparse' ? (await import('papaparse')).default : undefined;
const split2 = contender === 'split2' ? (await import('split2')).default : undefined;

function dtValidate(backend) {
  return () => {
    const v = new lib.MetricsValidator({ now: NOW, backend, maxBodyBytes: Infinity }, { issues: false });
    if (sc.stream) for (const c of chunks) v.push(c);
    else v.push(body);
    const r = v.end();
    return { lines: r.body.linesOk + r.body.linesInvalid, invalid: r.body.linesInvalid };
  };
}
const dtParse = (backend) => () => {
  let lines = 0;
  let invalid = 0;
  const p = new lib.MetricsParser({ now: NOW, backend, maxBodyBytes: Infinity }, (view) => {
    lines++;
    if (view.error !== 0) invalid++;
    else if (view.kind === lib.LineKind.DATA) lib.pointOf(view);
  });
  if (sc.stream) for (const c of chunks) p.push(c);
  else p.push(body);
  p.end();
  return { lines, invalid };
};
const CONTENDERS = {
  'byte-loop': () => byteLoop(body),
  'naive-split': () => naiveSplit(body),
  'dt-validate-js': dtValidate('js'),
  'dt-validate-native': dtValidate('native'),
  'dt-parse-typed': dtParse('js'),
  'dt-parse-typed-native': dtParse('native'),
  udsv: () => udsvParse(udsv.initParser, udsvSchema, rendering.text),
  papaparse: () => papaParse(Papa, rendering.text),
  'json-parse-ndjson': () => ndjsonParse(rendering.text),
  split2: () => split2Lines(split2, sc.stream ? chunks : [body]),
};
const run = CONTENDERS[contender];
if (!run) throw new Error(`unknown contender ${contender}`);

// check the output before timing it (byte-loop counts LFs only)
let got;
try {
  got = await run();
} catch (e) {
  console.log(JSON.stringify({ scenario, contender, error: String(e.message ?? e) }));
  process.exit(0);
}
// byte-loop and split2 count lines only (no verdicts)
const linesOnly = contender === 'byte-loop' || contender === 'split2';
const check = linesOnly ? got.lines === expected.lines : got.lines === expected.lines && got.invalid === expected.invalid;
if (!check) {
  console.log(JSON.stringify({ scenario, contender, error: `output check failed: got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}` }));
  process.exit(0);
}

const bench = new Bench({ time: Number(process.env.BENCH_TIME_MS ?? 400), warmupTime: 200, iterations: 5, warmupIterations: 2 });
bench.add('baseline', () => byteLoop(body));
bench.add(contender, run);
await bench.run();
const [base, task] = bench.tasks.map((t) => t.result.latency.p50);
console.log(
  JSON.stringify({ scenario, contender, bytes: rendering.bytes, lines: expected.lines, invalid: expected.invalid, medianMs: task, baselineMs: base }),
);
