import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli/main.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  target: 'node20',
  platform: 'node',
  sourcemap: false,
  clean: true,
  splitting: false,
  shims: true,
  // the inspector's and the playground's pages into dist/ui (served by `dt-ingest serve`)
  onSuccess: 'node scripts/build-ui.mjs --quiet',
});
