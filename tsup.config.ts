import { resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig, type Options } from 'tsup';
import { nativeSourcesHash } from './scripts/native-hash.mjs';

/**
 * The entries: `index` is the runtime-neutral root (no Node built-in in its graph), `node` the `node`
 * export condition (root + native backend registration + Node Transforms), `serve` the `dt-ingest/serve`
 * subpath, `cli` the bundle behind `bin/dt-ingest.cjs`. Code shared between entries goes into chunks
 * (code splitting, also for CommonJS), so each format has one copy of every module, and so one
 * native backend registry.
 */
const entry = { index: 'src/index.ts', node: 'src/node.ts', serve: 'src/serve/index.ts' };
/**
 * Declarations of the public entries (the CLI has none: it is a program). Members marked `@internal`
 * (the parser's sink methods, a batch's fill methods) are left out: they are not API.
 */
const dts = { entry, compilerOptions: { stripInternal: true } };

/**
 * `src/node.ts` has the one side effect of the package (it loads the addon). The server and the CLI
 * import it for that effect; it stays its own file (`dist/node.*`, listed in `sideEffects`) instead of
 * moving into a shared chunk, where its effect would make every chunk look impure to bundlers.
 */
function nodeEntryExternal(extension: string): Plugin {
  const nodeEntry = resolve('src/node.ts');
  return {
    name: 'node-entry-external',
    setup(build) {
      build.onResolve({ filter: /\/node\.js$/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const target = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        return target === nodeEntry ? { path: `./node${extension}`, external: true } : undefined;
      });
    },
  };
}

const common: Options = {
  entry,
  // the hash of the native sources this build belongs to: src/backend/node-addon.ts loads only a
  // binary whose record (scripts/native-hash.mjs) names the same sources
  define: { __DT_INGEST_NATIVE_SOURCES__: JSON.stringify(nativeSourcesHash('native')) },
  target: 'node20',
  platform: 'neutral',
  // dependencies stay external (tsup's default); node: built-ins too, wherever they appear (only the
  // Node entries reach them: test/dist/browser.test.ts bundles the root for browsers to keep it so)
  external: [/^node:/],
  removeNodeProtocol: false,
  sourcemap: false,
  splitting: true,
  shims: true,
};

export default defineConfig([
  { ...common, format: 'esm', clean: true, esbuildPlugins: [nodeEntryExternal('.js')], dts },
  // the CLI is CommonJS only: bin/dt-ingest.cjs requires it; after this build the inspector's and the
  // playground's pages go into dist/ui (served by `dt-ingest serve`)
  {
    ...common,
    entry: { ...entry, cli: 'src/cli/main.ts' },
    format: 'cjs',
    esbuildPlugins: [nodeEntryExternal('.cjs')],
    dts,
    onSuccess: 'node scripts/build-ui.mjs --quiet',
  },
]);
