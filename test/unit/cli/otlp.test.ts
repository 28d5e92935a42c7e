/**
 * `dt-ingest validate otlp` and `dt-ingest convert otlp` on the fixtures (test/fixtures/otlp, written by
 * scripts/otlp-fixtures.cjs with protobufjs): binary, gzip, OTLP/JSON (the endpoint's 415), a
 * compression bomb (413, bounded while inflating), every format, and the conversion across files.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, run } from './helpers.js';

const fx = (name: string) => join(ROOT, 'test/fixtures/otlp', name);
const PATHS = [
  'resource[0].scope[0].metric[0](http.requests)',
  'resource[0].scope[0].metric[2](latency).point[0].attribute[0](route)',
  'resource[0].scope[0].metric[3](temperature).point[0]',
];

describe('dt-ingest validate otlp', () => {
  for (const file of ['sample.pb', 'sample.pb.gz']) {
    it(`${file}: every problem with its path and rule, the endpoint's 200, exit 1`, async () => {
      const r = await run(['validate', 'otlp', '--format', 'json', fx(file)]);
      expect(r.code).toBe(1);
      const [report] = JSON.parse(r.stdout) as { messages: { ruleId: string; pointer: string }[] }[];
      expect(report!.messages.map((m) => [m.pointer, m.ruleId])).toEqual([
        [PATHS[0], 'otlp-monotonic-cumulative-sum'],
        [PATHS[1], 'otlp-dimension-empty'],
        [PATHS[2], 'otlp-value-nan'],
      ]);
    });
  }
  it('the OTLP/JSON encoding: the endpoint answers 415, and the content is judged too', async () => {
    const r = await run(['validate', 'otlp', fx('sample.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('otlp-unsupported-media-type');
    expect(r.stdout).toContain('endpoint status 415');
    expect(r.stdout).toContain(PATHS[2]);
  });
  it('--format dynatrace prints the partial_success as the endpoint writes it', async () => {
    const r = await run(['validate', 'otlp', '--format', 'dynatrace', fx('sample.pb')]);
    const out = JSON.parse(r.stdout) as { status: number; body: { rejectedDataPoints: number; errorMessage: string } };
    expect(out.status).toBe(200);
    expect(out.body.rejectedDataPoints).toBe(3);
    expect(out.body.errorMessage).toContain("Metric value dropped. key: 'temperature' details: 'Value was NaN' - Reason: VALUE_INVALID\n");
  });
  for (const format of ['stylish', 'sarif', 'github', 'junit']) {
    it(`--format ${format} names the rules`, async () => {
      const r = await run(['validate', 'otlp', '--format', format, fx('sample.pb')]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('otlp-value-nan');
    });
  }
  it('a compression bomb (64 MB of zeros) is refused with 413 while inflating', async () => {
    const r = await run(['validate', 'otlp', fx('bomb.pb.gz')]);
    expect(r.stdout).toContain('otlp-body-too-large');
    expect(r.stdout).toContain('endpoint status 413');
  });
  it('--max-data-points is a flag of the options table', async () => {
    const r = await run(['validate', 'otlp', '--max-data-points', '2', fx('sample.pb')]);
    expect(r.stdout).toContain('otlp-too-many-points');
  });
  it('--help lists every OTLP option', async () => {
    const r = await run(['validate', 'otlp', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--max-body-bytes', '--max-data-points', '--max-dimensions', '--counted-attribute-levels', '--unspecified-temporality'])
      expect(r.stdout).toContain(flag);
  });
});

describe('dt-ingest convert otlp', () => {
  it('converts across files in order: the second capture gives the cumulative deltas', async () => {
    const r = await run(['convert', 'otlp', fx('sample.pb'), fx('sample.json')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('http.requests'))).toEqual([
      'http.requests,method=GET count,delta=0 1700000000000',
      'http.requests,method=POST count,delta=0 1700000000000',
    ]);
    expect(lines).toContain('latency gauge,min=10,max=20,sum=42,count=3 1700000000000');
    expect(r.stderr).toContain('baseline 2');
  });
  it('--help exits 0', async () => {
    expect((await run(['convert', 'otlp', '--help'])).code).toBe(0);
  });
});
