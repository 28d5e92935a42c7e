/**
 * `validateMetricsStream`: every kind of source at random chunk sizes gives the reference results;
 * the loop paces the reading; leaving early or aborting cancels the source.
 */
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMetricsSummary, validateMetricsStream } from '../../../src/index.js';
import type { MetricsByteSource, MetricsStreamResult, ValidateMetricsStreamOptions } from '../../../src/index.js';
import { CORPUS, CORPUS_BYTES, NOW, OPTION_SETS, RUNS, chunkSizes, cut, cutString, reference, summaryOf } from './corpus.js';

async function collect(source: MetricsByteSource, options?: ValidateMetricsStreamOptions): Promise<MetricsStreamResult[]> {
  const out: MetricsStreamResult[] = [];
  for await (const r of validateMetricsStream(source, options)) out.push(r);
  return out;
}

function webSource<T>(chunks: T[]): ReadableStream<T> {
  let i = 0;
  return new ReadableStream<T>({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++]!);
      else c.close();
    },
  });
}

async function* asyncSource<T>(chunks: T[]): AsyncGenerator<T> {
  for (const c of chunks) {
    await Promise.resolve();
    yield c;
  }
}

const KINDS: { name: string; make: (chunks: Uint8Array[]) => MetricsByteSource }[] = [
  { name: 'web ReadableStream', make: (c) => webSource(c) },
  { name: 'Node Readable', make: (c) => Readable.from(c, { objectMode: true }) },
  { name: 'async generator', make: (c) => asyncSource(c) },
  { name: 'array', make: (c) => c },
];

describe('validateMetricsStream (async iterable)', () => {
  for (const { name, options } of OPTION_SETS) {
    const expected = reference(CORPUS_BYTES, options);
    it(`every source kind gives the reference results at random chunk sizes (${name})`, async () => {
      await fc.assert(
        fc.asyncProperty(chunkSizes, fc.constantFrom(...KINDS), async (sizes, kind) => {
          expect(await collect(kind.make(cut(CORPUS_BYTES, sizes)), options)).toEqual(expected);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('1-byte chunks, string chunks cut inside surrogate pairs, and a Node file-like stream', async () => {
    const expected = reference(CORPUS_BYTES, { now: NOW });
    expect(await collect(cut(CORPUS_BYTES, [1]), { now: NOW })).toEqual(expected);
    expect(await collect(asyncSource(cutString(CORPUS, [1, 3, 7])), { now: NOW })).toEqual(expected);
    expect(await collect(Readable.from([Buffer.from(CORPUS_BYTES)]), { now: NOW })).toEqual(expected);
  });

  it('returns the summary as the generator value too', async () => {
    const it = validateMetricsStream([CORPUS_BYTES], { now: NOW, lines: 'none' });
    const first = await it.next();
    expect(first.done).toBe(false);
    const last = await it.next();
    expect(last).toEqual({ done: true, value: summaryOf(reference(CORPUS_BYTES, { now: NOW })) });
  });

  it('reads only as fast as the loop consumes', async () => {
    const chunks = cut(CORPUS_BYTES, [256]);
    let pulled = 0;
    const src = new ReadableStream<Uint8Array>(
      {
        pull(c) {
          if (pulled < chunks.length) c.enqueue(chunks[pulled++]!);
          else c.close();
        },
      },
      { highWaterMark: 0 },
    );
    let seen = 0;
    for await (const r of validateMetricsStream(src, { now: NOW })) {
      if (isMetricsSummary(r)) break;
      seen++;
      // every line needs at most 2 chunks more than the lines already seen (a line spans chunks)
      expect(pulled).toBeLessThanOrEqual(seen + 2);
    }
    expect(pulled).toBe(chunks.length);
  });

  it('breaking out of the loop cancels a web source and destroys a Node source', async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(new TextEncoder().encode('a.b.c 1\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const r of validateMetricsStream(endless)) if (!isMetricsSummary(r) && r.line === 3) break;
    expect(cancelled).toBe(true);

    const node = new Readable({
      read() {
        this.push('a.b.c 1\n');
      },
    });
    for await (const r of validateMetricsStream(node)) if (!isMetricsSummary(r) && r.line === 3) break;
    await sleep(0);
    expect(node.destroyed).toBe(true);
  });

  it('a source error ends the loop with that error', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('a.b.c 1\n');
      throw new Error('disk on fire');
    }
    await expect(collect(failing())).rejects.toThrow('disk on fire');
  });
});

describe('validateMetricsStream abort', () => {
  it('abort while the source stalls: throws AbortError at once and cancels the web source', async () => {
    const ac = new AbortController();
    let cancelled: unknown;
    const stalled = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('a.b.c 1\na.b.c 2\n'));
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const seen: number[] = [];
    const run = (async () => {
      for await (const r of validateMetricsStream(stalled, { signal: ac.signal })) if (!isMetricsSummary(r)) seen.push(r.line);
    })();
    await sleep(20);
    ac.abort();
    const error = await run.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(DOMException);
    expect(error?.name).toBe('AbortError');
    expect(seen).toEqual([1, 2]);
    expect((cancelled as Error).name).toBe('AbortError');
  });

  it('abort between results: the next step throws and the Node source is destroyed', async () => {
    const ac = new AbortController();
    const node = Readable.from(cut(CORPUS_BYTES, [300]));
    const it = validateMetricsStream(node, { signal: ac.signal, now: NOW });
    expect((await it.next()).done).toBe(false);
    ac.abort(new Error('user left'));
    expect(node.destroyed).toBe(true);
    const error = await it.next().then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: Error },
    );
    expect(error?.name).toBe('AbortError');
    expect(error?.cause?.message).toBe('user left');
  });

  it('abort of an async generator source calls its return', async () => {
    const ac = new AbortController();
    let finished = false;
    async function* gen(): AsyncGenerator<string> {
      try {
        for (;;) yield 'a.b.c 1\n';
      } finally {
        finished = true;
      }
    }
    let n = 0;
    await expect(
      (async () => {
        for await (const r of validateMetricsStream(gen(), { signal: ac.signal })) {
          if (!isMetricsSummary(r) && ++n === 5) ac.abort();
        }
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    await sleep(0);
    expect(finished).toBe(true);
  });

  it('an already aborted signal throws before reading', async () => {
    let pulled = false;
    const src = new ReadableStream<Uint8Array>(
      {
        pull() {
          pulled = true;
        },
      },
      { highWaterMark: 0 },
    );
    await expect(collect(src, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(pulled).toBe(false);
  });
});
