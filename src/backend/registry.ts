/**
 * The native backend registry: the one place the metrics parser asks for the C++ addon. It imports
 * nothing, so the runtime-neutral root (browsers, edge functions, workers) carries no Node built-in:
 * there the registry stays empty and the TypeScript path runs. Under Node the `node` export condition
 * (`src/node.ts`) loads the addon and registers it here once, at start-up.
 *
 * @module
 */

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

/**
 * Whether the native backend can be used, why not when it cannot, and the binary it loaded or tried
 * (absent when none was found: `reason` then names the platform package it looked for).
 * @example const s = nativeStatus(); if (!s.available) console.log(s.reason, s.binary);
 */
export type NativeStatus =
  | { readonly available: true; readonly binary?: string }
  | { readonly available: false; readonly reason: string; readonly binary?: string };

/** What a runtime registers: the loaded addon or why there is none, and whether it is required. */
export interface NativeRegistration {
  /** The loaded addon, or `undefined` when there is none. */
  readonly addon: NativeAddon | undefined;
  /** Why there is no addon (shown in the error when it is required or asked for). */
  readonly reason?: string;
  /** `DT_INGEST_NATIVE=1`: the first parser throws when the addon is missing, and `auto` uses it for every input size. */
  readonly required?: boolean;
  /** The file of the binary loaded, or tried and refused. */
  readonly binary?: string;
}

let addon: NativeAddon | undefined;
let reason = 'no native backend in this runtime (only Node.js loads it, through the `node` export condition)';
let required = false;
let binary: string | undefined;

/**
 * Registers the native backend (the `node` entry does, once at start-up). A later registration
 * replaces an earlier one.
 * Internal: not exported by the package.
 */
export function registerNativeBackend(registration: NativeRegistration): void {
  addon = registration.addon;
  reason = registration.reason ?? (addon === undefined ? 'no addon was registered' : '');
  required = registration.required === true;
  binary = registration.binary;
}

/**
 * Whether the C++ addon is loaded (always `false` outside Node.js).
 * @example if (nativeAvailable()) validateMetrics(body, { backend: 'native' });
 */
export function nativeAvailable(): boolean {
  return addon !== undefined;
}

/**
 * Whether the native backend is loaded, and the reason when it is not (no build for this platform,
 * `DT_INGEST_NATIVE=0`, a runtime other than Node.js, ...).
 * @example const s = nativeStatus(); if (!s.available) console.warn(`TypeScript path: ${s.reason}`);
 */
export function nativeStatus(): NativeStatus {
  const status: NativeStatus = addon !== undefined ? { available: true } : { available: false, reason };
  return binary === undefined ? status : { ...status, binary };
}

/** Whether `DT_INGEST_NATIVE=1` is in force: native is required and used for inputs of every size. Internal: not exported by the package. */
export function nativeRequired(): boolean {
  return required;
}

/**
 * The addon, or a clear error when it is missing (for `backend: 'native'` and `DT_INGEST_NATIVE=1`).
 * Internal: not exported by the package.
 */
export function requireNative(why: string): NativeAddon {
  if (addon !== undefined) return addon;
  throw new Error(`dt-ingest: ${why} but the native addon is not loaded (${reason})`);
}

/**
 * The addon for a parser under `backend: 'auto'`, or `undefined` for the TypeScript path.
 * Internal: not exported by the package.
 */
export function autoNative(): NativeAddon | undefined {
  if (required) return requireNative('DT_INGEST_NATIVE=1');
  return addon;
}
