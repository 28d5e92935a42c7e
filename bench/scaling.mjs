// Scaling: validate-only throughput as lines grow longer (50 B to 50 KB, by a longer dimension value)
// and as the dimension count grows (0 to 50); the dimension value limit is lifted so the long lines are valid. Linear cost shows as constant ns per byte (and ns per
// dimension growing no faster than the line). Each row: ~4 MB of identical valid lines, median of
// 5 timings, TypeScript and native, in this one process (bench/run.mjs runs it in a fresh one).
const lib = await import(process.env.DT_INGEST_ENTRY ?? '../dist/node.js');
const NOW = 1_700_000_000_000;
const quick = process.argv.includes('--quick');
const TARGET = quick ? 1_000_000 : 4_000_000;
const enc = new TextEncoder();
const median = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];

function bodyOf(line) {
  const n = Math.max(1, Math.floor(TARGET / (line.length + 1)));
  return { bytes: enc.encode((line + '\n').repeat(n)), lines: n };
}
function time(bytes, backend) {
  const ms = [];
  let ok = 0;
  for (let k = 0; k < 6; k++) {
    const t0 = performance.now();
    const v = new lib.MetricsValidator({ now: NOW, backend, maxBodyBytes: Infinity, dimensionValueMaxLength: 1_000_000 }, { issues: false });
    v.push(bytes);
    ok = v.end().body.linesOk;
    if (k > 0) ms.push(performance.now() - t0);
  }
  return { ms: median(ms), ok };
}
function row(label, line, extra) {
  const { bytes, lines } = bodyOf(line);
  const js = time(bytes, 'js');
  if (js.ok !== lines) throw new Error(`${label}: ${js.ok} of ${lines} lines valid`);
  const nat = lib.nativeAvailable() ? time(bytes, 'native') : undefined;
  const nsLine = (js.ms * 1e6) / lines;
  return `| ${label} | ${line.length} | ${(bytes.length / 1e6 / (js.ms / 1e3)).toFixed(0)} | ${nat ? (bytes.length / 1e6 / (nat.ms / 1e3)).toFixed(0) : 'n/a'} | ${nsLine.toFixed(0)} | ${(nsLine / line.length).toFixed(2)} | ${extra(nsLine)} |`;
}

const out = [
  '### Scaling (validate-only, valid lines)',
  '',
  '| line | bytes / line | TS MB/s | native MB/s | TS ns / line | TS ns / byte | |',
  '|---|---:|---:|---:|---:|---:|---|',
];
for (const size of [50, 500, 5_000, 50_000]) {
  const head = 'cpu.usage,host=';
  const tail = ' gauge,42.5 1700000000000';
  const line = head + 'h'.repeat(Math.max(1, size - head.length - tail.length)) + tail;
  out.push(row(`${size} B`, line, () => ''));
}
let base;
for (const dims of [0, 1, 5, 10, 25, 50]) {
  let line = 'cpu.usage';
  for (let d = 0; d < dims; d++) line += `,dim${String(d).padStart(2, '0')}=value-${d}`;
  line += ' 42.5';
  out.push(
    row(`${dims} dimensions`, line, (ns) => {
      if (dims === 0) base = ns;
      return dims === 0 ? '' : `${((ns - base) / dims).toFixed(0)} ns per dimension`;
    }),
  );
}
console.log(out.join('\n'));
