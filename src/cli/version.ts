/**
 * The package version, read from package.json at run time (never a literal), so `npm version` is
 * all a release needs.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's name in package.json, to recognise its own file while walking up. */
const PACKAGE_NAME = 'dt-ingest';

let cached: string | undefined;
let cachedRoot: string | undefined;

/**
 * The version in the package.json of dt-ingest, found by walking up from this module's file (it is
 * `src/cli/` in the repository and `dist/` in the package). `'unknown'` if none is found.
 * @example packageVersion() // '0.1.0'
 */
export function packageVersion(): string {
  if (cached === undefined) findPackage();
  return cached!;
}

/**
 * The directory of dt-ingest's package.json (the package root: `dist/`, `docs/`, `scripts/`), or
 * `undefined` if none is found.
 * @example join(packageRoot()!, 'docs', 'cli.md')
 */
export function packageRoot(): string | undefined {
  if (cached === undefined) findPackage();
  return cachedRoot;
}

function findPackage(): void {
  cached = 'unknown';
  let dir: string;
  try {
    dir = dirname(fileURLToPath(import.meta.url));
  } catch {
    return;
  }
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') {
        cached = pkg.version;
        cachedRoot = dir;
        break;
      }
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
}
