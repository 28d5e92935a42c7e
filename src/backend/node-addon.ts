/**
 * Loads the optional C++ addon under Node.js with `node-gyp-build` from `<package root>/native`: a
 * local build (`build/Release`, made by the install script where no prebuild matched) or the prebuild
 * for this platform (`prebuilds/<platform>-<arch>/`). Nothing happens on import: `src/node.ts` calls
 * {@link loadNativeAddon} once and registers the result; the runtime-neutral root never reaches this
 * file.
 *
 * A binary is loaded only when it was made from this package's native sources: every build records
 * the hash of the sources next to the binary (`<file>.sources`, see scripts/native-hash.mjs), the
 * JavaScript build bakes the hash of the same sources in, and the two must agree. A stale or foreign
 * binary is refused with a warning, never loaded silently.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeOption, NativeRecord } from '../protocol/native-layout.js';
import type { NativeAddon, NativeRegistration } from './registry.js';

/** Hash of the native sources this JavaScript was built with (tsup.config.ts, vitest.config.ts). */
declare const __DT_INGEST_NATIVE_SOURCES__: string | undefined;

/** The hash baked in at build time, or `undefined` when this code runs unbuilt without one. */
export const NATIVE_SOURCES: string | undefined = typeof __DT_INGEST_NATIVE_SOURCES__ === 'string' ? __DT_INGEST_NATIVE_SOURCES__ : undefined;

/** Suffix of the file next to a binary that records the hash of its sources (scripts/native-hash.mjs). */
export const SOURCES_SUFFIX = '.sources';

/** What a user does about a missing or refused addon (the install script compiles where it can). */
const REBUILD_HINT = 'run npm rebuild dt-ingest (it compiles where a C++ compiler is installed)';

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

/**
 * Reads the `DT_INGEST_NATIVE` switch: `'0'` never loads the addon; `'1'` requires it (the first
 * parser or validator created throws when it is missing) and makes the automatic choice use it for
 * every input size; anything else tries to load it and picks per call.
 */
export function nativeMode(value: string | undefined): '0' | '1' | undefined {
  return value === '0' || value === '1' ? value : undefined;
}

/** The hash recorded next to `file`, or `undefined` when there is no record. */
function recordedSources(file: string): string | undefined {
  try {
    return readFileSync(file + SOURCES_SUFFIX, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Loads the addon (never throws): the registration for `registerNativeBackend`, with the reason
 * when there is no addon. `expected` is the hash of the package's native sources ({@link NATIVE_SOURCES}); `nativeDir` the
 * directory with `build/` and `prebuilds/` (the package's `native/`).
 */
export function loadNativeAddon(mode: '0' | '1' | undefined, expected: string | undefined, nativeDir?: string): NativeRegistration {
  const required = mode === '1';
  if (mode === '0') return { addon: undefined, reason: 'disabled by DT_INGEST_NATIVE=0', required };
  try {
    let dir = nativeDir;
    if (dir === undefined) {
      const root = packageRoot();
      if (root === undefined) throw new Error('package root not found');
      dir = join(root, 'native');
    }
    const require = createRequire(import.meta.url);
    const nodeGypBuild = require('node-gyp-build') as { resolve(dir: string): string };
    let file: string;
    try {
      file = nodeGypBuild.resolve(dir);
    } catch {
      throw new Error(`no prebuild for ${process.platform}-${process.arch} and no local build: ${REBUILD_HINT}`);
    }
    const name = `native/${relative(dir, file)}`;
    const recorded = recordedSources(file);
    if (expected === undefined || recorded !== expected) {
      const why =
        expected === undefined
          ? `this copy of dt-ingest names no native sources, so ${name} cannot be checked`
          : recorded === undefined
            ? `${name} has no record of its sources (${SOURCES_SUFFIX})`
            : `${name} was built from other native sources than this package's`;
      // a binary that is there but refused is a broken installation: say so once, then use TypeScript
      if (typeof process.emitWarning === 'function')
        process.emitWarning(`dt-ingest: ${why}; using the TypeScript path (${REBUILD_HINT})`, { code: 'DT_INGEST_NATIVE_REFUSED' });
      throw new Error(`${why}: ${REBUILD_HINT}`);
    }
    const addon = require(file) as NativeAddon;
    if (typeof addon.scanLines !== 'function' || addon.recordStride !== NativeRecord.STRIDE || addon.optionCount !== NativeOption.COUNT) {
      throw new Error(`${name} was built for a different record layout: ${REBUILD_HINT}`);
    }
    return { addon, required };
  } catch (e) {
    return { addon: undefined, reason: e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e), required };
  }
}
