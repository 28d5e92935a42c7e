/**
 * Hostile input: deep nesting, huge strings, huge arrays, `__proto__` / `constructor` keys. A clear
 * 400/413 or a correct verdict; never a crash, never prototype pollution, memory bounded.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { validateCustomDevice, validateEvents, validateSmartscapeEvents, validateSyntheticTests } from '../../../src/events/index.js';

const DEPTH = 100_000;
const deepArray = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const deepObject = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);
/** Without the nesting cap (`maxJsonDepth`): the parser itself must hold such bodies. */
const UNCAPPED = { maxJsonDepth: Number.POSITIVE_INFINITY };
const all = (body: unknown, o = UNCAPPED) => [
  validateEvents(body, o),
  validateSmartscapeEvents(body, o),
  validateSyntheticTests(body, o),
  validateCustomDevice('d', body, o),
];

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
});

describe('100,000-deep nesting', () => {
  test('with the default cap (Jackson 1,000): 400 json-too-deep at the 1,001st level, from every endpoint', () => {
    for (const body of [deepArray, deepObject, `[{"a":${deepArray}}]`, '['.repeat(DEPTH)]) {
      for (const r of all(body, {} as typeof UNCAPPED)) {
        expect(r.status).toBe(400);
        expect(r.issues).toHaveLength(1);
        expect(r.issues[0]).toMatchObject({ rule: 'json-too-deep', line: 1 });
        expect(r.body).toEqual({
          error: {
            code: 400,
            message: expect.stringMatching(/^Malformed JSON: nesting depth \(1001\) exceeds the maximum allowed \(1000\) at line 1 column \d+$/),
          },
        });
      }
    }
    expect(validateEvents(deepArray).issues[0]!.column).toBe(1001);
    expect(validateEvents(deepObject).issues[0]!.column).toBe(5 * 1000 + 1);
  });
  test('as the whole body, uncapped: a clear 400 from every endpoint', () => {
    for (const r of all(deepArray)) expect(r.status).toBe(400);
    // A deep object is a correct verdict per endpoint: a valid generic event, a Smartscape event without
    // identity, a synthetic body without its required fields, a custom device with one unknown key.
    expect(all(deepObject).map((r) => r.status)).toEqual([202, 400, 400, 200]);
  });
  test('inside a free-form field: accepted', () => {
    expect(validateEvents(`[{"a":${deepArray}}]`, UNCAPPED).status).toBe(202);
    expect(validateSmartscapeEvents(`{"id":"HOST-0000000000000001","f":${deepObject}}`, UNCAPPED).status).toBe(202);
  });
  test('unclosed: the syntax error is located without recursion', () => {
    const r = validateEvents('['.repeat(DEPTH), UNCAPPED);
    expect(r.status).toBe(400);
    expect(r.issues[0]).toMatchObject({ rule: 'json-syntax', line: 1, column: DEPTH + 1 });
  });
  test('deep duplicates in a synthetic set compare without recursion', () => {
    const loc = `{"id":"L","name":"n","x":${deepArray}}`;
    const r = validateSyntheticTests(`{"syntheticEngineName":"e","messageTimestamp":1,"locations":[${loc},${loc}],"tests":[]}`, UNCAPPED);
    expect(r.status).toBe(400);
    expect(r.issues[0]).toMatchObject({ rule: 'synthetic-not-unique', pointer: '/locations/1' });
    expect(r.issues[0]!.text!.length).toBeLessThanOrEqual(80);
  });
  test('deep parsed value (1,000,000 levels) as a field', () => {
    let v: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) v = [v];
    const r = validateSmartscapeEvents([{ id: 'HOST-0000000000000001', timestamp: v }]);
    expect(r.status).toBe(400);
    expect(r.issues[0]!.text!.length).toBeLessThanOrEqual(80);
  });
});

describe('a 10 MB string', () => {
  const big = 'x'.repeat(10 * 1024 * 1024);
  test('over the generic events limit: 413 before parsing', () => {
    const r = validateEvents(`[{"a":"${big}"}]`);
    expect(r.status).toBe(413);
  });
  test('just under the limit: accepted', () => {
    expect(validateEvents(`[{"a":"${big.slice(0, 10 * 1024 * 1024 - 20)}"}]`).status).toBe(202);
  });
  test('Smartscape (1 MB limit): 413; as a parsed id: 400 with a shortened text', () => {
    expect(validateSmartscapeEvents(`{"id":"${big}"}`).status).toBe(413);
    const r = validateSmartscapeEvents({ id: big });
    expect(r.status).toBe(400);
    expect(r.issues[0]!.text!.length).toBe(80);
  });
  test('custom device displayName', () => {
    const r = validateCustomDevice('d', { displayName: big });
    expect(r.status).toBe(400);
    expect(r.issues[0]).toMatchObject({ rule: 'custom-device-too-long', pointer: '/displayName' });
  });
});

describe('1,000,000-element arrays', () => {
  const N = 1_000_000;
  test('generic events: a million empty events are accepted', () => {
    expect(validateEvents('[' + Array(N).fill('{}').join(',') + ']').status).toBe(202);
  });
  test('generic events: a million bad items, every one reported, memory bounded', () => {
    const before = process.memoryUsage().heapUsed;
    const r = validateEvents(Array(N).fill(1));
    expect(r.status).toBe(400);
    expect(r.issues.length).toBe(N);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(1024 * 1024 * 1024);
  });
  test('a cap stops the walk early', () => {
    const r = validateSmartscapeEvents(Array(N).fill({}), { maxErrors: 10 });
    expect(r.status).toBe(400);
    expect(r.issues.length).toBe(10);
  });
  test('custom device: huge lists stay linear', () => {
    const hosts = Array.from({ length: N }, (_, i) => `h${i}`);
    const r = validateCustomDevice('d', { hostNames: hosts, tags: Array(N).fill('t'), listenPorts: Array(N).fill(80) }, { maxErrors: 1000 });
    expect(r.status).toBe(400);
    expect(r.issues[0]).toMatchObject({ rule: 'custom-device-too-many', pointer: '/hostNames' });
  });
  test('synthetic: a million step results', () => {
    const steps = Array.from({ length: N }, (_, i) => ({ id: i, startTimestamp: 1 }));
    const body = {
      syntheticEngineName: 'e',
      messageTimestamp: 1,
      locations: [{ id: 'L', name: 'L' }],
      tests: [{ id: 'M', title: 't', scheduleIntervalInSeconds: 60, locations: [{ id: 'L' }] }],
      testResults: [{ id: 'M', locationResults: [{ id: 'L', startTimestamp: 1, success: true, stepResults: steps }] }],
    };
    expect(validateSyntheticTests(body).status).toBe(204);
  });
});

describe('__proto__ and constructor keys', () => {
  const evil = '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}';
  test('as extra keys everywhere: own properties, no pollution', () => {
    expect(validateEvents(`[${evil}]`).status).toBe(202);
    expect(
      validateSmartscapeEvents(
        `[{"id":"HOST-0000000000000001","__proto__":{"polluted":1},"tags:x":{"__proto__":"v"},"static_edges":{"__proto__":[{"id":"HOST-0000000000000002"}]}}]`,
      ).status,
    ).toBe(202);
    expect(validateSyntheticTests(`{"syntheticEngineName":"e","messageTimestamp":1,"locations":[],"tests":[],"__proto__":{"polluted":1}}`).status).toBe(204);
    expect(validateCustomDevice('d', `{"properties":{"__proto__":"x","constructor":"y"}}`).status).toBe(200);
  });
  test('the own __proto__ value is what gets judged', () => {
    const r = validateCustomDevice('d', '{"properties":{"__proto__":1}}');
    expect(r.status).toBe(400);
    expect(r.issues[0]).toMatchObject({ rule: 'custom-device-type', pointer: '/properties/__proto__', text: '1' });
    const s = validateSmartscapeEvents('[{"id":"HOST-0000000000000001","tags:x":{"__proto__":{}}}]');
    expect(s.issues[0]).toMatchObject({ rule: 'smartscape-tags-shape', pointer: '/0/tags:x/__proto__' });
    const e = validateSmartscapeEvents('[{"id":"HOST-0000000000000001","static_edges":{"__proto__":[{"id":"bad"}]}}]');
    expect(e.issues[0]).toMatchObject({ rule: 'smartscape-id-pattern', pointer: '/0/static_edges/__proto__/0/id' });
  });
  test('a constructor key does not stand in for a missing field', () => {
    const r = validateSyntheticTests('{"constructor":"x","messageTimestamp":1,"locations":[],"tests":[]}');
    expect(r.issues[0]).toMatchObject({ rule: 'synthetic-required', pointer: '/syntheticEngineName' });
  });
});
