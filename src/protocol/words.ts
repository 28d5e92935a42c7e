/**
 * The fixed words of the metrics line protocol, defined once. The TypeScript scanners compare bytes
 * against {@link wordBytes} of them, and `scripts/gen-native-header.mjs` writes them into
 * `native/src/generated.h`, so the C++ scanner reads the very same words.
 *
 * @module
 */
import { Byte } from './chars.js';

/** Every fixed word of the grammar (spec §2, §3, §5), by name. */
export const WORDS = {
  /** Payload type, and the metadata type (spec §2 "Payload", §5). */
  GAUGE: 'gauge',
  /** Payload type, and the metadata type. */
  COUNT: 'count',
  /** The only field of a count payload: `count,delta=<n>` (spec §2, *docs*). */
  DELTA_FIELD: 'delta=',
  /** Summary fields, in their strict order (spec §2; order *decided*, option `summaryFieldOrder`). */
  SUMMARY_MIN: 'min=',
  SUMMARY_MAX: 'max=',
  SUMMARY_SUM: 'sum=',
  SUMMARY_COUNT: 'count=',
  /** The word after `.` or `_` that marks a key as a count's (spec §3: `.count` / `_count`). */
  COUNT_SUFFIX_WORD: 'count',
  /** What the endpoint appends to a count's key without that suffix (spec §3, *server*). */
  STORED_COUNT_SUFFIX: '.count',
  /** What the endpoint appends to a gauge's key that ends in `.count`/`_count` (spec §3, *docs*). */
  STORED_GAUGE_SUFFIX: '.gauge',
  /** Metric keys starting with this are reserved (spec §2, *docs*). */
  RESERVED_KEY_PREFIX: 'dt.',
  /** Every metadata property starts with this (spec §5). */
  METADATA_PREFIX: 'dt.meta.',
  /** Metadata property names, lowercase (compared case-insensitively, spec §5 *decided*). */
  META_DISPLAY_NAME: 'displayname',
  META_DESCRIPTION: 'description',
  META_UNIT: 'unit',
} as const;

/** The metadata property names in {@link MetaProp} order (display name, description, unit). */
export const META_PROPERTY_WORDS: readonly string[] = /* @__PURE__ */ (() =>
  Object.freeze([WORDS.META_DISPLAY_NAME, WORDS.META_DESCRIPTION, WORDS.META_UNIT]))();

/** The summary field words in their strict order (min, max, sum, count). */
export const SUMMARY_FIELD_WORDS: readonly string[] = /* @__PURE__ */ (() =>
  Object.freeze([WORDS.SUMMARY_MIN, WORDS.SUMMARY_MAX, WORDS.SUMMARY_SUM, WORDS.SUMMARY_COUNT]))();

/**
 * A word as its ASCII byte codes, for byte-by-byte comparison in the scanners.
 * @example wordBytes(WORDS.GAUGE) // [103, 97, 117, 103, 101]
 */
export function wordBytes(word: string): readonly number[] {
  const out: number[] = [];
  for (let k = 0; k < word.length; k++) out.push(word.charCodeAt(k));
  return Object.freeze(out);
}

const COUNT_SUFFIX_BYTES = /* @__PURE__ */ (() => wordBytes(WORDS.COUNT_SUFFIX_WORD))();

/**
 * Whether the metric key `buf[start, end)` ends in `.count` or `_count`, the suffixes that mark a
 * count's key (spec §3): both scanners decide the key rewrite with it.
 * @example endsWithCountSuffix(new TextEncoder().encode('req_count'), 0, 9) // true
 */
export function endsWithCountSuffix(buf: Uint8Array, start: number, end: number): boolean {
  const n = COUNT_SUFFIX_BYTES.length;
  if (end - start < n + 1) return false;
  const s = end - n - 1;
  const c = buf[s];
  if (c !== Byte.DOT && c !== Byte.UNDERSCORE) return false;
  for (let k = 0; k < n; k++) if (buf[s + 1 + k] !== COUNT_SUFFIX_BYTES[k]) return false;
  return true;
}
