/**
 * Options of the JSON validators are resolved once per options object (issue 15): the cache must
 * never serve a wrong answer where the contract says it is fresh (`now`, new objects, resolved
 * objects, errors), and the contract for the rest is documented and pinned here.
 */
import { describe, expect, test } from 'vitest';
import { resolveEventsOptions, validateCustomDevice, validateEvents, validateSmartscapeEvents, validateSyntheticTests } from '../../../src/events/index.js';
import { callerNow, eventsSettings } from '../../../src/events/options.js';

const NOW = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;

describe('options resolved once per object', () => {
  test('the same object gives the same settings object; without options, the shared defaults', () => {
    const o = { maxErrors: 3 };
    expect(eventsSettings(o)).toBe(eventsSettings(o));
    expect(eventsSettings(o).maxErrors).toBe(3);
    expect(eventsSettings(undefined)).toBe(eventsSettings());
    expect(eventsSettings(undefined).maxErrors).toBe(Number.POSITIVE_INFINITY);
  });
  test('now is read on every call, also from an object already used', () => {
    const o: { now: number } = { now: NOW };
    const body = [{ timestamp: NOW - DAY / 2 }];
    expect(validateEvents(body, o).issues).toEqual([]);
    o.now = NOW + DAY; // the same object, the clock moved on: the event is now too old
    expect(validateEvents(body, o).issues.map((i) => i.rule)).toEqual(['event-timestamp-old']);
    o.now = NOW;
    expect(validateEvents(body, o).issues).toEqual([]);
    expect(callerNow(o)).toBe(NOW);
    expect(callerNow({})).toBeNaN();
  });
  test('a wrong option throws on every call (nothing cached for it)', () => {
    const bad = { maxErrors: -1 };
    expect(() => validateEvents([], bad)).toThrow(TypeError);
    expect(() => validateEvents([], bad)).toThrow(TypeError);
    expect(() => validateEvents([], { bogus: 1 } as never)).toThrow(/unknown events option 'bogus'/);
    expect(() => validateEvents([], 5 as never)).toThrow(/options must be an object/);
    const badNow = { now: NOW } as { now: unknown };
    expect(validateEvents([], badNow as never).status).toBe(202);
    badNow.now = 'today'; // checked on every call, like its value
    expect(() => validateEvents([], badNow as never)).toThrow(/option now must be a finite number/);
  });
  test('another object with other limits is honoured at once, alternating', () => {
    const one = { now: NOW, maxErrors: 1 };
    const all = { now: NOW };
    const body = [1, 2, 3];
    for (let round = 0; round < 3; round++) {
      expect(validateEvents(body, one).issues.filter((i) => i.severity === 'error')).toHaveLength(1);
      expect(validateEvents(body, all).issues.filter((i) => i.severity === 'error')).toHaveLength(3);
    }
  });
  test('a limit changed on an object already used is not seen: the contract is to pass a new object', () => {
    const o = { now: NOW, maxErrors: 1 };
    expect(validateEvents([1, 2], o).issues).toHaveLength(1);
    o.maxErrors = 5;
    expect(validateEvents([1, 2], o).issues).toHaveLength(1);
    expect(validateEvents([1, 2], { ...o }).issues).toHaveLength(2);
  });
  test('a resolved options object is accepted as options, with its now and its allowlist', () => {
    const r = resolveEventsOptions({ now: NOW, smartscapeFieldAllowlist: ['name'] });
    expect(resolveEventsOptions(r)).toBe(r);
    expect(r.now).toBe(NOW);
    expect(validateEvents([{ timestamp: NOW - 2 * DAY }], r).issues.map((i) => i.rule)).toEqual(['event-timestamp-old']);
    const ev = { type: 'HOST', id_components: [{ h: 'a' }], name: 'x', other: 1 };
    expect(validateSmartscapeEvents([ev], r).issues.map((i) => i.pointer)).toEqual(['/0/other']);
    const none = resolveEventsOptions({ now: NOW });
    expect(validateSmartscapeEvents([ev], none).issues).toEqual([]);
  });
  test('the other validators read now per call too', () => {
    const o: { now: number } = { now: NOW };
    const points = { series: [{ timeseriesId: 'ts', dataPoints: [[NOW, 1]] }] };
    expect(validateCustomDevice('dev', points, o).status).toBe(200);
    o.now = NOW + DAY;
    expect(validateCustomDevice('dev', points, o).status).toBe(400);
    const synthetic = {
      syntheticEngineName: 'e',
      messageTimestamp: NOW,
      locations: [{ id: 'l', name: 'l' }],
      tests: [{ id: 't', title: 't', scheduleIntervalInSeconds: 60, locations: [{ id: 'l' }] }],
      testResults: [{ id: 't', locationResults: [{ id: 'l', startTimestamp: NOW + 3_600_000, success: true, stepResults: [] }] }],
    };
    o.now = NOW;
    expect(validateSyntheticTests(synthetic, o).status).toBe(400);
    o.now = NOW + 3_600_000;
    expect(validateSyntheticTests(synthetic, o).status).toBe(204);
  });
});
