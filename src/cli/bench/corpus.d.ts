/**
 * Types of corpus.js: the deterministic exporter corpus of `dt-ingest bench` and the benchmarks.
 *
 * @module
 */

/** The fixed clock of every corpus (timestamps are generated inside its window). */
export declare const NOW: number;

/**
 * A small deterministic PRNG (mulberry32): numbers in [0, 1).
 * @example const r = rng(42); r() // 0.6011...
 */
export declare function rng(seed: number): () => number;

/** What {@link generateCorpus} takes. */
export interface CorpusOptions {
  /** About this many bytes (whole lines). Default 1,000,000. */
  bytes?: number;
  /** Share of typical invalid lines. Default 0. */
  invalidRatio?: number;
  /** PRNG seed. Default 42. */
  seed?: number;
  /** The clock timestamps are drawn around. Default {@link NOW}. */
  now?: number;
}

/**
 * A body of about `bytes` bytes (whole lines, LF-terminated); `invalidRatio` of the lines are
 * typical mistakes.
 * @example const { text, lines, invalid } = generateCorpus({ bytes: 1_000_000, invalidRatio: 0.1 })
 */
export declare function generateCorpus(options?: CorpusOptions): { text: string; lines: number; invalid: number };
