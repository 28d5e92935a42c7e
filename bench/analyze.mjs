#!/usr/bin/env node
// `dt-ingest analyze` against validate-only on the same lines: taskset -c 1 node bench/analyze.mjs
//
// The goal (issue 25): the cardinality analyzer reads lines at >= 0.5x the speed of the TypeScript
// validator in validate-only mode (`new MetricsValidator(options, { issues: false })`), and of
// `validateMetrics` (the rich report). Contenders run in interleaved rounds on the same bytes (a 1 MB
// exporter-like body, bench/corpus.mjs, pushed in 64 KB chunks), CPU time (process.cpuUsage), each
// round giving a ratio to validate-only measured right beside it; the table shows the medians over
// the rounds and the spread (min-max) of the ratio. Four corpora: 'exporter' (as the other benches:
// random host ids make about half of its lines new series), 'scrapes' (its first tenth sent ten
// times, as an exporter repeats its series every interval), 'volatile' (the exporter lines with a
// UUID request id on every count line, so the tuple counters turn into sketches), and 'wide' (seven
// more dimensions per line).
//
// The analyzer is bundled from src/ with esbuild (no dist rebuild needed); the validator comes from the
// same bundle, so both run the same code the CLI runs.
//
// Flags: --rounds N (default 9), --quick (3 rounds), --json
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { median, time } from './byte-loop.mjs';
import { generateCorpus, NOW, rng } from './corpus.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const ROUNDS = Number(args.indexOf('--rounds') >= 0 ? args[args.indexOf('--rounds') + 1] : quick ? 3 : 9);
const MIN_MS = quick ? 60 : 200;
const root = fileURLToPath(new URL('..', import.meta.url));

// bundle the analyzer and the validator from the sources
const dir = mkdtempSync(join(tmpdir(), 'dt-analyze-bench-'));
const entry = join(dir, 'entry.ts');
writeFileSync(
  entry,
  `export { MetricsValidator, validateMetrics } from ${JSON.stringify(join(root, 'src/index.ts'))};\nexport { LineProtocolAnalyzer } from ${JSON.stringify(join(root, 'src/analyze/index.ts'))};\n`,
);
const out = join(dir, 'bundle.mjs');
await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'error' });
const lib = await import(pathToFileURL(out).href);
rmSync(dir, { recursive: true, force: true });

const enc = new TextEncoder();
const opts = { now: NOW, backend: 'js', maxBodyBytes: Number.POSITIVE_INFINITY };

/** The exporter corpus, optionally with a volatile request id on count lines, or ten dimensions per line. */
function corpus(kind) {
  const c = generateCorpus({ bytes: 1_000_000, now: NOW });
  let text = c.text;
  if (kind === 'volatile') {
    const r = rng(7);
    const hex = () =>
      Math.floor(r() * 0x1_0000_0000)
        .toString(16)
        .padStart(8, '0');
    text = text.replace(
      /^([^ ,#][^ ,]*)((?:,[^ ]*)?) count,/gm,
      (_all, key, dims) =>
        `${key}${dims},request_id=${hex()}-${hex().slice(0, 4)}-4${hex().slice(0, 3)}-8${hex().slice(0, 3)}-${hex()}${hex().slice(0, 4)} count,`,
    );
  } else if (kind === 'scrapes') {
    // what an exporter sends: the same series every interval (the first tenth of the corpus, ten times)
    const all = text.split('\n');
    const once = all.slice(0, Math.floor(all.length / 10)).join('\n');
    text = `${Array.from({ length: 10 }, () => once).join('\n')}\n`;
  } else if (kind === 'wide') {
    text = text.replace(
      /^([^ ,#][^ ,]*)((?:,[^ ]*)?) /gm,
      (_all, key, dims) => `${key}${dims},region=eu-west-1,zone=eu-west-1a,cluster=prod-7,namespace=shop,pod=shop-5d8f7-abcde,container=app,team=payments `,
    );
  }
  const body = enc.encode(text);
  const chunks = [];
  for (let i = 0; i < body.length; i += 65536) chunks.push(body.subarray(i, i + 65536));
  return { body, text, chunks, lines: text.split('\n').length - 1, metadata: text.split('\n').filter((l) => l.startsWith('#')).length };
}

const contenders = {
  'validate-only': (input) => {
    const v = new lib.MetricsValidator(opts, { issues: false });
    for (const c of input.chunks) v.push(c);
    return v.end().body.linesOk;
  },
  validateMetrics: (input) => lib.validateMetrics(input.body, opts).body.linesOk,
  analyze: (input) => {
    const a = new lib.LineProtocolAnalyzer({}, opts);
    for (const c of input.chunks) a.push(c);
    a.end();
    return a.analyzer.points + input.metadata;
  },
  'analyze+report': (input) => {
    const a = new lib.LineProtocolAnalyzer({}, opts);
    for (const c of input.chunks) a.push(c);
    a.end();
    a.report();
    return a.analyzer.points + input.metadata;
  },
};

const rows = [];
for (const kind of ['exporter', 'scrapes', 'volatile', 'wide']) {
  const input = corpus(kind);
  // check every contender before timing it: the same lines accepted (metadata lines are OK lines of
  // the validator, and no point of the analyzer)
  const ok = contenders['validate-only'](input);
  for (const [name, f] of Object.entries(contenders)) {
    const n = f(input);
    if (n !== ok) throw new Error(`${kind}: ${name} counted ${n} points, validate-only ${ok} lines OK`);
  }
  const per = Object.fromEntries(Object.keys(contenders).map((k) => [k, { ms: [], ratio: [] }]));
  for (let r = 0; r < ROUNDS; r++) {
    const base = time(contenders['validate-only'], input, MIN_MS);
    for (const [name, f] of Object.entries(contenders)) {
      const ms = name === 'validate-only' ? base : time(f, input, MIN_MS);
      per[name].ms.push(ms);
      per[name].ratio.push(base / ms);
    }
  }
  for (const [name, p] of Object.entries(per)) {
    rows.push({
      corpus: kind,
      contender: name,
      mbPerS: input.body.length / 1e6 / (median(p.ms) / 1000),
      ratio: median(p.ratio),
      min: Math.min(...p.ratio),
      max: Math.max(...p.ratio),
    });
  }
}

const env = { date: new Date().toISOString(), cpu: `${cpus()[0]?.model ?? '?'} (${cpus().length} cores)`, node: process.version, rounds: ROUNDS };
if (args.includes('--json')) console.log(JSON.stringify({ env, rows }, null, 2));
else {
  console.log(`# analyze vs validate-only (${env.date}; ${env.cpu}; Node ${env.node}; ${ROUNDS} interleaved rounds, CPU time)\n`);
  console.log('| corpus | contender | MB/s | × validate-only (median) | spread (min-max) |');
  console.log('|---|---|---:|---:|---|');
  for (const r of rows)
    console.log(`| ${r.corpus} | ${r.contender} | ${r.mbPerS.toFixed(1)} | ${r.ratio.toFixed(2)} | ${r.min.toFixed(2)}-${r.max.toFixed(2)} |`);
}
