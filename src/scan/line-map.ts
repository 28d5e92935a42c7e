/**
 * The line map of one body: where each physical line starts and what was decided about it, in
 * reused typed arrays (one int and one byte per line). The validator fills it as a by-product of its
 * one pass (`MetricsValidator`'s `lineMap` setting); everything that works on the body's lines after
 * validation (the proxy's filter and forward, the splitter, the sender's ledger, the mock's kept lines)
 * reads it instead of cutting the body into lines again. {@link mapLines} fills one without a
 * validator, for a body nobody validated; {@link isBlankLine} is the one blank-line rule.
 *
 * @module
 */
import { CR, LF, SPACE } from '../protocol/chars.js';

/**
 * What a line map says about a line. Spec §1: a blank line (empty, or spaces only, a CR before its LF
 * ignored) is neither OK nor invalid; the endpoint skips it but counts it in the line numbers.
 */
export const LineVerdict = {
  /** Non-blank, and valid when a validator made the map (not judged when {@link mapLines} did). */
  OK: 0,
  /** Blank (spec §1). */
  BLANK: 1,
  /** Invalid (the endpoint lists it in `invalidLines`). */
  INVALID: 2,
  /** Valid, with the key rewrite warning (spec §3). */
  WARNED: 3,
} as const;

/** First capacity, in lines. */
const INITIAL_LINES = 1024;

/**
 * Where a line read so far stands with the blank-line rule ({@link blankState}): spaces only, spaces
 * then a CR that is the last byte so far, or not blank.
 */
export const BlankState = {
  /** Empty or spaces only so far. */
  BLANK: 0,
  /** Spaces, then a CR that is the last byte so far (blank if the LF follows, where a CR is ignored). */
  BLANK_CR: 1,
  /** Not blank, whatever follows. */
  CONTENT: 2,
} as const;

/**
 * The one blank-line rule (spec §1: a line that is empty or spaces only is blank; "a CR right before
 * the LF is ignored" where `ignoreCr`), read in pieces so that a line cut across chunks is judged
 * without being kept: advances `state` (a {@link BlankState}, `BLANK` at a line's start) over
 * `buf[start, end)`, a piece of one line; its LF, only ever the line's last byte, is no content.
 * The line is blank when the state at its end is `BLANK`, or `BLANK_CR` with `ignoreCr`.
 * @example blankState(BlankState.BLANK, Buffer.from('  \r\n'), 0, 4, true) // BlankState.BLANK_CR: blank
 */
export function blankState(state: number, buf: Uint8Array, start: number, end: number, ignoreCr: boolean): number {
  for (let i = start; i < end && state !== BlankState.CONTENT; i++) {
    const b = buf[i]!;
    if (b === SPACE) state = state === BlankState.BLANK_CR ? BlankState.CONTENT : BlankState.BLANK;
    else if (b === CR && ignoreCr) state = state === BlankState.BLANK_CR ? BlankState.CONTENT : BlankState.BLANK_CR;
    else if (b !== LF) state = BlankState.CONTENT;
  }
  return state;
}

/**
 * Whether `buf[start, end)` (a line without its LF, and without the CR before it where that is
 * ignored) is blank: empty or spaces only (spec §1). The rule of `blankState` (the same module), read at once: the
 * scanners, the splitters and the sender all ask there.
 * @example isBlankLine(Buffer.from('   '), 0, 3) // true
 */
export function isBlankLine(buf: Uint8Array, start: number, end: number): boolean {
  return blankState(BlankState.BLANK, buf, start, end, false) === BlankState.BLANK;
}

/**
 * The end of a line's content: `lf` (the offset of its LF, or the body's end) less a CR right before
 * it when `ignoreCr` (spec §1).
 * @example contentEnd(Buffer.from('a 1\r\n'), 0, 4, true) // 3
 */
export function contentEnd(buf: Uint8Array, start: number, lf: number, ignoreCr: boolean): number {
  return ignoreCr && lf > start && buf[lf - 1] === CR ? lf - 1 : lf;
}

/**
 * How many times a body was cut into lines: by {@link mapLines}, or by the one splitter (`LineSplitter`,
 * each `end()`, which the validator runs). What the proxy's test reads to prove a body is cut once.
 * Internal: not exported by the package.
 */
export const lineCuts = { passes: 0 };

/**
 * One body's lines, columnar. Offsets are into the whole body (byte 0 is the first byte pushed),
 * however it was chunked. Filled line by line ({@link LineMap.begin}, {@link LineMap.mark}) and closed with
 * {@link LineMap.finish}; {@link LineMap.reset} makes it ready for the next body, keeping its arrays, so a pool of
 * maps serves requests without allocating. Its size follows the lines of one body, so it is bounded
 * by the body's size limit.
 *
 * @example
 * const map = new LineMap();
 * const v = new MetricsValidator({}, { issues: false, lineMap: map });
 * v.push(body); v.end();
 * for (let i = 0; i < map.count; i++) if (map.verdicts[i] === LineVerdict.OK) use(map.start(i), map.end(i));
 */
export class LineMap {
  /** Start offset of line `i + 1`; `starts[count]` is one past the last line's LF (or its end + 1). */
  starts: Int32Array = new Int32Array(INITIAL_LINES + 1);
  /** {@link LineVerdict} of line `i + 1`. */
  verdicts: Uint8Array = new Uint8Array(INITIAL_LINES);
  /** Lines mapped. */
  count = 0;
  /** Line number of index 0: 1, or further on after {@link LineMap.forget} (a stream reads its map chunk by chunk). */
  first = 1;
  /** Body offset of byte 0 of the buffer being scanned (set by whoever hands buffers to the scanners). */
  base = 0;
  /** Whether a CR before the LF is dropped from {@link LineMap.end} (the validator's `ignoreCarriageReturn`). */
  ignoreCr = true;

  /** Empties the map for the next body (its arrays are kept). */
  reset(): void {
    this.count = 0;
    this.base = 0;
    this.first = 1;
  }

  /**
   * Forgets the lines mapped so far (a stream that has read them): the next line mapped is at index 0,
   * so the map of an endless stream stays as large as the lines of one chunk.
   */
  forget(): void {
    this.first += this.count;
    this.count = 0;
  }

  /** Line `line` (1-based) starts at `start` of the current buffer; its verdict is OK until marked. */
  begin(line: number, start: number): void {
    const i = line - this.first;
    if (i >= this.verdicts.length) this.grow(i + 1);
    this.starts[i] = this.base + start;
    this.verdicts[i] = LineVerdict.OK;
    if (i >= this.count) this.count = i + 1;
  }

  /**
   * @internal Makes room for `entries` lines from index 0 (line {@link LineMap.first}), so that a pass
   * can write `starts` and `verdicts` itself (it then sets {@link LineMap.count}).
   */
  reserve(entries: number): void {
    if (entries > this.verdicts.length) this.grow(entries);
  }

  /** Sets the {@link LineVerdict} of line `line` (1-based). */
  mark(line: number, verdict: number): void {
    this.verdicts[line - this.first] = verdict;
  }

  /** Closes the map of a body of `bytes` bytes whose last byte is `last`. */
  finish(bytes: number, last: number): void {
    // the sentinel makes `starts[i + 1] - 1` the LF (or the end) of every line, the last one included
    this.starts[this.count] = this.count === 0 ? 0 : last === LF ? bytes : bytes + 1;
  }

  /** Offset of the first byte of line `i + 1`. */
  start(i: number): number {
    return this.starts[i]!;
  }

  /** Offset of the LF of line `i + 1` (the body's end for a last line without one). */
  lf(i: number): number {
    return this.starts[i + 1]! - 1;
  }

  /** End of the content of line `i + 1` in `body`: before its LF, and before a CR there when ignored. */
  end(body: Uint8Array, i: number): number {
    return contentEnd(body, this.starts[i]!, this.starts[i + 1]! - 1, this.ignoreCr);
  }

  /** End of line `i + 1` with its LF (what a piece of the body keeps), at most the body's length. */
  endWithLf(i: number, bytes: number): number {
    return Math.min(this.starts[i + 1]!, bytes);
  }

  /** Lines with verdict `verdict`. */
  countOf(verdict: number): number {
    let n = 0;
    const v = this.verdicts;
    for (let i = 0; i < this.count; i++) if (v[i] === verdict) n++;
    return n;
  }

  private grow(lines: number): void {
    let size = this.verdicts.length * 2;
    while (size < lines) size *= 2;
    const starts = new Int32Array(size + 1);
    starts.set(this.starts.subarray(0, this.count + 1));
    const verdicts = new Uint8Array(size);
    verdicts.set(this.verdicts.subarray(0, this.count));
    this.starts = starts;
    this.verdicts = verdicts;
  }
}

/**
 * Maps the lines of a body nobody validated (a sender's body): starts, and BLANK or OK. One pass
 * (counted, for the tests that prove a body is cut once).
 * @example const map = mapLines(body); map.countOf(LineVerdict.BLANK)
 */
export function mapLines(body: Uint8Array, map: LineMap = new LineMap(), ignoreCr = true): LineMap {
  lineCuts.passes++;
  map.reset();
  map.ignoreCr = ignoreCr;
  const len = body.length;
  let line = 0;
  let pos = 0;
  while (pos < len) {
    let nl = body.indexOf(LF, pos);
    if (nl < 0) nl = len;
    map.begin(++line, pos);
    if (isBlankLine(body, pos, contentEnd(body, pos, nl, ignoreCr))) map.mark(line, LineVerdict.BLANK);
    pos = nl + 1;
  }
  map.finish(len, len > 0 ? body[len - 1]! : 0);
  return map;
}

/**
 * Keeps the valid lines (spec: those the endpoint counts in `linesOk`, {@link LineVerdict} OK or
 * WARNED; blank and invalid ones left out) of map lines `[from, to)` (indices): copies each into
 * `out` from `at` on, followed by one LF (a CR before it dropped where the map ignores it). `src`
 * holds the bytes, its byte 0 at body offset `srcBase`; `out` has room for the lines and an LF each.
 * With `kept`, the copied lines are mapped there too (starts in `out`), and `senderLines` gets each
 * one's line number in the map's body. Returns the end of the copied bytes in `out`. The one
 * "keep only the valid lines": the proxy's filter and the stream filter read the map through it.
 * @example const end = copyValidLines(body, 0, map, 0, map.count, out, 0);
 */
export function copyValidLines(
  src: Uint8Array,
  srcBase: number,
  map: LineMap,
  from: number,
  to: number,
  out: Uint8Array,
  at: number,
  kept?: LineMap,
  senderLines?: Int32Array,
): number {
  const verdicts = map.verdicts;
  const starts = map.starts;
  for (let i = from; i < to; i++) {
    const verdict = verdicts[i];
    if (verdict !== LineVerdict.OK && verdict !== LineVerdict.WARNED) continue;
    const start = starts[i]! - srcBase;
    const end = contentEnd(src, start, starts[i + 1]! - 1 - srcBase, map.ignoreCr);
    if (kept !== undefined) {
      const n = kept.count;
      kept.begin(n + 1, at);
      if (senderLines !== undefined) senderLines[n] = map.first + i;
    }
    out.set(src.subarray(start, end), at);
    at += end - start;
    out[at++] = LF;
  }
  return at;
}

/**
 * Line numbers (1-based, ascending) of a body's invalid lines: what the validator records when it
 * makes no line map, so that the last valid lines can still be told apart from the end of the body
 * ({@link lastValidLines}). It grows with the invalid lines only (rare), not with the body's lines.
 * @example const list = new LineNumbers(); list.push(7); list.count // 1
 */
export class LineNumbers {
  /** The numbers, `items[0, count)`. */
  items: Int32Array = new Int32Array(16);
  /** Numbers recorded. */
  count = 0;

  /** Records `line` (numbers come in ascending order). */
  push(line: number): void {
    if (this.count === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.count++] = line;
  }
}

/** `[start, lf)` of the kept lines, reused by {@link lastValidLines} (two ints a line; grown when a call needs more). */
let tailRanges = new Int32Array(2048);

/**
 * The last `wanted` valid lines of a body of `lines` lines held in `chunks` (in order, as it was
 * pushed), found by walking back from its end instead of reading a line map: a line is valid unless
 * it is blank (the one blank-line rule, {@link blankState}) or its number is in `invalid`. Returns them
 * copied into one buffer, each with its LF (one added after a last line without it; a CR before an
 * LF is kept, as the body had it), and how many there are (fewer than `wanted` only when the body has
 * fewer). Only the tail of the body is read, so the cost follows `wanted`, not the body's size.
 * @example lastValidLines([Buffer.from('a 1\n\nb 2\n')], 3, new LineNumbers(), 5, true) // { bytes: 'a 1\nb 2\n', count: 2 }
 */
export function lastValidLines(
  chunks: readonly Uint8Array[],
  lines: number,
  invalid: LineNumbers,
  wanted: number,
  ignoreCr: boolean,
): { bytes: Uint8Array; count: number } {
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  if (total === 0 || wanted <= 0) return { bytes: new Uint8Array(0), count: 0 };
  if (tailRanges.length < wanted * 2) tailRanges = new Int32Array(wanted * 2);
  const ranges = tailRanges;
  const bad = invalid.items;
  let p = invalid.count - 1;
  // the chunk being searched for LFs, walking back: chunks[c] holds body bytes [cBase, cBase + length)
  let c = chunks.length - 1;
  let cBase = total - chunks[c]!.length;
  // the LF (or the body's end) of line `line`
  let lf = lastByte(chunks) === LF ? total - 1 : total;
  let kept = 0;
  let size = 0;
  let chunk = chunks[c]!;
  for (let line = lines; line > 0 && kept < wanted; line--) {
    // the LF before this line's start, searched back from `lf`, chunk by chunk (`lastIndexOf` is
    // memrchr: ~20 µs for 1000 lines of 120 bytes, where a loop over the bytes in JS takes ~120 µs)
    let i = lf - cBase - 1;
    for (;;) {
      if (i >= 0) i = chunk.lastIndexOf(LF, i);
      if (i >= 0 || c === 0) break;
      chunk = chunks[--c]!;
      cBase -= chunk.length;
      i = chunk.length - 1;
    }
    const prev = i >= 0 ? cBase + i : -1;
    const start = prev + 1;
    while (p >= 0 && bad[p]! > line) p--;
    // blank only if empty or its first byte is a space or a CR (most lines are told by that byte)
    let blank = start === lf;
    if (!blank) {
      const first = i + 1 < chunk.length ? chunk[i + 1] : chunks[c + 1]![0];
      blank = (first === undefined || first === SPACE || first === CR) && blankAcross(chunks, c, cBase, start, lf, ignoreCr);
    }
    if (!blank && (p < 0 || bad[p] !== line)) {
      ranges[kept * 2] = start;
      ranges[kept * 2 + 1] = lf;
      size += lf + 1 - start;
      kept++;
    }
    lf = prev;
  }
  const out = new Uint8Array(size);
  copyRanges(chunks, ranges, kept, out, total);
  return { bytes: out, count: kept };
}

/** The body's last byte. */
function lastByte(chunks: readonly Uint8Array[]): number {
  for (let c = chunks.length - 1; c >= 0; c--) if (chunks[c]!.length > 0) return chunks[c]![chunks[c]!.length - 1]!;
  return 0;
}

/**
 * Whether body bytes `[start, lf)` (a line without its LF) are blank, read in the pieces the chunks
 * hold them in; `chunks[c]` (at body offset `cBase`) holds the byte before `start` or `start` itself.
 */
function blankAcross(chunks: readonly Uint8Array[], c: number, cBase: number, start: number, lf: number, ignoreCr: boolean): boolean {
  let state: number = BlankState.BLANK;
  let at = start;
  while (at < lf && state !== BlankState.CONTENT) {
    const chunk = chunks[c]!;
    const end = cBase + chunk.length;
    if (at >= end) {
      cBase = end;
      c++;
      continue;
    }
    const to = Math.min(lf, end);
    state = blankState(state, chunk, at - cBase, to - cBase, ignoreCr);
    at = to;
  }
  return state === BlankState.BLANK || (state === BlankState.BLANK_CR && ignoreCr);
}

/**
 * Copies the lines `[start, lf)` of `ranges` (pairs, the last line first) into `out` in body order,
 * each with its LF (added where the line ends the body without one); adjacent lines are one copy.
 */
function copyRanges(chunks: readonly Uint8Array[], ranges: Int32Array, count: number, out: Uint8Array, total: number): void {
  let at = 0;
  let c = 0;
  let cBase = 0;
  for (let k = count - 1; k >= 0; ) {
    const from = ranges[k * 2]!;
    let lf = ranges[k * 2 + 1]!;
    // a run of adjacent lines: the next one starts right after this one's LF
    while (k > 0 && ranges[(k - 1) * 2] === lf + 1) lf = ranges[--k * 2 + 1]!;
    k--;
    const to = Math.min(lf + 1, total);
    for (let pos = from; pos < to; ) {
      while (cBase + chunks[c]!.length <= pos) cBase += chunks[c++]!.length;
      const chunk = chunks[c]!;
      const end = Math.min(to, cBase + chunk.length);
      out.set(chunk.subarray(pos - cBase, end - cBase), at);
      at += end - pos;
      pos = end;
    }
    if (lf === total) out[at++] = LF; // the body's last line had no LF
  }
}
