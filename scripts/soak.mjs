// Soak run of the validating proxy (`npm run soak`, not part of `npm test`): two proxies (with and
// without --filter) in their own process, in front of a fault-injecting stand-in for the environment,
// fed for `--minutes` (default 10) by concurrent senders whose bodies carry rotating metric keys
// (every 50 requests a new set: the key table and the warning caches see ever new keys; a quarter of
// the count keys lack `.count`, so they are warned) and unique line ids. Every `--every` seconds it
// prints the proxy process's RSS and heap and the ledger so far; at the end the RSS curve, and it
// exits 1 when a line was lost or stored twice.
//
// The stand-in (scripts/fault-upstream.mjs, the one test/unit/serve/faults.ts uses) judges each piece
// as the endpoint would, then by seeded dice answers or fails (429, 503, 413, a 400 without a
// ValidationResponse, a late answer after storing, a closed connection before or after storing, a 500
// after storing).
// The ledger checks each answer against what the stand-in stored when the answer came (a proxy
// answers only once its upstream work for the body is over):
// - lost: a line the answer calls ingested that was not stored (must be 0);
// - duplicated: a line stored twice, or stored though the answer calls it not ingested or invalid (must be 0);
// - unknown: lines the answer says may or may not have been stored (allowed; counted).
//
// Usage (after `npx tsup` / `npm run build`):
//   npm run soak                              # 10 minutes
//   node scripts/soak.mjs --minutes 2 --every 10 --senders 8 --seed 7
import http from 'node:http';
import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFaultUpstream } from './fault-upstream.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const serveEntry = join(here, '../dist/serve.js');
const coreEntry = join(here, '../dist/node.js');
const args = process.argv.slice(2);
const value = (name, def) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : def);

if (args.includes('--help')) {
  console.log(
    readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\nimport ')[0]
      .replace(/^\/\/ ?/gm, ''),
  );
  process.exit(0);
}
if (!existsSync(serveEntry)) {
  console.error('soak: dist/ is missing; run `npx tsup` (or `npm run build`) first');
  process.exit(2);
}

/** The two proxies, in their own process so that its RSS is theirs alone. */
async function proxiesMain() {
  const { startServer } = await import(serveEntry);
  const common = {
    mode: 'proxy',
    upstream: value('--proxies', ''),
    upstreamMaxBytes: 4000,
    upstreamTimeoutMs: 150,
    retryCount: 2,
    retryBaseMs: 2,
    retryMaxDelayMs: 5,
    retryBudgetMs: 2000,
    ui: false,
    metrics: { maxReportedErrors: 100_000 },
  };
  const filter = await startServer({ ...common, filter: true });
  const plain = await startServer(common);
  process.send({ urls: [filter.url, plain.url] });
  process.on('message', (m) => {
    if (m === 'memory') {
      const u = process.memoryUsage();
      process.send({ rss: u.rss, heapUsed: u.heapUsed, arrayBuffers: u.arrayBuffers });
    } else if (m === 'stop') void Promise.all([filter.close(), plain.close()]).then(() => process.exit(0));
  });
}

/** mulberry32 */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The stand-in's faults (weights): the kinds of test/unit/serve/faults.ts, in the soak's mix. */
const FAULTS = { ok: 60, '400-no-vr': 4, 429: 6, 503: 6, 413: 5, 'late-after-store': 4, 'close-before-store': 4, 'close-after-store': 4, '500-after-store': 3 };

/** The line's id (`id=<request>-<line>`), the stand-in's store key. */
function idOf(text) {
  const at = text.indexOf(',id=');
  if (at < 0) return undefined;
  let end = text.indexOf(' ', at);
  const comma = text.indexOf(',', at + 1);
  if (comma >= 0 && comma < end) end = comma;
  return text.slice(at + 4, end);
}

/**
 * The shared stand-in (scripts/fault-upstream.mjs), judging stricter than the proxy (at most 3
 * dimensions), listing at most 4 invalid lines, storing lines by their id; nothing kept per line
 * beyond the store, which the ledger empties as it checks.
 */
function startStandIn(random, validateMetrics) {
  return startFaultUpstream({
    random,
    faults: FAULTS,
    judge: (body) =>
      new Map(
        (validateMetrics(body, { maxDimensions: 3, maxReportedErrors: Number.POSITIVE_INFINITY }).body.error?.invalidLines ?? []).map((l) => [l.line, l.error]),
      ),
    keyOf: idOf,
    listCap: 4,
    lateMs: 400,
  });
}

/** A sender's body: valid lines with rotating keys, a few blank, locally invalid and upstream-invalid lines. */
function makeBody(random, req) {
  const n = 20 + Math.floor(random() * 180);
  const keySet = Math.floor(req / 50);
  const crlf = random() < 0.3;
  const lines = [];
  for (let i = 1; i <= n; i++) {
    const r = random();
    const id = `id=${req}-${i}`;
    const key = `soak.k${keySet}.m${Math.floor(random() * 40)}`;
    if (r < 0.04) lines.push(random() < 0.5 ? '' : '  ');
    else if (r < 0.07) lines.push(`soak.bad,${id} notanumber`);
    else if (r < 0.09) lines.push(`soak.wide,${id},x=1,y=2,z=3 ${i}`);
    else if (r < 0.4) lines.push(`${key}${random() < 0.25 ? '' : '.count'},${id},svc="a b" count,delta=${i}`);
    else lines.push(`${key},${id},host=h${i % 7} gauge,${i}.5`);
  }
  return lines.join(crlf ? '\r\n' : '\n') + '\n';
}

function post(url, body) {
  return new Promise((resolve) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8', authorization: 'Api-Token dt0c01.SOAK' } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve({ status: 0, text: '' }));
      },
    );
    req.on('error', () => resolve({ status: 0, text: '' }));
    req.end(body);
  });
}

async function main() {
  const minutes = Number(value('--minutes', '10'));
  const every = Number(value('--every', '30'));
  const senders = Number(value('--senders', '8'));
  const seed = Number(value('--seed', '20261207'));
  const { validateMetrics, parseLineRanges } = await import(coreEntry);
  const random = rng(seed);
  const standIn = await startStandIn(rng(seed ^ 0x5eed), validateMetrics);
  const child = fork(fileURLToPath(import.meta.url), ['--proxies', standIn.url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (message, key) =>
    new Promise((resolve) => {
      const on = (m) => {
        if (m[key] !== undefined) {
          child.off('message', on);
          resolve(m);
        }
      };
      child.on('message', on);
      if (message !== undefined) child.send(message);
    });
  const { urls } = await ask(undefined, 'urls');
  const ledger = { requests: 0, lines: 0, ingested: 0, invalid: 0, notIngested: 0, unknown: 0, lost: 0, duplicated: 0, statuses: {} };
  const examples = [];
  const check = (body, status, text) => {
    ledger.requests++;
    ledger.statuses[status] = (ledger.statuses[status] ?? 0) + 1;
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const err = parsed?.error;
    const accounting = err !== null && err !== undefined && typeof err.notIngestedLines === 'string';
    const vr = parsed !== undefined && typeof parsed.linesOk === 'number' && (status === 202 || status === 400);
    const invalid = new Set((err?.invalidLines ?? []).map((l) => l.line));
    const notIngested = new Set(accounting ? parseLineRanges(err.notIngestedLines) : []);
    const unknown = new Set(accounting ? parseLineRanges(err.unknownLines ?? '') : []);
    body.split('\n').forEach((raw, i) => {
      const id = idOf(raw);
      if (id === undefined) return; // blank
      const n = i + 1;
      ledger.lines++;
      const stored = standIn.stored.get(id) ?? 0;
      standIn.stored.delete(id); // checked once: the driver's memory stays bounded too
      let c;
      if (!accounting && !vr) c = 'notIngested';
      else if (invalid.has(n)) c = 'invalid';
      else if (notIngested.has(n)) c = 'notIngested';
      else if (unknown.has(n)) c = 'unknown';
      else c = 'ingested';
      ledger[c]++;
      const bad =
        stored > 1 || (stored === 1 && (c === 'invalid' || c === 'notIngested')) ? 'duplicated' : stored === 0 && c === 'ingested' ? 'lost' : undefined;
      if (bad !== undefined) {
        ledger[bad]++;
        if (examples.length < 10) examples.push(`${bad}: line ${n} (${c}, stored ${stored}) of a ${status} answer: ${raw.slice(0, 80)}`);
      }
    });
  };
  let req = 0;
  const until = Date.now() + minutes * 60_000;
  const sender = async (k) => {
    while (Date.now() < until) {
      const body = makeBody(random, ++req);
      const r = await post(`${urls[k % 2]}/api/v2/metrics/ingest`, body);
      check(body, r.status, r.text);
    }
  };
  const started = Date.now();
  const curve = [];
  const sample = async () => {
    const m = await ask('memory', 'rss');
    const row = { s: Math.round((Date.now() - started) / 1000), rss: m.rss, heap: m.heapUsed, buffers: m.arrayBuffers, ...ledger };
    curve.push(row);
    const mb = (x) => (x / 1048576).toFixed(1);
    console.log(
      `${String(row.s).padStart(5)} s  RSS ${mb(m.rss)} MB  heap ${mb(m.heapUsed)} MB  buffers ${mb(m.arrayBuffers)} MB  requests ${ledger.requests}  lines ${ledger.lines}  ` +
        `ingested ${ledger.ingested} invalid ${ledger.invalid} not-ingested ${ledger.notIngested} unknown ${ledger.unknown}  lost ${ledger.lost} duplicated ${ledger.duplicated}`,
    );
  };
  console.log(`soak: ${minutes} min, ${senders} senders, seed ${seed}, proxies (filter, no filter) pid ${child.pid}, stand-in ${standIn.url}`);
  await sample();
  const timer = setInterval(() => void sample(), every * 1000);
  await Promise.all(Array.from({ length: senders }, (_, k) => sender(k)));
  clearInterval(timer);
  await sample();
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
  await standIn.close();
  const rss = curve.map((r) => r.rss);
  const later = curve.filter((r) => r.s >= curve[curve.length - 1].s / 3).map((r) => r.rss);
  console.log(
    `\nRSS curve (MB): ${rss.map((x) => (x / 1048576).toFixed(0)).join(' ')}\nRSS from the first third on: min ${(Math.min(...later) / 1048576).toFixed(1)} MB, max ${(Math.max(...later) / 1048576).toFixed(1)} MB`,
  );
  console.log(`upstream requests ${standIn.requests}, faults ${JSON.stringify(standIn.faults)}, answers ${JSON.stringify(ledger.statuses)}`);
  console.log(`ledger: lost ${ledger.lost}, duplicated ${ledger.duplicated} (both must be 0)`);
  for (const e of examples) console.log(`  ${e}`);
  process.exit(ledger.lost === 0 && ledger.duplicated === 0 ? 0 : 1);
}

if (args.includes('--proxies')) await proxiesMain();
else await main();
