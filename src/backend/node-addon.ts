/**
 * Loads the optional C++ addon under Node.js with `node-gyp-build` from `<package root>/native` (its
 * `prebuilds/` first, then `build/Release`). Nothing happens on import: `src/node.ts` calls
 * {@link loadNativeAddon} once and registers the result; the runtime-neutral root never reaches this
 * file.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeOption, NativeRecord } from '../protocol/native-layout.js';
import type { NativeAddon, NativeRegistration } from './registry.js';

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

/**
 * Loads the addon (never throws): the registration for {@link registerNativeBackend}, with the reason
 * when there is no addon.
 */
export function loadNativeAddon(mode: '0' | '1' | undefined): NativeRegistration {
  const required = mode === '1';
  if (mode === '0') return { addon: undefined, reason: 'disabled by DT_INGEST_NATIVE=0', required };
  try {
    const root = packageRoot();
    if (root === undefined) throw new Error('package root not found');
    const require = createRequire(import.meta.url);
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
    const addon = nodeGypBuild(join(root, 'native')) as NativeAddon;
    if (typeof addon.scanLines !== 'function' || addon.recordStride !== NativeRecord.STRIDE || addon.optionCount !== NativeOption.COUNT) {
      throw new Error('addon built from a different layout: run npm run build:native');
    }
    return { addon, required };
  } catch (e) {
    return { addon: undefined, reason: e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e), required };
  }
}
