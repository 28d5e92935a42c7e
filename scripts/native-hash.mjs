// The identity of the native sources: a SHA-256 over native/binding.gyp and every file of native/src/
// (the C++ sources and the generated header), by name and content, line endings normalized (a Windows
// checkout hashes as a Linux one). Every native build records it next to the binary (`<file>.sources`:
// scripts/build-native.mjs for build/Release, scripts/prebuild.mjs for npm/<target>/), and the JavaScript
// build bakes it in (tsup.config.ts, vitest.config.ts): src/backend/node-addon.ts loads a binary only
// when the two agree, so a binary made from other sources than the package's is never loaded.
// Shipped with the package (`npx dt-ingest build-native` uses it).
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The file name of the record next to a binary: `<binary>.sources`. */
export const SOURCES_SUFFIX = '.sources';

/** Hex SHA-256 of the native sources under `nativeDir`. */
export function nativeSourcesHash(nativeDir) {
  const files = [
    'binding.gyp',
    ...readdirSync(join(nativeDir, 'src'))
      .sort()
      .map((f) => `src/${f}`),
  ];
  const hash = createHash('sha256');
  for (const file of files) {
    const text = readFileSync(join(nativeDir, file), 'utf8').replace(/\r\n/g, '\n');
    hash.update(`${file}\0${text}\0`);
  }
  return hash.digest('hex');
}
