// Load run of `dt-ingest serve` (mock mode): autocannon on loopback, 1 MB metric bodies, 64
// connections, bounded in time; beside it the validator's own single-core MB/s on the same bytes.
// Prints a markdown table: requests/s, MB/s, errors, server RSS at start/middle/end, and the ratio
// server MB/s per worker ÷ validator MB/s (target ≥ 0.8).
//
// Usage (after `npx tsup` / `npm run build`):
//   node bench/serve.mjs [--seconds 10] [--workers 1] [--connections 64] [--bytes 1000000]
//   node bench/serve.mjs --seconds 60      # the memory-flatness run
//   node bench/serve.mjs --ui off          # without the inspector (default: on, as serve has it)
//   node bench/serve.mjs --page [--rounds 5] [--seconds 5] [--ui-body-bytes N]
//       # the inspector's cost: ingest throughput with the inspector off, on with no page open, and
//       # on with a page's live stream connected (an SSE client in its own process), in alternating
//       # rounds; medians and ratios (target: with a page ≥ 95 % of without one). Pinned with taskset
//       # where it exists (server on CPU 1, load and page on CPU 0).
//
//   node bench/serve.mjs --cpu [--rounds 5] [--seconds 4] [--connections 4,16] [--profile DIR]
//       # server CPU per MB of exporter traffic (a quarter of the count,delta keys lack .count, so
//       # warned; quoted values; CRLF), mock mode and proxy mode (--no-ui), beside the bare validator
//       # (validate-only, the same bodies in the same 64 KiB chunks) in the same run: the server and
//       # the bare validator each pinned to CPU 1 in their own process, the load generator and the
//       # proxy's upstream on CPU 0; rounds alternate; medians and spread (target: ratio <= 1.25).
//       # Prints the markdown section of bench/RESULTS.md (bench/run.mjs runs it); --profile DIR
//       # writes a .cpuprofile of each server run there (node --cpu-prof); --modes mock (or proxy)
//       # measures one configuration only. Mode `floor` (in the default set) is a plain node:http server
//       # that reads each body and writes the same answer without validating: what Node's HTTP server
//       # alone costs per MB, so the server's own share (server - floor) can be told from Node's.
//
//   node bench/serve.mjs --keep [--rounds 7] [--bytes 1000000] [--lines 1000]
//       # the mock's validator work without the network, in one process pinned to CPU 1: validate-only
//       # (bare), validate and keep the last --lines valid lines with a line map of every line (how
//       # the mock did it before) and with the validator's `tail` setting (the walk back from the
//       # end); the exporter body in 64 KiB chunks; CPU per MB, medians, spreads, ratios per round.
//
// The server runs in its own process (started from ../dist/serve.js, `node:cluster` for --workers),
// so the load generator does not share its event loop. Loopback only.
import cluster from 'node:cluster';
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '../dist/serve.js');
// the validator itself comes from the package root (the node entry, with the native backend)
const core = join(here, '../dist/node.js');
const args = process.argv.slice(2);
const value = (name, def) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : def);

if (args.includes('--server')) await serverMain();
else if (args.includes('--upstream')) await upstreamMain();
else if (args.includes('--bare')) await bareMain();
else if (args.includes('--floor')) await floorMain();
else if (args.includes('--cpu')) await cpuMain();
else if (args.includes('--keep')) await keepMain();
else if (args.includes('--sse-client')) await sseClientMain();
else if (args.includes('--page-cost')) await pageCostMain();
else if (args.includes('--page')) await pageMain();
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
  const ui = value('--ui', 'default');
  const upstream = value('--proxy-to', '');
  const bodyBytes = value('--ui-body-bytes', '');
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    maxConcurrent: 1024,
    ...(upstream !== '' ? { mode: 'proxy', upstream } : {}),
    ...(ui === 'default' ? {} : { ui: ui === 'on' }),
    ...(bodyBytes === '' ? {} : { uiBodyBytes: Number(bodyBytes) }),
  });
  const reply = (m) => (cluster.isWorker ? process.send(m) : process.send(m));
  if (cluster.isPrimary) reply({ url: server.url });
  process.on('message', (m) => {
    if (m === 'rss') reply({ rss: process.memoryUsage.rss() });
    if (m === 'cpu') {
      const u = process.cpuUsage();
      reply({ cpu: (u.user + u.system) / 1000, system: u.system / 1000 });
    }
    if (m === 'stop') void server.close().then(() => process.exit(0));
  });
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

// ---------------------------------------------------------------------------------------------------
// The corpus: generated metric lines the validator accepts as the server judges them (64 KiB chunks).
function chunked(buf) {
  const out = [];
  for (let i = 0; i < buf.length; i += 65_536) out.push(buf.subarray(i, i + 65_536));
  return out;
}

async function validCorpus(bytes, MetricsValidator) {
  const { generateCorpus } = await import('./corpus.mjs');
  // timestamps inside the window of the server's real clock (valid for an hour); lines the validator
  // rejects (if the rules change) are dropped, so every request is a 202
  const now = Date.now();
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
  return { body, lines, dropped };
}

function needDist() {
  if (existsSync(dist)) return;
  console.error('bench/serve: dist/ is missing; run `npx tsup` (or `npm run build`) first');
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------------
// The load generator.
async function main() {
  needDist();
  const seconds = Number(value('--seconds', '10'));
  const workers = Number(value('--workers', '1'));
  const connections = Number(value('--connections', '64'));
  const bytes = Number(value('--bytes', '1000000'));
  const { default: autocannon } = await import('autocannon');
  const { MetricsValidator } = await import(core);

  const { body, lines, dropped } = await validCorpus(bytes, MetricsValidator);
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
  // --ui on|off: the inspector (default: as `dt-ingest serve` has it, on in mock mode on loopback)
  const child = fork(fileURLToPath(import.meta.url), ['--server', '--workers', String(workers), '--ui', value('--ui', 'default')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
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
    ['command', `node bench/serve.mjs --seconds ${seconds} --workers ${workers} --connections ${connections} --ui ${value('--ui', 'default')}`],
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

// ---------------------------------------------------------------------------------------------------
// A page's live stream: an SSE client in its own process (as a browser would be), counting what it
// reads; it answers its counts on 'count' and stops on 'stop'.
async function sseClientMain() {
  const http = await import('node:http');
  const url = value('--sse-client', '');
  let requests = 0;
  let missed = 0;
  let bytes = 0;
  let buf = '';
  const req = http.get(`${url}/_dt-ingest/ui/api/stream`, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      bytes += chunk.length;
      buf += chunk;
      let end;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const data = block.slice(block.indexOf('data: ') + 6);
        if (block.startsWith('event: requests')) requests += JSON.parse(data).length;
        else if (block.startsWith('event: missed')) missed += JSON.parse(data).missed;
      }
    });
    process.send({ connected: res.statusCode });
  });
  req.on('error', (err) => process.send({ error: err.message }));
  process.on('message', (m) => {
    if (m === 'count') process.send({ requests, missed, bytes });
    if (m === 'stop') {
      req.destroy();
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// The inspector's cost: the same load against the inspector off, on without a page, and on with a
// page's stream connected, in alternating rounds (each a fresh autocannon run), medians reported.
async function pageMain() {
  needDist();
  const seconds = Number(value('--seconds', '5'));
  const rounds = Number(value('--rounds', '5'));
  const connections = Number(value('--connections', '64'));
  const bytes = Number(value('--bytes', '1000000'));
  const { default: autocannon } = await import('autocannon');
  const { MetricsValidator } = await import(core);
  const { body, lines } = await validCorpus(bytes, MetricsValidator);
  const { execFileSync } = await import('node:child_process');
  let pinned = false;
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    pinned = true;
  } catch {
    // no taskset: unpinned
  }
  const me = fileURLToPath(import.meta.url);
  // a child pinned to one CPU (taskset) where possible
  const child = (cpu, childArgs) =>
    pinned
      ? fork(me, childArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execPath: 'taskset', execArgv: ['-c', String(cpu), process.execPath] })
      : fork(me, childArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (proc, message, key) =>
    new Promise((resolve) => {
      const on = (m) => {
        if (m[key] !== undefined) {
          proc.off('message', on);
          resolve(m);
        }
      };
      proc.on('message', on);
      if (message !== undefined) proc.send(message);
    });
  if (pinned) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });

  const load = (url, duration) =>
    new Promise((resolve, reject) =>
      autocannon(
        { url: `${url}/api/v2/metrics/ingest`, method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8' }, connections, duration },
        (err, res) => (err ? reject(err) : resolve(res)),
      ),
    );
  const configs = [
    { name: 'inspector off (--no-ui)', ui: 'off', page: false },
    { name: 'inspector on, no page open', ui: 'on', page: false },
    { name: 'inspector on, a page open (live stream)', ui: 'on', page: true },
  ];
  const results = new Map(configs.map((c) => [c.name, []]));
  // server CPU time per request: far less moved by the machine's other load than requests/s
  const cpuPerRequest = new Map(configs.map((c) => [c.name, []]));
  const seen = { requests: 0, missed: 0, bytes: 0 };
  for (let round = 0; round < rounds; round++) {
    // a different order each round, so drift of the machine does not favour one configuration
    const order = configs.map((_, i) => configs[(i + round) % configs.length]);
    for (const c of order) {
      const server = child(1, ['--server', '--ui', c.ui, ...(value('--ui-body-bytes', '') !== '' ? ['--ui-body-bytes', value('--ui-body-bytes', '')] : [])]);
      const { url } = await ask(server, undefined, 'url');
      let sse;
      if (c.page) {
        sse = child(0, ['--sse-client', url]);
        const hello = await ask(sse, undefined, 'connected');
        if (hello.connected !== 200) throw new Error(`the page's stream was answered ${hello.connected}`);
      }
      await load(url, 1); // warm-up
      const cpu0 = (await ask(server, 'cpu', 'cpu')).cpu;
      const r = await load(url, seconds);
      const cpu1 = (await ask(server, 'cpu', 'cpu')).cpu;
      cpuPerRequest.get(c.name).push((cpu1 - cpu0) / Math.max(1, r.requests.total));
      const errors = r.errors + r.timeouts + r.non2xx;
      if (errors > 0) console.error(`bench/serve: ${errors} errors in ${c.name}`);
      results.get(c.name).push(r.requests.total / (r.duration || seconds));
      if (sse !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const counts = await ask(sse, 'count', 'requests');
        seen.requests += counts.requests;
        seen.missed += counts.missed;
        seen.bytes += counts.bytes;
        sse.send('stop');
      }
      server.send('stop');
      await new Promise((resolve) => server.once('exit', resolve));
    }
  }
  const median = (xs) => {
    const a = [...xs].sort((x, y) => x - y);
    return a.length % 2 === 1 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  };
  const base = median(results.get(configs[0].name));
  const noPage = median(results.get(configs[1].name));
  const withPage = median(results.get(configs[2].name));
  console.log(`node bench/serve.mjs --page --rounds ${rounds} --seconds ${seconds} --connections ${connections}`);
  console.log(
    `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, Node ${process.version}, ${pinned ? 'server pinned to CPU 1, load and page to CPU 0' : 'not pinned (no taskset)'}`,
  );
  console.log(`body ${(body.length / 1e6).toFixed(2)} MB, ${lines} lines, all valid (202)\n`);
  console.log(
    '| configuration | requests/s (median) | rounds | ÷ inspector off | ÷ no page open | server CPU ms per request (median) | throughput from CPU ÷ no page open |\n|---|---|---|---|---|---|---|',
  );
  const cpuNoPage = median(cpuPerRequest.get(configs[1].name));
  for (const c of configs) {
    const m = median(results.get(c.name));
    const all = results
      .get(c.name)
      .map((x) => x.toFixed(1))
      .join(', ');
    const cpu = median(cpuPerRequest.get(c.name));
    console.log(
      `| ${c.name} | ${m.toFixed(1)} | ${all} | ${((m / base) * 100).toFixed(1)} % | ${((m / noPage) * 100).toFixed(1)} % | ${cpu.toFixed(3)} | ${((cpuNoPage / cpu) * 100).toFixed(1)} % |`,
    );
  }
  console.log(`\nthe page's stream received ${seen.requests} request summaries and ${seen.missed} "missed" (${(seen.bytes / 1024).toFixed(0)} KiB) in all`);
  const cpuWithPage = median(cpuPerRequest.get(configs[2].name));
  console.log(
    `with a page open ÷ without: ${((withPage / noPage) * 100).toFixed(1)} % by requests/s, ${((cpuNoPage / cpuWithPage) * 100).toFixed(1)} % by server CPU per request (target ≥ 95 %)`,
  );
  // the same cost on its own, in a pinned process: what a page adds to each request (the summary
  // serialized once, batched and written to the page's socket), against the server's CPU per request
  const costChild = child(1, ['--page-cost']);
  const cost = await ask(costChild, undefined, 'microseconds');
  await new Promise((resolve) => costChild.once('exit', resolve));
  console.log(
    `what a page adds to each request, measured alone (${cost.requests} summaries, median of ${cost.rounds} rounds): ${cost.microseconds.toFixed(2)} µs per request, ` +
      `${((cost.microseconds / 1000 / cpuNoPage) * 100).toFixed(2)} % of the server's ${cpuNoPage.toFixed(3)} ms per request without a page: throughput with a page ≈ ${((1 / (1 + cost.microseconds / 1000 / cpuNoPage)) * 100).toFixed(1)} % of without`,
  );
}

// ---------------------------------------------------------------------------------------------------
// What a page adds to each request, alone: summaries of real requests published to the live stream
// of a server with one page connected (an SSE client reading it), flushed as the timer would (100 per
// batch), timed around the server's own work only; the page reads between batches.
async function pageCostMain() {
  const http = await import('node:http');
  const { startServer } = await import(dist);
  const server = await startServer({ port: 0, ui: true });
  const body = Buffer.from('cpu.temperature,host=web-01,dc=eu-west 61.5\nhttp.requests,route=/checkout count,delta=17\n'.repeat(50));
  await new Promise((resolve) => {
    const req = http.request(
      `${server.url}/api/v2/metrics/ingest`,
      { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8', 'user-agent': 'bench-exporter/1.0' } },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.end(body);
  });
  const inspector = server.handler.inspector;
  const summary = inspector.log.list()[0].summary;
  let read = 0;
  const page = await new Promise((resolve) => {
    const req = http.get(`${server.url}/_dt-ingest/ui/api/stream`, (res) => {
      res.on('data', (c) => (read += c.length));
      resolve(req);
    });
  });
  while (inspector.hub.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const batch = 100;
  const batches = 200;
  const rounds = [];
  for (let round = 0; round < 7; round++) {
    let spent = 0;
    for (let b = 0; b < batches; b++) {
      const t0 = performance.now();
      for (let i = 0; i < batch; i++) inspector.hub.publish({ ...summary, id: summary.id + i });
      inspector.hub.flush();
      spent += performance.now() - t0;
      // the page reads what was written
      await new Promise((resolve) => setImmediate(resolve));
    }
    rounds.push((spent * 1000) / (batch * batches));
  }
  rounds.sort((a, b) => a - b);
  const missed = inspector.hub.state()[0]?.missed ?? 0;
  page.destroy();
  await server.close();
  process.send({ microseconds: rounds[3], requests: batch * batches, rounds: rounds.length, missed, read });
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------------
// Server CPU per MB: the exporter corpus as it comes from real senders (warned keys, quoted values,
// CRLF), every line valid (so the proxy forwards it whole and the answer is a 202 with warnings).
async function exporterBody(bytes, MetricsValidator) {
  const { generateCorpus } = await import('./corpus.mjs');
  const now = Date.now();
  let kept = generateCorpus({ bytes, now, lineEnding: '\r\n' }).text.split('\r\n');
  kept.pop(); // after the last CRLF
  for (let round = 0; round < 5; round++) {
    const bad = new Set();
    const v = new MetricsValidator({}, { onIssue: (i) => i.severity === 'error' && i.line !== undefined && bad.add(i.line) });
    for (const c of chunked(Buffer.from(kept.join('\r\n') + '\r\n'))) v.push(c);
    v.end();
    if (bad.size === 0) break;
    kept = kept.filter((_, i) => !bad.has(i + 1));
  }
  return Buffer.from(kept.join('\r\n') + '\r\n');
}

// The proxy's upstream: reads each body and answers what the endpoint answers to it (computed once by
// the validator: every request carries the same body), so its own CPU stays small (it runs on CPU 0).
async function upstreamMain() {
  const http = await import('node:http');
  const { MetricsValidator } = await import(core);
  const body = await exporterBody(Number(value('--bytes', '1000000')), MetricsValidator);
  const v = new MetricsValidator({}, { issues: false });
  v.push(body);
  const r = v.end();
  const answer = Buffer.from(JSON.stringify(r.body));
  const server = http.createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': answer.length });
      res.end(answer);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send({ url: `http://127.0.0.1:${server.address().port}` }));
  process.on('message', (m) => m === 'stop' && process.exit(0));
}

// The bare validator: validate-only over the same bodies in 64 KiB chunks, for `--seconds`; answers
// its CPU ms per MB (process CPU, user + system).
async function bareMain() {
  const { MetricsValidator } = await import(core);
  const body = await exporterBody(Number(value('--bytes', '1000000')), MetricsValidator);
  const chunks = chunked(body);
  const once = () => {
    const v = new MetricsValidator({}, { issues: false });
    for (const c of chunks) v.push(c);
    return v.end();
  };
  const first = once();
  for (let i = 0; i < 50; i++) once();
  const seconds = Number(value('--seconds', '4'));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < seconds * 1000) {
    once();
    n++;
  }
  const c = process.cpuUsage(c0);
  process.send({
    msPerMB: (c.user + c.system) / 1000 / ((n * body.length) / 1e6),
    system: c.system / (c.user + c.system),
    status: first.status,
    warnings: first.body.warnings?.changedMetricKeys?.length ?? 0,
  });
  process.exit(0);
}

// The floor: a plain node:http server that reads each body (dropping its chunks) and writes the
// validator's answer to the same body, prepared once: Node's HTTP cost per MB without validation.
async function floorMain() {
  const { MetricsValidator } = await import(core);
  const body = await exporterBody(Number(value('--bytes', '1000000')), MetricsValidator);
  const v = new MetricsValidator({}, { issues: false });
  v.push(body);
  const r = v.end();
  const answer = Buffer.from(JSON.stringify(r.body));
  const http = await import('node:http');
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(answer.length) });
      res.end(answer);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.send({ url: `http://127.0.0.1:${server.address().port}` });
  process.on('message', (m) => {
    if (m === 'cpu') {
      const u = process.cpuUsage();
      process.send({ cpu: (u.user + u.system) / 1000, system: u.system / 1000 });
    }
    if (m === 'stop') {
      server.closeAllConnections();
      server.close(() => process.exit(0));
    }
  });
}

async function cpuMain() {
  needDist();
  const rounds = Number(value('--rounds', '5'));
  const seconds = Number(value('--seconds', '4'));
  // one or more connection counts (`4,16`): each gets its rounds, in the same run
  const connectionCounts = value('--connections', '4,16').split(',').map(Number);
  const bytes = Number(value('--bytes', '1000000'));
  // --modes mock,proxy,floor (default all): the server configurations measured beside the bare validator
  const modes = value('--modes', 'mock,proxy,floor').split(',');
  const { default: autocannon } = await import('autocannon');
  const { MetricsValidator } = await import(core);
  const body = await exporterBody(bytes, MetricsValidator);
  const expected = (() => {
    const v = new MetricsValidator({}, { issues: false });
    v.push(body);
    const r = v.end();
    return { status: r.status, text: JSON.stringify(r.body), warnings: r.body.warnings?.changedMetricKeys?.length ?? 0 };
  })();
  const { execFileSync } = await import('node:child_process');
  let pinned = false;
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    pinned = true;
  } catch {
    // no taskset: unpinned
  }
  if (pinned) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  const me = fileURLToPath(import.meta.url);
  // --profile DIR: the server processes run under `node --cpu-prof` (one .cpuprofile per server run)
  const profile = value('--profile', '');
  const child = (cpu, childArgs, nodeArgs = []) =>
    pinned
      ? fork(me, childArgs, {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          execPath: 'taskset',
          execArgv: ['-c', String(cpu), process.execPath, ...nodeArgs],
        })
      : fork(me, childArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: nodeArgs });
  const ask = (proc, message, key) =>
    new Promise((resolve) => {
      const on = (m) => {
        if (m[key] !== undefined) {
          proc.off('message', on);
          resolve(m);
        }
      };
      proc.on('message', on);
      if (message !== undefined) proc.send(message);
    });
  const stop = async (proc) => {
    proc.send('stop');
    await new Promise((resolve) => proc.once('exit', resolve));
  };
  // one answer checked against the validator's, byte for byte (the mock's) or by its verdict (the proxy's)
  const http = await import('node:http');
  const post = (url) =>
    new Promise((resolve, reject) => {
      const req = http.request(`${url}/api/v2/metrics/ingest`, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' } }, (res) => {
        const parts = [];
        res.on('data', (c) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(parts).toString() }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const serverRun = async (mode, connections) => {
    let upstream;
    const serverArgs = ['--server', '--ui', 'off', '--bytes', String(bytes)];
    if (mode === 'proxy') {
      upstream = child(0, ['--upstream', '--bytes', String(bytes)]);
      serverArgs.push('--proxy-to', (await ask(upstream, undefined, 'url')).url);
    }
    if (mode === 'floor') serverArgs.splice(0, serverArgs.length, '--floor', '--bytes', String(bytes));
    const server = child(1, serverArgs, profile !== '' ? ['--cpu-prof', `--cpu-prof-dir=${profile}`, `--cpu-prof-name=${mode}-${Date.now()}.cpuprofile`] : []);
    const { url } = await ask(server, undefined, 'url');
    const answer = await post(url);
    if (answer.status !== expected.status || answer.text !== expected.text)
      throw new Error(`bench/serve: the ${mode} answer differs from the validator's: ${answer.status} ${answer.text.slice(0, 200)}`);
    const load = (duration) =>
      new Promise((resolve, reject) =>
        autocannon(
          { url: `${url}/api/v2/metrics/ingest`, method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8' }, connections, duration },
          (err, res) => (err ? reject(err) : resolve(res)),
        ),
      );
    await load(1); // warm-up
    const cpu0 = await ask(server, 'cpu', 'cpu');
    const r = await load(seconds);
    const cpu1 = await ask(server, 'cpu', 'cpu');
    const errors = r.errors + r.timeouts + r.non2xx;
    if (errors > 0) console.error(`bench/serve: ${errors} errors in ${mode} mode`);
    await stop(server);
    if (upstream !== undefined) await stop(upstream);
    const mb = (r.requests.total * body.length) / 1e6;
    return { msPerMB: (cpu1.cpu - cpu0.cpu) / mb, system: (cpu1.system - cpu0.system) / (cpu1.cpu - cpu0.cpu), errors };
  };
  const load0 = loadavg();
  const started = new Date();
  const runs = [];
  for (const connections of connectionCounts) {
    const results = { bare: [], mock: [], proxy: [], floor: [] };
    const systemShare = { mock: [], proxy: [], floor: [] };
    let errors = 0;
    for (let round = 0; round < rounds; round++) {
      // a different order each round, so drift of the machine does not favour one configuration
      const order = ['bare', ...modes];
      for (let k = 0; k < round % order.length; k++) order.push(order.shift());
      for (const what of order) {
        if (what === 'bare') {
          const b = child(1, ['--bare', '--seconds', String(seconds), '--bytes', String(bytes)]);
          results.bare.push((await ask(b, undefined, 'msPerMB')).msPerMB);
          await new Promise((resolve) => b.once('exit', resolve));
        } else {
          const r = await serverRun(what, connections);
          results[what].push(r.msPerMB);
          systemShare[what].push(r.system);
          errors += r.errors;
        }
      }
    }
    runs.push({ connections, results, systemShare, errors });
  }
  const load1 = loadavg();
  const median = (xs) => {
    const a = [...xs].sort((x, y) => x - y);
    return a.length % 2 === 1 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  };
  const spread = (xs, d = 3) => `${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)}`;
  const lines = body.toString().split('\r\n').length - 1;
  const command = `node bench/serve.mjs --cpu --rounds ${rounds} --seconds ${seconds} --connections ${connectionCounts.join(',')} --bytes ${bytes}${modes.join(',') !== 'mock,proxy,floor' ? ` --modes ${modes.join(',')}` : ''}`;
  const out = [
    '### Serve: server CPU per MB beside the bare validator',
    '',
    `- command: \`${command}\` (after a build; part of \`npm run bench\`)`,
    `- date: ${started.toISOString()}; ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, Node ${process.version}; ${pinned ? "the server and the bare validator each pinned to CPU 1 in their own process, the load generator (autocannon) and the proxy's upstream on CPU 0" : 'not pinned (no taskset)'}`,
    `- load average (1 min) at the start and the end: ${load0[0].toFixed(1)}, ${load1[0].toFixed(1)}${Math.max(load0[0], load1[0]) > cpus().length ? ' (the machine was busy: the spread is wide)' : ''}`,
    `- body: ${(body.length / 1e6).toFixed(2)} MB of exporter lines as senders send them (a quarter of the \`count,delta\` keys lack \`.count\`, so warned; quoted values; CRLF): ${lines} lines, ${expected.warnings} warned, every line valid; the answer (${expected.status}, ${expected.text.length} bytes) checked against the validator's before timing`,
    "- server: `--no-ui`; mock mode, and proxy mode in front of an upstream that answers what the endpoint answers; bare validator: validate-only over the same bodies in the same 64 KiB chunks (`auto` backend); floor: a plain `node:http` server that reads each body and writes the same answer, prepared once, without validating (what Node's HTTP server alone costs)",
    `- process CPU (user + system) per MB of request bodies over ${seconds} s of load per run; ${rounds} rounds per connection count, alternating; ratios are per round (server ÷ the bare validator of the same round); target ≤ 1.25`,
    '',
    '| connections | configuration | CPU ms per MB (median) | spread | ÷ bare validator (median) | ratio spread | in the kernel (median) |',
    '|---:|---|---:|---|---:|---|---:|',
  ];
  for (const run of runs) {
    const { results } = run;
    out.push(`| ${run.connections} | bare validator (validate-only) | ${median(results.bare).toFixed(3)} | ${spread(results.bare)} | 1.00 | | |`);
    for (const what of modes) {
      const ratios = results[what].map((x, i) => x / results.bare[i]);
      out.push(
        `| ${run.connections} | ${what === 'floor' ? 'node:http floor (no validation)' : `serve ${what}`} | ${median(results[what]).toFixed(3)} | ${spread(results[what])} | ${median(ratios).toFixed(2)} | ${spread(ratios, 2)} | ${(median(run.systemShare[what]) * 100).toFixed(0)} % |`,
      );
    }
  }
  const errors = runs.reduce((n, r) => n + r.errors, 0);
  if (errors > 0) out.push('', `${errors} requests failed (socket errors, timeouts or non-2xx): the figures are not valid.`);
  console.log(out.join('\n'));
  process.exitCode = errors === 0 ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------------
// The mock's validator work in one process: bare, with a line map of every line, with the tail.
async function keepMain() {
  const { execFileSync } = await import('node:child_process');
  try {
    execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  } catch {
    // no taskset: unpinned
  }
  const { MetricsValidator, LineMap, LineVerdict } = await import(core);
  const rounds = Number(value('--rounds', '7'));
  const wanted = Number(value('--lines', '1000'));
  const body = await exporterBody(Number(value('--bytes', '1000000')), MetricsValidator);
  const chunks = chunked(body);
  const valid = (x) => x === LineVerdict.OK || x === LineVerdict.WARNED;
  const map = new LineMap();
  const ways = {
    bare: () => {
      const v = new MetricsValidator({}, { issues: false });
      for (const c of chunks) v.push(c);
      return v.end().status;
    },
    // the last lines found in a map of every line, copied out of the chunks (a run of lines at a time)
    map: () => {
      const v = new MetricsValidator({}, { issues: false, lineMap: map });
      for (const c of chunks) v.push(c);
      const status = v.end().status;
      let first = map.count;
      for (let n = 0; n < Math.min(wanted, v.linesOk) && first > 0; ) if (valid(map.verdicts[--first])) n++;
      const parts = [];
      for (let i = first; i < map.count; ) {
        if (!valid(map.verdicts[i])) {
          i++;
          continue;
        }
        let j = i;
        while (j + 1 < map.count && valid(map.verdicts[j + 1])) j++;
        parts.push(body.subarray(map.start(i), map.endWithLf(j, body.length)));
        i = j + 1;
      }
      return status + Buffer.concat(parts).length;
    },
    tail: () => {
      const v = new MetricsValidator({}, { issues: false, tail: true });
      for (const c of chunks) v.push(c);
      const status = v.end().status;
      return status + v.lastValidLines(Math.min(wanted, v.linesOk)).bytes.length;
    },
  };
  if (ways.map() !== ways.tail()) throw new Error('bench/serve --keep: the map and the tail keep different lines');
  for (const f of Object.values(ways)) for (let i = 0; i < 30; i++) f();
  const cpu = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
  const load0 = loadavg()[0];
  for (let round = 0; round < rounds; round++) {
    const names = Object.keys(ways);
    for (let k = 0; k < round % names.length; k++) names.push(names.shift());
    for (const name of names) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      let n = 0;
      while (performance.now() - t0 < 600) {
        ways[name]();
        n++;
      }
      const c = process.cpuUsage(c0);
      cpu[name].push((c.user + c.system) / 1000 / ((n * body.length) / 1e6));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
  const spread = (xs, d) => `${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)}`;
  console.log(
    `node bench/serve.mjs --keep --rounds ${rounds} --lines ${wanted}; ${new Date().toISOString()}; load average ${load0.toFixed(1)}, ${loadavg()[0].toFixed(1)}`,
  );
  console.log('\n| way | CPU ms per MB (median) | spread | ÷ bare (median) | ratio spread |\n|---|---:|---|---:|---|');
  for (const name of Object.keys(ways)) {
    const ratios = cpu[name].map((x, i) => x / cpu.bare[i]);
    console.log(`| ${name} | ${median(cpu[name]).toFixed(3)} | ${spread(cpu[name], 3)} | ${median(ratios).toFixed(2)} | ${spread(ratios, 2)} |`);
  }
}
