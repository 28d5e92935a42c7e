/**
 * The columnar batch says what the object API says: the same points (key, suffix, dimensions with
 * escapes resolved and first-wins duplicates, payload numbers bit for bit, timestamp, line), the
 * same invalid lines with the same rules, the same number of metadata lines; however the input is
 * cut; and with string ids that stay put across batches until the table starts afresh.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KeySuffix,
  MetricBatchDecoder,
  PayloadType,
  RULE_LIST,
  VALUE_STRIDE,
  parseMetrics,
  parseMetricsBatch,
  type MetricBatch,
  type MetricsOptions,
} from '../../../src/index.js';
// @ts-expect-error plain JS module shared with the fuzzers
import { body, cuts, options, piecesOf } from '../../../fuzz/bodies.mjs';
// @ts-expect-error plain JS module shared with the benchmarks
import { generateCorpus, NOW } from '../../../bench/corpus.mjs';

const runs = Number(process.env.FC_RUNS ?? 300);
const ruleCode = new Map(RULE_LIST.map((r) => [r.id, r.code]));

interface Row {
  line: number;
  key?: string;
  suffix?: number;
  type?: number;
  values?: number[];
  timestamp?: number;
  dims?: [string, string][];
  invalid?: number;
  metadata?: true;
}

/** The object API's answer, in rows. */
function fromObjects(input: Uint8Array | string, opts: MetricsOptions): Row[] {
  return parseMetrics(input, opts).map((entry): Row => {
    if ('issue' in entry) return { line: entry.line, invalid: ruleCode.get(entry.issue.rule)! };
    if ('metadata' in entry) return { line: entry.line, metadata: true };
    const p = entry.point;
    const changed = entry.warnings?.find((w) => w.rule === 'metric-key-changed');
    const suffix = changed === undefined ? KeySuffix.NONE : changed.message.endsWith(".count'") ? KeySuffix.COUNT : KeySuffix.GAUGE;
    const pay = p.payload;
    const type = pay.type === 'summary' ? PayloadType.SUMMARY : pay.type === 'count' ? PayloadType.COUNT : PayloadType.GAUGE;
    const values = pay.type === 'summary' ? [pay.min, pay.max, pay.sum, pay.count] : [pay.type === 'count' ? pay.delta : pay.value, 0, 0, 0];
    return { line: entry.line, key: p.key, suffix, type, values, timestamp: p.timestamp ?? -1, dims: p.dimensions.map((d) => [d.key, d.value]) };
  });
}

/** The batches' answer, in rows (points, invalid lines and metadata merged by line). */
function fromBatches(batches: { points: Row[]; invalid: Row[]; metadata: number }[]): { rows: Row[]; metadata: number } {
  const rows = batches.flatMap((b) => [...b.points, ...b.invalid]).sort((a, b) => a.line - b.line);
  return { rows, metadata: batches.reduce((n, b) => n + b.metadata, 0) };
}

function snapshot(batch: MetricBatch): { points: Row[]; invalid: Row[]; metadata: number } {
  const points: Row[] = [];
  for (let p = 0; p < batch.length; p++) {
    points.push({
      line: batch.lines[p]!,
      key: batch.key(p),
      suffix: batch.keySuffixes[p]!,
      type: batch.types[p]!,
      values: Array.from(batch.values.subarray(p * VALUE_STRIDE, (p + 1) * VALUE_STRIDE)),
      timestamp: batch.timestamps[p]!,
      dims: batch.dimensions(p),
    });
  }
  const invalid: Row[] = [];
  for (let k = 0; k < batch.invalid; k++) invalid.push({ line: batch.invalidLines[k]!, invalid: batch.invalidCodes[k]! });
  return { points, invalid, metadata: batch.metadata };
}

function expectSame(objects: Row[], batched: { rows: Row[]; metadata: number }): void {
  expect(batched.metadata).toBe(objects.filter((r) => r.metadata).length);
  // toEqual compares -0 and 0 as different (Object.is): numbers must match bit for bit
  expect(batched.rows).toEqual(objects.filter((r) => !r.metadata));
}

describe('parseMetricsBatch equals parseMetrics', () => {
  it('on random bodies and options', () => {
    fc.assert(
      fc.property(body(NOW), options(NOW), (bytes: Uint8Array, opts: MetricsOptions) => {
        expectSame(fromObjects(bytes, opts), fromBatches([snapshot(parseMetricsBatch(bytes, opts))]));
      }),
      { numRuns: runs },
    );
  });

  it('on the exporter corpus (LF and CRLF), with escapes, quotes and duplicate keys resolved', () => {
    for (const lineEnding of ['\n', '\r\n']) {
      const text =
        generateCorpus({ bytes: 200_000, invalidRatio: 0.05, now: NOW, lineEnding }).text + 'dup.key,a=1,b=2,a=3 5\nesc.key,a="x\\"y",b=p\\ q,c="" 6\n';
      const batch = parseMetricsBatch(text, { now: NOW });
      expectSame(fromObjects(text, { now: NOW }), fromBatches([snapshot(batch)]));
      const last = snapshot(batch).points.slice(-2);
      expect(last[0]!.dims).toEqual([
        ['a', '1'],
        ['b', '2'],
      ]);
      expect(last[1]!.dims).toEqual([
        ['a', 'x"y'],
        ['b', 'p q'],
      ]);
    }
  });
});

describe('MetricBatchDecoder', () => {
  it('shows its public surface only: the fused pass writes into a private sink, no stub of the counting mode', () => {
    const decoder = new MetricBatchDecoder({ now: NOW });
    for (const name of ['dims', 'numbers', 'keyRewritten', 'point', 'growDims', 'line', 'bulkLines', 'tooLong']) expect(name in decoder, name).toBe(false);
    decoder.push('a.b,x=1 1\n');
    expect(decoder.batch.dimensions(0)).toEqual([['x', '1']]);
  });
  it('gives the same points however the stream is cut', () => {
    fc.assert(
      fc.property(body(NOW), cuts(), options(NOW), (bytes: Uint8Array, points: number[], opts: MetricsOptions) => {
        const batches: ReturnType<typeof snapshot>[] = [];
        const decoder = new MetricBatchDecoder(opts, (b) => batches.push(snapshot(b)));
        for (const piece of piecesOf(bytes, points) as Uint8Array[]) decoder.push(piece);
        decoder.end();
        expectSame(fromObjects(bytes, opts), fromBatches(batches));
      }),
      { numRuns: runs },
    );
  });

  it('reuses one batch and keeps string ids across batches until its table starts afresh', () => {
    const seen: { batch: MetricBatch; firstKey: number; generation: number }[] = [];
    const decoder = new MetricBatchDecoder(
      { now: NOW },
      (b) => seen.push({ batch: b, firstKey: b.length > 0 ? b.keys[0]! : -1, generation: b.generation }),
      200, // bytes and 28 per string: the first line's 3 strings (97) fit, the third line's do not
    );
    decoder.push('cpu.load,host=a 1\n');
    decoder.push('cpu.load,host=a 2\n');
    expect(seen[0]!.batch).toBe(seen[1]!.batch);
    expect(seen[1]!.firstKey).toBe(seen[0]!.firstKey);
    expect(seen[1]!.generation).toBe(0);
    // past the 200-byte budget the table starts afresh between batches, and says so
    decoder.push('x'.repeat(40) + '.a,k=' + 'v'.repeat(40) + ' 3\n');
    decoder.push('cpu.load,host=a 4\n');
    expect(seen[3]!.generation).toBe(1);
    expect(seen[3]!.batch.key(0)).toBe('cpu.load');
  });
});
