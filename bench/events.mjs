// Benchmark of the JSON body validators (issue 3), side by side with ajv compiled from the shipped
// schemas and with JSON.parse alone. Imports the BUILT package (../dist/index.js) unless
// DT_INGEST_ENTRY points elsewhere (e.g. an esbuild bundle of src/events/index.ts).
//
//   node bench/events.mjs
//   DT_INGEST_ENTRY=/tmp/events-bundle.mjs node bench/events.mjs
//
// Bodies are generated deterministically (a seeded PRNG). Every contender's verdict is checked before
// timing. Numbers are medians of the sample latencies (tinybench p50).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { Bench } from 'tinybench';
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { z } from 'zod';
import * as v from 'valibot';

const here = dirname(fileURLToPath(import.meta.url));
const entry = process.env.DT_INGEST_ENTRY ? pathToFileURL(resolve(process.env.DT_INGEST_ENTRY)).href : new URL('../dist/index.js', import.meta.url).href;
const lib = await import(entry);
const { validateEvents, validateSmartscapeEvents, validateSyntheticTests } = lib;

const addFormats = addFormatsModule.default ?? addFormatsModule;
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
addFormats(ajv);
const schema = (name) => JSON.parse(readFileSync(join(here, '..', 'schemas', `${name}.schema.json`), 'utf8'));
const ajvGeneric = ajv.compile(schema('generic-events'));
const ajvSmartscape = ajv.compile(schema('smartscape-events'));
const ajvSynthetic = ajv.compile(schema('synthetic-tests'));

// The generic events schema (schemas/generic-events.schema.json: one event object or an array of
// them, any keys, any values) written in TypeBox (compiled), zod and valibot. The Smartscape and
// synthetic schemas are only compiled with ajv (hand ports would not be the same contract).
const tbEvent = Type.Object({ timestamp: Type.Optional(Type.Unknown()) }, { additionalProperties: true });
const tbGeneric = TypeCompiler.Compile(Type.Union([tbEvent, Type.Array(tbEvent)]));
const zEvent = z.looseObject({ timestamp: z.unknown().optional() });
const zGeneric = z.union([zEvent, z.array(zEvent)]);
const vEvent = v.looseObject({ timestamp: v.optional(v.unknown()) });
const vGeneric = v.union([vEvent, v.array(vEvent)]);
const genericOthers = {
  'typebox compiled (parsed)': (x) => tbGeneric.Check(x),
  'zod (parsed)': (x) => zGeneric.safeParse(x).success,
  'valibot (parsed)': (x) => v.safeParse(vGeneric, x).success,
};

// --- deterministic bodies ---------------------------------------------------------------------
let seed = 0x2f6b1d;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const pick = (a) => a[Math.floor(rand() * a.length)];
const hex16 = () => Array.from({ length: 16 }, () => '0123456789ABCDEF'[Math.floor(rand() * 16)]).join('');
const NOW = Date.UTC(2024, 0, 1);

function genericBody(targetBytes) {
  const events = [];
  let size = 2;
  for (let i = 0; size < targetBytes; i++) {
    const ev = {
      'event.type': pick(['CUSTOM_INFO', 'CUSTOM_ALERT', 'AVAILABILITY_EVENT']),
      'event.id': i,
      title: `Event number ${i} from the benchmark generator`,
      timestamp: NOW - Math.floor(rand() * 3_600_000),
      'dt.source_entity': `HOST-${hex16()}`,
      'event.provider': 'bench',
      properties: { region: pick(['eu-west-1', 'us-east-1']), value: rand() * 100, tags: ['a', 'b'] },
    };
    const s = JSON.stringify(ev);
    size += s.length + 1;
    events.push(ev);
  }
  return events;
}

function smartscapeBody(n) {
  const events = [];
  for (let i = 0; i < n; i++) {
    const ev = i % 2 === 0
      ? { 'event.version': 1, type: 'HOST', id_components: [{ hostname: `host-${i}.example.com` }] }
      : { id: `HOST-${hex16()}` };
    ev['dt.security_context'] = 'ctx';
    ev.update_lifetime = true;
    ev.timestamp = '2024-01-01T00:00:00Z';
    ev.name = `host-${i}`;
    ev['ext.custom.region'] = pick(['eu-west-1', 'us-east-1']);
    ev['tags:ext.source'] = { env: 'production', team: 'core' };
    ev.static_edges = { belongs_to: [{ type: 'HOST_GROUP', id_components: [{ group: `grp-${i % 10}` }] }] };
    ev.dynamic_edges = { runs_on: [{ id: `PROCESS_GROUP_INSTANCE-${hex16()}` }, { id: `PROCESS_GROUP_INSTANCE-${hex16()}` }] };
    events.push(ev);
  }
  return events;
}

function syntheticBody(monitors) {
  const locations = [1, 2, 3].map((k) => ({ id: `Linz${k}`, ip: `127.0.0.${k}`, name: `Linz${k}` }));
  const tests = [];
  const testResults = [];
  for (let m = 0; m < monitors; m++) {
    const locs = m % 2 === 0 ? ['Linz1', 'Linz2'] : ['Linz2', 'Linz3'];
    tests.push({
      id: `3rdPartySyntheticMonitor${m}`,
      title: `example of synthetic monitor - ${m}`,
      scheduleIntervalInSeconds: 300,
      locations: locs.map((id) => ({ id })),
      steps: [1, 2, 3].map((id) => ({ id, title: `Step${m}-${id}` })),
    });
    testResults.push({
      id: `3rdPartySyntheticMonitor${m}`,
      totalStepCount: 3,
      locationResults: locs.map((id, k) => ({
        id,
        startTimestamp: NOW - 10_000 + k,
        success: true,
        stepResults: [1, 2, 3].map((s) => ({ id: s, startTimestamp: NOW - 10_000 + k, responseTimeMillis: Math.floor(rand() * 10_000) })),
      })),
    });
  }
  return { syntheticEngineName: 'My third-party synthetic', syntheticEngineIconUrl: 'https://static.thenounproject.com/png/1745-200.png', messageTimestamp: NOW, locations, tests, testResults };
}

const cases = [
  { name: 'generic events, 1 MB array', value: genericBody(1_000_000), ours: validateEvents, ajv: ajvGeneric, ok: 202, others: genericOthers },
  { name: 'Smartscape batch, 1,500 events', value: smartscapeBody(1500), ours: validateSmartscapeEvents, ajv: ajvSmartscape, ok: 202 },
  { name: 'synthetic, 1,000 monitors', value: syntheticBody(1000), ours: validateSyntheticTests, ajv: ajvSynthetic, ok: 204 },
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
  for (const [label, fn] of Object.entries(c.others ?? {})) {
    check(label, fn(c.value), true);
    check(`${label} rejects a number`, fn(42), false);
  }

  const bench = new Bench({ time: Number(process.env.BENCH_TIME_MS ?? 400), warmupTime: 200, iterations: 5, warmupIterations: 2 });
  bench
    .add('JSON.parse alone', () => { JSON.parse(text); })
    .add('dt-ingest validate (parsed)', () => { c.ours(c.value, options); })
    .add('ajv validate (parsed)', () => { c.ajv(c.value); })
    .add('dt-ingest parse + validate (text)', () => { c.ours(text, options); })
    .add('JSON.parse + ajv', () => { c.ajv(JSON.parse(text)); });
  for (const [label, fn] of Object.entries(c.others ?? {})) bench.add(label, () => { fn(c.value); });
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
