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
  /** Why, where it is not just the option of the same name ({@link packNativeOptions} writes the value). */
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
 * {@link packNativeOptions} writes each slot's value.
 */
export const NATIVE_OPTION_SLOTS = /* @__PURE__ */ Object.freeze([
  { slot: 'MAX_LINE_LENGTH', type: 'double' },
  { slot: 'METRIC_KEY_MIN_LENGTH', type: 'double' },
  { slot: 'METRIC_KEY_MAX_LENGTH', type: 'double' },
  { slot: 'ALLOW_DIGIT_LEADING_SECTIONS', type: 'bool' },
  { slot: 'MAX_DIMENSIONS', type: 'double' },
  { slot: 'DIMENSION_KEY_MAX_LENGTH', type: 'double' },
  { slot: 'DIMENSION_VALUE_MAX_LENGTH', type: 'double' },
  { slot: 'REWRITE_KEY_SUFFIX', type: 'bool' },
  // the TypeScript scanners' window, computed once in JS so both sides compare against the same doubles
  { slot: 'TIMESTAMP_MIN', type: 'double', note: '`now - timestampPastMs`, computed once in JS so both sides compare against the same double' },
  { slot: 'TIMESTAMP_MAX', type: 'double', note: '`now + timestampFutureMs`' },
  { slot: 'IGNORE_CARRIAGE_RETURN', type: 'bool' },
  { slot: 'COLLAPSE_SPACES', type: 'bool' },
  { slot: 'SUMMARY_ORDER_STRICT', type: 'bool', note: "`summaryFieldOrder === 'strict'`" },
  { slot: 'ALLOW_COUNT_WITHOUT_DELTA', type: 'bool' },
  { slot: 'ALLOW_BARE_DECIMAL_POINT', type: 'bool' },
  { slot: 'METADATA_UNIT_MAX_LENGTH', type: 'double' },
  { slot: 'METADATA_DISPLAY_NAME_MAX_LENGTH', type: 'double' },
  { slot: 'METADATA_DESCRIPTION_MAX_LENGTH', type: 'double' },
  { slot: 'WANT_NUMBERS', type: 'bool', note: 'the caller wants the parsed numbers of every recorded line' },
  // validate-only: the verdict of such a line is all anyone reads, so the JS side walks only the rare lines
  { slot: 'SKIP_VALID', type: 'bool', note: 'count valid lines without warning instead of recording them' },
] as const satisfies readonly NativeOptionSlot[]);

/** The name of a slot of {@link NATIVE_OPTION_SLOTS}. */
export type NativeOptionName = (typeof NATIVE_OPTION_SLOTS)[number]['slot'];

/**
 * Index of each option in the options `Float64Array` (booleans are 0 or 1). `COUNT` is the length.
 * Made by `Object.fromEntries`, which gives an object with fast properties: the same object filled by
 * twenty keyed stores became a dictionary in V8, and {@link packNativeOptions}'s reads of it cost
 * 120 ns a call instead of 17.
 */
export const NativeOption: Readonly<Record<NativeOptionName | 'COUNT', number>> = /* @__PURE__ */ (() =>
  Object.freeze(Object.fromEntries([...NATIVE_OPTION_SLOTS.map((d, k) => [d.slot, k] as const), ['COUNT', NATIVE_OPTION_SLOTS.length] as const])) as Readonly<
    Record<NativeOptionName | 'COUNT', number>
  >)();

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
 * given (a reused array: no allocation per call), else into a new one. One store per slot, by name:
 * this runs before every addon call, and a loop over per-slot reader functions (one call site for
 * twenty functions) cost ten times as much, more than the addon's scan of a one-line body.
 * test/unit/protocol/native-layout.test.ts checks that every slot is written.
 * @example packNativeOptions(resolveMetricsOptions(), { wantNumbers: false, skipValid: true }).length // NativeOption.COUNT
 */
export function packNativeOptions(o: ResolvedMetricsOptions, settings: NativeCallSettings, into?: Float64Array): Float64Array {
  const a = into ?? new Float64Array(NativeOption.COUNT);
  const N = NativeOption;
  const window = timestampWindow(o);
  a[N.MAX_LINE_LENGTH] = o.maxLineLength;
  a[N.METRIC_KEY_MIN_LENGTH] = o.metricKeyMinLength;
  a[N.METRIC_KEY_MAX_LENGTH] = o.metricKeyMaxLength;
  a[N.ALLOW_DIGIT_LEADING_SECTIONS] = o.allowDigitLeadingSections ? 1 : 0;
  a[N.MAX_DIMENSIONS] = o.maxDimensions;
  a[N.DIMENSION_KEY_MAX_LENGTH] = o.dimensionKeyMaxLength;
  a[N.DIMENSION_VALUE_MAX_LENGTH] = o.dimensionValueMaxLength;
  a[N.REWRITE_KEY_SUFFIX] = o.rewriteKeySuffix ? 1 : 0;
  a[N.TIMESTAMP_MIN] = window.min;
  a[N.TIMESTAMP_MAX] = window.max;
  a[N.IGNORE_CARRIAGE_RETURN] = o.ignoreCarriageReturn ? 1 : 0;
  a[N.COLLAPSE_SPACES] = o.collapseSpaces ? 1 : 0;
  a[N.SUMMARY_ORDER_STRICT] = o.summaryFieldOrder === 'strict' ? 1 : 0;
  a[N.ALLOW_COUNT_WITHOUT_DELTA] = o.allowCountWithoutDelta ? 1 : 0;
  a[N.ALLOW_BARE_DECIMAL_POINT] = o.allowBareDecimalPoint ? 1 : 0;
  a[N.METADATA_UNIT_MAX_LENGTH] = o.metadataUnitMaxLength;
  a[N.METADATA_DISPLAY_NAME_MAX_LENGTH] = o.metadataDisplayNameMaxLength;
  a[N.METADATA_DESCRIPTION_MAX_LENGTH] = o.metadataDescriptionMaxLength;
  a[N.WANT_NUMBERS] = settings.wantNumbers ? 1 : 0;
  a[N.SKIP_VALID] = settings.skipValid ? 1 : 0;
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
