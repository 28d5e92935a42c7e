// Load run of `dt-ingest serve` (mock mode): autocannon on loopback, 1 MB metric bodies, 64
// connections, bounded in time; beside it the validator's own single-core MB/s on the same bytes.
// Prints a markdown table: requests/s, MB/s, errors, server RSS at start/middle/end, and the ratio
// server MB/s per worker ÷ validator MB/s (target ≥ 0.8).
//
// Usage (after `npx tsup` / `npm run build`):
//   node bench/serve.mjs [--seconds 10] [--workers 1] [--connections 64] [--bytes 1000000]
//   node bench/serve.mjs --seconds 60      # the memory-flatness run
//
// The server runs in its own process (started from ../dist/serve.js, `node:cluster` for --workers),
// so the load generator does not share its event loop. Loopback only.
import cluster from 'node:cluster';
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '../dist/serve.js');
const core = join(here, '../dist/node.js');
const args = process.argv.slice(2);
const value = (name, def) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : def);

if (args.includes('--server')) await serverMain();
else await main();

// ---------------------------------------------------------------------------------------------------
// The server process (and its cluster workers).
async function serverMain() {
  const workers = Number(value('--workers', '1'));
  if (workers > 1 && cluster.isPrimary) {
    const all = [];
    let listening = 0;
    for (let i = 0; i < workers; i++) {
      const w = cluster.fork();
      all.push(w);
      w.once('listening', (address) => {
        if (++listening === workers) process.send({ url: `http://127.0.0.1:${address.port}` });
      });
    }
    process.on('message', async (m) => {
      if (m === 'rss') {
        const rss = await Promise.all(
          all.map(
            (w) =>
              new Promise((resolve) => {
                w.once('message', (x) => resolve(x.rss));
                w.send('rss');
              }),
          ),
        );
        process.send({ rss: rss.reduce((a, b) => a + b, 0) + process.memoryUsage.rss() });
      } else if (m === 'stop') {
        for (const w of all) w.process.kill('SIGTERM');
        cluster.on('exit', () => {
          if (Object.keys(cluster.workers).length === 0) process.exit(0);
        });
      }
    });
    return;
  }
  const { startServer } = await import(dist);
  const server = await startServer({ port: 0, host: '127.0.0.1', maxConcurrent: 1024 });
  const reply = (m) => (cluster.isWorker ? process.send(m) : process.send(m));
  if (cluster.isPrimary) reply({ url: server.url });
  process.on('message', (m) => {
    if (m === 'rss') reply({ rss: process.memoryUsage.rss() });
    if (m === 'stop') void server.close().then(() => process.exit(0));
  });
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

// ---------------------------------------------------------------------------------------------------
// The load generator.
async function main() {
  if (!existsSync(dist)) {
    console.error('bench/serve: dist/ is missing; run `npx tsup` (or `npm run build`) first');
    process.exit(2);
  }
  const seconds = Number(value('--seconds', '10'));
  const workers = Number(value('--workers', '1'));
  const connections = Number(value('--connections', '64'));
  const bytes = Number(value('--bytes', '1000000'));
  const { default: autocannon } = await import('autocannon');
  const { generateCorpus } = await import('./corpus.mjs');
  const { MetricsValidator } = await import(core);

  // timestamps inside the window of the server's real clock (valid for an hour); lines the validator
  // rejects (if the rules change) are dropped, so every request is a 202
  const now = Date.now();
  const chunked = (buf) => {
    const out = [];
    for (let i = 0; i < buf.length; i += 65_536) out.push(buf.subarray(i, i + 65_536));
    return out;
  };
  let kept = generateCorpus({ bytes, now }).text.split('\n');
  let dropped = 0;
  for (let round = 0; round < 5; round++) {
    // judged as the server judges it: in 64 KiB chunks
    const bad = new Set();
    const v = new MetricsValidator({}, { onIssue: (i) => i.severity === 'error' && i.line !== undefined && bad.add(i.line) });
    for (const c of chunked(Buffer.from(kept.join('\n')))) v.push(c);
    v.end();
    if (bad.size === 0) break;
    dropped += bad.size;
    kept = kept.filter((_, i) => !bad.has(i + 1));
  }
  const text = kept.join('\n');
  const lines = kept.length - 1;
  const body = Buffer.from(text);

  // the validator alone, one core, same bytes, same chunking as a socket delivers (64 KiB)
  const chunks = chunked(body);
  const once = () => {
    const v = new MetricsValidator({}, { issues: false });
    for (const c of chunks) v.push(c);
    return v.end();
  };
  const check = once();
  if (check.status !== 202)
    console.error(
      `bench/serve: warning: the validator does not accept the whole corpus (${JSON.stringify(check.body).slice(0, 200)}); its 400 answers are counted as errors`,
    );
  for (let i = 0; i < 20; i++) once();
  // best of 8 rounds of 300 ms: the machine may be shared, the best round is the validator's own speed
  const measureValidator = () => {
    let best = 0;
    for (let round = 0; round < 8; round++) {
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < 300) {
        once();
        n++;
      }
      best = Math.max(best, (n * body.length) / 1e6 / ((performance.now() - t0) / 1000));
    }
    return best;
  };
  let validatorMBs = measureValidator();

  // the server in its own process
  const child = fork(fileURLToPath(import.meta.url), ['--server', '--workers', String(workers)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise((resolve) => child.once('message', (m) => resolve(m.url)));
  const rss = () =>
    new Promise((resolve) => {
      const on = (m) => {
        if (m.rss !== undefined) {
          child.off('message', on);
          resolve(m.rss);
        }
      };
      child.on('message', on);
      child.send('rss');
    });

  // a short warm-up, then the measured run with RSS samples
  await new Promise((resolve) =>
    autocannon(
      { url: `${url}/api/v2/metrics/ingest`, method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8' }, connections, duration: 2 },
      resolve,
    ),
  );
  const samples = [];
  const rssStart = await rss();
  const timer = setInterval(async () => samples.push(await rss()), 1000);
  const result = await new Promise((resolve, reject) => {
    autocannon(
      { url: `${url}/api/v2/metrics/ingest`, method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8' }, connections, duration: seconds },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });
  clearInterval(timer);
  const rssEnd = await rss();
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
  validatorMBs = Math.max(validatorMBs, measureValidator());

  const reqs = result.requests.total / (result.duration || seconds);
  const mbs = (reqs * body.length) / 1e6;
  const errors = result.errors + result.timeouts + result.non2xx;
  const mb = (x) => (x / 1048576).toFixed(0) + ' MB';
  const mid = samples.length > 0 ? samples[Math.floor(samples.length / 2)] : rssStart;
  const ratio = mbs / workers / validatorMBs;
  const rows = [
    ['command', `node bench/serve.mjs --seconds ${seconds} --workers ${workers} --connections ${connections}`],
    ['machine', `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, Node ${process.version}`],
    [
      'body',
      `${(body.length / 1e6).toFixed(2)} MB, ${lines} lines, all valid (202)${dropped > 0 ? `; ${dropped} generated lines the validator rejects were dropped` : ''}`,
    ],
    ['requests/s', reqs.toFixed(1)],
    ['MB/s (request bodies)', mbs.toFixed(1)],
    ['latency p50 / p99', `${result.latency.p50} ms / ${result.latency.p99} ms`],
    ['errors (socket + timeouts + non-2xx)', `${errors} (${result.errors} + ${result.timeouts} + ${result.non2xx})`],
    ['server RSS start / middle / end (max)', `${mb(rssStart)} / ${mb(mid)} / ${mb(rssEnd)} (${mb(Math.max(rssStart, rssEnd, ...samples))})`],
    ['validator alone, one core (best 300 ms round)', `${validatorMBs.toFixed(1)} MB/s`],
    ['server MB/s per worker ÷ validator', `${(ratio * 100).toFixed(0)} % (target ≥ 80 %)`],
  ];
  console.log('| measure | value |\n|---|---|');
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
  process.exitCode = errors === 0 ? 0 : 1;
}
