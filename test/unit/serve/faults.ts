/**
 * The proxy's accounting contract under upstream faults: a seeded, fault-injecting stand-in for the
 * real environment (`scripts/fault-upstream.mjs`, shared with the soak), a sender that keeps a ledger of every line it sent, and a line-by-line check of
 * the proxy's answers against what the stand-in stored (`docs/proxy.md`, "The accounting contract").
 *
 * The stand-in judges each piece as the endpoint would (stricter than the proxy: at most 3
 * dimensions, so it rejects lines the proxy let through, and it lists at most 4 of them, as the real
 * endpoint lists only the first 10) and then, by its seeded dice, does one of `FAULTS` with it.
 * Every sender line is unique, so the stand-in's store says how often each was stored.
 */
import http from 'node:http';
import { startServer, type RunningServer } from '../../../src/serve/index.js';
import { parseLineRanges } from '../../../src/produce/index.js';
import { validateMetrics } from '../../../src/report/validate.js';
// @ts-expect-error plain JS module: the benchmarks' seeded PRNG (mulberry32)
import { rng } from '../../../bench/corpus.mjs';
// the stand-in, shared with the soak (scripts/soak.mjs)
import { startFaultUpstream, type Fault, type FaultUpstream } from '../../../scripts/fault-upstream.mjs';

/** A seeded PRNG. */
const prng = rng as (seed: number) => () => number;

export type { Fault };

/** How often each fault happens (weights). */
export const FAULTS: Readonly<Record<Fault, number>> = {
  ok: 52,
  '400-no-vr': 4,
  '429': 7,
  '503': 7,
  '413': 6,
  'late-after-store': 5,
  'late-no-store': 3,
  'close-before-store': 4,
  'close-after-store': 4,
  '202-no-vr-after-store': 2,
  '500-after-store': 2,
};

/**
 * Faults whose outcome the proxy cannot know: the only ones that may make a line `unknown`
 * (`cut-in-transit`: the proxy gave up while the body was arriving). Besides, a line may be unknown
 * when the proxy's own timeout ran out before the stand-in saw it at all (a loaded machine): the
 * proxy cannot tell that from an upstream that stored and did not answer; the figures count those.
 */
const UNCERTAIN: ReadonlySet<string> = new Set([
  'late-after-store',
  'late-no-store',
  'close-before-store',
  'close-after-store',
  '202-no-vr-after-store',
  '500-after-store',
  'incomplete-list',
  'cut-in-transit',
]);

const NOW = 1_700_000_000_000;
/** The stand-in lists at most this many invalid lines (the real endpoint: 10). */
const LIST_CAP = 4;
/** The proxy's upstream timeout, and how late a late answer comes. */
const TIMEOUT_MS = 120;
const LATE_MS = 300;
const UPSTREAM_MAX_BYTES = 600;

/** The stand-in: judged stricter than the proxy (at most 3 dimensions), every sender line its own store key. */
function startStandIn(random: () => number): Promise<FaultUpstream> {
  return startFaultUpstream({
    random,
    faults: FAULTS,
    judge: (body) => {
      const verdict = validateMetrics(body, { now: NOW, maxDimensions: 3, maxReportedErrors: Number.POSITIVE_INFINITY });
      const invalid = new Map<number, string>();
      for (const l of (verdict.body as { error?: { invalidLines?: { line: number; error: string }[] } }).error?.invalidLines ?? [])
        invalid.set(l.line, l.error);
      return invalid;
    },
    keyOf: (text) => (text.trim() === '' ? undefined : text),
    listCap: LIST_CAP,
    lateMs: LATE_MS,
    seen: true,
  });
}

/** What a sender line is. */
type Kind = 'valid' | 'blank' | 'local-invalid' | 'upstream-invalid' | 'oversized';

interface SentLine {
  text: string;
  kind: Kind;
}

function makeBody(random: () => number, req: number): SentLine[] {
  const n = 5 + Math.floor(random() * 56);
  // a body is clean, or has lines the proxy rejects, or lines only the upstream rejects, or both
  const profile = random();
  const localBad = profile < 0.35 ? 0.1 : 0;
  const upstreamBad = profile > 0.25 && profile < 0.7 ? 0.08 : 0;
  const out: SentLine[] = [];
  for (let i = 1; i <= n; i++) {
    const r = random();
    const id = `r=${req},l=${i}`;
    if (r < 0.06) out.push({ text: random() < 0.5 ? '' : '   ', kind: 'blank' });
    else if (r < 0.06 + localBad) out.push({ text: `fault.bad,${id} notanumber`, kind: 'local-invalid' });
    else if (r < 0.06 + localBad + upstreamBad) out.push({ text: `fault.wide,${id},x=1,y=2 ${i}`, kind: 'upstream-invalid' });
    else if (r > 0.985) out.push({ text: `fault.big,${id},a=${'a'.repeat(240)},b=${'b'.repeat(240)},c=${'c'.repeat(240)} ${i}`, kind: 'oversized' });
    else out.push({ text: `fault.metric,${id} ${i}`, kind: 'valid' });
  }
  return out;
}

/** One HTTP POST to the proxy. */
function post(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8', authorization: 'Api-Token dt0c01.FAULTS' }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

type LineClass = 'invalid' | 'not-ingested' | 'unknown' | 'ingested';

/**
 * The classes a proxy answer gives the lines of its body, read as a sender reads them: an answer
 * with `error.notIngestedLines` lists the classes; a 202/400 `ValidationResponse` without it lists the
 * invalid lines and means the rest was ingested; any other answer means nothing was stored.
 */
function classify(status: number, text: string, sent: SentLine[]): { classes: Map<number, LineClass>; linesOk: number | undefined; problem?: string } {
  const classes = new Map<number, LineClass>();
  let body:
    | { linesOk?: number; linesInvalid?: number; error?: { invalidLines?: { line: number }[]; notIngestedLines?: string; unknownLines?: string } | null }
    | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  const nonBlank = sent.map((l, i) => (l.kind === 'blank' ? 0 : i + 1)).filter((n) => n > 0);
  const hasFields = body?.error !== undefined && body.error !== null && typeof body.error.notIngestedLines === 'string';
  const isVr = body !== undefined && typeof body.linesOk === 'number' && typeof body.linesInvalid === 'number';
  if (!hasFields && !((status === 202 || status === 400) && isVr)) {
    for (const n of nonBlank) classes.set(n, 'not-ingested');
    return { classes, linesOk: undefined };
  }
  const mark = (n: number, c: LineClass): string | undefined => {
    if (n < 1 || n > sent.length) return `line ${n} is not in the body`;
    if (sent[n - 1]!.kind === 'blank') return undefined; // ranges may span blank lines
    if (classes.has(n)) return `line ${n} is both ${classes.get(n)} and ${c}`;
    classes.set(n, c);
    return undefined;
  };
  let problem: string | undefined;
  for (const l of body!.error?.invalidLines ?? []) problem ??= mark(l.line, 'invalid');
  if (hasFields) {
    for (const n of parseLineRanges(body!.error!.notIngestedLines!)) problem ??= mark(n, 'not-ingested');
    for (const n of parseLineRanges(body!.error!.unknownLines ?? '')) problem ??= mark(n, 'unknown');
  }
  for (const n of nonBlank) if (!classes.has(n)) classes.set(n, 'ingested');
  const invalidCount = [...classes.values()].filter((c) => c === 'invalid').length;
  if (body!.linesInvalid !== invalidCount) problem ??= `linesInvalid ${body!.linesInvalid} but ${invalidCount} listed (the lists must be complete)`;
  return { classes, linesOk: body!.linesOk, ...(problem !== undefined ? { problem } : {}) };
}

/** The figures of one run. */
export interface FaultRunFigures {
  seed: number;
  /** Requests the sender made to the proxy, and upstream requests the stand-in saw. */
  requests: number;
  upstreamRequests: number;
  /** Upstream requests per fault. */
  faults: Record<string, number>;
  /** Non-blank lines sent, per class of the answers. */
  lines: number;
  ingested: number;
  invalid: number;
  notIngested: number;
  unknown: number;
  /** Lines the stand-in stored (each once: `storedTwice` is 0 when the contract holds). */
  stored: number;
  storedTwice: number;
  /** Unknown lines that the stand-in in fact stored. */
  unknownStored: number;
  /** Unknown lines the stand-in never saw in an uncertain exchange: the proxy's timeout ran out first. */
  unknownTimeoutOnly: number;
  /** Answers per status. */
  statuses: Record<string, number>;
  /** Every broken promise found (empty when the contract holds). */
  violations: string[];
}

/**
 * Runs `requests` bodies through two proxies (with and without `--filter`) in front of one
 * stand-in, `concurrency` at a time, and checks every line of every answer.
 * @example const figures = await runFaultScenario({ seed: 7, requests: 80, concurrency: 3 });
 */
export async function runFaultScenario(options: { seed: number; requests: number; concurrency: number }): Promise<FaultRunFigures> {
  const random = prng(options.seed);
  const standIn = await startStandIn(prng(options.seed ^ 0x5eed));
  const common = {
    mode: 'proxy' as const,
    upstream: standIn.url,
    upstreamMaxBytes: UPSTREAM_MAX_BYTES,
    upstreamTimeoutMs: TIMEOUT_MS,
    retryCount: 2,
    retryBaseMs: 2,
    retryMaxDelayMs: 5,
    retryBudgetMs: 2_000,
    random: prng(options.seed ^ 0xbac0ff),
    metrics: { now: NOW, maxReportedErrors: 100_000 },
  };
  const proxies: RunningServer[] = [await startServer({ ...common, filter: true }), await startServer(common)];
  const sent: { index: number; lines: SentLine[]; status: number; text: string; filter: boolean }[] = [];
  try {
    const bodies = Array.from({ length: options.requests }, (_, i) => ({ index: i + 1, lines: makeBody(random, i + 1), filter: random() < 0.6 }));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < bodies.length) {
        const b = bodies[next++]!;
        const r = await post(`${(b.filter ? proxies[0]! : proxies[1]!).url}/api/v2/metrics/ingest`, b.lines.map((l) => l.text).join('\n') + '\n');
        sent.push({ index: b.index, lines: b.lines, status: r.status, text: r.text, filter: b.filter });
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    await Promise.all(proxies.map((p) => p.close()));
    await standIn.close();
  }

  const figures: FaultRunFigures = {
    seed: options.seed,
    requests: sent.length,
    upstreamRequests: standIn.requests,
    faults: standIn.faults,
    lines: 0,
    ingested: 0,
    invalid: 0,
    notIngested: 0,
    unknown: 0,
    stored: 0,
    storedTwice: 0,
    unknownStored: 0,
    unknownTimeoutOnly: 0,
    statuses: {},
    violations: [],
  };
  const violation = (what: string): void => {
    if (figures.violations.length < 50) figures.violations.push(what);
  };
  for (const [, n] of standIn.stored) {
    figures.stored++;
    if (n > 1) figures.storedTwice++;
  }
  for (const s of sent) {
    figures.statuses[s.status] = (figures.statuses[s.status] ?? 0) + 1;
    const { classes, linesOk, problem } = classify(s.status, s.text, s.lines);
    const where = `request ${s.index} (${s.filter ? 'filter' : 'no filter'}, status ${s.status})`;
    if (problem !== undefined) violation(`${where}: ${problem}: ${s.text.slice(0, 300)}`);
    let ingested = 0;
    s.lines.forEach((line, i) => {
      if (line.kind === 'blank') return;
      const c = classes.get(i + 1)!;
      figures.lines++;
      const stored = standIn.stored.get(line.text) ?? 0;
      const seen = standIn.seen!.get(line.text);
      const at = `${where}, line ${i + 1} (${line.kind}, ${c}, stored ${stored}, upstream saw it ${seen?.join('/') ?? 'never'})`;
      if (stored > 1) violation(`${at}: stored twice`);
      if ((line.kind === 'local-invalid' || line.kind === 'oversized') && seen !== undefined) violation(`${at}: an invalid line was forwarded`);
      if (line.kind === 'local-invalid' && c !== 'invalid') violation(`${at}: a locally invalid line not reported invalid`);
      switch (c) {
        case 'ingested':
          ingested++;
          figures.ingested++;
          if (stored !== 1) violation(`${at}: called ingested but not stored`);
          break;
        case 'invalid':
          figures.invalid++;
          if (stored !== 0) violation(`${at}: called invalid but stored`);
          break;
        case 'not-ingested':
          figures.notIngested++;
          if (stored !== 0) violation(`${at}: called not ingested but stored`);
          break;
        case 'unknown':
          figures.unknown++;
          if (stored > 0) figures.unknownStored++;
          if (seen === undefined || !seen.some((f) => UNCERTAIN.has(f))) {
            if (s.text.includes('no answer within')) figures.unknownTimeoutOnly++;
            else violation(`${at}: called unknown though every answer about it was certain`);
          }
          break;
      }
    });
    if (linesOk !== undefined && linesOk !== ingested) violation(`${where}: linesOk ${linesOk} but ${ingested} lines ingested`);
  }
  return figures;
}
