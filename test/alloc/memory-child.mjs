// Runs in a child process started with --expose-gc: pushes LINES lines, every one with a metric key
// never seen before and warned about (a count under a key without `.count`, spec §3), through ONE
// consumer, and prints the heap plus array buffers after a full collection at line 1,000,000 and at
// the last line, so the parent judges growth under distinct keys (issue 19: bounded state).
// argv: <entry> <mode> <backend> [lines]
//   validate     MetricsValidator, validate-only, maxBodyBytes lifted (the cap of listed warnings holds)
//   validate413  MetricsValidator, validate-only, endpoint defaults (a 413 past 1 MiB lists nothing)
//   rich         MetricsValidator, rich report with onIssue (issues dropped), maxBodyBytes lifted
//   metadata     MetricsValidator, rich report with onIssue: distinct metadata keys (issue 21 item 8)
//   batch        MetricBatchDecoder, one reused batch
//   unbounded    validate, with maxReportedWarnings: Infinity (must grow: the check can fail)
const [entry, mode, backend = 'js', total = '3000000'] = process.argv.slice(2);
const lib = await import(entry);
const NOW = 1_700_000_000_000;
const LINES = Number(total);
const MARK = LINES / 3;
const CHUNK_LINES = 2048;

// one line: `kk.n<7 digits> count,delta=1\n` (or a metadata line for the key), written in place
const enc = new TextEncoder();
const head = enc.encode(mode === 'metadata' ? '#kk.n' : 'kk.n');
const tail = enc.encode(mode === 'metadata' ? ' count dt.meta.unit=By\n' : ' count,delta=1\n');
const LINE = head.length + 7 + tail.length;
const chunk = new Uint8Array(CHUNK_LINES * LINE);
function fill(first) {
  for (let l = 0; l < CHUNK_LINES; l++) {
    const at = l * LINE;
    chunk.set(head, at);
    let n = first + l;
    for (let d = 6; d >= 0; d--) {
      chunk[at + head.length + d] = 48 + (n % 10);
      n = Math.floor(n / 10);
    }
    chunk.set(tail, at + head.length + 7);
  }
}

function measure() {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

let issues = 0;
let push;
let finish;
if (mode === 'batch') {
  let points = 0;
  const d = new lib.MetricBatchDecoder({ now: NOW }, (b) => {
    points += b.length;
  });
  push = (c) => d.push(c);
  finish = () => {
    d.end();
    return points;
  };
} else {
  const options = { now: NOW, backend, maxBodyBytes: mode === 'validate413' ? undefined : Number.POSITIVE_INFINITY };
  if (mode === 'unbounded') options.maxReportedWarnings = Number.POSITIVE_INFINITY;
  const report = mode === 'rich' || mode === 'metadata';
  const v = new lib.MetricsValidator(options, report ? { onIssue: () => issues++ } : { issues: false });
  push = (c) => v.push(c);
  finish = () => {
    const r = v.end();
    return r.body.linesOk ?? v.linesOk;
  };
}

let atMark = 0;
for (let first = 0; first < LINES; first += CHUNK_LINES) {
  if (first === Math.floor(MARK / CHUNK_LINES) * CHUNK_LINES) atMark = measure();
  fill(first);
  push(chunk);
}
const atEnd = measure();
const ok = finish();
process.stdout.write(`${JSON.stringify({ mode, backend, lines: LINES, ok, issues, atMark, atEnd, growth: atEnd - atMark })}\n`);
