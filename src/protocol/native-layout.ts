/**
 * The memory layout shared by the TypeScript side and the C++ addon: the order of the options in the
 * `Float64Array` handed to the addon, and the shape of the records it writes back. Defined once here;
 * `scripts/gen-rules-header.mjs` turns these objects into `native/src/rules.h`, so the two sides
 * cannot drift apart (a test checks that the committed header is a fresh generation).
 *
 * @module
 */
import type { ResolvedMetricsOptions } from './options.js';

/** Index of each option in the options `Float64Array` (booleans are 0 or 1). `COUNT` is the length. */
export const NativeOption = {
  MAX_LINE_LENGTH: 0,
  METRIC_KEY_MIN_LENGTH: 1,
  METRIC_KEY_MAX_LENGTH: 2,
  ALLOW_DIGIT_LEADING_SECTIONS: 3,
  MAX_DIMENSIONS: 4,
  DIMENSION_KEY_MAX_LENGTH: 5,
  DIMENSION_VALUE_MAX_LENGTH: 6,
  REWRITE_KEY_SUFFIX: 7,
  /** `now - timestampPastMs`, computed once in JS so both sides compare against the same double. */
  TIMESTAMP_MIN: 8,
  /** `now + timestampFutureMs`. */
  TIMESTAMP_MAX: 9,
  IGNORE_CARRIAGE_RETURN: 10,
  COLLAPSE_SPACES: 11,
  /** 1 when `summaryFieldOrder` is `'strict'`. */
  SUMMARY_ORDER_STRICT: 12,
  ALLOW_COUNT_WITHOUT_DELTA: 13,
  ALLOW_BARE_DECIMAL_POINT: 14,
  METADATA_UNIT_MAX_LENGTH: 15,
  METADATA_DISPLAY_NAME_MAX_LENGTH: 16,
  METADATA_DESCRIPTION_MAX_LENGTH: 17,
  /** 1 when the caller wants the parsed numbers of every line (not only error arguments). */
  WANT_NUMBERS: 18,
  /**
   * 1 to write no record for a valid data line without warning, only count it (validate-only: the
   * verdict of such a line is all anyone reads, and the JS side then walks only the rare lines).
   */
  SKIP_VALID: 19,
  COUNT: 20,
} as const;

/** Slots at the start of the `Int32Array` the addon fills, before the records. */
export const NativeHeader = {
  /** Records written by this call. */
  RECORDS: 0,
  /** Byte offset (into the buffer) up to which lines were consumed; the next call starts there. */
  CONSUMED: 1,
  /** Physical lines consumed (blank ones included), to advance the line number. */
  LINES: 2,
  /** Valid data lines without warning that were counted instead of recorded (with `SKIP_VALID`). */
  SKIPPED_VALID: 3,
  /** Header length in ints. */
  SIZE: 4,
} as const;

/** One record per non-blank line, `STRIDE` ints, after the header. Offsets are into the buffer. */
export const NativeRecord = {
  LINE: 0,
  START: 1,
  /** End of the line before dropping a trailing CR (what the JS scanner takes as `end`). */
  RAW_END: 2,
  /** End after dropping a trailing CR (the view's `end`). */
  END: 3,
  KIND: 4,
  ERROR: 5,
  ERROR_AT: 6,
  /** The error argument, clamped to int32; the exact value is in the numbers array. */
  ERROR_ARG: 7,
  WARNING: 8,
  KEY_SUFFIX: 9,
  PAYLOAD_TYPE: 10,
  KEY_END: 11,
  STRIDE: 12,
} as const;

/** One row of doubles per record in the numbers `Float64Array`. */
export const NativeNumber = {
  /** Exact error argument (timestamps exceed int32). Written whenever the line has an error. */
  ERROR_ARG: 0,
  /** Timestamp or -1. The rest is written only with `WANT_NUMBERS`. */
  TIMESTAMP: 1,
  /** Gauge value, count delta, or summary min. */
  A: 2,
  /** Summary max. */
  B: 3,
  /** Summary sum. */
  C: 4,
  /** Summary count. */
  D: 5,
  STRIDE: 6,
} as const;

/**
 * Packs resolved options into the options array in {@link NativeOption} order.
 * @example packNativeOptions(resolveMetricsOptions(), false).length // NativeOption.COUNT
 */
export function packNativeOptions(o: ResolvedMetricsOptions, wantNumbers: boolean, skipValid = false): Float64Array {
  const a = new Float64Array(NativeOption.COUNT);
  a[NativeOption.MAX_LINE_LENGTH] = o.maxLineLength;
  a[NativeOption.METRIC_KEY_MIN_LENGTH] = o.metricKeyMinLength;
  a[NativeOption.METRIC_KEY_MAX_LENGTH] = o.metricKeyMaxLength;
  a[NativeOption.ALLOW_DIGIT_LEADING_SECTIONS] = o.allowDigitLeadingSections ? 1 : 0;
  a[NativeOption.MAX_DIMENSIONS] = o.maxDimensions;
  a[NativeOption.DIMENSION_KEY_MAX_LENGTH] = o.dimensionKeyMaxLength;
  a[NativeOption.DIMENSION_VALUE_MAX_LENGTH] = o.dimensionValueMaxLength;
  a[NativeOption.REWRITE_KEY_SUFFIX] = o.rewriteKeySuffix ? 1 : 0;
  // the same two expressions as LineScanner's constructor, so the bounds are the same doubles
  a[NativeOption.TIMESTAMP_MIN] = o.now - o.timestampPastMs;
  a[NativeOption.TIMESTAMP_MAX] = o.now + o.timestampFutureMs;
  a[NativeOption.IGNORE_CARRIAGE_RETURN] = o.ignoreCarriageReturn ? 1 : 0;
  a[NativeOption.COLLAPSE_SPACES] = o.collapseSpaces ? 1 : 0;
  a[NativeOption.SUMMARY_ORDER_STRICT] = o.summaryFieldOrder === 'strict' ? 1 : 0;
  a[NativeOption.ALLOW_COUNT_WITHOUT_DELTA] = o.allowCountWithoutDelta ? 1 : 0;
  a[NativeOption.ALLOW_BARE_DECIMAL_POINT] = o.allowBareDecimalPoint ? 1 : 0;
  a[NativeOption.METADATA_UNIT_MAX_LENGTH] = o.metadataUnitMaxLength;
  a[NativeOption.METADATA_DISPLAY_NAME_MAX_LENGTH] = o.metadataDisplayNameMaxLength;
  a[NativeOption.METADATA_DESCRIPTION_MAX_LENGTH] = o.metadataDescriptionMaxLength;
  a[NativeOption.WANT_NUMBERS] = wantNumbers ? 1 : 0;
  a[NativeOption.SKIP_VALID] = skipValid ? 1 : 0;
  return a;
}
