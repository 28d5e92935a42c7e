/** The stages: JSON reading with positions, grammars, ids, envelopes helpers, options. */
import { describe, expect, test } from 'vitest';
import {
  computeCustomDeviceIds,
  computeSmartscapeId,
  fnv1a64Hex,
  isIPv4,
  isIPv6,
  isRfc3339,
  isSmartscapeId,
  isSmartscapeType,
  locateJsonPath,
  murmur3x64_128,
  readJsonBody,
  resolveEventsOptions,
  shortText,
  toClassicPath,
  toPointer,
  utf8Length,
  validateEvents,
  validateSmartscapeEvents,
  eventTimestampMillis,
} from '../../../src/events/index.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('readJsonBody', () => {
  test.each([
    ['{"a":1,}', 1, 8, 'expected a string key'],
    ['{"a" 1}', 1, 6, "expected ':'"],
    ['[1 2]', 1, 4, "expected ',' or ']'"],
    ['{"a":tru}', 1, 6, "unexpected character 't'"],
    ['"abc', 1, 5, 'unterminated string'],
    ['"a\\x"', 1, 3, 'invalid escape in string'],
    ['[01]', 1, 3, "expected ',' or ']'"],
    ['[1.]', 1, 4, 'invalid number'],
    ['\n\n  [\n  1,\n  ]', 5, 3, "unexpected character ']'"],
    ['"a\tb"', 1, 3, 'control character in string'],
  ])('%j → line %i column %i', (text, line, column, reason) => {
    const r = readJsonBody(text, 1e6);
    expect(r).toMatchObject({ ok: false, status: 400, kind: 'syntax', line, column, reason });
  });
  test('valid text parses', () => expect(readJsonBody(' [1, {"a": "b"}] ', 100)).toMatchObject({ ok: true, value: [1, { a: 'b' }] }));
  test('BOM accepted by default, rejected on request', () => {
    expect(readJsonBody('\uFEFF{}', 100).ok).toBe(true);
    expect(readJsonBody('\uFEFF{}', 100, false).ok).toBe(false);
  });
  test('invalid UTF-8 bytes', () => {
    const bytes = new Uint8Array([0x7b, 0x0a, 0x22, 0xff, 0x22, 0x7d]);
    expect(readJsonBody(bytes, 100)).toMatchObject({ ok: false, status: 400, kind: 'utf8', line: 2, column: 2 });
  });
  test('size limit on bytes and on text', () => {
    expect(readJsonBody(enc('[1]'), 2)).toEqual({ ok: false, status: 413, bytes: 3, max: 2 });
    expect(readJsonBody('"€"', 4)).toEqual({ ok: false, status: 413, bytes: 5, max: 4 });
    expect(readJsonBody('"€"', 5).ok).toBe(true);
  });
  test('utf8Length counts surrogate pairs as 4 bytes', () => {
    expect(utf8Length('a\u00e9\u20ac\u{1F600}')).toBe(1 + 2 + 3 + 4);
    expect(utf8Length('a\u00e9\u20ac\u{1F600}')).toBe(enc('a\u00e9\u20ac\u{1F600}').length);
  });
  test('locateJsonPath finds the start of a nested value', () => {
    const text = '{"a":[1,{"b~/":\n  [true]}],"c":null}';
    expect(locateJsonPath(text, ['a', 1, 'b~/', 0])).toBe(text.indexOf('true'));
    expect(locateJsonPath(text, ['c'])).toBe(text.indexOf('null'));
    expect(locateJsonPath(text, [])).toBe(0);
    expect(locateJsonPath(text, ['x'])).toBe(-1);
  });
});

describe('grammars', () => {
  test.each([
    ['HOST-0000000000000001', true],
    ['HOST_GROUP-ABCDEF0123456789', true],
    ['A-0000000000000000', true],
    ['host-0000000000000001', false],
    ['HOST-000000000000000G', false],
    ['HOST-00000000000000001', false],
    ['-0000000000000001', false],
    ['1HOST-0000000000000001', false],
    ['HO ST-0000000000000001', false],
  ])('isSmartscapeId(%j) = %s', (s, ok) => expect(isSmartscapeId(s)).toBe(ok));
  test.each([
    ['HOST', true],
    ['H', true],
    ['EXT_X9', true],
    ['', false],
    ['_HOST', false],
    ['HOST-1', false],
    ['Host', false],
  ])('isSmartscapeType(%j) = %s', (s, ok) => expect(isSmartscapeType(s)).toBe(ok));
  test.each([
    ['2024-01-01T00:00:00Z', true],
    ['2024-02-29T23:59:60.123+01:00', true],
    ['2024-01-01t00:00:00z', true],
    ['2023-02-29T00:00:00Z', false],
    ['2024-01-01 00:00:00Z', false],
    ['2024-01-01T00:00:00', false],
    ['2024-01-01T24:00:00Z', false],
    ['2024-01-01T00:00:00.Z', false],
    ['2024-01-01T00:00:00+0100', false],
  ])('isRfc3339(%j) = %s', (s, ok) => expect(isRfc3339(s)).toBe(ok));
  test.each([
    ['10.0.0.1', true],
    ['255.255.255.255', true],
    ['256.0.0.1', false],
    ['01.2.3.4', false],
    ['1.2.3', false],
    ['1.2.3.4.', false],
  ])('isIPv4(%j) = %s', (s, ok) => expect(isIPv4(s)).toBe(ok));
  test.each([
    ['::', true],
    ['::1', true],
    ['2001:db8::1', true],
    ['1:2:3:4:5:6:7:8', true],
    ['::ffff:10.0.0.1', true],
    ['1:2:3:4:5:6:1.2.3.4', true],
    ['1:2:3:4:5:6:7:8:9', false],
    ['1::2::3', false],
    ['12345::1', false],
    [':1', false],
    ['1:', false],
    ['g::1', false],
    ['fe80::1%eth0', false],
  ])('isIPv6(%j) = %s', (s, ok) => expect(isIPv6(s)).toBe(ok));
  test('generic timestamp magnitudes', () => {
    expect(eventTimestampMillis(1e9)).toBe(1e12);
    expect(eventTimestampMillis(1.7e12)).toBe(1.7e12);
    expect(eventTimestampMillis(1.7e15)).toBe(1.7e12);
    expect(eventTimestampMillis('1700000000')).toBe(1.7e12);
    expect(eventTimestampMillis('1700000000000')).toBe(1.7e12);
    expect(eventTimestampMillis('2024-01-01T00:00:00Z')).toBe(Date.UTC(2024, 0, 1));
    expect(eventTimestampMillis(-1)).toBeNaN();
    expect(eventTimestampMillis(true)).toBeNaN();
  });
});

describe('ids (local stand-ins)', () => {
  test('FNV-1a 64 known vectors', () => {
    expect(fnv1a64Hex(enc(''))).toBe('CBF29CE484222325');
    expect(fnv1a64Hex(enc('a'))).toBe('AF63DC4C8601EC8C');
    expect(fnv1a64Hex(enc('foobar'))).toBe('85944171F73967E8');
  });
  test('FNV-1a 64 equals a BigInt reference on random bytes', () => {
    const ref = (b: Uint8Array) => {
      let h = 0xcbf29ce484222325n;
      for (const x of b) h = ((h ^ BigInt(x)) * 0x100000001b3n) & 0xffffffffffffffffn;
      return h.toString(16).toUpperCase().padStart(16, '0');
    };
    let seed = 7;
    for (let n = 0; n < 200; n++) {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      expect(fnv1a64Hex(b)).toBe(ref(b));
    }
  });
  test('MurmurHash3 x64-128 known vectors', () => {
    expect(murmur3x64_128(enc(''))).toEqual([0n, 0n]);
    expect(murmur3x64_128(enc('hello')).map((x) => x.toString(16))).toEqual(['cbd8a7b341bd9b02', '5b1e906a48ae1d19']);
    expect(murmur3x64_128(enc('The quick brown fox jumps over the lazy dog')).map((x) => x.toString(16))).toEqual(['e34bbc7bbc071b6c', '7a433ca9c49a9347']);
  });
  test('MurmurHash3 x64-128 on 32-bit halves equals a BigInt reference on random bytes (every tail length)', () => {
    const M = 0xffffffffffffffffn;
    const rotl = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & M;
    const fmix = (k: bigint) => {
      k ^= k >> 33n;
      k = (k * 0xff51afd7ed558ccdn) & M;
      k ^= k >> 33n;
      k = (k * 0xc4ceb9fe1a85ec53n) & M;
      return k ^ (k >> 33n);
    };
    const le = (b: Uint8Array, at: number, n: number) => {
      let v = 0n;
      for (let j = n - 1; j >= 0; j--) v = (v << 8n) | BigInt(b[at + j]!);
      return v;
    };
    const C1 = 0x87c37b91114253d5n;
    const C2 = 0x4cf5ad432745937fn;
    const ref = (b: Uint8Array): [bigint, bigint] => {
      const blocks = b.length - (b.length % 16);
      let h1 = 0n;
      let h2 = 0n;
      for (let i = 0; i < blocks; i += 16) {
        h1 ^= (rotl((le(b, i, 8) * C1) & M, 31n) * C2) & M;
        h1 = (((rotl(h1, 27n) + h2) & M) * 5n + 0x52dce729n) & M;
        h2 ^= (rotl((le(b, i + 8, 8) * C2) & M, 33n) * C1) & M;
        h2 = (((rotl(h2, 31n) + h1) & M) * 5n + 0x38495ab5n) & M;
      }
      const rest = b.length - blocks;
      if (rest > 8) h2 ^= (rotl((le(b, blocks + 8, rest - 8) * C2) & M, 33n) * C1) & M;
      if (rest > 0) h1 ^= (rotl((le(b, blocks, Math.min(rest, 8)) * C1) & M, 31n) * C2) & M;
      h1 ^= BigInt(b.length);
      h2 ^= BigInt(b.length);
      h1 = (h1 + h2) & M;
      h2 = (h2 + h1) & M;
      h1 = fmix(h1);
      h2 = fmix(h2);
      h1 = (h1 + h2) & M;
      h2 = (h2 + h1) & M;
      return [h1, h2];
    };
    let seed = 11;
    for (let n = 0; n < 300; n++) {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      expect(murmur3x64_128(b)).toEqual(ref(b));
    }
  });
  test('computeSmartscapeId: shape, determinism, framing, order', () => {
    const id = computeSmartscapeId('HOST', [{ hostname: 'myhost' }]);
    expect(isSmartscapeId(id)).toBe(true);
    expect(id.startsWith('HOST-')).toBe(true);
    expect(computeSmartscapeId('HOST', [{ hostname: 'myhost' }])).toBe(id);
    expect(computeSmartscapeId('HOST', [{ ab: 'c' }])).not.toBe(computeSmartscapeId('HOST', [{ a: 'bc' }]));
    expect(computeSmartscapeId('HOST', [{ a: '1' }, { b: '2' }])).not.toBe(computeSmartscapeId('HOST', [{ b: '2' }, { a: '1' }]));
    expect(() => computeSmartscapeId('host', [])).toThrow(TypeError);
    expect(() => computeSmartscapeId('HOST', [{ a: '1', b: '2' }])).toThrow(TypeError);
  });
  test('custom device ids are those of the BigInt implementation they replace (pinned)', () => {
    expect(computeCustomDeviceIds('idOfmyCustomDevice', 'myGroup')).toEqual({
      entityId: 'CUSTOM_DEVICE-49D1F51DBEB11699',
      groupId: 'CUSTOM_DEVICE_GROUP-5B2231C61493A73E',
    });
  });
  test('custom device ids depend on group, type fallback and device id', () => {
    const a = computeCustomDeviceIds('dev', 'g');
    expect(a.entityId).toMatch(/^CUSTOM_DEVICE-[0-9A-F]{16}$/);
    expect(computeCustomDeviceIds('dev2', 'g').groupId).toBe(a.groupId);
    expect(computeCustomDeviceIds('dev2', 'g').entityId).not.toBe(a.entityId);
    expect(computeCustomDeviceIds('dev', null, 'g')).toEqual(a);
  });
});

describe('helpers and options', () => {
  test('pointers and classic paths', () => {
    expect(toPointer([0, 'a/b', 'c~d'])).toBe('/0/a~1b/c~0d');
    expect(toClassicPath(['series', 0, 'dataPoints', 1])).toBe('series[0].dataPoints[1]');
  });
  test('shortText is bounded', () => {
    expect(shortText('x'.repeat(1e6)).length).toBe(80);
    let deep: unknown = 1;
    for (let i = 0; i < 1e5; i++) deep = [deep];
    expect(shortText(deep).length).toBeLessThanOrEqual(80);
    expect(shortText({ a: [1, 'b'] })).toBe('{"a":[1,"b"]}');
  });
  test('wrong options throw a TypeError', () => {
    expect(() => resolveEventsOptions({ maxErrors: -1 })).toThrow(TypeError);
    expect(() => resolveEventsOptions({ bogus: 1 } as never)).toThrow(/unknown events option/);
    expect(() => resolveEventsOptions({ smartscapeFieldAllowlist: [1] as never })).toThrow(TypeError);
    expect(() => resolveEventsOptions({ now: Number.NaN })).toThrow(TypeError);
  });
  test('maxErrors caps the errors and stops the walk', () => {
    const r = validateEvents([1, 2, 3, 4, 5], { maxErrors: 2 });
    expect(r.issues.length).toBe(2);
    expect((r.body as { error: { details: { constraintViolations: unknown[] } } }).error.details.constraintViolations.length).toBe(2);
  });
  test('the success path returns an empty list and does not touch the input', () => {
    const body = Object.freeze([Object.freeze({ type: 'HOST', id_components: Object.freeze([Object.freeze({ h: 'x' })]) })]);
    const r = validateSmartscapeEvents(body);
    expect(r).toEqual({ ok: true, status: 202, body: null, issues: [] });
  });
  test('EXT_ and CUSTOM_ types bypass the allowlist', () => {
    const opts = { smartscapeFieldAllowlist: ['name'] };
    expect(validateSmartscapeEvents([{ type: 'EXT_X', id_components: [{ a: 'b' }], rack: 1 }], opts).status).toBe(202);
    expect(validateSmartscapeEvents([{ id: 'CUSTOM_Y-0000000000000001', rack: 1 }], opts).status).toBe(202);
    expect(validateSmartscapeEvents([{ id: 'HOST-0000000000000001', rack: 1 }], opts).status).toBe(400);
  });
});
