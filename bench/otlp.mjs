/**
 * OTLP metrics: our validate-only walk (`OtlpValidator.countRejected`, every rule judged, no report)
 * against decoding alone with the protobuf peers (protobufjs reflection and @bufbuild/protobuf, both
 * from the official opentelemetry-proto definitions), on the same request of realistic shape (a
 * resource with 12 attributes, 3 scopes, gauges, delta counters, cumulative UpDownCounters and
 * histograms, 4 attributes per point). CPU time per request (process.cpuUsage over a batch), medians
 * of the rounds and their spread; the ratio is peer time / our time, measured in the same process.
 *
 *   npm run build && taskset -c 1 node bench/otlp.mjs [points=10000] [rounds=9]
 */
import { OtlpBatchDecoder, OtlpValidator } from '../dist/index.js';
import { bufbuildRequest, loadProtobufjs, protobufjsRequest } from '../test/helpers/otlp-peers.mjs';

const POINTS = Number(process.argv[2] ?? 10_000);
const ROUNDS = Number(process.argv[3] ?? 9);
const T0 = 1_700_000_000_000n * 1_000_000n;

function buildRequest(points) {
  const attr = (key, value) => ({ key, value: { stringValue: value } });
  const resource = { attributes: Array.from({ length: 12 }, (_, i) => attr(`resource.attr.${i}`, `value-${i}`)) };
  const perScope = Math.ceil(points / 3);
  const scopes = [];
  let made = 0;
  for (let s = 0; s < 3; s++) {
    const metrics = [];
    for (let m = 0; made < points && m < perScope / 25; m++) {
      const kind = m % 4;
      const dataPoints = [];
      for (let p = 0; p < 25 && made < points; p++, made++) {
        const attributes = [
          attr('http.method', p % 2 ? 'GET' : 'POST'),
          attr('http.route', `/api/v1/items/${p}`),
          attr('status', String(200 + (p % 5))),
          attr('host.name', `host-${p % 7}`),
        ];
        const base = { attributes, startTimeUnixNano: String(T0), timeUnixNano: String(T0 + BigInt(p) * 1_000_000n) };
        if (kind === 3)
          dataPoints.push({ ...base, count: 10, sum: 123.5, min: 1, max: 40, explicitBounds: [1, 5, 10, 25, 50], bucketCounts: [1, 2, 3, 2, 1, 1] });
        else dataPoints.push({ ...base, asDouble: p * 1.5 });
      }
      const name = `app.metric.${s}.${m}`;
      if (kind === 0) metrics.push({ name, unit: 'ms', gauge: { dataPoints } });
      else if (kind === 1) metrics.push({ name, sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints } });
      else if (kind === 2) metrics.push({ name, sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints } });
      else metrics.push({ name, unit: 'ms', histogram: { aggregationTemporality: 1, dataPoints } });
    }
    scopes.push({ scope: { name: `scope-${s}`, version: '1.0.0' }, metrics });
  }
  return { resourceMetrics: [{ resource, scopeMetrics: scopes }] };
}

function cpuPerCall(fn, bytes, minMs = 300) {
  // warm up, then time batches until minMs of CPU
  for (let i = 0; i < 20; i++) fn(bytes);
  let calls = 0;
  const start = process.cpuUsage();
  let used = 0;
  while (used < minMs * 1000) {
    for (let i = 0; i < 10; i++) fn(bytes);
    calls += 10;
    const d = process.cpuUsage(start);
    used = d.user + d.system;
  }
  return used / calls; // µs per call
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const root = loadProtobufjs();
const PbType = protobufjsRequest(root);
const bb = bufbuildRequest(root);
const bytes = PbType.encode(PbType.fromObject(buildRequest(POINTS))).finish();
const validator = new OtlpValidator();
const decoder = new OtlpBatchDecoder();
if (validator.countRejected(bytes) !== 0 || validator.lastPoints !== POINTS) throw new Error('the bench request should be clean');

const contenders = {
  'ours: validate-only': (b) => validator.countRejected(b),
  'ours: typed columns': (b) => decoder.decode(b),
  'protobufjs: decode': (b) => PbType.decode(b),
  '@bufbuild/protobuf: decode': (b) => bb.decode(b),
};
const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) for (const [k, fn] of Object.entries(contenders)) times[k].push(cpuPerCall(fn, bytes));

const ours = median(times['ours: validate-only']);
console.log(`OTLP request: ${POINTS} points, ${bytes.length} bytes; ${ROUNDS} rounds; CPU µs per request, median [min..max]`);
for (const [k, xs] of Object.entries(times)) {
  const m = median(xs);
  const ratio = k.startsWith('ours: validate') ? '' : `  peer/ours ${(m / ours).toFixed(2)}x`;
  console.log(
    `${k.padEnd(28)} ${m.toFixed(0).padStart(7)} [${Math.min(...xs).toFixed(0)}..${Math.max(...xs).toFixed(0)}]  ${(((bytes.length / m) * 1e6) / 1048576).toFixed(0)} MB/s${ratio}`,
  );
}
const fastestPeer = Math.min(median(times['protobufjs: decode']), median(times['@bufbuild/protobuf: decode']));
const perRound = times['ours: validate-only'].map((t, i) => Math.min(times['protobufjs: decode'][i], times['@bufbuild/protobuf: decode'][i]) / t);
console.log(
  `validate-only vs the fastest peer's decode: ${(fastestPeer / ours).toFixed(2)}x (per round [${Math.min(...perRound).toFixed(2)}..${Math.max(...perRound).toFixed(2)}]; target >= 3x)`,
);
