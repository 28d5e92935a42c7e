/**
 * The source formats `dt-ingest` converts to the metrics line protocol: one row per format, read by
 * `dt-ingest convert` and `analyze` (the leaf commands, their input extensions) and by `serve` (the
 * routes and listeners that accept a format). Adding a format is adding its converter module and
 * its row here.
 *
 * @module
 */
import { INFLUX_DEFAULTS, PROMETHEUS_DEFAULTS, STATSD_DEFAULTS } from '../protocol/convert-options.js';
import { influxConverter } from './influx.js';
import { openMetricsConverter, prometheusConverter } from './prometheus.js';
import type { ConvertSink, SourceConverter } from './source.js';
import { statsdConverter } from './statsd.js';

/** Id of a source format: also its `convert` subcommand and its name in URLs and reports. */
export type SourceFormatId = 'prometheus' | 'openmetrics' | 'statsd' | 'influx';

/** One source format. */
export interface SourceFormat<Options = unknown> {
  /** Id, subcommand and name in reports. */
  readonly id: SourceFormatId;
  /** One line for `--help` and docs. */
  readonly summary: string;
  /** File extensions read when a directory or glob is given. */
  readonly extensions: readonly string[];
  /** Media types that select it (serve; `Content-Type` of a scrape answer). */
  readonly contentTypes: readonly string[];
  /**
   * Where `serve` accepts it as a real agent would (absent: `serve` only pulls it, by `--scrape`,
   * when a target answers with one of `contentTypes`): `paths`, HTTP write routes (the body is the
   * format, answered as that format's server answers); `udp`, datagrams on `--statsd-port`.
   */
  readonly serve?: { readonly paths?: readonly string[]; readonly udp?: boolean };
  /** Where its mapping is specified (docs/spec/…, with the evidence). */
  readonly spec: string;
  /**
   * Optional: the defaults of the format's options (its row of `protocol/convert-options.ts`); the CLI
   * makes a flag of each, `serve` reads them for its routes.
   */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** A new converter writing to `sink`. */
  open(sink: ConvertSink, options?: Options): SourceConverter;
}

/** Every source format, in the order help and docs list them (rows are added by each converter). */
export const SOURCE_FORMATS: readonly SourceFormat<never>[] = [
  {
    id: 'prometheus',
    summary: 'Prometheus text exposition format 0.0.4 (a /metrics scrape)',
    // not '.txt': that is the metrics line protocol's own extension (examples/metrics.txt), which
    // `analyze` reads as lines; node_exporter's textfile collector names its files '*.prom'
    extensions: ['.prom'],
    contentTypes: ['text/plain'],
    spec: 'docs/spec/prometheus.md',
    defaults: PROMETHEUS_DEFAULTS,
    open: prometheusConverter,
  },
  {
    id: 'openmetrics',
    summary: 'OpenMetrics 1.0 text (timestamps in seconds, _total counters, # EOF)',
    extensions: ['.om', '.openmetrics'],
    contentTypes: ['application/openmetrics-text'],
    spec: 'docs/spec/prometheus.md',
    defaults: PROMETHEUS_DEFAULTS,
    open: openMetricsConverter,
  },
  {
    id: 'statsd',
    summary: "StatsD, Dynatrace's flavour (name:value|type|@rate|#key:value): OneAgent / ActiveGate UDP 18125 / 18126",
    extensions: ['.statsd'],
    contentTypes: [],
    serve: { udp: true },
    spec: 'docs/spec/statsd.md',
    defaults: STATSD_DEFAULTS,
    open: statsdConverter,
  },
  {
    id: 'influx',
    summary: "Influx line protocol, mapped as Telegraf's Dynatrace output writes it (measurement.field keys, tags as dimensions)",
    extensions: ['.lp', '.influx'],
    contentTypes: [],
    // InfluxDB 2.x's write API (Telegraf's influxdb_v2 output, the v2 client libraries) and 1.x's
    serve: { paths: ['/api/v2/write', '/write'] },
    spec: 'docs/spec/influx.md',
    defaults: INFLUX_DEFAULTS,
    open: influxConverter,
  },
];

/** The row of a format id, or `undefined`. */
export function sourceFormat(id: string): SourceFormat<never> | undefined {
  return SOURCE_FORMATS.find((f) => f.id === id);
}
