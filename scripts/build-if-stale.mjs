#!/usr/bin/env node
// `prepare` (npm install in a checkout, npm pack, npm publish): builds dist/ with tsup unless it was
// built by this script from exactly the current inputs, so `npm pack` after a build packs at once
// instead of rebuilding everything. The inputs' identity is a SHA-256 over the files the build reads
// (src/, ui/, the native sources whose hash is baked in, the build's configuration), by name and
// content, kept in dist/.build-inputs. A build by other means (`npx tsup`) writes no record, so the
// next `prepare` builds again: a stale dist/ is never packed.
//
//   node scripts/build-if-stale.mjs           builds when the inputs changed (or dist/ has no record)
//   node scripts/build-if-stale.mjs --check   only says whether dist/ is fresh (exit 0) or not (exit 1)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const INPUTS = [
  'src',
  'ui',
  'native/src',
  'native/binding.gyp',
  'tsup.config.ts',
  'tsconfig.json',
  'package.json',
  'scripts/build-ui.mjs',
  'scripts/native-hash.mjs',
];
const RECORD = join(root, 'dist', '.build-inputs');

function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { recursive: true })
    .map((f) =>
      relative(root, join(full, String(f)))
        .split('\\')
        .join('/'),
    )
    .filter((f) => !f.includes('node_modules') && statSync(join(root, f)).isFile());
}

/** Hex SHA-256 over every input file, by name and content. */
export function inputsHash() {
  const hash = createHash('sha256');
  for (const f of INPUTS.flatMap(files).sort())
    hash
      .update(`${f}\0`)
      .update(readFileSync(join(root, f)))
      .update('\0');
  return hash.digest('hex');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const want = inputsHash();
  const have = existsSync(RECORD) ? readFileSync(RECORD, 'utf8').trim() : '';
  const fresh = have === want && existsSync(join(root, 'dist', 'cli.cjs'));
  if (process.argv.includes('--check')) process.exit(fresh ? 0 : 1);
  if (fresh) {
    console.log('dt-ingest: dist/ is up to date (built from the current sources); not rebuilt');
    process.exit(0);
  }
  const tsup = join(dirname(createRequire(import.meta.url).resolve('tsup/package.json')), 'dist', 'cli-default.js');
  const r = spawnSync(process.execPath, [tsup, '--silent'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  writeFileSync(RECORD, `${want}\n`);
}
