// Benchmark of the JSON body validators (issue 3), side by side with ajv compiled from the shipped
// schemas and with JSON.parse alone. Imports the BUILT package (../dist/index.js) unless
// DT_INGEST_ENTRY points elsewhere (e.g. an esbuild bundle of src/events/index.ts).
//
//   node bench/events.mjs
//   DT_INGEST_ENTRY=/tmp/events-bundle.mjs node bench/events.mjs
//
// Bodies are generated deterministically (a seeded PRNG, bench/event-bodies.mjs). For each body the
// peers are TypeBox (compiled), zod and valibot ports of the same shipped schema (bench/peers.mjs).
// Every contender's verdict is checked before timing: it accepts the body and rejects a copy broken in
// its last item, and a number. Numbers are medians of the sample latencies (tinybench p50).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { Bench } from 'tinybench';
import { NOW, genericBody, smartscapeBody, syntheticBody } from './event-bodies.mjs';
import { peers } from './peers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// a relative DT_INGEST_ENTRY is relative to bench/, as for the other bench scripts (they import() it)
const entry = new URL(process.env.DT_INGEST_ENTRY ?? '../dist/index.js', import.meta.url).href;
const lib = await import(entry);
const { validateEvents, validateSmartscapeEvents, validateSyntheticTests } = lib;

const addFormats = addFormatsModule.default ?? addFormatsModule;
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
addFormats(ajv);
const schema = (name) => JSON.parse(readFileSync(join(here, '..', 'schemas', `${name}.schema.json`), 'utf8'));
const ajvGeneric = ajv.compile(schema('generic-events'));
const ajvSmartscape = ajv.compile(schema('smartscape-events'));
const ajvSynthetic = ajv.compile(schema('synthetic-tests'));

// Each schema written by hand in TypeBox (compiled), zod and valibot (bench/peers.mjs; the ports give
// ajv's verdict on these bodies, on one mutation per keyword and on generated JSON:
// test/events/peers.test.ts).
const othersOf = (name) => ({
  'typebox compiled (parsed)': peers[name].typebox,
  'zod (parsed)': peers[name].zod,
  'valibot (parsed)': peers[name].valibot,
});

// --- deterministic bodies (bench/event-bodies.mjs; built in this order) ---------------------------
const generic = genericBody(1_000_000);
const smartscape = smartscapeBody(1500);
const synthetic = syntheticBody(1000);

// A near-valid copy of each body, broken in its last item, that every contender must reject.
const genericBad = [...generic.slice(0, -1), [generic.at(-1)]]; // an array is not an event object
const smartscapeBad = structuredClone(smartscape);
smartscapeBad.at(-1).type = 'HOST'; // the last event has an id: now both identity modes
const syntheticBad = structuredClone(synthetic);
syntheticBad.tests.at(-1).steps.at(-1).id = 1.5; // step id not an integer

const cases = [
  { name: 'generic events, 1 MB array', value: generic, bad: genericBad, ours: validateEvents, ajv: ajvGeneric, ok: 202, others: othersOf('generic-events') },
  { name: 'Smartscape batch, 1,500 events', value: smartscape, bad: smartscapeBad, ours: validateSmartscapeEvents, ajv: ajvSmartscape, ok: 202, others: othersOf('smartscape-events') },
  { name: 'synthetic, 1,000 monitors', value: synthetic, bad: syntheticBad, ours: validateSyntheticTests, ajv: ajvSynthetic, ok: 204, others: othersOf('synthetic-tests') },
];

// Limits raised so every body is judged on content, not size (the Smartscape default is 1 MB).
const options = { now: NOW, eventsMaxBodyBytes: 1e8, smartscapeMaxBodyBytes: 1e8, syntheticMaxBodyBytes: 1e8 };

const rows = [];
for (const c of cases) {
  const text = JSON.stringify(c.value);
  const mb = Buffer.byteLength(text) / 1e6;
  // Check every contender's verdict before timing.
  const check = (label, got, want) => {
    if (got !== want) throw new Error(`${c.name}: ${label} verdict ${got}, expected ${want}`);
  };
  check('ours (parsed)', c.ours(c.value, options).status, c.ok);
  check('ours (text)', c.ours(text, options).status, c.ok);
  check('ajv (parsed)', c.ajv(c.value), true);
  check('JSON.parse + ajv', c.ajv(JSON.parse(text)), true);
  check('ours issues', c.ours(text, options).issues.length, 0);
  check('ours rejects the broken copy', c.ours(c.bad, options).status, 400);
  check('ajv rejects the broken copy', c.ajv(c.bad), false);
  check('ajv rejects a number', c.ajv(42), false);
  for (const [label, fn] of Object.entries(c.others)) {
    check(label, fn(c.value), true);
    check(`${label} rejects the broken copy`, fn(c.bad), false);
    check(`${label} rejects a number`, fn(42), false);
  }

  const bench = new Bench({ time: Number(process.env.BENCH_TIME_MS ?? 400), warmupTime: 200, iterations: 5, warmupIterations: 2 });
  bench
    .add('JSON.parse alone', () => { JSON.parse(text); })
    .add('dt-ingest validate (parsed)', () => { c.ours(c.value, options); })
    .add('ajv validate (parsed)', () => { c.ajv(c.value); })
    .add('dt-ingest parse + validate (text)', () => { c.ours(text, options); })
    .add('JSON.parse + ajv', () => { c.ajv(JSON.parse(text)); });
  for (const [label, fn] of Object.entries(c.others)) bench.add(label, () => { fn(c.value); });
  await bench.run();
  const opsOf = (t) => 1000 / t.result.latency.p50;
  const parseOps = opsOf(bench.tasks[0]);
  const ajvOps = opsOf(bench.tasks[2]);
  for (const t of bench.tasks) {
    const ops = opsOf(t);
    rows.push({ body: `${c.name} (${mb.toFixed(2)} MB)`, task: t.name, ops, mbps: ops * mb, vsParse: ops / parseOps, vsAjv: t.name.includes('(parsed)') ? ops / ajvOps : undefined });
  }
}

console.log(`### JSON bodies (${new Date().toISOString()} · Node ${process.version} · ${os.cpus()[0]?.model ?? 'cpu'}; verdicts checked before timing; "(parsed)" validates an already parsed value, "(text)" parses and validates)\n`);
console.log('| body | contender | ops/s | MB/s | × JSON.parse | × ajv (parsed) |');
console.log('|---|---|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.body} | ${r.task} | ${r.ops.toFixed(1)} | ${r.mbps.toFixed(1)} | ${r.vsParse.toFixed(2)} | ${r.vsAjv === undefined ? '' : r.vsAjv.toFixed(2)} |`);
}
