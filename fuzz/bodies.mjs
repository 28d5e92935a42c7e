// Body generators for the JS-vs-native differential (fuzz/differential.mjs and
// test/native/differential.test.ts): random bytes over the protocol's alphabet, grammar-aware lines
// (data, summaries, counts, metadata) with random mutations, random option sets, and random cut
// points. Plain JS so the fuzz script runs on the built package without a TS loader.
import fc from 'fast-check';

const enc = new TextEncoder();

/** Characters that matter to the grammar, plus some that are invalid in every position. */
const ALPHABET = [
  ...'abcxyzABCZ019_-.:,= "\\#\n\r\t',
  'é',
  '€',
  '😀',
  '\u0000',
  '\u007f',
  'dt.',
  'gauge,',
  'count,',
  'delta=',
  'min=',
  'max=',
  'sum=',
  'count=',
  '#',
  'dt.meta.unit=',
  'dt.meta.displayName=',
  'dt.meta.description=',
  'e',
  'E',
  '+',
  '1e309',
  '.count',
];

const pick = (s) => fc.constantFrom(...s.split(''));
const word = (chars, min, max) => fc.array(pick(chars), { minLength: min, maxLength: max }).map((a) => a.join(''));

const lower = 'abcdefghijklmnopqrstuvwxyz';
const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const digits = '0123456789';

const keySection = fc.tuple(pick(lower + upper + '_'), word(lower + upper + digits + '-_', 0, 6)).map(([a, b]) => a + b);
const metricKey = fc.oneof(
  { weight: 6, arbitrary: fc.array(keySection, { minLength: 1, maxLength: 4 }).map((s) => s.join('.')) },
  { weight: 1, arbitrary: fc.constantFrom('requests.count', 'req_count', 'dt.x.y', 'a', 'x.1m', 'a..b', 'a.-b', '1abc', '') },
);
const dimKey = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .array(
        fc.tuple(pick(lower + '_'), word(lower + digits + '-_:', 0, 6)).map(([a, b]) => a + b),
        { minLength: 1, maxLength: 2 },
      )
      .map((s) => s.join('.')),
  },
  { weight: 1, arbitrary: fc.constantFrom('Host', 'a.', '.a', '', '9x', 'k-y') },
);
const valueChar = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom('é', '€', '😀', '中', '\t', '\u0001', '\\') },
);
const dimValue = fc.array(valueChar, { maxLength: 12 }).map((a) => a.join(''));
const bareValue = dimValue.map((v) => v.replace(/[ ,="\\]/g, (c) => '\\' + c));
const quotedValue = dimValue.map((v) => '"' + v.replace(/["\\]/g, (c) => '\\' + c) + '"');
const number = fc.oneof(
  fc.integer({ min: -100000, max: 100000 }).map(String),
  fc.double({ noNaN: true }).map(String),
  fc.constantFrom(
    '1.5',
    '.5',
    '5.',
    '-0',
    '1e400',
    '-1e-400',
    '12345678901234567890',
    '0.1e-5',
    '1E+3',
    '00.100',
    'NaN',
    '+1',
    '1,5',
    '0x10',
    '123456789012345678e-30',
    '9007199254740993',
    '1.7976931348623157e308',
  ),
);
const payload = fc.oneof(
  number,
  number.map((n) => `gauge,${n}`),
  number.map((n) => `count,delta=${n}`),
  number.map((n) => `count,${n}`),
  fc.tuple(number, number, number, fc.integer({ min: 0, max: 20 })).map(([a, b, c, d]) => `gauge,min=${a},max=${b},sum=${c},count=${d}`),
  fc
    .tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 9 }))
    .map(([min, spread, n]) => `gauge,min=${min},max=${min + spread},sum=${(min + spread / 2) * n},count=${n}`),
  fc.constantFrom('gauge,max=1,min=0,sum=1,count=2', 'gauge,min=0,max=0,sum=0,count=0', 'gauge,min=1,max=1,sum=1', 'gauge', 'count,delta=', 'string'),
);

/** A grammar-shaped line for a clock `now`: mostly valid, sometimes subtly not. */
export function grammarLine(now) {
  const data = fc
    .record({
      key: metricKey,
      dims: fc.array(fc.tuple(dimKey, fc.oneof(bareValue, quotedValue)), { maxLength: 5 }),
      sep: fc.constantFrom(' ', ' ', '  '),
      payload,
      ts: fc.option(
        fc.oneof(fc.integer({ min: now - 4_000_000, max: now + 700_000 }).map(String), fc.constantFrom('1700000000', '12x', '99999999999999999999')),
        { nil: undefined },
      ),
      tail: fc.constantFrom('', '', '', ' ', ' extra', '\r'),
    })
    .map((r) => r.key + r.dims.map(([k, v]) => `,${k}=${v}`).join('') + r.sep + r.payload + (r.ts === undefined ? '' : ' ' + r.ts) + r.tail);
  const meta = fc
    .record({
      key: metricKey,
      type: fc.constantFrom('gauge', 'count', 'summary'),
      props: fc.array(
        fc.tuple(
          fc.constantFrom('dt.meta.unit', 'dt.meta.displayName', 'dt.meta.DESCRIPTION', 'dt.meta.other', 'meta.unit'),
          fc.oneof(word(lower + upper + '%[]{}/_', 0, 8), quotedValue, dimValue),
        ),
        { minLength: 0, maxLength: 3 },
      ),
    })
    .map((r) => `#${r.key} ${r.type} ${r.props.map(([k, v]) => `${k}=${v}`).join(',')}`);
  return fc.oneof(
    { weight: 8, arbitrary: data },
    { weight: 2, arbitrary: meta },
    { weight: 1, arbitrary: fc.constantFrom('', '   ', '\r', 'x'.repeat(120) + ' 1') },
  );
}

/** Applies random single-character edits (insert, delete, replace) to a string. */
function mutate(text, edits) {
  let s = text;
  for (const [op, at, ch] of edits) {
    const i = s.length === 0 ? 0 : at % (s.length + 1);
    if (op === 0) s = s.slice(0, i) + ch + s.slice(i);
    else if (op === 1) s = s.slice(0, i) + s.slice(i + 1);
    else s = s.slice(0, i) + ch + s.slice(i + 1);
  }
  return s;
}
const edit = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.nat(), fc.constantFrom(...ALPHABET));

/** A body as bytes: grammar lines (some mutated) or random protocol-alphabet text or random bytes. */
export function body(now) {
  const lines = fc
    .array(fc.tuple(grammarLine(now), fc.array(edit, { maxLength: 2 }), fc.boolean()), { maxLength: 30 })
    .map((ls) => ls.map(([l, e, m]) => (m ? mutate(l, e) : l)));
  const grammar = fc
    .tuple(lines, fc.constantFrom('\n', '\n', '\r\n'), fc.boolean())
    .map(([ls, nl, trailing]) => enc.encode(ls.join(nl) + (trailing ? nl : '')));
  const text = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 200 }).map((a) => enc.encode(a.join('')));
  const bytes = fc.uint8Array({ maxLength: 300 });
  return fc.oneof({ weight: 6, arbitrary: grammar }, { weight: 2, arbitrary: text }, { weight: 1, arbitrary: bytes });
}

/** Options that move the decided rules and the limits into reach of short inputs. */
export function options(now) {
  return fc
    .record(
      {
        maxLineLength: fc.constantFrom(50_000, 40, 100),
        metricKeyMinLength: fc.constantFrom(3, 1, 0),
        metricKeyMaxLength: fc.constantFrom(255, 8),
        allowDigitLeadingSections: fc.boolean(),
        maxDimensions: fc.constantFrom(50, 0, 1, 2),
        dimensionKeyMaxLength: fc.constantFrom(100, 3),
        dimensionValueMaxLength: fc.constantFrom(250, 4),
        rewriteKeySuffix: fc.boolean(),
        maxReportedErrors: fc.constantFrom(10, 1, 1000),
        timestampPastMs: fc.constantFrom(3_600_000, 0),
        ignoreCarriageReturn: fc.boolean(),
        collapseSpaces: fc.boolean(),
        summaryFieldOrder: fc.constantFrom('strict', 'any'),
        allowCountWithoutDelta: fc.boolean(),
        allowBareDecimalPoint: fc.boolean(),
        metadataUnitMaxLength: fc.constantFrom(63, 2),
        metadataDisplayNameMaxLength: fc.constantFrom(300, 3),
      },
      { requiredKeys: [] },
    )
    .map((o) => ({ ...o, now }));
}

/** Sorted cut points inside a body of `n` bytes. */
export function cuts(maxCuts = 8) {
  return fc.array(fc.nat(), { maxLength: maxCuts });
}

/** `bytes` cut at `points` (taken modulo the length, sorted): the pieces in order, empty ones included. */
export function piecesOf(bytes, points) {
  const at = points.map((p) => (bytes.length === 0 ? 0 : p % (bytes.length + 1))).sort((a, b) => a - b);
  const pieces = [];
  let prev = 0;
  for (const c of at) {
    pieces.push(bytes.subarray(prev, c));
    prev = c;
  }
  pieces.push(bytes.subarray(prev));
  return pieces;
}

/** Validates `bytes` pushed in pieces cut at `points` (mod length) with one backend. */
export function validateInPieces(MetricsValidator, bytes, points, opts, backend) {
  const v = new MetricsValidator({ ...opts, backend });
  for (const piece of piecesOf(bytes, points)) v.push(piece);
  return v.end();
}
