#!/usr/bin/env node
// Builds the inspector and the playground (ui/) with esbuild into dist/ui/, served by
// `dt-ingest serve` (src/serve/inspector/assets.ts): one HTML page each, their scripts and one style
// sheet, no inline script or style, nothing from a CDN. Run by `npm run build` (tsup's onSuccess).
//
//   node scripts/build-ui.mjs                 # dist/ui/ (prints the sizes, raw and gzipped)
//   node scripts/build-ui.mjs --static DIR    # the playground alone as a static site in DIR
//   node scripts/build-ui.mjs --quiet
//
// Writes dist/ui/sizes.json ({ file: { bytes, gzip } }); a test keeps the gzipped total under 100 KB.
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const staticAt = args.indexOf('--static');

const common = {
  bundle: true,
  format: 'esm',
  target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
  minify: true,
  legalComments: 'none',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  logLevel: 'silent',
  write: false,
  charset: 'utf8',
  define: { 'process.env.NODE_ENV': '"production"' },
};

function page({ title, script, assets, description }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="${description}">
<title>${title}</title>
<link rel="icon" href="${assets}icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${assets}app.css">
<script type="module" src="${assets}${script}"></script>
</head>
<body>
<div id="app"><noscript>This page needs JavaScript.</noscript></div>
</body>
</html>
`;
}

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f6feb"/><path d="M7 10h18M7 16h12M7 22h15" stroke="#fff" stroke-width="3" stroke-linecap="round"/><circle cx="24" cy="16" r="3" fill="#3fb950"/></svg>\n`;

async function bundle(entry, extra = {}) {
  const r = await build({ ...common, entryPoints: [join(root, entry)], outfile: 'out.js', ...extra });
  return r.outputFiles[0].contents;
}

async function styles() {
  const r = await build({ ...common, entryPoints: [join(root, 'ui/shared/app.css')], outfile: 'app.css', loader: { '.css': 'css' } });
  return r.outputFiles[0].contents;
}

/** Writes files ({ relative name: bytes|string }) under dir; returns their sizes. */
function writeAll(dir, files) {
  const sizes = {};
  for (const [name, body] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, body);
    const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
    sizes[name] = { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  }
  return sizes;
}

function report(label, sizes) {
  if (quiet) return;
  const kb = (n) => (n / 1024).toFixed(1) + ' KB';
  let raw = 0;
  let gz = 0;
  for (const [name, s] of Object.entries(sizes)) {
    raw += s.bytes;
    gz += s.gzip;
    console.log(`  ${name.padEnd(26)} ${kb(s.bytes).padStart(9)}  gzip ${kb(s.gzip).padStart(8)}`);
  }
  console.log(`  ${label.padEnd(26)} ${kb(raw).padStart(9)}  gzip ${kb(gz).padStart(8)}`);
}

const css = await styles();
const playground = await bundle('ui/playground/main.tsx');
const description = 'dt-ingest: validate Dynatrace ingest payloads as the endpoints judge them';

if (staticAt >= 0) {
  const dir = resolve(args[staticAt + 1] ?? 'playground-site');
  rmSync(dir, { recursive: true, force: true });
  const sizes = writeAll(dir, {
    'index.html': page({ title: 'dt-ingest playground', script: 'playground.js', assets: 'assets/', description }),
    'assets/playground.js': playground,
    'assets/app.css': css,
    'assets/icon.svg': ICON,
  });
  if (!quiet) console.log(`dt-ingest playground, static site in ${dir}:`);
  report('total', sizes);
} else {
  const inspector = await bundle('ui/inspector/main.tsx');
  const dir = join(root, 'dist', 'ui');
  rmSync(dir, { recursive: true, force: true });
  const assets = '_dt-ingest/ui/assets/';
  const sizes = writeAll(dir, {
    'inspector.html': page({ title: 'dt-ingest inspector', script: 'inspector.js', assets, description }),
    'playground.html': page({ title: 'dt-ingest playground', script: 'playground.js', assets, description }),
    'assets/inspector.js': inspector,
    'assets/playground.js': playground,
    'assets/app.css': css,
    'assets/icon.svg': ICON,
  });
  writeFileSync(join(dir, 'sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
  if (!quiet) console.log('dt-ingest ui (dist/ui):');
  report('total', sizes);
}
