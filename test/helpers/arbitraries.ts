/**
 * fast-check arbitraries for the metrics line grammar (spec §2), shared by property tests and fuzzers.
 */
import fc from 'fast-check';

const lower = 'abcdefghijklmnopqrstuvwxyz';
const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const digits = '0123456789';
const pick = (chars: string) => fc.constantFrom(...chars.split(''));
const str = (chars: string, min: number, max: number) => fc.array(pick(chars), { minLength: min, maxLength: max }).map((a) => a.join(''));

/** A valid metric key section after the first: starts with a letter or '_', then A-Za-z0-9-_. */
const keySection = fc.tuple(pick(lower + upper + '_'), str(lower + upper + digits + '-_', 0, 8)).map(([a, b]) => a + b);

/** A valid metric key (3..255 chars, not starting with dt.). */
export const metricKey = fc
  .tuple(
    fc.tuple(pick(lower + upper + '_'), str(lower + upper + digits + '-_', 2, 10)).map(([a, b]) => a + b),
    fc.array(keySection, { maxLength: 4 }),
  )
  .map(([first, rest]) => [first, ...rest].join('.'))
  .filter((k) => !k.startsWith('dt.') && k.length <= 255);

/** A valid dimension key: lowercase sections starting with a letter or '_'. */
export const dimensionKey = fc
  .array(
    fc.tuple(pick(lower + '_'), str(lower + digits + '-_:', 0, 8)).map(([a, b]) => a + b),
    { minLength: 1, maxLength: 3 },
  )
  .map((s) => s.join('.'));

/** Raw dimension value text (unescaped): printable ASCII and some non-ASCII, no controls. */
export const dimensionText = fc
  .array(
    fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c)) },
      { weight: 1, arbitrary: fc.constantFrom('é', '€', '😀', 'ß', '中') },
    ),
    { minLength: 1, maxLength: 20 },
  )
  .map((a) => a.join(''));

/** Escapes a raw value in the bare form. */
export function escapeBare(v: string): string {
  let out = '';
  for (const ch of v) out += ch === ' ' || ch === ',' || ch === '=' || ch === '"' || ch === '\\' ? '\\' + ch : ch;
  return out;
}

/** Escapes a raw value in the quoted form. */
export function escapeQuoted(v: string): string {
  let out = '"';
  for (const ch of v) out += ch === '"' || ch === '\\' ? '\\' + ch : ch;
  return out + '"';
}

/** A number in the protocol grammar whose value is finite. */
export const protocolNumber = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }).map((d) => String(d)),
  fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99999 }), fc.integer({ min: -20, max: 20 })).map(([a, b, e]) => `${a}.${b}e${e}`),
);

/** A valid payload: gauge, gauge,<n>, summary (consistent), count,delta=<n>; with a fitting key suffix. */
export const payload = fc.oneof(
  protocolNumber.map((n) => ({ text: n, type: 'gauge' as const })),
  protocolNumber.map((n) => ({ text: `gauge,${n}`, type: 'gauge' as const })),
  fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 100 })).map(([min, spread, count]) => {
    const max = min + spread;
    const avg = min + spread / 2;
    return { text: `gauge,min=${min},max=${max},sum=${avg * count},count=${count}`, type: 'gauge' as const };
  }),
  protocolNumber.map((n) => ({ text: `count,delta=${n}`, type: 'count' as const })),
);

/** A valid data line for `now` (timestamps inside the window), with its parts. */
export function dataLine(now: number) {
  return fc
    .record({
      key: metricKey,
      dims: fc.array(fc.record({ key: dimensionKey, value: dimensionText, quoted: fc.boolean() }), { maxLength: 8 }),
      payload,
      ts: fc.option(fc.integer({ min: now - 3_600_000, max: now + 600_000 }), { nil: undefined }),
      spaces: fc.constantFrom(' ', ' ', '  '),
    })
    .map((r) => {
      const key = r.payload.type === 'count' ? r.key + '.count' : r.key.endsWith('count') ? r.key + 'x' : r.key;
      const dims = r.dims.map((d) => `,${d.key}=${d.quoted ? escapeQuoted(d.value) : escapeBare(d.value)}`).join('');
      const text = key + dims + r.spaces + r.payload.text + (r.ts === undefined ? '' : ' ' + r.ts);
      return { ...r, key, text };
    })
    .filter((r) => r.key.length <= 255);
}
