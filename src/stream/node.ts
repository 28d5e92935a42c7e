/**
 * Node.js stream adapters: a `Transform` from body bytes to per-line results, and a byte-to-byte
 * `Transform` that passes only the valid lines on. Both fit `stream.pipeline`.
 *
 * Backpressure is the standard `Transform` one: one written chunk is judged at once and everything
 * it produced is pushed (a chunk of many lines may push many objects past `readableHighWaterMark`),
 * and the next chunk is not taken until the readable side has drained below its high-water mark.
 * Memory is therefore bounded by the chunk size, not by the body.
 *
 * @module
 */
import { Transform, type TransformCallback } from 'node:stream';
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
 * Node-only settings of the transforms.
 * @example createMetricsValidator({ readableHighWaterMark: 64 })
 */
export interface NodeStreamSettings {
  /** `readableHighWaterMark` of the transform (objects for the validator, bytes for the filter). */
  readableHighWaterMark?: number;
  /** `writableHighWaterMark` of the transform, in bytes. */
  writableHighWaterMark?: number;
}

/**
 * Options of {@link createMetricsValidator}: protocol options and settings in one bag.
 * @example const o: MetricsValidatorTransformOptions = { now: Date.now(), lines: 'issues', signal };
 */
export type MetricsValidatorTransformOptions = MetricsOptions & MetricsResultSettings & NodeStreamSettings;

/**
 * Options of {@link createMetricsLineFilter}: protocol options and settings in one bag.
 * @example const o: MetricsLineFilterTransformOptions = { maxBodyBytes: 1_000_000, signal };
 */
export type MetricsLineFilterTransformOptions = MetricsOptions & MetricsStreamSettings & NodeStreamSettings;

/** Decodes a string chunk written with an encoding other than UTF-8 (`decodeStrings` is off). */
function chunkOf(chunk: unknown, encoding: BufferEncoding): Uint8Array | string {
  // (a string written without an encoding arrives as 'utf8'; Buffers arrive as 'buffer')
  if (typeof chunk === 'string' && encoding !== 'utf8' && encoding !== 'utf-8') return Buffer.from(chunk, encoding);
  return chunk as Uint8Array | string;
}

/**
 * Watches the signal for a transform: destroys it with an `AbortError`, and stops watching once the
 * stream is closed so that a long-lived signal keeps no stream alive.
 */
function watchSignal(stream: Transform, signal: AbortSignal | undefined): void {
  if (signal === undefined) return;
  if (signal.aborted) {
    // destroy after the caller got the stream, so that its listeners see the error
    process.nextTick(() => stream.destroy(abortError(signal)));
    return;
  }
  const onAbort = (): void => {
    stream.destroy(abortError(signal));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  stream.once('close', () => signal.removeEventListener('abort', onAbort));
}

/** Settles `result` when the transform fails or closes early. */
function watchFailure(stream: Transform, result: Deferred<MetricsValidationResult>): void {
  stream.once('error', (error) => result.reject(error));
  stream.once('close', () => {
    const error = new Error('dt-ingest: the stream closed before the input ended');
    (error as Error & { code?: string }).code = 'ERR_STREAM_PREMATURE_CLOSE';
    result.reject(error);
  });
}

/**
 * Bytes in, one object per non-blank line out, then the summary. See {@link createMetricsValidator}.
 *
 * Events: besides the standard ones, `'result'` with the {@link MetricsValidationResult} of the whole
 * body, emitted after the summary object is pushed and before `'end'`.
 *
 * @example
 * const v = new MetricsValidatorTransform({ now: Date.now() });
 * v.on('result', ({ status }) => console.log(status));
 */
export class MetricsValidatorTransform extends Transform {
  /** Resolves with the whole body's result when the input ends; rejects if the stream fails first. */
  readonly result: Promise<MetricsValidationResult>;
  private readonly collector: LineResultCollector;
  private readonly deferred: Deferred<MetricsValidationResult>;

  /** @param options protocol options and settings ({@link MetricsValidatorTransformOptions}) */
  constructor(options: MetricsValidatorTransformOptions = {}) {
    super({
      readableObjectMode: true,
      decodeStrings: false,
      readableHighWaterMark: options.readableHighWaterMark,
      writableHighWaterMark: options.writableHighWaterMark,
    });
    this.collector = new LineResultCollector(options);
    this.deferred = defer();
    this.result = this.deferred.promise;
    watchFailure(this, this.deferred);
    watchSignal(this, options.signal);
  }

  override _transform(chunk: unknown, encoding: BufferEncoding, callback: TransformCallback): void {
    let out: MetricsStreamResult[];
    try {
      out = this.collector.push(chunkOf(chunk, encoding));
    } catch (error) {
      callback(error as Error);
      return;
    }
    for (let i = 0; i < out.length; i++) this.push(out[i]);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    let out: MetricsStreamResult[];
    try {
      out = this.collector.end();
    } catch (error) {
      callback(error as Error);
      return;
    }
    let result: MetricsValidationResult | undefined;
    for (let i = 0; i < out.length; i++) {
      const r = out[i]!;
      if (isMetricsSummary(r)) result = r.summary;
      this.push(r);
    }
    this.deferred.resolve(result!);
    this.emit('result', result);
    callback();
  }
}

/**
 * Bytes in, only the valid lines out (bytes). See {@link createMetricsLineFilter}.
 *
 * Events: besides the standard ones, `'result'` with the {@link MetricsValidationResult} of the whole
 * input (invalid lines included), before `'end'`.
 *
 * @example
 * const f = new MetricsLineFilterTransform();
 * f.on('result', ({ body }) => console.log(body));
 */
export class MetricsLineFilterTransform extends Transform {
  /** Resolves with the whole input's result when it ends; rejects if the stream fails first. */
  readonly result: Promise<MetricsValidationResult>;
  private readonly collector: LineFilterCollector;
  private readonly deferred: Deferred<MetricsValidationResult>;

  /** @param options protocol options and settings ({@link MetricsLineFilterTransformOptions}) */
  constructor(options: MetricsLineFilterTransformOptions = {}) {
    super({
      decodeStrings: false,
      readableHighWaterMark: options.readableHighWaterMark,
      writableHighWaterMark: options.writableHighWaterMark,
    });
    this.collector = new LineFilterCollector(options);
    this.deferred = defer();
    this.result = this.deferred.promise;
    watchFailure(this, this.deferred);
    watchSignal(this, options.signal);
  }

  override _transform(chunk: unknown, encoding: BufferEncoding, callback: TransformCallback): void {
    let bytes: Uint8Array;
    try {
      bytes = this.collector.push(chunkOf(chunk, encoding));
    } catch (error) {
      callback(error as Error);
      return;
    }
    if (bytes.length > 0) this.push(bytes);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    let end: ReturnType<LineFilterCollector['end']>;
    try {
      end = this.collector.end();
    } catch (error) {
      callback(error as Error);
      return;
    }
    if (end.bytes.length > 0) this.push(end.bytes);
    this.deferred.resolve(end.result);
    this.emit('result', end.result);
    callback();
  }
}

/**
 * A `Transform` for `POST /api/v2/metrics/ingest` bodies: bytes in (`Buffer`, `Uint8Array` or
 * strings, cut anywhere), objects out: one {@link MetricsLineResult} per non-blank line, in line
 * order — `{ line, ok: true, kind: 'data', point, warnings? }`, `{ line, ok: true, kind: 'metadata',
 * metadata, warnings? }` or `{ line, ok: false, kind, issue }` — and last one `{ summary }` holding
 * `{ status, body, issues }`, identical to `validateMetrics` on the whole body. The same result is
 * emitted as `'result'` and resolves `.result`.
 *
 * Options: the protocol options plus `signal` (destroys the stream with an `AbortError`), `lines`
 * (`'all'` | `'issues'` | `'none'`), `typed`, `summaryIssues`, and the high-water marks.
 *
 * @example
 * import { pipeline } from 'node:stream/promises';
 * const v = createMetricsValidator({ lines: 'issues' });
 * v.on('data', (r) => { if (!('summary' in r)) console.log(r.line, r.ok ? r.warnings : r.issue.message); });
 * await pipeline(fs.createReadStream('body.txt'), v);
 * const { status, body } = await v.result;
 */
export function createMetricsValidator(options?: MetricsValidatorTransformOptions): MetricsValidatorTransform {
  return new MetricsValidatorTransform(options);
}

/**
 * A byte `Transform` that passes on only the valid lines of a metrics body, each ending in one LF
 * (blank lines dropped, valid metadata lines kept, a CR before the LF dropped under
 * `ignoreCarriageReturn`), so that its output is a body the endpoint accepts whole. `.result` (and
 * the `'result'` event) gives the verdict on the whole input, invalid lines included; its line
 * numbers are those of the input. Note that a body over `maxBodyBytes` is answered 413 as a whole,
 * while the filter still passes its valid lines on.
 *
 * @example
 * import { pipeline } from 'node:stream/promises';
 * const filter = createMetricsLineFilter({ signal: AbortSignal.timeout(10_000) });
 * await pipeline(fs.createReadStream('in.txt'), filter, fs.createWriteStream('clean.txt'));
 * const { body } = await filter.result; // body.linesInvalid lines were dropped
 */
export function createMetricsLineFilter(options?: MetricsLineFilterTransformOptions): MetricsLineFilterTransform {
  return new MetricsLineFilterTransform(options);
}
