/**
 * The producer-side rule checks: does one key or value, as a string, pass the validator's rules
 * (spec §2 and §5) under the given options? Each check returns `null` when it does, or a short
 * sentence naming the first problem, which the serializer puts into its `TypeError`.
 *
 * These mirror the scanner's byte rules (`../metrics/scanner.ts`) on JS strings, reading the same
 * character table (`../protocol/chars.ts`) and the same options, so a string that passes here passes
 * there. UTF-16 code units are counted, as the validator counts lengths; value lengths are also
 * checked on the written form (escapes included), since the server's counting is not known.
 *
 * @module
 */
import { METRICS_DEFAULTS, type MetricsOptions } from '../protocol/options.js';
import { CHAR_CLASS, C_ALPHA, C_CONTROL, C_DIGIT, C_DIM_KEY, C_DIM_KEY_START, C_METRIC_KEY, DOT, LF, MINUS, UNDERSCORE, UNIT_CHAR } from '../protocol/chars.js';
import { escapedDimensionValueLength, quotedMetadataValueLength } from './escape.js';

/**
 * The metadata properties of spec §5, named as `MetricMetadataProperties` names them.
 * @example const p: MetadataProperty = 'unit';
 */
export type MetadataProperty = 'displayName' | 'description' | 'unit';

/**
 * Flags of an ASCII code unit from the scanner's table; 0 for everything else, so non-ASCII never
 * counts as a key or unit character (spec §2: "Non-ASCII letters are invalid").
 * @example (asciiClass(0x61) & C_DIM_KEY) !== 0 // true: 'a'
 */
export function asciiClass(c: number): number {
  return c < 128 ? CHAR_CLASS[c]! : 0;
}

/**
 * Whether `s` starts with the reserved `dt.` prefix (spec §2: "Keys starting with `dt.` are reserved").
 * @example hasReservedPrefix('dt.cpu') // true
 */
export function hasReservedPrefix(s: string): boolean {
  return s.length >= 3 && s.charCodeAt(0) === 100 /* d */ && s.charCodeAt(1) === 116 /* t */ && s.charCodeAt(2) === DOT;
}

/** The subject of a message, shortened: built only when there is a problem to report. */
function subject(kind: string, key: string): string {
  return `${kind} '${key.length > 80 ? key.slice(0, 77) + '...' : key}'`;
}

/** `'x'` for printable ASCII, `U+XXXX` otherwise: messages must stay readable whatever the input. */
function show(c: number): string {
  if (c > 32 && c < 127) return `'${String.fromCharCode(c)}'`;
  let hex = c.toString(16).toUpperCase();
  while (hex.length < 4) hex = '0' + hex;
  return 'U+' + hex;
}

/**
 * Index of the first UTF-16 surrogate in `s[start, end)` that is not half of a pair, or -1.
 * @example loneSurrogateAt('a\ud800', 0, 2) // 1
 */
export function loneSurrogateAt(s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < end) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

/**
 * Checks a metric key against spec §2 ("Metric key"): sections of `A-Z a-z 0-9 - _`, the first
 * starting with a letter or `_`, later ones not with `-` (nor with a digit unless
 * `allowDigitLeadingSections`), no empty section, not `dt.`, length within the options' bounds.
 *
 * @returns `null` when the key is valid, else what is wrong
 * @example checkMetricKey('cpu.load') // null
 * @example checkMetricKey('system.load.1m') // "metric key 'system.load.1m': section 3 starts with a digit ..."
 */
export function checkMetricKey(key: string, options?: MetricsOptions): string | null {
  const min = options?.metricKeyMinLength ?? METRICS_DEFAULTS.metricKeyMinLength;
  const max = options?.metricKeyMaxLength ?? METRICS_DEFAULTS.metricKeyMaxLength;
  const allowDigit = options?.allowDigitLeadingSections ?? METRICS_DEFAULTS.allowDigitLeadingSections;
  const n = key.length;
  if (n === 0) return 'metric key is empty';
  let section = 1;
  let sectionStart = true;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c === DOT) {
      if (sectionStart) return `${subject('metric key', key)}: empty section at index ${i}`;
      sectionStart = true;
      section++;
      continue;
    }
    const k = asciiClass(c);
    if ((k & C_METRIC_KEY) === 0)
      return `${subject('metric key', key)}: invalid character ${show(c)} at index ${i} (allowed: A-Z a-z 0-9 - _ and '.' between sections)`;
    if (sectionStart) {
      sectionStart = false;
      if (section === 1) {
        if ((k & C_ALPHA) === 0 && c !== UNDERSCORE) return `${subject('metric key', key)}: must start with a letter or '_'`;
      } else if (c === MINUS) {
        return `${subject('metric key', key)}: section ${section} starts with '-'`;
      } else if ((k & C_DIGIT) !== 0 && !allowDigit) {
        return `${subject('metric key', key)}: section ${section} starts with a digit (rejected by the server; option allowDigitLeadingSections)`;
      }
    }
  }
  if (sectionStart) return `${subject('metric key', key)}: ends with '.'`;
  if (hasReservedPrefix(key)) return `${subject('metric key', key)}: keys starting with 'dt.' are reserved`;
  if (n < min) return `${subject('metric key', key)}: too short: ${n} < ${min}`;
  if (n > max) return `${subject('metric key', key)}: too long: ${n} > ${max}`;
  return null;
}

/**
 * Checks a dimension key against spec §2 ("Dimensions"): sections of `a-z 0-9 - _ :`, each starting
 * with a lowercase letter or `_`, no empty section, at most `dimensionKeyMaxLength`. `dt.` keys are
 * allowed (`dt.entity.host`).
 *
 * @returns `null` when the key is valid, else what is wrong
 * @example checkDimensionKey('dt.entity.host') // null
 * @example checkDimensionKey('Host') // "dimension key 'Host': invalid character 'H' ..."
 */
export function checkDimensionKey(key: string, options?: MetricsOptions): string | null {
  const max = options?.dimensionKeyMaxLength ?? METRICS_DEFAULTS.dimensionKeyMaxLength;
  const n = key.length;
  if (n === 0) return 'dimension key is empty';
  let sectionStart = true;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c === DOT) {
      if (sectionStart) return `${subject('dimension key', key)}: empty section at index ${i}`;
      sectionStart = true;
      continue;
    }
    const k = asciiClass(c);
    if ((k & C_DIM_KEY) === 0)
      return `${subject('dimension key', key)}: invalid character ${show(c)} at index ${i} (allowed: a-z 0-9 - _ : and '.' between sections; no uppercase)`;
    if (sectionStart) {
      if ((k & C_DIM_KEY_START) === 0) return `${subject('dimension key', key)}: a section must start with a lowercase letter or '_'`;
      sectionStart = false;
    }
  }
  if (sectionStart) return `${subject('dimension key', key)}: ends with '.'`;
  if (n > max) return `${subject('dimension key', key)}: too long: ${n} > ${max}`;
  return null;
}

/**
 * Checks an unescaped dimension value (spec §2): no control characters (0x00-0x1F, 0x7F, *decided*),
 * no lone surrogate (it has no UTF-8 form), and its written form (with the backslash escapes of
 * {@link escapeDimensionValue}) at most `dimensionValueMaxLength` UTF-16 code units. The empty value
 * is valid: the endpoint drops that dimension.
 *
 * Why the written length: the server checks the limit (*server*: `dimension value length exceeded:
 * 401 > 250`) but no evidence says whether it counts escapes. The validator counts unescaped content
 * (spec §2); a value whose escaped form fits passes under either reading, so the serializer never
 * writes a line that depends on the answer. Stricter than the validator only for values with escapes.
 *
 * @returns `null` when the value is valid, else what is wrong
 * @example checkDimensionValue('a b,c') // null (escaping is the serializer's job)
 * @example checkDimensionValue('a\tb') // 'dimension value: control character U+0009 at index 1'
 * @example checkDimensionValue('='.repeat(200)) // 'dimension value length exceeded: 400 > 250 (written with escapes ...)'
 */
export function checkDimensionValue(value: string, options?: MetricsOptions): string | null {
  const max = options?.dimensionValueMaxLength ?? METRICS_DEFAULTS.dimensionValueMaxLength;
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if ((asciiClass(c) & C_CONTROL) !== 0) return `dimension value: control character ${show(c)} at index ${i}`;
  }
  const lone = loneSurrogateAt(value, 0, n);
  if (lone >= 0) return `dimension value: lone surrogate ${show(value.charCodeAt(lone))} at index ${lone}`;
  if (n > max) return `dimension value length exceeded: ${n} > ${max}`;
  const written = escapedDimensionValueLength(value);
  if (written > max)
    return `dimension value length exceeded: ${written} > ${max} (written with escapes; the server may count them: normalizeDimensionValue cuts to fit)`;
  return null;
}

/**
 * The length limit of a metadata property, from the options table.
 * @example metadataLimit('unit') // 63 (metadataUnitMaxLength)
 */
export function metadataLimit(property: MetadataProperty, options?: MetricsOptions): number {
  if (property === 'unit') return options?.metadataUnitMaxLength ?? METRICS_DEFAULTS.metadataUnitMaxLength;
  if (property === 'displayName') return options?.metadataDisplayNameMaxLength ?? METRICS_DEFAULTS.metadataDisplayNameMaxLength;
  return options?.metadataDescriptionMaxLength ?? METRICS_DEFAULTS.metadataDescriptionMaxLength;
}

/**
 * Checks an unescaped metadata value (spec §5): a unit only of `A-Z a-z 0-9 % [ ] { } / _`; other
 * properties any text without control characters except LF (written `\n` inside quotes) and without
 * lone surrogates; the property's length limit in UTF-16 code units, for the text (as the validator
 * counts it) and for its written form between the quotes (see {@link quoteMetadataValue}: `"`, LF and
 * a doubled backslash take two), so the line passes whichever of the two the server counts.
 *
 * @returns `null` when the value is valid, else what is wrong
 * @example checkMetadataValue('unit', 'MiB/s') // null
 * @example checkMetadataValue('unit', 'per cent') // "metadata unit: invalid character ' ' ..."
 */
export function checkMetadataValue(property: MetadataProperty, value: string, options?: MetricsOptions): string | null {
  const n = value.length;
  const label = `metadata ${property}`;
  if (property === 'unit') {
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c >= 128 || UNIT_CHAR[c] === 0) return `${label}: invalid character ${show(c)} at index ${i} (allowed: A-Z a-z 0-9 % [ ] { } / _)`;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c !== LF && (asciiClass(c) & C_CONTROL) !== 0) return `${label}: control character ${show(c)} at index ${i}`;
    }
    const lone = loneSurrogateAt(value, 0, n);
    if (lone >= 0) return `${label}: lone surrogate ${show(value.charCodeAt(lone))} at index ${lone}`;
  }
  const max = metadataLimit(property, options);
  if (n > max) return `${label} length exceeded: ${n} > ${max}`;
  const written = quotedMetadataValueLength(value);
  if (written > max)
    return `${label} length exceeded: ${written} > ${max} (written with escapes; the server may count them: normalizeMetadataValue cuts to fit)`;
  return null;
}
