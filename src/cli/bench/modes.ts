/**
 * What `dt-ingest bench` measures, as a table: each mode is one way a proxy or an exporter test uses
 * the library, and runs on each backend that is available (or those it names). Adding a mode is
 * adding a row. Every mode's run returns the lines it saw and the invalid ones, which the
 * bench compares across modes before timing anything.
 *
 * @module
 */
import { nativeAvailable } from '../../backend/registry.js';
import type { MetricsOptions } from '../../protocol/options.js';
import { MetricBatchDecoder } from '../../metrics/batch.js';
import { MetricsParser } from '../../report/parser.js';
import { LineKind } from '../../metrics/view.js';
import { MetricsValidator } from '../../report/validate.js';
import { metadataOf, pointOf } from '../../report/typed.js';

/** A scanning backend. */
export type BenchBackend = 'js' | 'native';

/** What one run of a mode saw: non-blank lines and invalid ones, and a figure of its output (kept so that no work can be optimised away; not compared). */
export interface BenchCount {
  lines: number;
  invalid: number;
  work?: number;
}

/**
 * A row of the modes table.
 * @example BENCH_MODES[0].prepare(body, 'js', { now })()
 */
export interface BenchMode {
  /** Name in the table (`validate-only`). */
  readonly name: string;
  /** What it stands for, for `--help` and the JSON report. */
  readonly description: string;
  /** Builds the run over `body` (outside the timing). */
  prepare(body: Uint8Array, backend: BenchBackend, options: MetricsOptions): () => BenchCount;
  /** The backends this mode runs on, where not all (the columnar batch is read by the TypeScript fused pass). */
  readonly backends?: readonly BenchBackend[];
}

/** The backends, and whether each is there. */
export const BENCH_BACKENDS: readonly { name: BenchBackend; available: () => boolean; missing: string }[] = [
  { name: 'js', available: () => true, missing: '' },
  { name: 'native', available: nativeAvailable, missing: 'the native addon is not built or DT_INGEST_NATIVE=0' },
];

/** The modes, in table order. */
export const BENCH_MODES: readonly BenchMode[] = [
  {
    name: 'validate-only',
    description: "the endpoint's verdict and counts, no report (what a validating proxy needs)",
    prepare: (body, backend, options) => () => {
      const v = new MetricsValidator({ ...options, backend }, { issues: false });
      v.push(body);
      v.end();
      return { lines: v.linesOk + v.linesInvalid, invalid: v.linesInvalid };
    },
  },
  {
    name: 'rich report',
    description: 'every problem and warning as an issue with line, column, rule id and texts',
    prepare: (body, backend, options) => () => {
      let issues = 0;
      const v = new MetricsValidator({ ...options, backend }, { onIssue: () => issues++ });
      v.push(body);
      v.end();
      return { lines: v.linesOk + v.linesInvalid, invalid: v.linesInvalid, work: issues };
    },
  },
  {
    name: 'typed parse',
    description: 'a typed point (key, dimensions, payload, timestamp) or metadata object per valid line',
    prepare: (body, backend, options) => () => {
      let lines = 0;
      let invalid = 0;
      let work = 0;
      const p = new MetricsParser({ ...options, backend }, (view) => {
        lines++;
        if (view.error !== 0) invalid++;
        else if (view.kind === LineKind.DATA) work += pointOf(view).dimensions.length;
        else if (view.kind === LineKind.METADATA) work += metadataOf(view).key.length;
      });
      p.push(body);
      p.end();
      return { lines, invalid, work };
    },
  },
  {
    name: 'typed batch',
    description: 'columnar points (ids into one string table, numbers in typed arrays), one reused batch per 64 KB chunk',
    backends: ['js'],
    prepare: (body, _backend, options) => () => {
      let points = 0;
      let invalid = 0;
      let metadata = 0;
      const decoder = new MetricBatchDecoder(options, (batch) => {
        points += batch.length;
        invalid += batch.invalid;
        metadata += batch.metadata;
      });
      for (let k = 0; k < body.length; k += BATCH_CHUNK_BYTES) decoder.push(body.subarray(k, k + BATCH_CHUNK_BYTES));
      decoder.end();
      return { lines: points + invalid + metadata, invalid, work: points };
    },
  },
];

/** Chunk size of the typed batch mode: what a streaming proxy reads from a socket at a time. */
const BATCH_CHUNK_BYTES = 64 * 1024;

/**
 * The floor of what JavaScript can do with the bytes, measured in the same run: one table lookup
 * per byte for the protocol's delimiters.
 * @example byteLoop(new TextEncoder().encode('a 1\n')) // 2
 */
export function byteLoop(b: Uint8Array): number {
  const t = new Uint8Array(256);
  for (const c of ' ,="\\\n') t[c.charCodeAt(0)] = 1;
  let n = 0;
  for (let i = 0; i < b.length; i++) n += t[b[i]!]!;
  return n;
}
