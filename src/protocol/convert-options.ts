/**
 * Every limit and every *decided* mapping choice of the source-format converters (`convert/`), in
 * one table: the options every converter shares ({@link ConvertOptions}) and each format's own
 * ({@link PrometheusOptions}; StatsD and Influx add theirs beside it). Each option names its default
 * and its evidence (tags as in `docs/spec/prometheus.md`: *docs* Dynatrace's pages, *agent* what a
 * Dynatrace agent or integration does in its code, *format* the source format's spec, *decided* our
 * choice). Where sources differ, the option is the choice and the default follows Dynatrace's own
 * documentation. Code never repeats these numbers as literals.
 *
 * @module
 */
import type { MetricsOptions } from './options.js';
import type { SeriesStateOptions } from './otlp-options.js';

/** Options every converter takes. Every field is optional. */
export interface ConvertOptions {
  /**
   * Longest input line in bytes; a longer one is skipped up to its line feed and reported
   * (`convert-line-too-long`), so a line cut across chunks is carried in bounded memory. Default
   * 1,048,576 (*decided*: the source formats name no limit; far above any real exposition line).
   */
  maxLineBytes?: number;
  /**
   * Points gathered before the batch is handed to the sink, so a huge chunk never grows the batch
   * without bound. Default 4,096 (*decided*).
   */
  batchPoints?: number;
  /**
   * Bytes of interned strings (names, label keys and values) kept before the string table starts
   * afresh between two batches (`MetricBatch.generation` tells). Default 8,388,608 (*decided*: the
   * line decoder's `DEFAULT_MAX_STRING_BYTES`).
   */
  maxStringBytes?: number;
  /**
   * Text put before every metric key, before normalization (`prom.` makes `up` a valid key). Default `''` (*docs*:
   * Dynatrace keeps the Prometheus name as the metric key; *agent*: Telegraf's Dynatrace output has a
   * `prefix` setting, empty by default in its plugin, `telegraf` in its sample config).
   */
  metricPrefix?: string;
  /**
   * How counters are written. `'delta'` (default, *docs*: "Dynatrace uses its COUNT metric type,
   * which uses delta encoding"; "the first data point serves as a starting point ... and is not
   * ingested itself"): `count,delta=` of the change since the series' previous value, through a
   * bounded series state. `'gauge'` (*agent*: Telegraf's Dynatrace output reports all metrics as
   * gauges unless listed in `additional_counters`): the value as sent, as `gauge,`.
   */
  counters?: 'delta' | 'gauge';
  /**
   * Metric names, as sent, written as delta counters whatever their declared type. Default none
   * (*agent*: Telegraf's `additional_counters`; names are matched before prefix and normalization).
   */
  additionalCounters?: readonly string[];
  /**
   * Whether a sample's own timestamp is written. `'keep'` (default, *decided*: the line protocol
   * takes epoch milliseconds, so nothing is lost) or `'drop'` (the endpoint then stamps the time it
   * receives the line, as an agent scraping now would).
   */
  timestamps?: 'keep' | 'drop';
  /** Bounds of the counter series state (defaults in `SERIES_STATE_DEFAULTS`). */
  series?: SeriesStateOptions;
  /** Line protocol options the output must satisfy (the normalizers and the writer read them). */
  metrics?: MetricsOptions;
}

/** Options of the Prometheus text format 0.0.4 and OpenMetrics 1.0 converters. */
export interface PrometheusOptions extends ConvertOptions {
  /**
   * How histogram samples (`_bucket`, `_sum`, `_count`) are written. `'counters'` (default, *docs*:
   * Dynatrace ingests Prometheus histograms as counters, the buckets with their `le` dimension, so
   * that `percentile()` can read them): each a delta counter, as counters are (option `counters`).
   * `'gauges'` (*agent*: Telegraf's Dynatrace output writes them as gauges): the values as sent.
   * `'drop'`: none (`prom-histogram-dropped`). OpenMetrics gauge histograms are always gauges.
   */
  histograms?: 'counters' | 'gauges' | 'drop';
  /**
   * How summary samples are written. `'counters'` (default, *docs*: "A summary datatype is ingested
   * as three metrics": the quantiles as a gauge with the quantile as a dimension, `_sum` and `_count`
   * as counters): quantiles `gauge,`, `_sum`/`_count` delta counters. `'gauges'` (*agent*: Telegraf):
   * every sample a gauge. `'drop'`: none (`prom-summary-dropped`).
   */
  summaries?: 'counters' | 'gauges' | 'drop';
  /**
   * The histogram `le` and summary `quantile` labels. `'keep'` (default, *docs*: the buckets are a
   * dimension) or `'drop'` (*agent*: Telegraf's Dynatrace output skips `le`, `gt` and `quantile`;
   * bucket series then merge into one: use with `histograms: 'gauges'` or `'drop'`).
   */
  bucketLabels?: 'keep' | 'drop';
  /**
   * OpenMetrics only: whether an exposition that does not end with `# EOF` is reported
   * (`prom-eof-missing`). Default `true` (*format*: "The exposition MUST end with an EOF").
   */
  requireEof?: boolean;
}

/** {@link ConvertOptions} with every field set (but `series` and `metrics`, passed on as given). */
export type ResolvedConvertOptions = Readonly<Required<Omit<ConvertOptions, 'series' | 'metrics'>>> & Pick<ConvertOptions, 'series' | 'metrics'>;

/** {@link PrometheusOptions} with every field set (but `series` and `metrics`). */
export type ResolvedPrometheusOptions = Readonly<Required<Omit<PrometheusOptions, 'series' | 'metrics'>>> & Pick<PrometheusOptions, 'series' | 'metrics'>;

/** Defaults of {@link ConvertOptions}, with their evidence there. */
export const CONVERT_DEFAULTS: Readonly<Required<Omit<ConvertOptions, 'series' | 'metrics'>>> = /* @__PURE__ */ Object.freeze({
  maxLineBytes: 1_048_576,
  batchPoints: 4096,
  maxStringBytes: 8_388_608,
  metricPrefix: '',
  counters: 'delta',
  additionalCounters: Object.freeze([]) as readonly string[],
  timestamps: 'keep',
} as const);

/** Defaults of {@link PrometheusOptions}, with their evidence there. */
export const PROMETHEUS_DEFAULTS: Readonly<Required<Omit<PrometheusOptions, 'series' | 'metrics'>>> = /* @__PURE__ */ Object.freeze({
  ...CONVERT_DEFAULTS,
  histograms: 'counters',
  summaries: 'counters',
  bucketLabels: 'keep',
  requireEof: true,
} as const);

/** The allowed values of each enumerated option (one place for the resolvers and the CLI). */
export const CONVERT_CHOICES: Readonly<Record<string, readonly (string | boolean)[]>> = /* @__PURE__ */ Object.freeze({
  counters: ['delta', 'gauge'],
  timestamps: ['keep', 'drop'],
  histograms: ['counters', 'gauges', 'drop'],
  summaries: ['counters', 'gauges', 'drop'],
  bucketLabels: ['keep', 'drop'],
  requireEof: [true, false],
  sampleRates: ['scale', 'ignore'],
  gaugeDeltas: ['delta', 'value', 'drop'],
  sets: ['drop', 'distinct'],
  precision: ['ns', 'us', 'ms', 's'],
  booleans: ['gauge', 'drop'],
});

/**
 * Fills in defaults over a defaults table and checks types (a `TypeError` for a caller mistake:
 * an unknown option, a negative number, a value outside its choices).
 * @example resolveConvertOptions({ counters: 'gauge' }, CONVERT_DEFAULTS).counters // 'gauge'
 */
export function resolveConvertOptions<D extends object>(options: object | undefined, defaults: D): Readonly<D> & Pick<ConvertOptions, 'series' | 'metrics'> {
  if (options === undefined || options === null) return defaults as Readonly<D>;
  if (typeof options !== 'object') throw new TypeError('dt-ingest: converter options must be an object');
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (key === 'series' || key === 'metrics') {
      if (typeof value !== 'object' || value === null) throw new TypeError(`dt-ingest: option ${key} must be an object`);
      out[key] = value;
      continue;
    }
    if (!(key in defaults)) throw new TypeError(`dt-ingest: unknown converter option '${key}'`);
    const def = (defaults as Record<string, unknown>)[key];
    const choices = CONVERT_CHOICES[key];
    if (choices !== undefined) {
      if (!choices.includes(value as string | boolean))
        throw new TypeError(`dt-ingest: option ${key} must be one of ${choices.map((c) => String(c)).join(', ')}`);
    } else if (typeof def === 'number') {
      if (typeof value !== 'number' || !(value >= 1) || !Number.isSafeInteger(value))
        throw new TypeError(`dt-ingest: option ${key} must be a positive integer`);
    } else if (typeof def === 'string') {
      if (typeof value !== 'string') throw new TypeError(`dt-ingest: option ${key} must be a string`);
    } else if (Array.isArray(def)) {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new TypeError(`dt-ingest: option ${key} must be an array of strings`);
    }
    out[key] = value;
  }
  return Object.freeze(out) as unknown as Readonly<D>;
}

/**
 * Options of the StatsD converter (Dynatrace's flavour: `name:value|type|@rate|#key:value,...`,
 * docs/spec/statsd.md). Of the shared options, `counters` and `additionalCounters` do not apply
 * (StatsD counters are deltas already).
 */
export interface StatsdOptions extends ConvertOptions {
  /**
   * What a sample rate (`|@0.1`) does. `'scale'` (default, *format*: the StatsD daemon counts a
   * sampled counter as `value / rate`; a timer sample stands for `round(1 / rate)` observations):
   * counters are divided by the rate, timers, histograms and distributions count `round(1 / rate)`
   * observations. `'ignore'`: values as sent, one observation each.
   */
  sampleRates?: 'scale' | 'ignore';
  /**
   * What a gauge written with a sign (`+4`, `-10`) means. `'delta'` (default, *format*: the StatsD
   * daemon adds a signed gauge to the gauge's current value, from 0 when it has none): the new value
   * is written, read from a bounded per-series state (`series.maxSeries` series, keyed by name and
   * tag text as sent). `'value'` (*format*: DogStatsD has no gauge deltas): the signed number is the
   * value. `'drop'`: signed gauges are dropped (`statsd-gauge-delta-dropped`).
   */
  gaugeDeltas?: 'delta' | 'value' | 'drop';
  /**
   * What a set (`|s`, a member to count once per flush interval) becomes. `'drop'` (default,
   * *decided*: a line converter has no flush interval, and no Dynatrace page says what its StatsD
   * listener writes for a set): dropped (`statsd-set-dropped`). `'distinct'`: `count,delta=1` the
   * first time a member is seen in its series (bounded like the gauge state), nothing for a repeat:
   * the count of distinct members over the state's lifetime.
   */
  sets?: 'drop' | 'distinct';
}

/**
 * Options of the Influx line protocol converter (docs/spec/influx.md): each numeric or boolean field
 * becomes one point keyed `measurement.field` with the tags as dimensions, as Telegraf's Dynatrace
 * output writes them. Of the shared options, `counters` does not apply (Influx fields carry no type);
 * `additionalCounters` names `measurement.field` keys written as `count,delta=<value>` (*agent*).
 */
export interface InfluxOptions extends ConvertOptions {
  /**
   * Unit of the timestamps: `'ns'` (default, *format*: "Unix nanosecond timestamp", the `precision`
   * parameter of the write API defaults to `ns`), `'us'`, `'ms'` or `'s'`. Written as epoch ms
   * (rounded down).
   */
  precision?: 'ns' | 'us' | 'ms' | 's';
  /**
   * Boolean fields. `'gauge'` (default, *agent*: Telegraf's Dynatrace output writes `true` as
   * `gauge,1` and `false` as `gauge,0`) or `'drop'` (`influx-bool-field-dropped`).
   */
  booleans?: 'gauge' | 'drop';
  /**
   * A dimension added to every point (`key=value`), or an empty string for none. Default
   * `'dt.metrics.source=telegraf'` (*agent*: Telegraf's Dynatrace output adds it to every line).
   */
  sourceDimension?: string;
}

/** {@link StatsdOptions} with every field set (but `series` and `metrics`). */
export type ResolvedStatsdOptions = Readonly<Required<Omit<StatsdOptions, 'series' | 'metrics'>>> & Pick<StatsdOptions, 'series' | 'metrics'>;

/** {@link InfluxOptions} with every field set (but `series` and `metrics`). */
export type ResolvedInfluxOptions = Readonly<Required<Omit<InfluxOptions, 'series' | 'metrics'>>> & Pick<InfluxOptions, 'series' | 'metrics'>;

/** Defaults of {@link StatsdOptions}, with their evidence there. */
export const STATSD_DEFAULTS: Readonly<Required<Omit<StatsdOptions, 'series' | 'metrics'>>> = /* @__PURE__ */ Object.freeze({
  ...CONVERT_DEFAULTS,
  sampleRates: 'scale',
  gaugeDeltas: 'delta',
  sets: 'drop',
} as const);

/** Defaults of {@link InfluxOptions}, with their evidence there. */
export const INFLUX_DEFAULTS: Readonly<Required<Omit<InfluxOptions, 'series' | 'metrics'>>> = /* @__PURE__ */ Object.freeze({
  ...CONVERT_DEFAULTS,
  precision: 'ns',
  booleans: 'gauge',
  sourceDimension: 'dt.metrics.source=telegraf',
} as const);
