/**
 * Helpers of the browser tests: finding a Chromium (Debian's `chromium`, which `.ci/run` installs),
 * launching it headless with the flags this machine needs, a fresh UI build when its sources are
 * newer than `dist/ui`, and where screenshots go (`test-artifacts/screenshots/`, ignored by git).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where a Chromium may be: where `DT_INGEST_CHROMIUM` says (then only there), else the usual paths. */
const CANDIDATES =
  process.env.DT_INGEST_CHROMIUM !== undefined
    ? [process.env.DT_INGEST_CHROMIUM]
    : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The Chromium the tests use, or `undefined` (then they are skipped, saying why). */
export const CHROMIUM: string | undefined = CANDIDATES.find((p) => p !== '' && existsSync(p));

/** Why the browser tests are skipped when they are. */
export const NO_CHROMIUM = `skipped: no Chromium found (looked at ${CANDIDATES.join(', ')}); install Debian's chromium (apt-get install chromium) or set DT_INGEST_CHROMIUM`;

/**
 * The flags Chromium needs here: headless as root without a sandbox, and no background traffic to
 * hosts this machine cannot reach. Playwright adds `--headless` and a fresh `--user-data-dir`.
 */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM!, headless: true, args: FLAGS });
}

export const SCREENSHOTS = join('test-artifacts', 'screenshots');

/** Saves a screenshot of the page as a test artifact; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

function newest(dir: string): number {
  let t = 0;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** Builds the pages again when a source under ui/ is newer than the last build. */
export function ensureUiBuilt(): void {
  const built = join('dist', 'ui', 'sizes.json');
  if (existsSync(built) && statSync(built).mtimeMs >= newest('ui')) return;
  execFileSync(process.execPath, ['scripts/build-ui.mjs', '--quiet'], { stdio: 'inherit' });
}

/** What the page did that it must not: dialogs opened, CSP violations, the flag the attacks set. */
export interface Tripwires {
  dialogs: string[];
  violations: () => Promise<string[]>;
  pwned: () => Promise<unknown>;
}

/** Watches a page for scripts that should never run. Call before the page loads. */
export async function tripwires(page: Page): Promise<Tripwires> {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return {
    dialogs,
    violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
    pwned: () => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned),
  };
}
