/**
 * Normalizers (spec §6): repair a metric key, dimension key, dimension value or metadata value the
 * way the reference client libraries do before sending (Go/JS where they differ from Java), so the
 * result passes the validator under the same options. Each returns the repaired string, or `null`
 * where nothing can be kept.
 *
 * All four work on UTF-16 code units with char-code loops, and copy a valid input unchanged.
 *
 * @module
 */
import { METRICS_DEFAULTS, type MetricsOptions } from '../protocol/options.js';
import { BACKSLASH, C_ALPHA, C_CONTROL, C_DIGIT, C_DIM_KEY, C_DIM_KEY_START, C_METRIC_KEY, DOT, LF, UNDERSCORE, UNIT_CHAR } from '../protocol/chars.js';
import { asciiClass, checkDimensionKey, checkMetricKey, hasReservedPrefix, metadataLimit, type MetadataProperty } from './check.js';
import { isDimensionEscaped, quoteAlways, quoteMetadataValue, quotedUnits } from './escape.js';

/** `_`, the replacement of every run of invalid characters (spec §6). */
const REPLACEMENT = /* @__PURE__ */ String.fromCharCode(UNDERSCORE);
const DOT_STRING = /* @__PURE__ */ String.fromCharCode(DOT);

/**
 * The metrics options (limits, `allowDigitLeadingSections`) plus the normalizers' own choices.
 * @example normalizeMetricKey('a.', { shortMetricKey: 'null' }) // null
 */
export interface NormalizeOptions extends MetricsOptions {
  /**
   * What {@link normalizeMetricKey} does with a repaired key shorter than `metricKeyMinLength`.
   * Default `'keep'`: return it, as the reference libraries do and as the vectors require
   * (`a.` → `a`, `000` → `_`, *lib*); the validator will still reject it as too short. `'null'`:
   * return `null`, so every non-null result passes the validator (what a fix mode wants).
   */
  shortMetricKey?: 'keep' | 'null';
  /**
   * The property a metadata value belongs to. Given, {@link normalizeMetadataValue} cuts to that
   * property's limit (`metadataUnitMaxLength`, ...) and, for `unit`, replaces characters outside
   * `A-Z a-z 0-9 % [ ] { } / _`. Absent: no cut, and the free-text rules apply.
   */
  metadataProperty?: MetadataProperty;
}

/** Whether code unit `i` of `s` is a high surrogate whose low half sits at `i + 1`. */
function pairStartsAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) return false;
  const d = s.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff;
}

/**
 * End of a cut of `s` to at most `max` code units that does not separate a surrogate pair (the high
 * half goes too, so the cut never leaves a code point the UTF-8 encoder would replace).
 */
function cutEnd(s: string, max: number): number {
  if (s.length <= max) return s.length;
  return max > 0 && pairStartsAt(s, max - 1) ? max - 1 : max;
}

/**
 * Repairs a metric key (spec §6): cut to `metricKeyMaxLength`; a key that is empty or starts with `.`
 * cannot be repaired; empty sections after the first are dropped (`a..b` → `a.b`, `a.` → `a`); in the
 * first section a leading run of characters other than `A-Za-z_` becomes one `_` (`1case` → `_case`),
 * in later sections a leading run of characters other than `A-Za-z0-9_`; then every run of other
 * invalid characters becomes one `_` (`mÄtric` → `m_tric`). With `allowDigitLeadingSections: false`
 * (the default, *server*) a later section that starts with a digit gets a leading `_` (`a.0b` →
 * `a._0b`), and if that pushes the key past the maximum it is cut again (trailing `.` removed).
 *
 * Decisions the spec leaves open:
 * - a key that comes out starting with `dt.` (reserved, spec §2) returns `null`: renaming it would
 *   silently merge it into another metric;
 * - a key that comes out shorter than `metricKeyMinLength` is returned as is by default (what the
 *   libraries and the vectors do); with `shortMetricKey: 'null'` it returns `null`. Padding was
 *   rejected: it invents a name the caller never chose.
 *
 * @returns the repaired key, or `null`
 * @example normalizeMetricKey('1case') // '_case'
 * @example normalizeMetricKey('a.0b') // 'a._0b'
 * @example normalizeMetricKey('.a') // null
 */
export function normalizeMetricKey(key: string, options?: NormalizeOptions): string | null {
  const max = options?.metricKeyMaxLength ?? METRICS_DEFAULTS.metricKeyMaxLength;
  const min = options?.metricKeyMinLength ?? METRICS_DEFAULTS.metricKeyMinLength;
  const allowDigit = options?.allowDigitLeadingSections ?? METRICS_DEFAULTS.allowDigitLeadingSections;
  const keepShort = options?.shortMetricKey !== 'null';
  if (checkMetricKey(key, options) === null) return key;
  // "a key that starts with `.` or is empty cannot be repaired" (spec §6)
  if (key.length === 0 || key.charCodeAt(0) === DOT) return null;
  const end = Math.min(key.length, max);
  let out = '';
  let first = true; // in the first section
  let empty = true; // the current section has seen no character yet
  let leading = true; // still in the section's leading run (nothing valid written yet)
  let run = false; // a run of invalid characters waits for its one '_'
  let owesDot = false; // a '.' is due before the next non-empty section
  for (let i = 0; i < end; i++) {
    const c = key.charCodeAt(i);
    if (c === DOT) {
      // an empty section is dropped: only a section that saw characters ends with a '.'
      if (!empty) {
        if (run) out += REPLACEMENT;
        run = false;
        empty = true;
        leading = true;
        first = false;
        owesDot = true;
      }
      continue;
    }
    if (empty) {
      empty = false;
      if (owesDot) {
        out += DOT_STRING;
        owesDot = false;
      }
    }
    const k = asciiClass(c);
    if (leading) {
      // the leading run: first section up to A-Za-z_, later sections up to A-Za-z0-9_ (spec §6)
      const starts = first ? (k & C_ALPHA) !== 0 || c === UNDERSCORE : (k & (C_ALPHA | C_DIGIT)) !== 0 || c === UNDERSCORE;
      if (!starts) {
        run = true;
        continue;
      }
      leading = false;
      if (run) {
        out += REPLACEMENT;
        run = false;
      } else if (!first && !allowDigit && (k & C_DIGIT) !== 0) {
        // the server rejects a later section starting with a digit (spec §2, *server*): `a.0b` → `a._0b`
        out += REPLACEMENT;
      }
      out += key[i];
      continue;
    }
    if ((k & C_METRIC_KEY) !== 0) {
      if (run) {
        out += REPLACEMENT;
        run = false;
      }
      out += key[i];
    } else {
      run = true;
    }
  }
  if (run) out += REPLACEMENT;
  if (out.length > max) {
    // only the digit-section '_' can make the key grow; a cut prefix of a section stays valid
    let e = max;
    while (e > 0 && out.charCodeAt(e - 1) === DOT) e--;
    out = out.slice(0, e);
  }
  if (out.length === 0 || hasReservedPrefix(out)) return null;
  if (out.length < min && !keepShort) return null;
  return out;
}

/**
 * Repairs a dimension key (spec §6): ASCII letters lowercased (`Dim` → `dim`), cut to
 * `dimensionKeyMaxLength`, empty sections dropped (leading dots too), in each section a leading run
 * of characters other than `a-z_` becomes one `_` (`dim.0dim` → `dim._dim`), then every run of
 * characters other than `a-z0-9_:-` becomes one `_`. Nothing left (`.`, empty) means the dimension is
 * dropped: `null`. Repairs never lengthen a dimension key, so the first cut is the only one.
 *
 * @returns the repaired key, or `null`
 * @example normalizeDimensionKey('Dim') // 'dim'
 * @example normalizeDimensionKey('---dim') // '_dim'
 * @example normalizeDimensionKey('.') // null
 */
export function normalizeDimensionKey(key: string, options?: NormalizeOptions): string | null {
  const max = options?.dimensionKeyMaxLength ?? METRICS_DEFAULTS.dimensionKeyMaxLength;
  if (checkDimensionKey(key, options) === null) return key;
  const end = Math.min(key.length, max);
  let out = '';
  let empty = true;
  let leading = true;
  let run = false;
  let owesDot = false;
  for (let i = 0; i < end; i++) {
    let c = key.charCodeAt(i);
    if (c === DOT) {
      if (!empty) {
        if (run) out += REPLACEMENT;
        run = false;
        empty = true;
        leading = true;
        owesDot = true;
      }
      continue;
    }
    if (empty) {
      empty = false;
      if (owesDot) {
        out += DOT_STRING;
        owesDot = false;
      }
    }
    // lowercase ASCII only: toLowerCase would turn some non-ASCII letters into longer strings
    if (c >= 65 && c <= 90) c += 32;
    const k = asciiClass(c);
    if (leading) {
      if ((k & C_DIM_KEY_START) === 0) {
        run = true;
        continue;
      }
      leading = false;
    } else if ((k & C_DIM_KEY) === 0) {
      run = true;
      continue;
    }
    if (run) {
      out += REPLACEMENT;
      run = false;
    }
    out += String.fromCharCode(c);
  }
  if (run) out += REPLACEMENT;
  return out.length === 0 ? null : out;
}

/**
 * Repairs a dimension value (spec §6) and returns it in the escaped bare form, ready to follow
 * `key=`, as the reference libraries do (*lib*: Go, JS, Java, Python): cut to
 * `dimensionValueMaxLength` code units, each run of control characters (0x00-0x1F, 0x7F) becomes one
 * `_`, space `,` `=` `"` `\` are escaped with a backslash (`a b` → `a\ b`), and the escaped form is
 * cut again to `dimensionValueMaxLength` without splitting an escape pair or a surrogate pair
 * (`'='.repeat(270)` → `\=` × 125).
 *
 * Why the escaped form fits the maximum: the server checks the limit (*server*:
 * `dimension value length exceeded: 401 > 250`) but no evidence says whether it counts the escaped or
 * the unescaped text. The validator counts unescaped content (spec §2), which the escaped length
 * bounds, so the result is accepted under either reading.
 *
 * Decisions the spec leaves open: a lone surrogate (no UTF-8 form) is replaced like a control
 * character; an empty value, or one of which nothing fits, returns `null`, since the endpoint drops
 * such a dimension (spec §2).
 *
 * @returns the escaped value, or `null`
 * @example normalizeDimensionValue('a b') // 'a\\ b'
 * @example normalizeDimensionValue('a\u0001\u0001b') // 'a_b'
 * @example normalizeDimensionValue('='.repeat(270)) // '\\='.repeat(125): 250 code units
 */
export function normalizeDimensionValue(value: string, options?: NormalizeOptions): string | null {
  const max = options?.dimensionValueMaxLength ?? METRICS_DEFAULTS.dimensionValueMaxLength;
  // the raw cut first, as the libraries do: nothing past it can be kept, escaped or not
  const end = cutEnd(value, max);
  let out = '';
  let from = 0; // start of the stretch copied unchanged
  let units = 0; // code units written so far, the pending stretch included
  let stop = end;
  let run = false;
  for (let i = 0; i < end; i++) {
    const c = value.charCodeAt(i);
    let bad = (asciiClass(c) & C_CONTROL) !== 0;
    let width = 1;
    if (!bad && c >= 0xd800 && c <= 0xdfff) {
      if (i + 1 < end && pairStartsAt(value, i)) width = 2;
      else bad = true;
    }
    if (bad) {
      // a run of control characters becomes one '_'
      if (!run) {
        if (units + 1 > max) {
          stop = i;
          break;
        }
        out += value.slice(from, i) + REPLACEMENT;
        units++;
        run = true;
      }
      from = i + 1;
      continue;
    }
    run = false;
    if (isDimensionEscaped(c)) {
      // the pair `\x` fits whole or not at all
      if (units + 2 > max) {
        stop = i;
        break;
      }
      out += value.slice(from, i) + '\\';
      from = i; // the character itself is copied with the next stretch
      units += 2;
      continue;
    }
    if (units + width > max) {
      stop = i;
      break;
    }
    units += width;
    i += width - 1;
  }
  out += value.slice(from, stop);
  return out.length === 0 ? null : out;
}

/**
 * Whether a metadata text character is removed: a control character other than LF (C0, DEL and C1:
 * Java's `Character.CONTROL`), as the Java library removes it (*lib*).
 */
function isRemovedControl(c: number): boolean {
  return c !== LF && (c < 0x20 || (c >= 0x7f && c <= 0x9f));
}

/**
 * Repairs a metadata value (spec §5) as the Java library does (*lib*, the only reference library that
 * writes metadata), and returns it as written after `dt.meta.<prop>=`:
 * - control characters other than LF are removed, not replaced (`a\u0001b` → `"ab"`), and so are
 *   lone surrogates (no UTF-8 form); CR is one of them, so Windows text keeps one `\n` per line break;
 * - with `metadataProperty` set, the value is cut so that its written form (escapes included, quotes
 *   not) fits that property's limit (`metadataDisplayNameMaxLength`, ...), never between the halves
 *   of an escape or a surrogate pair: within the limit under either reading of it;
 * - the value is written quoted when anything was removed or cut, or when it holds a character the
 *   bare form cannot (space `,` `=` `"` `\` LF), as `"..."` with `\"` and `\n`, and a backslash doubled
 *   only where it would be read as an escape (see {@link quoteMetadataValue}); else bare, as the Java
 *   library writes a clean value (`MiB` → `MiB`).
 * A `unit` keeps only `A-Z a-z 0-9 % [ ] { } / _`, each run of other characters becoming one `_`
 * (*decided*: the Java library drops an invalid unit; a repaired one keeps the line useful), and is
 * always bare.
 *
 * Decisions the spec leaves open: an empty value, or one with nothing left, returns `null` (leave the
 * property out, as the Java library drops it). A text that is itself wrapped in quotes is text, not a
 * quoted value (the Java library would take it as already quoted).
 *
 * @returns the value as written after `dt.meta.<prop>=`, or `null`
 * @example normalizeMetadataValue('a b') // '"a b"'
 * @example normalizeMetadataValue('\u0000a\u0007') // '"a"'
 * @example normalizeMetadataValue('per cent', { metadataProperty: 'unit' }) // 'per_cent'
 */
export function normalizeMetadataValue(value: string, options?: NormalizeOptions): string | null {
  const property = options?.metadataProperty;
  if (property === 'unit') return normalizeUnit(value, metadataLimit(property, options));
  const n = value.length;
  // removal: keep every character but controls (LF stays) and lone surrogates
  let text = '';
  let from = 0;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      if (pairStartsAt(value, i)) {
        i++;
        continue;
      }
    } else if (!isRemovedControl(c)) {
      continue;
    }
    text += value.slice(from, i);
    from = i + 1;
  }
  let changed = from > 0;
  text = changed ? text + value.slice(from) : value;
  if (property !== undefined) {
    const cut = writtenCut(text, metadataLimit(property, options));
    if (cut < text.length) {
      text = text.slice(0, cut);
      changed = true;
    }
  }
  if (text.length === 0) return null;
  return changed ? quoteAlways(text) : quoteMetadataValue(text);
}

/**
 * Length of the longest prefix of a metadata text whose quoted form (without the quotes) takes at
 * most `limit` code units, never ending between the halves of a surrogate pair. A backslash costs 2
 * where it is doubled, and it is doubled at the end of the value: a cut right after one pays for that.
 */
function writtenCut(text: string, limit: number): number {
  const n = text.length;
  let units = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const width = pairStartsAt(text, i) ? 2 : quotedUnits(c, i + 1 < n ? text.charCodeAt(i + 1) : -1);
    if (units + width > limit) {
      // the backslash before the cut was single because of what followed; at the end it is doubled
      if (i > 0 && text.charCodeAt(i - 1) === BACKSLASH && quotedUnits(BACKSLASH, c) === 1 && units + 1 > limit) return i - 1;
      return i;
    }
    units += width;
    if (width === 2 && c >= 0xd800) i++;
  }
  return n;
}

/** A unit: cut to its limit (not inside a surrogate pair), each run of characters outside `A-Z a-z 0-9 % [ ] { } / _` becomes one `_`. */
function normalizeUnit(value: string, limit: number): string | null {
  const end = cutEnd(value, limit);
  let out = '';
  let from = 0;
  let run = false;
  for (let i = 0; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c < 128 && UNIT_CHAR[c] !== 0) {
      run = false;
      continue;
    }
    if (!run) out += value.slice(from, i) + REPLACEMENT;
    run = true;
    from = i + 1;
  }
  out += value.slice(from, end);
  return out.length === 0 ? null : out;
}
