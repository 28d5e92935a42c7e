/**
 * StatsD and Influx line protocol converters (src/convert/statsd.ts, influx.ts) against their JS
 * peers and against our own line-protocol decoder:
 *
 * - StatsD: `StatsdConverter` (bytes → normalized, interned points in a MetricBatch) vs
 *   `statsd-parser` 0.0.4 on the lines both read (no tags: the peer has none; types c, g, ms), both
 *   its streaming parser (`parser().write`, char by char) and its per-line regex (`matchStatsd` after
 *   our split, its fastest use). Target: ours >= 2x the faster peer.
 * - Influx: `InfluxConverter` vs `influx-line-protocol-parser` 0.2.0 (`parse` per line; it splits on
 *   spaces and commas, so the corpus has no escapes, which it would read wrong).
 * - Both: `parseMetricsBatch` over the converted output (the same points as metric lines) as the
 *   baseline. Target: each converter within 2x of it (ratio converter time / decoder time <= 2).
 *
 * Every contender's output is checked (point counts) before it is timed. CPU time (process.cpuUsage)
 * per pass over the corpus, ROUNDS rounds with the contenders interleaved, medians and the spread
 * (min..max); ratios are of medians measured in the same process. Pin it:
 *
 *   taskset -c 1 node bench/convert-statsd-influx.mjs [lines=50000] [rounds=7]
 *
 * The converters are bundled from src/ with esbuild at start (no build of dist needed).
 */
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';

const require = createRequire(import.meta.url);
const statsdParser = require('statsd-parser');
const influxParser = require('influx-line-protocol-parser');

const LINES = Number(process.argv[2] ?? 50_000);
const ROUNDS = Number(process.argv[3] ?? 7);

// --- our code, bundled from src -------------------------------------------------------------------
const root = fileURLToPath(new URL('..', import.meta.url));
const entry = join(mkdtempSync(join(tmpdir(), 'dt-bench-')), 'entry.ts');
writeFileSync(
  entry,
  [
    `export { StatsdConverter } from ${JSON.stringify(join(root, 'src/convert/statsd.ts'))};`,
    `export { InfluxConverter } from ${JSON.stringify(join(root, 'src/convert/influx.ts'))};`,
    `export { LineWriter } from ${JSON.stringify(join(root, 'src/convert/write-lines.ts'))};`,
    `export { parseMetricsBatch } from ${JSON.stringify(join(root, 'src/metrics/batch.ts'))};`,
  ].join('\n'),
);
const out = entry.replace(/\.ts$/, '.mjs');
buildSync({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'error' });
const { StatsdConverter, InfluxConverter, LineWriter, parseMetricsBatch } = await import(pathToFileURL(out).href);

// --- corpora --------------------------------------------------------------------------------------
const statsdLines = [];
for (let i = 0; i < LINES; i++) {
  const k = i % 3;
  if (k === 0) statsdLines.push(`app.requests.web-${i % 20}.count:${1 + (i % 7)}|c`);
  else if (k === 1) statsdLines.push(`app.queue.depth.q${i % 30}:${i % 1000}|g`);
  else statsdLines.push(`app.request.time.route${i % 10}:${(i % 500) + 0.25}|ms|@0.5`);
}
const statsdText = statsdLines.join('\n') + '\n';
const statsdBytes = new TextEncoder().encode(statsdText);

const influxLines = [];
for (let i = 0; i < LINES / 4; i++) {
  influxLines.push(
    `cpu,host=web-${i % 20},region=eu-${i % 3},cpu=cpu${i % 8} usage_user=${(i % 100) / 3},usage_system=${i % 50}i,usage_idle=${(i % 97) + 0.5},online=true 1700000000${String(i % 1000).padStart(3, '0')}000000`,
  );
}
const influxText = influxLines.join('\n') + '\n';
const influxBytes = new TextEncoder().encode(influxText);

// --- contenders -------------------------------------------------------------------------------------
let sinkPoints = 0;
const countSink = { points: (b) => (sinkPoints += b.length) };

function ourStatsd() {
  sinkPoints = 0;
  const c = new StatsdConverter(countSink);
  c.push(statsdBytes);
  c.end();
  return sinkPoints;
}
function peerStatsdStream() {
  let n = 0;
  const p = statsdParser.parser();
  p.onstat = () => n++;
  p.write(statsdText);
  // no p.end(): statsd-parser 0.0.4's end() calls itself (a stack overflow); the text ends with LF
  return n;
}
function peerStatsdRegex() {
  let n = 0;
  const lines = statsdText.split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i] !== '' && statsdParser.matchStatsd(lines[i]) !== null) n++;
  return n;
}
function ourInflux() {
  sinkPoints = 0;
  const c = new InfluxConverter(countSink, { sourceDimension: '' });
  c.push(influxBytes);
  c.end();
  return sinkPoints;
}
function peerInflux() {
  let n = 0;
  const lines = influxText.split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i] !== '') n += influxParser.parse(lines[i]).fields.length;
  return n;
}

/** The converted output as metric lines (the same points), for the decoder baseline. */
function asLines(Converter, bytes, options) {
  const writer = new LineWriter();
  let text = '';
  const c = new Converter({ points: (b) => (text += writer.write(b)) }, options);
  c.push(bytes);
  c.end();
  return new TextEncoder().encode(text);
}
const statsdAsLines = asLines(StatsdConverter, statsdBytes, undefined);
const influxAsLines = asLines(InfluxConverter, influxBytes, { sourceDimension: '' });
const decodeStatsdLines = () => parseMetricsBatch(statsdAsLines, { now: 1_700_000_000_000 }).length;
const decodeInfluxLines = () => parseMetricsBatch(influxAsLines, { now: 1_700_000_000_000 }).length;

// --- check outputs before timing ----------------------------------------------------------------------
const checks = {
  'statsd ours': [ourStatsd(), LINES],
  'statsd-parser stream': [peerStatsdStream(), LINES],
  'statsd-parser regex': [peerStatsdRegex(), LINES],
  'decode statsd lines': [decodeStatsdLines(), LINES],
  'influx ours': [ourInflux(), LINES],
  'influx-line-protocol-parser': [peerInflux(), LINES],
  'decode influx lines': [decodeInfluxLines(), LINES],
};
for (const [name, [got, want]] of Object.entries(checks)) {
  if (got !== want) throw new Error(`${name}: ${got} points, expected ${want}`);
}

// --- timing -------------------------------------------------------------------------------------------
function cpuMs(fn, minMs = 150) {
  let calls = 0;
  const start = process.cpuUsage();
  let used = 0;
  while (used < minMs * 1000 || calls < 2) {
    fn();
    calls++;
    const u = process.cpuUsage(start);
    used = u.user + u.system;
  }
  return used / 1000 / calls;
}
const contenders = {
  'statsd ours': ourStatsd,
  'statsd-parser stream': peerStatsdStream,
  'statsd-parser regex': peerStatsdRegex,
  'decode statsd lines': decodeStatsdLines,
  'influx ours': ourInflux,
  'influx-line-protocol-parser': peerInflux,
  'decode influx lines': decodeInfluxLines,
};
for (const fn of Object.values(contenders)) for (let i = 0; i < 5; i++) fn(); // warm up
const samples = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) for (const [name, fn] of Object.entries(contenders)) samples[name].push(cpuMs(fn));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const med = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
console.log(`date ${new Date().toISOString()}, node ${process.version}, ${cpus()[0]?.model ?? 'cpu?'}; ${LINES} points per corpus, ${ROUNDS} rounds`);
console.log('contender                      median ms/pass   spread (min..max)     M points/s');
for (const [name, xs] of Object.entries(samples)) {
  const m = med[name];
  console.log(
    `${name.padEnd(30)} ${m.toFixed(2).padStart(10)}      ${Math.min(...xs).toFixed(2)}..${Math.max(...xs).toFixed(2)}`.padEnd(70) +
      ` ${(LINES / m / 1000).toFixed(2)}`,
  );
}
const peerStatsd = Math.min(med['statsd-parser stream'], med['statsd-parser regex']);
const ratios = {
  'statsd: statsd-parser streaming / ours': med['statsd-parser stream'] / med['statsd ours'],
  'statsd: statsd-parser bare regex / ours': med['statsd-parser regex'] / med['statsd ours'],
  'statsd: faster statsd-parser / ours (target >= 2)': peerStatsd / med['statsd ours'],
  'statsd: ours / parseMetricsBatch on the same lines (target <= 2)': med['statsd ours'] / med['decode statsd lines'],
  'influx: influx-line-protocol-parser / ours': med['influx-line-protocol-parser'] / med['influx ours'],
  'influx: ours / parseMetricsBatch on the same lines (target <= 2)': med['influx ours'] / med['decode influx lines'],
};
for (const [name, r] of Object.entries(ratios)) console.log(`${name.padEnd(68)} ${r.toFixed(2)}x`);
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
