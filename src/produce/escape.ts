/**
 * Writing values in their line-protocol form: the escaped bare dimension value and the bare-or-quoted
 * metadata value, and the length of each written form. Both take text that already passes the rules
 * (see `./check.ts`); they only choose the spelling.
 *
 * @module
 */
import { BACKSLASH, COMMA, EQUALS, LF, QUOTE, SPACE } from '../protocol/chars.js';

/** `n`: the letter of the `\n` escape inside a quoted metadata value (spec §5). */
const LETTER_N = 110;

/**
 * Space `,` `=` `"` `\`: the characters a bare dimension value writes with a backslash (spec §2).
 * @example isDimensionEscaped(0x3d) // true: '='
 */
export function isDimensionEscaped(c: number): boolean {
  return c === SPACE || c === COMMA || c === EQUALS || c === QUOTE || c === BACKSLASH;
}

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
  while (i < n && !isDimensionEscaped(value.charCodeAt(i))) i++;
  if (i === n) return value;
  let out = value.slice(0, i);
  let from = i;
  for (; i < n; i++) {
    if (isDimensionEscaped(value.charCodeAt(i))) {
      out += value.slice(from, i) + '\\';
      from = i; // the character itself is copied with the next stretch
    }
  }
  return out + value.slice(from);
}

/**
 * Length in UTF-16 code units of {@link escapeDimensionValue}'s output, without building it: the
 * value's length plus one per escaped character. The server's limit is known to be checked but not
 * whether on this or on the unescaped length, so the producers keep this one within the maximum.
 *
 * @example escapedDimensionValueLength('a=b') // 4
 */
export function escapedDimensionValueLength(value: string): number {
  const n = value.length;
  let extra = 0;
  for (let i = 0; i < n; i++) if (isDimensionEscaped(value.charCodeAt(i))) extra++;
  return n + extra;
}

/** Whether a metadata text must be quoted: the bare form stops at space and `,` and rejects `"`, `=`, `\` and controls (spec §5). */
function needsQuotes(value: string): boolean {
  const n = value.length;
  if (n === 0) return true; // a bare empty value is invalid
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === SPACE || c === COMMA || c === EQUALS || c === QUOTE || c === BACKSLASH || c === LF) return true;
  }
  return false;
}

/**
 * Whether a backslash followed by code unit `next` (-1 at the end of the value) must be written `\\`
 * inside quotes. Only `\"`, `\\` and `\n` are escapes there; before any other character a backslash
 * is literal (*decided*, as the Java library writes the text `a\b`: `"a\b"`). So it is doubled only
 * where a single one would be read as an escape: before `"`, `\`, `n`, an LF (written `\n`) and the
 * closing quote.
 */
function backslashDoubled(next: number): boolean {
  return next < 0 || next === QUOTE || next === BACKSLASH || next === LETTER_N || next === LF;
}

/**
 * Units `value[i]` takes inside quotes (see {@link quoteMetadataValue}), given the code unit after it
 * (-1 at the end): 2 for `"` (`\"`), LF (`\n`) and a doubled backslash, else 1.
 * @example quotedUnits(0x5c, 0x62) // 1: the backslash of `a\b` stays single
 */
export function quotedUnits(c: number, next: number): number {
  if (c === QUOTE || c === LF) return 2;
  if (c === BACKSLASH) return backslashDoubled(next) ? 2 : 1;
  return 1;
}

/**
 * Writes an unescaped metadata value: bare when it can be (nothing in it needs quoting), otherwise
 * quoted, as the Java library (the only reference library that writes metadata, *lib*) does: `"`
 * becomes `\"`, an LF `\n`, and a backslash stays single except where it would be read as an escape
 * (before `"`, `\`, `n`, an LF, or the closing quote), where it is written `\\` (spec §5: "Values
 * quoted (`"..."`, with `\"`, `\\` and `\n` escapes) or bare tokens"). The empty value is `""`.
 *
 * @example quoteMetadataValue('MiB') // 'MiB'
 * @example quoteMetadataValue('a b') // '"a b"'
 * @example quoteMetadataValue('a\\b') // '"a\\b"' (one backslash, as the Java library writes it)
 * @example quoteMetadataValue('a\nb') // '"a\\nb"'
 */
export function quoteMetadataValue(value: string): string {
  return needsQuotes(value) ? quoteAlways(value) : value;
}

/**
 * The quoted form of {@link quoteMetadataValue}, also for a value that could be bare (the Java
 * library quotes every value it had to repair).
 * @example quoteAlways('ab') // '"ab"'
 */
export function quoteAlways(value: string): string {
  const n = value.length;
  let out = '"';
  let from = 0;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === QUOTE || (c === BACKSLASH && backslashDoubled(i + 1 < n ? value.charCodeAt(i + 1) : -1))) {
      out += value.slice(from, i) + '\\';
      from = i; // the character itself is copied with the next stretch
    } else if (c === LF) {
      out += value.slice(from, i) + '\\' + String.fromCharCode(LETTER_N);
      from = i + 1;
    }
  }
  return out + value.slice(from) + '"';
}

/**
 * Length in UTF-16 code units of the written metadata value between its quotes (the whole token when
 * bare): the text, plus one for each `"`, LF and doubled backslash.
 * @example quotedMetadataValueLength('say "hi"') // 10
 */
export function quotedMetadataValueLength(value: string): number {
  const n = value.length;
  let units = 0;
  for (let i = 0; i < n; i++) units += quotedUnits(value.charCodeAt(i), i + 1 < n ? value.charCodeAt(i + 1) : -1);
  return units;
}
