/**
 * Issue 21 item 7, kept as tests: inputs that used to get silent wrong answers. Every validator reads
 * exactly the types its signature names (one reader, `src/protocol/inputs.ts`), refuses the others
 * with the library's TypeError, and reads options as own properties, whole numbers for counts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { validateCustomDevice, validateEvents, validateSmartscapeEvents, validateSyntheticTests } from '../../src/events/index.js';
import { validateMetrics } from '../../src/report/validate.js';
import { MetricsValidator } from '../../src/report/validate.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
function shared(text: string): SharedArrayBuffer {
  const b = bytes(text);
  const sab = new SharedArrayBuffer(b.length);
  new Uint8Array(sab).set(b);
  return sab;
}
function detached(): ArrayBuffer {
  return detachedView().buffer as ArrayBuffer;
}
/** A view made before its buffer was transferred away. */
function detachedView(): Uint8Array {
  const view = bytes('a.b 1\n').slice();
  structuredClone(view.buffer, { transfer: [view.buffer] });
  return view;
}
const json = [
  (b: unknown, o?: object) => validateEvents(b, o),
  (b: unknown, o?: object) => validateSmartscapeEvents(b, o),
  (b: unknown, o?: object) => validateSyntheticTests(b, o),
  (b: unknown, o?: object) => validateCustomDevice('dev', b, o),
];

afterEach(() => {
  for (const key of ['maxBodyBytes', 'maxErrors', 'now', 'eventsMaxBodyBytes', 'ui', 'maxJsonDepth']) delete (Object.prototype as Record<string, unknown>)[key];
});

describe('body types', () => {
  it('SharedArrayBuffer, DataView and other typed arrays: the TypeError of validateMetrics, from every validator', () => {
    const foreign = [shared('not json'), new DataView(bytes('not json').buffer), new Uint16Array(4), new Int8Array(2)];
    for (const input of foreign) {
      expect(() => validateMetrics(input as never)).toThrow(TypeError);
      expect(() => validateMetrics(input as never)).toThrow(/^dt-ingest: input must be a string, Uint8Array, Buffer or ArrayBuffer, not a /);
      for (const validate of json)
        expect(() => validate(input)).toThrow(/^dt-ingest: input must be a string, Uint8Array, Buffer, ArrayBuffer or an already parsed JSON value, not a /);
    }
    // the same bytes in a Uint8Array are read as the body
    expect(validateEvents(bytes('not json')).status).toBe(400);
    expect(validateCustomDevice('dev', bytes('not json')).status).toBe(400);
  });

  it('a detached ArrayBuffer (or a view of one) gets the library message, not V8s', () => {
    const message = /^dt-ingest: input ArrayBuffer is detached/;
    expect(() => validateMetrics(detached())).toThrow(message);
    expect(() => validateMetrics(detachedView())).toThrow(message);
    for (const validate of json) expect(() => validate(detachedView())).toThrow(message);
    expect(() => new MetricsValidator().push(detached() as never)).toThrow(message);
    for (const validate of json) expect(() => validate(detached())).toThrow(message);
    // an empty buffer that is not detached is an empty body
    expect(validateMetrics(new ArrayBuffer(0))).toEqual(validateMetrics(''));
  });

  it('a customDeviceId that is no string is a TypeError', () => {
    expect(() => validateCustomDevice(42 as never, {})).toThrow(/^dt-ingest: customDeviceId must be a string/);
  });
});

describe('options', () => {
  it('are read as own properties: Object.prototype pollution has no effect', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.maxBodyBytes = 1;
    proto.eventsMaxBodyBytes = 1;
    proto.maxJsonDepth = 0;
    proto.now = 0;
    proto.maxErrors = 0.5;
    expect(validateMetrics('a.b 1\n').status).toBe(202);
    expect(validateMetrics('a.b 1\n', {}).status).toBe(202);
    expect(validateEvents('[{"title":"x"}]', {}).status).toBe(202);
    expect(validateEvents('[{"title":"x"}]').status).toBe(202);
  });

  it('counts and sizes must be whole numbers: a clear TypeError naming the option', () => {
    expect(() => validateMetrics('a.b 1\n', { maxReportedErrors: 1.5 })).toThrow(/^dt-ingest: option maxReportedErrors must be a whole number/);
    expect(() => validateMetrics('a.b 1\n', { maxBodyBytes: 1.5 })).toThrow(/^dt-ingest: option maxBodyBytes must be a whole number/);
    expect(() => validateEvents('[]', { maxErrors: 2.5 })).toThrow(/^dt-ingest: option maxErrors must be a whole number/);
    expect(() => validateEvents('[]', { maxJsonDepth: 10.5 })).toThrow(/^dt-ingest: option maxJsonDepth must be a whole number/);
    // unbounded stays allowed where the default is, and durations may be fractional
    expect(validateMetrics('a.b 1\n', { maxReportedWarnings: Number.POSITIVE_INFINITY, timestampPastMs: 1.5e6 + 0.5 }).status).toBe(202);
    expect(validateEvents('[]', { maxErrors: Number.POSITIVE_INFINITY }).status).toBe(202);
  });
});
