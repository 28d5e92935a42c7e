// A seeded, fault-injecting stand-in for the Dynatrace environment, for proving the proxy's
// accounting contract (`docs/proxy.md`): the property test (test/unit/serve/faults.ts) and the soak
// (scripts/soak.mjs) both put their proxies in front of it. Plain JS, so that the soak runs it on
// the built package without a compiler; the validator comes from the caller (the sources in the
// test, dist/ in the soak).
//
// It judges each request as the endpoint would (with the caller's `judge`, stricter than the proxy,
// so it rejects lines the proxy let through), lists at most `listCap` of the invalid lines (the real
// endpoint lists the first 10), and then, by its seeded dice, does one of the faults with it. Stored
// lines are counted by `keyOf(line)` (a line without a key is never stored), so that the caller can
// check each answer against what was stored.
import http from 'node:http';

// What the stand-in can do with one request:
// - `ok`: stores the valid lines and answers 202/400 with a ValidationResponse;
// - `400-no-vr`, `429`, `503`, `413`: stores nothing and answers so (429/503 with `Retry-After: 0`);
// - `late-after-store`: stores, answers after `lateMs`; `late-no-store`: answers 503 after `lateMs`;
// - `close-before-store`, `close-after-store`: closes the connection without an answer;
// - `202-no-vr-after-store`: stores, answers 202 without a body; `500-after-store`: stores, answers 500.

/** One key of `weights` drawn by `r` in [0, 1) (weights need not add up to anything). */
function pickFault(weights, r) {
  let total = 0;
  for (const k in weights) total += weights[k];
  let x = r * total;
  for (const k in weights) {
    x -= weights[k];
    if (x < 0) return k;
  }
  return Object.keys(weights)[0];
}

/** Records that the non-blank `lines` were seen in an exchange of kind `how`. */
function see(seen, lines, how) {
  if (seen === undefined) return;
  for (const text of lines) {
    if (text.trim() === '') continue;
    let list = seen.get(text);
    if (list === undefined) seen.set(text, (list = []));
    list.push(how);
  }
}

/**
 * Starts the stand-in on a free port of 127.0.0.1.
 *
 * Options: `random` (the dice), `faults` (weights by kind), `judge(body)` (the line numbers judged
 * invalid: a Map of line to error text, every one, not capped), `keyOf(line)` (the store key of a
 * line; undefined: never stored), `listCap`, `lateMs`, `seen` (true: keep, per line text, the kinds
 * of every exchange that carried it, `cut-in-transit` when the sender gave up while it arrived and
 * `incomplete-list` for an `ok` whose list was cut).
 *
 * Returns `{ url, stored, seen, faults, requests, close() }`: `stored` maps a key to how often it
 * was stored, `faults` counts the requests per kind.
 */
export async function startFaultUpstream(options) {
  const { random, faults: weights, judge, keyOf, listCap, lateMs } = options;
  const s = { url: '', stored: new Map(), seen: options.seen ? new Map() : undefined, faults: {}, requests: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('close', () => {
      // the sender gave up while the body arrived: its complete lines were seen, never stored
      if (!req.complete) see(s.seen, Buffer.concat(chunks).toString('utf8').split('\n').slice(0, -1), 'cut-in-transit');
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const fault = pickFault(weights, random());
      s.requests++;
      s.faults[fault] = (s.faults[fault] ?? 0) + 1;
      const lines = body.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const invalid = judge(body);
      const incomplete = invalid.size > listCap;
      see(s.seen, lines, fault === 'ok' && incomplete ? 'incomplete-list' : fault);
      const store = () => {
        let n = 0;
        lines.forEach((text, i) => {
          const key = keyOf(text);
          if (key === undefined || invalid.has(i + 1)) return;
          s.stored.set(key, (s.stored.get(key) ?? 0) + 1);
          n++;
        });
        return n;
      };
      const answer = (status, payload, headers = {}) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      // the endpoint's answer: every invalid line counted, the first `listCap` listed
      const judged = (ok) => {
        const listed = [...invalid].slice(0, listCap).map(([line, error]) => ({ line, error }));
        const error =
          invalid.size === 0
            ? null
            : { code: 400, message: incomplete ? `First ${listCap} errors reported` : `${invalid.size} invalid lines`, invalidLines: listed };
        return [invalid.size > 0 ? 400 : 202, { linesOk: ok, linesInvalid: invalid.size, error, warnings: null }];
      };
      switch (fault) {
        case 'ok':
          return answer(...judged(store()));
        case '400-no-vr':
          return answer(400, { error: { code: 400, message: 'Bad request (fault injected)' } });
        case '429':
        case '503':
          return answer(Number(fault), { error: { code: Number(fault), message: 'try later (fault injected)' } }, { 'retry-after': '0' });
        case '413':
          return answer(413, { error: { code: 413, message: 'Payload too large (fault injected)' } });
        case 'late-after-store': {
          const [status, payload] = judged(store());
          setTimeout(() => answer(status, payload), lateMs);
          return;
        }
        case 'late-no-store':
          setTimeout(() => answer(503, undefined), lateMs);
          return;
        case 'close-before-store':
          req.socket.destroy();
          return;
        case 'close-after-store':
          store();
          req.socket.destroy();
          return;
        case '202-no-vr-after-store':
          store();
          return answer(202, undefined);
        case '500-after-store':
          store();
          return answer(500, { error: { code: 500, message: 'Internal error (fault injected)' } });
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  s.url = `http://127.0.0.1:${server.address().port}`;
  s.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return s;
}
