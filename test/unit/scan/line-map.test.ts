import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlankState, LineMap, LineVerdict, blankState, contentEnd, isBlankLine, lineCuts, mapLines } from '../../../src/scan/line-map.js';
import { MetricsValidator } from '../../../src/report/validate.js';
import type { MetricsIssue } from '../../../src/types.js';

const NOW = 1_700_000_000_000;

/** Lines of every kind: valid, warned, invalid, blank, metadata, CRLF, no final LF. */
const LINE = fc.constantFrom(
  'cpu.temp,host=a 42',
  'http.requests,svc="a b" count,delta=3',
  'http.requests.count,svc=x count,delta=3',
  'bad key 1',
  '',
  '   ',
  '  \r',
  '#cpu.temp gauge dt.meta.unit=Byte',
  `cpu.temp 1 ${NOW}`,
  'Bad.Key!,host=web-01 1',
  'x'.repeat(300) + ' 1',
);

function body(lines: string[], crlf: boolean[], finalLf: boolean): Buffer {
  let s = '';
  lines.forEach((l, i) => {
    s += l;
    if (i < lines.length - 1 || finalLf) s += crlf[i] ? '\r\n' : '\n';
  });
  return Buffer.from(s);
}

function validate(bytes: Buffer, cuts: number[], map: LineMap, backend: 'js' | 'auto') {
  const bad = new Set<number>();
  const warned = new Set<number>();
  const v = new MetricsValidator(
    { now: NOW, backend, maxLineLength: 200 },
    {
      lineMap: map,
      onIssue: (i: MetricsIssue) => {
        if (i.line === undefined) return;
        if (i.severity === 'error') bad.add(i.line);
        else if (i.rule === 'metric-key-changed') warned.add(i.line);
      },
    },
  );
  let at = 0;
  for (const c of [...cuts.filter((x) => x < bytes.length).sort((a, b) => a - b), bytes.length]) {
    v.push(bytes.subarray(at, c));
    at = c;
  }
  v.end();
  return { bad, warned, v };
}

describe('LineMap', () => {
  it('isBlankLine: empty and spaces only (spec §1)', () => {
    expect(isBlankLine(Buffer.from(''), 0, 0)).toBe(true);
    expect(isBlankLine(Buffer.from('   '), 0, 3)).toBe(true);
    expect(isBlankLine(Buffer.from(' x '), 0, 3)).toBe(false);
    expect(isBlankLine(Buffer.from(' \t'), 0, 2)).toBe(false);
  });

  it('blankState: the same rule read in pieces, at every cut, with and without the CR rule', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(' ', '\r', 'a', '\t'), { maxLength: 8 }), fc.boolean(), fc.boolean(), fc.nat(), (chars, lf, ignoreCr, cutAt) => {
        const line = Buffer.from(chars.join('') + (lf ? '\n' : ''));
        const content = lf ? line.length - 1 : line.length;
        const whole = isBlankLine(line, 0, contentEnd(line, 0, content, ignoreCr));
        const cut = cutAt % (line.length + 1);
        const state = blankState(blankState(BlankState.BLANK, line, 0, cut, ignoreCr), line, cut, line.length, ignoreCr);
        expect(state === BlankState.BLANK || (ignoreCr && state === BlankState.BLANK_CR)).toBe(whole);
      }),
    );
    expect(blankState(BlankState.BLANK, Buffer.from(' \r \n'), 0, 4, true)).toBe(BlankState.CONTENT);
  });

  it('mapLines: starts, ends without CR, blank lines, a last line without LF', () => {
    const b = Buffer.from('a 1\r\n\n  \r\nb 2');
    const m = mapLines(b);
    expect(m.count).toBe(4);
    expect([0, 1, 2, 3].map((i) => b.subarray(m.start(i), m.end(b, i)).toString())).toEqual(['a 1', '', '  ', 'b 2']);
    expect(Array.from(m.verdicts.subarray(0, 4))).toEqual([LineVerdict.OK, LineVerdict.BLANK, LineVerdict.BLANK, LineVerdict.OK]);
    expect(m.endWithLf(0, b.length)).toBe(5);
    expect(m.endWithLf(3, b.length)).toBe(b.length);
  });

  for (const backend of ['js', 'auto'] as const) {
    it(`the validator's map (${backend}) agrees with mapLines and its own issues, however the body is chunked`, () => {
      const map = new LineMap();
      fc.assert(
        fc.property(
          fc.array(LINE, { minLength: 1, maxLength: 40 }),
          fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
          fc.boolean(),
          fc.array(fc.nat(12_000), { maxLength: 5 }),
          (lines, crlf, finalLf, cuts) => {
            const bytes = body(lines, crlf, finalLf);
            const { bad, warned } = validate(bytes, cuts, map, backend);
            const plain = mapLines(bytes);
            expect(map.count).toBe(plain.count);
            for (let i = 0; i < plain.count; i++) {
              expect(map.start(i)).toBe(plain.start(i));
              expect(map.lf(i)).toBe(plain.lf(i));
              const want = bad.has(i + 1)
                ? LineVerdict.INVALID
                : warned.has(i + 1)
                  ? LineVerdict.WARNED
                  : plain.verdicts[i] === LineVerdict.BLANK
                    ? LineVerdict.BLANK
                    : LineVerdict.OK;
              expect(map.verdicts[i], `line ${i + 1} of ${JSON.stringify(bytes.toString())}`).toBe(want);
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  }

  it('the map of a body of thousands of lines (the fused pass fills it in blocks of 1024 lines)', () => {
    const map = new LineMap();
    fc.assert(
      fc.property(fc.array(LINE, { minLength: 2000, maxLength: 4000 }), fc.array(fc.nat(200_000), { maxLength: 3 }), (lines, cuts) => {
        const bytes = body(lines, [], true);
        const { bad, warned } = validate(bytes, cuts, map, 'js');
        const plain = mapLines(bytes);
        expect(map.count).toBe(plain.count);
        let mismatches = 0;
        for (let i = 0; i < plain.count; i++) {
          const want = bad.has(i + 1) ? LineVerdict.INVALID : warned.has(i + 1) ? LineVerdict.WARNED : plain.verdicts[i];
          if (map.start(i) !== plain.start(i) || map.verdicts[i] !== want) mismatches++;
        }
        expect(mismatches).toBe(0);
      }),
      { numRuns: 10 },
    );
  });

  it('a validator with a map cuts the body once (one pass counted)', () => {
    const before = lineCuts.passes;
    validate(Buffer.from('a.b 1\nc.d 2\n'), [3], new LineMap(), 'js');
    expect(lineCuts.passes - before).toBe(1);
  });
});

describe('lastValidLines (the mock keeps the tail of a body without a line map)', () => {
  /** What the map says the last `wanted` valid lines are, each with its LF, as the mock kept them before. */
  function fromMap(bytes: Buffer, map: LineMap, wanted: number): Buffer {
    const out: Buffer[] = [];
    for (let i = map.count - 1; i >= 0 && out.length < wanted; i--) {
      const verdict = map.verdicts[i];
      if (verdict !== LineVerdict.OK && verdict !== LineVerdict.WARNED) continue;
      out.unshift(
        Buffer.concat([bytes.subarray(map.start(i), map.endWithLf(i, bytes.length)), map.lf(i) >= bytes.length ? Buffer.from('\n') : Buffer.alloc(0)]),
      );
    }
    return Buffer.concat(out);
  }

  for (const backend of ['js', 'auto'] as const) {
    it(`agrees with the validator's map (${backend}), however the body is chunked and however many lines are wanted`, () => {
      const map = new LineMap();
      fc.assert(
        fc.property(
          fc.array(LINE, { minLength: 1, maxLength: 40 }),
          fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
          fc.boolean(),
          fc.array(fc.nat(12_000), { maxLength: 6 }),
          fc.integer({ min: 1, max: 45 }),
          (lines, crlf, finalLf, cuts, wanted) => {
            const bytes = body(lines, crlf, finalLf);
            validate(bytes, cuts, map, backend);
            const v = new MetricsValidator({ now: NOW, backend, maxLineLength: 200 }, { issues: false, tail: true });
            let at = 0;
            for (const c of [...cuts.filter((x) => x < bytes.length).sort((a, b) => a - b), bytes.length]) {
              v.push(bytes.subarray(at, c));
              at = c;
            }
            v.end();
            const got = v.lastValidLines(wanted);
            const want = fromMap(bytes, map, wanted);
            expect(Buffer.from(got.bytes).toString(), JSON.stringify(bytes.toString())).toBe(want.toString());
            expect(got.count).toBe(Math.min(wanted, v.linesOk));
          },
        ),
        { numRuns: 300 },
      );
    });
  }

  it('reads only the tail: nothing before the first kept line is copied', () => {
    const v = new MetricsValidator({ now: NOW }, { issues: false, tail: true });
    for (const c of ['a.b 1\nbad key 1\n', '  \nc.d 2\r', '\ne.f 3']) v.push(c);
    v.end();
    expect(Buffer.from(v.lastValidLines(2).bytes).toString()).toBe('c.d 2\r\ne.f 3\n');
    expect(v.lastValidLines(9).count).toBe(3);
  });

  it('needs the tail setting (without it the validator keeps neither the chunks nor the invalid lines)', () => {
    const v = new MetricsValidator({ now: NOW }, { issues: false });
    v.push('a.b 1\n');
    v.end();
    expect(() => v.lastValidLines(1)).toThrow(/tail setting/);
  });
});
