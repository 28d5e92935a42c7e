import { resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';
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
 * (the parser's sink methods, a batch's fill methods) are left out: they are not API. One config for
 * both formats, so one declaration pass (one TypeScript program) writes `.d.ts` and `.d.cts`: a
 * config per format type-checked everything twice, most of a fresh clone's set-up time.
 */
const dts = { entry, compilerOptions: { stripInternal: true } };

/**
 * `src/node.ts` has the one side effect of the package (it loads the addon). The server and the CLI
 * import it for that effect; it stays its own file (`dist/node.*`, listed in `sideEffects`) instead of
 * moving into a shared chunk, where its effect would make every chunk look impure to bundlers.
 */
function nodeEntryExternal(): Plugin {
  const nodeEntry = resolve('src/node.ts');
  return {
    name: 'node-entry-external',
    setup(build) {
      // the output extension of this format's build (tsup builds CommonJS with code splitting as ESM
      // and converts it afterwards, so the format option does not tell; the extension does)
      const extension = build.initialOptions.outExtension?.['.js'] ?? '.js';
      build.onResolve({ filter: /\/node\.js$/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const target = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        return target === nodeEntry ? { path: `./node${extension}`, external: true } : undefined;
      });
    },
  };
}

export default defineConfig({
  // the CLI is CommonJS: bin/dt-ingest.cjs requires dist/cli.cjs (its ESM twin, dist/cli.js, is
  // left out of the package: package.json "files")
  entry: { ...entry, cli: 'src/cli/main.ts' },
  format: ['esm', 'cjs'],
  clean: true,
  esbuildPlugins: [nodeEntryExternal()],
  dts,
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
  // after the build the inspector's and the playground's pages go into dist/ui (served by `dt-ingest serve`)
  onSuccess: 'node scripts/build-ui.mjs --quiet',
});
