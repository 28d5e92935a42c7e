/**
 * Timing and allocation of one benchmark run function, in this process.
 *
 * Time: after a warm-up, `samples` samples of at least `sampleMs` each (the run repeated as often as
 * that takes); the median time per run. Bytes allocated: a separate pass under `v8.GCProfiler`,
 * summing the heap growth between collections (heap used before each GC minus after the previous
 * one, plus the growth after the last), divided by the runs.
 *
 * @module
 */
import { GCProfiler, getHeapStatistics } from 'node:v8';

/**
 * How long to measure.
 * @example { samples: 5, sampleMs: 200 }
 */
export interface MeasureSettings {
  samples: number;
  sampleMs: number;
}

/**
 * One measurement.
 * @example { nsPerRun: 2_100_000, bytesPerRun: 1200 }
 */
export interface Measurement {
  /** Median nanoseconds per run. */
  nsPerRun: number;
  /** Bytes allocated per run. */
  bytesPerRun: number;
}

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Warm-up: the JIT compiles the hot paths before anything is timed. */
const WARMUP_MS = 100;
const WARMUP_MIN_RUNS = 3;

/**
 * Times `run` and counts what it allocates.
 * @example measure(() => byteLoop(body), { samples: 5, sampleMs: 200 })
 */
export function measure(run: () => unknown, settings: MeasureSettings): Measurement {
  let sink = 0;
  const keep = (r: unknown): void => {
    sink += typeof r === 'number' ? r : r === undefined ? 0 : 1;
  };
  const warmupEnd = performance.now() + WARMUP_MS;
  for (let i = 0; i < WARMUP_MIN_RUNS || performance.now() < warmupEnd; i++) keep(run());
  const perSample: number[] = [];
  let runsPerSample = 1;
  for (let s = 0; s < settings.samples; s++) {
    let runs = 0;
    const t0 = performance.now();
    let t = t0;
    while (runs < runsPerSample || t - t0 < settings.sampleMs) {
      keep(run());
      runs++;
      t = performance.now();
    }
    runsPerSample = runs;
    perSample.push(((t - t0) * 1e6) / runs);
  }
  const bytesPerRun = allocated(run, Math.max(1, runsPerSample), keep);
  if (sink === Number.MIN_VALUE) process.stdout.write('');
  return { nsPerRun: median(perSample), bytesPerRun };
}

function allocated(run: () => unknown, runs: number, keep: (r: unknown) => void): number {
  const profiler = new GCProfiler();
  const before = getHeapStatistics().used_heap_size;
  profiler.start();
  for (let i = 0; i < runs; i++) keep(run());
  const after = getHeapStatistics().used_heap_size;
  const stats = profiler.stop()?.statistics ?? [];
  let total = 0;
  let previous = before;
  for (const gc of stats) {
    total += Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - previous);
    previous = gc.afterGC.heapStatistics.usedHeapSize;
  }
  total += Math.max(0, after - previous);
  return total / runs;
}
