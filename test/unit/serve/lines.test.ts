import { describe, expect, it } from 'vitest';
import { forEachValidLine, lastLines } from '../../../src/serve/lines.js';
import { validateMetrics } from '../../../src/report/validate.js';
import type { Issue } from '../../../src/types.js';
import { MetricsValidator } from '../../../src/report/validate.js';

const NOW = 1_700_000_000_000;

function validLines(body: string, cuts: number[], skip = 0): { lines: string[]; numbers: number[] } {
  const bytes = Buffer.from(body);
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(at, c));
    at = c;
  }
  const invalid = new Set<number>();
  const v = new MetricsValidator({ now: NOW }, { onIssue: (i: Issue) => i.severity === 'error' && i.line !== undefined && invalid.add(i.line) });
  for (const c of chunks) v.push(c);
  v.end();
  const lines: string[] = [];
  const numbers: number[] = [];
  const n = forEachValidLine(chunks, invalid, skip, (b, s, e, line) => {
    lines.push(Buffer.from(b.subarray(s, e)).toString());
    numbers.push(line);
  });
  expect(n).toBe(v.linesOk);
  return { lines, numbers };
}

describe('forEachValidLine', () => {
  const body = 'a.b.c 1\r\n\n   \nbad key 2\n#a.b.c gauge dt.meta.unit=Byte\nd.e.f,x="q r" 3\r\n \r\ng.h.i 4';
  it('visits exactly the lines the validator accepted, however the body is cut', () => {
    const expected = { lines: ['a.b.c 1', '#a.b.c gauge dt.meta.unit=Byte', 'd.e.f,x="q r" 3', 'g.h.i 4'], numbers: [1, 5, 6, 8] };
    expect(validateMetrics(body, { now: NOW }).body).toMatchObject({ linesOk: 4, linesInvalid: 1 });
    const len = Buffer.byteLength(body);
    for (let a = 0; a <= len; a += 3) {
      for (let b = a; b <= len; b += 7) expect(validLines(body, [a, b])).toEqual(expected);
    }
    for (let k = 0; k < len; k++) expect(validLines(body, [k])).toEqual(expected);
  });
  it('skips the first valid lines', () => {
    expect(validLines(body, [10, 40], 2).numbers).toEqual([6, 8]);
  });
});

describe('lastLines', () => {
  it('gives the last n non-blank lines, however the body is cut', () => {
    const body = 'a.b.c 1\r\n\n   \nx.y.z,k=\u00e9\u20ac 2\n#a.b.c gauge dt.meta.unit=Byte\nd.e.f,x="q r" 3\r\n \r\ng.h.i 4\n\n';
    const all = ['a.b.c 1', 'x.y.z,k=\u00e9\u20ac 2', '#a.b.c gauge dt.meta.unit=Byte', 'd.e.f,x="q r" 3', 'g.h.i 4'];
    const bytes = Buffer.from(body);
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b += 5) {
        const chunks = [bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)];
        for (let n = 1; n <= 6; n++) {
          const got = lastLines(chunks, n);
          expect(got).toEqual(all.slice(Math.max(0, all.length - n)));
        }
      }
    }
    expect(lastLines([Buffer.from('a.b 1')], 3)).toEqual(['a.b 1']);
  });
});
