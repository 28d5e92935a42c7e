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
  /** 'exporter' (default: a quarter of the count keys lack `.count` and are warned about) or 'clean'. */
  mix?: 'exporter' | 'clean';
  /** Line ending, `'\n'` (default) or `'\r\n'`. */
  lineEnding?: string;
}

/** Share of `count,delta` lines whose key lacks `.count` in the 'exporter' mix. */
export declare const UNSUFFIXED_COUNT_RATIO: number;

/**
 * A body of about `bytes` bytes (whole lines, each ending with `lineEnding`); `invalidRatio` of the lines are
 * typical mistakes.
 * @example const { text, lines, invalid } = generateCorpus({ bytes: 1_000_000, invalidRatio: 0.1 })
 */
export declare function generateCorpus(options?: CorpusOptions): { text: string; lines: number; invalid: number };
