/** Each seed's request example validates clean (no error, no warning), raw and parsed. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { validateCustomDevice, validateEvents, validateSmartscapeEvents, validateSyntheticTests } from '../../../src/events/index.js';
import { ROOT, seedExamples } from './seeds.js';

const example = (name: string): string => readFileSync(join(ROOT, 'examples', 'events', name + '.json'), 'utf8');
const clean = (r: { issues: { severity: string }[] }) => r.issues.filter((i) => i.severity !== 'info');

describe('seed examples', () => {
  test('examples/events/*.json are copies of the seeds', () => {
    for (const [name, value] of Object.entries(seedExamples())) expect(JSON.parse(example(name)), name).toEqual(value);
  });
  test('generic events (seed 001)', () => {
    const r = validateEvents(example('generic-model'));
    expect(r).toEqual({ ok: true, status: 202, body: null, issues: [] });
  });
  test('Smartscape events (seed 000)', () => {
    const r = validateSmartscapeEvents(example('smartscape-model'));
    expect(r).toEqual({ ok: true, status: 202, body: null, issues: [] });
    expect(validateSmartscapeEvents(JSON.parse(example('smartscape-model'))).status).toBe(202);
  });
  test('third-party synthetic (seed 002, request example)', () => {
    const r = validateSyntheticTests(example('synthetic-example'), { now: 1543572265528 });
    expect(r).toEqual({ ok: true, status: 204, body: null, issues: [] });
  });
  test('third-party synthetic (seed 002, JSON model): accepted, with the documented enabled+deleted warning', () => {
    // The model sets every boolean to true, so it shows `enabled` and `deleted` together.
    const r = validateSyntheticTests(example('synthetic-model'), { now: 1543572265528 });
    expect(r.status).toBe(204);
    expect(r.issues.map((i) => i.rule)).toEqual(['synthetic-enabled-deleted']);
  });
  test('custom device model (seed 003)', () => {
    const r = validateCustomDevice('idOfmyCustomDevice', example('custom-device-model'), { now: 1521542929000 + 60_000 });
    expect(r.status).toBe(200);
    expect(clean(r)).toEqual([]);
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'custom-device-deprecated', severity: 'info' })]);
  });
  test('custom device example (seed 003): 200 with stand-in ids', () => {
    const r = validateCustomDevice('idOfmyCustomDevice', Buffer.from(example('custom-device-example')), { now: 1539860500000 });
    expect(r.status).toBe(200);
    expect(clean(r)).toEqual([]);
    const body = r.body as { entityId: string; groupId: string };
    expect(body.entityId).toMatch(/^CUSTOM_DEVICE-[0-9A-F]{16}$/);
    expect(body.groupId).toMatch(/^CUSTOM_DEVICE_GROUP-[0-9A-F]{16}$/);
    // Deterministic: the same request gives the same ids.
    expect(validateCustomDevice('idOfmyCustomDevice', example('custom-device-example'), { now: 1539860500000 }).body).toEqual(body);
  });
});
