// The exporter corpus lives in the package (src/cli/bench/corpus.js) so that `dt-ingest bench` can
// ship it; the benchmarks, the allocation check and the stream tests read it from there.
export * from '../src/cli/bench/corpus.js';
