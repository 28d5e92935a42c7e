/**
 * Where the metrics parser of the public API is assembled: the `backend` option is turned into the
 * scanners ({@link metricsScanners}, the one place that asks the backend registry), which the grammar
 * layer's parser (`metrics/parser.ts`) is given at construction.
 *
 * @module
 */
import type { MetricsOptions, ResolvedMetricsOptions } from '../protocol/options.js';
import { resolveMetricsOptions } from '../protocol/options.js';
import { autoNative, nativeRequired, requireNative } from '../backend/registry.js';
import {
  MetricsLineParser,
  TYPESCRIPT_SCANNERS,
  type MetricLineHandler,
  type MetricsParserSettings,
  type MetricsScanners,
  type NativeLineScanner,
} from '../metrics/parser.js';

/**
 * The scanners for a `backend` choice: `'js'` the TypeScript ones; `'native'` the addon for every
 * region (an error when it is not loaded); `'auto'` the addon from the size where it pays, unless the
 * parser hands every line on with a full view (the TypeScript scanner reads each one then anyway);
 * `DT_INGEST_NATIVE=1` makes `'auto'` use the addon for everything (and require it), to test it.
 * @example new MetricsLineParser(options, handler, settings, metricsScanners(options.backend, false))
 */
export function metricsScanners(backend: ResolvedMetricsOptions['backend'], fullView: boolean): MetricsScanners {
  if (backend === 'native') return scannersOf(requireNative("backend 'native' was asked for"), true);
  if (backend !== 'auto') return TYPESCRIPT_SCANNERS;
  const native = autoNative();
  const everySize = nativeRequired();
  if (native === undefined || (fullView && !everySize)) return TYPESCRIPT_SCANNERS;
  return scannersOf(native, everySize);
}

/** The last scanners made, kept: a parser per one-line call then allocates none (the addon is registered once). */
let lastScanners: MetricsScanners | undefined;

function scannersOf(native: NativeLineScanner, everySize: boolean): MetricsScanners {
  const last = lastScanners;
  if (last !== undefined && last.native === native && last.nativeEverySize === everySize) return last;
  return (lastScanners = Object.freeze({ native, nativeEverySize: everySize }));
}

/**
 * Streaming parser. `push(chunk)` any number of times (a chunk may end anywhere), then `end()`.
 * Results are identical however the body is cut, and whichever path (fused pass, reference scanner,
 * native addon) judged a line; the `backend` option picks the scanners.
 *
 * @example
 * const p = new MetricsParser({ now: Date.now() }, (line) => {
 *   if (line.error) console.log(line.line, line.error);
 * });
 * p.push(chunk1); p.push(chunk2); p.end();
 */
export class MetricsParser {
  /** The resolved options in force. */
  readonly options: ResolvedMetricsOptions;
  private readonly parser: MetricsLineParser;

  /**
   * @param options metrics options (see {@link MetricsOptions}); `backend` picks the implementation
   * @param handler called with the reused view: every non-blank line, or in verdict mode the lines
   *   with something to say (see {@link MetricsParserSettings.fullView})
   * @param settings see {@link MetricsParserSettings}
   */
  constructor(options: MetricsOptions | ResolvedMetricsOptions | undefined, handler: MetricLineHandler, settings: MetricsParserSettings = {}) {
    const resolved = resolveMetricsOptions(options);
    this.parser = new MetricsLineParser(resolved, handler, settings, metricsScanners(resolved.backend, settings.fullView !== false));
    this.options = this.parser.options;
  }

  /** Which implementation scans this parser's lines (`'native'` may still use TS for small chunks). */
  get backend(): 'native' | 'js' {
    return this.parser.backend;
  }

  /** Bytes pushed so far. */
  get bytes(): number {
    return this.parser.bytes;
  }

  /** Physical lines seen so far. */
  get lines(): number {
    return this.parser.lines;
  }

  /** Feeds a chunk (bytes, or a string encoded once as UTF-8). */
  push(chunk: Uint8Array | string): void {
    this.parser.push(chunk);
  }

  /** Ends the input: the last line without LF is handed on. */
  end(): void {
    this.parser.end();
  }
}
