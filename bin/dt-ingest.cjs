#!/usr/bin/env node
'use strict';
// Thin shim: the CLI lives in dist/cli.cjs (built by `npm run build`, which `npm ci` runs via `prepare`).
// A closed pipe (`dt-ingest ... | head`) ends the run quietly instead of with a stack trace.
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
const { runCli } = require('../dist/cli.cjs');
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
