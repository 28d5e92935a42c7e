// Runs in a child process started with --expose-gc: pushes LINES lines through ONE cardinality
// analyzer (the bundle given as argv[2]) and prints the heap plus array buffers after a full
// collection at line LINES/3 and at the last line, so the parent judges growth, not time.
// argv: <bundle> <mode> [lines]
//   tuples    one metric key, every line a new request id (distinct tuples, a volatile dimension)
//   keys      every line a new metric key and a new tuple (past maxTrackedMetrics)
//   dims      one metric key, every line a new dimension key (past maxTrackedDimensions)
//   unbounded `tuples` with every bound lifted (exact sets without end): must grow
const [bundle, mode, total = '3000000'] = process.argv.slice(2);
const lib = await import(bundle);
const LINES = Number(total);
const MARK = LINES / 3;
const CHUNK_LINES = 2048;
const enc = new TextEncoder();

const [head, mid, tail] =
  mode === 'keys'
    ? ['k.n', ',id=', ' count,delta=1\n']
    : mode === 'dims'
      ? ['req.count,d', '=', ' count,delta=1\n']
      : ['req.count,request_id=', '', ' count,delta=1\n'];
const h = enc.encode(head);
const m = enc.encode(mid);
const t = enc.encode(tail);
// one line: head, 7 digits, mid, the same 7 digits (keys: key and tuple both new), tail
const LINE = h.length + 7 + m.length + (m.length > 0 ? 7 : 0) + t.length;
const chunk = new Uint8Array(CHUNK_LINES * LINE);
function fill(first) {
  for (let l = 0; l < CHUNK_LINES; l++) {
    let at = l * LINE;
    chunk.set(h, at);
    at += h.length;
    const digits = at;
    let n = first + l;
    for (let d = 6; d >= 0; d--) {
      chunk[at + d] = 48 + (n % 10);
      n = Math.floor(n / 10);
    }
    at += 7;
    if (m.length > 0) {
      chunk.set(m, at);
      at += m.length;
      chunk.copyWithin(at, digits, digits + 7);
      at += 7;
    }
    chunk.set(t, at);
  }
}

function measure() {
  globalThis.gc();
  globalThis.gc();
  const u = process.memoryUsage();
  return u.heapUsed + u.arrayBuffers;
}

const huge = 1e9;
const options =
  mode === 'unbounded'
    ? { exactDistinct: huge, metricExactDistinct: huge, dimensionExactDistinct: huge, maxTrackedMetrics: huge, maxTrackedDimensions: huge }
    : {};
const a = new lib.LineProtocolAnalyzer(options);
let atMark = 0;
for (let first = 0; first < LINES; first += CHUNK_LINES) {
  fill(first);
  const n = Math.min(CHUNK_LINES, LINES - first);
  a.push(n === CHUNK_LINES ? chunk : chunk.subarray(0, n * LINE));
  if (first + CHUNK_LINES >= MARK && atMark === 0) atMark = measure();
}
a.end();
const report = a.report();
const end = measure();
console.log(
  JSON.stringify({
    points: report.sample.points,
    keys: report.metricKeys.count,
    tuples: report.tuples.count,
    tuplesExact: report.tuples.exact,
    error: report.tuples.error,
    tracked: report.sample.trackedMetrics,
    growth: end - atMark,
  }),
);
