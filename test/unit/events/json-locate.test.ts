/**
 * The one-pass JSON Pointer locator of the reports agrees with the events module's own locator
 * (`locateJsonPath`, one walk per path) on every value of random documents, however they are
 * indented, and never throws on text that is not JSON.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapePointerSegment } from '../../../src/events/envelopes.js';
import { lineColumn, locateJsonPath, type PathSegment } from '../../../src/events/json.js';
import { locateJsonPointers } from '../../../src/events/json-locate.js';

function paths(value: unknown, prefix: PathSegment[] = [], out: PathSegment[][] = []): PathSegment[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => void paths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

const pointer = (path: readonly PathSegment[]): string => path.map((s) => `/${escapePointerSegment(String(s))}`).join('');

describe('locateJsonPointers', () => {
  it('finds every value where locateJsonPath does', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 1, 2, '\t', '\r\n '), (value, indent) => {
        let text = JSON.stringify(value, null, indent === '\r\n ' ? 1 : indent);
        if (indent === '\r\n ') text = text.replaceAll('\n', '\r\n');
        const all = paths(JSON.parse(text));
        const found = locateJsonPointers(text, new Set(all.map(pointer)));
        for (const path of all) {
          const offset = locateJsonPath(text, path);
          expect(found.get(pointer(path))).toEqual(offset < 0 ? undefined : lineColumn(text, offset));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a byte order mark is not a column; escaped keys are decoded', () => {
    const text = '\ufeff{"a/b~":\n  {"\\u0078": [true, {"y": 1}]}}';
    const found = locateJsonPointers(text, new Set(['', '/a~1b~0', '/a~1b~0/x/1/y']));
    expect(found.get('')).toEqual({ line: 1, column: 1 });
    expect(found.get('/a~1b~0')).toEqual({ line: 2, column: 3 });
    expect(found.get('/a~1b~0/x/1/y')).toEqual({ line: 2, column: 27 });
  });

  it('never throws or loops on text that is not JSON', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        locateJsonPointers(text, new Set(['/0', '/a', '']));
      }),
      { numRuns: 2000 },
    );
  });
});
