/**
 * The `node` export condition of `dt-ingest`: everything of the runtime-neutral root, plus the native
 * backend (the C++ addon is loaded here, once, and registered for the parser) and the Node.js stream
 * adapters (`Transform`s). Node.js resolves `import 'dt-ingest'` and `require('dt-ingest')` to this
 * entry; bundlers targeting browsers, edge functions or workers get the root without it.
 *
 * `DT_INGEST_NATIVE` is read here, once: `0` never loads the addon, `1` requires it (the first parser
 * throws when it is missing) and uses it for every input size, unset loads it when there is a build.
 *
 * @example
 * import { validateMetrics, nativeAvailable } from 'dt-ingest'; // under Node.js: this entry
 * nativeAvailable(); // true where the addon is built (or a prebuild matches)
 *
 * @module
 */
import { NATIVE_SOURCES, loadNativeAddon, nativeMode } from './backend/node-addon.js';
import { registerNativeBackend } from './backend/registry.js';

registerNativeBackend(loadNativeAddon(nativeMode(typeof process !== 'undefined' ? process.env.DT_INGEST_NATIVE : undefined), NATIVE_SOURCES));

export * from './index.js';
export {
  createMetricsValidator,
  createMetricsLineFilter,
  type MetricsValidatorTransform,
  type MetricsLineFilterTransform,
  type NodeStreamSettings,
  type MetricsValidatorTransformOptions,
  type MetricsLineFilterTransformOptions,
} from './stream/node.js';
