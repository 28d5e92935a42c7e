/**
 * One case per rule: the line, the rule id, the 1-based column, and the endpoint's text.
 * Read it as documentation of what each rule catches.
 */
import { describe, expect, it } from 'vitest';
import { parseMetrics, parseMetricsBatch, validateMetrics, RULE_LIST } from '../../../src/index.js';
import type { ValidationResponse } from '../../../src/index.js';

const NOW = 1_700_000_000_000;

interface Case {
  line: string;
  rule: string;
  column: number;
  endpoint: string;
  options?: Record<string, unknown>;
}

const cases: Case[] = [
  // metric key
  { line: ',a=b 1', rule: 'metric-key-empty', column: 1, endpoint: 'invalid metric key' },
  { line: 'my.me!ric 1', rule: 'metric-key-char', column: 6, endpoint: 'invalid metric key' },
  { line: 'my.metric\tgauge,1', rule: 'metric-key-char', column: 10, endpoint: 'invalid metric key' },
  { line: 'mÄtric gauge,1', rule: 'metric-key-char', column: 2, endpoint: 'invalid metric key' },
  { line: 'my..metric 1', rule: 'metric-key-empty-section', column: 4, endpoint: 'invalid metric key' },
  { line: '.my.metric 1', rule: 'metric-key-empty-section', column: 1, endpoint: 'invalid metric key' },
  { line: 'my.metric. 1', rule: 'metric-key-empty-section', column: 10, endpoint: 'invalid metric key' },
  { line: '1metric 1', rule: 'metric-key-section-start', column: 1, endpoint: 'invalid metric key' },
  { line: '-metric 1', rule: 'metric-key-section-start', column: 1, endpoint: 'invalid metric key' },
  { line: 'my.-metric 1', rule: 'metric-key-section-start', column: 4, endpoint: 'invalid metric key' },
  { line: 'system.load.1m 1', rule: 'metric-key-digit-section', column: 13, endpoint: 'invalid metric key' },
  { line: 'dt.my.metric 1', rule: 'metric-key-reserved', column: 1, endpoint: 'invalid metric key' },
  { line: 'ab 1', rule: 'metric-key-too-short', column: 1, endpoint: 'invalid metric key' },
  { line: 'a'.repeat(256) + ' 1', rule: 'metric-key-too-long', column: 1, endpoint: 'metric key length exceeded: 256 > 255' },
  {
    line: 'a'.repeat(251) + ' 1',
    rule: 'metric-key-too-long',
    column: 1,
    endpoint: 'metric key length exceeded: 251 > 250',
    options: { metricKeyMaxLength: 250 },
  },
  // dimensions
  { line: 'my.metric,=v 1', rule: 'dimension-key-empty', column: 11, endpoint: 'invalid dimension key' },
  { line: 'my.metric,a=b, 1', rule: 'dimension-key-empty', column: 15, endpoint: 'invalid dimension key' },
  { line: 'my.metric,Dim=1 gauge,1', rule: 'dimension-key-char', column: 11, endpoint: 'invalid dimension key' },
  { line: 'my.metric,di$m=1 1', rule: 'dimension-key-char', column: 13, endpoint: 'invalid dimension key' },
  { line: 'my.metric,0dim=1 1', rule: 'dimension-key-section-start', column: 11, endpoint: 'invalid dimension key' },
  { line: 'my.metric,a..b=1 1', rule: 'dimension-key-section-start', column: 13, endpoint: 'invalid dimension key' },
  { line: 'my.metric,' + 'k'.repeat(101) + '=v 1', rule: 'dimension-key-too-long', column: 11, endpoint: 'dimension key length exceeded: 101 > 100' },
  { line: 'my.metric,novalue 1', rule: 'dimension-missing-equals', column: 18, endpoint: 'invalid dimension key' },
  { line: 'my.metric,novalue', rule: 'dimension-missing-equals', column: 18, endpoint: 'invalid dimension key' },
  { line: 'my.metric,a=b"c 1', rule: 'dimension-value-char', column: 14, endpoint: 'invalid dimension value' },
  { line: 'my.metric,a=b=c 1', rule: 'dimension-value-char', column: 14, endpoint: 'invalid dimension value' },
  { line: 'my.metric,a=b\u0001c 1', rule: 'dimension-value-char', column: 14, endpoint: 'invalid dimension value' },
  { line: 'my.metric,a="b\u0007" 1', rule: 'dimension-value-char', column: 15, endpoint: 'invalid dimension value' },
  { line: 'my.metric,a="never closed 1', rule: 'dimension-value-unterminated', column: 13, endpoint: 'invalid dimension value' },
  { line: 'my.metric,a="b"c 1', rule: 'dimension-value-after-quote', column: 16, endpoint: 'invalid dimension value' },
  { line: 'my.metric,a=b\\', rule: 'dimension-value-dangling-escape', column: 14, endpoint: 'invalid dimension value' },
  { line: 'my.metric,a=' + 'v'.repeat(251) + ' 1', rule: 'dimension-value-too-long', column: 13, endpoint: 'dimension value length exceeded: 251 > 250' },
  { line: 'my.metric,a="' + 'v'.repeat(400) + '" 1', rule: 'dimension-value-too-long', column: 14, endpoint: 'dimension value length exceeded: 400 > 250' },
  {
    line: 'my.metric,a=' + 'v'.repeat(251) + ' 1',
    rule: 'dimension-value-too-long',
    column: 13,
    endpoint: 'dimension value length exceeded: 251 > 255'.replace('251 > 255', '251 > 250'),
    options: {},
  },
  {
    line: 'my.metric,' + Array.from({ length: 52 }, (_, i) => `d${i}=v`).join(',') + ' 1',
    rule: 'too-many-dimensions',
    column: 11 + Array.from({ length: 50 }, (_, i) => `d${i}=v,`).join('').length,
    endpoint: 'too many dimensions: 52 > 50',
  },
  {
    line: 'jvm.memory.max,area=nonheap,id=Compressed Class Space 1073741824',
    rule: 'dimension-value-unescaped-space',
    column: 42,
    endpoint: 'invalid metric type',
  },
  // payload
  { line: 'my.metric', rule: 'payload-missing', column: 10, endpoint: 'invalid metric type' },
  { line: 'my.metric   ', rule: 'payload-missing', column: 13, endpoint: 'invalid metric type' },
  { line: 'my.metric gauges,1', rule: 'metric-type-invalid', column: 11, endpoint: 'invalid metric type' },
  { line: 'my.metric NaN', rule: 'metric-type-invalid', column: 11, endpoint: 'invalid metric type' },
  { line: 'my.metric count,500', rule: 'count-without-delta', column: 17, endpoint: 'invalid metric value' },
  { line: 'my.metric gauge,0x10', rule: 'metric-value-invalid', column: 17, endpoint: 'invalid metric value' },
  { line: 'my.metric gauge,+5', rule: 'metric-value-invalid', column: 17, endpoint: 'invalid metric value' },
  { line: 'my.metric 1,5', rule: 'metric-value-invalid', column: 11, endpoint: 'invalid metric value' },
  { line: 'my.metric gauge,1e999', rule: 'metric-value-not-finite', column: 17, endpoint: 'invalid metric value' },
  { line: 'my.metric count,delta=-1e400', rule: 'metric-value-not-finite', column: 23, endpoint: 'invalid metric value' },
  { line: 'my.metric gauge,min=1,max=2,sum=3', rule: 'summary-fields', column: 34, endpoint: 'invalid metric value' },
  { line: 'my.metric gauge,max=2,min=1,sum=3,count=2', rule: 'summary-fields', column: 17, endpoint: 'invalid metric value' },
  { line: 'my.metric gauge,min=1,max=2,sum=3,count=2,x=1', rule: 'summary-fields', column: 42, endpoint: 'invalid metric value' },
  { line: 'my.metric gauge,min=1,max=2,sum=3,count=2.5', rule: 'summary-count-invalid', column: 41, endpoint: 'invalid metric value' },
  { line: 'my.metric gauge,min=1,max=2,sum=x,count=2', rule: 'metric-value-invalid', column: 33, endpoint: 'invalid metric value' },
  {
    line: 'my.metric gauge,min=0,max=1642,sum=0,count=0',
    rule: 'summary-count-zero',
    column: 11,
    endpoint: 'inconsistent gauge fields: count == 0 => min, max, sum == 0: min: 0.000000, max: 1642.000000, sum: 0.000000, count: 0',
  },
  {
    line: 'my.metric gauge,min=1,max=10,sum=34,count=42',
    rule: 'summary-avg-range',
    column: 11,
    endpoint:
      "inconsistent gauge fields: min <= avg <= max doesn't hold: min: 1.000000, max: 10.000000, sum: 34.000000, count: 42, avg: 0.809524, tolerance: 0.000001",
  },
  // timestamp
  { line: 'my.metric 1 abc', rule: 'timestamp-invalid', column: 13, endpoint: 'invalid timestamp' },
  { line: 'my.metric 1 -5', rule: 'timestamp-invalid', column: 13, endpoint: 'invalid timestamp' },
  { line: `my.metric 1 ${NOW - 3_600_001}`, rule: 'timestamp-out-of-range', column: 13, endpoint: 'timestamp out of range' },
  { line: `my.metric 1 ${NOW + 600_001}`, rule: 'timestamp-out-of-range', column: 13, endpoint: 'timestamp out of range' },
  { line: `my.metric 1 ${NOW} extra`, rule: 'trailing-data', column: 27, endpoint: 'unexpected data after timestamp' },
  // metadata
  { line: '#1bad gauge dt.meta.unit=Byte', rule: 'metadata-key', column: 2, endpoint: 'invalid metadata line' },
  { line: '#my.metric dt.meta.unit=Byte', rule: 'metadata-type', column: 12, endpoint: 'invalid metadata line' },
  { line: '#my.metric', rule: 'metadata-type', column: 11, endpoint: 'invalid metadata line' },
  { line: '#my.metric gauge', rule: 'metadata-no-property', column: 17, endpoint: 'invalid metadata line' },
  { line: '#my.metric gauge dt.meta.color=red', rule: 'metadata-property-unknown', column: 18, endpoint: 'invalid metadata line' },
  { line: '#my.metric gauge unit=Byte', rule: 'metadata-property-unknown', column: 18, endpoint: 'invalid metadata line' },
  { line: '#my.metric gauge dt.meta.unit=By te', rule: 'metadata-syntax', column: 34, endpoint: 'invalid metadata line' },
  { line: '#my.metric gauge dt.meta.unit', rule: 'metadata-syntax', column: 30, endpoint: 'invalid metadata line' },
  { line: '#my.metric,a=b gauge dt.meta.unit=Byte', rule: 'metadata-syntax', column: 11, endpoint: 'invalid metadata line' },
  { line: '#my.metric gauge dt.meta.unit=Byte!', rule: 'metadata-value-invalid', column: 35, endpoint: 'invalid metadata line' },
  { line: '#my.metric gauge dt.meta.description="open', rule: 'metadata-value-invalid', column: 38, endpoint: 'invalid metadata line' },
  { line: '#my.metric gauge dt.meta.unit=' + 'B'.repeat(64), rule: 'metadata-value-too-long', column: 31, endpoint: 'invalid metadata line' },
  // line
  { line: 'my.metric,a="' + 'x'.repeat(50_000) + '" 1', rule: 'line-too-long', column: 1, endpoint: 'line length exceeded: 50016 > 50000' },
];

describe('one case per rule (first problem, left to right)', () => {
  for (const c of cases) {
    it(`${c.rule}: ${JSON.stringify(c.line.length > 70 ? c.line.slice(0, 67) + '...' : c.line)}`, () => {
      const { status, body, issues } = validateMetrics(c.line, { now: NOW, ...c.options });
      expect(status).toBe(400);
      const res = body as ValidationResponse;
      expect(res.linesInvalid).toBe(1);
      expect(res.error!.invalidLines).toEqual([{ line: 1, error: c.endpoint }]);
      const errors = issues.filter((i) => i.severity === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.rule).toBe(c.rule);
      expect(errors[0]!.column).toBe(c.column);
      expect(errors[0]!.line).toBe(1);
      expect(errors[0]!.endpointMessage).toBe(c.endpoint);
    });
  }

  it('covers every line error rule of the table', () => {
    const covered = new Set(cases.map((c) => c.rule));
    const lineErrors = RULE_LIST.filter((r) => r.severity === 'error' && r.code < 50 && r.id !== 'invalid-utf8'); // bytes: below
    expect(lineErrors.filter((r) => !covered.has(r.id)).map((r) => r.id)).toEqual([]);
  });
});

describe('bytes that are not UTF-8', () => {
  const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
  for (const [name, seq] of [
    ['lone continuation', [0x80]],
    ['0xff', [0xff]],
    ['overlong', [0xc0, 0xaf]],
    ['surrogate', [0xed, 0xa0, 0x80]],
    ['truncated', [0xe2, 0x82]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ] as const) {
    it(`${name} in a bare and a quoted value is invalid-utf8 at its column`, () => {
      for (const [pre, post] of [
        ['my.metric,a=x', ' 1'],
        ['my.metric,a="x', '" 1'],
      ]) {
        const r = validateMetrics(bytes(pre!, [...seq], post!), { now: NOW });
        expect(r.status).toBe(400);
        expect(r.issues[0]!.rule).toBe('invalid-utf8');
        expect(r.issues[0]!.column).toBe(pre!.length + 1);
        expect((r.body as ValidationResponse).error!.invalidLines[0]!.error).toBe('invalid dimension value');
      }
    });
  }
  it('valid multi-byte text is fine and counts UTF-16 units', () => {
    const r = validateMetrics('my.metric,a=😀é€,b="😀" 1', { now: NOW });
    expect(r.status).toBe(202);
    // 125 four-byte emoji are 250 UTF-16 units: at the limit; one more is over
    expect(validateMetrics('my.metric,a=' + '😀'.repeat(125) + ' 1').status).toBe(202);
    const over = validateMetrics('my.metric,a=' + '😀'.repeat(125) + 'x 1');
    expect((over.body as ValidationResponse).error!.invalidLines[0]!.error).toBe('dimension value length exceeded: 251 > 250');
  });
  it('columns count UTF-16 units before the error', () => {
    const r = validateMetrics('my.metric,a=é😀,B=1 1');
    expect(r.issues[0]!.rule).toBe('dimension-key-char');
    expect(r.issues[0]!.column).toBe(17); // 'my.metric,a=' (12) + é (1) + 😀 (2) + ',' (1) → B at 17
  });
});

describe('backslashes in quoted metadata values (spec §5, decided as for dimension values)', () => {
  it('a backslash before a character that needs no escape is literal (the Java library writes "a\\b" for a\\b)', () => {
    const line = '#my.key gauge dt.meta.description="a\\b"';
    const r = validateMetrics(line, { now: NOW });
    expect(r.status).toBe(202);
    const parsed = parseMetrics(line, { now: NOW });
    const first = parsed[0]!;
    expect('metadata' in first && first.metadata.properties.description).toBe('a\\b');
  });
  it('escapes still resolve next to a literal backslash', () => {
    const parsed = parseMetrics('#my.key gauge dt.meta.displayName="x\\y\\"z\\\\w\\n"', { now: NOW });
    const first = parsed[0]!;
    expect('metadata' in first && first.metadata.properties.displayName).toBe('x\\y"z\\w\n');
  });
  it('a unit holds no backslash, literal or not', () => {
    const r = validateMetrics('#my.key gauge dt.meta.unit="By\\te"', { now: NOW });
    expect(r.status).toBe(400);
    expect(r.issues[0]!.rule).toBe('metadata-value-invalid');
    expect(r.issues[0]!.column).toBe(31);
  });
  it('a backslash right before the closing quote still escapes it (the value stays open)', () => {
    const r = validateMetrics('#my.key gauge dt.meta.description="a\\"', { now: NOW });
    expect(r.issues[0]!.rule).toBe('metadata-value-invalid');
  });
});

describe('a U+FEFF at the start of a value is data, not a byte-order mark', () => {
  it('survives decoding in typed points, the columnar batch and metadata', () => {
    const body = 'my.metric,a=\uFEFFx,b="\uFEFF" 1\n#my.metric gauge dt.meta.description=\uFEFFd\n';
    const parsed = parseMetrics(body, { now: NOW });
    const point = 'point' in parsed[0]! ? parsed[0].point : undefined;
    expect(point?.dimensions).toEqual([
      { key: 'a', value: '\uFEFFx' },
      { key: 'b', value: '\uFEFF' },
    ]);
    const meta = 'metadata' in parsed[1]! ? parsed[1].metadata : undefined;
    expect(meta?.properties.description).toBe('\uFEFFd');
    const batch = parseMetricsBatch(body, { now: NOW });
    expect(batch.dimensions(0)).toEqual([
      ['a', '\uFEFFx'],
      ['b', '\uFEFF'],
    ]);
  });
});

describe('options change decided rules', () => {
  it('allowDigitLeadingSections accepts system.load.1m', () => {
    expect(validateMetrics('system.load.1m 1', { allowDigitLeadingSections: true }).status).toBe(202);
  });
  it('summaryFieldOrder any accepts another order', () => {
    expect(validateMetrics('my.metric gauge,max=2,min=1,sum=3,count=2', { summaryFieldOrder: 'any' }).status).toBe(202);
    expect(validateMetrics('my.metric gauge,max=2,min=1,min=3,count=2', { summaryFieldOrder: 'any' }).status).toBe(400);
  });
  it('allowCountWithoutDelta accepts count,5', () => {
    expect(validateMetrics('my.metric.count count,5', { allowCountWithoutDelta: true }).status).toBe(202);
  });
  it('collapseSpaces false rejects double spaces', () => {
    expect(validateMetrics('my.metric  1', { collapseSpaces: false }).status).toBe(400);
    expect(validateMetrics('my.metric  1').status).toBe(202);
  });
  it('ignoreCarriageReturn false makes CR part of the line', () => {
    expect(validateMetrics('my.metric 1\r\n', { ignoreCarriageReturn: false }).status).toBe(400);
    expect(validateMetrics('my.metric 1\r\n').status).toBe(202);
  });
  it('allowBareDecimalPoint false rejects 5. and .5', () => {
    expect(validateMetrics('my.metric 5.\nmy.metric .5').status).toBe(202);
    expect((validateMetrics('my.metric 5.\nmy.metric .5', { allowBareDecimalPoint: false }).body as ValidationResponse).linesInvalid).toBe(2);
  });
  it('rewriteKeySuffix false keeps keys as sent', () => {
    expect(validateMetrics('my.metric count,delta=1', { rewriteKeySuffix: false }).body).toEqual({ linesOk: 1, linesInvalid: 0, error: null, warnings: null });
  });
  it('dimensionValueMaxLength 255', () => {
    const line = 'my.metric,a=' + 'v'.repeat(255) + ' 1';
    expect(validateMetrics(line, { dimensionValueMaxLength: 255 }).status).toBe(202);
    expect(validateMetrics(line).status).toBe(400);
  });
  it('maxDimensions past the reserved records keeps every dimension (no silent cap)', () => {
    // 5,000 distinct short dimensions (about 35,000 characters: under the line length limit)
    const dims = Array.from({ length: 5000 }, (_, k) => `,d${k.toString(36)}=${k % 10}`).join('');
    const line = 'my.metric' + dims + ' 1';
    expect(validateMetrics(line, { now: NOW, maxDimensions: 10_000 }).status).toBe(202);
    const parsed = parseMetrics(line, { now: NOW, maxDimensions: 10_000 })[0]!;
    const point = 'point' in parsed ? parsed.point : undefined;
    expect(point?.dimensions).toHaveLength(5000);
    expect(point?.dimensions[4999]).toEqual({ key: 'd' + (4999).toString(36), value: '9' });
    // one over the option is still too many, with the count the endpoint reports
    const over = validateMetrics(line, { now: NOW, maxDimensions: 4999 });
    expect((over.body as ValidationResponse).error!.invalidLines[0]!.error).toBe('too many dimensions: 5000 > 4999');
    // and a view reused for a short line after a long one reads only its own dimensions
    const two = parseMetrics(line + '\nmy.metric,a=b 2', { now: NOW, maxDimensions: 10_000 })[1]!;
    expect('point' in two && two.point.dimensions).toEqual([{ key: 'a', value: 'b' }]);
  });
  it('rejects a wrong option type once, clearly', () => {
    expect(() => validateMetrics('a', { maxBodyBytes: 'x' as unknown as number })).toThrow(/maxBodyBytes must be a non-negative number/);
    expect(() => validateMetrics('a', { nope: 1 } as never)).toThrow(/unknown metrics option 'nope'/);
  });
  it('reads only own options: an inherited key is no option, an own undefined one is the default', () => {
    const inherited = Object.create({ maxBodyBytes: 1, nope: 1 }) as object;
    const r = validateMetrics('cpu.temp 1\n', inherited);
    expect(r.status).toBe(202);
    expect(validateMetrics('cpu.temp 1\n', { maxBodyBytes: undefined }).status).toBe(202);
    expect(validateMetrics('cpu.temp 1\n', { maxBodyBytes: 4 }).status).toBe(413);
    expect(() => validateMetrics('a', 5 as never)).toThrow(/options must be an object/);
  });
});
