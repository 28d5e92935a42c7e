/**
 * `dt-ingest convert <format>`: one leaf per row of convert/formats.ts (Prometheus, OpenMetrics) beside
 * `otlp`: files, globs, directories and standard input through one converter (counters across files
 * become deltas), `--to lines`, `-o`, the mapping report on standard error or as JSON, option flags
 * from the options table, clear usage errors and help.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateMetrics } from '../../../src/report/validate.js';
import { run, scratch } from './helpers.js';

const page = (v: number) =>
  `# TYPE http_requests_total counter\nhttp_requests_total{code="200"} ${v}\n# TYPE temp_celsius gauge\ntemp_celsius{room="a b"} 21.5\njob:up 1\nbad_value abc\n`;

describe('dt-ingest convert prometheus|openmetrics', () => {
  it('converts files in order through one converter: the second scrape gives the counter delta', async () => {
    const dir = scratch({ 'a.prom': page(10), 'b.prom': page(25) });
    const r = await run(['convert', 'prometheus', join(dir, 'a.prom'), join(dir, 'b.prom')]);
    expect(r.stdout).toBe(
      'temp_celsius,room=a\\ b gauge,21.5\njob_up gauge,1\nhttp_requests_total,code=200 count,delta=15\ntemp_celsius,room=a\\ b gauge,21.5\njob_up gauge,1\n',
    );
    expect(validateMetrics(r.stdout).body).toMatchObject({ linesInvalid: 0, linesOk: 5 });
    expect(r.code).toBe(1); // 'bad_value abc' is an invalid line in each file
    expect(r.stderr).toContain('prometheus: 2 inputs, 12 lines read, 5 points written, 2 invalid lines');
    expect(r.stderr).toMatch(/invalid +prom-value ×2\n +\S*a\.prom:6:11 invalid sample value 'abc'\n +\S*b\.prom:6:11/);
    expect(r.stderr).toMatch(/dropped +convert-counter-baseline ×1/);
    expect(r.stderr).toMatch(/renamed +convert-metric-key-normalized ×2/);
  });

  it("a directory and a glob take the format's extensions; --report json; -o writes the lines to a file", async () => {
    const dir = scratch({ 'x/one.prom': 'temp_celsius 1\n', 'x/skip.json': '{}', 'x/skip.txt': 'lines 1\n', 'x/two.prom': 'temp_celsius 2\n' });
    const r = await run(['convert', 'prometheus', '--report', 'json', '-o', join(dir, 'out.txt'), join(dir, 'x')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('temp_celsius gauge,1\ntemp_celsius gauge,2\n');
    const report = JSON.parse(r.stderr);
    expect(report).toMatchObject({ format: 'prometheus', files: 2, lines: 2, points: 2, invalid: 0, rules: [] });
    const g = await run(['convert', 'prometheus', '-q', join(dir, 'x/two.*')]);
    expect(g.stdout).toBe('temp_celsius gauge,2\n');
    expect(g.stderr).toBe('');
  });

  it("standard input ('-' or --stdin), OpenMetrics, and option flags from the options table", async () => {
    const om = '# TYPE rpc_seconds histogram\nrpc_seconds_bucket{le="+Inf"} 3\nrpc_seconds_sum 1.5\nrpc_seconds_count 3\n# EOF\n';
    const r = await run(['convert', 'openmetrics', '--histograms', 'gauges', '--bucket-labels', 'drop', '-'], { stdin: om });
    expect(r.stdout).toBe('rpc_seconds_bucket gauge,3\nrpc_seconds_sum gauge,1.5\nrpc_seconds_count gauge,3\n');
    expect(r.code).toBe(0);
    const s = await run(['convert', 'openmetrics', '--stdin', '--report', 'json', '--no-require-eof', '--metric-prefix', 'prom.'], { stdin: 'up 1\n' });
    expect(s.stdout).toBe('prom.up gauge,1\n');
    expect(JSON.parse(s.stderr).rules).toEqual([]);
  });

  it('--report-file writes the report there', async () => {
    const dir = scratch({});
    const r = await run(['convert', 'prometheus', '--report-file', join(dir, 'report.txt'), '-'], { stdin: 'temp_celsius NaN\n' });
    expect(r.stderr).toBe('');
    expect(readFileSync(join(dir, 'report.txt'), 'utf8')).toContain('dropped  convert-value-nan ×1');
  });

  it('usage errors exit 2 with one line: an unknown target, a bad choice, no input', async () => {
    const t = await run(['convert', 'prometheus', '--to', 'json', '-'], { stdin: '' });
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('--to');
    const c = await run(['convert', 'prometheus', '--counters', 'sum', '-'], { stdin: '' });
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('delta');
    const n = await run(['convert', 'prometheus'], { stdinIsTTY: true });
    expect(n.code).toBe(2);
  });

  it('--help lists the leaves and each leaf its options', async () => {
    const h = await run(['convert', '--help']);
    expect(h.stdout).toMatch(/prometheus +Prometheus text exposition format 0\.0\.4/);
    expect(h.stdout).toMatch(/openmetrics +OpenMetrics 1\.0 text/);
    expect(h.stdout).toMatch(/otlp +OTLP metrics requests/);
    const p = await run(['convert', 'prometheus', '--help']);
    for (const flag of [
      '--to',
      '--report',
      '--counters',
      '--histograms',
      '--summaries',
      '--bucket-labels',
      '--additional-counters',
      '--max-series',
      '--metric-prefix',
    ])
      expect(p.stdout).toContain(flag);
  });
});
