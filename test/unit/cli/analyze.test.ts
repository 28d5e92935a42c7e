/**
 * `dt-ingest analyze`: inputs by extension and `--input-format`, one sample over several files, the
 * thresholds and their exit codes, the formats (stylish, json, sarif, github), help and usage errors.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ANALYZE_RULE_LIST } from '../../../src/protocol/analyze-rules.js';
import { attr, encodeRequest, nanos, request } from '../../helpers/otlp.js';
import { NOW, run, scratch } from './helpers.js';

function lines(n: number, f: (i: number) => string): string {
  let s = '';
  for (let i = 0; i < n; i++) s += `${f(i)}\n`;
  return s;
}

// 200 points a minute apart: a stable metric and one with a new request id on every point
const VOLATILE = lines(
  200,
  (i) => `req.count,host=h${i % 3},request_id=${(0x10000000 + i).toString(16)}-1b2c-4d5e-8f90-0123456789ab count,delta=1 ${NOW + i * 60_000}`,
);
const STABLE = lines(200, (i) => `cpu.temp,host=h${i % 4} gauge,${i} ${NOW + i * 60_000}`);
const dirs: string[] = [];
function files(f: Record<string, string | Uint8Array>): string {
  const d = scratch(f);
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('dt-ingest analyze', () => {
  it('within every budget: exit 0, the budget table', async () => {
    const dir = files({ 'a.txt': STABLE });
    const r = await run(['analyze', join(dir, 'a.txt')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('metric keys (environment)');
    expect(r.stdout).toContain('dimension tuples of one metric (30 days)');
    expect(r.stdout).toContain('✔ within every budget');
  });

  it('a volatile dimension warns (exit 0); --max-tuples-per-metric below its projection fails (exit 1)', async () => {
    const dir = files({ 'v.txt': VOLATILE, 's.txt': STABLE });
    const warned = await run(['analyze', dir]);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toContain('volatile-dimension');
    expect(warned.stdout).toContain("dimension 'request_id'");
    const failed = await run(['analyze', dir, '--max-tuples-per-metric', '1000']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('budget-metric-tuples');
    // the projection over a shorter window stays below
    const shorter = await run(['analyze', dir, '--max-tuples-per-metric', '1000', '--window', '12h']);
    expect(shorter.code).toBe(0);
  });

  it('--max-keys and --max-dimensions fail the run past them', async () => {
    const dir = files({ 'a.txt': `${STABLE}${lines(3, (i) => `k${i}.v,a=1,b=2,c=3 gauge,1`)}` });
    expect((await run(['analyze', dir, '--max-keys', '3'])).code).toBe(1);
    expect((await run(['analyze', dir, '--max-keys', '4'])).code).toBe(0);
    // lines with more dimensions than the validator's limit are invalid, so a point never passes 50;
    // a lower CI threshold still judges the widest point
    expect((await run(['analyze', dir, '--max-dimensions', '2'])).code).toBe(1);
  });

  it('json: the whole report, one sample over every input', async () => {
    const dir = files({ 'v.txt': VOLATILE, 's.txt': STABLE });
    const r = await run(['analyze', join(dir, 'v.txt'), join(dir, 's.txt'), '-f', 'json']);
    const report = JSON.parse(r.stdout);
    expect(report.sample.points).toBe(400);
    expect(report.metricKeys).toEqual({ count: 2, exact: true, error: 0 });
    expect(report.offenders[0].metric).toBe('req.count');
    expect(report.offenders[0].examples[0].source).toBe(join(dir, 'v.txt'));
    expect(report.limits.maxTuplesPerMetric).toBe(1_000_000);
  });

  it('sarif: the rules table and each finding at the file and line of its example', async () => {
    const dir = files({ 'v.txt': VOLATILE });
    const r = await run(['analyze', join(dir, 'v.txt'), '-f', 'sarif'], { cwd: dir });
    const log = JSON.parse(r.stdout);
    const runs = log.runs[0];
    expect(runs.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(ANALYZE_RULE_LIST.map((x) => x.id));
    const volatile = runs.results.find((x: { ruleId: string }) => x.ruleId === 'volatile-dimension');
    expect(volatile.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: 'v.txt' }, region: { startLine: 1 } });
  });

  it('github: annotations', async () => {
    const dir = files({ 'v.txt': VOLATILE });
    const r = await run(['analyze', join(dir, 'v.txt'), '-f', 'github', '--max-tuples-per-metric', '1000'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=v\.txt,line=1,col=1,title=budget-metric-tuples::/m);
    expect(r.stdout).toMatch(/^::warning file=v\.txt,line=1,col=1,title=volatile-dimension::/m);
  });

  it('OTLP requests and record files by extension; standard input as lines; -o writes a file', async () => {
    const body = encodeRequest(
      request([
        {
          name: 'otel.requests',
          gauge: { dataPoints: [1, 2, 3].map((i) => ({ attributes: [attr('path', `/p${i}`)], timeUnixNano: nanos(NOW), asDouble: 1 })) },
        },
      ]),
    );
    const record = `${JSON.stringify({ route: 'metrics', receivedAt: new Date(NOW).toISOString(), item: 'rec.v,h=1 gauge,1' })}\n`;
    const dir = files({ 'r.pb': body, 'x.ndjson': record });
    const out = join(dir, 'report.json');
    const r = await run(['analyze', dir, '-', '-f', 'json', '-o', out], { stdin: 'stdin.v,h=2 gauge,1\n' });
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.offenders.map((o: { metric: string }) => o.metric).sort()).toEqual(['otel.requests', 'rec.v', 'stdin.v']);
    expect(report.tuples.count).toBe(5);
  });

  it('an unreadable OTLP file is reported on stderr (exit 2 when nothing else fails)', async () => {
    const dir = files({ 'bad.pb': new Uint8Array([0xff, 0xff, 0xff]) });
    const r = await run(['analyze', join(dir, 'bad.pb')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not an OTLP metrics request');
  });

  it('--input-format forces a format; an unknown one is a usage error', async () => {
    const dir = files({ 'a.data': STABLE });
    const r = await run(['analyze', join(dir, 'a.data'), '--input-format', 'lines', '-f', 'json']);
    expect(JSON.parse(r.stdout).sample.points).toBe(200);
    const bad = await run(['analyze', join(dir, 'a.data'), '--input-format', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--input-format takes one of lines, otlp, record');
    expect((await run(['analyze', join(dir, 'a.data'), '--window', 'soon'])).code).toBe(2);
  });

  it('--help lists the thresholds, the input formats and the exit codes; the command list names it', async () => {
    const h = await run(['analyze', '--help']);
    expect(h.code).toBe(0);
    for (const flag of ['--max-keys', '--max-tuples', '--max-tuples-per-metric', '--max-dimensions', '--window', '--sample-duration'])
      expect(h.stdout).toContain(flag);
    expect(h.stdout).toContain('record');
    expect(h.stdout).toContain('Exit codes: 0');
    expect((await run(['--help'])).stdout).toContain('analyze');
  });

  it('a progress line on a terminal, cleared before the report', async () => {
    const dir = files({ 'a.txt': STABLE });
    const r = await run(['analyze', join(dir, 'a.txt')], { stderrIsTTY: true });
    expect(r.code).toBe(0);
    // the first chunk shows the line (updates are then throttled); it is cleared at the end
    expect(r.stderr).toContain(`dt-ingest: ${join(dir, 'a.txt')}: 0.0 MB read (100%)`);
    expect(r.stderr.endsWith('\r\u001b[K')).toBe(true);
    expect(r.stdout).not.toContain('MB read');
  });
});
