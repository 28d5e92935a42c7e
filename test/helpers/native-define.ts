/**
 * The define every esbuild bundle of src/ needs, as tsup.config.ts gives it to the package: the hash
 * of the native sources, without which the loader refuses the addon (src/backend/node-addon.ts).
 */
import { fileURLToPath } from 'node:url';
import { nativeSourcesHash } from '../../scripts/native-hash.mjs';

export const NATIVE_DEFINE: Readonly<Record<string, string>> = {
  __DT_INGEST_NATIVE_SOURCES__: JSON.stringify(nativeSourcesHash(fileURLToPath(new URL('../../native/', import.meta.url)))),
};
