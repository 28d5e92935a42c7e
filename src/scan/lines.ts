/**
 * Line splitting over byte chunks with a tail carry (uDSV's `chunk()`/`end()` idea): complete lines
 * are handed on as `(buffer, start, end)` views into the chunk itself, without copying; only the
 * unfinished last line of a chunk is copied into a carry buffer. A line longer than the limit is not
 * buffered: its bytes are counted and skipped up to the next LF, so memory stays bounded.
 *
 * @module
 */
import { CR, LF } from '../protocol/chars.js';
import { lineCuts } from './line-map.js';

/** Bytes of a skipped over-long line kept for the report (enough for an 80-character excerpt). */
export const TOO_LONG_PREFIX_BYTES = 320;

/** First size of the carry buffer; it doubles as long lines need. */
const INITIAL_CARRY_BYTES = 256;

const NO_BYTES = /* @__PURE__ */ new Uint8Array(0);

/** Receives the lines a {@link LineSplitter} finds. */
export interface LineSink {
  /**
   * A complete line `buf[start, end)`, without its LF (a CR before the LF is still there). The bytes
   * are only valid during the call.
   */
  line(buf: Uint8Array, start: number, end: number, lineNumber: number): void;
  /**
   * A line that went past `maxCarryUnits` while carried across chunks; its bytes were skipped but
   * for the first {@link TOO_LONG_PREFIX_BYTES}, in `prefix[0, prefixLength)` (for reports).
   */
  tooLong(lineNumber: number, units: number, prefix: Uint8Array, prefixLength: number): void;
  /**
   * Optional bulk path: handles every line of `buf[start, end)` in one call, where `end` is just past
   * an LF or the end of one complete line, and the first line is number `firstLine`. Returns the
   * number of physical lines handled (blank ones included), or -1 to decline, in which case the
   * splitter calls {@link line} per line as usual.
   */
  bulkLines?(buf: Uint8Array, start: number, end: number, firstLine: number): number;
}

/**
 * Splits a byte stream into lines. `push` any number of chunks (a chunk may end anywhere: inside a
 * UTF-8 sequence, between CR and LF), then `end()`.
 *
 * @example
 * const s = new LineSplitter(sink, 50_000);
 * s.push(bytes1); s.push(bytes2); s.end();
 */
export class LineSplitter {
  private readonly sink: LineSink;
  private readonly maxCarryUnits: number;
  private readonly ignoreCr: boolean;
  /** The unfinished last line of a chunk (allocated on the first one: a body pushed whole needs none). */
  private carry: Uint8Array = NO_BYTES;
  private carryLength = 0;
  /** UTF-16 units in the carry (or in the skipped line). */
  private carryUnits = 0;
  private skipping = false;
  /** Bytes of the skipped line so far (to tell whether its report prefix holds all of it). */
  private skippedBytes = 0;
  private lastByte = 0;
  private finalByte = 0;
  private lineNumber = 0;
  /** Body offset of byte 0 of the chunk being split, and of the carry's first byte. */
  private chunkBase = 0;
  private carryBase = 0;
  /** Total bytes pushed so far. */
  bytes = 0;

  /**
   * @param sink receives the lines
   * @param maxCarryUnits longest line, in UTF-16 units, kept when it spans chunks; longer ones are skipped
   * @param ignoreCr whether a CR before the LF is dropped from the counted length of a skipped line
   */
  constructor(sink: LineSink, maxCarryUnits: number, ignoreCr = true) {
    this.sink = sink;
    this.maxCarryUnits = maxCarryUnits;
    this.ignoreCr = ignoreCr;
  }

  /** Number of the last line handed on (1-based; 0 before the first). */
  get lines(): number {
    return this.lineNumber;
  }

  /**
   * The body offset of byte 0 of `buf`, a buffer this splitter is handing to its sink (the chunk, or
   * the carry of a line that spanned chunks): what turns a sink's offsets into the body's.
   */
  offsetOf(buf: Uint8Array): number {
    return buf === this.carry ? this.carryBase : this.chunkBase;
  }

  /** The last byte pushed (0 before the first). */
  get last(): number {
    return this.finalByte;
  }

  /** Feeds one chunk. */
  push(chunk: Uint8Array): void {
    const len = chunk.length;
    if (len === 0) return;
    this.chunkBase = this.bytes;
    this.bytes += len;
    this.finalByte = chunk[len - 1]!;
    let pos = 0;
    if (this.carryLength > 0 || this.skipping) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.appendCarry(chunk, 0, len);
        return;
      }
      this.appendCarry(chunk, 0, nl);
      this.flushCarry();
      pos = nl + 1;
    }
    const sink = this.sink;
    if (sink.bulkLines !== undefined) {
      // the complete lines of the chunk in one call; the tail stays in the carry, as below
      const last = chunk.lastIndexOf(LF);
      if (last >= pos) {
        const n = sink.bulkLines(chunk, pos, last + 1, this.lineNumber + 1);
        if (n >= 0) {
          this.lineNumber += n;
          pos = last + 1;
        }
      }
    }
    for (;;) {
      const nl = chunk.indexOf(LF, pos);
      if (nl < 0) break;
      sink.line(chunk, pos, nl, ++this.lineNumber);
      pos = nl + 1;
    }
    if (pos < len) this.appendCarry(chunk, pos, len);
  }

  /** Hands on the last line, if the input did not end with LF. */
  end(): void {
    lineCuts.passes++;
    if (this.carryLength > 0 || this.skipping) this.flushCarry();
  }

  private flushCarry(): void {
    const n = ++this.lineNumber;
    if (this.skipping) {
      let units = this.carryUnits;
      let prefixLength = this.carryLength;
      if (this.ignoreCr && this.lastByte === CR) {
        units--;
        // a prefix that holds the whole line ends in that CR: drop it, as a whole line's excerpt does
        // (fuzz/regressions/metrics-too-long-prefix-crlf.json)
        if (this.skippedBytes === prefixLength) prefixLength--;
      }
      this.skipping = false;
      this.carryUnits = 0;
      this.skippedBytes = 0;
      this.carryLength = 0;
      this.sink.tooLong(n, units, this.carry, prefixLength);
    } else {
      const length = this.carryLength;
      this.carryLength = 0;
      this.carryUnits = 0;
      const sink = this.sink;
      if (sink.bulkLines === undefined || sink.bulkLines(this.carry, 0, length, n) < 0) sink.line(this.carry, 0, length, n);
    }
  }

  /** Appends to the report prefix of a skipped line, up to {@link TOO_LONG_PREFIX_BYTES}. */
  private appendPrefix(src: Uint8Array, start: number, end: number): void {
    const n = Math.min(end - start, TOO_LONG_PREFIX_BYTES - this.carryLength);
    if (n <= 0) return;
    this.carry.set(src.subarray(start, start + n), this.carryLength);
    this.carryLength += n;
  }

  private appendCarry(src: Uint8Array, start: number, end: number): void {
    if (end <= start) return;
    if (this.carryLength === 0 && !this.skipping) this.carryBase = this.chunkBase + start;
    // count UTF-16 units of the appended bytes: continuation bytes add nothing, 4-byte leads add two
    let units = this.carryUnits;
    for (let i = start; i < end; i++) {
      const b = src[i]!;
      if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
    }
    this.carryUnits = units;
    this.lastByte = src[end - 1]!;
    if (this.skipping) {
      this.skippedBytes += end - start;
      // the report prefix is filled up to its size whatever the chunking, so a skipped line reads
      // the same as a whole one (fuzz/regressions/metrics-too-long-prefix.json)
      if (this.carryLength < TOO_LONG_PREFIX_BYTES) this.appendPrefix(src, start, end);
      return;
    }
    // +1 leaves room for a trailing CR that does not count toward the length
    if (units > this.maxCarryUnits + 1) {
      // keep only a prefix for the report; the rest of the line is counted, not stored
      this.skipping = true;
      const prefix = new Uint8Array(TOO_LONG_PREFIX_BYTES);
      const kept = Math.min(this.carryLength, TOO_LONG_PREFIX_BYTES);
      prefix.set(this.carry.subarray(0, kept));
      this.carry = prefix;
      this.skippedBytes = this.carryLength + (end - start);
      this.carryLength = kept;
      this.appendPrefix(src, start, end);
      return;
    }
    const need = this.carryLength + (end - start);
    if (need > this.carry.length) {
      let size = Math.max(INITIAL_CARRY_BYTES, this.carry.length * 2);
      while (size < need) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.carry.subarray(0, this.carryLength));
      this.carry = grown;
    }
    this.carry.set(src.subarray(start, end), this.carryLength);
    this.carryLength = need;
  }
}
