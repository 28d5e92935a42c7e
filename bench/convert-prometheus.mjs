/**
 * The Prometheus converter in points per second, against two baselines measured in the same run on
 * the same data:
 *
 * - parse-prometheus-text-format 1.1.1 (the npm peer) on the same 0.0.4 exposition (it gets the text
 *   as a string, its natural input; we get the bytes, ours);
 * - parseMetricsBatch on the same points written as metrics line protocol (our own line decoder into
 *   the same columnar batch: what reading the converted lines costs).
 *
 * The exposition is of realistic shape (node/app exporter style: gauges, counters, histograms with 8
 * buckets, summaries with 3 quantiles; 3-4 labels per sample). Every contender's output is checked
 * before it is timed (same sample count as the peer's). Mapping options make every sample a point
 * (`counters`, `histograms`, `summaries`: 'gauges'), so points/s compare like with like; the default
 * mapping (counters as deltas over a second scrape, lines written) is timed too. Our converter and
 * the line decoder are kept across calls, as a scraper keeps one per target (a fresh converter per
 * call is timed too: every name and label is then normalized anew). CPU time
 * (process.cpuUsage), medians of the rounds with [min..max], ratios per round.
 *
 *   npm run build && taskset -c 1 node bench/convert-prometheus.mjs [families=2000] [rounds=7]
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { LineWriter, MetricBatchDecoder, PrometheusConverter, parseMetricsBatch } from '../dist/index.js';

const FAMILIES = Number(process.argv[2] ?? 2000);
const ROUNDS = Number(process.argv[3] ?? 7);

/** A /metrics page: FAMILIES families in rotation of the four types. */
function exposition(families, scrape = 0) {
  const out = [];
  for (let f = 0; f < families; f++) {
    const name = `app_component${f}_${['queue_depth', 'requests', 'request_duration_seconds', 'rpc_latency_seconds'][f % 4]}`;
    const kind = ['gauge', 'counter', 'histogram', 'summary'][f % 4];
    out.push(`# HELP ${name} Something measured by component ${f}.`, `# TYPE ${name}${kind === 'counter' ? '_total' : ''} ${kind}`);
    for (let s = 0; s < 4; s++) {
      const labels = `method="${s % 2 ? 'GET' : 'POST'}",handler="/api/v1/items/${s}",instance="10.0.0.${f % 16}:9100"`;
      if (kind === 'gauge') out.push(`${name}{${labels},state="idle"} ${(f * 1.5 + s).toFixed(2)}`);
      else if (kind === 'counter') out.push(`${name}_total{${labels},code="200"} ${1000 * f + s + scrape * 7}`);
      else if (kind === 'histogram') {
        let c = 0;
        for (const le of ['0.005', '0.01', '0.025', '0.05', '0.1', '0.5', '1', '+Inf'])
          out.push(`${name}_bucket{${labels},le="${le}"} ${(c += s + 1 + scrape)}`);
        out.push(`${name}_sum{${labels}} ${(c * 0.042).toFixed(4)}`, `${name}_count{${labels}} ${c}`);
      } else {
        for (const q of ['0.5', '0.9', '0.99']) out.push(`${name}{${labels},quantile="${q}"} ${(0.01 * Number(q) + s).toFixed(5)}`);
        out.push(`${name}_sum{${labels}} ${12.5 + s + scrape}`, `${name}_count{${labels}} ${40 + s + scrape}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

const ALL_POINTS = { counters: 'gauge', histograms: 'gauges', summaries: 'gauges', timestamps: 'keep' };

/** A converter kept across calls, as a scraper keeps one per target (its caches are warm after the first scrape). */
function converterOf(options, write) {
  const writer = write ? new LineWriter() : undefined;
  const state = { points: 0, text: '' };
  const c = new PrometheusConverter({ points: (b) => (writer === undefined ? (state.points += b.length) : (state.text += writer.write(b))) }, options);
  return (bytes) => {
    state.points = 0;
    state.text = '';
    c.reset();
    c.push(bytes);
    c.end();
    return write ? state.text : state.points;
  };
}

function convert(bytes, options, write) {
  return converterOf(options, write)(bytes);
}

function cpuPerCall(fn, minMs = 400) {
  for (let i = 0; i < 3; i++) fn();
  let calls = 0;
  const start = process.cpuUsage();
  let used = 0;
  while (used < minMs * 1000) {
    fn();
    calls++;
    const d = process.cpuUsage(start);
    used = d.user + d.system;
  }
  return used / calls; // µs per call
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const spread = (xs) => `[${Math.min(...xs).toFixed(2)}..${Math.max(...xs).toFixed(2)}]`;

const text = exposition(FAMILIES);
const text2 = exposition(FAMILIES, 1);
const bytes = new TextEncoder().encode(text);
const bytes2 = new TextEncoder().encode(text2);

// --- outputs checked before timing
const peerSamples = parsePrometheusTextFormat(text).reduce((n, f) => {
  for (const m of f.metrics)
    n += m.buckets ? Object.keys(m.buckets).length + (m.count !== undefined) + (m.sum !== undefined) : m.quantiles ? Object.keys(m.quantiles).length + 2 : 1;
  return n;
}, 0);
const ourPoints = convert(bytes, ALL_POINTS, false);
const samples = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
if (ourPoints !== samples) throw new Error(`ours: ${ourPoints} points for ${samples} samples`);
if (peerSamples > samples) throw new Error(`peer: ${peerSamples} samples for ${samples}`);
const lines = new TextEncoder().encode(convert(bytes, ALL_POINTS, true));
const batch = parseMetricsBatch(lines, { now: Date.now() });
if (batch.length !== samples) throw new Error(`parseMetricsBatch: ${batch.length} points for ${samples}`);
// the default mapping over two scrapes: counters give deltas on the second

const warmBatch = converterOf(ALL_POINTS, false);
const warmLines = converterOf(ALL_POINTS, true);
const warmDefault = converterOf({}, true);
warmDefault(bytes); // the first scrape: counter baselines
const lineDecoder = new MetricBatchDecoder({ now: 1_700_000_000_000 });

const contenders = {
  'ours: to batch (all points)': () => warmBatch(bytes),
  'ours: to lines (all points)': () => warmLines(bytes),
  'ours: default mapping, lines': () => warmDefault(bytes2),
  'ours: to batch, fresh converter': () => convert(bytes, ALL_POINTS, false),
  'parse-prometheus-text-format': () => parsePrometheusTextFormat(text),
  'parseMetricsBatch (same points as lines)': () => {
    lineDecoder.push(lines);
    lineDecoder.end();
  },
};
const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) for (const [k, fn] of Object.entries(contenders)) times[k].push(cpuPerCall(fn));

console.log(
  `Prometheus 0.0.4 exposition: ${FAMILIES} families, ${samples} samples, ${bytes.length} bytes; lines form ${lines.length} bytes; ${ROUNDS} rounds; node ${process.version}; CPU time`,
);
console.log('contender                                   median µs/call  [min..max]      M points/s');
for (const [k, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(
    `${k.padEnd(44)} ${m.toFixed(0).padStart(10)}  [${Math.min(...xs).toFixed(0)}..${Math.max(...xs).toFixed(0)}]  ${(samples / m).toFixed(2).padStart(8)}`,
  );
}
const ours = times['ours: to batch (all points)'];
const vsPeer = ours.map((t, i) => times['parse-prometheus-text-format'][i] / t);
const vsBatch = ours.map((t, i) => t / times['parseMetricsBatch (same points as lines)'][i]);
const linesVsPeer = times['ours: to lines (all points)'].map((t, i) => times['parse-prometheus-text-format'][i] / t);
console.log(`ours (to batch) vs parse-prometheus-text-format: ${median(vsPeer).toFixed(2)}x faster, per round ${spread(vsPeer)} (target >= 10x)`);
console.log(`ours (to lines) vs parse-prometheus-text-format: ${median(linesVsPeer).toFixed(2)}x faster, per round ${spread(linesVsPeer)}`);
console.log(`ours (to batch) / parseMetricsBatch on the same points: ${median(vsBatch).toFixed(2)}x the time, per round ${spread(vsBatch)} (target <= 2x)`);
