// Writes test/fixtures/otlp/{sample.pb,sample.pb.gz,sample.json,bomb.pb.gz} with protobufjs and the official proto definitions (run: node scripts/otlp-fixtures.cjs).
const p = require('protobufjs');
const path = require('node:path');
const zlib = require('node:zlib');
const fs = require('node:fs');
const r = new p.Root();
r.resolvePath = (_o, t) => path.join('test/fixtures/otlp/proto', t);
r.loadSync('opentelemetry/proto/collector/metrics/v1/metrics_service.proto');
const T = r.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
const t = '1700000000000000000';
const req = {
  resourceMetrics: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
      scopeMetrics: [
        {
          scope: { name: 'app' },
          metrics: [
            {
              name: 'http.requests',
              sum: {
                aggregationTemporality: 2,
                isMonotonic: true,
                dataPoints: [
                  { asInt: 10, timeUnixNano: t, attributes: [{ key: 'method', value: { stringValue: 'GET' } }] },
                  { asInt: 3, timeUnixNano: t, attributes: [{ key: 'method', value: { stringValue: 'POST' } }] },
                ],
              },
            },
            { name: 'queue.size', sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints: [{ asInt: 4, timeUnixNano: t }] } },
            {
              name: 'latency',
              unit: 'ms',
              histogram: {
                aggregationTemporality: 1,
                dataPoints: [
                  {
                    timeUnixNano: t,
                    count: 3,
                    sum: 42,
                    explicitBounds: [10, 20],
                    bucketCounts: [1, 1, 1],
                    attributes: [{ key: 'route', value: { stringValue: '' } }],
                  },
                ],
              },
            },
            {
              name: 'temperature',
              gauge: {
                dataPoints: [
                  { asDouble: NaN, timeUnixNano: t },
                  { asDouble: 21.5, timeUnixNano: t },
                ],
              },
            },
          ],
        },
      ],
    },
  ],
};
const bytes = T.encode(T.fromObject(req)).finish();
fs.writeFileSync('test/fixtures/otlp/sample.pb', bytes);
fs.writeFileSync('test/fixtures/otlp/sample.pb.gz', zlib.gzipSync(bytes));
const json = T.toObject(T.decode(bytes), { longs: String, enums: Number, bytes: String, arrays: false });
fs.writeFileSync('test/fixtures/otlp/sample.json', JSON.stringify(json, (_k, v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v), 2) + '\n');
// a compression bomb: 64 MB of zeros gzip-compressed (about 64 KB)
fs.writeFileSync('test/fixtures/otlp/bomb.pb.gz', zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 }));
