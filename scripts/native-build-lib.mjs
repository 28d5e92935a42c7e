// What the native build scripts share (scripts/build-native.mjs, the compile from source, and
// scripts/prebuild.mjs, the platform packages): where npm's node-gyp is, the local Node headers
// (builds stay offline), and the record of the sources next to a binary. Shipped with the package
// (`npx dt-ingest build-native` runs build-native.mjs).
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOURCES_SUFFIX, nativeSourcesHash } from './native-hash.mjs';

/** The package root and its native/ directory. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const nativeDir = join(root, 'native');

/** The node-gyp that npm bundles (npm tells lifecycle scripts where; else next to npm), or undefined. */
export function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  ];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally: fine
  }
  return candidates.find((p) => typeof p === 'string' && p !== '' && existsSync(p));
}

/**
 * The directory of this Node's own headers (`<prefix>/include/node/node_api.h`), so node-gyp needs no
 * download; undefined when npm already names one (`npm_config_nodedir`) or there are none.
 */
export function localNodeDir() {
  if (process.env.npm_config_nodedir) return undefined;
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

/** Writes the record of the current native sources next to `binary`. */
export function recordSources(binary) {
  writeFileSync(binary + SOURCES_SUFFIX, nativeSourcesHash(nativeDir) + '\n');
}

export { SOURCES_SUFFIX, nativeSourcesHash };
