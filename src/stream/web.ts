/**
 * Web Streams adapters (browsers, Deno, Bun, Node ≥ 18) and the async-iterable API:
 * `TransformStream`s with the same behaviour as the Node transforms, and
 * `for await (const r of validateMetricsStream(source))` over any byte source.
 *
 * Backpressure is the Web Streams one: `transform` runs for the next chunk only once the readable
 * side wants more (its queue is below the `readableStrategy` high-water mark); the results of one
 * chunk are enqueued together.
 *
 * @module
 */
import type { MetricsOptions } from '../protocol/options.js';
import type { MetricsValidationResult } from '../types.js';
import {
  LineFilterCollector,
  LineResultCollector,
  abortError,
  defer,
  isMetricsSummary,
  type Deferred,
  type MetricsResultSettings,
  type MetricsStreamResult,
  type MetricsStreamSettings,
} from './core.js';

/**
 * Web-only settings of the transform streams.
 * @example createMetricsValidatorStream({ readableStrategy: { highWaterMark: 64 } })
 */
export interface WebStreamSettings<O> {
  /** Queuing strategy of the writable side (chunks). */
  writableStrategy?: QueuingStrategy<Uint8Array | string>;
  /** Queuing strategy of the readable side (results for the validator, byte arrays for the filter). */
  readableStrategy?: QueuingStrategy<O>;
}

/**
 * Options of {@link createMetricsValidatorStream}: protocol options and settings in one bag.
 * @example const o: MetricsValidatorStreamOptions = { now: Date.now(), lines: 'issues', signal };
 */
export type MetricsValidatorStreamOptions = MetricsOptions & MetricsResultSettings & WebStreamSettings<MetricsStreamResult>;

/**
 * Options of {@link createMetricsLineFilterStream}: protocol options and settings in one bag.
 * @example const o: MetricsLineFilterStreamOptions = { signal, summaryIssues: false };
 */
export type MetricsLineFilterStreamOptions = MetricsOptions & MetricsStreamSettings & WebStreamSettings<Uint8Array>;

/**
 * Options of {@link validateMetricsStream}: protocol options and settings in one bag.
 * @example const o: ValidateMetricsStreamOptions = { now: Date.now(), signal, lines: 'issues' };
 */
export type ValidateMetricsStreamOptions = MetricsOptions & MetricsResultSettings;

/**
 * The sources {@link validateMetricsStream} reads: web streams, Node readables, (async) iterables
 * of byte arrays or strings.
 * @example validateMetricsStream((await fetch(url)).body!)
 */
export type MetricsByteSource = ReadableStream<Uint8Array | string> | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/**
 * Errors the stream (both sides) when the signal aborts; returns the function that stops watching.
 */
function watchSignal(signal: AbortSignal | undefined, fail: (error: unknown) => void): () => void {
  if (signal === undefined) return noop;
  if (signal.aborted) {
    fail(abortError(signal));
    return noop;
  }
  const onAbort = (): void => fail(abortError(signal));
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

function noop(): void {}

/** The transformer shared by both streams: setup, the signal, and settling `result`. */
function transformer<O>(
  signal: AbortSignal | undefined,
  deferred: Deferred<MetricsValidationResult>,
  push: (chunk: Uint8Array | string, controller: TransformStreamDefaultController<O>) => void,
  end: (controller: TransformStreamDefaultController<O>) => MetricsValidationResult,
): Transformer<Uint8Array | string, O> {
  let unwatch = noop;
  const fail = (controller: TransformStreamDefaultController<O>, error: unknown): void => {
    unwatch();
    deferred.reject(error);
    controller.error(error);
  };
  return {
    start(controller) {
      unwatch = watchSignal(signal, (error) => fail(controller, error));
    },
    transform(chunk, controller) {
      try {
        push(chunk, controller);
      } catch (error) {
        fail(controller, error);
      }
    },
    flush(controller) {
      try {
        const result = end(controller);
        unwatch();
        deferred.resolve(result);
      } catch (error) {
        fail(controller, error);
      }
    },
  };
}

/**
 * A transform stream (a `{ writable, readable }` pair, as `TransformStream` and `pipeThrough` use)
 * from body bytes to {@link MetricsStreamResult}s. See {@link createMetricsValidatorStream}.
 *
 * It holds a `TransformStream` rather than extending one: a class that extends a global is code a
 * bundler must keep, and the runtime-neutral root stays tree-shakable without it.
 * @example const results = body.pipeThrough(new MetricsValidatorStream({ now: Date.now() }));
 */
export class MetricsValidatorStream implements ReadableWritablePair<MetricsStreamResult, Uint8Array | string> {
  /** The side results are read from. */
  readonly readable: ReadableStream<MetricsStreamResult>;
  /** The side body chunks are written to. */
  readonly writable: WritableStream<Uint8Array | string>;
  /** Resolves with the whole body's result when the input ends; rejects if the stream fails first. */
  readonly result: Promise<MetricsValidationResult>;

  /** @param options protocol options and settings ({@link MetricsValidatorStreamOptions}) */
  constructor(options: MetricsValidatorStreamOptions = {}) {
    const collector = new LineResultCollector(options);
    const deferred = defer<MetricsValidationResult>();
    const stream = new TransformStream<Uint8Array | string, MetricsStreamResult>(
      transformer<MetricsStreamResult>(
        options.signal,
        deferred,
        (chunk, controller) => {
          const out = collector.push(chunk);
          for (let i = 0; i < out.length; i++) controller.enqueue(out[i]!);
        },
        (controller) => {
          const out = collector.end();
          let result: MetricsValidationResult | undefined;
          for (let i = 0; i < out.length; i++) {
            const r = out[i]!;
            if (isMetricsSummary(r)) result = r.summary;
            controller.enqueue(r);
          }
          return result!;
        },
      ),
      options.writableStrategy,
      options.readableStrategy,
    );
    this.readable = stream.readable;
    this.writable = stream.writable;
    this.result = deferred.promise;
  }
}

/**
 * A transform stream (a `{ writable, readable }` pair) from body bytes to only the valid lines. See
 * {@link createMetricsLineFilterStream}.
 * @example const clean = body.pipeThrough(new MetricsLineFilterStream());
 */
export class MetricsLineFilterStream implements ReadableWritablePair<Uint8Array, Uint8Array | string> {
  /** The side the valid lines are read from. */
  readonly readable: ReadableStream<Uint8Array>;
  /** The side body chunks are written to. */
  readonly writable: WritableStream<Uint8Array | string>;
  /** Resolves with the whole input's result when it ends; rejects if the stream fails first. */
  readonly result: Promise<MetricsValidationResult>;

  /** @param options protocol options and settings ({@link MetricsLineFilterStreamOptions}) */
  constructor(options: MetricsLineFilterStreamOptions = {}) {
    const collector = new LineFilterCollector(options);
    const deferred = defer<MetricsValidationResult>();
    const stream = new TransformStream<Uint8Array | string, Uint8Array>(
      transformer<Uint8Array>(
        options.signal,
        deferred,
        (chunk, controller) => {
          const bytes = collector.push(chunk);
          if (bytes.length > 0) controller.enqueue(bytes);
        },
        (controller) => {
          const { bytes, result } = collector.end();
          if (bytes.length > 0) controller.enqueue(bytes);
          return result;
        },
      ),
      options.writableStrategy,
      options.readableStrategy,
    );
    this.readable = stream.readable;
    this.writable = stream.writable;
    this.result = deferred.promise;
  }
}

/**
 * A transform stream for metrics bodies: bytes (or strings) in, cut anywhere; out one
 * {@link MetricsLineResult} per non-blank line in line order, then one `{ summary }` with
 * `{ status, body, issues }` identical to `validateMetrics` on the whole body (also `.result`).
 * `signal` errors both sides with an `AbortError`.
 *
 * @example
 * const v = createMetricsValidatorStream({ lines: 'issues' });
 * const results = (await fetch(url)).body!.pipeThrough(v);
 * for await (const r of results) if (!('summary' in r)) console.log(r.line, r.ok);
 * const { status } = await v.result;
 */
export function createMetricsValidatorStream(options?: MetricsValidatorStreamOptions): MetricsValidatorStream {
  return new MetricsValidatorStream(options);
}

/**
 * A byte transform stream that passes on only the valid lines, each ending in one LF (blank lines
 * dropped, valid metadata lines kept); `.result` is the verdict on the whole input.
 *
 * @example
 * const filter = createMetricsLineFilterStream();
 * await fetch(ingestUrl, { method: 'POST', body: source.pipeThrough(filter), duplex: 'half' });
 * console.log((await filter.result).body);
 */
export function createMetricsLineFilterStream(options?: MetricsLineFilterStreamOptions): MetricsLineFilterStream {
  return new MetricsLineFilterStream(options);
}

/** Reads chunks from any supported source; `close(error?)` cancels or destroys it. */
interface ChunkReader {
  next(): Promise<Uint8Array | string | undefined>;
  close(error?: unknown): void;
}

function readerOf(source: MetricsByteSource): ChunkReader {
  const web = source as Partial<ReadableStream<Uint8Array | string>>;
  if (typeof web.getReader === 'function') {
    // a web stream's reader works everywhere (not every runtime makes ReadableStream async-iterable)
    const reader = web.getReader.call(source) as ReadableStreamDefaultReader<Uint8Array | string>;
    let closed = false;
    return {
      async next() {
        const { done, value } = await reader.read();
        return done ? undefined : value;
      },
      close(error) {
        if (closed) return;
        closed = true;
        reader.cancel(error).catch(noop);
        reader.releaseLock();
      },
    };
  }
  const asyncIterable = source as Partial<AsyncIterable<Uint8Array | string>>;
  const iterator: AsyncIterator<Uint8Array | string> | Iterator<Uint8Array | string> =
    typeof asyncIterable[Symbol.asyncIterator] === 'function'
      ? asyncIterable[Symbol.asyncIterator]!()
      : (source as Iterable<Uint8Array | string>)[Symbol.iterator]();
  const destroyable = source as { destroy?: (error?: Error) => void };
  let closed = false;
  return {
    async next() {
      const r = await iterator.next();
      return r.done === true ? undefined : r.value;
    },
    close(error) {
      if (closed) return;
      closed = true;
      // a Node readable is destroyed at once: a pending next() would otherwise hold `return` back
      if (typeof destroyable.destroy === 'function') destroyable.destroy(error as Error | undefined);
      if (typeof iterator.return === 'function') {
        try {
          Promise.resolve(iterator.return()).catch(noop);
        } catch {
          // a source that fails to close has nothing more to give us
        }
      }
    },
  };
}

/**
 * Validates a metrics body read from a stream, as an async iterable: one {@link MetricsLineResult}
 * per non-blank line in line order, then one `{ summary }` (also the generator's return value) with
 * `{ status, body, issues }` identical to `validateMetrics` on the whole body.
 *
 * `source` is a web `ReadableStream`, a Node readable, or any (async) iterable of byte arrays or
 * strings. Reading is paced by the loop: the next chunk is read when the results of the previous
 * one are consumed. Leaving the loop early (`break`, `throw`) cancels the source. When `signal`
 * aborts, reading stops, the source is cancelled (web) or destroyed (Node), and the iteration throws
 * a `DOMException` named `AbortError`.
 *
 * @example
 * for await (const r of validateMetricsStream(fs.createReadStream('body.txt'), { signal, lines: 'issues' })) {
 *   if ('summary' in r) console.log(r.summary.status);
 *   else if (!r.ok) console.log(`line ${r.line}: ${r.issue.message}`);
 * }
 */
export async function* validateMetricsStream(
  source: MetricsByteSource,
  options?: ValidateMetricsStreamOptions,
): AsyncGenerator<MetricsStreamResult, MetricsValidationResult, undefined> {
  const signal = options?.signal;
  if (signal?.aborted) throw abortError(signal);
  const collector = new LineResultCollector(options);
  const reader = readerOf(source);
  let aborted: Promise<never> | undefined;
  let unwatch = noop;
  if (signal !== undefined) {
    aborted = new Promise<never>((_, reject) => {
      unwatch = watchSignal(signal, (error) => {
        // stop the source at once, even while the loop body holds a result and reads nothing
        reader.close(error);
        reject(error);
      });
    });
    aborted.catch(noop);
  }
  let done = false;
  try {
    for (;;) {
      const read = reader.next();
      let chunk: Uint8Array | string | undefined;
      if (aborted === undefined) chunk = await read;
      else {
        // the read may lose the race and fail later (the source is destroyed): nobody awaits it then
        read.catch(noop);
        chunk = await Promise.race([read, aborted]);
      }
      const out = chunk === undefined ? collector.end() : collector.push(chunk);
      for (let i = 0; i < out.length; i++) {
        const r = out[i]!;
        if (isMetricsSummary(r)) {
          done = true;
          yield r;
          return r.summary;
        }
        yield r;
        if (signal?.aborted) throw abortError(signal);
      }
    }
  } catch (error) {
    if (!done) {
      done = true;
      reader.close(error);
    }
    throw error;
  } finally {
    unwatch();
    // left early (break, return) without an error: cancel the source quietly (close is idempotent)
    if (!done) reader.close();
  }
}
