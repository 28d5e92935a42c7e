/**
 * `/api/v2/otlp/v1/metrics` in `dt-ingest serve`, fed by the real OpenTelemetry JS SDK
 * (`@opentelemetry/sdk-metrics`) through its real exporters: `exporter-metrics-otlp-proto` (binary
 * protobuf, gzip too) with delta and cumulative temporality, and `exporter-metrics-otlp-http` (OTLP/JSON:
 * the endpoint's 415). Asserts what the exporter reports (its export result and its partial-success
 * warning) and what the mock kept; then the proxy passing an upstream's answer on byte for byte, and
 * the compression bomb.
 */
import { gzipSync } from 'node:zlib';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { AggregationTemporalityPreference } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../src/serve/index.js';
import { ResponseType, encodeRequest, nanos, request } from '../../helpers/otlp.js';

/** A reader the test collects from by hand (no timers). */
class ManualReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const warnings: string[] = [];
diag.setLogger(
  {
    error: (m, ...a) => warnings.push(`${m} ${a.map((x) => JSON.stringify(x)).join(' ')}`),
    warn: (m, ...a) => warnings.push(`${m} ${a.map((x) => JSON.stringify(x)).join(' ')}`),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  },
  DiagLogLevel.WARN,
);

/** Records every instrument kind once and exports what the reader collected; resolves with the export result. */
async function exportOnce(exporter: PushMetricExporter): Promise<{ code: number; error?: Error }> {
  const reader = new ManualReader({ aggregationTemporalitySelector: (t) => exporter.selectAggregationTemporality!(t) });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'checkout' }), readers: [reader] });
  const meter = provider.getMeter('app', '1.0.0');
  meter.createCounter('http.requests').add(3, { method: 'GET' });
  meter.createUpDownCounter('queue.size').add(-2, { queue: 'orders' });
  meter.createHistogram('request.duration', { unit: 'ms' }).record(42, { route: '/checkout' });
  meter.createGauge('cpu.temperature').record(61.5, { host: 'web-01' });
  const { resourceMetrics } = await reader.collect();
  const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(resourceMetrics, resolve));
  await provider.shutdown();
  return result;
}

describe('serve OTLP metrics with the real OpenTelemetry JS SDK', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    server = await startServer({ receivedLimit: 100 });
    url = `${server.url}/api/v2/otlp/v1/metrics`;
  });
  afterAll(async () => server.close());

  it('delta preference: every point accepted, export SUCCESS, no warning; the mock keeps the points', async () => {
    warnings.length = 0;
    await fetch(`${server.url}/_dt-ingest/received`, { method: 'DELETE' });
    const result = await exportOnce(new ProtoExporter({ url, temporalityPreference: AggregationTemporalityPreference.DELTA }));
    expect(result.code).toBe(0);
    expect(warnings).toEqual([]);
    const received = (await (await fetch(`${server.url}/_dt-ingest/received`)).json()) as { otlp: { items: { metric: string; type: string }[] } };
    // the delta-preferring SDK still sends the UpDownCounter cumulative (SAP/cf-java-logging-support 175): a gauge
    expect(received.otlp.items.map((p) => `${p.metric}:${p.type}`).sort()).toEqual([
      'cpu.temperature:gauge',
      'http.requests:count',
      'queue.size:gauge',
      'request.duration:summary',
    ]);
  });

  it('cumulative (the SDK default): the counter is dropped with UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM, the histogram too', async () => {
    warnings.length = 0;
    const result = await exportOnce(new ProtoExporter({ url, temporalityPreference: AggregationTemporalityPreference.CUMULATIVE }));
    expect(result.code).toBe(0); // a partial success is a success for the exporter; it warns
    const text = warnings.join('\n');
    expect(text).toContain("Unsupported metric: 'http.requests' - Reason: UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM");
    expect(text).toContain("Unsupported metric: 'request.duration' - Reason: UNSUPPORTED_METRIC_TYPE_CUMULATIVE_HISTOGRAM");
    expect(text).not.toContain('queue.size');
  });

  it('gzip compression is accepted', async () => {
    warnings.length = 0;
    const result = await exportOnce(new ProtoExporter({ url, compression: 'gzip' as never, temporalityPreference: AggregationTemporalityPreference.DELTA }));
    expect(result.code).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('the OTLP/JSON exporter is answered 415 and its export FAILS', async () => {
    const result = await exportOnce(new JsonExporter({ url, temporalityPreference: AggregationTemporalityPreference.DELTA }));
    expect(result.code).toBe(1);
    expect(String(result.error?.message ?? result.error)).toMatch(/415|Unsupported Media Type/);
  });

  it('answers partial_success in protobuf (decoded by the oracle) and refuses a compression bomb with 413', async () => {
    const body = encodeRequest(request([{ name: 'm.nan', gauge: { dataPoints: [{ asDouble: Number.NaN, timeUnixNano: nanos(1_700_000_000_000) }] } }]));
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    const decoded = ResponseType.toObject(ResponseType.decode(new Uint8Array(await res.arrayBuffer())), { longs: Number }) as {
      partialSuccess: { rejectedDataPoints: number };
    };
    expect(decoded.partialSuccess.rejectedDataPoints).toBe(1);
    const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024));
    const r2 = await fetch(url, { method: 'POST', body: bomb, headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' } });
    expect(r2.status).toBe(413);
    const r3 = await fetch(url, { method: 'POST', body: 'x', headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'br' } });
    expect(r3.status).toBe(415);
  });
});

describe('serve OTLP metrics as a proxy', () => {
  let upstream: RunningServer;
  let proxy: RunningServer;
  beforeAll(async () => {
    upstream = await startServer({});
    proxy = await startServer({ mode: 'proxy', upstream: upstream.url });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  it("passes the upstream's protobuf answer on byte for byte, gzip body forwarded as sent", async () => {
    const body = encodeRequest(
      request([
        { name: 'c.total', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ asInt: 1 }, { asInt: 2 }] } },
        { name: 'ok.gauge', gauge: { dataPoints: [{ asDouble: 1 }] } },
      ]),
    );
    const direct = new Uint8Array(
      await (
        await fetch(`${upstream.url}/api/v2/otlp/v1/metrics`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } })
      ).arrayBuffer(),
    );
    const res = await fetch(`${proxy.url}/api/v2/otlp/v1/metrics`, {
      method: 'POST',
      body: gzipSync(body),
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
    });
    expect(res.status).toBe(200);
    const passed = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(passed).equals(Buffer.from(direct))).toBe(true);
    const decoded = ResponseType.toObject(ResponseType.decode(passed), { longs: Number }) as { partialSuccess: { rejectedDataPoints: number } };
    expect(decoded.partialSuccess.rejectedDataPoints).toBe(2);
  });

  it('without an upstream answer every point is accounted for in the 502', async () => {
    const dead = await startServer({ mode: 'proxy', upstream: 'http://127.0.0.1:9', retryCount: 0 });
    try {
      const body = encodeRequest(request([{ name: 'ok.gauge', gauge: { dataPoints: [{ asDouble: 1 }, { asDouble: 2 }] } }]));
      const res = await fetch(`${dead.url}/api/v2/otlp/v1/metrics`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
      expect(res.status).toBe(502);
      // not forwarded (nothing sent) or unknown (may have arrived): either way all 2 points are named
      expect(Buffer.from(await res.arrayBuffer()).toString('latin1')).toMatch(/none of the 2 data points was forwarded|the 2 data points are unknown/);
    } finally {
      await dead.close();
    }
  });
});
