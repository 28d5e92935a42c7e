/**
 * Walking the valid lines of a metrics body after validation, over the chunks as they arrived (no
 * concatenation of the body; only a line cut by a chunk boundary is joined). The validator names the
 * invalid lines (its `onIssue`); every other non-blank line was accepted. This keeps the validator on
 * its fastest path (no per-line callback, which would force complete line views).
 *
 * @module
 */

const LF = 10;
const CR = 13;
const SPACE = 32;

/**
 * Receives one valid line: `buf[start, end)` without its LF and without a CR right before it, and its
 * 1-based physical line number. The bytes may be reused after the call.
 */
export type ValidLineVisitor = (buf: Uint8Array, start: number, end: number, line: number) => void;

function isBlank(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== SPACE) return false;
  return true;
}

/**
 * Calls `visit` for every valid line, skipping the first `skip` of them (to keep only the last N).
 * Returns the number of valid lines seen.
 * @example forEachValidLine([Buffer.from('a.b 1\nbad key\n')], new Set([2]), 0, (b, s, e, n) => log(n)) // 1
 */
export function forEachValidLine(chunks: readonly Uint8Array[], invalid: ReadonlySet<number>, skip: number, visit: ValidLineVisitor): number {
  let line = 0;
  let valid = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const emit = (buf: Uint8Array, start: number, end: number): void => {
    line++;
    if (end > start && buf[end - 1] === CR) end--;
    if (isBlank(buf, start, end) || invalid.has(line)) return;
    valid++;
    if (valid > skip) visit(buf, start, end, line);
  };
  for (const chunk of chunks) {
    let pos = 0;
    while (pos <= chunk.length) {
      const nl = chunk.indexOf(LF, pos);
      if (nl < 0) {
        if (pos < chunk.length) {
          pending.push(chunk.subarray(pos));
          pendingBytes += chunk.length - pos;
        }
        break;
      }
      if (pendingBytes > 0) {
        const joined = new Uint8Array(pendingBytes + nl);
        let at = 0;
        for (const p of pending) {
          joined.set(p, at);
          at += p.length;
        }
        joined.set(chunk.subarray(0, nl), at);
        pending = [];
        pendingBytes = 0;
        emit(joined, 0, joined.length);
      } else {
        emit(chunk, pos, nl);
      }
      pos = nl + 1;
    }
  }
  if (pendingBytes > 0) {
    const joined = new Uint8Array(pendingBytes);
    let at = 0;
    for (const p of pending) {
      joined.set(p, at);
      at += p.length;
    }
    emit(joined, 0, joined.length);
  }
  return valid;
}

/** All spaces (a CR at the end already removed). */
function blankText(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== SPACE) return false;
  return true;
}

/**
 * The last `n` non-blank lines of a body whose every non-blank line is valid, as text, in order
 * (without LF and without a CR right before it). Walks back from the end to where those lines start,
 * then decodes that tail once (cost in proportion to the tail, not to the body).
 * @example lastLines([Buffer.from('a.b 1\n\nc.d 2\n')], 1) // ['c.d 2']
 */
export function lastLines(chunks: readonly Uint8Array[], n: number): string[] {
  // find the chunk and offset where the n-th non-blank line from the end starts
  let found = 0;
  let fromChunk = 0;
  let fromOffset = 0;
  let blank = true; // the line being walked over (backward) has only spaces / a final CR so far
  let any = false; // it has at least one byte
  let done = false;
  for (let c = chunks.length - 1; c >= 0 && !done; c--) {
    const chunk = chunks[c]!;
    for (let i = chunk.length - 1; i >= 0; i--) {
      const b = chunk[i]!;
      if (b === LF) {
        if (any && !blank && ++found === n) {
          fromChunk = c;
          fromOffset = i + 1;
          done = true;
          break;
        }
        blank = true;
        any = false;
        continue;
      }
      if (b !== SPACE && !(b === CR && !any)) blank = false;
      any = true;
      // a non-blank line: skip to its start at once
      if (!blank) {
        const nl = chunk.lastIndexOf(LF, i);
        if (nl >= 0) i = nl + 1;
        else i = 0;
      }
    }
  }
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let text = '';
  for (let c = fromChunk; c < chunks.length; c++) text += decoder.decode(c === fromChunk ? chunks[c]!.subarray(fromOffset) : chunks[c]!, { stream: true });
  text += decoder.decode();
  const out: string[] = [];
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === CR) end--;
    if (end > pos) {
      const line = text.slice(pos, end);
      if (!blankText(line)) out.push(line);
    }
    pos = nl + 1;
  }
  return out.length > n ? out.slice(out.length - n) : out;
}
