// The byte loop of bench/hotpath.mjs (the floor any JavaScript reader of the bytes pays), the timing
// helpers, and the validator contenders shared by bench/hotpath.mjs and bench/native.mjs, for scripts
// that report ratios to the byte loop in one process.
//   const table = new Uint8Array(256); for (const c of ' ,="\\\n') table[c.charCodeAt(0)] = 1;
//   let n = 0; for (let i = 0; i < bytes.length; i++) n += table[bytes[i]];

const table = new Uint8Array(256);
for (const c of ' ,="\\\n') table[c.charCodeAt(0)] = 1;

/** The byte loop over `bytes`. */
export function byteLoop(bytes) {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) n += table[bytes[i]];
  return n;
}

/**
 * This process's CPU time in ms (user + system). Benchmarks time with it, not the wall clock: on a
 * shared machine the wall clock counts the time other processes hold the core, CPU time does not.
 */
export function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs f(input) until minMs of CPU time passed; CPU ms per call. */
export function time(f, input, minMs) {
  let n = 0;
  const t0 = cpuMs();
  let t = t0;
  do {
    f(input);
    n++;
    t = cpuMs();
  } while (t - t0 < minMs);
  return (t - t0) / n;
}

/** The median of an array of numbers. */
export function median(a) {
  const s = a.slice().sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** CPU µs per call of f: the median of `rounds` rounds of `calls` calls each, after as many to warm up. */
export function microsPerCall(f, rounds, calls = 20000) {
  for (let w = 0; w < calls; w++) f();
  const us = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = cpuMs();
    for (let k = 0; k < calls; k++) f();
    us.push(((cpuMs() - t0) * 1000) / calls);
  }
  return median(us);
}

/**
 * The validator contenders over an input `{ chunks }` (one chunk, or 64 KB chunks of a stream), with
 * no body limit: validate-only (counts and the endpoint's body) and the rich report.
 */
export function validatorContenders(lib, now) {
  const opts = (backend) => ({ now, backend, maxBodyBytes: Infinity });
  return {
    validateOnly: (backend) => (input) => {
      const v = new lib.MetricsValidator(opts(backend), { issues: false });
      for (const c of input.chunks) v.push(c);
      return v.end().body.linesOk;
    },
    rich: (backend) => (input) => {
      const v = new lib.MetricsValidator(opts(backend));
      for (const c of input.chunks) v.push(c);
      const r = v.end();
      return r.body.linesOk + r.issues.length;
    },
    opts,
  };
}
