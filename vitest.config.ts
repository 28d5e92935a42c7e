import { defineConfig } from 'vitest/config';
import { nativeSourcesHash } from './scripts/native-hash.mjs';

export default defineConfig({
  // as the package build does (tsup.config.ts): the hash of the native sources the tests belong to
  define: { __DT_INGEST_NATIVE_SOURCES__: JSON.stringify(nativeSourcesHash('native')) },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/setup/native.ts'],
  },
});
