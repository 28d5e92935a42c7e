// Runs in a child process with a fixed young generation and --trace-gc: validates 100 MB from memory
// and prints markers around the measured phase, so the parent can count the scavenges inside it.
// argv: <bundle> <mode>   mode: validate-only | stream (64 KB chunks) | allocating | typed
import { generateCorpus, NOW } from '../../bench/corpus.mjs';

const [bundle, mode = 'validate-only', megabytes = '100'] = process.argv.slice(2);
const lib = await import(bundle);
const body = new TextEncoder().encode(generateCorpus({ bytes: 1_000_000 }).text);
const repeat = Number(megabytes);

function run(n) {
  let keys = 0;
  const settings = { issues: false };
  if (mode === 'allocating') settings.onLine = (view) => { keys += view.key().length; };
  if (mode === 'typed') settings.onLine = (view) => { if (view.kind === lib.LineKind.DATA && view.error === 0) keys += lib.pointOf(view).dimensions.length; };
  const v = new lib.MetricsValidator({ now: NOW, backend: 'js', maxBodyBytes: Infinity }, settings);
  for (let i = 0; i < n; i++) {
    if (mode === 'stream') for (let k = 0; k < body.length; k += 65_536) v.push(body.subarray(k, k + 65_536));
    else v.push(body);
  }
  v.end();
  return v.linesOk + keys;
}
// warm up: compile the hot paths before measuring
for (let i = 0; i < 20; i++) run(1);
process.stdout.write('@@BEGIN\n');
const lines = run(repeat);
process.stdout.write(`@@END ${lines}\n`);
