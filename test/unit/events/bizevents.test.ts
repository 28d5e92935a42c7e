/**
 * Business events (`validateBizEvents`): the three media types, CloudEvents 1.0's required attributes,
 * the 400 that names the refused events while the others are accepted, 413, positions, and the real
 * request model of the API reference (test/fixtures/clients).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { bizEventsBodyKind, eventRuleById, validateBizEvents } from '../../../src/events/index.js';
import { ROOT } from './seeds.js';

const o = { now: Date.UTC(2026, 11, 7, 12) };
const CE = 'application/cloudevent+json';
const BATCH = 'application/cloudevent-batch+json';
const ok = { specversion: '1.0', id: '1', source: 'shop', type: 'com.shop.checkout' };
const json = (v: unknown): string => JSON.stringify(v);
const rules = (r: { issues: { rule: string }[] }): string[] => r.issues.map((i) => i.rule);

describe('media types', () => {
  test('the documented types and the "cloudevents" spelling of the guide', () => {
    expect(bizEventsBodyKind(undefined)).toBe('json');
    expect(bizEventsBodyKind('application/json; charset=utf-8')).toBe('json');
    expect(bizEventsBodyKind('application/cloudevent+json')).toBe('cloudEvent');
    expect(bizEventsBodyKind('application/cloudevents+json')).toBe('cloudEvent');
    expect(bizEventsBodyKind('Application/CloudEvent-Batch+JSON')).toBe('cloudEventBatch');
    expect(bizEventsBodyKind('application/cloudevents-batch+json')).toBe('cloudEventBatch');
    expect(bizEventsBodyKind('text/plain')).toBeUndefined();
    expect(() => validateBizEvents('{}', o, 'text/plain')).toThrow(TypeError);
  });
});

describe('real bodies', () => {
  test("the API reference's CloudEvent model: 202 without a word", () => {
    const body = readFileSync(join(ROOT, 'test', 'fixtures', 'clients', 'bizevents-docs-cloudevent.json'), 'utf8');
    const r = validateBizEvents(body, o, CE);
    expect(r.status).toBe(202);
    expect(r.body).toBeNull();
    expect(r.issues).toEqual([]);
    // the same event in a batch, and as plain JSON
    expect(validateBizEvents(`[${body}]`, o, BATCH).issues).toEqual([]);
    expect(validateBizEvents(body, o).status).toBe(202);
  });
});

describe('application/json', () => {
  test('any keys and values: no CloudEvents attribute is required', () => {
    expect(validateBizEvents(json([{ 'event.type': 'com.shop.order', amount: 3, nested: { a: [1] } }]), o).issues).toEqual([]);
  });
  test('an item that is not an object is refused by index; the others are accepted (400)', () => {
    const r = validateBizEvents('[{"a":1},\n "x",\n {"b":2}, 3]', o);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      errors: [
        { index: 1, message: '/1: must be a JSON object' },
        { index: 3, message: '/3: must be a JSON object' },
      ],
    });
    expect(r.issues.map((i) => [i.rule, i.pointer, i.line, i.column])).toEqual([
      ['biz-event-not-object', '/1', 2, 2],
      ['biz-event-not-object', '/3', 3, 11],
    ]);
  });
  test('an empty array: 202 that ingests nothing (a warning)', () => {
    const r = validateBizEvents('[]', o);
    expect(r.status).toBe(202);
    expect(rules(r)).toEqual(['biz-events-empty']);
  });
  test('malformed JSON: 400 with the request-level envelope and the position', () => {
    const r = validateBizEvents('{"a":', o);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: { code: 400, message: 'Malformed JSON: unexpected end of input at line 1 column 6' } });
  });
  test('413 past bizeventsMaxBodyBytes (default 10 MB)', () => {
    const r = validateBizEvents('[{"a":"abcdef"}]', { ...o, bizeventsMaxBodyBytes: 8 });
    expect(r.status).toBe(413);
    expect(r.body).toEqual({ error: { code: 413, message: 'Payload too large: 16 > 8 bytes' } });
  });
});

describe('CloudEvents', () => {
  test('the four required attributes: each missing one is named, at its object', () => {
    for (const name of ['specversion', 'id', 'source', 'type'] as const) {
      const ev: Record<string, string> = { ...ok };
      delete ev[name];
      const r = validateBizEvents(json(ev), o, CE);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ errors: [{ index: 0, message: `/${name}: ${name} is required` }] });
      expect(r.issues[0]).toMatchObject({ rule: 'biz-cloudevent-required', pointer: `/${name}`, line: 1, column: 1 });
    }
  });
  test('required attributes are non-empty strings; specversion is 1.0', () => {
    expect(rules(validateBizEvents(json({ ...ok, id: '' }), o, CE))).toEqual(['biz-cloudevent-string']);
    expect(rules(validateBizEvents(json({ ...ok, source: 7 }), o, CE))).toEqual(['biz-cloudevent-string']);
    expect(rules(validateBizEvents(json({ ...ok, id: null }), o, CE))).toEqual(['biz-cloudevent-required']);
    expect(rules(validateBizEvents(json({ ...ok, specversion: '0.3' }), o, CE))).toEqual(['biz-cloudevent-specversion']);
  });
  test('optional attributes: strings when present; data or data_base64, not both', () => {
    expect(rules(validateBizEvents(json({ ...ok, subject: 1 }), o, CE))).toEqual(['biz-cloudevent-string']);
    expect(rules(validateBizEvents(json({ ...ok, subject: null, data_base64: 'AA==' }), o, CE))).toEqual([]);
    expect(rules(validateBizEvents(json({ ...ok, data: {}, data_base64: 'AA==' }), o, CE))).toEqual(['biz-cloudevent-data-both']);
  });
  test('time that is not RFC 3339, and extension names outside the spec, are warnings', () => {
    const r = validateBizEvents(json({ ...ok, time: 'yesterday', 'event.provider': 'x', averyveryverylongname1: 1 }), o, CE);
    expect(r.status).toBe(202);
    expect(r.issues.map((i) => [i.rule, i.pointer])).toEqual([
      ['biz-cloudevent-time', '/time'],
      ['biz-cloudevent-extension-name', '/event.provider'],
      ['biz-cloudevent-extension-name', '/averyveryverylongname1'],
    ]);
  });
  test('a batch: the invalid events are named by index, the valid ones accepted', () => {
    const r = validateBizEvents(json([ok, { ...ok, type: '' }, ok, {}]), o, BATCH);
    expect(r.status).toBe(400);
    expect((r.body as { errors: { index: number }[] }).errors.map((e) => e.index)).toEqual([1, 3]);
  });
  test('the body must fit the media type: a batch is an array, a single CloudEvent is not', () => {
    const a = validateBizEvents(json(ok), o, BATCH);
    expect(a.status).toBe(400);
    expect(a.body).toEqual({ error: { code: 400, message: 'a CloudEvents batch must be a JSON array' } });
    const b = validateBizEvents(json([ok]), o, CE);
    expect(b.body).toEqual({ error: { code: 400, message: 'a CloudEvent must be a JSON object' } });
  });
  test('maxErrors stops the walk', () => {
    const r = validateBizEvents(json([{}, {}, {}]), { ...o, maxErrors: 2 }, BATCH);
    expect(r.issues.filter((i) => i.severity === 'error')).toHaveLength(2);
  });
});

describe('schemas agree with the structural verdict', () => {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
  const load = (n: string): ((v: unknown) => boolean) =>
    ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', `${n}.schema.json`), 'utf8')) as object) as (v: unknown) => boolean;
  const plain = load('bizevents');
  const cloud = load('bizevents-cloudevents');
  const structural = (r: { issues: { severity: string; rule: string }[] }): boolean =>
    !r.issues.some((i) => i.severity === 'error' && eventRuleById(i.rule)?.kind === 'structural');
  const cloudEventish = fc.record(
    {
      specversion: fc.oneof(fc.constant('1.0'), fc.constant('0.3'), fc.constant(''), fc.integer()),
      id: fc.oneof(fc.string(), fc.constant(null)),
      source: fc.string(),
      type: fc.oneof(fc.string(), fc.boolean()),
      subject: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
      data: fc.jsonValue(),
      data_base64: fc.string(),
    },
    { requiredKeys: [] },
  );
  test('application/json and random JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(structural(validateBizEvents(json(v), o))).toBe(plain(v));
      }),
      { numRuns: 300 },
    );
  });
  test('CloudEvents, single and batch', () => {
    fc.assert(
      fc.property(fc.oneof(cloudEventish, fc.array(cloudEventish, { maxLength: 4 })), (v) => {
        const r = validateBizEvents(json(v), o, Array.isArray(v) ? BATCH : CE);
        expect(structural(r)).toBe(cloud(v));
      }),
      { numRuns: 400 },
    );
  });
});
