// The proxy's garbage collections per request: `dt-ingest serve --mode proxy` (the built package of
// this checkout, or of `--build DIR`, another checkout's root) under `node --trace-gc`, in front of
// bench/serve.mjs's upstream, fed `--requests` exporter bodies of 1 MB over `--connections`
// connections; prints the scavenges and mark-compacts (count and pause ms) and the server's CPU.
// For an A/B, run it on both checkouts, alternating, several times (the counts are steadier than the
// CPU on a shared machine).
//
//   node bench/serve-gc.mjs [--build DIR] [--connections 4] [--requests 400]
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const value = (name, def) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : def);
const build = value('--build', join(here, '..'));
const connections = Number(value('--connections', '4'));
const requests = Number(value('--requests', '400'));
const { default: autocannon } = await import('autocannon');
const { generateCorpus } = await import('./corpus.mjs');
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
const body = Buffer.from(generateCorpus({ bytes: 1_000_000, now: Date.now(), lineEnding: '\r\n' }).text);
const upstream = fork(join(here, 'serve.mjs'), ['--upstream', '--bytes', '1000000'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const { url: upstreamUrl } = await ask(upstream, undefined, 'url');
const server = fork(join(build, 'bench/serve.mjs'), ['--server', '--ui', 'off', '--proxy-to', upstreamUrl], {
  stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  execArgv: ['--trace-gc'],
});
let trace = '';
server.stdout.on('data', (d) => (trace += d));
const { url } = await ask(server, undefined, 'url');
const load = (amount) =>
  new Promise((resolve, reject) =>
    autocannon(
      { url: `${url}/api/v2/metrics/ingest`, method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8' }, connections, amount },
      (err, r) => (err ? reject(err) : resolve(r)),
    ),
  );
await load(40); // warm-up
const from = trace.length;
const cpu0 = await ask(server, 'cpu', 'cpu');
const r = await load(requests);
const cpu1 = await ask(server, 'cpu', 'cpu');
const gc = { Scavenge: [0, 0], 'Mark-Compact': [0, 0] };
for (const line of trace.slice(from).split('\n')) {
  const kind = line.includes('Scavenge') ? 'Scavenge' : line.includes('Mark-Compact') ? 'Mark-Compact' : undefined;
  const pause = / ([\d.]+) \/ [\d.]+ ms/.exec(line);
  if (kind === undefined || pause === null) continue;
  gc[kind][0]++;
  gc[kind][1] += Number(pause[1]);
}
console.log(
  `${build}: ${connections} connections, ${r.requests.total} requests (${r.non2xx} non-2xx): ` +
    `scavenges ${gc.Scavenge[0]} (${gc.Scavenge[1].toFixed(0)} ms), mark-compacts ${gc['Mark-Compact'][0]} (${gc['Mark-Compact'][1].toFixed(0)} ms), server CPU ${(cpu1.cpu - cpu0.cpu).toFixed(0)} ms`,
);
server.send('stop');
upstream.send('stop');
await Promise.all([new Promise((resolve) => server.once('exit', resolve)), new Promise((resolve) => upstream.once('exit', resolve))]);
