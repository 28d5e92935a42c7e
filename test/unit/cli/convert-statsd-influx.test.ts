/**
 * `dt-ingest convert statsd|influx`: the generic convert leaves of the SOURCE_FORMATS rows, end to
 * end (files, option flags from StatsdOptions / InfluxOptions, the mapping report).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateMetrics } from '../../../src/report/validate.js';
import { run, scratch } from './helpers.js';

describe('dt-ingest convert statsd|influx', () => {
  it('statsd: counters scaled by the rate, gauge deltas, tags; an unreadable line reported with line:column', async () => {
    const dir = scratch({ 'a.statsd': 'api.calls:3|c|@0.5|#env:prod\nq.size:10|g\nq.size:-4|g\nbad line\n' });
    const r = await run(['convert', 'statsd', join(dir, 'a.statsd')]);
    expect(r.stdout).toBe('api.calls,env=prod count,delta=6\nq.size gauge,10\nq.size gauge,6\n');
    expect(validateMetrics(r.stdout).body).toMatchObject({ linesInvalid: 0, linesOk: 3 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/invalid +statsd-syntax ×1\n +\S*a\.statsd:4:9/);
  });
  it('statsd: option flags come from the options table (--gauge-deltas value, --sets distinct)', async () => {
    const dir = scratch({ 'b.statsd': 'q.size:-4|g\nusers:alice|s\nusers:alice|s\n' });
    const r = await run(['convert', 'statsd', '--gauge-deltas', 'value', '--sets', 'distinct', join(dir, 'b.statsd')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('q.size gauge,-4\nusers count,delta=1\n');
  });
  it('influx: measurement.field keys, the Telegraf source dimension, strings dropped and reported', async () => {
    const dir = scratch({ 'c.lp': 'cpu,host=a usage=0.5,state="ok" 1700000000000000000\n' });
    const r = await run(['convert', 'influx', join(dir, 'c.lp')]);
    expect(r.stdout).toBe('cpu.usage,dt.metrics.source=telegraf,host=a gauge,0.5 1700000000000\n');
    expect(r.stderr).toMatch(/dropped +influx-string-field-dropped ×1/);
    const p = await run(['convert', 'influx', '--precision', 's', '--source-dimension', '', join(dir, 'c.lp')]);
    // 1.7e18 seconds is past what epoch milliseconds can hold: the point is written without it
    expect(p.stdout).toBe('cpu.usage,host=a gauge,0.5\n');
    expect(p.stderr).toMatch(/dropped +convert-timestamp-dropped ×1/);
  });
});
