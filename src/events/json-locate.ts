/**
 * Lines and columns of JSON Pointers in a body, for the reports (SARIF, annotations and editors need
 * a line; the validators name a problem by its pointer). One pass over the text, whatever the number
 * of pointers: each value's pointer is built from its parent's as the walk goes, and looked up in the
 * set of wanted ones. Only reached for bodies with findings; the validators stay as they are.
 *
 * The walk expects valid JSON (the validators have parsed it); on anything else it stops and
 * returns what it found so far, so it never throws or loops.
 *
 * @module
 */
import { BACKSLASH, COMMA, CR, LF, QUOTE, SPACE } from '../protocol/chars.js';
import { escapePointerSegment } from './envelopes.js';

/**
 * A position in the text: 1-based line and column (UTF-16 code units, as editors count).
 * @example { line: 3, column: 7 }
 */
export interface TextPosition {
  line: number;
  column: number;
}

/** JSON's own punctuation (the bytes it shares with the line protocol come from protocol/chars.ts). */
const TAB = 0x09;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

/**
 * Where the value at each wanted pointer starts in `text`.
 * @example locateJsonPointers('{\n "a": [1, 2]\n}', new Set(['/a/1'])).get('/a/1') // { line: 2, column: 12 }
 */
export function locateJsonPointers(text: string, wanted: ReadonlySet<string>): Map<string, TextPosition> {
  const found = new Map<string, TextPosition>();
  if (wanted.size === 0) return found;
  const n = text.length;
  // a byte order mark is not a column
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = i;
  // open containers: kind (true for arrays), the container's own pointer, the array index
  const isArray: boolean[] = [];
  const prefix: string[] = [];
  const index: number[] = [];
  let pointer = '';

  const skipWs = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === LF) {
        line++;
        lineStart = i + 1;
      } else if (c !== SPACE && c !== TAB && c !== CR) return;
      i++;
    }
  };
  /** Skips a string at `i` (a quote); returns its decoded content, or undefined when malformed. */
  const readString = (): string | undefined => {
    const start = i;
    let escaped = false;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        i++;
      }
      i++;
    }
    if (i >= n) return undefined;
    i++;
    if (!escaped) return text.slice(start + 1, i - 1);
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return undefined;
    }
  };
  /** Reads `"key":` inside an object and sets the pointer of its value; false when malformed. */
  const readKey = (): boolean => {
    skipWs();
    if (text.charCodeAt(i) !== QUOTE) return false;
    const key = readString();
    if (key === undefined) return false;
    skipWs();
    if (text.charCodeAt(i) !== COLON) return false;
    i++;
    pointer = `${prefix[prefix.length - 1]}/${escapePointerSegment(key)}`;
    return true;
  };

  for (;;) {
    // a value starts here
    skipWs();
    if (i >= n) return found;
    if (wanted.has(pointer) && !found.has(pointer)) {
      found.set(pointer, { line, column: i - lineStart + 1 });
      if (found.size === wanted.size) return found;
    }
    const c = text.charCodeAt(i);
    if (c === LBRACE || c === LBRACKET) {
      i++;
      skipWs();
      if (text.charCodeAt(i) === (c === LBRACE ? RBRACE : RBRACKET)) {
        i++;
      } else {
        isArray.push(c === LBRACKET);
        prefix.push(pointer);
        index.push(0);
        if (c === LBRACE) {
          if (!readKey()) return found;
        } else pointer = `${pointer}/0`;
        continue;
      }
    } else if (c === QUOTE) {
      if (readString() === undefined) return found;
    } else {
      // a number or a literal: up to the next delimiter
      const start = i;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === COMMA || d === RBRACE || d === RBRACKET || d === SPACE || d === LF || d === TAB || d === CR) break;
        i++;
      }
      if (i === start) return found;
    }
    // after a value: commas and closers
    for (;;) {
      skipWs();
      const depth = isArray.length;
      if (depth === 0 || i >= n) return found;
      const d = text.charCodeAt(i);
      if (d === COMMA) {
        i++;
        if (isArray[depth - 1]) {
          const k = ++index[depth - 1]!;
          pointer = `${prefix[depth - 1]}/${k}`;
        } else if (!readKey()) return found;
        break;
      }
      if (d !== (isArray[depth - 1] ? RBRACKET : RBRACE)) return found;
      i++;
      isArray.pop();
      prefix.pop();
      index.pop();
    }
  }
}
