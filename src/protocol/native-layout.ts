/**
 * The memory layout shared by the TypeScript side and the C++ addon: the order of the options in the
 * `Float64Array` handed to the addon, and the shape of the records it writes back. Defined once here;
 * `scripts/gen-native-header.mjs` turns these objects into `native/src/generated.h`, so the two sides
 * cannot drift apart (a test checks that the committed header is a fresh generation).
 *
 * @module
 */
import { timestampWindow, type ResolvedMetricsOptions } from './options.js';

/** How one option travels to the addon: a double in the options array, read as `double` or `bool`. */
export interface NativeOptionSlot {
  /** Name of the slot (`OPT_<slot>` in C++, the field is its lower snake case). */
  readonly slot: string;
  /** The C++ field type. */
  readonly type: 'double' | 'bool';
  /** The value for these resolved options and call settings. */
  readonly read: (o: ResolvedMetricsOptions, s: NativeCallSettings) => number | boolean;
  /** Why, where it is not just the option of the same name. */
  readonly note?: string;
}

/** Settings of one parser that the addon needs beside the protocol options. */
export interface NativeCallSettings {
  /** The caller wants the parsed numbers of every recorded line, not only error arguments. */
  readonly wantNumbers: boolean;
  /** Validate-only: count valid lines without warning instead of recording them. */
  readonly skipValid: boolean;
}

/**
 * Every option the addon reads, in slot order: the single description from which the options array,
 * {@link NativeOption} and the C++ `Options` struct (generated into `native/src/generated.h`) derive.
 */
export const NATIVE_OPTION_SLOTS: readonly NativeOptionSlot[] = /* @__PURE__ */ Object.freeze([
  { slot: 'MAX_LINE_LENGTH', type: 'double', read: (o) => o.maxLineLength },
  { slot: 'METRIC_KEY_MIN_LENGTH', type: 'double', read: (o) => o.metricKeyMinLength },
  { slot: 'METRIC_KEY_MAX_LENGTH', type: 'double', read: (o) => o.metricKeyMaxLength },
  { slot: 'ALLOW_DIGIT_LEADING_SECTIONS', type: 'bool', read: (o) => o.allowDigitLeadingSections },
  { slot: 'MAX_DIMENSIONS', type: 'double', read: (o) => o.maxDimensions },
  { slot: 'DIMENSION_KEY_MAX_LENGTH', type: 'double', read: (o) => o.dimensionKeyMaxLength },
  { slot: 'DIMENSION_VALUE_MAX_LENGTH', type: 'double', read: (o) => o.dimensionValueMaxLength },
  { slot: 'REWRITE_KEY_SUFFIX', type: 'bool', read: (o) => o.rewriteKeySuffix },
  // the TypeScript scanners' window, computed once in JS so both sides compare against the same doubles
  {
    slot: 'TIMESTAMP_MIN',
    type: 'double',
    read: (o) => timestampWindow(o).min,
    note: '`now - timestampPastMs`, computed once in JS so both sides compare against the same double',
  },
  { slot: 'TIMESTAMP_MAX', type: 'double', read: (o) => timestampWindow(o).max, note: '`now + timestampFutureMs`' },
  { slot: 'IGNORE_CARRIAGE_RETURN', type: 'bool', read: (o) => o.ignoreCarriageReturn },
  { slot: 'COLLAPSE_SPACES', type: 'bool', read: (o) => o.collapseSpaces },
  { slot: 'SUMMARY_ORDER_STRICT', type: 'bool', read: (o) => o.summaryFieldOrder === 'strict', note: "`summaryFieldOrder === 'strict'`" },
  { slot: 'ALLOW_COUNT_WITHOUT_DELTA', type: 'bool', read: (o) => o.allowCountWithoutDelta },
  { slot: 'ALLOW_BARE_DECIMAL_POINT', type: 'bool', read: (o) => o.allowBareDecimalPoint },
  { slot: 'METADATA_UNIT_MAX_LENGTH', type: 'double', read: (o) => o.metadataUnitMaxLength },
  { slot: 'METADATA_DISPLAY_NAME_MAX_LENGTH', type: 'double', read: (o) => o.metadataDisplayNameMaxLength },
  { slot: 'METADATA_DESCRIPTION_MAX_LENGTH', type: 'double', read: (o) => o.metadataDescriptionMaxLength },
  { slot: 'WANT_NUMBERS', type: 'bool', read: (_o, s) => s.wantNumbers, note: 'the caller wants the parsed numbers of every recorded line' },
  // validate-only: the verdict of such a line is all anyone reads, so the JS side walks only the rare lines
  { slot: 'SKIP_VALID', type: 'bool', read: (_o, s) => s.skipValid, note: 'count valid lines without warning instead of recording them' },
] satisfies NativeOptionSlot[]);

/** Index of each option in the options `Float64Array` (booleans are 0 or 1). `COUNT` is the length. */
export const NativeOption: Readonly<Record<string, number>> & { readonly COUNT: number } = /* @__PURE__ */ (() => {
  const table: Record<string, number> = {};
  NATIVE_OPTION_SLOTS.forEach((d, k) => {
    table[d.slot] = k;
  });
  table.COUNT = NATIVE_OPTION_SLOTS.length;
  return Object.freeze(table) as Readonly<Record<string, number>> & { readonly COUNT: number };
})();

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
  /**
   * {@link hashKeyBytes} of the metric key `[START, KEY_END)`, written for a valid line whose only
   * finding is the key rewrite (spec §3): the JS side interns the key by hash and offsets and never
   * scans such a line again.
   */
  KEY_HASH: 12,
  STRIDE: 13,
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
 * Packs resolved options into the options array in {@link NATIVE_OPTION_SLOTS} order: into `into` when
 * given (a reused array: no allocation per call), else into a new one.
 * @example packNativeOptions(resolveMetricsOptions(), { wantNumbers: false, skipValid: true }).length // NativeOption.COUNT
 */
export function packNativeOptions(o: ResolvedMetricsOptions, settings: NativeCallSettings, into?: Float64Array): Float64Array {
  const a = into ?? new Float64Array(NATIVE_OPTION_SLOTS.length);
  for (let k = 0; k < NATIVE_OPTION_SLOTS.length; k++) {
    const v = NATIVE_OPTION_SLOTS[k]!.read(o, settings);
    a[k] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  }
  return a;
}

/**
 * The hash of a metric key's bytes that both sides compute (FNV-1a, 32 bits): the addon writes it
 * into {@link NativeRecord.KEY_HASH}, and the key table (`src/metrics/keys.ts`) files keys under it.
 * The C++ twin is `hash_key_bytes` in `native/src/scanner.cc`; `FNV_OFFSET` and `FNV_PRIME` are generated.
 * @example hashKeyBytes(new TextEncoder().encode('a.b'), 0, 3) >>> 0
 */
export function hashKeyBytes(buf: Uint8Array, start: number, end: number): number {
  let h = KEY_HASH_FNV.OFFSET | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, KEY_HASH_FNV.PRIME);
  return h;
}

/** The FNV-1a parameters of {@link hashKeyBytes} (32-bit offset basis and prime). */
export const KEY_HASH_FNV = { OFFSET: 0x811c9dc5 | 0, PRIME: 0x01000193 } as const;
