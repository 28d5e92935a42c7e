/**
 * The fused pass (src/metrics/region.ts) is an acceptor: it may only count a line that the reference
 * scanner (LineScanner) judges valid, with the same key rewrite. These tests hold it to that line by
 * line, and hold the whole validator (fused pass) to the reference path (every line through the
 * reference scanner, which `onLine` forces) on generated, mutated and random bodies under random
 * options and cuts. They also check that the pass does accept the lines real exporters send, since a
 * pass that sent everything to the reference scanner would be correct and useless.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeySuffix, LineKind, MetricsValidator, RuleCode, resolveMetricsOptions, type MetricsOptions } from '../../../src/index.js';
import { LineScanner } from '../../../src/metrics/scanner.js';
import { RegionScanner, type RegionCounter } from '../../../src/metrics/region.js';
// @ts-expect-error plain JS module shared with the fuzzers
import { body, cuts, grammarLine, options, piecesOf } from '../../../fuzz/bodies.mjs';
// @ts-expect-error plain JS module shared with the benchmarks
import { generateCorpus, NOW } from '../../../bench/corpus.mjs';

const enc = new TextEncoder();

/** What the fused pass said of each line of a region: plain, rewritten (with suffix) or handed on. */
function fusedVerdicts(bytes: Uint8Array, opts: MetricsOptions): Map<number, string> {
  const region = new RegionScanner(resolveMetricsOptions(opts));
  const verdicts = new Map<number, string>();
  const host: RegionCounter = {
    line: (_b, _s, _e, line) => verdicts.set(line, 'full'),
    keyRewritten: (line, _b, _ks, _ke, suffix) => verdicts.set(line, `rewrite:${suffix}`),
  };
  const plain = region.scan(bytes, 0, bytes.length, 1, host);
  // lines neither handed on nor rewritten were counted as plain (or were empty)
  let counted = 0;
  for (let line = 1; line <= region.lines; line++) {
    if (!verdicts.has(line)) {
      verdicts.set(line, 'plain');
      counted++;
    }
  }
  const empty = [...new TextDecoder().decode(bytes).split('\n').entries()].filter(([i, l]) => l === '' && i < region.lines).length;
  expect(counted - empty).toBe(plain);
  return verdicts;
}

/** The reference scanner's verdict of one line, in the same words. */
function referenceVerdict(scanner: LineScanner, bytes: Uint8Array, start: number, end: number): string {
  const view = scanner.createView();
  scanner.scan(view, bytes, start, end, 1);
  if (view.kind === LineKind.BLANK) return 'blank';
  if (view.error !== 0 || view.kind !== LineKind.DATA) return 'other';
  return view.warning === RuleCode.METRIC_KEY_CHANGED ? `rewrite:${view.keySuffix}` : 'plain';
}

/** Checks every line the fused pass accepted against the reference scanner. Returns the share accepted. */
function checkAgainstReference(text: string, opts: MetricsOptions): { accepted: number; validLines: number } {
  const bytes = enc.encode(text.endsWith('\n') ? text : text + '\n');
  const fused = fusedVerdicts(bytes, opts);
  const scanner = new LineScanner(resolveMetricsOptions(opts));
  let start = 0;
  let line = 1;
  let accepted = 0;
  let validLines = 0;
  while (start < bytes.length) {
    const nl = bytes.indexOf(10, start);
    const reference = referenceVerdict(scanner, bytes, start, nl);
    const verdict = fused.get(line)!;
    if (verdict !== 'full' && reference !== 'blank')
      expect({ line, text: new TextDecoder().decode(bytes.subarray(start, nl)), verdict }).toEqual({
        line,
        text: new TextDecoder().decode(bytes.subarray(start, nl)),
        verdict: reference,
      });
    if (reference === 'plain' || reference.startsWith('rewrite')) {
      validLines++;
      if (verdict !== 'full') accepted++;
    }
    start = nl + 1;
    line++;
  }
  return { accepted, validLines };
}

const runs = Number(process.env.FC_RUNS ?? 300);

describe('the fused pass accepts only what the reference scanner calls valid', () => {
  it('on grammar-shaped lines, mutated lines and random text, under random options', () => {
    fc.assert(
      fc.property(body(NOW), options(NOW), (bytes: Uint8Array, opts: MetricsOptions) => {
        checkAgainstReference(new TextDecoder().decode(bytes), opts);
      }),
      { numRuns: runs },
    );
  });

  it('on single grammar lines with every option variant', () => {
    fc.assert(
      fc.property(
        fc.array(grammarLine(NOW) as fc.Arbitrary<string>, { minLength: 1, maxLength: 20 }),
        options(NOW),
        fc.constantFrom('\n', '\r\n'),
        (lines: string[], opts: MetricsOptions, nl: string) => {
          checkAgainstReference(lines.join(nl) + nl, opts);
        },
      ),
      { numRuns: runs },
    );
  });

  it('near misses are handed on, never counted', () => {
    const misses = [
      'my.metric 1e400',
      'my.metric 9e300',
      'my.metric 1e',
      'my.metric 1e+',
      'my.metric 1e00001',
      'my.metric 1.e5',
      'my.metric 5.',
      'my.metric .5',
      'my.metric  1',
      'my.metric 1 ',
      'my.metric 1\t',
      'my.metric,a=b  1',
      'my.metric,a=é 1',
      'my.metric,a="é" 1',
      'my.metric,a=b\\ 1',
      'my.metric,a="b 1',
      'my.metric,a="b"x 1',
      'my.metric,A=b 1',
      'my.metric,a.=b 1',
      'my.metric,.a=b 1',
      'my.metric,a=b=c 1',
      'my.metric,a=b" 1',
      'my.metric gauge,min=1,max=2,sum=9,count=2',
      'my.metric gauge,max=2,min=1,sum=3,count=2',
      'my.metric count,5',
      'my.metric count,delta=',
      'my.metric gauge,',
      'my.metric gauge',
      'my.metric 1 17000000000000',
      'my.metric 1 1700000000000x',
      'my.metric 1 1700000000000 9',
      'dt.my.metric 1',
      'ab 1',
      'a..b 1',
      'a.-b 1',
      'a.1b 1',
      'a. 1',
      'a.b. 1',
      'a.b.c.d.-e 1',
      'my.metric,a..b=c 1',
      'my.metric,a.1=c 1',
      'my.metric,a.-=c 1',
      'my.metric,a.:b=c 1',
      'my.metric,a.b.=c 1',
      'my.metric,a.B=c 1',
      '1ab 1',
      'my.metric',
      'my.metric,',
      'my.metric,a',
      '#my.metric gauge dt.meta.unit=Byte',
      '   ',
      'my.metric 1\r\r',
      'my.metric ' + '9'.repeat(301),
      'my.metric -',
      'my.metric --1',
      'my.metric 0x10',
      'my.metric NaN',
      'my.metric 1,5',
    ];
    for (const line of misses) {
      const verdicts = fusedVerdicts(enc.encode(line + '\n'), { now: NOW });
      expect({ line, verdict: verdicts.get(1) }).toEqual({ line, verdict: 'full' });
    }
  });

  it('reads keys and dimension keys with a dot at every place of the four-byte turn, and values of every length', () => {
    // every key from 'ab' to 'ab.c.de.fgh'-like shapes: sections of 1 to 5 bytes, so a dot (and the
    // byte after it) falls on each of keyEnd's four steps and the key ends on each of them
    const lines: string[] = [];
    for (let a = 1; a <= 5; a++)
      for (let b = 1; b <= 5; b++)
        for (const after of ['x', '_', '1', '-', '.', ':']) {
          const key = 'm'.repeat(a) + '.' + 'k'.repeat(b) + '.' + after + 'z';
          const dim = 'd'.repeat(a) + '.' + 'e'.repeat(b) + '.' + after + 'z';
          const value = 'v'.repeat(a + b);
          lines.push(`${key},${dim}=${value} 1`, `m.k,${dim}="${value}" 1`, `${key} gauge,2`);
        }
    for (const opts of [{ now: NOW }, { now: NOW, allowDigitLeadingSections: true }]) {
      const { accepted, validLines } = checkAgainstReference(lines.join('\n') + '\n', opts);
      // every valid line is counted by the fused pass (and checkAgainstReference held each verdict)
      expect(accepted).toBe(validLines);
      expect(validLines).toBeGreaterThanOrEqual(lines.length / 3);
    }
  });

  it('counts numbers with exponents whose value is certainly finite (what Java and .NET exporters write)', () => {
    for (const line of [
      'my.metric 4.2E6',
      'my.metric 1e-300',
      'my.metric -1.5e+10',
      'my.metric gauge,2E2',
      'my.metric.count count,delta=3e2',
      'my.metric 1e200 ' + NOW,
    ]) {
      const verdicts = fusedVerdicts(enc.encode(line + '\n'), { now: NOW });
      expect({ line, verdict: verdicts.get(1) }).toEqual({ line, verdict: 'plain' });
    }
  });

  it('counts and rewrites the lines real exporters send (LF and CRLF): nearly all, and right', () => {
    for (const lineEnding of ['\n', '\r\n']) {
      const corpus = generateCorpus({ bytes: 300_000, now: NOW, lineEnding });
      const { accepted, validLines } = checkAgainstReference(corpus.text, { now: NOW });
      // only the metadata lines (one in 200) go to the reference scanner
      expect(accepted / validLines).toBeGreaterThan(0.99);
    }
    const suffixes = fusedVerdicts(enc.encode('requests count,delta=1\nrequests.count 5\nreq_count gauge,min=1,max=1,sum=1,count=1\n'), { now: NOW });
    expect([...suffixes.values()]).toEqual([`rewrite:${KeySuffix.COUNT}`, `rewrite:${KeySuffix.GAUGE}`, `rewrite:${KeySuffix.GAUGE}`]);
  });
});

/** Validates `bytes` cut at `points`; `reference` sends every line through the reference scanner. */
function validate(bytes: Uint8Array, points: number[], opts: MetricsOptions, reference: boolean) {
  const v = new MetricsValidator(opts, reference ? { onLine: () => {} } : {});
  for (const piece of piecesOf(bytes, points) as Uint8Array[]) v.push(piece);
  return v.end();
}

describe('the validator answers the same through the fused pass as through the reference scanner', () => {
  for (const backend of ['js', 'auto'] as const) {
    it(`on random bodies, options and cuts (backend ${backend})`, () => {
      fc.assert(
        fc.property(body(NOW), cuts(), options(NOW), (bytes: Uint8Array, points: number[], opts: MetricsOptions) => {
          const o = { ...opts, backend };
          expect(validate(bytes, points, o, false)).toEqual(validate(bytes, points, o, true));
        }),
        { numRuns: runs },
      );
    });
  }

  it('on the exporter corpus with invalid lines, LF and CRLF, cut into 64 KB chunks', () => {
    for (const lineEnding of ['\n', '\r\n']) {
      const bytes = enc.encode(generateCorpus({ bytes: 400_000, invalidRatio: 0.05, now: NOW, lineEnding }).text);
      const points = [];
      for (let p = 65_536; p < bytes.length; p += 65_536) points.push(p);
      const fused = validate(bytes, points, { now: NOW }, false);
      expect(fused).toEqual(validate(bytes, points, { now: NOW }, true));
      expect(fused.issues.some((i) => i.rule === 'metric-key-changed')).toBe(true);
    }
  });
});
