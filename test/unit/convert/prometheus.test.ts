/**
 * The Prometheus 0.0.4 / OpenMetrics 1.0 converter: the formats' own test inputs (the OpenMetrics
 * parser suite, Prometheus's textparse test data; origins in test/fixtures/prometheus/ORIGIN.md),
 * each mapping rule of docs/spec/prometheus.md with its option, chunking at every byte, and a
 * differential check against parse-prometheus-text-format on 0.0.4 inputs.
 */
import { readFileSync } from 'node:fs';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { sourceFormat } from '../../../src/convert/formats.js';
import { PrometheusConverter, prometheusToLines } from '../../../src/convert/prometheus.js';
import type { ConvertProblem } from '../../../src/convert/source.js';
import { LineWriter } from '../../../src/convert/write-lines.js';
import type { MetricBatch } from '../../../src/metrics/batch.js';
import { normalizeDimensionKey, normalizeDimensionValue, normalizeMetricKey } from '../../../src/produce/normalize.js';
import type { PrometheusOptions } from '../../../src/protocol/convert-options.js';
import { validateMetrics } from '../../../src/report/validate.js';

const FIXTURES = 'test/fixtures/prometheus/';
const SUITE = `${FIXTURES}openmetrics-suite/`;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function lines(input: string | Uint8Array, options?: PrometheusOptions & { openMetrics?: boolean }): string[] {
  return prometheusToLines(input, options)
    .text.split('\n')
    .filter((l) => l !== '');
}

function rules(problems: ConvertProblem[]): string[] {
  return problems.map((p) => p.rule);
}

/** Every line of `text` is accepted by the metrics endpoint's validator. */
function expectValid(text: string): void {
  if (text === '') return;
  const r = validateMetrics(text, { now: 1_700_000_000_000, timestampPastMs: 1e13, timestampFutureMs: 1e13 });
  expect(r.body).toMatchObject({ linesInvalid: 0 });
}

/** A converter kept across scrapes, as a scraping agent keeps its series state. */
function scraper(options?: PrometheusOptions, openMetrics = false) {
  const writer = new LineWriter();
  let out = '';
  const problems: ConvertProblem[] = [];
  const c = new PrometheusConverter({ points: (b: MetricBatch) => (out += writer.write(b)), problem: (p) => problems.push(p) }, options, openMetrics);
  return {
    c,
    problems,
    scrape(text: string): string[] {
      out = '';
      c.reset();
      c.push(enc(text));
      c.end();
      return out.split('\n').filter((l) => l !== '');
    },
  };
}

describe('OpenMetrics parser suite (OpenObservability/OpenMetrics tests/testdata/parsers)', () => {
  const manifest: Record<string, boolean> = JSON.parse(readFileSync(`${SUITE}manifest.json`, 'utf8'));
  /**
   * Cases the suite rejects for the exposition's meaning, not its grammar: the converter reads
   * such text and maps what it can (docs/spec/prometheus.md §7, "not linted").
   */
  const NOT_LINTED = [
    'bad_clashing_names',
    'bad_counter_values',
    'bad_exemplar_complex_chars',
    'bad_exemplars_6',
    'bad_exemplars_on_unallowed',
    'bad_grouping_or_ordering',
    'bad_help_2',
    'bad_histograms',
    'bad_info_and_stateset_values',
    'bad_invalid_labels_2',
    'bad_invalid_labels_5',
    'bad_metadata_in_wrong_place',
    'bad_missing_or_invalid_labels_for_a_type',
    'bad_repeated_metadata',
    'bad_stateset_info_values',
    'bad_unit_2',
    'bad_unit_4',
    'bad_unit_6',
    'bad_unit_7',
  ];
  const good = Object.keys(manifest).filter((k) => manifest[k]);
  const bad = Object.keys(manifest).filter((k) => !manifest[k]);

  it('has the suite (44 good cases, 167 bad)', () => {
    expect(good.length).toBe(44);
    expect(bad.length).toBe(167);
  });

  it.each(good)('%s: read without an invalid line, every written line valid', (name) => {
    const r = prometheusToLines(readFileSync(`${SUITE}${name}.txt`), { openMetrics: true });
    expect(r.problems.filter((p) => p.kind === 'invalid')).toEqual([]);
    expectValid(r.text);
  });

  it.each(bad)('%s: reported as invalid (unless its fault is one of meaning, not linted)', (name) => {
    const r = prometheusToLines(readFileSync(`${SUITE}${name}.txt`), { openMetrics: true });
    expectValid(r.text);
    // a fault of meaning may still trip the grammar (then it is reported too); a fault of grammar always is
    if (!NOT_LINTED.some((prefix) => name.startsWith(prefix))) expect(r.counts.invalid).toBeGreaterThan(0);
  });
});

describe('Prometheus textparse test data', () => {
  it('promtestdata.txt (0.0.4): every sample read, NaN quantiles dropped, counters wait for a second scrape', () => {
    const text = readFileSync(`${FIXTURES}promtestdata.txt`, 'utf8');
    const r = prometheusToLines(text);
    expect(r.counts.invalid).toBe(0);
    expectValid(r.text);
    const nan = (text.match(/ NaN$/gm) ?? []).length;
    expect(r.counts.byRule['convert-value-nan']).toBe(nan);
    // the first scrape writes no counter (each sets its baseline), the second writes every one
    const s = scraper();
    const first = s.scrape(text);
    expect(first.some((l) => l.includes(' count,delta='))).toBe(false);
    const second = s.scrape(text);
    const counters = second.filter((l) => l.includes(' count,delta='));
    expect(counters.length).toBeGreaterThan(100);
    expect(counters.every((l) => l.includes(' count,delta=0'))).toBe(true);
    expect(second.filter((l) => !l.includes(' count,delta='))).toEqual(first);
  });

  it('alltypes.5mfs.om.txt (OpenMetrics): _created ignored, exemplars ignored, # EOF read', () => {
    const r = prometheusToLines(readFileSync(`${FIXTURES}alltypes.5mfs.om.txt`), { openMetrics: true });
    expect(r.counts.invalid).toBe(0);
    expect(r.counts.byRule['prom-created-ignored']).toBe(9);
    expect(r.counts.byRule['prom-exemplar-ignored']).toBe(6);
    expect(rules(r.problems)).not.toContain('prom-eof-missing');
    expectValid(r.text);
    // gauges and summary quantiles are written on the first scrape
    expect(r.text).toContain('go_build_info gauge,1\n');
    expect(r.text).toContain('rpc_durations_seconds,service=exponential,quantile=0.5 gauge,7.689368882420941e-7\n');
  });

  it('splitting the input at any byte changes nothing', () => {
    const bytes = readFileSync(`${FIXTURES}alltypes.5mfs.om.txt`);
    const whole = prometheusToLines(bytes, { openMetrics: true, counters: 'gauge' });
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const writer = new LineWriter();
      let out = '';
      const problems: ConvertProblem[] = [];
      const c = new PrometheusConverter({ points: (b) => (out += writer.write(b)), problem: (p) => problems.push(p) }, { counters: 'gauge' }, true);
      c.push(bytes.subarray(0, cut));
      c.push(bytes.subarray(cut));
      c.end();
      expect(out).toBe(whole.text);
      expect(problems).toEqual(whole.problems);
    }
  });
});

describe('mapping (docs/spec/prometheus.md)', () => {
  it('gauges and untyped samples: gauge,<value>; labels become dimensions', () => {
    expect(lines('# TYPE node_load1 gauge\nnode_load1{host="a"} 0.5\nsome_untyped 3\n')).toEqual(['node_load1,host=a gauge,0.5', 'some_untyped gauge,3']);
  });

  it('counters: the first value is the baseline, then deltas; a decrease is a reset', () => {
    const s = scraper();
    const page = (v: number) => `# TYPE http_requests_total counter\nhttp_requests_total{code="200"} ${v}\n`;
    expect(s.scrape(page(10))).toEqual([]);
    expect(s.scrape(page(15))).toEqual(['http_requests_total,code=200 count,delta=5']);
    expect(s.scrape(page(3))).toEqual([]);
    expect(s.scrape(page(4))).toEqual(['http_requests_total,code=200 count,delta=1']);
    expect(rules(s.problems)).toEqual(['convert-counter-baseline', 'convert-counter-reset']);
  });

  it('OpenMetrics counters are read from <family>_total; _created is not written', () => {
    const s = scraper({}, true);
    const page = (v: number) => `# TYPE rpc_requests counter\nrpc_requests_total{svc="a"} ${v}\nrpc_requests_created{svc="a"} 1.7e9\n# EOF\n`;
    s.scrape(page(1));
    expect(s.scrape(page(4))).toEqual(['rpc_requests_total,svc=a count,delta=3']);
    expect(s.c.counts.byRule['prom-created-ignored']).toBe(2);
  });

  it("counters: 'gauge' writes the value as sent (Telegraf's default)", () => {
    expect(lines('# TYPE jobs_total counter\njobs_total 7\n', { counters: 'gauge' })).toEqual(['jobs_total gauge,7']);
  });

  it('additionalCounters makes a gauge or untyped name a delta counter', () => {
    const s = scraper({ additionalCounters: ['bytes_out'] });
    s.scrape('bytes_out 100\n');
    expect(s.scrape('bytes_out 160\n')).toEqual(['bytes_out count,delta=60']);
  });

  const histogram =
    '# TYPE latency_seconds histogram\nlatency_seconds_bucket{le="0.1"} 1\nlatency_seconds_bucket{le="+Inf"} 2\nlatency_seconds_sum 0.3\nlatency_seconds_count 2\n';
  const histogram2 = histogram.replace('} 1\n', '} 4\n').replace('} 2\n', '} 6\n').replace('sum 0.3', 'sum 1.3').replace('count 2', 'count 6');

  it("histograms: 'counters' (default) writes each bucket, _sum and _count as delta counters, le kept", () => {
    const s = scraper();
    s.scrape(histogram);
    expect(s.scrape(histogram2)).toEqual([
      'latency_seconds_bucket,le=0.1 count,delta=3',
      'latency_seconds_bucket,le=+Inf count,delta=4',
      'latency_seconds_sum count,delta=1',
      'latency_seconds_count count,delta=4',
    ]);
  });

  it("histograms: 'gauges' with bucketLabels 'drop' (Telegraf) and 'drop'", () => {
    expect(lines(histogram, { histograms: 'gauges' })).toEqual([
      'latency_seconds_bucket,le=0.1 gauge,1',
      'latency_seconds_bucket,le=+Inf gauge,2',
      'latency_seconds_sum gauge,0.3',
      'latency_seconds_count gauge,2',
    ]);
    const r = prometheusToLines(histogram, { histograms: 'gauges', bucketLabels: 'drop' });
    expect(r.text.split('\n')[0]).toBe('latency_seconds_bucket gauge,1');
    expect(r.counts.byRule['prom-bucket-label-dropped']).toBe(2);
    const d = prometheusToLines(histogram, { histograms: 'drop' });
    expect(d.text).toBe('');
    expect(d.counts.byRule['prom-histogram-dropped']).toBe(4);
  });

  it("summaries: quantiles as gauges with the quantile dimension, _sum/_count counters; 'gauges'; 'drop'", () => {
    const summary = '# TYPE rpc_seconds summary\nrpc_seconds{quantile="0.5"} 0.2\nrpc_seconds_sum 10\nrpc_seconds_count 40\n';
    expect(lines(summary)).toEqual(['rpc_seconds,quantile=0.5 gauge,0.2']);
    expect(lines(summary, { summaries: 'gauges' })).toEqual(['rpc_seconds,quantile=0.5 gauge,0.2', 'rpc_seconds_sum gauge,10', 'rpc_seconds_count gauge,40']);
    expect(lines(summary, { summaries: 'drop' })).toEqual([]);
  });

  it('OpenMetrics gauge histograms, info and stateset are gauges', () => {
    const text =
      '# TYPE q_size gaugehistogram\nq_size_bucket{le="+Inf"} 3\nq_size_gcount 3\nq_size_gsum 9\n# TYPE build info\nbuild_info{v="1"} 1\n# TYPE feature stateset\nfeature{feature="a"} 1\n# EOF\n';
    expect(lines(text, { openMetrics: true })).toEqual([
      'q_size_bucket,le=+Inf gauge,3',
      'q_size_gcount gauge,3',
      'q_size_gsum gauge,9',
      'build_info,v=1 gauge,1',
      'feature,feature=a gauge,1',
    ]);
  });

  it('NaN and infinities are dropped with a problem naming the value', () => {
    const r = prometheusToLines('gauge_a NaN\ngauge_b +Inf\ngauge_c -Inf\ngauge_d Infinity\ngauge_e 1\n');
    expect(r.text).toBe('gauge_e gauge,1\n');
    expect(rules(r.problems)).toEqual(['convert-value-nan', 'convert-value-infinite', 'convert-value-infinite', 'convert-value-infinite']);
    expect(r.problems[1]!.message).toContain('+Inf');
    expect(r.problems[1]).toMatchObject({ line: 2, column: 9 });
  });

  it('timestamps: milliseconds in 0.0.4, seconds with a fraction in OpenMetrics; option timestamps', () => {
    expect(lines('temp_c 21 1700000000123\n')).toEqual(['temp_c gauge,21 1700000000123']);
    expect(lines('temp_c 21 1700000000.1234\n# EOF\n', { openMetrics: true })).toEqual(['temp_c gauge,21 1700000000123']);
    expect(lines('temp_c 21 1700000000123\n', { timestamps: 'drop' })).toEqual(['temp_c gauge,21']);
    const neg = prometheusToLines('temp_c 21 -5\n');
    expect(neg.text).toBe('temp_c gauge,21\n');
    expect(rules(neg.problems)).toEqual(['convert-timestamp-dropped']);
  });

  it('label value escapes \\\\ \\" \\n are resolved, then written as the line protocol escapes them', () => {
    const r = prometheusToLines('file_time{path="C:\\\\DIR\\\\F.TXT",error="Cannot find:\\n\\"F\\""} 1.5\n');
    expect(r.text).toBe('file_time,path=C:\\\\DIR\\\\F.TXT,error=Cannot\\ find:_\\"F\\" gauge,1.5\n');
    expect(rules(r.problems)).toEqual(['convert-dimension-value-normalized']);
    expectValid(r.text);
  });

  it('names and labels through the normalizers: renamed once per distinct name, too short dropped', () => {
    const r = prometheusToLines('job:rate5m{Instance="a"} 1\njob:rate5m{Instance="b"} 2\nup 1\n');
    expect(r.text).toBe('job_rate5m,instance=a gauge,1\njob_rate5m,instance=b gauge,2\n');
    // reported with the first sample of each distinct name, and of each distinct label (key and value)
    expect(rules(r.problems)).toEqual([
      'convert-metric-key-normalized',
      'convert-dimension-key-normalized',
      'convert-dimension-key-normalized',
      'convert-metric-key-invalid',
    ]);
    expect(r.counts.byRule['convert-metric-key-normalized']).toBe(2);
    const again = prometheusToLines('job:rate5m{Instance="a"} 1\n'.repeat(3));
    expect(rules(again.problems)).toEqual(['convert-metric-key-normalized', 'convert-dimension-key-normalized']);
    expect(again.counts.byRule).toEqual({ 'convert-metric-key-normalized': 3, 'convert-dimension-key-normalized': 3 });
    expect(lines('up 1\n', { metricPrefix: 'prom.' })).toEqual(['prom.up gauge,1']);
  });

  it("names the reserved 'dt.' start as the reason a key made with metricPrefix 'dt.' is dropped", () => {
    const r = prometheusToLines('up 1\nup 2\n', { metricPrefix: 'dt.' });
    expect(r.text).toBe('');
    expect(rules(r.problems)).toEqual(['convert-metric-key-reserved', 'convert-metric-key-reserved']);
    expect(r.problems[0]!.message).toContain("'dt.'");
    expect(r.problems[0]!.message).not.toContain('shorter');
    // a name that is invalid for another reason keeps its own reason
    expect(rules(prometheusToLines('up 1\n', { metricPrefix: 'dt' }).problems)).not.toContain('convert-metric-key-reserved');
  });

  it('two labels that normalize to one key are merged (the first kept); empty values are dropped', () => {
    const r = prometheusToLines('reqs_now{Code="1",code="2",empty=""} 1\n');
    expect(r.text).toBe('reqs_now,code=1 gauge,1\n');
    expect(rules(r.problems)).toContain('convert-dimension-duplicate');
    expect(rules(r.problems)).toContain('convert-dimension-empty');
  });

  it('a label set met again is taken from the cache only where that gives the same lines', () => {
    // the same set in a gauge and in a histogram family with bucketLabels 'drop'; a '}' inside a value
    const text =
      'g_metric{le="1",a="x"} 1\n# TYPE h histogram\nh_bucket{le="1",a="x"} 2\ng2_metric{le="1",a="x"} 3\nq_one{b="}",c="d"} 4\nq_two{b="}",c="d"} 5\n';
    expect(lines(text, { histograms: 'gauges', bucketLabels: 'drop' })).toEqual([
      'g_metric,le=1,a=x gauge,1',
      'h_bucket,a=x gauge,2',
      'g2_metric,le=1,a=x gauge,3',
      'q_one,b=},c=d gauge,4',
      'q_two,b=},c=d gauge,5',
    ]);
    // a renamed label key is reported once and counted every time, cached set or not
    const r = prometheusToLines('m_one{Code="1"} 1\nm_two{Code="1"} 2\nm_three{Code="1"} 3\n');
    expect(r.text).toBe('m_one,code=1 gauge,1\nm_two,code=1 gauge,2\nm_three,code=1 gauge,3\n');
    expect(r.counts.byRule['convert-dimension-key-normalized']).toBe(3);
  });

  it('string tables start afresh past maxStringBytes (bounded memory), and the lines stay right', () => {
    const n = 3000;
    const text = Array.from({ length: n }, (_, i) => `req_seconds{id="request-${i}",path="/p/${i % 7}"} ${i}`).join('\n');
    const writer = new LineWriter();
    let out = '';
    const generations = new Set<number>();
    const c = new PrometheusConverter(
      {
        points: (b) => {
          generations.add(b.generation);
          out += writer.write(b);
        },
      },
      { maxStringBytes: 4096, batchPoints: 64 },
    );
    for (let at = 0; at < text.length; at += 1000) c.push(enc(text.slice(at, at + 1000)));
    c.push(enc('\n'));
    c.end();
    // the output table started afresh many times, and no line was written from a stale id
    expect(generations.size).toBeGreaterThan(10);
    expect(out).toBe(Array.from({ length: n }, (_, i) => `req_seconds,id=request-${i},path=/p/${i % 7} gauge,${i}\n`).join(''));
  });

  it('counter series survive the string tables starting afresh (the series state is keyed by text)', () => {
    const s = scraper({ maxStringBytes: 2048 });
    const page = (v: number) => `# TYPE jobs_total counter\n${Array.from({ length: 500 }, (_, i) => `jobs_total{id="job-${i}"} ${v + i}`).join('\n')}\n`;
    expect(s.scrape(page(10))).toEqual([]);
    const second = s.scrape(page(13));
    expect(second).toHaveLength(500);
    expect(second.every((l) => l.endsWith(' count,delta=3'))).toBe(true);
    expect(second[499]).toBe('jobs_total,id=job-499 count,delta=3');
  });

  it('known series: the next scrape, read by comparing bytes with the last one, gives the same lines', () => {
    // every plain-number spelling of the fast path, its bounds (15 digits, 10^±22) and what takes the full path
    const values = [
      '0.005',
      '-0',
      '5.',
      '.5',
      '1e3',
      '1.5E-7',
      '8.233136128e+09',
      '-2.5e-3',
      '123456789012345',
      '1234567890123456',
      '1e22',
      '1e23',
      '1e-22',
      '0.0000000000000000000000001',
      '+3',
      '7 1700000000000',
      '9\t12',
      'NaN',
      '-Inf',
    ];
    const page = (bump: number) =>
      `# TYPE m_gauge gauge\n${values.map((v, i) => `m_gauge{i="${i}",le="x"} ${v}`).join('\n')}\nm_plain ${bump}\r\nm_plain2 ${1 + bump}\n# TYPE c_total counter\nc_total{a="b"} ${10 + bump}\n`;
    const s = scraper();
    const first = s.scrape(page(0));
    const fresh = prometheusToLines(page(0))
      .text.split('\n')
      .filter((l) => l !== '');
    expect(first).toEqual(fresh);
    // the second scrape of the same page: the same lines (c_total gives its first delta)
    expect(s.scrape(page(0))).toEqual([...fresh, 'c_total,a=b count,delta=0']);
    expect(s.scrape(page(4))).toEqual([
      ...fresh.map((l) => l.replace('m_plain gauge,0', 'm_plain gauge,4').replace('m_plain2 gauge,1', 'm_plain2 gauge,5')),
      'c_total,a=b count,delta=4',
    ]);
    expect(first).toContain('m_gauge,i=6,le=x gauge,8233136128');
    expect(first).toContain('m_gauge,i=15,le=x gauge,7 1700000000000');
    // a series whose name is a prefix of the predicted one's, or the other way round, is not taken for it
    expect(s.scrape('m_plain2 1\nm_plain 2\nm_plain_x 3\n')).toEqual(['m_plain2 gauge,1', 'm_plain gauge,2', 'm_plain_x gauge,3']);
    expect(s.c.counts.byRule['convert-value-nan']).toBe(3);
  });

  it('a point with more dimensions than the endpoint takes is dropped', () => {
    const labels = Array.from({ length: 51 }, (_, i) => `l${i}="v"`).join(',');
    const r = prometheusToLines(`wide_metric{${labels}} 1\n`);
    expect(r.text).toBe('');
    expect(rules(r.problems)).toEqual(['convert-too-many-dimensions']);
  });

  it('OpenMetrics: # EOF is required and nothing may follow it', () => {
    expect(rules(prometheusToLines('temp_c 1\n', { openMetrics: true }).problems)).toEqual(['prom-eof-missing']);
    expect(prometheusToLines('temp_c 1\n', { openMetrics: true, requireEof: false }).problems).toEqual([]);
    expect(rules(prometheusToLines('temp_c 1\n# EOF\ntemp_c 2\n', { openMetrics: true }).problems)).toEqual(['prom-after-eof']);
  });

  it('unreadable lines are reported with line and column, and the next line is read', () => {
    const r = prometheusToLines('metric_a{x="1" 1\nmetric_b{x="1} 2\n1bad 3\nmetric_c abc\nmetric_d 1 12x\n# TYPE metric_e sometype\nmetric_f 4\n');
    expect(r.text).toBe('metric_f gauge,4\n');
    expect(r.problems.map((p) => [p.rule, p.line, p.column])).toEqual([
      ['prom-syntax', 1, 16],
      ['prom-label-value', 2, 12],
      ['prom-metric-name', 3, 1],
      ['prom-value', 4, 10],
      ['prom-timestamp', 5, 12],
      ['prom-type', 6, 17],
    ]);
    expect(r.counts).toMatchObject({ lines: 7, points: 1, invalid: 6 });
  });

  it('0.0.4 takes runs of blanks and CRLF; OpenMetrics wants single spaces', () => {
    expect(lines('spaced_metric  {a="1" , b="2"}\t 5 \r\n')).toEqual(['spaced_metric,a=1,b=2 gauge,5']);
    expect(rules(prometheusToLines('spaced_metric  5\n# EOF\n', { openMetrics: true }).problems)).toEqual(['prom-syntax']);
  });

  it('the formats table opens both converters', () => {
    const seen: string[] = [];
    const c = sourceFormat('openmetrics')!.open({ points: (b: MetricBatch) => seen.push(new LineWriter().write(b)) } as never);
    c.push(enc('# TYPE temp_c gauge\ntemp_c 1 1.5\n# EOF\n'));
    c.end();
    expect(seen).toEqual(['temp_c gauge,1 1500\n']);
    expect(sourceFormat('prometheus')!.spec).toBe('docs/spec/prometheus.md');
  });
});

describe('differential: parse-prometheus-text-format 1.1.1 on 0.0.4 inputs', () => {
  type PeerFamily = { name: string; type: string; metrics: { value?: string; labels?: Record<string, string> }[] };

  /** The lines we expect from the peer's samples of flat families, through the same normalizers. */
  function expectedFromPeer(text: string): string[] {
    const out: string[] = [];
    const o = { shortMetricKey: 'null' as const };
    for (const f of parsePrometheusTextFormat(text) as PeerFamily[]) {
      if (f.type === 'HISTOGRAM' || f.type === 'SUMMARY') continue; // the peer drops labels, _sum and _count of labelled histograms
      const key = normalizeMetricKey(f.name, o);
      for (const m of f.metrics) {
        const v = Number(m.value);
        if (key === null || !Number.isFinite(v)) continue;
        let line = key;
        for (const [k, val] of Object.entries(m.labels ?? {})) {
          const dk = normalizeDimensionKey(k, o);
          const dv = val === '' ? null : normalizeDimensionValue(val, o);
          if (dk !== null && dv !== null) line += `,${dk}=${dv}`;
        }
        out.push(`${line} gauge,${String(v)}`);
      }
    }
    return out;
  }

  function oursFlat(text: string): string[] {
    // every family as gauges, and only those the peer gives whole (not histogram or summary samples)
    const families = new Set(
      (parsePrometheusTextFormat(text) as PeerFamily[]).filter((f) => f.type !== 'HISTOGRAM' && f.type !== 'SUMMARY').map((f) => f.name),
    );
    return lines(text, { counters: 'gauge', timestamps: 'drop' }).filter((l) => {
      const name = l.slice(0, Math.min(...[l.indexOf(','), l.indexOf(' ')].filter((x) => x >= 0)));
      return families.has(name);
    });
  }

  it.each(['promtestdata.txt', 'alltypes.237mfs.prom.txt'])('%s: the same samples, names, labels and values', (file) => {
    const text = readFileSync(`${FIXTURES}${file}`, 'utf8');
    const expected = expectedFromPeer(text);
    expect(expected.length).toBeGreaterThan(50);
    expect(oursFlat(text)).toEqual(expected);
  });
});
