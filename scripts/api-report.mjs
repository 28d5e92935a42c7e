#!/usr/bin/env node
// The public API report: @microsoft/api-extractor reads the built declarations of each entry point
// (dist/index.d.ts: the runtime-neutral root; dist/node.d.ts: the `node` condition; dist/serve.d.ts:
// dt-ingest/serve) and writes their exported surface, without the docs, to etc/<entry>.api.md.
//
//   node scripts/api-report.mjs           check: fails when the surface differs from etc/ (npm test)
//   node scripts/api-report.mjs --update  rewrites etc/ (npm run api:update): commit the change as a decision
//
// A public signature that names a type the entry does not export fails too (ae-forgotten-export):
// an internal type leaking into the API is a decision as well.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const update = process.argv.includes('--update');
const ENTRIES = [
  { name: 'dt-ingest', dts: 'dist/index.d.ts' },
  { name: 'dt-ingest-node', dts: 'dist/node.d.ts' },
  { name: 'dt-ingest-serve', dts: 'dist/serve.d.ts' },
];

const temp = join(root, 'node_modules', '.cache', 'api-report');
mkdirSync(temp, { recursive: true });
let failed = false;
for (const entry of ENTRIES) {
  const dts = join(root, entry.dts);
  if (!existsSync(dts)) {
    console.error(`api-report: ${entry.dts} is missing; run npm run build first`);
    process.exit(2);
  }
  const config = ExtractorConfig.prepare({
    // the configuration is this object (there is no api-extractor.json); the path anchors relative paths
    configObjectFullPath: join(root, 'api-extractor.json'),
    packageJsonFullPath: join(root, 'package.json'),
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: dts,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            lib: ['ES2022', 'DOM'],
            types: ['node'],
            strict: true,
            skipLibCheck: true,
          },
          files: [dts],
        },
      },
      apiReport: { enabled: true, reportFolder: join(root, 'etc'), reportTempFolder: temp, reportFileName: `${entry.name}.api.md` },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        extractorMessageReporting: {
          default: { logLevel: 'warning' },
          'ae-missing-release-tag': { logLevel: 'none' },
          // members are documented where they need it; every export has TSDoc (the brief's rule, not this tool's)
          'ae-undocumented': { logLevel: 'none' },
          'ae-internal-missing-underscore': { logLevel: 'none' },
          'ae-forgotten-export': { logLevel: 'error', addToApiReportFile: false },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
  });
  const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false });
  const changed = result.apiReportChanged;
  console.log(
    `${entry.name}: ${result.succeeded ? (changed ? (update ? 'report updated' : 'CHANGED') : 'unchanged') : 'FAILED'} (${result.errorCount} errors, ${result.warningCount} warnings)`,
  );
  if (!result.succeeded || result.warningCount > 0) failed = true;
}
if (failed && !update)
  console.error(
    'api-report: the public API differs from etc/*.api.md (or leaks an internal type). If the change is intended, run `npm run api:update` and commit etc/.',
  );
process.exit(failed ? 1 : 0);
