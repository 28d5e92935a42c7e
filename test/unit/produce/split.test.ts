import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMetricsSplitter, splitMetrics, type OversizedLine, type SplitPiece, type SplitResult } from '../../../src/produce/index.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const text = (p: SplitPiece): string => dec.decode(p.body);

/** Physical input lines (LF-separated; a final LF does not open a line), each with its LF if it has one. */
function physicalLines(input: string): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos < input.length) {
    const nl = input.indexOf('\n', pos);
    const end = nl < 0 ? input.length : nl + 1;
    out.push(input.slice(pos, end));
    pos = end;
  }
  return out;
}

/** Spec §1: empty or spaces only (a CR right before the LF, or at the end, is ignored). */
function isBlank(line: string): boolean {
  let s = line.endsWith('\n') ? line.slice(0, -1) : line;
  if (s.endsWith('\r')) s = s.slice(0, -1);
  for (const c of s) if (c !== ' ') return false;
  return true;
}

function streamSplit(input: Uint8Array, cuts: number[], options: { maxBytes: number; maxLines?: number }): SplitResult & { summaryOversized: OversizedLine[] } {
  const pieces: SplitPiece[] = [];
  const oversized: OversizedLine[] = [];
  const s = createMetricsSplitter({ ...options, onPiece: (p) => pieces.push(p), onOversized: (o) => oversized.push(o) });
  let prev = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    s.push(input.subarray(prev, c));
    prev = c;
  }
  s.push(input.subarray(prev));
  const summary = s.end();
  return { pieces, oversized, summaryOversized: summary.oversized };
}

describe('splitMetrics examples', () => {
  it('keeps everything in one piece when it fits, as a view of the input', () => {
    const input = enc.encode('a 1\nb 2\r\nc 3');
    const { pieces, oversized } = splitMetrics(input);
    expect(oversized).toEqual([]);
    expect(pieces.length).toBe(1);
    expect(pieces[0]!.body.buffer).toBe(input.buffer);
    expect(text(pieces[0]!)).toBe('a 1\nb 2\r\nc 3');
    expect([...pieces[0]!.lineMap]).toEqual([1, 2, 3]);
  });
  it('cuts at maxBytes between lines, LF kept', () => {
    const { pieces } = splitMetrics('aaa 1\nbbb 2\nccc 3\n', { maxBytes: 12 });
    expect(pieces.map(text)).toEqual(['aaa 1\nbbb 2\n', 'ccc 3\n']);
    expect(pieces.map((p) => [...p.lineMap])).toEqual([[1, 2], [3]]);
  });
  it('cuts at maxLines', () => {
    const { pieces } = splitMetrics('a 1\nb 2\nc 3\n', { maxLines: 2 });
    expect(pieces.map(text)).toEqual(['a 1\nb 2\n', 'c 3\n']);
  });
  it('drops blank lines at piece boundaries, keeps and maps them inside a piece', () => {
    const { pieces } = splitMetrics('\n  \na 1\n\nb 2\n \r\n', { maxBytes: 100 });
    expect(pieces.map(text)).toEqual(['a 1\n\nb 2\n']);
    expect([...pieces[0]!.lineMap]).toEqual([3, 4, 5]);
  });
  it('reports an oversized line, ends the piece before it, never drops it silently', () => {
    const { pieces, oversized } = splitMetrics('a 1\nthis-line-is-long 1\nb 2\n', { maxBytes: 8 });
    expect(pieces.map(text)).toEqual(['a 1\n', 'b 2\n']);
    expect(pieces.map((p) => [...p.lineMap])).toEqual([[1], [3]]);
    expect(oversized).toEqual([{ line: 2, bytes: 20 }]);
  });
  it('a line of exactly maxBytes (with its LF) fits', () => {
    const { pieces, oversized } = splitMetrics('abc 1\n', { maxBytes: 6 });
    expect(oversized).toEqual([]);
    expect(pieces.map(text)).toEqual(['abc 1\n']);
  });
  it('empty input: no pieces; bad options throw', () => {
    expect(splitMetrics('')).toEqual({ pieces: [], oversized: [] });
    expect(() => splitMetrics('a', { maxBytes: 0 })).toThrow(TypeError);
    expect(() => splitMetrics('a', { maxLines: 0.5 })).toThrow(TypeError);
  });
});

describe('createMetricsSplitter examples', () => {
  it('skips an oversized line across chunks and reports it once', () => {
    const pieces: string[] = [];
    const s = createMetricsSplitter({ maxBytes: 8, onPiece: (p) => pieces.push(text(p)) });
    for (const chunk of ['a 1\nthis-li', 'ne-is-', 'long 1\nb', ' 2']) s.push(chunk);
    const summary = s.end();
    expect(pieces).toEqual(['a 1\n', 'b 2']);
    expect(summary).toEqual({ oversized: [{ line: 2, bytes: 20 }], lines: 3, pieces: 2 });
    expect(() => s.push('x')).toThrow();
  });
  it('hands over piece bytes that later pushes do not overwrite', () => {
    const pieces: SplitPiece[] = [];
    const s = createMetricsSplitter({ maxBytes: 8, onPiece: (p) => pieces.push(p) });
    s.push('aaa 1\nbbb 2\nccc 3\n');
    s.end();
    expect(pieces.map(text)).toEqual(['aaa 1\n', 'bbb 2\n', 'ccc 3\n']);
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties

const lineArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', '1', ',', '=', '\u00e4', '\u{1F600}'), minLength: 1, maxLength: 30 }).map((s) => 'k' + s),
  },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '   ', '\r', ' \r', '\r ', 'x\r') },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('z', ' '), minLength: 30, maxLength: 120 }) },
);
const bodyArb = fc.tuple(fc.array(fc.tuple(lineArb, fc.constantFrom('\n', '\r\n')), { maxLength: 40 }), fc.boolean()).map(([lines, finalLf]) => {
  let s = lines.map(([l, e]) => l + e).join('');
  if (!finalLf && s.endsWith('\n')) s = s.slice(0, -1);
  return s;
});
const optionsArb = fc.record({ maxBytes: fc.integer({ min: 1, max: 200 }), maxLines: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }) });

function checkResult(input: string, result: SplitResult, maxBytes: number, maxLines: number | undefined): void {
  const lines = physicalLines(input);
  const bytesOf = (s: string): number => enc.encode(s).length;
  const expectedKept: number[] = [];
  const expectedOversized: OversizedLine[] = [];
  lines.forEach((l, i) => {
    if (isBlank(l)) return;
    if (bytesOf(l) > maxBytes) expectedOversized.push({ line: i + 1, bytes: bytesOf(l) });
    else expectedKept.push(i + 1);
  });
  expect(result.oversized).toEqual(expectedOversized);
  const kept: number[] = [];
  for (const p of result.pieces) {
    expect(p.body.length).toBeGreaterThan(0);
    expect(p.body.length).toBeLessThanOrEqual(maxBytes);
    const pieceLines = physicalLines(text(p));
    // the map names each of the piece's physical lines, and the line there is the input's line
    expect(p.lineMap.length).toBe(pieceLines.length);
    let nonBlank = 0;
    pieceLines.forEach((l, i) => {
      const inputLine = p.lineMap[i]!;
      const original = lines[inputLine - 1]!;
      // the last line of the input may lack its LF, and so may the piece's last line
      expect(l).toBe(original);
      if (!isBlank(l)) {
        nonBlank++;
        kept.push(inputLine);
      }
    });
    expect(isBlank(pieceLines[0]!)).toBe(false);
    expect(isBlank(pieceLines[pieceLines.length - 1]!)).toBe(false);
    if (maxLines !== undefined) expect(nonBlank).toBeLessThanOrEqual(maxLines);
  }
  // every non-blank line that fits is in exactly one piece, in order
  expect(kept).toEqual(expectedKept);
}

describe('split properties', () => {
  it('splitMetrics: pieces give back the non-blank lines in order, once, within the limits', () => {
    fc.assert(
      fc.property(bodyArb, optionsArb, (input, o) => {
        const result = splitMetrics(input, o);
        checkResult(input, result, o.maxBytes, o.maxLines);
      }),
      { numRuns: 1500 },
    );
  });
  it('streaming: the same pieces at any chunk cuts', () => {
    fc.assert(
      fc.property(
        bodyArb.chain((input) => {
          const n = enc.encode(input).length;
          return fc.tuple(fc.constant(input), fc.array(fc.integer({ min: 0, max: n }), { maxLength: 12 }));
        }),
        optionsArb,
        ([input, cuts], o) => {
          const bytes = enc.encode(input);
          const streamed = streamSplit(bytes, cuts, o);
          checkResult(input, streamed, o.maxBytes, o.maxLines);
          expect(streamed.summaryOversized).toEqual(streamed.oversized);
          const whole = splitMetrics(bytes, o);
          expect(streamed.pieces.map(text)).toEqual(whole.pieces.map(text));
          expect(streamed.pieces.map((p) => [...p.lineMap])).toEqual(whole.pieces.map((p) => [...p.lineMap]));
        },
      ),
      { numRuns: 1500 },
    );
  });
  it('streaming: byte-by-byte pushes', () => {
    fc.assert(
      fc.property(bodyArb, optionsArb, (input, o) => {
        const bytes = enc.encode(input);
        const cuts: number[] = [];
        for (let i = 1; i < bytes.length; i++) cuts.push(i);
        const streamed = streamSplit(bytes, cuts, o);
        expect(streamed.pieces.map(text)).toEqual(splitMetrics(bytes, o).pieces.map(text));
      }),
      { numRuns: 200 },
    );
  });
});
