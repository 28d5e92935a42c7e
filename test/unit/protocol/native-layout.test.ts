/**
 * The options array handed to the addon: packNativeOptions writes every slot of
 * NATIVE_OPTION_SLOTS, booleans as 0 or 1, each from the option it names (a slot left unwritten or
 * read from the wrong option would give the addon another grammar than the TypeScript scanners').
 */
import { describe, expect, it } from 'vitest';
import { resolveMetricsOptions } from '../../../src/protocol/options.js';
import { NATIVE_OPTION_SLOTS, NativeOption, packNativeOptions, type NativeOptionName } from '../../../src/protocol/native-layout.js';

const NOW = 1_700_000_000_000;

describe('packNativeOptions', () => {
  it('writes every slot, booleans as 0 or 1', () => {
    for (const settings of [
      { wantNumbers: false, skipValid: false },
      { wantNumbers: true, skipValid: true },
    ]) {
      const a = new Float64Array(NativeOption.COUNT).fill(Number.NaN);
      packNativeOptions(resolveMetricsOptions({ now: NOW }), settings, a);
      NATIVE_OPTION_SLOTS.forEach((d, k) => {
        expect(Number.isNaN(a[k]!), d.slot).toBe(false);
        if (d.type === 'bool') expect([0, 1], d.slot).toContain(a[k]);
      });
    }
  });

  it('takes each slot from its own option', () => {
    // one option changed at a time: the named slot takes the new value, no other slot moves
    const cases: [Record<string, unknown>, NativeOptionName, number][] = [
      [{ maxLineLength: 77 }, 'MAX_LINE_LENGTH', 77],
      [{ metricKeyMinLength: 4 }, 'METRIC_KEY_MIN_LENGTH', 4],
      [{ metricKeyMaxLength: 99 }, 'METRIC_KEY_MAX_LENGTH', 99],
      [{ allowDigitLeadingSections: true }, 'ALLOW_DIGIT_LEADING_SECTIONS', 1],
      [{ maxDimensions: 7 }, 'MAX_DIMENSIONS', 7],
      [{ dimensionKeyMaxLength: 11 }, 'DIMENSION_KEY_MAX_LENGTH', 11],
      [{ dimensionValueMaxLength: 13 }, 'DIMENSION_VALUE_MAX_LENGTH', 13],
      [{ rewriteKeySuffix: false }, 'REWRITE_KEY_SUFFIX', 0],
      [{ timestampPastMs: 5 }, 'TIMESTAMP_MIN', NOW - 5],
      [{ timestampFutureMs: 6 }, 'TIMESTAMP_MAX', NOW + 6],
      [{ ignoreCarriageReturn: false }, 'IGNORE_CARRIAGE_RETURN', 0],
      [{ collapseSpaces: false }, 'COLLAPSE_SPACES', 0],
      [{ summaryFieldOrder: 'any' }, 'SUMMARY_ORDER_STRICT', 0],
      [{ allowCountWithoutDelta: true }, 'ALLOW_COUNT_WITHOUT_DELTA', 1],
      [{ allowBareDecimalPoint: false }, 'ALLOW_BARE_DECIMAL_POINT', 0],
      [{ metadataUnitMaxLength: 17 }, 'METADATA_UNIT_MAX_LENGTH', 17],
      [{ metadataDisplayNameMaxLength: 19 }, 'METADATA_DISPLAY_NAME_MAX_LENGTH', 19],
      [{ metadataDescriptionMaxLength: 23 }, 'METADATA_DESCRIPTION_MAX_LENGTH', 23],
    ];
    const settings = { wantNumbers: false, skipValid: false };
    const base = Array.from(packNativeOptions(resolveMetricsOptions({ now: NOW }), settings));
    const covered = new Set<string>(['WANT_NUMBERS', 'SKIP_VALID']);
    for (const [option, slot, value] of cases) {
      const packed = Array.from(packNativeOptions(resolveMetricsOptions({ now: NOW, ...option }), settings));
      const expected = base.slice();
      expected[NativeOption[slot]] = value;
      expect(packed, slot).toEqual(expected);
      covered.add(slot);
    }
    expect([...covered].sort()).toEqual(NATIVE_OPTION_SLOTS.map((d) => d.slot).sort());
    const call = Array.from(packNativeOptions(resolveMetricsOptions({ now: NOW }), { wantNumbers: true, skipValid: true }));
    expect(call[NativeOption.WANT_NUMBERS]).toBe(1);
    expect(call[NativeOption.SKIP_VALID]).toBe(1);
  });
});
