/**
 * The streaming metrics parser: bytes in (any chunking), one reused {@link MetricLine} view out per
 * non-blank line. This is the zero-allocation core that every other metrics API is built on.
 *
 * @module
 */
import type { MetricsOptions, ResolvedMetricsOptions } from '../protocol/options.js';
import { resolveMetricsOptions } from '../protocol/options.js';
import { LineSplitter, type LineSink } from '../scan/lines.js';
import { LineScanner } from './scanner.js';
import { LineKind, type MetricLine } from './view.js';
import { NATIVE_REQUIRED, autoNative, requireNative, type NativeAddon } from '../backend/native.js';
import { NativeHeader, NativeNumber, NativeRecord, packNativeOptions } from '../protocol/native-layout.js';

/** Extra settings of a {@link MetricsParser} (not protocol rules, so not in the options table). */
export interface MetricsParserSettings {
  /**
   * Whether every view must be complete (dimensions, metadata properties, key offsets). Default
   * `true`. With `false` (the validator's validate-only use) a valid line judged by the native
   * backend carries only its verdict, line, offsets, kind, key suffix, payload type and key end (no
   * dimensions, no numbers);
   * lines with an error or warning and metadata lines are always complete.
   */
  fullView?: boolean;
  /**
   * Validate-only: when set (and `fullView` is `false`), valid data lines without warning that the
   * native backend judged are not handed to the handler one by one but counted with this callback
   * (lines with an error or warning and metadata lines still reach the handler, in order).
   */
  onValidLines?: (count: number) => void;
}

/**
 * Smallest region of complete lines (bytes) that the automatic choice hands to the native backend.
 * Why: one addon call has a fixed cost (argument checks, typed-array lookups, crossing into C++, then
 * walking the records in JS) that a region of one or two lines does not earn back.
 * `bench/native-threshold.mjs` (validate-only, exporter lines of ~120 bytes, one push per region):
 * 128 B native 1.15x slower, 256 B 0.85x the JS time, 512 B 0.66x, 64 KB 0.38x. The crossover lies
 * between 128 and 256 bytes; 512 keeps a margin for slower machines and shorter lines.
 * `DT_INGEST_NATIVE=1` lowers it to 0 so that the tests exercise the native path on every input.
 */
export const NATIVE_THRESHOLD_BYTES = 512;

/** Records per addon call: bounds the reused arrays (~48 KB each) of one parser. */
const NATIVE_CAPACITY = 1024;

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
  private readonly fullView: boolean;
  private readonly onValidLines: ((count: number) => void) | undefined;
  /** The addon when this parser uses the native backend, else `undefined`. */
  private readonly native: NativeAddon | undefined;
  private readonly nativeMinBytes: number;
  private nativeOptions: Float64Array | undefined;
  private nativeOut: Int32Array | undefined;
  private nativeNumbers: Float64Array | undefined;

  /**
   * @param options metrics options (see {@link MetricsOptions}); `backend` picks the implementation
   * @param handler called once per non-blank line with the reused view
   * @param settings see {@link MetricsParserSettings}
   */
  constructor(options: MetricsOptions | ResolvedMetricsOptions | undefined, handler: MetricLineHandler, settings: MetricsParserSettings = {}) {
    this.options = resolveMetricsOptions(options);
    this.scanner = new LineScanner(this.options);
    this.view = this.scanner.createView();
    this.handler = handler;
    this.fullView = settings.fullView !== false;
    this.onValidLines = this.fullView ? undefined : settings.onValidLines;
    const choice = this.options.backend;
    if (choice === 'native') {
      this.native = requireNative("backend 'native' was asked for");
    } else if (choice === 'auto') {
      // a full view needs the JS scanner for every line anyway, so auto keeps it on TypeScript
      // (unless DT_INGEST_NATIVE=1, which routes everything through the addon to test it)
      const addon = autoNative();
      this.native = this.fullView && !NATIVE_REQUIRED ? undefined : addon;
    } else {
      this.native = undefined;
    }
    this.nativeMinBytes = choice === 'native' || NATIVE_REQUIRED ? 0 : NATIVE_THRESHOLD_BYTES;
    this.splitter = new LineSplitter(this, this.options.maxLineLength, this.options.ignoreCarriageReturn);
  }

  /** Which implementation scans this parser's lines (`'native'` may still use TS for small chunks). */
  get backend(): 'native' | 'js' {
    return this.native !== undefined ? 'native' : 'js';
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

  /** @internal LineSink: complete lines in bulk, to the addon when it pays. */
  bulkLines(buf: Uint8Array, start: number, end: number, firstLine: number): number {
    const addon = this.native;
    if (addon === undefined || end - start < this.nativeMinBytes || end > 0x7fffffff) return -1;
    let out = this.nativeOut;
    let numbers = this.nativeNumbers;
    let opts = this.nativeOptions;
    if (out === undefined || numbers === undefined || opts === undefined) {
      out = this.nativeOut = new Int32Array(NativeHeader.SIZE + NATIVE_CAPACITY * NativeRecord.STRIDE);
      numbers = this.nativeNumbers = new Float64Array(NATIVE_CAPACITY * NativeNumber.STRIDE);
      opts = this.nativeOptions = packNativeOptions(this.options, false, this.onValidLines !== undefined);
    }
    const view = this.view;
    const scanner = this.scanner;
    const handler = this.handler;
    const full = this.fullView;
    let pos = start;
    let line = firstLine;
    while (pos < end) {
      const count = addon.scanLines(buf, pos, end, line, opts, out, numbers);
      const consumed = out[NativeHeader.CONSUMED]!;
      for (let r = 0, o = NativeHeader.SIZE; r < count; r++, o += NativeRecord.STRIDE) {
        const kind = out[o + NativeRecord.KIND]!;
        if (full || out[o + NativeRecord.ERROR] !== 0 || out[o + NativeRecord.WARNING] !== 0 || kind === LineKind.METADATA) {
          // rare lines (and full views): the JS scanner fills the whole view, which the texts need
          scanner.scan(view, buf, out[o + NativeRecord.START]!, out[o + NativeRecord.RAW_END]!, out[o + NativeRecord.LINE]!);
          // the two scanners must agree; the check is free here, and a disagreement is a bug to see
          if (view.error !== out[o + NativeRecord.ERROR] || view.warning !== out[o + NativeRecord.WARNING] || view.kind !== kind || (view.error !== 0 && view.errorAt !== out[o + NativeRecord.ERROR_AT])) {
            throw new Error(`dt-ingest: native and TypeScript scanners disagree on line ${view.line} (error ${out[o + NativeRecord.ERROR]} vs ${view.error}); please report this input`);
          }
        } else {
          const s = out[o + NativeRecord.START]!;
          view.buf = buf;
          view.start = s;
          view.end = out[o + NativeRecord.END]!;
          view.line = out[o + NativeRecord.LINE]!;
          view.kind = kind;
          view.error = 0;
          view.warning = 0;
          view.keySuffix = out[o + NativeRecord.KEY_SUFFIX]!;
          view.payloadType = out[o + NativeRecord.PAYLOAD_TYPE]!;
          view.keyStart = s;
          view.keyEnd = out[o + NativeRecord.KEY_END]!;
          view.dimCount = 0;
          view.lastValueBare = false;
          view.numbers[6] = -1; // NumberSlot.TIMESTAMP: none (numbers live in a Float64Array)
        }
        handler(view);
      }
      const skipped = out[NativeHeader.SKIPPED_VALID]!;
      if (skipped !== 0) this.onValidLines!(skipped);
      if (consumed <= pos) throw new Error('dt-ingest: native scanner made no progress');
      line += out[NativeHeader.LINES]!;
      pos = consumed;
    }
    return line - firstLine;
  }

  /** @internal LineSink */
  tooLong(lineNumber: number, units: number, prefix: Uint8Array, prefixLength: number): void {
    this.scanner.tooLong(this.view, lineNumber, units, prefix, prefixLength);
    this.handler(this.view);
  }
}
