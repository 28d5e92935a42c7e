#!/usr/bin/env node
// Checks the package as npm would publish it: packs it (without running scripts: dist/ must be built)
// and runs publint (--strict: warnings fail too) and @arethetypeswrong/cli on the tarball. Both must
// report nothing. `npm test` runs it after the build; `npm run lint:package` alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// the tools' bin links (publint's exports hide its package.json)
const bin = (name) => join(root, 'node_modules', '.bin', name);

const dir = mkdtempSync(join(tmpdir(), 'dt-ingest-pack-'));
let failed = false;
try {
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: root, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const tarball = join(dir, pack.stdout.trim().split('\n').pop());
  for (const [label, args] of [
    ['publint', [bin('publint'), 'run', tarball, '--strict']],
    ['attw', [bin('attw'), tarball, '--format', 'table-flipped', '--no-emoji']],
  ]) {
    console.log(`--- ${label}`);
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) {
      console.error(`${label}: FAILED (exit ${r.status})`);
      failed = true;
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
