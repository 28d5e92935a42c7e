#!/usr/bin/env node
'use strict';
// Thin shim: the CLI lives in dist/cli.cjs (built by `npm run build`, which `npm ci` runs via `prepare`).
// A failed write (EPIPE when the reader of `dt-ingest ... | head` goes away, a full disk) is reported
// by the CLI itself as one line and exit code 2; these listeners only keep a failure that comes after
// its last write from ending the process with an unhandled 'error' event.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
const { runCli } = require('../dist/cli.cjs');
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
