/**
 * Writing values in their line-protocol form: the escaped bare dimension value and the bare-or-quoted
 * metadata value. Both take text that already passes the rules (see `./check.ts`); they only choose
 * the spelling.
 *
 * @module
 */
import { BACKSLASH, COMMA, EQUALS, LF, QUOTE, SPACE } from '../protocol/chars.js';

/** `n`: the letter of the `\n` escape inside a quoted metadata value (spec §5). */
const LETTER_N = 110;

/**
 * Writes an unescaped dimension value in the bare form with backslash escapes for space `,` `=` `"`
 * and `\` (spec §2: "those four and `\` can be written escaped with a backslash").
 *
 * Why bare and not quoted: every reference library emits this form (*lib*), so it is the spelling
 * the endpoint has seen most, and it needs no lookahead to decide.
 *
 * @example escapeDimensionValue('a b,c') // 'a\\ b\\,c'
 */
export function escapeDimensionValue(value: string): string {
  const n = value.length;
  let i = 0;
  // most values need no escape: find the first one before building anything
  for (; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === SPACE || c === COMMA || c === EQUALS || c === QUOTE || c === BACKSLASH) break;
  }
  if (i === n) return value;
  let out = value.slice(0, i);
  let from = i;
  for (; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === SPACE || c === COMMA || c === EQUALS || c === QUOTE || c === BACKSLASH) {
      out += value.slice(from, i) + '\\';
      from = i; // the character itself is copied with the next stretch
    }
  }
  return out + value.slice(from);
}

/**
 * Writes an unescaped metadata value: bare when it can be (the scanner's bare metadata value stops
 * at space and `,` and rejects `"`, `=` and `\`), otherwise quoted with `\"`, `\\` and `\n` escapes
 * (spec §5: "Values quoted (`"..."`, with `\"`, `\\` and `\n` escapes) or bare tokens"). The empty
 * value is written `""`, since a bare empty value is invalid.
 *
 * @example quoteMetadataValue('MiB') // 'MiB'
 * @example quoteMetadataValue('a b') // '"a b"'
 * @example quoteMetadataValue('a\nb') // '"a\\nb"'
 */
export function quoteMetadataValue(value: string): string {
  const n = value.length;
  let i = 0;
  for (; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === SPACE || c === COMMA || c === EQUALS || c === QUOTE || c === BACKSLASH || c === LF) break;
  }
  if (i === n && n > 0) return value;
  let out = '"';
  let from = 0;
  for (i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === QUOTE || c === BACKSLASH) {
      out += value.slice(from, i) + '\\';
      from = i;
    } else if (c === LF) {
      out += value.slice(from, i) + '\\' + String.fromCharCode(LETTER_N);
      from = i + 1;
    }
  }
  return out + value.slice(from) + '"';
}
