/**
 * The shared corpus of the stream adapter tests: the benchmark's realistic exporter lines with
 * typical mistakes, interleaved with the awkward cases (blank and space-only lines, CRLF, UTF-8,
 * quoted values with escapes, metadata valid/invalid/repeated, key rewrites, an unterminated last
 * line), and the reference every adapter must match.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { LineResultCollector } from '../../../src/stream/core.js';
import { isMetricsSummary, parseMetrics, validateMetrics } from '../../../src/index.js';
import type { MetricsOptions, MetricsStreamResult, MetricsValidationResult } from '../../../src/index.js';

interface CorpusModule {
  NOW: number;
  generateCorpus(o: { bytes: number; invalidRatio: number; seed?: number; now?: number }): { text: string; lines: number; invalid: number };
}

// a computed specifier: the .mjs has no declarations, and the test needs none
const corpusPath: string = '../../../bench/corpus.mjs';
const bench = (await import(corpusPath)) as CorpusModule;

export const NOW = bench.NOW;

const AWKWARD = [
  '#cpu.temp gauge dt.meta.displayName="CPU \\"temp\\"",dt.meta.unit=Cel',
  'cpu.temp,host="web 01, rack=2",region=eu\\ west gauge,min=1.5,max=2.5,sum=4,count=2',
  'cpu.temp,city=Zürich,emoji=😀 42\r',
  '',
  '   ',
  'bad key here',
  'requests.count,path=/a\\,b count,delta=-3',
  'my.metric,a="unterminated 1',
  `latency,svc=api 12.5 ${NOW - 1000}\r`,
  '#cpu.temp gauge dt.meta.unit=Byte',
  '#bad metadata line',
  'orders gauge,count=3',
  'orders count,delta=4',
  'name.with.ünïcödé 1',
  'dim.utf8,stadt="Köln am Rhein",中文=值 7',
  `too.old 1 ${NOW - 7_200_000}`,
  '\r',
  'x'.repeat(260) + ' 1',
  'ok.metric 1e+10',
];

/** About 200 lines: generated ones with ~20 % mistakes, an awkward one every 4th, no final LF. */
export function buildCorpus(): string {
  const generated = bench.generateCorpus({ bytes: 24_000, invalidRatio: 0.2, seed: 7, now: NOW }).text.split('\n');
  generated.pop();
  const out: string[] = [];
  for (let i = 0; i < generated.length; i++) {
    out.push(generated[i]!);
    if (i % 3 === 2) out.push(AWKWARD[((i / 3) % AWKWARD.length) | 0]!);
  }
  return out.join('\n') + '\n' + AWKWARD.join('\n') + '\nlast.line,host=a 5';
}

export const CORPUS = buildCorpus();
export const CORPUS_BYTES = new TextEncoder().encode(CORPUS);

/** Option sets: defaults; short lines (the over-long path across chunks); a body over the size limit. */
export const OPTION_SETS: { name: string; options: MetricsOptions }[] = [
  { name: 'defaults', options: { now: NOW } },
  { name: 'maxLineLength 200', options: { now: NOW, maxLineLength: 200, warningsField: 'warningLines' } },
  { name: 'body over maxBodyBytes', options: { now: NOW, maxBodyBytes: 10_000 } },
];

/** The results every adapter must give: the collector fed the whole body at once. */
export function reference(bytes: Uint8Array, options: MetricsOptions): MetricsStreamResult[] {
  const c = new LineResultCollector(options);
  return [...c.push(bytes), ...c.end()];
}

/**
 * Checks the reference itself against the one-call APIs: the summary is `validateMetrics`, each line
 * agrees with `parseMetrics`, and the line issues are the summary's issues in order.
 */
export function checkReference(results: MetricsStreamResult[], bytes: Uint8Array, options: MetricsOptions): void {
  const last = results[results.length - 1]!;
  expect(isMetricsSummary(last)).toBe(true);
  if (!isMetricsSummary(last)) return;
  expect(last.summary).toEqual(validateMetrics(bytes, options));
  const parsed = parseMetrics(bytes, options);
  const lines = results.slice(0, -1);
  expect(lines.length).toBe(parsed.length);
  const lineIssues = [];
  for (let i = 0; i < lines.length; i++) {
    const r = lines[i]!;
    const p = parsed[i]!;
    if (isMetricsSummary(r)) throw new Error('summary before the end');
    expect(r.line).toBe(p.line);
    if (!r.ok) {
      expect('issue' in p && p.issue).toEqual(r.issue);
      lineIssues.push(r.issue);
    } else {
      if (r.kind === 'data') expect('point' in p && p.point).toEqual(r.point);
      else expect('metadata' in p && p.metadata).toEqual(r.metadata);
      for (const w of ('warnings' in p && p.warnings) || []) expect(r.warnings).toContainEqual(w);
      lineIssues.push(...(r.warnings ?? []));
    }
  }
  expect(lineIssues).toEqual(last.summary.issues.filter((i) => i.line !== undefined));
}

/** The valid lines of a body, each with one LF, in order: what a filter must pass on. */
export function validLines(text: string, options: MetricsOptions): string {
  const physical = text.split('\n');
  let out = '';
  for (const p of parseMetrics(text, options)) {
    if ('issue' in p) continue;
    let l = physical[p.line - 1]!;
    if (l.endsWith('\r')) l = l.slice(0, -1);
    out += l + '\n';
  }
  return out;
}

/** Cuts bytes into chunks of the given sizes, cycling through them. */
export function cut(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let pos = 0;
  for (let i = 0; pos < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    out.push(bytes.slice(pos, pos + n));
    pos += n;
  }
  return out;
}

/** Cuts a string into chunks of the given sizes in UTF-16 units (a surrogate pair may be cut). */
export function cutString(text: string, sizes: number[]): string[] {
  const out: string[] = [];
  let pos = 0;
  for (let i = 0; pos < text.length; i++) {
    const n = sizes[i % sizes.length]!;
    out.push(text.slice(pos, pos + n));
    pos += n;
  }
  return out;
}

/** Chunk sizes: mostly small and odd (mid-line, mid-UTF-8, between CR and LF), some large. */
export const chunkSizes: fc.Arbitrary<number[]> = fc.array(fc.oneof(fc.integer({ min: 1, max: 17 }), fc.integer({ min: 18, max: 5000 })), {
  minLength: 1,
  maxLength: 40,
});

/** Runs of the property tests (each run feeds the whole corpus through an adapter). */
export const RUNS = 25;

/** Concatenates byte chunks and decodes them. */
export function joinText(chunks: Uint8Array[]): string {
  return Buffer.concat(chunks).toString('utf8');
}

/** The summary of a result list (the last entry). */
export function summaryOf(results: MetricsStreamResult[]): MetricsValidationResult {
  const last = results[results.length - 1];
  if (last === undefined || !isMetricsSummary(last)) throw new Error('no summary at the end');
  return last.summary;
}
