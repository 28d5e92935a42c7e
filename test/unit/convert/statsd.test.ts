import { describe, expect, it } from 'vitest';
import type { ConvertProblem } from '../../../src/convert/source.js';
import type { MetricBatch } from '../../../src/metrics/batch.js';
import { StatsdConverter } from '../../../src/convert/statsd.js';
import { LineWriter } from '../../../src/convert/write-lines.js';
import type { StatsdOptions } from '../../../src/protocol/convert-options.js';
import { validateMetrics } from '../../../src/report/validate.js';

const enc = new TextEncoder();

function convert(text: string, options?: StatsdOptions): { lines: string[]; problems: ConvertProblem[]; converter: StatsdConverter } {
  const writer = new LineWriter();
  let out = '';
  const problems: ConvertProblem[] = [];
  const converter = new StatsdConverter({ points: (b) => (out += writer.write(b)), problem: (p) => problems.push(p) }, options);
  converter.push(enc.encode(text));
  converter.end();
  return { lines: out === '' ? [] : out.slice(0, -1).split('\n'), problems, converter };
}

describe('StatsD converter: types', () => {
  it('counter to a delta, scaled by the sample rate', () => {
    expect(convert('api.calls:3|c\napi.calls:3|c|@0.5\n').lines).toEqual(['api.calls count,delta=3', 'api.calls count,delta=6']);
  });
  it('counter with sampleRates ignore keeps the value', () => {
    expect(convert('api.calls:3|c|@0.5', { sampleRates: 'ignore' }).lines).toEqual(['api.calls count,delta=3']);
  });
  it('gauges and signed deltas through the series state', () => {
    const { lines } = convert('queue.size:10|g\nqueue.size:+4|g\nqueue.size:-20|g\nother.q:-3|g\n');
    expect(lines).toEqual(['queue.size gauge,10', 'queue.size gauge,14', 'queue.size gauge,-6', 'other.q gauge,-3']);
  });
  it('gauge deltas are per series (name and tags)', () => {
    const { lines } = convert('queue.size:10|g|#host:a\nqueue.size:+1|g|#host:b\nqueue.size:+1|g|#host:a\n');
    expect(lines).toEqual(['queue.size,host=a gauge,10', 'queue.size,host=b gauge,1', 'queue.size,host=a gauge,11']);
  });
  it("gaugeDeltas 'value' and 'drop'", () => {
    expect(convert('q.size:10|g\nq.size:-4|g', { gaugeDeltas: 'value' }).lines).toEqual(['q.size gauge,10', 'q.size gauge,-4']);
    const r = convert('q.size:10|g\nq.size:+4|g', { gaugeDeltas: 'drop' });
    expect(r.lines).toEqual(['q.size gauge,10']);
    expect(r.converter.counts.byRule['statsd-gauge-delta-dropped']).toBe(1);
  });
  it('timers, histograms and distributions as one-observation summaries', () => {
    expect(convert('req.time:320|ms\nreq.size:12.5|h\nreq.dist:7|d\n').lines).toEqual([
      'req.time gauge,min=320,max=320,sum=320,count=1',
      'req.size gauge,min=12.5,max=12.5,sum=12.5,count=1',
      'req.dist gauge,min=7,max=7,sum=7,count=1',
    ]);
  });
  it('a sampled timer counts round(1 / rate) observations', () => {
    expect(convert('req.time:320|ms|@0.1').lines).toEqual(['req.time gauge,min=320,max=320,sum=3200,count=10']);
  });
  it("sets: dropped by default, 'distinct' counts each new member once", () => {
    const d = convert('users.seen:alice|s\n');
    expect(d.lines).toEqual([]);
    expect(d.problems.map((p) => p.rule)).toEqual(['statsd-set-dropped']);
    expect(convert('users.seen:alice|s\nusers.seen:bob|s\nusers.seen:alice|s\n', { sets: 'distinct' }).lines).toEqual([
      'users.seen count,delta=1',
      'users.seen count,delta=1',
    ]);
  });
});

describe('StatsD converter: tags, names, timestamps', () => {
  it('tags become dimensions; the first colon splits key and value', () => {
    expect(convert('page.views:1|c|#env:prod,url:http://x/y').lines).toEqual(['page.views,env=prod,url=http://x/y count,delta=1']);
  });
  it('tag keys are normalized, values escaped, tags without value reported', () => {
    const r = convert('page.views:1|c|#Env:a b,flag');
    expect(r.lines).toEqual(['page.views,env=a\\ b count,delta=1']);
    expect(r.problems.map((p) => p.rule)).toEqual(['convert-dimension-key-normalized', 'convert-dimension-empty']);
  });
  it('invalid metric names are normalized or dropped', () => {
    const r = convert('1bad name:1|c\n.:1|c\n');
    expect(r.lines).toEqual(['_bad_name count,delta=1']);
    expect(r.problems.map((p) => p.rule)).toEqual(['convert-metric-key-normalized', 'convert-metric-key-invalid']);
  });
  it("a name starting with the reserved 'dt.' is dropped for that reason, not as too short", () => {
    const r = convert('dt.requests:1|c\ndt..x:1|c\n');
    expect(r.lines).toEqual([]);
    expect(r.problems.map((p) => p.rule)).toEqual(['convert-metric-key-reserved', 'convert-metric-key-reserved']);
    expect(r.problems[0]!.message).toContain("'dt.'");
    expect(r.problems[0]!.message).toContain('metric-key-reserved');
    expect(r.problems[0]!.message).not.toContain('shorter than the minimum');
    // the prefix counts: 'dt.' + name is reserved too; 'dt.' alone with nothing after is another fault
    expect(convert('requests:1|c', { metricPrefix: 'dt.' }).problems.map((p) => p.rule)).toEqual(['convert-metric-key-reserved']);
    expect(convert('.dt.x:1|c').problems.map((p) => p.rule)).toEqual(['convert-metric-key-invalid']);
  });
  it('|T seconds become the timestamp (ms); timestamps drop ignores it', () => {
    expect(convert('a.b:1|g|T1700000000').lines).toEqual(['a.b gauge,1 1700000000000']);
    expect(convert('a.b:1|g|T1700000000', { timestamps: 'drop' }).lines).toEqual(['a.b gauge,1']);
  });
  it('the metric prefix goes before the name', () => {
    expect(convert('a.b:1|g', { metricPrefix: 'statsd.' }).lines).toEqual(['statsd.a.b gauge,1']);
  });
  it('unknown sections are reported and skipped', () => {
    const r = convert('a.b:1|c|c:abc123');
    expect(r.lines).toEqual(['a.b count,delta=1']);
    expect(r.problems[0]).toMatchObject({ rule: 'statsd-section-ignored', kind: 'dropped', line: 1, column: 9 });
  });
  it('more dimensions than the endpoint takes drop the point', () => {
    const tags = Array.from({ length: 51 }, (_, i) => `k${i}:v`).join(',');
    const r = convert(`a.b:1|c|#${tags}`);
    expect(r.lines).toEqual([]);
    expect(r.converter.counts.byRule['convert-too-many-dimensions']).toBe(1);
  });
});

describe('StatsD converter: bad lines', () => {
  const cases: [string, string, number][] = [
    ['nocolon', 'statsd-syntax', 8],
    [':1|c', 'statsd-syntax', 1],
    ['a.b:1', 'statsd-syntax', 6],
    ['a.b:1|x', 'statsd-type', 7],
    ['a.b:x|c', 'statsd-value', 5],
    ['a.b:+-1|g', 'statsd-value', 5],
    ['a.b:1|c|@0', 'statsd-sample-rate', 10],
    ['a.b:1|c|@2', 'statsd-sample-rate', 10],
    ['a.b:1|c|Tx', 'statsd-timestamp', 10],
    ['a.b:NaN|g', 'statsd-value', 5],
    ['a.b:1e400|g', 'statsd-value', 5],
  ];
  for (const [line, rule, column] of cases) {
    it(`${line} → ${rule} at column ${column}, and the next line is still read`, () => {
      const r = convert(`${line}\nok.metric:1|g\n`);
      expect(r.problems).toMatchObject([{ rule, kind: 'invalid', line: 1, column }]);
      expect(r.lines).toEqual(['ok.metric gauge,1']);
      expect(r.converter.counts).toMatchObject({ lines: 2, points: 1, invalid: 1 });
    });
  }
});

describe('StatsD converter: streaming', () => {
  it('gives the same lines for every split of the input', () => {
    const text = 'a.b:1|c|#env:prod\nq.size:+4|g\nreq.time:3|ms|@0.5\nbad\nx.y:2|g|#Host:é\n';
    const whole = convert(text).lines;
    const bytes = enc.encode(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const writer = new LineWriter();
      let out = '';
      const c = new StatsdConverter({ points: (b) => (out += writer.write(b)) });
      c.push(bytes.subarray(0, cut));
      c.push(bytes.subarray(cut));
      c.end();
      expect(out.slice(0, -1).split('\n')).toEqual(whole);
    }
  });
  it('the fused scan and the per-line path read odd lines alike (blanks, CR, tabs, values, rates)', () => {
    const text = 'a.b:1.5|g\r\n\n  c.d:2|c|@0.25 \n\te.f:.5|ms\ng.h:5.|h\ni.j:1e3|g\nk.l:+3|g\nm.n:.|g\no.p:1|c|@1.5\nq.r:0012|c\n';
    const r = convert(text);
    expect(r.lines).toEqual([
      'a.b gauge,1.5',
      'c.d count,delta=8',
      'e.f gauge,min=0.5,max=0.5,sum=0.5,count=1',
      'g.h gauge,min=5,max=5,sum=5,count=1',
      'i.j gauge,1000',
      'k.l gauge,3',
      'q.r count,delta=12',
    ]);
    expect(r.problems.map((p) => p.rule)).toEqual(['statsd-value', 'statsd-sample-rate']);
    expect(r.converter.counts).toMatchObject({ lines: 10, points: 7, invalid: 2 });
  });
  it('the fused scan gives what the per-line path gives on random input (points, problems, counts, any split)', () => {
    class PerLine extends StatsdConverter {
      protected override readLines(): number {
        return -1; // declines the bulk path: every line through readLine
      }
    }
    const parts = [
      'a.b',
      'dt.x',
      'x',
      ' ',
      '\t',
      ':',
      '|',
      '1',
      '2.5',
      '.',
      '-3',
      '+4',
      'c',
      'g',
      'ms',
      's',
      'h',
      'd',
      '@0.5',
      '@',
      '#k:v',
      ',',
      'T1700000000',
      '\r',
      '\n',
      '\n',
      'é',
      '1e3',
      '00',
    ];
    const run = (C: typeof StatsdConverter, bytes: Uint8Array, cut: number) => {
      const writer = new LineWriter();
      let out = '';
      const problems: string[] = [];
      const sink = {
        points: (b: MetricBatch) => (out += writer.write(b)),
        problem: (p: ConvertProblem) => problems.push(`${p.rule}@${p.line}:${p.column} ${p.message}`),
      };
      const c = new C(sink, { sets: 'distinct', maxLineBytes: 40 });
      c.push(bytes.subarray(0, cut));
      c.push(bytes.subarray(cut));
      c.end();
      return { out, problems, counts: c.counts };
    };
    let seed = 1;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let t = 0; t < 2000; t++) {
      let text = '';
      for (let n = Math.floor(random() * 30); n > 0; n--) text += parts[Math.floor(random() * parts.length)];
      const bytes = enc.encode(text);
      const cut = Math.floor(random() * (bytes.length + 1));
      expect(run(StatsdConverter, bytes, cut), JSON.stringify(text)).toEqual(run(PerLine, bytes, cut));
    }
  });
  it('names past the name cache and across string-table generations keep their keys', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `svc${i % 1500}.m${(i * 7) % 11}.count`);
    const text = names.map((n, i) => `${n}:${i}|c\n`).join('');
    const r = convert(text, { maxStringBytes: 4096, batchPoints: 64 });
    expect(r.lines).toEqual(names.map((n, i) => `${n} count,delta=${i}`));
  });
  it('datagram() reads a last line without LF', () => {
    const writer = new LineWriter();
    let out = '';
    const c = new StatsdConverter({ points: (b) => (out += writer.write(b)) });
    c.datagram(enc.encode('a.b:1|c\na.c:2|c'));
    c.datagram(enc.encode('a.d:3|c'));
    expect(out).toBe('a.b count,delta=1\na.c count,delta=2\na.d count,delta=3\n');
  });
  it('every line passes validateMetrics', () => {
    const r = convert('a.b:1|c|#env:prod\nq.size:+4|g\nreq.time:3|ms|@0.3\nx.y:2|g|#host:"q"\n');
    const v = validateMetrics(r.lines.join('\n'), { now: Date.now() });
    expect(v.status).toBe(202);
    expect(v.ok && v.body.linesOk).toBe(4);
  });
});
