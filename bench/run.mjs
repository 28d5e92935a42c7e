// `npm run bench`: every contender in a fresh process (pinned to one core where `taskset` exists),
// each run measuring the in-process byte-loop baseline too; medians over RUNS runs; one markdown
// table printed and written to bench/RESULTS.md with date, CPU, Node and V8 versions and input sizes,
// then the suites of the other scripts (hot path, JSON bodies, allocation, scaling, native) and the
// server's CPU per MB (`bench/serve.mjs --cpu`, RUNS rounds at 4 and 16 connections), each section
// naming its own command.
//
// Flags: --runs N (default 5), --quick (1 run, short timing; for smoke tests), --only <substring>.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, def) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : def);
const quick = flag('--quick');
const RUNS = Number(value('--runs', quick ? 1 : 5));
const only = value('--only', '');

if (!existsSync(join(here, '../dist/node.js'))) {
  console.error('bench: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const pin = spawnSync('taskset', ['-c', '1', 'true']).status === 0 ? ['taskset', '-c', '1'] : [];
const median = (a) => {
  const s = a.slice().sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function measure(script, argv) {
  const results = [];
  for (let r = 0; r < RUNS; r++) {
    const cmd = [...pin, process.execPath, join(here, script), ...argv];
    const p = spawnSync(cmd[0], cmd.slice(1), {
      encoding: 'utf8',
      env: { ...process.env, BENCH_TIME_MS: quick ? '200' : (process.env.BENCH_TIME_MS ?? '400') },
    });
    const line = p.stdout.trim().split('\n').pop();
    let json;
    try {
      json = JSON.parse(line);
    } catch {
      json = { error: (p.stderr || p.stdout).trim().split('\n').slice(-3).join(' ') };
    }
    if (json.error) return json;
    results.push(json);
  }
  const first = results[0];
  return {
    ...first,
    medianMs: median(results.map((x) => x.medianMs)),
    baselineMs: median(results.map((x) => x.baselineMs)),
    ratio: median(results.map((x) => x.baselineMs / x.medianMs)),
  };
}

const METRICS = {
  scenarios: ['body-1mb', 'body-1mb-10pct-invalid', 'stream-64mb', 'stream-64mb-10pct-invalid'],
  contenders: [
    'byte-loop',
    'split2',
    'naive-split',
    'dt-validate-js',
    'dt-validate-native',
    'dt-parse-typed',
    'dt-parse-typed-native',
    'udsv',
    'papaparse',
    'json-parse-ndjson',
  ],
};

const rows = [];
for (const scenario of METRICS.scenarios) {
  for (const contender of METRICS.contenders) {
    const name = `${scenario} ${contender}`;
    if (only && !name.includes(only)) continue;
    const r = measure('worker.mjs', [scenario, contender]);
    rows.push({ scenario, contender, ...r });
    process.stderr.write(`bench: ${name}: ${r.error ?? (r.bytes / 1e6 / (r.medianMs / 1e3)).toFixed(1) + ' MB/s'}\n`);
  }
}

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');
const table = [
  '| scenario | contender | input MB | MB/s | lines/s | × byte loop (same process) | × naive split (lines/s) |',
  '|---|---|---:|---:|---:|---:|---:|',
];
for (const r of rows) {
  if (r.error) {
    table.push(
      `| ${r.scenario} | ${r.contender} | ${r.error.includes('not built') || r.error.includes('native') ? 'n/a (no native build)' : 'error: ' + r.error.slice(0, 80)} | | | |`,
    );
    continue;
  }
  const naive = rows.find((x) => x.scenario === r.scenario && x.contender === 'naive-split' && !x.error);
  const mbps = r.bytes / 1e6 / (r.medianMs / 1e3);
  const vsNaive = naive ? naive.medianMs / r.medianMs : NaN;
  table.push(
    `| ${r.scenario} | ${r.contender} | ${fmt(r.bytes / 1e6, 1)} | ${fmt(mbps)} | ${fmt(r.lines / (r.medianMs / 1e3), 0)} | ${fmt(r.ratio, 2)} | ${fmt(vsNaive, 2)} |`,
  );
}

// the error path: cost per line with 10 percent invalid lines over the clean cost (must stay <= 2).
// Each cost is in units of the byte loop measured in the same process (1 / ratio), so the comparison
// of two scenarios run in different processes does not take in the machine's drift between them.
const errorPath = [
  '',
  '| contender | 1 MB body: 10% invalid / clean (per line) | 64 MB stream: 10% invalid / clean (per line) | within 2x |',
  '|---|---:|---:|---|',
];
for (const c of METRICS.contenders.filter((x) => x !== 'byte-loop')) {
  const per = (sc) => {
    const r = rows.find((x) => x.scenario === sc && x.contender === c && !x.error);
    return r ? 1 / r.ratio / r.lines : NaN;
  };
  const body = per('body-1mb-10pct-invalid') / per('body-1mb');
  const stream = per('stream-64mb-10pct-invalid') / per('stream-64mb');
  if (!Number.isFinite(body) && !Number.isFinite(stream)) continue;
  errorPath.push(`| ${c} | ${fmt(body, 2)} | ${fmt(stream, 2)} | ${Math.max(body, stream) <= 2 ? 'yes' : 'NO'} |`);
}
table.push(...errorPath);

// optional suites contributed by other families (each prints its own markdown table)
const extra = [];
for (const script of ['hotpath.mjs', 'events.mjs', 'json-depth.mjs', 'alloc.mjs', 'scaling.mjs', 'native.mjs']) {
  if (only || !existsSync(join(here, script))) continue;
  const cmd = [...pin, process.execPath, join(here, script), ...(quick ? ['--quick'] : [])];
  const p = spawnSync(cmd[0], cmd.slice(1), {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      BENCH_TIME_MS: quick ? '200' : (process.env.BENCH_TIME_MS ?? '400'),
      DT_INGEST_ENTRY: process.env.DT_INGEST_ENTRY ?? '../dist/node.js',
    },
  });
  extra.push(p.status === 0 ? p.stdout.trim() : `(${script} failed: ${(p.stderr || '').trim().split('\n').pop()})`);
}

// the server's CPU per MB beside the bare validator (bench/serve.mjs pins its own processes: the
// server and the validator to core 1, the load generator to core 0, so it is not run under `pin`)
if (!only && existsSync(join(here, 'serve.mjs'))) {
  const serveArgs = quick ? ['--rounds', '1', '--seconds', '1', '--connections', '4'] : ['--rounds', String(RUNS), '--seconds', '3', '--connections', '4,16'];
  const p = spawnSync(process.execPath, [join(here, 'serve.mjs'), '--cpu', ...serveArgs], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  extra.push(p.status === 0 ? p.stdout.trim() : `(serve.mjs --cpu failed: ${(p.stderr || p.stdout || '').trim().split('\n').pop()})`);
}

const pkg = JSON.parse(readFileSync(join(here, '../package.json'), 'utf8'));
const header = [
  `# Benchmark results`,
  '',
  `- date: ${new Date().toISOString()}`,
  `- CPU: ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores; runs pinned to core 1: ${pin.length ? 'yes' : 'no'})`,
  `- Node ${process.versions.node}, V8 ${process.versions.v8}, dt-ingest ${pkg.version}`,
  `- inputs: 1 MB bodies (about 8,300 exporter-style lines) and a 64 MB stream pushed in 64 KB chunks; 10 percent invalid variants`,
  `- contenders: dt-ingest validate-only (TypeScript, native) and typed parse (every point built; TypeScript, native); a naive split/regex validator; a plain byte loop (the floor); split2 (line splitting alone); uDSV and papaparse on a CSV rendering and JSON.parse per line on an NDJSON rendering of the same records (an invalid line is a record without value, so line and error counts are checked for every contender before timing; "input MB" is the size of the contender's own input)`,
  `- each figure: median of ${RUNS} runs, each in a fresh process; "× byte loop" is the contender's speed divided by a plain loop reading every byte, measured in the same process`,
  `- command: \`npm run bench\``,
  '',
];
// each suite after a blank line, so its heading starts a block of its own
const out = [...header, ...table, '', ...extra.flatMap((suite) => [suite, ''])].join('\n');
process.stdout.write(out);
if (!quick && !only) {
  writeFileSync(join(here, 'RESULTS.md'), out);
  // docs/performance.md shows the latest full run (its generated region, with the other tables)
  spawnSync(process.execPath, [join(here, '../scripts/gen-docs.mjs')], { stdio: 'inherit' });
}
