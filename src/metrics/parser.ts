/**
 * The streaming metrics parser: bytes in (any chunking), one reused {@link MetricLine} view out per
 * non-blank line. This is the zero-allocation core that every other metrics API is built on.
 *
 * @module
 */
import type { MetricsOptions, ResolvedMetricsOptions } from '../options.js';
import { resolveMetricsOptions } from '../options.js';
import { LineSplitter, type LineSink } from '../scan/lines.js';
import { LineKind, LineScanner, type MetricLine } from './line.js';

/** Receives each non-blank line. The view is reused: read it during the call. */
export type MetricLineHandler = (view: MetricLine) => void;

const encoder = new TextEncoder();

/** Turns a string into UTF-8 bytes once; passes bytes through. */
export function toBytes(input: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof input === 'string') return encoder.encode(input);
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  throw new TypeError('dt-ingest: input must be a string, Uint8Array, Buffer or ArrayBuffer');
}

/**
 * Streaming parser. `push(chunk)` any number of times (a chunk may end anywhere), then `end()`.
 * Results are identical however the body is cut.
 *
 * @example
 * const p = new MetricsParser({ now: Date.now() }, (line) => {
 *   if (line.error) console.log(line.line, line.error);
 * });
 * p.push(chunk1); p.push(chunk2); p.end();
 */
export class MetricsParser implements LineSink {
  /** The resolved options in force. */
  readonly options: ResolvedMetricsOptions;
  private readonly scanner: LineScanner;
  private readonly view: MetricLine;
  private readonly splitter: LineSplitter;
  private readonly handler: MetricLineHandler;

  /**
   * @param options metrics options (see {@link MetricsOptions})
   * @param handler called once per non-blank line with the reused view
   */
  constructor(options: MetricsOptions | ResolvedMetricsOptions | undefined, handler: MetricLineHandler) {
    this.options = resolveMetricsOptions(options);
    this.scanner = new LineScanner(this.options);
    this.view = this.scanner.createView();
    this.handler = handler;
    this.splitter = new LineSplitter(this, this.options.maxLineLength, this.options.ignoreCarriageReturn);
  }

  /** Bytes pushed so far. */
  get bytes(): number {
    return this.splitter.bytes;
  }

  /** Physical lines seen so far. */
  get lines(): number {
    return this.splitter.lines;
  }

  /** Feeds a chunk (bytes, or a string encoded once as UTF-8). */
  push(chunk: Uint8Array | string): void {
    this.splitter.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
  }

  /** Ends the input: the last line without LF is handed on. */
  end(): void {
    this.splitter.end();
  }

  /** @internal LineSink */
  line(buf: Uint8Array, start: number, end: number, lineNumber: number): void {
    const view = this.view;
    this.scanner.scan(view, buf, start, end, lineNumber);
    if (view.kind !== LineKind.BLANK) this.handler(view);
  }

  /** @internal LineSink */
  tooLong(lineNumber: number, units: number, prefix: Uint8Array, prefixLength: number): void {
    this.scanner.tooLong(this.view, lineNumber, units, prefix, prefixLength);
    this.handler(this.view);
  }
}
