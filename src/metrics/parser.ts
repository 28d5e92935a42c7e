/**
 * The streaming metrics parser: bytes in (any chunking), one reused {@link MetricLine} view out per
 * non-blank line. This is the zero-allocation core that every other metrics API is built on. It is
 * given its scanners ({@link MetricsScanners}: the TypeScript ones alone, or with the native addon's)
 * when it is made; which ones is decided where the public API is assembled (`report/parser.ts` asks
 * the backend registry), never here.
 *
 * @module
 */
import type { MetricsOptions, ResolvedMetricsOptions } from '../protocol/options.js';
import { resolveMetricsOptions } from '../protocol/options.js';
import { LF } from '../protocol/chars.js';
import { bytesOfInput } from '../protocol/inputs.js';
import { NativeHeader, NativeNumber, NativeOption, NativeRecord, packNativeOptions, type NativeCallSettings } from '../protocol/native-layout.js';
import { LineSplitter } from '../scan/lines.js';
import { LineVerdict, type LineMap } from '../scan/line-map.js';
import { RegionScanner } from './region.js';
import { LineScanner } from './scanner.js';
import { LineKind, NumberSlot, type MetricLine } from './view.js';

/** Extra settings of a `MetricsParser` (not protocol rules, so not in the options table). */
export interface MetricsParserSettings {
  /**
   * Whether every non-blank line reaches the handler with a complete view (dimensions, numbers,
   * metadata properties). Default `true`. With `false` (verdict mode, what validate-only needs) the
   * parser reads complete lines in one fused pass (or the native addon) and hands on only what has
   * something to say: lines with an error and metadata lines reach the handler with a complete view;
   * valid lines without warning are counted with {@link MetricsParserSettings.onValidLines}; valid lines whose key the
   * endpoint rewrites go to {@link MetricsParserSettings.onKeyRewrite} with the key's offsets.
   */
  fullView?: boolean;
  /** Verdict mode: receives counts of valid lines without warning (in any grouping). Required for the fused pass. */
  onValidLines?: (count: number) => void;
  /**
   * Verdict mode: a valid data line whose key the endpoint rewrites (spec §3): its line number, the
   * key as `buf[keyStart, keyEnd)` (read it during the call) and the {@link KeySuffix}. Only offsets
   * are handed over, so the receiver decides what to keep (nothing, once it lists no more warnings).
   * Without it, such lines reach the handler with a complete view.
   */
  onKeyRewrite?: (line: number, buf: Uint8Array, keyStart: number, keyEnd: number, suffix: number) => void;
  /**
   * Fills this map with every line's start and verdict as a by-product of the one pass (emptied
   * first). The native backend then records every line instead of only the rare ones.
   */
  lineMap?: LineMap;
}

/** The native addon's line scanner (`native/src/binding.cc`; the backend registry's `NativeAddon`). */
export interface NativeLineScanner {
  /**
   * Scans the complete lines of `buf[start, end)` into `out` (header, then records) and `numbers`.
   * Returns the number of records written.
   */
  scanLines(buf: Uint8Array, start: number, end: number, firstLine: number, options: Float64Array, out: Int32Array, numbers: Float64Array): number;
}

/**
 * The scanners a {@link MetricsLineParser} reads lines with, injected at construction: the
 * TypeScript ones (fused pass and reference scanner) always, and the native addon's when given.
 * @example const scanners: MetricsScanners = { native: undefined, nativeEverySize: false };
 */
export interface MetricsScanners {
  /** The native scanner for regions of complete lines, or `undefined` for the TypeScript path only. */
  readonly native: NativeLineScanner | undefined;
  /**
   * Whether the native scanner gets regions of every size (`backend: 'native'`, `DT_INGEST_NATIVE=1`),
   * not only from {@link NATIVE_THRESHOLD_BYTES} on.
   */
  readonly nativeEverySize: boolean;
}

/**
 * The TypeScript scanners alone.
 * @example new MetricsLineParser(options, handler, {}, TYPESCRIPT_SCANNERS)
 */
export const TYPESCRIPT_SCANNERS: MetricsScanners = /* @__PURE__ */ Object.freeze({ native: undefined, nativeEverySize: false });

/** The {@link LineVerdict} of a judged line. */
function verdictOf(view: MetricLine): number {
  if (view.kind === LineKind.BLANK) return LineVerdict.BLANK;
  if (view.error !== 0) return LineVerdict.INVALID;
  return view.warning !== 0 ? LineVerdict.WARNED : LineVerdict.OK;
}

/**
 * Longest string (in UTF-16 units) that {@link withUtf8} encodes into its reused buffer: three bytes
 * per unit at most, so the 48 KB buffer always holds it. Longer strings are encoded into a new array.
 */
const SCRATCH_UNITS = 16_384;
const scratch = /* @__PURE__ */ (() => new Uint8Array(SCRATCH_UNITS * 3))();
let scratchBusy = false;

/**
 * Calls `use` with the UTF-8 bytes of `input`, valid only during the call: a short string is encoded
 * into one reused buffer (no allocation but the view; a one-line body pays for nothing else), a long
 * one, bytes and buffers as {@link toBytes} gives them. Re-entrant: a nested call while the buffer is
 * in use gets its own bytes.
 * @example withUtf8('cpu.temp 42', (bytes) => parser.push(bytes));
 */
export function withUtf8<T>(input: string | Uint8Array | ArrayBuffer, use: (bytes: Uint8Array) => T): T {
  if (typeof input !== 'string' || input.length > SCRATCH_UNITS || scratchBusy) return use(toBytes(input));
  scratchBusy = true;
  try {
    return use(scratch.subarray(0, encoder.encodeInto(input, scratch).written));
  } finally {
    scratchBusy = false;
  }
}

/**
 * Smallest region of complete lines (bytes) that the automatic choice hands to the native backend.
 * Why: one addon call has a fixed cost (argument checks, crossing into C++, then walking the records
 * in JS) that a region of one line does not earn back.
 * `bench/native-threshold.mjs` (validate-only, exporter lines of ~125 bytes, one push per region,
 * native/js time; fused native scan, 2026-12): 128 B 0.77-1.17 (noisy), 192 B 0.74-0.75, 256 B 0.69-0.70,
 * 512 B 0.56, 64 KB 0.33-0.34. The crossover lies between 128 and 192 bytes; 256 keeps a margin for
 * slower machines and shorter lines.
 * `DT_INGEST_NATIVE=1` lowers it to 0 so that the tests exercise the native path on every input.
 */
export const NATIVE_THRESHOLD_BYTES = 256;

/** Records per addon call: bounds the reused record arrays (~52 KB and ~48 KB). */
const NATIVE_CAPACITY = 1024;

/** The addon's output arrays: taken from a free list for one bulk call, then given back (re-entrant). */
interface NativeBuffers {
  readonly out: Int32Array;
  readonly numbers: Float64Array;
}
const freeNativeBuffers: NativeBuffers[] = [];

/** The options array handed to the addon, filled before each call (see {@link packNativeOptions}). */
const nativeOptions = /* @__PURE__ */ (() => new Float64Array(NativeOption.COUNT))();
const VALIDATE_ONLY_CALL: NativeCallSettings = /* @__PURE__ */ Object.freeze({ wantNumbers: false, skipValid: true });
const FULL_RECORDS_CALL: NativeCallSettings = /* @__PURE__ */ Object.freeze({ wantNumbers: false, skipValid: false });

function takeNativeBuffers(): NativeBuffers {
  return (
    freeNativeBuffers.pop() ?? {
      out: new Int32Array(NativeHeader.SIZE + NATIVE_CAPACITY * NativeRecord.STRIDE),
      numbers: new Float64Array(NATIVE_CAPACITY * NativeNumber.STRIDE),
    }
  );
}

/** Receives each non-blank line. The view is reused: read it during the call. */
export type MetricLineHandler = (view: MetricLine) => void;

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * Turns a string into UTF-8 bytes once; passes bytes through. Throws the library's `TypeError` for
 * any other type and for a detached buffer (`protocol/inputs.ts`).
 */
export function toBytes(input: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof input === 'string') return encoder.encode(input);
  if (input instanceof Uint8Array && input.byteLength > 0) return input;
  return bytesOfInput(input);
}

/**
 * Streaming parser over the scanners it is given. `push(chunk)` any number of times (a chunk may end
 * anywhere), then `end()`. Results are identical however the body is cut, and whichever path (fused
 * pass, reference scanner, native addon) judged a line. The package's `MetricsParser` is this parser
 * with the scanners its `backend` option names.
 *
 * @example
 * const p = new MetricsLineParser(resolveMetricsOptions({ now: Date.now() }), (line) => {
 *   if (line.error) console.log(line.line, line.error);
 * }, {}, TYPESCRIPT_SCANNERS);
 * p.push(chunk1); p.push(chunk2); p.end();
 */
export class MetricsLineParser {
  /** The resolved options in force. */
  readonly options: ResolvedMetricsOptions;
  /** The reference scanner and its view, made on first use (a body the fused pass reads whole never needs them). */
  private referenceScanner: LineScanner | undefined;
  private referenceView: MetricLine | undefined;
  private readonly splitter: LineSplitter;
  private readonly handler: MetricLineHandler;
  private readonly fullView: boolean;
  private readonly onValidLines: ((count: number) => void) | undefined;
  private readonly onKeyRewrite: ((line: number, buf: Uint8Array, keyStart: number, keyEnd: number, suffix: number) => void) | undefined;
  /**
   * The fused pass (verdict mode with a counter only), made on first use: a parser whose every region
   * goes to the addon (`backend: 'native'`) never needs it.
   */
  private region: RegionScanner | undefined;
  /** The native scanner when this parser uses it, else `undefined`. */
  private readonly native: NativeLineScanner | undefined;
  private readonly nativeMinBytes: number;
  private readonly map: LineMap | undefined;

  /**
   * @param options metrics options (see {@link MetricsOptions}); `backend` is not read here: the
   *   scanners are
   * @param handler called with the reused view: every non-blank line, or in verdict mode the lines
   *   with something to say (see {@link MetricsParserSettings.fullView})
   * @param settings see {@link MetricsParserSettings}
   * @param scanners the scanners to read lines with (see {@link MetricsScanners})
   */
  constructor(
    options: MetricsOptions | ResolvedMetricsOptions | undefined,
    handler: MetricLineHandler,
    settings: MetricsParserSettings,
    scanners: MetricsScanners,
  ) {
    this.options = resolveMetricsOptions(options);
    this.handler = handler;
    this.fullView = settings.fullView !== false;
    this.onValidLines = this.fullView ? undefined : settings.onValidLines;
    this.onKeyRewrite = this.fullView ? undefined : settings.onKeyRewrite;
    const map = (this.map = settings.lineMap);
    if (map !== undefined) {
      map.reset();
      map.ignoreCr = this.options.ignoreCarriageReturn;
    }
    this.native = scanners.native;
    this.nativeMinBytes = scanners.nativeEverySize ? 0 : NATIVE_THRESHOLD_BYTES;
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

  private get scanner(): LineScanner {
    return (this.referenceScanner ??= new LineScanner(this.options));
  }

  private get view(): MetricLine {
    return (this.referenceView ??= this.scanner.createView());
  }

  /** Feeds a chunk (bytes, or a string encoded once as UTF-8). */
  push(chunk: Uint8Array | string): void {
    this.splitter.push(typeof chunk === 'string' ? encoder.encode(chunk) : toBytes(chunk));
  }

  /** Ends the input: the last line without LF is handed on. */
  end(): void {
    this.splitter.end();
    this.map?.finish(this.splitter.bytes, this.splitter.last);
  }

  /** @internal LineSink, RegionHost: one line through the reference scanner. */
  line(buf: Uint8Array, start: number, end: number, lineNumber: number): void {
    const view = this.view;
    this.scanner.scan(view, buf, start, end, lineNumber);
    const map = this.map;
    if (map !== undefined) {
      map.base = this.splitter.offsetOf(buf);
      map.begin(lineNumber, start);
      map.mark(lineNumber, verdictOf(view));
    }
    if (view.kind !== LineKind.BLANK) this.handler(view);
  }

  /** @internal RegionHost: a valid line of the fused pass whose key the endpoint rewrites. */
  keyRewritten(lineNumber: number, buf: Uint8Array, keyStart: number, keyEnd: number, suffix: number, lineEnd: number): void {
    const onKeyRewrite = this.onKeyRewrite;
    if (onKeyRewrite !== undefined) {
      this.map?.mark(lineNumber, LineVerdict.WARNED);
      onKeyRewrite(lineNumber, buf, keyStart, keyEnd, suffix);
    } else this.line(buf, keyStart, lineEnd, lineNumber);
  }

  /** @internal LineSink: complete lines in bulk, to the addon when it pays, else to the fused pass. */
  bulkLines(buf: Uint8Array, start: number, end: number, firstLine: number): number {
    if (this.map !== undefined) this.map.base = this.splitter.offsetOf(buf);
    if (this.native !== undefined && end - start >= this.nativeMinBytes && end <= 0x7fffffff) return this.nativeLines(this.native, buf, start, end, firstLine);
    // the fused pass needs the region to end with an LF (its loops stop there without bound checks)
    if (this.onValidLines === undefined || buf[end - 1] !== LF) return -1;
    const region = (this.region ??= this.fusedPass());
    const plain = region.scan(buf, start, end, firstLine, this);
    if (plain !== 0) this.onValidLines!(plain);
    return region.lines;
  }

  private fusedPass(): RegionScanner {
    const region = new RegionScanner(this.options);
    region.map = this.map;
    return region;
  }

  private nativeLines(addon: NativeLineScanner, buf: Uint8Array, start: number, end: number, firstLine: number): number {
    const map = this.map;
    // a map needs every line's start: the addon records every line then
    const settings = this.onValidLines !== undefined && map === undefined ? VALIDATE_ONLY_CALL : FULL_RECORDS_CALL;
    const counted = map !== undefined && this.onValidLines !== undefined;
    const buffers = takeNativeBuffers();
    try {
      const { out, numbers } = buffers;
      const handler = this.handler;
      const full = this.fullView;
      const onKeyRewrite = this.onKeyRewrite;
      let pos = start;
      let line = firstLine;
      // the next line a record should start (lines before a record's are blank: the addon skips them)
      let mapLine = firstLine;
      let mapPos = start;
      let plain = 0;
      while (pos < end) {
        // refilled before every call: the addon reads it at the start, and a handler below may run
        // another parser's call in between
        const count = addon.scanLines(buf, pos, end, line, packNativeOptions(this.options, settings, nativeOptions), out, numbers);
        const consumed = out[NativeHeader.CONSUMED]!;
        for (let r = 0, o = NativeHeader.SIZE; r < count; r++, o += NativeRecord.STRIDE) {
          const kind = out[o + NativeRecord.KIND]!;
          const error = out[o + NativeRecord.ERROR]!;
          const warning = out[o + NativeRecord.WARNING]!;
          if (map !== undefined) {
            const recordLine = out[o + NativeRecord.LINE]!;
            if (recordLine > mapLine) mapBlankLines(map, buf, mapLine, recordLine, mapPos);
            map.begin(recordLine, out[o + NativeRecord.START]!);
            if (error !== 0) map.mark(recordLine, LineVerdict.INVALID);
            else if (warning !== 0) map.mark(recordLine, LineVerdict.WARNED);
            mapLine = recordLine + 1;
            mapPos = out[o + NativeRecord.RAW_END]! + 1;
            if (counted && error === 0 && warning === 0 && kind === LineKind.DATA) {
              // a plain valid line: counted, as the addon would have without the map
              plain++;
              continue;
            }
          }
          if (!full && error === 0 && warning !== 0 && kind === LineKind.DATA && onKeyRewrite !== undefined) {
            // the only finding is the key rewrite: the key's offsets, no second scan
            onKeyRewrite(out[o + NativeRecord.LINE]!, buf, out[o + NativeRecord.START]!, out[o + NativeRecord.KEY_END]!, out[o + NativeRecord.KEY_SUFFIX]!);
            continue;
          }
          if (full || error !== 0 || warning !== 0 || kind === LineKind.METADATA) {
            // rare lines (and full views): the JS scanner fills the whole view, which the texts need
            const view = this.view;
            this.scanner.scan(view, buf, out[o + NativeRecord.START]!, out[o + NativeRecord.RAW_END]!, out[o + NativeRecord.LINE]!);
            // the two scanners must agree; the check is free here, and a disagreement is a bug to see
            if (view.error !== error || view.warning !== warning || view.kind !== kind || (error !== 0 && view.errorAt !== out[o + NativeRecord.ERROR_AT])) {
              throw new Error(
                `dt-ingest: native and TypeScript scanners disagree on line ${view.line} (error ${error} vs ${view.error}); please report this input`,
              );
            }
            handler(view);
          } else {
            const view = this.view;
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
            view.numbers[NumberSlot.TIMESTAMP] = -1; // none (numbers live in a Float64Array)
            handler(view);
          }
        }
        const skipped = out[NativeHeader.SKIPPED_VALID]!;
        if (skipped !== 0) this.onValidLines!(skipped);
        if (consumed <= pos) throw new Error('dt-ingest: native scanner made no progress');
        line += out[NativeHeader.LINES]!;
        pos = consumed;
        if (map !== undefined && line > mapLine) {
          mapBlankLines(map, buf, mapLine, line, mapPos);
          mapLine = line;
          mapPos = pos;
        }
      }
      if (plain !== 0) this.onValidLines!(plain);
      return line - firstLine;
    } finally {
      freeNativeBuffers.push(buffers);
    }
  }

  /** @internal LineSink */
  tooLong(lineNumber: number, units: number, prefix: Uint8Array, prefixLength: number): void {
    const map = this.map;
    if (map !== undefined) {
      // the skipped line starts where its carry did
      map.base = this.splitter.offsetOf(prefix);
      map.begin(lineNumber, 0);
      map.mark(lineNumber, LineVerdict.INVALID);
    }
    this.scanner.tooLong(this.view, lineNumber, units, prefix, prefixLength);
    this.handler(this.view);
  }
}

/** Maps lines `from` to `to - 1`, blank ones the addon made no record for, starting at `pos` of `buf`. */
function mapBlankLines(map: LineMap, buf: Uint8Array, from: number, to: number, pos: number): void {
  for (let line = from; line < to; line++) {
    map.begin(line, pos);
    map.mark(line, LineVerdict.BLANK);
    pos = buf.indexOf(LF, pos) + 1;
  }
}
