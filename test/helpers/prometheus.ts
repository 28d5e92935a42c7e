/**
 * fast-check arbitraries of Prometheus 0.0.4 / OpenMetrics 1.0 expositions, shared by the property
 * test (test/props/prometheus.props.test.ts) and the fuzz target (fuzz/properties.ts): families of
 * every type with names and labels that need normalizing (colons, upper case, long values, escapes,
 * controls, non-ASCII), values in every spelling (NaN, ±Inf, exponents), and timestamps.
 */
import fc from 'fast-check';
import { LineWriter } from '../../src/convert/write-lines.js';
import { PrometheusConverter } from '../../src/convert/prometheus.js';
import type { ConvertProblem } from '../../src/convert/source.js';
import type { PrometheusOptions } from '../../src/protocol/convert-options.js';

const NAME_START = 'abcxyzABZ_:';
const NAME_CHAR = `${NAME_START}0189`;
const LABEL_START = 'abzAZ_';
const LABEL_CHAR = `${LABEL_START}09`;

const chars = (set: string) => fc.constantFrom(...set.split(''));
const word = (start: string, rest: string, max: number) => fc.tuple(chars(start), fc.array(chars(rest), { maxLength: max })).map(([a, b]) => a + b.join(''));

/** A metric name of the grammar (often needing normalization). */
export const promName = (): fc.Arbitrary<string> =>
  fc.oneof(word(NAME_START, NAME_CHAR, 12), fc.constantFrom('up', 'http_requests_total', 'job:rate5m', 'go_gc_duration_seconds'));

/** A label value as written between the quotes (escapes included). */
const labelValue = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength: 12 }).map((s) => s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')),
    fc.constantFrom('', '\\\\', '\\"', '\\n', 'a b,c=d', 'ü€😀', '\\z', 'x'.repeat(300)),
  );

const labels = (): fc.Arbitrary<string> =>
  fc
    .array(fc.tuple(word(LABEL_START, LABEL_CHAR, 8), labelValue()), { maxLength: 5 })
    .map((ls) => (ls.length === 0 ? '' : `{${ls.map(([k, v]) => `${k}="${v}"`).join(',')}}`));

const value = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    fc.integer().map(String),
    fc.nat({ max: 1_000_000 }).map(String),
    fc.constantFrom('NaN', '+Inf', '-Inf', 'Inf', '1e3', '-0', '.5', '5.', '+3', '1.5E-7'),
  );

/** One exposition (text), OpenMetrics or 0.0.4, of valid grammar. */
export const promExposition = (openMetrics: boolean): fc.Arbitrary<string> => {
  const types = openMetrics
    ? ['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'unknown', 'info', 'stateset']
    : ['counter', 'gauge', 'histogram', 'summary', 'untyped'];
  const suffixes = ['', '_total', '_created', '_bucket', '_sum', '_count', '_gsum', '_gcount', '_info'];
  const timestamp = openMetrics
    ? fc.oneof(
        fc.constant(''),
        fc.double({ min: 0, max: 2e9, noNaN: true }).map((t) => ` ${t}`),
      )
    : fc.oneof(
        fc.constant(''),
        fc.nat().map((t) => ` ${t}`),
      );
  const sample = (family: string) => fc.tuple(fc.constantFrom(...suffixes), labels(), value(), timestamp).map(([s, l, v, t]) => `${family}${s}${l} ${v}${t}`);
  const family = fc
    .tuple(promName(), fc.constantFrom(...types))
    .chain(([name, type]) =>
      fc.array(sample(name), { minLength: 1, maxLength: 6 }).map((samples) => [`# HELP ${name} some help`, `# TYPE ${name} ${type}`, ...samples].join('\n')),
    );
  return fc.array(family, { maxLength: 6 }).map((fs) => `${fs.join('\n')}${fs.length > 0 ? '\n' : ''}${openMetrics ? '# EOF\n' : ''}`);
};

/** Options of the converter worth varying. */
export const promOptions = (): fc.Arbitrary<PrometheusOptions> =>
  fc.record(
    {
      counters: fc.constantFrom('delta', 'gauge'),
      histograms: fc.constantFrom('counters', 'gauges', 'drop'),
      summaries: fc.constantFrom('counters', 'gauges', 'drop'),
      bucketLabels: fc.constantFrom('keep', 'drop'),
      metricPrefix: fc.constantFrom('', 'prom.'),
      batchPoints: fc.constantFrom(1, 3, 4096),
    },
    { requiredKeys: [] },
  ) as fc.Arbitrary<PrometheusOptions>;

/** Converts `pieces` (one input, chunked) twice in a row through one converter; returns lines and problems. */
export function convertPieces(pieces: readonly Uint8Array[], options: PrometheusOptions, openMetrics: boolean): { text: string; problems: ConvertProblem[] } {
  const writer = new LineWriter();
  let text = '';
  const problems: ConvertProblem[] = [];
  const c = new PrometheusConverter({ points: (b) => (text += writer.write(b)), problem: (p) => problems.push(p) }, options, openMetrics);
  for (let scrape = 0; scrape < 2; scrape++) {
    c.reset();
    for (const p of pieces) c.push(p);
    c.end();
  }
  return { text, problems };
}
