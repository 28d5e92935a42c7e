/**
 * The Web Streams adapters: the corpus at random chunk sizes gives the reference results;
 * backpressure holds the source back; an AbortSignal errors both sides.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMetricsLineFilterStream, createMetricsValidatorStream, validateMetrics } from '../../../src/index.js';
import type { MetricsOptions, MetricsStreamResult } from '../../../src/index.js';
import { CORPUS, CORPUS_BYTES, NOW, OPTION_SETS, RUNS, chunkSizes, cut, cutString, joinText, reference, summaryOf, validLines } from './corpus.js';

/** A pull source over chunks that counts the pulls. */
function sourceOf<T>(chunks: T[], counter = { pulled: 0 }): ReadableStream<T> {
  let i = 0;
  return new ReadableStream<T>(
    {
      pull(controller) {
        if (i < chunks.length) {
          counter.pulled++;
          controller.enqueue(chunks[i++]!);
        } else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}

async function readAll<T>(readable: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  const reader = readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

async function throughValidator(chunks: (Uint8Array | string)[], options: MetricsOptions): Promise<{ out: MetricsStreamResult[]; result: unknown }> {
  const s = createMetricsValidatorStream(options);
  const out = await readAll(sourceOf(chunks).pipeThrough(s));
  return { out, result: await s.result };
}

describe('createMetricsValidatorStream (TransformStream)', () => {
  for (const { name, options } of OPTION_SETS) {
    const expected = reference(CORPUS_BYTES, options);
    it(`gives the reference results at random chunk sizes (${name})`, async () => {
      await fc.assert(
        fc.asyncProperty(chunkSizes, async (sizes) => {
          const { out, result } = await throughValidator(cut(CORPUS_BYTES, sizes), options);
          expect(out).toEqual(expected);
          expect(result).toEqual(summaryOf(expected));
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('gives the reference results in 1-byte chunks and in string chunks', async () => {
    const expected = reference(CORPUS_BYTES, { now: NOW });
    expect((await throughValidator(cut(CORPUS_BYTES, [1]), { now: NOW })).out).toEqual(expected);
    expect((await throughValidator(cutString(CORPUS, [1, 2, 3]), { now: NOW })).out).toEqual(expected);
  });

  it('errors on a chunk that is not bytes, and rejects .result', async () => {
    const s = createMetricsValidatorStream({ now: NOW });
    await expect(readAll(sourceOf([42 as unknown as Uint8Array]).pipeThrough(s))).rejects.toThrow(TypeError);
    await expect(s.result).rejects.toThrow(TypeError);
  });
});

describe('createMetricsLineFilterStream (TransformStream)', () => {
  for (const { name, options } of OPTION_SETS) {
    const expectedText = validLines(CORPUS, options);
    const expectedResult = validateMetrics(CORPUS_BYTES, options);
    it(`passes exactly the valid lines at random chunk sizes (${name})`, async () => {
      await fc.assert(
        fc.asyncProperty(chunkSizes, async (sizes) => {
          const f = createMetricsLineFilterStream(options);
          const text = joinText(await readAll(sourceOf(cut(CORPUS_BYTES, sizes)).pipeThrough(f)));
          expect(text).toBe(expectedText);
          expect(await f.result).toEqual(expectedResult);
          expect((validateMetrics(text, options).body as { linesInvalid?: number }).linesInvalid ?? 0).toBe(0);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('passes the valid lines in 1-byte chunks', async () => {
    const f = createMetricsLineFilterStream({ now: NOW });
    const text = joinText(await readAll(sourceOf(cut(CORPUS_BYTES, [1])).pipeThrough(f)));
    expect(text).toBe(validLines(CORPUS, { now: NOW }));
  });
});

describe('Web backpressure', () => {
  it('a paused reader holds the source back; resumed, nothing is lost or reordered', async () => {
    const chunks = cut(CORPUS_BYTES, [512]);
    const counter = { pulled: 0 };
    const s = createMetricsValidatorStream({ now: NOW, readableStrategy: { highWaterMark: 2 } });
    const readable = sourceOf(chunks, counter).pipeThrough(s);
    await sleep(50);
    expect(counter.pulled).toBeLessThan(5);
    const reader = readable.getReader();
    const out: MetricsStreamResult[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      out.push(value);
      if (out.length % 16 === 0) {
        // a slow reader: the source is never far ahead of what was read
        await sleep(1);
        expect(counter.pulled).toBeLessThanOrEqual(out.length + 6); // unpaced, all chunks would be pulled by now
      }
    }
    expect(counter.pulled).toBe(chunks.length);
    expect(out).toEqual(reference(CORPUS_BYTES, { now: NOW }));
  });

  it('the filter holds the source back too', async () => {
    const chunks = cut(CORPUS_BYTES, [256]);
    const counter = { pulled: 0 };
    const f = createMetricsLineFilterStream({ now: NOW });
    const readable = sourceOf(chunks, counter).pipeThrough(f);
    await sleep(50);
    expect(counter.pulled).toBeLessThan(5);
    expect(joinText(await readAll(readable))).toBe(validLines(CORPUS, { now: NOW }));
  });
});

describe('Web abort', () => {
  it('aborting errors both sides with an AbortError and rejects .result', async () => {
    const ac = new AbortController();
    const s = createMetricsValidatorStream({ now: NOW, signal: ac.signal });
    const writer = s.writable.getWriter();
    const reader = s.readable.getReader();
    void writer.write(CORPUS_BYTES.subarray(0, 2000)).catch(() => {});
    const first = await reader.read();
    expect(first.done).toBe(false);
    ac.abort();
    const error = await reader.read().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(DOMException);
    expect(error?.name).toBe('AbortError');
    await expect(writer.write(CORPUS_BYTES)).rejects.toMatchObject({ name: 'AbortError' });
    await expect(s.result).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('aborting a filter cancels the piped source', async () => {
    const ac = new AbortController();
    let cancelled: unknown;
    const line = new TextEncoder().encode('cpu.temp,host=a 1\n');
    const src = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(line); // endless
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const f = createMetricsLineFilterStream({ now: NOW, signal: ac.signal });
    const reader = src.pipeThrough(f).getReader();
    let got = 0;
    const error = await (async () => {
      try {
        for (;;) {
          const { value } = await reader.read();
          got += value!.length;
          if (got > 2000) ac.abort('stop');
        }
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error.name).toBe('AbortError');
    expect((error as Error & { cause?: unknown }).cause).toBe('stop');
    await sleep(0);
    expect((cancelled as Error).name).toBe('AbortError');
  });

  it('an already aborted signal errors the stream at once', async () => {
    const s = createMetricsLineFilterStream({ signal: AbortSignal.abort() });
    await expect(s.readable.getReader().read()).rejects.toMatchObject({ name: 'AbortError' });
  });
});
