/**
 * The addon's entry point (native/src/binding.cc) refuses malformed arguments with a TypeError or
 * RangeError instead of touching memory outside the arrays it is given, reads typed array views at
 * their byte offset, and names and switches its stage-1 kernel.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeAvailable, resolveMetricsOptions } from '../../src/index.js';
import { requireNative } from '../../src/backend/registry.js';
import { NativeHeader, NativeNumber, NativeRecord, packNativeOptions } from '../../src/protocol/native-layout.js';

const required = process.env.DT_INGEST_NATIVE === '1';

interface Addon {
  scanLines: (...args: unknown[]) => number;
  kernel: () => string;
  setKernel: (name: string) => boolean;
}

describe.skipIf(!nativeAvailable() && !required)('native binding', () => {
  let addon: Addon;
  // loaded when the suite runs (collecting a skipped suite must not require the addon)
  beforeAll(() => {
    addon = requireNative('the binding test') as unknown as Addon;
  });
  const options = packNativeOptions(resolveMetricsOptions({ now: 1_700_000_000_000 }), { wantNumbers: true, skipValid: false });
  const out = new Int32Array(NativeHeader.SIZE + 8 * NativeRecord.STRIDE);
  const numbers = new Float64Array(8 * NativeNumber.STRIDE);
  const body = new TextEncoder().encode('cpu.temp,host=a 42\nbad key 1\ncpu.load 0.5');

  it('scans a well-formed call: records, consumed, lines', () => {
    expect(addon.scanLines(body, 0, body.length, 1, options, out, numbers)).toBe(3);
    expect(out[NativeHeader.CONSUMED]).toBe(body.length);
    expect(out[NativeHeader.LINES]).toBe(3);
    expect(out[NativeHeader.SIZE + NativeRecord.STRIDE + NativeRecord.ERROR]).not.toBe(0); // 'bad key 1'
  });

  it('reads a view at its byte offset, like a copy of the same bytes', () => {
    const padded = new Uint8Array(body.length + 10);
    padded.set(body, 7);
    const view = padded.subarray(7, 7 + body.length);
    const a = out.slice();
    addon.scanLines(body, 0, body.length, 1, options, out, numbers);
    a.set(out);
    const b = new Int32Array(out.length);
    addon.scanLines(view, 0, view.length, 1, options, b, numbers);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('refuses arguments of the wrong type with a TypeError', () => {
    const call =
      (...args: unknown[]) =>
      () =>
        addon.scanLines(...args);
    expect(call()).toThrow(TypeError);
    expect(call(body, 0, body.length, 1, options, out)).toThrow(TypeError); // numbers missing
    expect(call('text', 0, 4, 1, options, out, numbers)).toThrow(TypeError);
    expect(call(new Int8Array(body), 0, body.length, 1, options, out, numbers)).toThrow(TypeError);
    expect(call(Array.from(body), 0, body.length, 1, options, out, numbers)).toThrow(TypeError);
    expect(call(body, '0', body.length, 1, options, out, numbers)).toThrow(TypeError);
    expect(call(body, 0, body.length, 1, [1, 2, 3], out, numbers)).toThrow(TypeError);
    expect(call(body, 0, body.length, 1, options, {}, numbers)).toThrow(TypeError);
    // a view whose data is not aligned for its element type
    const misaligned = new Uint8Array(new ArrayBuffer(out.byteLength + 4), 1, out.byteLength);
    expect(call(body, 0, body.length, 1, options, misaligned, numbers)).toThrow(TypeError);
  });

  it('refuses ranges outside the input and arrays too short with a RangeError', () => {
    const call =
      (...args: unknown[]) =>
      () =>
        addon.scanLines(...args);
    expect(call(body, -1, body.length, 1, options, out, numbers)).toThrow(RangeError);
    expect(call(body, 5, 4, 1, options, out, numbers)).toThrow(RangeError);
    expect(call(body, 0, body.length + 1, 1, options, out, numbers)).toThrow(RangeError);
    expect(call(body, 0, Number.NaN, 1, options, out, numbers)).toThrow(RangeError);
    expect(call(body, 0, body.length, -1, options, out, numbers)).toThrow(RangeError);
    expect(call(body, 0, body.length, 1, options.subarray(0, 3), out, numbers)).toThrow(RangeError);
    expect(call(body, 0, body.length, 1, options, new Int32Array(2), numbers)).toThrow(RangeError);
  });

  it('names its stage-1 kernel and switches kernels for tests', () => {
    const auto = addon.kernel();
    expect(['avx2', 'sse2', 'neon', 'reference']).toContain(auto);
    expect(addon.setKernel('no such kernel')).toBe(false);
    expect(addon.kernel()).toBe(auto);
    expect(addon.setKernel('scalar')).toBe(true); // portable: every build has it
    expect(addon.kernel()).toBe('scalar');
    expect(addon.setKernel('auto')).toBe(true);
    expect(addon.kernel()).toBe(auto);
  });
});
