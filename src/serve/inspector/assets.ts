/**
 * The inspector's and the playground's files, built by the package's own build (`scripts/build-ui.mjs`,
 * run by `npm run build`) into `dist/ui/`, read once and served from memory (gzipped too when the
 * browser takes it). Nothing comes from elsewhere: no CDN, no inline script or style, so the pages
 * run under a strict Content-Security-Policy.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * The policy of the pages: scripts, styles and connections from this server only, no inline script
 * or style, no plugins, no frames, no forms; violations are reported to the server.
 * @example res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY)
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; report-uri _dt-ingest/ui/api/csp-report";

/**
 * Headers of every page and file the inspector serves.
 * @example res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/html' })
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
});

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

/**
 * One file, ready to send.
 * @example new AssetStore().get('inspector.html')?.etag // '"1a2b3c4d-2a0"'
 */
export interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer | undefined;
  etag: string;
}

/**
 * Finds `dist/ui` from this module's place: beside it in the built package (`dist/*.js`), or at the
 * package root's `dist/ui` when running from the sources.
 */
function findUiDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 6; k++) {
    for (const candidate of [join(dir, 'ui'), join(dir, 'dist', 'ui')]) if (existsSync(join(candidate, 'inspector.html'))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

function etagOf(body: Buffer): string {
  // FNV-1a over the bytes: a change of the build changes it
  let h = 0x811c9dc5;
  for (let i = 0; i < body.length; i++) h = Math.imul(h ^ body[i]!, 0x01000193);
  return `"${(h >>> 0).toString(16)}-${body.length.toString(16)}"`;
}

/**
 * The built files by name (`inspector.html`, `playground.html`, `assets/inspector.js`, ...), read on
 * first use. Names come from the directory listing, never from a request path, so no request can
 * reach another file.
 * @example const assets = new AssetStore(); assets.get('assets/inspector.js')?.type // 'text/javascript; charset=utf-8'
 */
export class AssetStore {
  private files: Map<string, Asset> | undefined;
  /** The folder the files come from, or `undefined` when the UI was not built. */
  readonly dir: string | undefined;

  /** @param dir the built UI folder (default: found from this module's place) */
  constructor(dir?: string) {
    this.dir = dir ?? findUiDir();
  }

  /** The file with this name, or `undefined`. */
  get(name: string): Asset | undefined {
    if (this.files === undefined) this.files = this.load();
    return this.files.get(name);
  }

  private load(): Map<string, Asset> {
    const out = new Map<string, Asset>();
    if (this.dir === undefined) return out;
    const add = (name: string, path: string): void => {
      const dot = name.lastIndexOf('.');
      const type = TYPES[dot < 0 ? '' : name.slice(dot)];
      if (type === undefined) return;
      const body = readFileSync(path);
      out.set(name, { type, body, gzip: body.length > 1024 ? gzipSync(body, { level: 9 }) : undefined, etag: etagOf(body) });
    };
    for (const name of readdirSync(this.dir)) if (name.endsWith('.html')) add(name, join(this.dir, name));
    const assets = join(this.dir, 'assets');
    if (existsSync(assets)) for (const name of readdirSync(assets)) add(`assets/${name}`, join(assets, name));
    return out;
  }
}
