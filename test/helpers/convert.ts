/**
 * Helpers of the converter tests (unit, property, hostile, fuzz): run a converter over chunks and
 * collect its lines, and the arbitraries of StatsD and Influx text (grammar-shaped lines mixed with
 * hostile bytes).
 */
import fc from 'fast-check';
import type { ConvertCounts, ConvertProblem, ConvertSink, SourceConverter } from '../../src/convert/source.js';
import { LineWriter } from '../../src/convert/write-lines.js';
import { validateMetrics } from '../../src/report/validate.js';

/** What a converter gave. */
export interface Converted {
  text: string;
  problems: ConvertProblem[];
  counts: ConvertCounts;
}

/** Runs `open(sink)` over `chunks` (then `end()`), collecting lines and problems. */
export function runConverter(open: (sink: ConvertSink) => SourceConverter, chunks: readonly Uint8Array[]): Converted {
  const writer = new LineWriter();
  let text = '';
  const problems: ConvertProblem[] = [];
  const c = open({ points: (b) => (text += writer.write(b)), problem: (p) => problems.push(p) });
  for (const chunk of chunks) c.push(chunk);
  c.end();
  return { text, problems, counts: c.counts };
}

/** The metrics validator's options for converted lines: timestamps are the input's, so any is in the window. */
export const OPEN_WINDOW = { now: 1_700_000_000_000, timestampPastMs: 1e15, timestampFutureMs: 1e15 } as const;

/** Throws unless every converted line is one the metrics endpoint accepts. */
export function assertAllValid(text: string): void {
  if (text === '') return;
  const r = validateMetrics(text, OPEN_WINDOW);
  if (r.status !== 202) {
    const first = r.issues.find((i) => i.severity === 'error');
    throw new Error(`converted line rejected: ${JSON.stringify(first)} in ${JSON.stringify(text.slice(0, 400))}`);
  }
}

const piece = (alphabet: string, max = 12): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...alphabet), maxLength: max });

/** StatsD-shaped lines, some broken, with every delimiter and some non-ASCII and control bytes. */
export const statsdLine: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.oneof(piece('abcXY_.-1', 16), piece('abcXY_.-1 é', 16)),
        fc.oneof(fc.integer().map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), fc.constantFrom('+4', '-2', '.5', '1e3')),
        fc.constantFrom('c', 'g', 'ms', 'h', 'd', 's'),
        fc.option(fc.constantFrom('|@0.5', '|@1', '|@0.001', '|@0.3')),
        fc.option(fc.array(fc.tuple(piece('abcAB._-1', 8), piece('abc 1:é,="\\', 8)), { maxLength: 6 })),
        fc.option(fc.constantFrom('|T1700000000', '|c:abc')),
      )
      .map(
        ([n, v, t, rate, tags, extra]) =>
          `${n}:${v}|${t}${rate ?? ''}${tags === null ? '' : '|#' + tags.map(([k, val]) => `${k}:${val}`).join(',')}${extra ?? ''}`,
      ),
  },
  fc
    .tuple(
      piece('abcXY_.-1 é:', 16),
      fc.oneof(fc.double({ noNaN: false }).map(String), fc.integer().map(String), piece('+-0123456789.e', 6)),
      fc.constantFrom('c', 'g', 'ms', 'h', 'd', 's', 'x', ''),
      fc.option(fc.constantFrom('|@0.5', '|@1', '|@0', '|@2', '|@', '|@0.001')),
      fc.option(fc.array(fc.tuple(piece('abcAB._-:1 é=,"\\', 8), piece('abc 1:é,"\\\u0001', 8)), { maxLength: 6 })),
      fc.option(fc.constantFrom('|T1700000000', '|Tx', '|c:abc', '|e:1')),
    )
    .map(
      ([n, v, t, rate, tags, extra]) =>
        `${n}:${v}|${t}${rate ?? ''}${tags === null ? '' : '|#' + tags.map(([k, val]) => `${k}:${val}`).join(',')}${extra ?? ''}`,
    ),
  piece(':|#@,.\n\r\t T+-e019aé\u0000\u007f', 40),
);

/** Influx-shaped lines, some broken, with every escape. */
export const influxLine: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.oneof(
          piece('cpuMé_.', 10).filter((m) => m !== '' && !m.startsWith('#')),
          fc.constantFrom('cpu', 'my meas', 'a,b'),
        ),
        fc.array(
          fc.tuple(
            piece('hostH_.', 8).filter((k) => k !== ''),
            piece('ab1é"', 8).filter((v) => v !== ''),
          ),
          { maxLength: 5 },
        ),
        fc.array(
          fc.tuple(
            piece('vxV_.', 8).filter((k) => k !== ''),
            fc.oneof(
              fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
              fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((b) => `${b}i`),
              fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((b) => `${b}u`),
              fc.constantFrom('t', 'true', 'FALSE', '"str"', '"a \\" b"', '.5', '1.', '1e3'),
            ),
          ),
          { minLength: 1, maxLength: 5 },
        ),
        fc.option(fc.constantFrom('1700000000000000000', '-5', '0')),
      )
      .map(
        ([m, tags, fields, ts]) =>
          `${m}${tags.map(([k, v]) => `,${k}=${v}`).join('')} ${fields.map(([k, v]) => `${k}=${v}`).join(',')}${ts === null ? '' : ' ' + ts}`,
      ),
  },
  fc
    .tuple(
      piece('cpuMé_\\, .', 10),
      fc.array(fc.tuple(piece('hostH\\=, ._', 8), piece('ab1\\=, é"', 8)), { maxLength: 5 }),
      fc.array(
        fc.tuple(
          piece('vxV\\=, _.', 8),
          fc.oneof(
            fc.double().map(String),
            fc.bigInt({ min: -(2n ** 64n), max: 2n ** 65n }).map((b) => `${b}i`),
            fc.bigInt({ min: 0n, max: 2n ** 65n }).map((b) => `${b}u`),
            fc.constantFrom('t', 'T', 'true', 'FALSE', 'f', 'tRUE', '"str"', '"a \\" b"', '"open', '', '+1', '.5', '1.', '1e3', 'NaN'),
          ),
        ),
        { maxLength: 5 },
      ),
      fc.option(
        fc.oneof(fc.constantFrom('1700000000000000000', '-5', '9223372036854775808', 'x'), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n }).map(String)),
      ),
    )
    .map(
      ([m, tags, fields, ts]) =>
        `${m}${tags.map(([k, v]) => `,${k}=${v}`).join('')} ${fields.map(([k, v]) => `${k}=${v}`).join(',')}${ts === null ? '' : ' ' + ts}`,
    ),
  piece(' ,=\\"#tfiu.-e019aé\u0001\n', 40),
);

/** A body of lines and a cut point inside it. */
export const bodyAndCut = (line: fc.Arbitrary<string>): fc.Arbitrary<[string, number]> =>
  fc.array(line, { maxLength: 12 }).chain((lines) => {
    const text = lines.join('\n');
    return fc.tuple(fc.constant(text), fc.nat({ max: Buffer.byteLength(text) }));
  });
