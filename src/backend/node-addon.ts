/**
 * Loads the optional C++ addon under Node.js. The binary comes, in this order, from
 * 1. a compile from source (`native/build/Release/dt_ingest.node`: `npx dt-ingest build-native` or
 *    `npm run build:native`, an explicit opt-in that wins over a prebuilt binary);
 * 2. the platform package of this machine ({@link nativePackageName}: `dt-ingest-linux-x64-gnu`, ...),
 *    an optional dependency that npm, pnpm and yarn install only where its `os`/`cpu`/`libc` match
 *    (the esbuild/swc pattern: no install script anywhere);
 * 3. in a checkout of the repository, the same package's directory (`npm/<target>/`), where
 *    `npm run prebuilds` writes it.
 * Nothing happens on import: `src/node.ts` calls {@link loadNativeAddon} once and registers the
 * result; the runtime-neutral root never reaches this file.
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
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeOption, NativeRecord } from '../protocol/native-layout.js';
import type { NativeAddon, NativeRegistration } from './registry.js';

/** Hash of the native sources this JavaScript was built with (tsup.config.ts, vitest.config.ts). */
declare const __DT_INGEST_NATIVE_SOURCES__: string | undefined;

/** The hash baked in at build time, or `undefined` when this code runs unbuilt without one. */
export const NATIVE_SOURCES: string | undefined = typeof __DT_INGEST_NATIVE_SOURCES__ === 'string' ? __DT_INGEST_NATIVE_SOURCES__ : undefined;

/** Suffix of the file next to a binary that records the hash of its sources (scripts/native-hash.mjs). */
export const SOURCES_SUFFIX = '.sources';

/** The file name of the addon, in a platform package and in a compile from source. */
export const NATIVE_BINARY = 'dt_ingest.node';

/** What a user does about a missing or refused addon: compiling from source is an explicit command. */
const REBUILD_HINT = 'run npx dt-ingest build-native to compile it from source (needs a C++ compiler)';

/**
 * The C library of this Linux process (`glibc` or `musl`), read from Node's diagnostic report header
 * as detect-libc does; `undefined` elsewhere.
 */
export function linuxLibc(): 'glibc' | 'musl' | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
    return header?.glibcVersionRuntime !== undefined ? 'glibc' : 'musl';
  } catch {
    return 'glibc';
  }
}

/**
 * The name of the platform package with the prebuilt addon for a platform, as the packages in
 * `npm/` are named: `dt-ingest-<platform>-<arch>`, with `-gnu`/`-musl` on Linux and `-msvc` on Windows.
 * @example nativePackageName('linux', 'x64', 'glibc') // 'dt-ingest-linux-x64-gnu'
 */
export function nativePackageName(platform: string, arch: string, libc?: 'glibc' | 'musl'): string {
  const abi = platform === 'linux' ? (libc === 'musl' ? '-musl' : '-gnu') : platform === 'win32' ? '-msvc' : '';
  return `dt-ingest-${platform}-${arch}${abi}`;
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

/** A binary that may be loaded: its file, and how it is named in `nativeStatus()`. */
interface Candidate {
  readonly file: string;
  readonly name: string;
}

/**
 * Where to look for the addon, in order (see the module comment): the compile from source, the
 * installed platform package, the platform package's directory in a checkout.
 */
function candidates(nativeDir: string | undefined): Candidate[] {
  const root = nativeDir === undefined ? packageRoot() : dirname(nativeDir);
  const dir = nativeDir ?? (root === undefined ? undefined : join(root, 'native'));
  const pkg = nativePackageName(process.platform, process.arch, linuxLibc());
  const target = pkg.slice('dt-ingest-'.length);
  const out: Candidate[] = [];
  if (dir !== undefined) out.push({ file: join(dir, 'build', 'Release', NATIVE_BINARY), name: `native/build/Release/${NATIVE_BINARY}` });
  try {
    const file = createRequire(import.meta.url).resolve(`${pkg}/${NATIVE_BINARY}`);
    out.push({ file, name: `${pkg}/${NATIVE_BINARY}` });
  } catch {
    // not installed: another platform, or an install that left out optional dependencies
  }
  if (root !== undefined) out.push({ file: join(root, 'npm', target, NATIVE_BINARY), name: `npm/${target}/${NATIVE_BINARY}` });
  return out;
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
 * Loads the addon (never throws): the registration for `registerNativeBackend`, with the binary it
 * loaded or tried and the reason when there is no addon. `expected` is the hash of the package's
 * native sources ({@link NATIVE_SOURCES}); `nativeDir` the directory with `build/` (the package's
 * `native/`; its parent is where `npm/<target>/` is looked for).
 */
export function loadNativeAddon(mode: '0' | '1' | undefined, expected: string | undefined, nativeDir?: string): NativeRegistration {
  const required = mode === '1';
  if (mode === '0') return { addon: undefined, reason: 'disabled by DT_INGEST_NATIVE=0', required };
  const pkg = nativePackageName(process.platform, process.arch, linuxLibc());
  let tried: Candidate | undefined;
  try {
    tried = candidates(nativeDir).find((c) => existsSync(c.file));
    if (tried === undefined)
      throw new Error(`${pkg} is not installed (an optional dependency: no prebuilt binary for this platform, or optional dependencies were left out)`);
    const { file, name } = tried;
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
    const addon = createRequire(import.meta.url)(file) as NativeAddon;
    if (typeof addon.scanLines !== 'function' || addon.recordStride !== NativeRecord.STRIDE || addon.optionCount !== NativeOption.COUNT) {
      throw new Error(`${name} was built for a different record layout: ${REBUILD_HINT}`);
    }
    return { addon, required, binary: file };
  } catch (e) {
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
    const reason = tried !== undefined && !message.includes(tried.name) ? `${tried.name}: ${message}` : message;
    const r: NativeRegistration = { addon: undefined, reason, required };
    return tried === undefined ? r : { ...r, binary: tried.file };
  }
}
