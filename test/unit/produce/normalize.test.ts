import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDimensionKey, normalizeDimensionValue, normalizeMetadataValue, normalizeMetricKey } from '../../../src/produce/index.js';
import { METRICS_DEFAULTS, parseMetrics, validateMetrics } from '../../../src/index.js';
import { decodeVectorInput, loadMetricVectors } from '../../helpers/vectors.js';

// ---------------------------------------------------------------------------------------------------
// The normalizer rows of the vectors (test/fixtures/vectors/metrics.tsv, decoded by the shared helper).

const KINDS = new Set(['metric_key', 'dim_key', 'dim_value', 'metadata_value']);
const rows = loadMetricVectors().filter((r) => KINDS.has(r.kind));
for (const r of rows) expect(r.expect).toBe('normalized');

const normalizers: Record<string, (s: string) => string | null> = {
  metric_key: (s) => normalizeMetricKey(s),
  dim_key: (s) => normalizeDimensionKey(s),
  dim_value: (s) => normalizeDimensionValue(s),
  metadata_value: (s) => normalizeMetadataValue(s),
};

describe('metrics.tsv normalizer vectors (default options)', () => {
  it('decodes the cell escapes', () => {
    expect(decodeVectorInput('a\\tb\\nc\\rd\\u005cne\\ f')).toBe('a\tb\nc\rd\\ne\\ f');
  });
  it('has rows of all four kinds', () => {
    for (const k of KINDS) expect(rows.some((r) => r.kind === k)).toBe(true);
  });
  for (const r of rows) {
    it(`row ${r.row}: ${r.kind} ${JSON.stringify(r.input)} → ${r.detail}`, () => {
      const expected = r.detail === '(dropped)' ? null : r.detail;
      expect(normalizers[r.kind]!(r.input)).toBe(expected);
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// Examples beyond the vectors: spec §6 text, options, cuts.

describe('normalizeMetricKey', () => {
  it('keeps valid keys unchanged', () => {
    for (const k of ['cpu.load', 'a_b-c.d', '_x.y_', 'Abc.DEF']) expect(normalizeMetricKey(k)).toBe(k);
  });
  it('prefixes a later digit section under the default, not with allowDigitLeadingSections', () => {
    expect(normalizeMetricKey('a.0b')).toBe('a._0b');
    expect(normalizeMetricKey('system.load.1m')).toBe('system.load._1m');
    expect(normalizeMetricKey('a.0b', { allowDigitLeadingSections: true })).toBe('a.0b');
    expect(normalizeMetricKey('a.-0b')).toBe('a._0b');
  });
  it('returns null for reserved dt. keys, also when repair produces one', () => {
    expect(normalizeMetricKey('dt.cpu')).toBeNull();
    expect(normalizeMetricKey('dt..cpu')).toBeNull();
    expect(normalizeMetricKey('dtx.cpu')).toBe('dtx.cpu');
  });
  it('keeps too-short keys by default, drops them with shortMetricKey: null', () => {
    expect(normalizeMetricKey('a.')).toBe('a');
    expect(normalizeMetricKey('a.', { shortMetricKey: 'null' })).toBeNull();
    expect(normalizeMetricKey('abc', { shortMetricKey: 'null' })).toBe('abc');
  });
  it('cuts to metricKeyMaxLength, also after a digit-section prefix', () => {
    const long = 'a'.repeat(300);
    expect(normalizeMetricKey(long)).toBe('a'.repeat(255));
    expect(normalizeMetricKey('abc.1234', { metricKeyMaxLength: 8 })).toBe('abc._123');
    expect(normalizeMetricKey('abcdefg.1', { metricKeyMaxLength: 8 })).toBe('abcdefg');
  });
  it('replaces a non-BMP character by one _', () => {
    expect(normalizeMetricKey('ab\u{1F600}cd')).toBe('ab_cd');
  });
});

describe('normalizeDimensionKey', () => {
  it('lowercases ASCII only', () => {
    expect(normalizeDimensionKey('Dim.Host')).toBe('dim.host');
    expect(normalizeDimensionKey('\u00c4x')).toBe('_x');
  });
  it('drops leading and empty sections, keeps dt.', () => {
    expect(normalizeDimensionKey('..a..b.')).toBe('a.b');
    expect(normalizeDimensionKey('dt.entity.host')).toBe('dt.entity.host');
    expect(normalizeDimensionKey('')).toBeNull();
  });
  it('cuts to dimensionKeyMaxLength', () => {
    expect(normalizeDimensionKey('k'.repeat(150))).toBe('k'.repeat(100));
    expect(normalizeDimensionKey('abc.def', { dimensionKeyMaxLength: 4 })).toBe('abc');
  });
});

describe('normalizeDimensionValue', () => {
  it('escapes the five characters', () => {
    expect(normalizeDimensionValue('a b,c=d"e\\f')).toBe('a\\ b\\,c\\=d\\"e\\\\f');
  });
  it('returns null for the empty value', () => {
    expect(normalizeDimensionValue('')).toBeNull();
  });
  it('cuts the escaped value to the maximum, never inside an escape or a surrogate pair', () => {
    // the case: the libraries give `\=` x 125 (250 code units), not 270 escaped pairs
    expect(normalizeDimensionValue('='.repeat(270))).toBe('\\='.repeat(125));
    expect(normalizeDimensionValue('   x', { dimensionValueMaxLength: 2 })).toBe('\\ ');
    expect(normalizeDimensionValue('   x', { dimensionValueMaxLength: 3 })).toBe('\\ ');
    expect(normalizeDimensionValue(' ', { dimensionValueMaxLength: 1 })).toBeNull();
    expect(normalizeDimensionValue('ab\u{1F600}', { dimensionValueMaxLength: 3 })).toBe('ab');
    expect(normalizeDimensionValue('ab\u{1F600}', { dimensionValueMaxLength: 4 })).toBe('ab\u{1F600}');
    expect(normalizeDimensionValue('v'.repeat(300))).toBe('v'.repeat(250));
    expect(normalizeDimensionValue('v'.repeat(300), { dimensionValueMaxLength: 255 })).toBe('v'.repeat(255));
  });
  // Facts from the Go library's own table (dynatrace-metric-utils-go normalize/dimensionvalue_test.go,
  // "escape sequence not broken apart", "escape too long string"); the JS and Python libraries cut the
  // same way (cut, replace controls, escape, cut, drop an odd trailing backslash).
  it.each([
    ['a'.repeat(249) + '=', 'a'.repeat(249)],
    ['a'.repeat(248) + '==', 'a'.repeat(248) + '\\='],
    ['a'.repeat(247) + '\\\\\\', 'a'.repeat(247) + '\\\\'],
    ['\\'.repeat(270), '\\\\'.repeat(125)],
    ['='.repeat(250), '\\='.repeat(125)],
  ])('library cut %#', (input, expected) => {
    expect(normalizeDimensionValue(input)).toBe(expected);
  });
  it('replaces lone surrogates and control runs', () => {
    expect(normalizeDimensionValue('a\ud800b')).toBe('a_b');
    expect(normalizeDimensionValue('a\t\r\n\u007fb')).toBe('a_b');
  });
});

describe('normalizeMetadataValue', () => {
  // The Java library (dynatrace-metric-utils-java, NormalizerTest "provideMetadataValues", unquoted
  // inputs) is the only reference library that writes metadata; its expected outputs, as facts.
  it.each([
    ['value', 'value'],
    ['VALUE', 'VALUE'],
    ['a:3', 'a:3'],
    ['~@#ä', '~@#ä'],
    ['a b', '"a b"'],
    ['a,b', '"a,b"'],
    ['a=b', '"a=b"'],
    ['a\\b', '"a\\b"'],
    ['key="value"', '"key=\\"value\\""'],
    ['a\nb', '"a\\nb"'],
    ['\n', '"\\n"'],
    ['\u0000a\u0007', '"a"'],
    ['a\u0001b', '"ab"'],
    ['\u0041\u0062', 'Ab'],
    ['\uD83D\uDE00', '\uD83D\uDE00'],
    ['\u0000a', '"a"'],
    ['\u0000\u0000\u0000a', '"a"'],
    ['a\u0000\u0000\u0000', '"a"'],
    ['a\u0000\u0007\u0000b', '"ab"'],
    ['"something', '"\\"something"'],
    ['something"', '"something\\""'],
    ["'something'", "'something'"],
    ['"mylist":[a,b,c]', '"\\"mylist\\":[a,b,c]"'],
  ])('as the Java library: %j → %s', (input, expected) => {
    expect(normalizeMetadataValue(input)).toBe(expected);
  });
  it('returns null where the Java library drops the value', () => {
    expect(normalizeMetadataValue('')).toBeNull();
    expect(normalizeMetadataValue('\u0000\u0000')).toBeNull();
  });
  // Where the Java library's output reads back as other text (its backslash is never doubled), the
  // backslash is doubled exactly where a single one would be read as an escape.
  it('doubles a backslash only before " \\ n, an LF or the closing quote', () => {
    expect(normalizeMetadataValue(' ,=\\')).toBe('" ,=\\\\"'); // Java: `" ,=\"`, an unclosed quote
    expect(normalizeMetadataValue('a\\nb')).toBe('"a\\\\nb"'); // Java: `"a\nb"`, read back as an LF
    expect(normalizeMetadataValue('a\\"')).toBe('"a\\\\\\""');
    expect(normalizeMetadataValue('a\\\nb')).toBe('"a\\\\\\nb"');
    expect(normalizeMetadataValue('say "hi" \\o/')).toBe('"say \\"hi\\" \\o/"');
  });
  it('removes CR and other controls, quoting what it changed', () => {
    expect(normalizeMetadataValue('line1\r\nline2')).toBe('"line1\\nline2"');
    expect(normalizeMetadataValue('a\tb')).toBe('"ab"');
    expect(normalizeMetadataValue('a\u0085b\u007f')).toBe('"ab"');
    expect(normalizeMetadataValue('a\ud800b')).toBe('"ab"');
  });
  it('repairs a unit and cuts to the property limit, quoting a cut text', () => {
    expect(normalizeMetadataValue('per cent', { metadataProperty: 'unit' })).toBe('per_cent');
    expect(normalizeMetadataValue('u'.repeat(70), { metadataProperty: 'unit' })).toBe('u'.repeat(63));
    expect(normalizeMetadataValue('d'.repeat(301), { metadataProperty: 'displayName' })).toBe('"' + 'd'.repeat(300) + '"');
    expect(normalizeMetadataValue('d'.repeat(300), { metadataProperty: 'displayName' })).toBe('d'.repeat(300));
  });
  it('cuts so that the written form fits, never inside an escape or a surrogate pair', () => {
    const o = (n: number) => ({ metadataProperty: 'displayName' as const, metadataDisplayNameMaxLength: n });
    expect(normalizeMetadataValue('"'.repeat(10), o(5))).toBe('"' + '\\"'.repeat(2) + '"');
    expect(normalizeMetadataValue('ab\ncd', o(3))).toBe('"ab"');
    expect(normalizeMetadataValue('ab\ncd', o(4))).toBe('"ab\\n"');
    expect(normalizeMetadataValue('a\\b', o(2))).toBe('"a"'); // `a\` at the end would be `a\\`: 3 units
    expect(normalizeMetadataValue('a\\b', o(3))).toBe('"a\\b"');
    expect(normalizeMetadataValue('ab\u{1F600}', o(3))).toBe('"ab"');
    expect(normalizeMetadataValue('ab\u{1F600}', o(4))).toBe('ab\u{1F600}');
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties: whatever goes in, what comes out is null or follows the spec's character rules. The
// checks below are written from spec §2 / §5 directly (not from the code under test).

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLower = (c: number): boolean => c >= 97 && c <= 122;

/** Spec §2 "Metric key": sections of A-Z a-z 0-9 - _; first starts with letter or _, later not with - (nor digit by default). */
function metricKeyCharsOk(key: string, allowDigit: boolean): boolean {
  const sections = key.split('.');
  for (let s = 0; s < sections.length; s++) {
    const sec = sections[s]!;
    if (sec.length === 0) return false;
    for (let i = 0; i < sec.length; i++) {
      const c = sec.charCodeAt(i);
      if (!(isLetter(c) || isDigit(c) || c === 45 || c === 95)) return false;
    }
    const c0 = sec.charCodeAt(0);
    if (s === 0 && !(isLetter(c0) || c0 === 95)) return false;
    if (s > 0 && (c0 === 45 || (!allowDigit && isDigit(c0)))) return false;
  }
  return !key.startsWith('dt.');
}

/** Spec §2 "Dimensions": lowercase sections of a-z 0-9 - . : _ each starting with a letter or _. */
function dimKeyCharsOk(key: string): boolean {
  for (const sec of key.split('.')) {
    if (sec.length === 0) return false;
    const c0 = sec.charCodeAt(0);
    if (!(isLower(c0) || c0 === 95)) return false;
    for (let i = 0; i < sec.length; i++) {
      const c = sec.charCodeAt(i);
      if (!(isLower(c) || isDigit(c) || c === 45 || c === 58 || c === 95)) return false;
    }
  }
  return true;
}

/** Spec §2 bare value: no unescaped space , = " ; `\` escapes exactly those and itself; no controls. Returns the unescaped length or -1. */
function bareValueLength(v: string): number {
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 32 || c === 127) return -1;
    if (c === 92) {
      const d = v.charCodeAt(i + 1);
      if (!(d === 32 || d === 44 || d === 61 || d === 34 || d === 92)) return -1;
      i++;
    } else if (c === 32 || c === 44 || c === 61 || c === 34) {
      return -1;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const d = v.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return -1;
      n++;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return -1;
    }
    n++;
  }
  return n;
}

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom('a', 'Z', '0', '9', '.', '-', '_', ':', ' ', ',', '=', '"', '\\', '\n', '\u0001', '\u00e4', '\ud83d', '\ude00'),
    maxLength: 40,
  }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
);

/** A bare escaped dimension value back to its text (spec §2: `\` escapes space , = " and itself). */
function unescapeBare(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) out += v[i] === '\\' ? v[++i]! : v[i]!;
  return out;
}

/** The Java library's removals, written from its description: controls except LF (C0, DEL, C1) and lone surrogates go. */
function withoutControls(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s.slice(i, i + 2);
      i++;
    } else if (!((c < 0x20 && c !== 10) || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff))) {
      out += s[i];
    }
  }
  return out;
}

/** Code units of a metadata text between its quotes, from spec §5 and the literal-backslash rule: `"` and LF take two, a backslash two where it would read as an escape. */
function writtenLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    n += c === '"' || c === '\n' || (c === '\\' && (next === undefined || '"\\n\n'.includes(next))) ? 2 : 1;
  }
  return n;
}

describe('normalizer properties', () => {
  it('metric key: null or valid characters, within the maximum, idempotent', () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (s, allowDigit) => {
        const out = normalizeMetricKey(s, { allowDigitLeadingSections: allowDigit });
        if (out === null) return;
        expect(metricKeyCharsOk(out, allowDigit)).toBe(true);
        expect(out.length).toBeLessThanOrEqual(METRICS_DEFAULTS.metricKeyMaxLength);
        expect(normalizeMetricKey(out, { allowDigitLeadingSections: allowDigit })).toBe(out);
      }),
      { numRuns: 2000 },
    );
  });
  it('metric key with shortMetricKey: null passes the validator', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const out = normalizeMetricKey(s, { shortMetricKey: 'null' });
        if (out === null) return;
        expect(validateMetrics(`${out} 1`).status).toBe(202);
      }),
      { numRuns: 500 },
    );
  });
  it('dimension key: null or valid characters, within the maximum, idempotent', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const out = normalizeDimensionKey(s);
        if (out === null) return;
        expect(dimKeyCharsOk(out)).toBe(true);
        expect(out.length).toBeLessThanOrEqual(METRICS_DEFAULTS.dimensionKeyMaxLength);
        expect(normalizeDimensionKey(out)).toBe(out);
      }),
      { numRuns: 2000 },
    );
  });
  it('dimension value: null or a valid bare value whose escaped form fits the maximum; the validator agrees', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 1, max: 300 }), (s, max) => {
        const out = normalizeDimensionValue(s, { dimensionValueMaxLength: max });
        if (out === null) {
          // nothing fits: empty, or the first code point is a surrogate pair or an escaped character
          expect(s.length === 0 || (max === 1 && (s.codePointAt(0)! > 0xffff || ' ,="\\'.includes(s[0]!)))).toBe(true);
          return;
        }
        const n = bareValueLength(out);
        expect(n).toBeGreaterThan(0);
        // the written (escaped) form within the maximum: accepted whichever way the server counts
        expect(out.length).toBeLessThanOrEqual(max);
        expect(validateMetrics(`abc,k=${out} 1`, { dimensionValueMaxLength: max }).status).toBe(202);
        expect(normalizeDimensionValue(unescapeBare(out), { dimensionValueMaxLength: max })).toBe(out);
      }),
      { numRuns: 1000 },
    );
  });
  it("dimension value: the same output as the reference libraries' algorithm", () => {
    // The libraries (Go, JS, Python): cut to max, each control run to '_', escape, cut to max, and
    // drop a trailing backslash left alone by the cut. Written here from that description, with the
    // validator's control set (0x00-0x1F, 0x7F) and surrogate-free input.
    const library = (v: string, max: number): string | null => {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are the point (the library's replacement)
      let t = v.slice(0, max).replace(/[\x00-\x1f\x7f]+/g, '_');
      t = t.replace(/[ ,="\\]/g, (c) => '\\' + c).slice(0, max);
      const trailing = /\\+$/.exec(t);
      if (trailing !== null && trailing[0].length % 2 === 1) t = t.slice(0, -1);
      return t === '' ? null : t;
    };
    const text = fc.string({ unit: fc.constantFrom('a', 'ä', ' ', ',', '=', '"', '\\', '\u0001', '\u007f', '\t'), maxLength: 60 });
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 40 }), (s, max) => {
        expect(normalizeDimensionValue(s, { dimensionValueMaxLength: max })).toBe(library(s, max));
      }),
      { numRuns: 2000 },
    );
  });
  it('metadata value: the validator reads back the text without its controls, cut to fit the limit when given', () => {
    const property = fc.constantFrom(undefined, 'displayName' as const, 'description' as const);
    fc.assert(
      fc.property(anyText, property, fc.integer({ min: 1, max: 60 }), (s, prop, limit) => {
        const options = prop === undefined ? {} : { metadataProperty: prop, metadataDisplayNameMaxLength: limit, metadataDescriptionMaxLength: limit };
        const out = normalizeMetadataValue(s, options);
        const kept = withoutControls(s);
        if (out === null) {
          expect(kept === '' || prop !== undefined).toBe(true);
          return;
        }
        const parsed = parseMetrics(`#abc gauge dt.meta.${prop ?? 'description'}=${out}`, { now: 0 })[0]!;
        expect('metadata' in parsed, `${out} ${JSON.stringify(parsed)}`).toBe(true);
        const text = 'metadata' in parsed ? parsed.metadata.properties[prop ?? 'description']! : '';
        if (prop === undefined) expect(text).toBe(kept);
        else {
          expect(kept.startsWith(text)).toBe(true);
          const body = out.startsWith('"') ? out.slice(1, -1) : out;
          expect(body.length).toBeLessThanOrEqual(limit);
          // the cut keeps as much as fits: one more code point would not
          if (text.length < kept.length) {
            const next = kept.codePointAt(text.length)! > 0xffff ? 2 : 1;
            expect(writtenLength(kept.slice(0, text.length + next))).toBeGreaterThan(limit);
          }
        }
        // quoted exactly when the Java library quotes: something changed, or a character needs it
        const quoted = out.startsWith('"');
        expect(quoted).toBe(text !== s || /[ ,="\\\n]/.test(text));
      }),
      { numRuns: 1000 },
    );
  });
  it('dimension key and metadata values pass the validator in a line', () => {
    fc.assert(
      fc.property(anyText, anyText, (k, v) => {
        const key = normalizeDimensionKey(k);
        if (key !== null) expect(validateMetrics(`abc,${key}=v 1`).status).toBe(202);
        for (const property of ['displayName', 'description', 'unit'] as const) {
          const value = normalizeMetadataValue(v, { metadataProperty: property });
          if (value === null) continue;
          const r = validateMetrics(`#abc gauge dt.meta.${property}=${value}`);
          expect(r.status, `${value} ${JSON.stringify(r.issues)}`).toBe(202);
        }
      }),
      { numRuns: 500 },
    );
  });
});
