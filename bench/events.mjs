// Benchmark of the JSON body validators (issue 3), side by side with ajv compiled from the shipped
// schemas and with JSON.parse alone. Imports the BUILT package (../dist/node.js) unless
// DT_INGEST_ENTRY points elsewhere (e.g. an esbuild bundle of src/events/index.ts).
//
//   node bench/events.mjs
//   DT_INGEST_ENTRY=/tmp/events-bundle.mjs node bench/events.mjs
//   BENCH_CASES=generic BENCH_RUNS=5 taskset -c 1 node bench/events.mjs   (only the generic rows, 5 runs)
//   BENCH_PRIME=absent,iso BENCH_CASES=dt.entity taskset -c 1 node bench/events.mjs
//     (before timing, validate 1 MB generic bodies without timestamps / with ISO 8601 timestamps read
//     from text for 0.5 s each, as a long-lived process has met them: the rows then show what the
//     type feedback left by other bodies costs; `absent`, `iso`, `shapes` (4 other event shapes))
//
// Bodies are generated deterministically (a seeded PRNG, bench/event-bodies.mjs). For each body the
// peers are TypeBox (compiled), zod and valibot ports of the same shipped schema (bench/peers.mjs).
// Every contender's verdict is checked before timing: it accepts the body and rejects a copy broken in
// its last item, and a number. Numbers are medians of the sample latencies (tinybench p50), and the
// medians of those over BENCH_RUNS runs (default 3; 1 with --quick, as bench/run.mjs --quick passes).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { Bench } from 'tinybench';
import { NOW, customDeviceBody, genericBody, smartscapeBody, syntheticBody, withEntityIds, withIsoTimestamps } from './event-bodies.mjs';
import { peers } from './peers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// a relative DT_INGEST_ENTRY is relative to bench/, as for the other bench scripts (they import() it)
const entry = new URL(process.env.DT_INGEST_ENTRY ?? '../dist/node.js', import.meta.url).href;
const lib = await import(entry);
const { validateEvents, validateSmartscapeEvents, validateSyntheticTests, validateCustomDevice } = lib;

const addFormats = addFormatsModule.default ?? addFormatsModule;
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
addFormats(ajv);
const schema = (name) => JSON.parse(readFileSync(join(here, '..', 'schemas', `${name}.schema.json`), 'utf8'));
const ajvGeneric = ajv.compile(schema('generic-events'));
const ajvSmartscape = ajv.compile(schema('smartscape-events'));
const ajvSynthetic = ajv.compile(schema('synthetic-tests'));
const ajvCustomDevice = ajv.compile(schema('custom-device'));

// Each schema written by hand in TypeBox (compiled), zod and valibot (bench/peers.mjs; the ports give
// ajv's verdict on these bodies, on one mutation per keyword and on generated JSON:
// test/unit/events/peers.test.ts).
const othersOf = (name) => ({
  'typebox compiled (parsed)': peers[name].typebox,
  'zod (parsed)': peers[name].zod,
  'valibot (parsed)': peers[name].valibot,
});

// --- deterministic bodies (bench/event-bodies.mjs; built in this order) ---------------------------
const generic = genericBody(1_000_000);
const smartscape = smartscapeBody(1500);
const synthetic = syntheticBody(1000);
// Derived without drawing from the PRNG, so the three bodies above stay the ones the tests use.
const genericSmall = generic.slice(0, 10);
const genericIso = withIsoTimestamps(generic);
// the generic events with `dt.entity.*` properties, as users send them (issue 19), cut to about 1 MB;
// read from its text, as a server holds it (JSON.parse's objects, not the generator's spread copies)
const genericEntities = JSON.parse(JSON.stringify(withEntityIds(generic).slice(0, Math.round(generic.length * 0.63))));
const customDevice = customDeviceBody(2500, 15);
const customDeviceSmall = customDeviceBody(10, 1);
const customDeviceBad = (b) => ({ ...b, series: [...b.series.slice(0, -1), { ...b.series.at(-1), dataPoints: [[NOW, 'x']] }] });
// the device id is a path parameter: the bench's contender is a function of the body alone
const pushDevice = (body, options) => validateCustomDevice('coffee-7', body, options);
const smartscapeSmall = smartscape.slice(0, 10);
const syntheticSmall = { ...synthetic, tests: synthetic.tests.slice(0, 1), testResults: synthetic.testResults.slice(0, 1) };

// A near-valid copy of each body, broken in its last item, that every contender must reject.
const brokenGeneric = (events) => [...events.slice(0, -1), [events.at(-1)]]; // an array is not an event object
const smartscapeBad = structuredClone(smartscape);
smartscapeBad.at(-1).type = 'HOST'; // the last event has an id: now both identity modes
const syntheticBad = structuredClone(synthetic);
syntheticBad.tests.at(-1).steps.at(-1).id = 1.5; // step id not an integer
const smartscapeSmallBad = structuredClone(smartscapeSmall);
smartscapeSmallBad.at(-1).type = 'HOST';
const syntheticSmallBad = structuredClone(syntheticSmall);
syntheticSmallBad.tests.at(-1).steps.at(-1).id = 1.5;

// BENCH_PRIME: bodies the validator meets before any timing (see the header).
const primers = {
  absent: () => JSON.parse(JSON.stringify(generic.map(({ timestamp, ...rest }) => rest))),
  iso: () => JSON.parse(JSON.stringify(genericIso)),
  shapes: () => [
    generic.map((e) => ({ a: 1, timestamp: e.timestamp })),
    generic.map((e) => ({ timestamp: e.timestamp, b: 2 })),
    generic.map((e) => ({ c: 1, d: 2, timestamp: e.timestamp })),
    generic.map((e) => ({ e: 1, timestamp: e.timestamp, f: 2 })),
  ],
};
for (const name of (process.env.BENCH_PRIME ?? '').split(',').filter(Boolean)) {
  if (!(name in primers)) throw new Error(`BENCH_PRIME: unknown body ${name} (${Object.keys(primers).join(', ')})`);
  const made = primers[name]();
  for (const body of name === 'shapes' ? made : [made]) {
    const until = performance.now() + 500 / (name === 'shapes' ? 4 : 1);
    while (performance.now() < until) validateEvents(body, { now: NOW });
  }
}

// `repeat`: calls per timed sample, so a body validated in nanoseconds is not timed against the
// clock's resolution (each figure is divided back to one call). `baseline`: the same events with
// epoch-millisecond timestamps, timed beside the case for the "× epoch-ms body" column.
const cases = [
  {
    name: 'generic events, 1 MB array',
    value: generic,
    bad: brokenGeneric(generic),
    ours: validateEvents,
    ajv: ajvGeneric,
    ok: 202,
    others: othersOf('generic-events'),
    repeat: 1,
  },
  {
    name: 'generic events, 10 events',
    value: genericSmall,
    bad: brokenGeneric(genericSmall),
    ours: validateEvents,
    ajv: ajvGeneric,
    ok: 202,
    others: othersOf('generic-events'),
    repeat: 2000,
  },
  {
    name: 'generic events, 1 MB array, ISO 8601 timestamps',
    value: genericIso,
    bad: brokenGeneric(genericIso),
    ours: validateEvents,
    ajv: ajvGeneric,
    ok: 202,
    others: othersOf('generic-events'),
    repeat: 1,
    baseline: generic,
  },
  {
    name: 'generic events, 1 MB array, dt.entity.* properties',
    value: genericEntities,
    bad: brokenGeneric(genericEntities),
    ours: validateEvents,
    ajv: ajvGeneric,
    ok: 202,
    others: othersOf('generic-events'),
    repeat: 1,
  },
  {
    name: 'custom device, 1 MB (2,500 series)',
    value: customDevice,
    bad: customDeviceBad(customDevice),
    ours: pushDevice,
    ajv: ajvCustomDevice,
    ok: 200,
    others: {},
    repeat: 1,
    infoIssues: 1,
  },
  {
    name: 'custom device, 10 series',
    value: customDeviceSmall,
    bad: customDeviceBad(customDeviceSmall),
    ours: pushDevice,
    ajv: ajvCustomDevice,
    ok: 200,
    others: {},
    repeat: 2000,
    infoIssues: 1,
  },
  {
    name: 'Smartscape batch, 1,500 events',
    value: smartscape,
    bad: smartscapeBad,
    ours: validateSmartscapeEvents,
    ajv: ajvSmartscape,
    ok: 202,
    others: othersOf('smartscape-events'),
    repeat: 1,
  },
  {
    name: 'Smartscape batch, 10 events',
    value: smartscapeSmall,
    bad: smartscapeSmallBad,
    ours: validateSmartscapeEvents,
    ajv: ajvSmartscape,
    ok: 202,
    others: othersOf('smartscape-events'),
    repeat: 200,
  },
  {
    name: 'synthetic, 1,000 monitors',
    value: synthetic,
    bad: syntheticBad,
    ours: validateSyntheticTests,
    ajv: ajvSynthetic,
    ok: 204,
    others: othersOf('synthetic-tests'),
    repeat: 1,
  },
  {
    name: 'synthetic, 1 monitor',
    value: syntheticSmall,
    bad: syntheticSmallBad,
    ours: validateSyntheticTests,
    ajv: ajvSynthetic,
    ok: 204,
    others: othersOf('synthetic-tests'),
    repeat: 200,
  },
].filter((c) => process.env.BENCH_CASES === undefined || process.env.BENCH_CASES.split(',').some((w) => c.name.includes(w)));

// Limits raised so every body is judged on content, not size (the Smartscape default is 1 MB).
const options = { now: NOW, eventsMaxBodyBytes: 1e8, smartscapeMaxBodyBytes: 1e8, syntheticMaxBodyBytes: 1e8, customDeviceMaxBodyBytes: 1e8 };
// Each case is timed RUNS times; every figure below is the median over the runs, and each ratio the
// median of the ratios measured within one run (the baseline timed beside the contender).
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? (process.argv.includes('--quick') ? 1 : 3)));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

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
  // the custom device endpoint's deprecation note is its one `info` issue on every body
  check('ours issues', c.ours(text, options).issues.length, c.infoIssues ?? 0);
  check('ours issues (parsed)', c.ours(c.value, options).issues.length, c.infoIssues ?? 0);
  check('ours rejects the broken copy', c.ours(c.bad, options).status, 400);
  check('ajv rejects the broken copy', c.ajv(c.bad), false);
  check('ajv rejects a number', c.ajv(42), false);
  for (const [label, fn] of Object.entries(c.others)) {
    check(label, fn(c.value), true);
    check(`${label} rejects the broken copy`, fn(c.bad), false);
    check(`${label} rejects a number`, fn(42), false);
  }

  const k = c.repeat;
  const tasks = [
    [
      'JSON.parse alone',
      () => {
        for (let r = 0; r < k; r++) JSON.parse(text);
      },
    ],
    [
      'dt-ingest validate (parsed)',
      () => {
        for (let r = 0; r < k; r++) c.ours(c.value, options);
      },
    ],
    [
      'ajv validate (parsed)',
      () => {
        for (let r = 0; r < k; r++) c.ajv(c.value);
      },
    ],
    [
      'dt-ingest parse + validate (text)',
      () => {
        for (let r = 0; r < k; r++) c.ours(text, options);
      },
    ],
    [
      'JSON.parse + ajv',
      () => {
        for (let r = 0; r < k; r++) c.ajv(JSON.parse(text));
      },
    ],
    ...Object.entries(c.others).map(([label, fn]) => [
      label,
      () => {
        for (let r = 0; r < k; r++) fn(c.value);
      },
    ]),
  ];
  const BASELINE = 'dt-ingest validate (parsed), epoch-ms timestamps';
  if (c.baseline !== undefined) {
    tasks.push([
      BASELINE,
      () => {
        for (let r = 0; r < k; r++) c.ours(c.baseline, options);
      },
    ]);
    // The floor of any char-code parser: load each event's timestamp and read every character once,
    // nothing checked (what a parser that looks at each character cannot go below).
    const events = c.value;
    // biome-ignore lint/correctness/noUnusedVariables: written only, so the optimizer cannot drop the loop that feeds it
    let sink = 0;
    tasks.push([
      'floor: read every timestamp character (charCodeAt), no checks',
      () => {
        let x = 0;
        for (let r = 0; r < k; r++) {
          for (let e = 0; e < events.length; e++) {
            const t = events[e].timestamp;
            for (let i = 0; i < t.length; i++) x = (x + t.charCodeAt(i)) | 0;
          }
        }
        sink ^= x;
      },
    ]);
  }
  const perRun = tasks.map(() => ({ ops: [], vsParse: [], vsAjv: [], vsBase: [] }));
  for (let run = 0; run < RUNS; run++) {
    const bench = new Bench({ time: Number(process.env.BENCH_TIME_MS ?? 400), warmupTime: 200, iterations: 5, warmupIterations: 2 });
    for (const [label, fn] of tasks) bench.add(label, fn);
    await bench.run();
    const opsOf = (t) => (1000 * k) / t.result.latency.p50;
    const parseOps = opsOf(bench.tasks[0]);
    const ajvOps = opsOf(bench.tasks[2]);
    const baseTask = bench.tasks.find((t) => t.name === BASELINE);
    bench.tasks.forEach((t, i) => {
      const ops = opsOf(t);
      perRun[i].ops.push(ops);
      perRun[i].vsParse.push(ops / parseOps);
      perRun[i].vsAjv.push(ops / ajvOps);
      if (baseTask !== undefined) perRun[i].vsBase.push(ops / opsOf(baseTask));
    });
  }
  tasks.forEach(([label], i) => {
    const ops = median(perRun[i].ops);
    const vsBase =
      perRun[i].vsBase.length > 0 && (label.startsWith('dt-ingest validate (parsed)') || label.startsWith('floor:')) ? median(perRun[i].vsBase) : undefined;
    rows.push({
      body: `${c.name} (${mb < 0.01 ? `${(mb * 1000).toFixed(2)} kB` : `${mb.toFixed(2)} MB`})`,
      task: label,
      ops,
      mbps: ops * mb,
      vsParse: median(perRun[i].vsParse),
      vsAjv: label.includes('(parsed)') ? median(perRun[i].vsAjv) : undefined,
      vsAjvSpread: label.includes('(parsed)') ? [Math.min(...perRun[i].vsAjv), Math.max(...perRun[i].vsAjv)] : undefined,
      vsBase,
    });
  });
}

console.log(
  `### JSON bodies (${new Date().toISOString()} · Node ${process.version}${process.env.BENCH_PRIME ? ` · primed with ${process.env.BENCH_PRIME}` : ''} · ${os.cpus()[0]?.model ?? 'cpu'}; verdicts checked before timing; "(parsed)" validates an already parsed value, "(text)" parses and validates; medians of ${RUNS} runs; "× epoch-ms body": dt-ingest on the ISO 8601 body against the same events with epoch-millisecond timestamps, timed in the same run)\n`,
);
console.log('| body | contender | ops/s | MB/s | × JSON.parse | × ajv (parsed) | × ajv, min-max of runs | × epoch-ms body |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.body} | ${r.task} | ${r.ops.toFixed(1)} | ${r.mbps.toFixed(1)} | ${r.vsParse.toFixed(2)} | ${r.vsAjv === undefined ? '' : r.vsAjv.toFixed(2)} | ${r.vsAjvSpread === undefined ? '' : `${r.vsAjvSpread[0].toFixed(2)}-${r.vsAjvSpread[1].toFixed(2)}`} | ${r.vsBase === undefined ? '' : r.vsBase.toFixed(2)} |`,
  );
}
