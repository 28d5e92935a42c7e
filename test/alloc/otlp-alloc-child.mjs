// Child of test/alloc/otlp.test.ts: validate-only (or a deliberately allocating mode) over one OTLP
// request many times between @@BEGIN and @@END, under --trace-gc with a 1 MB young generation.
import { protobufjsRequest } from '../helpers/otlp-peers.mjs';

const [entry, mode, rounds] = process.argv.slice(2);
const { OtlpValidator, validateOtlpMetrics } = await import(entry);
const T = protobufjsRequest();
const attr = (key, value) => ({ key, value: { stringValue: value } });
const dataPoints = Array.from({ length: 2000 }, (_, p) => ({
  attributes: [attr('method', p % 2 ? 'GET' : 'POST'), attr('route', `/r/${p % 50}`), attr('empty', mode === 'report' ? '' : 'x')],
  timeUnixNano: '1700000000000000000',
  asDouble: p,
}));
const bytes = T.encode(
  T.fromObject({
    resourceMetrics: [
      {
        resource: { attributes: [attr('service.name', 'svc')] },
        scopeMetrics: [
          {
            metrics: [
              { name: 'app.latency', gauge: { dataPoints } },
              { name: 'app.requests', sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints } },
            ],
          },
        ],
      },
    ],
  }),
).finish();
const v = new OtlpValidator();
// warm up (compilation allocates)
for (let i = 0; i < 50; i++) mode === 'report' ? validateOtlpMetrics(bytes) : v.countRejected(bytes);
console.log('@@BEGIN');
let points = 0;
for (let i = 0; i < Number(rounds); i++) {
  if (mode === 'report') points += validateOtlpMetrics(bytes).points;
  else {
    v.countRejected(bytes);
    points += v.lastPoints;
  }
}
console.log('@@END');
console.log(points);
