/**
 * The optional C++ addon: loaded once, when this module is first evaluated, with `node-gyp-build`
 * from `<package root>/native` (its `build/Release` or `prebuilds`). When there is no build the
 * TypeScript path is used silently.
 *
 * `DT_INGEST_NATIVE` (read once): `0` never loads the addon; `1` requires it (the first parser or
 * validator created throws when it is missing) and makes the automatic choice use it for every
 * input size; unset tries to load it and picks per call.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeOption, NativeRecord } from '../protocol/native-layout.js';

/** The addon's exports (see `native/src/binding.cc`). */
export interface NativeAddon {
  /**
   * Scans the complete lines of `buf[start, end)` into `out` (header, then records) and `numbers`.
   * Returns the number of records written.
   */
  scanLines(buf: Uint8Array, start: number, end: number, firstLine: number, options: Float64Array, out: Int32Array, numbers: Float64Array): number;
  /** Record stride the addon was built with. */
  readonly recordStride: number;
  /** Options array length the addon was built with. */
  readonly optionCount: number;
}

/** The environment switch, read once at start-up: `'0'`, `'1'` or `undefined` (automatic). */
const MODE: string | undefined = readMode();

function readMode(): string | undefined {
  const v = typeof process !== 'undefined' ? process.env.DT_INGEST_NATIVE : undefined;
  return v === '0' || v === '1' ? v : undefined;
}

/** Finds the package root (the directory with package.json and native/) above this module's file. */
function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 6; k++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'native'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

let loaded: NativeAddon | undefined;
let loadError: string | undefined;

function load(): void {
  if (MODE === '0') {
    loadError = 'disabled by DT_INGEST_NATIVE=0';
    return;
  }
  try {
    const root = packageRoot();
    if (root === undefined) throw new Error('package root not found');
    const require = createRequire(import.meta.url);
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
    const addon = nodeGypBuild(join(root, 'native')) as NativeAddon;
    if (typeof addon.scanLines !== 'function' || addon.recordStride !== NativeRecord.STRIDE || addon.optionCount !== NativeOption.COUNT) {
      throw new Error('addon built from a different layout: run npm run build:native');
    }
    loaded = addon;
  } catch (e) {
    loadError = e instanceof Error ? e.message.split('\n')[0] : String(e);
  }
}

load();

/** Whether `DT_INGEST_NATIVE=1` is set: native is required and used for inputs of every size. */
export const NATIVE_REQUIRED: boolean = MODE === '1';

/**
 * Which implementation the automatic choice uses: `'native'` when the addon is loaded (and not
 * disabled by `DT_INGEST_NATIVE=0`), else `'js'`. Per call, `backend: 'js' | 'native'` overrides it.
 */
export const backend: 'native' | 'js' = loaded !== undefined ? 'native' : 'js';

/**
 * Whether the C++ addon is loaded.
 * @example if (nativeAvailable()) validateMetrics(body, { backend: 'native' });
 */
export function nativeAvailable(): boolean {
  return loaded !== undefined;
}

/**
 * The addon, or a clear error when it is missing (for `backend: 'native'` and `DT_INGEST_NATIVE=1`).
 * @internal
 */
export function requireNative(why: string): NativeAddon {
  if (loaded !== undefined) return loaded;
  throw new Error(`dt-ingest: ${why} but the native addon is not built (${loadError ?? 'unknown reason'}): run npm run build:native`);
}

/**
 * The addon for a parser under `backend: 'auto'`, or `undefined` for the TypeScript path.
 * @internal
 */
export function autoNative(): NativeAddon | undefined {
  if (NATIVE_REQUIRED) return requireNative('DT_INGEST_NATIVE=1');
  return loaded;
}
