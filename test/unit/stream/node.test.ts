/**
 * The Node transforms: the corpus at random chunk sizes gives the reference results, through
 * `pipeline`; backpressure holds the source back; an AbortSignal destroys the stream.
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMetricsLineFilter, createMetricsValidator, validateMetrics } from '../../../src/node.js';
import type { MetricsOptions, MetricsStreamResult } from '../../../src/index.js';
import { CORPUS, CORPUS_BYTES, NOW, OPTION_SETS, RUNS, chunkSizes, cut, cutString, joinText, reference, summaryOf, validLines } from './corpus.js';

async function throughValidator(
  chunks: (Uint8Array | string)[],
  options: MetricsOptions,
): Promise<{ out: MetricsStreamResult[]; result: unknown; event: unknown }> {
  const t = createMetricsValidator(options);
  let event: unknown;
  t.on('result', (r) => (event = r));
  const out: MetricsStreamResult[] = [];
  await pipeline(Readable.from(chunks, { objectMode: true }), t, async (source: AsyncIterable<MetricsStreamResult>) => {
    for await (const r of source) out.push(r);
  });
  return { out, result: await t.result, event };
}

async function throughFilter(chunks: (Uint8Array | string)[], options: MetricsOptions): Promise<{ text: string; result: unknown }> {
  const f = createMetricsLineFilter(options);
  const got: Uint8Array[] = [];
  await pipeline(
    Readable.from(chunks, { objectMode: true }),
    f,
    new Writable({
      write(chunk: Uint8Array, _enc, cb) {
        got.push(chunk);
        cb();
      },
    }),
  );
  return { text: joinText(got), result: await f.result };
}

describe('createMetricsValidator (Node Transform)', () => {
  for (const { name, options } of OPTION_SETS) {
    const expected = reference(CORPUS_BYTES, options);
    it(`gives the reference results at random chunk sizes (${name})`, async () => {
      await fc.assert(
        fc.asyncProperty(chunkSizes, async (sizes) => {
          const { out, result, event } = await throughValidator(cut(CORPUS_BYTES, sizes), options);
          expect(out).toEqual(expected);
          expect(result).toEqual(summaryOf(expected));
          expect(event).toBe(result);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('gives the reference results in 1-byte chunks', async () => {
    const { out } = await throughValidator(cut(CORPUS_BYTES, [1]), { now: NOW });
    expect(out).toEqual(reference(CORPUS_BYTES, { now: NOW }));
  });

  it('takes string chunks, even cut inside a surrogate pair', async () => {
    await fc.assert(
      fc.asyncProperty(chunkSizes, async (sizes) => {
        const { out } = await throughValidator(cutString(CORPUS, sizes), { now: NOW });
        expect(out).toEqual(reference(CORPUS_BYTES, { now: NOW }));
      }),
      { numRuns: 10 },
    );
  });

  it('answers the empty body as the endpoint does', async () => {
    const { out } = await throughValidator([], { now: NOW });
    expect(out).toEqual([{ summary: validateMetrics('', { now: NOW }) }]);
  });

  it('a stream destroyed before the end rejects .result (with its error, or as a premature close)', async () => {
    const t = createMetricsValidator({ now: NOW });
    t.on('error', () => {});
    t.write(CORPUS_BYTES.subarray(0, 500));
    t.destroy(new Error('socket reset'));
    await expect(t.result).rejects.toThrow('socket reset');
    const f = createMetricsLineFilter({ now: NOW });
    f.write(CORPUS_BYTES.subarray(0, 500));
    f.destroy();
    await expect(f.result).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });
});

describe('createMetricsLineFilter (Node Transform)', () => {
  for (const { name, options } of OPTION_SETS) {
    const expectedText = validLines(CORPUS, options);
    const expectedResult = validateMetrics(CORPUS_BYTES, options);
    it(`passes exactly the valid lines in pipeline, at random chunk sizes (${name})`, async () => {
      await fc.assert(
        fc.asyncProperty(chunkSizes, async (sizes) => {
          const { text, result } = await throughFilter(cut(CORPUS_BYTES, sizes), options);
          expect(text).toBe(expectedText);
          expect(result).toEqual(expectedResult);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('passes the valid lines in 1-byte chunks, and they re-validate with 0 invalid lines', async () => {
    const { text } = await throughFilter(cut(CORPUS_BYTES, [1]), { now: NOW });
    expect(text).toBe(validLines(CORPUS, { now: NOW }));
    const again = validateMetrics(text, { now: NOW });
    expect(again.status).toBe(202);
    expect((again.body as { linesInvalid: number }).linesInvalid).toBe(0);
  });
});

describe('Node backpressure', () => {
  it('a paused consumer holds the source back; resumed, nothing is lost or reordered', async () => {
    const chunks = cut(CORPUS_BYTES, [512]);
    let produced = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (const c of chunks) {
        produced++;
        yield c;
      }
    }
    const t = createMetricsValidator({ now: NOW, readableHighWaterMark: 4, writableHighWaterMark: 512 });
    const done = pipeline(source(), t);
    await sleep(50);
    // nobody reads: the transform's readable buffer filled and the source stopped
    expect(produced).toBeLessThan(chunks.length);
    const maxBuffered = t.readableLength;
    expect(maxBuffered).toBeLessThan(40); // one chunk's lines past the mark, not the body
    const out: MetricsStreamResult[] = [];
    let peak = 0;
    await Promise.all([
      done,
      pipeline(
        t,
        new Writable({
          objectMode: true,
          highWaterMark: 1,
          write(r: MetricsStreamResult, _enc, cb) {
            out.push(r);
            peak = Math.max(peak, t.readableLength);
            setImmediate(cb); // a slow consumer
          },
        }),
      ),
    ]);
    expect(produced).toBe(chunks.length);
    expect(out).toEqual(reference(CORPUS_BYTES, { now: NOW }));
    expect(peak).toBeLessThan(40);
  });

  it('write() signals backpressure when nobody reads', () => {
    const t = createMetricsValidator({ now: NOW, readableHighWaterMark: 2, writableHighWaterMark: 1024 });
    const chunks = cut(CORPUS_BYTES, [512]);
    let i = 0;
    while (i < chunks.length && t.write(chunks[i]!)) i++;
    expect(i).toBeLessThan(chunks.length - 1);
    t.destroy();
  });
});

describe('Node abort', () => {
  it('aborting destroys the validator with an AbortError and rejects .result', async () => {
    const ac = new AbortController();
    const t = createMetricsValidator({ now: NOW, signal: ac.signal });
    const error = new Promise<Error>((resolve) => t.once('error', resolve));
    t.write(CORPUS_BYTES.subarray(0, 1000));
    ac.abort();
    expect((await error).name).toBe('AbortError');
    expect(t.destroyed).toBe(true);
    await expect(t.result).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('an already aborted signal destroys the transform at once', async () => {
    const t = createMetricsLineFilter({ now: NOW, signal: AbortSignal.abort() });
    const error = await new Promise<Error>((resolve) => t.once('error', resolve));
    expect(error.name).toBe('AbortError');
    expect(error).toBeInstanceOf(DOMException);
  });

  it('aborting a filter mid-pipeline rejects the pipeline and destroys the source', async () => {
    const ac = new AbortController();
    const line = new TextEncoder().encode('cpu.temp,host=a 1\n');
    const src = new Readable({
      read() {
        setImmediate(() => this.push(line)); // endless
      },
    });
    const f = createMetricsLineFilter({ now: NOW, signal: ac.signal });
    let passed = 0;
    const done = pipeline(
      src,
      f,
      new Writable({
        write(chunk: Uint8Array, _enc, cb) {
          passed += chunk.length;
          if (passed > 2000) ac.abort(new Error('enough'));
          cb();
        },
      }),
    );
    const error = await done.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.name).toBe('AbortError');
    expect((error as Error & { cause?: Error }).cause?.message).toBe('enough');
    expect(src.destroyed).toBe(true);
    await expect(f.result).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a signal aborted after the end changes nothing', async () => {
    const ac = new AbortController();
    const t = createMetricsValidator({ now: NOW, signal: ac.signal });
    const out = await t.end(CORPUS_BYTES).toArray();
    ac.abort();
    expect(out).toEqual(reference(CORPUS_BYTES, { now: NOW }));
    await expect(t.result).resolves.toEqual(summaryOf(out));
  });
});
