/**
 * The contract every source-format converter keeps (Prometheus text / OpenMetrics, StatsD, Influx line
 * protocol; OTLP has its own reader in `otlp/` and converter in `produce/otlp-lines.ts`): a streaming
 * parser over bytes fills the same columnar {@link MetricBatch} the metrics line protocol decodes
 * into (no object per point), hands each filled batch to its sink, and reports what it could not
 * read or chose not to map as {@link ConvertProblem}s with a line and a column. The batch is written
 * back as lines by the serializer, so a converter's output is what the metrics endpoint would judge.
 *
 * Converters are listed once, in `convert/formats.ts`, which the CLI (`dt-ingest convert`, `analyze`)
 * and `serve` read.
 *
 * @module
 */
import type { MetricBatch } from '../metrics/batch.js';

/**
 * One problem met while converting: a line the parser could not read (`kind: 'invalid'`), or a
 * point, name or label the mapping changed or dropped (`'renamed'`, `'merged'`, `'dropped'`), with
 * the rule it follows (its id, documented in docs/spec/ with its evidence).
 */
export interface ConvertProblem {
  /** What happened: an unreadable line, or a mapping decision. */
  kind: 'invalid' | 'renamed' | 'merged' | 'dropped';
  /** The rule's id (kebab-case; listed in the converter's rules table). */
  rule: string;
  /** 1-based line of the input (0 for a problem of no single line). */
  line: number;
  /** 1-based column in the line, in UTF-8 bytes (0 when unknown). */
  column: number;
  /** The text of the problem, naming the offending token. */
  message: string;
}

/** Where a converter delivers its results. */
export interface ConvertSink {
  /**
   * A batch of converted points. The batch (and its arrays) is reused once this returns: read it,
   * or serialize it, before returning.
   */
  points(batch: MetricBatch): void;
  /** A problem, in input order. Optional: without it problems are only counted. */
  problem?(problem: ConvertProblem): void;
}

/** What a converter counted over everything it read. */
export interface ConvertCounts {
  /** Input lines read (blank and comment lines included). */
  lines: number;
  /** Points handed to the sink. */
  points: number;
  /** Unreadable lines. */
  invalid: number;
  /** Mapping decisions by rule id (renamed, merged, dropped). */
  byRule: Record<string, number>;
}

/**
 * A streaming converter: bytes in any chunking (a chunk boundary may fall anywhere, even inside a
 * UTF-8 sequence; nothing is dropped or duplicated there), `end()` after the last chunk. It never
 * throws for its input: a bad line is a problem and the next line is still read. Memory is bounded
 * by its options (line length, series state), never by the input's size.
 */
export interface SourceConverter {
  /** Reads a chunk; complete lines (or records) go to the sink as batches. */
  push(chunk: Uint8Array): void;
  /** Reads what is left and flushes the last batch. */
  end(): void;
  /** Counts so far. */
  readonly counts: ConvertCounts;
  /**
   * Optional: starts a new input after `end()` (a next file or scrape): line numbers and per-input
   * state (OpenMetrics' `# EOF`) start afresh, the counts and the series state carry over, so counters
   * read across successive inputs become deltas. A converter without it is opened anew per input.
   */
  reset?(): void;
}
