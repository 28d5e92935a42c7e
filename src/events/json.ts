/**
 * Bytes or text of a request → a JSON value, judged as the JSON endpoints judge a body: the size limit
 * first (by counting bytes, before any parsing), then UTF-8, then JSON syntax with the line and column
 * of the first error.
 *
 * The fast path is `JSON.parse` (native, and it keeps `__proto__` keys as own data properties, so no
 * prototype is ever touched). A nesting deeper than `maxDepth` (Jackson's cap, `maxJsonDepth`) is
 * found without a pass of our own over the text on real bodies: native searches count the openings
 * (`[`, `{`); a body with no more than the cap cannot be too deep; a body dense in openings (10 MB of
 * `[`, which would take `JSON.parse` seconds) is scanned first, the scan stopping at the 1,001st
 * level; any other body is parsed first and its depth read off the parsed value, the text scanned
 * only when the value cannot settle it. Only when the parse fails does a small iterative scanner
 * walk the text to find the exact position: it never recurses, so a 100,000-deep body cannot
 * overflow the stack.
 *
 * @module
 */

/** One segment of a JSON Pointer: an object key or an array index. */
export type PathSegment = string | number;

/** A syntax problem found by {@link scanJson}. */
export interface JsonSyntaxError {
  /** UTF-16 offset of the first offending character (the text length at an unexpected end). */
  offset: number;
  /** Terse reason, e.g. `expected ',' or ']'`. */
  reason: string;
}

/** Outcome of {@link readJsonBody}. */
export type JsonReadResult =
  | { ok: true; value: unknown; text: string }
  | { ok: false; status: 413; bytes: number; max: number }
  | { ok: false; status: 400; kind: 'empty' | 'syntax' | 'utf8' | 'depth'; reason: string; line: number; column: number; offset: number; text: string };

// Character codes used by the scanner.
const QUOTE = 34; // '"'
const COMMA = 44; // ','
const MINUS = 45; // '-'
const DOT = 46; // '.'
const ZERO = 48; // '0'
const NINE = 57; // '9'
const COLON = 58; // ':'
const LBRACKET = 91; // '['
const BACKSLASH = 92; // '\\'
const RBRACKET = 93; // ']'
const LBRACE = 123; // '{'
const RBRACE = 125; // '}'

const decoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Number of UTF-8 bytes of a string, without encoding it. Each UTF-16 unit is at least one byte, so
 * the caller can decide most cases from `length` alone (see {@link readJsonBody}).
 * @example utf8Length('é') // 2
 */
export function utf8Length(text: string): number {
  let n = 0;
  const len = text.length;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3; // lone surrogates are written as U+FFFD (3 bytes) by an encoder
  }
  return n;
}

/**
 * 1-based line and column (UTF-16 units, as editors count) of an offset. Lines end at LF.
 * @example lineColumn('{\n  x', 4) // { line: 2, column: 3 }
 */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  let i = text.indexOf('\n');
  while (i >= 0 && i < end) {
    line++;
    lineStart = i + 1;
    i = text.indexOf('\n', lineStart);
  }
  return { line, column: offset - lineStart + 1 };
}

/** Index of the first byte of an invalid UTF-8 sequence, or -1. Runs only after the decoder failed. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
      cp = b & 0x07;
    } else return i;
    if (i + need >= n) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Reads a request body: counts bytes against `maxBytes` (413 above it, before any parsing), decodes
 * UTF-8 (fatal), parses JSON, and on failure finds the line and column of the first syntax error.
 * Never throws.
 * @example readJsonBody('[1,]', 1024) // { ok: false, status: 400, kind: 'syntax', line: 1, column: 4, ... }
 */
export function readJsonBody(input: string | Uint8Array, maxBytes: number, allowBom = true, maxDepth = Number.POSITIVE_INFINITY): JsonReadResult {
  let text: string;
  /** Whether the depth was checked on the input already (the scan before the parse). */
  let scanned = false;
  /** Openings (`[`, `{`) counted in the input, strings included (see {@link openingsUpTo}); -1 when not counted. */
  let openings = -1;
  if (typeof input === 'string') {
    // A UTF-16 unit is 1 to 3 UTF-8 bytes (a surrogate pair 4 for 2 units): decide from the length
    // when we can, count exactly only in between.
    if (input.length > maxBytes) return { ok: false, status: 413, bytes: utf8Length(input), max: maxBytes };
    if (input.length * 3 > maxBytes) {
      const bytes = utf8Length(input);
      if (bytes > maxBytes) return { ok: false, status: 413, bytes, max: maxBytes };
    }
    text = input;
    // many openings for its size: scanned before the parse (below, after the BOM)
    if (maxDepth < input.length) openings = openingsUpTo(input, parseFirstCap(input.length, maxDepth));
  } else {
    if (input.byteLength > maxBytes) return { ok: false, status: 413, bytes: input.byteLength, max: maxBytes };
    if (maxDepth < input.length) {
      openings = openingsUpTo(input, parseFirstCap(input.length, maxDepth));
      if (openings > parseFirstCap(input.length, maxDepth)) {
        scanned = true;
        // too deep: decode only up to the bracket that passes the cap (a bad byte before it is met
        // in the decode of the whole body below, which reports it)
        const deepAt = deepestOpen(input, maxDepth);
        if (deepAt >= 0) {
          let prefix: string | undefined;
          try {
            prefix = decoder.decode(input.subarray(0, deepAt + 1));
          } catch {
            prefix = undefined;
          }
          if (prefix !== undefined) return tooDeep(allowBom && prefix.charCodeAt(0) === 0xfeff ? prefix.slice(1) : prefix, maxDepth)!;
        }
      }
    }
    try {
      text = decoder.decode(input);
    } catch {
      const at = firstInvalidUtf8(input);
      const offset = Math.max(at, 0);
      // Line and column of the bad byte: decode the valid prefix (only on this error path).
      const prefix = decoder.decode(input.subarray(0, offset));
      // a nesting too deep before the bad byte is met first (a streaming parser's order)
      const deep = tooDeep(prefix, maxDepth);
      if (deep !== undefined) return deep;
      const lc = lineColumn(prefix, prefix.length);
      return { ok: false, status: 400, kind: 'utf8', reason: 'invalid UTF-8', line: lc.line, column: lc.column, offset: prefix.length, text: prefix };
    }
  }
  if (allowBom && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let onlyWs = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) {
      onlyWs = false;
      break;
    }
  }
  if (onlyWs) return { ok: false, status: 400, kind: 'empty', reason: 'empty request body', line: 1, column: 1, offset: 0, text };
  if (!scanned && openings > parseFirstCap(input.length, maxDepth)) {
    // a text dense in openings: the scan first, which stops at the level too deep
    scanned = true;
    const deep = tooDeep(text, maxDepth);
    if (deep !== undefined) return deep;
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    if (e instanceof RangeError) {
      return { ok: false, status: 400, kind: 'depth', reason: 'nesting too deep', line: 1, column: 1, offset: 0, text };
    }
    // a nesting too deep before the syntax error is met first (a streaming parser's order)
    const deep = scanned ? undefined : tooDeep(text, maxDepth);
    if (deep !== undefined) return deep;
    const found = scanJson(text);
    const err: JsonSyntaxError = found !== undefined && typeof found === 'object' ? found : { offset: 0, reason: 'invalid JSON' };
    const lc = lineColumn(text, err.offset);
    return { ok: false, status: 400, kind: 'syntax', reason: err.reason, line: lc.line, column: lc.column, offset: err.offset, text };
  }
  // Parsed first: the depth is read off the value, and the text is scanned only when the value
  // cannot settle it (see depthSettled)
  if (!scanned && openings > maxDepth && !depthSettled(value, openings, maxDepth)) {
    const deep = tooDeep(text, maxDepth);
    if (deep !== undefined) return deep;
  }
  return { ok: true, value, text };
}

/**
 * Bytes per opening below which a body is scanned for its depth before `JSON.parse`, not after: each
 * array or object costs the parse far more than a byte (10 MB of `[` takes it seconds), so a body
 * dense in openings is judged by the scan, which stops at the level too deep. Real bodies have far
 * fewer (generic events with `dt.entity.*` ids: one per ~90 bytes), and are parsed first.
 */
const BYTES_PER_OPENING = 32;

/** Openings counted before a body of `length` units counts as dense (never fewer than the cap itself). */
function parseFirstCap(length: number, maxDepth: number): number {
  return Math.max(maxDepth, Math.floor(length / BYTES_PER_OPENING));
}

/**
 * `[` and `{` in the input, strings included, counted by native searches up to `cap + 1` (a count
 * over `cap` stops there).
 */
function openingsUpTo(src: string | Uint8Array, cap: number): number {
  let n = 0;
  for (const open of OPENS) {
    if (typeof src === 'string') {
      const ch = open === LBRACKET ? '[' : '{';
      for (let i = src.indexOf(ch); i >= 0; i = src.indexOf(ch, i + 1)) if (++n > cap) return n;
    } else {
      for (let i = src.indexOf(open); i >= 0; i = src.indexOf(open, i + 1)) if (++n > cap) return n;
    }
  }
  return n;
}

/**
 * Whether the parsed value proves its text no deeper than `maxDepth`: the value's own depth is within
 * the cap, and so is what a duplicate key may have dropped (`JSON.parse` keeps a key's last value,
 * while a streaming parser meets every level): the text's `openings` beyond the arrays and objects of
 * the value, each one level at most, added to the value's depth. One walk over the value's arrays and
 * objects, stopping at the first level too deep; `false` sends the caller to the scan of the text,
 * which is exact.
 */
function depthSettled(root: unknown, openings: number, maxDepth: number): boolean {
  if (typeof root !== 'object' || root === null) return openings <= maxDepth;
  const count = { containers: 0 };
  // a recursion no deeper than the cap (plus one) is cheap and safe; a larger cap walks iteratively
  const depth = maxDepth <= RECURSIVE_WALK_DEPTH ? depthOf(root, 1, maxDepth, count) : depthIterative(root, maxDepth, count);
  return depth <= maxDepth && depth + (openings - count.containers) <= maxDepth;
}

/** Caps up to which {@link depthSettled} walks by recursion (about twice the default's frames). */
const RECURSIVE_WALK_DEPTH = 2048;

/** A value of `v` met while walking its keys (`v.__proto__` would read the prototype, not the own key JSON.parse made). */
function valueAt(v: object, k: string): unknown {
  return k === '__proto__' ? Object.getOwnPropertyDescriptor(v, k)?.value : (v as Record<string, unknown>)[k];
}

/** Depth of `v` (at `level`), counting its arrays and objects; stops past `limit`. */
function depthOf(v: object, level: number, limit: number, count: { containers: number }): number {
  count.containers++;
  if (level > limit) return level;
  let depth = level;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const e: unknown = v[i];
      if (typeof e === 'object' && e !== null) {
        const d = depthOf(e, level + 1, limit, count);
        if (d > depth) {
          depth = d;
          if (d > limit) return d;
        }
      }
    }
  } else {
    for (const k in v) {
      const e = valueAt(v, k);
      if (typeof e === 'object' && e !== null) {
        const d = depthOf(e, level + 1, limit, count);
        if (d > depth) {
          depth = d;
          if (d > limit) return d;
        }
      }
    }
  }
  return depth;
}

/** {@link depthOf} with a stack of its own (no recursion, whatever the cap). */
function depthIterative(root: object, limit: number, count: { containers: number }): number {
  const stack: object[] = [root];
  const levels: number[] = [1];
  let depth = 0;
  while (stack.length > 0) {
    const v = stack.pop()!;
    const level = levels.pop()!;
    count.containers++;
    if (level > depth) {
      depth = level;
      if (depth > limit) return depth;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const e: unknown = v[i];
        if (typeof e === 'object' && e !== null) {
          stack.push(e);
          levels.push(level + 1);
        }
      }
    } else {
      for (const k in v) {
        const e = valueAt(v, k);
        if (typeof e === 'object' && e !== null) {
          stack.push(e);
          levels.push(level + 1);
        }
      }
    }
  }
  return depth;
}

/** Byte classes of the depth scan: 0 nothing, 1 quote, 2 backslash, 3 an opening, 4 a closing bracket. */
const DEPTH_CLASS = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256);
  t[QUOTE] = 1;
  t[BACKSLASH] = 2;
  t[LBRACKET] = t[LBRACE] = 3;
  t[RBRACKET] = t[RBRACE] = 4;
  return t;
})();

/** Whether more than `max` `[` and `{` occur at all (native searches; most bodies stop here). */
function opensOver(src: string | Uint8Array, max: number): boolean {
  let n = 0;
  for (const open of OPENS) {
    let i = typeof src === 'string' ? src.indexOf(open === LBRACKET ? '[' : '{') : src.indexOf(open);
    while (i >= 0) {
      if (++n > max) return true;
      i = typeof src === 'string' ? src.indexOf(open === LBRACKET ? '[' : '{', i + 1) : src.indexOf(open, i + 1);
    }
  }
  return false;
}
const OPENS = [LBRACKET, LBRACE] as const;
/** Bodies up to this length are first counted for openings (a large body has more than 1,000 anyway). */
const OPENS_COUNTED_BELOW = 65_536;

/**
 * Offset of the `[` or `{` that opens level `maxDepth + 1`, or -1: one pass that counts brackets
 * outside strings, stopping at the first level too deep; skipped when the body has no more than
 * `maxDepth` openings at all (counted on bodies up to 64 KiB). Exact on valid JSON; on invalid JSON the caller lets {@link scanJson}
 * decide which error comes first. On bytes the offset is a byte offset (the brackets are ASCII).
 * @example deepestOpen('[[[1]]]', 2) // 2
 */
export function deepestOpen(src: string | Uint8Array, maxDepth: number): number {
  if (!(maxDepth < src.length)) return -1;
  // counting costs up to maxDepth + 1 searches: worth it where the scan is short anyway
  if (src.length <= OPENS_COUNTED_BELOW && !opensOver(src, maxDepth)) return -1;
  return typeof src === 'string' ? deepestOpenText(src, maxDepth) : deepestOpenBytes(src, maxDepth);
}

function deepestOpenBytes(b: Uint8Array, maxDepth: number): number {
  const n = b.length;
  let depth = 0;
  let i = 0;
  while (i < n) {
    const k = DEPTH_CLASS[b[i]!]!;
    i++;
    if (k === 0) continue;
    if (k === 1) {
      // a string: on to its closing quote (an escape skips the next byte)
      for (;;) {
        if (i >= n) return -1;
        const c = b[i++]!;
        if (c === QUOTE) break;
        if (c === BACKSLASH) i++;
      }
    } else if (k === 3) {
      if (++depth > maxDepth) return i - 1;
    } else if (k === 4) depth--;
  }
  return -1;
}

function deepestOpenText(t: string, maxDepth: number): number {
  const n = t.length;
  let depth = 0;
  let i = 0;
  while (i < n) {
    const c = t.charCodeAt(i++);
    const k = c < 128 ? DEPTH_CLASS[c]! : 0;
    if (k === 0) continue;
    if (k === 1) {
      for (;;) {
        if (i >= n) return -1;
        const d = t.charCodeAt(i++);
        if (d === QUOTE) break;
        if (d === BACKSLASH) i++;
      }
    } else if (k === 3) {
      if (++depth > maxDepth) return i - 1;
    } else if (k === 4) depth--;
  }
  return -1;
}

/**
 * The 400 of a body nested deeper than `maxDepth`, or `undefined`: a syntax error before the level
 * too deep is answered instead (the endpoint's streaming parser meets it first).
 */
function tooDeep(text: string, maxDepth: number): Extract<JsonReadResult, { ok: false; status: 400 }> | undefined {
  const at = deepestOpen(text, maxDepth);
  if (at < 0) return undefined;
  const before = scanJson(text.slice(0, at));
  // the prefix ends inside a value: only an error before `at` is a real one
  if (before !== undefined && typeof before === 'object' && before.offset < at) {
    const lc = lineColumn(text, before.offset);
    return { ok: false, status: 400, kind: 'syntax', reason: before.reason, line: lc.line, column: lc.column, offset: before.offset, text };
  }
  const lc = lineColumn(text, at);
  const reason = `nesting depth (${maxDepth + 1}) exceeds the maximum allowed (${maxDepth})`;
  return { ok: false, status: 400, kind: 'depth', reason, line: lc.line, column: lc.column, offset: at, text };
}

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function describe(text: string, i: number): string {
  if (i >= text.length) return 'unexpected end of input';
  const ch = text.charAt(i);
  return `unexpected character '${ch === "'" ? "\\'" : ch}'`;
}

/**
 * Scans a string starting at its opening quote. Returns the index after the closing quote, or a
 * syntax error. Decodes the content only when `decode` is set (keys, on the locate path).
 */
function scanString(text: string, start: number, decode: boolean): { end: number; value: string } | JsonSyntaxError {
  let i = start + 1;
  const n = text.length;
  let value = '';
  let chunk = i;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      if (decode) value += text.slice(chunk, i);
      return { end: i + 1, value };
    }
    if (c < 0x20) return { offset: i, reason: 'control character in string' };
    if (c === BACKSLASH) {
      if (decode) value += text.slice(chunk, i);
      const e = text.charCodeAt(i + 1);
      if (e === 117) {
        // 'u'
        for (let k = 2; k < 6; k++) {
          const h = text.charCodeAt(i + k);
          const hex = (h >= 48 && h <= 57) || (h >= 65 && h <= 70) || (h >= 97 && h <= 102);
          if (!hex) return { offset: i, reason: 'invalid \\u escape in string' };
        }
        if (decode) value += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        let ch: string | undefined;
        switch (e) {
          case QUOTE:
            ch = '"';
            break;
          case BACKSLASH:
            ch = '\\';
            break;
          case 47:
            ch = '/';
            break;
          case 98:
            ch = '\b';
            break;
          case 102:
            ch = '\f';
            break;
          case 110:
            ch = '\n';
            break;
          case 114:
            ch = '\r';
            break;
          case 116:
            ch = '\t';
            break;
          default:
            return { offset: i, reason: i + 1 >= n ? 'unterminated string' : 'invalid escape in string' };
        }
        if (decode) value += ch;
        i += 2;
      }
      chunk = i;
      continue;
    }
    i++;
  }
  return { offset: n, reason: 'unterminated string' };
}

function scanNumber(text: string, start: number): number | JsonSyntaxError {
  let i = start;
  if (text.charCodeAt(i) === MINUS) i++;
  let c = text.charCodeAt(i);
  if (c === ZERO) i++;
  else if (c >= 49 && c <= NINE) {
    while ((c = text.charCodeAt(++i)) >= ZERO && c <= NINE);
  } else return { offset: i, reason: 'invalid number' };
  if (text.charCodeAt(i) === DOT) {
    i++;
    c = text.charCodeAt(i);
    if (!(c >= ZERO && c <= NINE)) return { offset: i, reason: 'invalid number' };
    while ((c = text.charCodeAt(++i)) >= ZERO && c <= NINE);
  }
  c = text.charCodeAt(i);
  if (c === 101 || c === 69) {
    // 'e' 'E'
    i++;
    c = text.charCodeAt(i);
    if (c === 43 || c === MINUS) i++;
    c = text.charCodeAt(i);
    if (!(c >= ZERO && c <= NINE)) return { offset: i, reason: 'invalid number' };
    while ((c = text.charCodeAt(++i)) >= ZERO && c <= NINE);
  }
  return i;
}

/**
 * Walks JSON text without recursion (an explicit stack), for the two error paths: finding the first
 * syntax error (no `target`), and finding where the value at a JSON path starts (`target`).
 * Returns a {@link JsonSyntaxError}, the offset of the target value (a number), or `undefined` when the
 * text is valid and the target is absent.
 * @example scanJson('{"a":[1,2]}', ['a', 1]) // 8
 */
export function scanJson(text: string, target?: readonly PathSegment[]): JsonSyntaxError | number | undefined {
  const n = text.length;
  const T = target === undefined ? -1 : target.length;
  // Frame stack: kind (1 array, 2 object), array index, object key.
  const kinds: number[] = [];
  const indices: number[] = [];
  const keys: string[] = [];
  let depth = 0;
  let matched = 0;
  const decodeKeys = target !== undefined;
  let i = 0;

  const readKey = (): JsonSyntaxError | undefined => {
    while (i < n && isWs(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== QUOTE) return { offset: i, reason: i >= n ? 'unexpected end of input' : 'expected a string key' };
    const s = scanString(text, i, decodeKeys);
    if ('offset' in s) return s;
    keys[depth - 1] = s.value;
    i = s.end;
    while (i < n && isWs(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== COLON) return { offset: i, reason: i >= n ? 'unexpected end of input' : "expected ':'" };
    i++;
    return undefined;
  };

  // Called when a new element of the top frame starts (see the module comment on `matched`).
  const enter = (): void => {
    if (matched > depth - 1) matched = depth - 1;
    if (matched === depth - 1 && depth <= T) {
      const seg = target![depth - 1];
      const hit = kinds[depth - 1] === 1 ? seg === indices[depth - 1] : seg === keys[depth - 1];
      if (hit) matched = depth;
    }
  };

  for (;;) {
    // --- a value is expected at i ---
    while (i < n && isWs(text.charCodeAt(i))) i++;
    if (i >= n) return { offset: n, reason: 'unexpected end of input' };
    if (T >= 0 && depth === T && matched === T) return i;
    const c = text.charCodeAt(i);
    if (c === LBRACE || c === LBRACKET) {
      kinds[depth] = c === LBRACE ? 2 : 1;
      indices[depth] = 0;
      keys[depth] = '';
      depth++;
      i++;
      while (i < n && isWs(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) === (c === LBRACE ? RBRACE : RBRACKET)) {
        depth--;
        if (matched > depth) matched = depth;
        i++;
      } else {
        if (c === LBRACE) {
          const e = readKey();
          if (e !== undefined) return e;
        }
        if (T >= 0) enter();
        continue;
      }
    } else if (c === QUOTE) {
      const s = scanString(text, i, false);
      if ('offset' in s) return s;
      i = s.end;
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      const e = scanNumber(text, i);
      if (typeof e !== 'number') return e;
      i = e;
    } else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else return { offset: i, reason: describe(text, i) };
    // --- after a value: separators and closers ---
    for (;;) {
      while (i < n && isWs(text.charCodeAt(i))) i++;
      if (depth === 0) {
        if (i < n) return { offset: i, reason: 'unexpected data after the JSON value' };
        return undefined;
      }
      const d = text.charCodeAt(i);
      const kind = kinds[depth - 1];
      if (d === COMMA) {
        i++;
        if (kind === 1) indices[depth - 1]!++;
        else {
          const e = readKey();
          if (e !== undefined) return e;
        }
        if (T >= 0) enter();
        break;
      }
      if ((kind === 1 && d === RBRACKET) || (kind === 2 && d === RBRACE)) {
        depth--;
        if (matched > depth) matched = depth;
        i++;
        continue;
      }
      if (i >= n) return { offset: n, reason: 'unexpected end of input' };
      return { offset: i, reason: kind === 1 ? "expected ',' or ']'" : "expected ',' or '}'" };
    }
  }
}

/**
 * Offset where the value at `path` starts in valid JSON text, or -1. Error path only (used for the
 * classic API's `Could not map JSON at '...' near line L column C`).
 * @example locateJsonPath('{"a":[1,2]}', ['a', 1]) // 8
 */
export function locateJsonPath(text: string, path: readonly PathSegment[]): number {
  const r = scanJson(text, path);
  return typeof r === 'number' ? r : -1;
}
