/**
 * The native backend against the TypeScript reference: random and grammar-generated bodies, cut
 * into random chunks, with random options, give identical `{ status, body, issues }`; and the raw
 * records of the addon equal the JS scanner's view field by field, numbers bit for bit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineScanner } from '../../src/metrics/scanner.js';
import { MetricsParser, MetricsValidator, nativeAvailable, nativeStatus, resolveMetricsOptions, validateMetrics } from '../../src/index.js';
import { requireNative, type NativeAddon } from '../../src/backend/registry.js';
import type { MetricLine } from '../../src/metrics/view.js';
import { NativeHeader, NativeNumber, NativeRecord, hashKeyBytes, packNativeOptions } from '../../src/protocol/native-layout.js';
// @ts-expect-error plain JS module shared with fuzz/differential.mjs
import { body, cuts, options, validateInPieces } from '../../fuzz/bodies.mjs';

const NOW = Date.now();
/** The addon's stage-1 kernels (native/src/classify.cc); `auto` is what production runs. */
const KERNELS = ['auto', 'scalar', 'sse2', 'avx2', 'neon'] as const;

/** Selects a stage-1 kernel for the tests (the addon's setKernel): false when this build or CPU lacks it. */
function selectKernel(addon: object, kernel: string): boolean {
  const setKernel = (addon as { setKernel?: (name: string) => boolean }).setKernel;
  if (typeof setKernel !== 'function') throw new Error('the native addon has no setKernel: rebuild it (npm run build:native)');
  return setKernel(kernel);
}

/** The JS scanner over each line of `bytes`, split as the addon splits (LF ends a line; the rest is one more line). */
function eachJsLine(bytes: Uint8Array, scanner: LineScanner, view: MetricLine, visit: (view: MetricLine) => void): void {
  let s = 0;
  let n = 1;
  for (;;) {
    const nl = bytes.indexOf(10, s);
    const e = nl < 0 ? bytes.length : nl;
    if (nl >= 0 || e > s) {
      scanner.scan(view, bytes, s, e, n);
      visit(view);
    }
    if (nl < 0) break;
    s = nl + 1;
    n++;
  }
}

/** The addon over the whole of `bytes`, call after call: each record's base offset in `out` and index. */
function eachAddonRecord(
  addon: NativeAddon,
  bytes: Uint8Array,
  packed: Float64Array,
  out: Int32Array,
  nums: Float64Array,
  visit: (base: number, index: number) => void,
): number {
  let skipped = 0;
  let pos = 0;
  let line = 1;
  while (pos < bytes.length) {
    const count = addon.scanLines(bytes, pos, bytes.length, line, packed, out, nums);
    for (let r = 0; r < count; r++) visit(NativeHeader.SIZE + r * NativeRecord.STRIDE, r);
    skipped += out[NativeHeader.SKIPPED_VALID]!;
    line += out[NativeHeader.LINES]!;
    pos = out[NativeHeader.CONSUMED]!;
  }
  return skipped;
}

const required = process.env.DT_INGEST_NATIVE === '1';
const available = nativeAvailable();
const runs = Number(process.env.DT_DIFF_RUNS ?? 300);

if (!available && !required) {
  console.warn(
    process.env.DT_INGEST_NATIVE === '0'
      ? '[native differential] skipped: DT_INGEST_NATIVE=0 (the TypeScript-only run)'
      : `[native differential] skipped: the native addon did not load (${JSON.stringify(nativeStatus())}); DT_INGEST_NATIVE=${process.env.DT_INGEST_NATIVE ?? 'unset'}`,
  );
}

describe.skipIf(!available && !required)('native backend', () => {
  it('is loaded (DT_INGEST_NATIVE=1 requires it)', () => {
    expect(nativeAvailable()).toBe(true);
    expect(nativeStatus()).toEqual({ available: true, binary: expect.stringMatching(/dt_ingest\.node$/) });
  });

  it('validates every generated body in random chunks exactly like the TypeScript path', () => {
    fc.assert(
      fc.property(body(NOW), cuts(), options(NOW), (bytes: Uint8Array, points: number[], opts: Record<string, unknown>) => {
        const js = validateInPieces(MetricsValidator, bytes, points, opts, 'js');
        const native = validateInPieces(MetricsValidator, bytes, points, opts, 'native');
        expect(native).toEqual(js);
      }),
      { numRuns: runs },
    );
  });

  it.each(KERNELS)('writes records equal to the JS view, numbers bit for bit (%s stage-1 kernel)', (kernel) => {
    const addon = requireNative('the differential test');
    if (!selectKernel(addon, kernel)) return; // this build or CPU lacks it: tested where it has it
    fc.assert(
      fc.property(body(NOW), options(NOW), (bytes: Uint8Array, opts: Record<string, unknown>) => {
        const o = resolveMetricsOptions(opts);
        const scanner = new LineScanner(o);
        const view = scanner.createView();
        const out = new Int32Array(NativeHeader.SIZE + 7 * NativeRecord.STRIDE); // small: forces several calls
        const nums = new Float64Array(7 * NativeNumber.STRIDE);
        const packed = packNativeOptions(o, { wantNumbers: true, skipValid: false });
        const expected: number[][] = [];
        eachJsLine(bytes, scanner, view, (view) => {
          if (view.kind === 0) return;
          const valid = view.error === 0;
          const numbers = !valid
            ? []
            : view.payloadType === 1
              ? [view.min, view.max, view.sum, view.count]
              : [view.payloadType === 2 ? view.delta : view.value];
          const keyHash = valid && view.warning !== 0 ? hashKeyBytes(bytes, view.keyStart, view.keyEnd) : 0;
          expected.push([
            view.line,
            view.start,
            view.end,
            view.kind,
            view.error,
            valid ? 0 : view.errorAt,
            valid ? 0 : view.errorArg,
            view.warning,
            view.keySuffix,
            keyHash,
            valid ? view.payloadType : -1,
            valid ? view.keyEnd : -1,
            valid ? view.timestamp : -1,
            ...numbers,
          ]);
        });
        const actual: number[][] = [];
        eachAddonRecord(addon, bytes, packed, out, nums, (b, r) => {
          const m = r * NativeNumber.STRIDE;
          const valid = out[b + NativeRecord.ERROR] === 0;
          const type = out[b + NativeRecord.PAYLOAD_TYPE]!;
          const numbers = !valid
            ? []
            : type === 1
              ? [nums[m + NativeNumber.A]!, nums[m + NativeNumber.B]!, nums[m + NativeNumber.C]!, nums[m + NativeNumber.D]!]
              : [nums[m + NativeNumber.A]!];
          actual.push([
            out[b + NativeRecord.LINE]!,
            out[b + NativeRecord.START]!,
            out[b + NativeRecord.END]!,
            out[b + NativeRecord.KIND]!,
            out[b + NativeRecord.ERROR]!,
            out[b + NativeRecord.ERROR_AT]!,
            valid ? 0 : nums[m + NativeNumber.ERROR_ARG]!,
            out[b + NativeRecord.WARNING]!,
            out[b + NativeRecord.KEY_SUFFIX]!,
            out[b + NativeRecord.KEY_HASH]!,
            valid ? type : -1,
            valid ? out[b + NativeRecord.KEY_END]! : -1,
            valid ? nums[m + NativeNumber.TIMESTAMP]! : -1,
            ...numbers,
          ]);
        });
        // metadata lines' payload type means gauge/count there; compare it only for data lines
        // (and their numbers are left over from earlier lines on both sides: not compared either)
        for (const row of [...expected, ...actual]) if (row[3] === 2) row.splice(10, row.length - 10, -1);
        // toEqual treats -0 and 0 as different (Object.is), which is what "bit for bit" wants
        expect(actual).toEqual(expected);
      }),
      { numRuns: runs },
    );
    selectKernel(addon, 'auto');
  });

  it.each(KERNELS)('validate-only: records only the lines with a finding, counts the rest (%s stage-1 kernel)', (kernel) => {
    const addon = requireNative('the differential test');
    if (!selectKernel(addon, kernel)) return;
    fc.assert(
      fc.property(body(NOW), options(NOW), (bytes: Uint8Array, opts: Record<string, unknown>) => {
        const o = resolveMetricsOptions(opts);
        const scanner = new LineScanner(o);
        const view = scanner.createView();
        const out = new Int32Array(NativeHeader.SIZE + 5 * NativeRecord.STRIDE);
        const nums = new Float64Array(5 * NativeNumber.STRIDE);
        const packed = packNativeOptions(o, { wantNumbers: false, skipValid: true });
        // JS: what the validator needs of each line
        const expected: number[][] = [];
        let plain = 0;
        eachJsLine(bytes, scanner, view, (view) => {
          if (view.kind === 1 && view.error === 0 && view.warning === 0) plain++;
          else if (view.kind !== 0) {
            const keyHash = view.error === 0 && view.warning !== 0 ? hashKeyBytes(bytes, view.keyStart, view.keyEnd) : 0;
            expected.push([
              view.line,
              view.start,
              view.end,
              view.kind,
              view.error,
              view.error === 0 ? 0 : view.errorAt,
              view.warning,
              view.keySuffix,
              keyHash,
              view.error === 0 ? view.keyEnd : -1,
            ]);
          }
        });
        const actual: number[][] = [];
        const skipped = eachAddonRecord(addon, bytes, packed, out, nums, (b) => {
          const valid = out[b + NativeRecord.ERROR] === 0;
          actual.push([
            out[b + NativeRecord.LINE]!,
            out[b + NativeRecord.START]!,
            out[b + NativeRecord.END]!,
            out[b + NativeRecord.KIND]!,
            out[b + NativeRecord.ERROR]!,
            out[b + NativeRecord.ERROR_AT]!,
            out[b + NativeRecord.WARNING]!,
            out[b + NativeRecord.KEY_SUFFIX]!,
            out[b + NativeRecord.KEY_HASH]!,
            valid ? out[b + NativeRecord.KEY_END]! : -1,
          ]);
        });
        expect(actual).toEqual(expected);
        expect(skipped).toBe(plain);
      }),
      { numRuns: runs },
    );
    selectKernel(addon, 'auto');
  });

  it('keeps line numbers and verdicts across the threshold and across records that overflow one call', () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) lines.push(i % 97 === 0 ? 'bad key 1' : i % 13 === 0 ? '' : `cpu.load,host=h${i} ${i}.5`);
    const text = lines.join('\n') + '\n';
    const js = validateMetrics(text, { now: NOW, backend: 'js' });
    expect(validateMetrics(text, { now: NOW, backend: 'native' })).toEqual(js);
    expect(validateMetrics(text, { now: NOW })).toEqual(js);
  });

  it('reports which backend a parser uses', () => {
    expect(new MetricsParser({ backend: 'js' }, () => {}).backend).toBe('js');
    expect(new MetricsParser({ backend: 'native' }, () => {}).backend).toBe('native');
  });
});

describe('backend option', () => {
  it("rejects values other than 'auto', 'js', 'native'", () => {
    expect(() => validateMetrics('a.b 1', { backend: 'fast' as never })).toThrow(TypeError);
  });
});
