/**
 * The built package under test: `npm test` builds dist/ before vitest runs; a run of these files alone
 * builds it when it is missing (run `npx tsup` after changing src/ to test the change).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root (the package), with a trailing slash. */
export const root = fileURLToPath(new URL('../../', import.meta.url));

/** Files every entry of the exports map points to. */
export const BUILT_FILES = ['index', 'node', 'serve']
  .flatMap((e) => [`dist/${e}.js`, `dist/${e}.cjs`, `dist/${e}.d.ts`, `dist/${e}.d.cts`])
  .concat('dist/cli.cjs');

/** Builds dist/ when a file is missing. */
export function ensureBuilt(): void {
  if (BUILT_FILES.every((f) => existsSync(root + f))) return;
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
}
