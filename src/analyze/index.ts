/**
 * `dt-ingest analyze`'s library: a cardinality budget before Dynatrace enforces one. Points from any
 * source (the line protocol read in place, a converter's batches, OTLP requests, `serve` record files)
 * are counted in bounded memory (exact up to a threshold, HyperLogLog past it, the error stated) and
 * judged against the documented limits (`protocol/analyze-options.ts`), with volatile-dimension lint
 * and the top offenders.
 *
 * @module
 */
export { CardinalityAnalyzer, EXAMPLE_BYTES, type ExampleRef } from './analyzer.js';
export { VolatileClass, VOLATILE_CLASSES, ValueBits, VALUE_CLASS, classifyValue, valueMask } from './classify.js';
export { DistinctCounter, sketchError } from './distinct.js';
export { Growth, MAX_CHECKPOINTS, type Countable } from './growth.js';
export { combine, fmix32, hashBytes, hashValue, pairLane0, pairLane1, seriesHash } from './hash.js';
export { ANALYZE_TIMESTAMP_SLACK_MS, LineProtocolAnalyzer, analyzeMetricsOptions } from './lines.js';
export type { AnalyzeFinding, AnalyzeReport, BudgetLine, BudgetStatus, DistinctCount, Offender, OffenderDimension } from './report.js';
export { MAX_RECORD_BYTES, RecordFileAnalyzer, analyzeOtlp, analyzerSink, otlpDecoder } from './sources.js';
