import { describe, expect, it } from 'vitest';
import { InfluxConverter } from '../../../src/convert/influx.js';
import type { ConvertProblem } from '../../../src/convert/source.js';
import { LineWriter } from '../../../src/convert/write-lines.js';
import type { InfluxOptions } from '../../../src/protocol/convert-options.js';
import { validateMetrics } from '../../../src/report/validate.js';

const enc = new TextEncoder();

function convert(text: string, options: InfluxOptions = { sourceDimension: '' }): { lines: string[]; problems: ConvertProblem[]; converter: InfluxConverter } {
  const writer = new LineWriter();
  let out = '';
  const problems: ConvertProblem[] = [];
  const converter = new InfluxConverter({ points: (b) => (out += writer.write(b)), problem: (p) => problems.push(p) }, options);
  converter.push(enc.encode(text));
  converter.end();
  return { lines: out === '' ? [] : out.slice(0, -1).split('\n'), problems, converter };
}

describe('Influx converter: mapping', () => {
  it("a measurement 'dt' makes reserved 'dt.' keys: dropped with that reason", () => {
    const r = convert('dt,host=a value=1\n');
    expect(r.lines).toEqual([]);
    expect(r.problems.map((p) => p.rule)).toEqual(['convert-metric-key-reserved']);
    expect(r.problems[0]!.message).toContain('metric-key-reserved');
    expect(r.problems[0]!.message).not.toContain('shorter than the minimum');
  });
  it('measurement + field → key, tags → dimensions, ns → ms', () => {
    expect(convert('cpu,host=a,region=eu usage=0.5,idle=99i 1700000000123456789').lines).toEqual([
      'cpu.usage,host=a,region=eu gauge,0.5 1700000000123',
      'cpu.idle,host=a,region=eu gauge,99 1700000000123',
    ]);
  });
  it('the source dimension comes first by default (Telegraf adds dt.metrics.source=telegraf)', () => {
    expect(convert('cpu,host=a usage=1', {}).lines).toEqual(['cpu.usage,dt.metrics.source=telegraf,host=a gauge,1']);
  });
  it('integers, unsigned, floats, booleans; strings dropped', () => {
    const r = convert('m a=-5i,b=7u,c=1.5e3,d=true,e=F,f="text" 1');
    expect(r.lines).toEqual(['m.a gauge,-5 0', 'm.b gauge,7 0', 'm.c gauge,1500 0', 'm.d gauge,1 0', 'm.e gauge,0 0']);
    expect(r.problems.map((p) => p.rule)).toEqual(['influx-string-field-dropped']);
    expect(r.problems[0]!.column).toBe(33);
  });
  it("booleans 'drop'", () => {
    const r = convert('m up=true', { sourceDimension: '', booleans: 'drop' });
    expect(r.lines).toEqual([]);
    expect(r.converter.counts.byRule['influx-bool-field-dropped']).toBe(1);
  });
  it('additionalCounters write count,delta= with the value as sent', () => {
    expect(convert('net bytes=10i,errs=1i', { sourceDimension: '', additionalCounters: ['net.bytes'] }).lines).toEqual([
      'net.bytes count,delta=10',
      'net.errs gauge,1',
    ]);
  });
  it('precision and the prefix', () => {
    expect(convert('m v=1 1700000000', { sourceDimension: '', precision: 's', metricPrefix: 'telegraf.' }).lines).toEqual([
      'telegraf.m.v gauge,1 1700000000000',
    ]);
    expect(convert('m v=1 1700000000', { sourceDimension: '', timestamps: 'drop' }).lines).toEqual(['m.v gauge,1']);
  });
  it('a negative timestamp is dropped from the point, reported', () => {
    const r = convert('m v=1 -5');
    expect(r.lines).toEqual(['m.v gauge,1']);
    expect(r.problems.map((p) => p.rule)).toEqual(['convert-timestamp-dropped']);
  });
  it('names are normalized: tag keys lowercased, invalid characters replaced', () => {
    const r = convert('My\\ Meas,Host=a disk\\ used=1');
    expect(r.lines).toEqual(['My_Meas.disk_used,host=a gauge,1']);
    expect(r.problems.map((p) => p.rule)).toEqual(['convert-dimension-key-normalized', 'convert-metric-key-normalized']);
  });
});

describe('Influx converter: escapes', () => {
  it('measurement escapes , and space; keys and tag values , = and space', () => {
    expect(convert('m\\,x,t\\=k=v\\ 1\\,2\\=3 f\\,k=1').lines).toEqual(['m_x.f_k,t_k=v\\ 1\\,2\\=3 gauge,1']);
  });
  it('a backslash before another byte is literal', () => {
    expect(convert('m,t=a\\b f=1').lines).toEqual(['m.f,t=a\\\\b gauge,1']);
  });
  it('string fields may hold spaces, commas, = and escaped quotes', () => {
    const r = convert('m s="a \\" b, c=d",v=2 5');
    expect(r.lines).toEqual(['m.v gauge,2 0']);
  });
  it('comments and blank lines give nothing', () => {
    const r = convert('# a comment\n\n   \nm v=1\n');
    expect(r.lines).toEqual(['m.v gauge,1']);
    expect(r.converter.counts.lines).toBe(4);
  });
});

describe('Influx converter: bad lines', () => {
  const cases: [string, string, number][] = [
    ['m', 'influx-syntax', 2],
    ['m,t=a', 'influx-syntax', 6],
    ['m,t v=1', 'influx-syntax', 4],
    ['m,t= v=1', 'influx-syntax', 5],
    ['m,=a v=1', 'influx-syntax', 3],
    ['m v', 'influx-syntax', 4],
    ['m =1', 'influx-syntax', 3],
    ['m v=', 'influx-field-value', 5],
    ['m v=abc', 'influx-field-value', 5],
    ['m v=1.5i', 'influx-field-value', 5],
    ['m v=-1u', 'influx-field-value', 5],
    ['m v=+1', 'influx-field-value', 5],
    ['m v=99999999999999999999i', 'influx-field-value', 5],
    ['m v="open', 'influx-syntax', 10],
    ['m v=1 12x', 'influx-timestamp', 7],
    ['m v=1 1 2', 'influx-syntax', 9],
    ['m v=1,w=bad 5', 'influx-field-value', 9],
    ['m v=1 9223372036854775808', 'influx-timestamp', 7],
    ['m v=18446744073709551616u', 'influx-field-value', 5],
    ['m v=9223372036854775808i', 'influx-field-value', 5],
    ['m\u0001 v=1', 'influx-syntax', 2],
    ['m,a=1,b=2,a=3 v=1', 'influx-duplicate-tag', 11],
    ['m,a\\ b=1,a\\ b=2 v=1', 'influx-duplicate-tag', 10],
  ];
  for (const [line, rule, column] of cases) {
    it(`${JSON.stringify(line)} → ${rule} at column ${column}; no point of it; the next line is read`, () => {
      const r = convert(`${line}\nok v=1\n`);
      expect(r.problems).toMatchObject([{ rule, kind: 'invalid', line: 1, column }]);
      expect(r.lines).toEqual(['ok.v gauge,1']);
    });
  }
});

describe('Influx converter: streaming and validity', () => {
  it('gives the same lines for every split of the input', () => {
    const text = 'cpu,host=a\\ b usage=0.5,up=t 1700000000000000000\nbad line\nm\\,x,t=é v=3i\n';
    const whole = convert(text).lines;
    expect(whole).toHaveLength(3);
    const bytes = enc.encode(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const writer = new LineWriter();
      let out = '';
      const c = new InfluxConverter({ points: (b) => (out += writer.write(b)) }, { sourceDimension: '' });
      c.push(bytes.subarray(0, cut));
      c.push(bytes.subarray(cut));
      c.end();
      expect(out.slice(0, -1).split('\n')).toEqual(whole);
    }
  });
  it('every line passes validateMetrics', () => {
    const r = convert('cpu,host=a\\ b,Q="x" usage=0.5,up=t\nm\\,x,t=é v=3i,w=18446744073709551615u\n', {});
    const v = validateMetrics(r.lines.join('\n'), { now: Date.now() });
    expect(v.status).toBe(202);
    expect(v.ok && v.body.linesOk).toBe(4);
  });
  it('rejects a malformed sourceDimension option', () => {
    expect(() => new InfluxConverter({ points: () => {} }, { sourceDimension: 'Bad Key=x' })).toThrow(TypeError);
    expect(() => new InfluxConverter({ points: () => {} }, { sourceDimension: 'novalue=' })).toThrow(TypeError);
  });
});
