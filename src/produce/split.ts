/**
 * Splitting a body into requests the endpoint accepts: pieces of at most `maxBytes` bytes (and at
 * most `maxLines` lines), never cutting a line, each with a map from its own line numbers (what the
 * endpoint's response names) back to the caller's input lines.
 *
 * Both variants cut at the same places: {@link splitMetrics} for a body in memory (pieces are views
 * of the input, no copies), {@link createMetricsSplitter} for a stream (memory bounded by one piece
 * plus one line).
 *
 * Rules:
 * - lines are LF-separated and counted from 1, every physical line included (spec §1); a piece keeps
 *   each line's LF, and a CR before the LF belongs to the line;
 * - a blank line (empty, or spaces only, with an optional CR at its end; spec §1) never starts or
 *   ends a piece: blank lines at a piece boundary are dropped. Between two lines of the same piece
 *   they stay, so the piece is one contiguous range; the endpoint skips them and numbers them, and
 *   the `lineMap` maps them too;
 * - `maxLines` counts the non-blank lines of a piece;
 * - a non-blank line that does not fit in `maxBytes` on its own (counting its CR and LF) is not put in
 *   any piece and is reported in `oversized`; the piece before it ends there.
 *
 * @module
 */
import { METRICS_DEFAULTS } from '../protocol/options.js';
import { LF } from '../protocol/chars.js';
import { toBytes } from '../metrics/parser.js';
import { BlankState, LineVerdict, blankState, mapLines, type LineMap } from '../scan/line-map.js';

/**
 * How to split.
 * @example splitMetrics(body, { maxBytes: 1_000_000, maxLines: 1000 })
 */
export interface SplitOptions {
  /** Largest piece in bytes. Default `maxBodyBytes` of the metrics options (1,048,576). */
  maxBytes?: number;
  /** Most non-blank lines in a piece. Default unbounded. */
  maxLines?: number;
  /**
   * The body's line map, when a validator made one (`MetricsValidator`'s `lineMap` setting): the body
   * is then not cut into lines again. Its blank lines are the validator's (a CR before the LF ignored
   * as its `ignoreCarriageReturn` says).
   */
  lines?: LineMap;
}

/**
 * One request body.
 * @example { body: bytes.subarray(0, 8), lineMap: Int32Array.of(1, 2) }
 */
export interface SplitPiece {
  /** The bytes to send: whole lines, each with its LF (the last input line may have none). */
  body: Uint8Array;
  /** `lineMap[i]` is the 1-based input line of the piece's line `i + 1` (0-based index `i`). */
  lineMap: Int32Array;
}

/**
 * A line too long for any piece.
 * @example { line: 7, bytes: 1_200_000 }
 */
export interface OversizedLine {
  /** 1-based input line. */
  line: number;
  /** Its size in bytes, CR and LF included. */
  bytes: number;
}

/**
 * What {@link splitMetrics} returns.
 * @example const { pieces, oversized }: SplitResult = splitMetrics(body);
 */
export interface SplitResult {
  pieces: SplitPiece[];
  oversized: OversizedLine[];
}

function resolveSplit(options: SplitOptions | undefined): { maxBytes: number; maxLines: number } {
  const maxBytes = options?.maxBytes ?? METRICS_DEFAULTS.maxBodyBytes;
  const maxLines = options?.maxLines ?? Number.POSITIVE_INFINITY;
  if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new TypeError('dt-ingest: maxBytes must be a positive integer');
  if (typeof maxLines !== 'number' || !(maxLines >= 1) || (maxLines !== Number.POSITIVE_INFINITY && !Number.isInteger(maxLines))) {
    throw new TypeError('dt-ingest: maxLines must be a positive integer');
  }
  return { maxBytes, maxLines };
}

function range(first: number, last: number): Int32Array {
  const map = new Int32Array(last - first + 1);
  for (let i = 0; i < map.length; i++) map[i] = first + i;
  return map;
}

/**
 * Splits a body into pieces of at most `maxBytes` bytes (see the module rules). Pieces are
 * `subarray` views of the input bytes (a string is encoded once).
 *
 * @example
 * const { pieces, oversized } = splitMetrics(body, { maxBytes: 1_000_000 });
 * for (const p of pieces) await send(p.body); // map response lines with p.lineMap
 */
export function splitMetrics(input: string | Uint8Array, options?: SplitOptions): SplitResult {
  const { maxBytes, maxLines } = resolveSplit(options);
  const bytes = toBytes(input);
  const { pieces, oversized } = splitMapped(bytes, options?.lines ?? mapLines(bytes), maxBytes, maxLines);
  return { pieces: pieces.map((p) => ({ body: p.body, lineMap: p.lineMap })), oversized };
}

/** A piece of {@link splitMapped}: also the 0-based index of its first line in the body's map. */
export interface MappedPiece extends SplitPiece {
  first: number;
}

/**
 * {@link splitMetrics} over a body's line map: the pieces also say where their lines are in the map,
 * so that the sender reads their blank lines there. Internal: not exported by the package.
 */
export function splitMapped(bytes: Uint8Array, map: LineMap, maxBytes: number, maxLines: number): { pieces: MappedPiece[]; oversized: OversizedLine[] } {
  const len = bytes.length;
  const verdicts = map.verdicts;
  const pieces: MappedPiece[] = [];
  const oversized: OversizedLine[] = [];
  if (len <= maxBytes && maxLines >= map.count) {
    // the body fits in one piece (the loop below would make the same one, line by line): from the
    // first non-blank line to the end of the last one, LF included
    let first = 0;
    while (first < map.count && verdicts[first] === LineVerdict.BLANK) first++;
    if (first === map.count) return { pieces, oversized };
    let last = map.count - 1;
    while (verdicts[last] === LineVerdict.BLANK) last--;
    pieces.push({ body: bytes.subarray(map.start(first), map.endWithLf(last, len)), lineMap: range(first + 1, last + 1), first });
    return { pieces, oversized };
  }
  let pieceStart = -1; // byte offset of the open piece, -1 when none
  let pieceEnd = 0; // end of its last non-blank line (LF included)
  let pieceFirst = 0;
  let pieceLast = 0;
  let pieceLines = 0;
  const close = (): void => {
    if (pieceStart < 0) return;
    pieces.push({ body: bytes.subarray(pieceStart, pieceEnd), lineMap: range(pieceFirst, pieceLast), first: pieceFirst - 1 });
    pieceStart = -1;
  };
  for (let i = 0; i < map.count; i++) {
    if (verdicts[i] === LineVerdict.BLANK) continue;
    const line = i + 1;
    const pos = map.start(i);
    const end = map.endWithLf(i, len);
    const size = end - pos;
    if (size > maxBytes) {
      // never dropped silently: the caller learns which line could not be sent
      close();
      oversized.push({ line, bytes: size });
      continue;
    }
    if (pieceStart >= 0 && (end - pieceStart > maxBytes || pieceLines >= maxLines)) close();
    if (pieceStart < 0) {
      pieceStart = pos;
      pieceFirst = line;
      pieceLines = 0;
    }
    pieceEnd = end;
    pieceLast = line;
    pieceLines++;
  }
  close();
  return { pieces, oversized };
}

/**
 * Options of {@link createMetricsSplitter}.
 * @example { maxBytes: 1_000_000, onPiece: (p) => queue.push(p), onOversized: (o) => log(o.line) }
 */
export interface MetricsSplitterOptions extends SplitOptions {
  /**
   * Receives each finished piece. The piece's bytes are its own (the splitter hands its buffer over
   * and starts a new one), so they may be kept or sent asynchronously.
   */
  onPiece: (piece: SplitPiece) => void;
  /** Receives each oversized line as soon as its end is seen (they are also listed by `end()`). */
  onOversized?: (line: OversizedLine) => void;
}

/**
 * What {@link MetricsSplitter.end} returns.
 * @example { oversized: [], lines: 120_000, pieces: 3 }
 */
export interface SplitterSummary {
  /** Every line that fit in no piece. */
  oversized: OversizedLine[];
  /** Physical input lines seen. */
  lines: number;
  /** Pieces handed to `onPiece`. */
  pieces: number;
}

/** Smallest buffer the streaming splitter starts with; it doubles up to `maxBytes` as lines need. */
const INITIAL_BUFFER = 65_536;

/**
 * The streaming splitter behind {@link createMetricsSplitter}: `push` chunks cut anywhere, then `end`.
 * The buffer holds the open piece, the blank lines after it and the unfinished line; a line that
 * cannot fit on its own is counted and skipped up to its LF without being buffered.
 *
 * @example
 * const s = new MetricsSplitter({ maxBytes: 1_000_000, onPiece: (p) => queue.push(p) });
 * s.push(chunk1); s.push(chunk2); const { oversized } = s.end();
 */
export class MetricsSplitter {
  private readonly maxBytes: number;
  private readonly maxLines: number;
  private readonly onPiece: (piece: SplitPiece) => void;
  private readonly onOversized: ((line: OversizedLine) => void) | undefined;
  private readonly encoder = new TextEncoder();
  private buf: Uint8Array;
  /** End of the open piece's last non-blank line; 0 when no piece is open. */
  private pieceLen = 0;
  private pieceLines = 0;
  private pieceFirst = 0;
  private pieceLast = 0;
  /** Start of the unfinished line in `buf`. */
  private lineStart = 0;
  /** End of the bytes in `buf`. */
  private write = 0;
  private line = 0;
  private skipping = false;
  private skipBytes = 0;
  private skipState: number = BlankState.BLANK;
  private pieceCount = 0;
  private ended = false;
  private readonly oversized: OversizedLine[] = [];

  /** @param options sizes and the piece callback */
  constructor(options: MetricsSplitterOptions) {
    const { maxBytes, maxLines } = resolveSplit(options);
    if (typeof options.onPiece !== 'function') throw new TypeError('dt-ingest: onPiece must be a function');
    this.maxBytes = maxBytes;
    this.maxLines = maxLines;
    this.onPiece = options.onPiece;
    this.onOversized = options.onOversized;
    this.buf = new Uint8Array(Math.min(maxBytes, INITIAL_BUFFER));
  }

  /**
   * Feeds a chunk. Bytes may be cut anywhere; a string chunk is encoded on its own, so cut strings
   * between code points (never inside a surrogate pair). Throws after {@link MetricsSplitter.end}.
   * @example splitter.push(chunk)
   */
  push(chunk: Uint8Array | string): void {
    if (this.ended) throw new Error('dt-ingest: push() after end()');
    const bytes = typeof chunk === 'string' ? this.encoder.encode(chunk) : chunk;
    const len = bytes.length;
    let pos = 0;
    while (pos < len) {
      const nl = bytes.indexOf(LF, pos);
      const end = nl < 0 ? len : nl + 1;
      if (this.skipping) {
        this.skipBytes += end - pos;
        this.skipState = blankState(this.skipState, bytes, pos, end, true);
      } else {
        this.append(bytes, pos, end);
      }
      pos = end;
      if (nl >= 0) this.finishLine();
    }
  }

  /**
   * Ends the input: finishes the last line (with or without LF) and hands on the last piece.
   * @example const { oversized, lines, pieces } = splitter.end();
   */
  end(): SplitterSummary {
    if (this.ended) throw new Error('dt-ingest: end() called twice');
    this.ended = true;
    if (this.skipping || this.write > this.lineStart) this.finishLine();
    this.flush();
    this.write = this.lineStart = 0;
    return { oversized: this.oversized.slice(), lines: this.line, pieces: this.pieceCount };
  }

  /** Appends `src[start, end)` of the unfinished line, making room or switching to skipping. */
  private append(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.write + n > this.maxBytes) {
      // piece + pending blank lines + this line do not fit: the piece ends here (as splitMetrics
      // closes it when the next line does not fit); the unfinished line moves to the front
      if (this.lineStart > 0) this.flushKeepingLine();
      if (this.write + n > this.maxBytes) {
        // the line alone is too long: count it and skip to its LF without buffering it
        this.skipping = true;
        this.skipBytes = this.write + n;
        this.skipState = blankState(blankState(BlankState.BLANK, this.buf, 0, this.write, true), src, start, end, true);
        this.write = this.lineStart = 0;
        return;
      }
    }
    const need = this.write + n;
    if (need > this.buf.length) {
      let size = this.buf.length * 2;
      if (size < need) size = need;
      if (size > this.maxBytes) size = this.maxBytes;
      const grown = new Uint8Array(size);
      grown.set(this.buf.subarray(0, this.write));
      this.buf = grown;
    }
    const buf = this.buf;
    if (n <= 32) {
      // short lines (blank ones above all) are copied by hand: a subarray per line costs more than the copy
      for (let i = 0, w = this.write; i < n; i++) buf[w + i] = src[start + i]!;
    } else {
      buf.set(src.subarray(start, end), this.write);
    }
    this.write = need;
  }

  /** The line that ends at `write` (or the skipped one) is complete. */
  private finishLine(): void {
    const line = ++this.line;
    if (this.skipping) {
      this.skipping = false;
      if (this.skipState === BlankState.CONTENT) {
        const o: OversizedLine = { line, bytes: this.skipBytes };
        this.oversized.push(o);
        this.onOversized?.(o);
      }
      this.skipBytes = 0;
      this.skipState = BlankState.BLANK;
      return;
    }
    if (blankState(BlankState.BLANK, this.buf, this.lineStart, this.write, true) !== BlankState.CONTENT) {
      // blank: kept only between two lines of a piece; with no piece open there is nothing to keep
      if (this.pieceLen === 0) this.write = 0;
      this.lineStart = this.write;
      return;
    }
    if (this.pieceLen > 0 && this.pieceLines >= this.maxLines) this.flushKeepingLine();
    if (this.pieceLen === 0) {
      this.pieceFirst = line;
      this.pieceLines = 0;
    }
    this.pieceLen = this.write;
    this.pieceLines++;
    this.pieceLast = line;
    this.lineStart = this.write;
  }

  /** Hands on the open piece (if any) and moves the unfinished line to the front of a buffer. */
  private flushKeepingLine(): void {
    const old = this.buf;
    const partial = this.write - this.lineStart;
    if (this.pieceLen > 0) {
      this.flush();
      // the old buffer now belongs to the piece's receiver
      this.buf = new Uint8Array(Math.min(this.maxBytes, Math.max(INITIAL_BUFFER, partial)));
      this.buf.set(old.subarray(this.lineStart, this.write));
    } else {
      old.copyWithin(0, this.lineStart, this.write);
    }
    this.lineStart = 0;
    this.write = partial;
  }

  private flush(): void {
    if (this.pieceLen === 0) return;
    const piece: SplitPiece = { body: this.buf.subarray(0, this.pieceLen), lineMap: range(this.pieceFirst, this.pieceLast) };
    this.pieceLen = 0;
    this.pieceLines = 0;
    this.pieceCount++;
    this.onPiece(piece);
  }
}

/**
 * Creates a streaming splitter for bodies larger than memory: `push(chunk)` any number of times,
 * then `end()`. It cuts exactly where {@link splitMetrics} cuts the whole body, hands each piece to
 * `onPiece` as soon as it is complete, and reports lines too long for any piece.
 *
 * @example
 * const splitter = createMetricsSplitter({ maxBytes: 1_000_000, onPiece: (p) => pending.push(p) });
 * for await (const chunk of stream) splitter.push(chunk);
 * const { oversized } = splitter.end();
 */
export function createMetricsSplitter(options: MetricsSplitterOptions): MetricsSplitter {
  return new MetricsSplitter(options);
}
