/**
 * Test helpers: ajv compiled from the shipped schemas (a test oracle only, never used by the
 * package), and fast-check arbitraries that generate bodies valid by construction.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import type { AnyBodyValidationResult } from '../../../src/events/envelopes.js';
import { eventRuleById } from '../../../src/events/index.js';
import { ROOT } from './seeds.js';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (a: Ajv2020) => void;

export const SCHEMA_FILES = ['generic-events', 'smartscape-events', 'synthetic-tests', 'custom-device'] as const;
export type SchemaName = (typeof SCHEMA_FILES)[number];

export function loadSchema(name: SchemaName): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ROOT, 'schemas', `${name}.schema.json`), 'utf8')) as Record<string, unknown>;
}

/** ajv validators compiled from the shipped schemas (strict mode: the schemas must be clean). */
export function compileOracles(): Record<SchemaName, (v: unknown) => boolean> {
  const ajv = new Ajv2020({ strict: true, allErrors: false, allowUnionTypes: true });
  addFormats(ajv);
  const out = {} as Record<SchemaName, (v: unknown) => boolean>;
  for (const name of SCHEMA_FILES) {
    const fn = ajv.compile(loadSchema(name));
    out[name] = (v) => fn(v) as boolean;
  }
  return out;
}

/** Our structural verdict: true when no error of a `structural` rule was reported. */
export function structurallyValid(r: AnyBodyValidationResult): boolean {
  return !r.issues.some((i) => i.severity === 'error' && eventRuleById(i.rule)?.kind === 'structural');
}

export const NOW = Date.UTC(2024, 0, 1);

const upper = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const typeChar = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_');
const hex = fc.constantFrom(...'0123456789ABCDEF');
export const smartscapeType = fc.tuple(upper, fc.array(typeChar, { maxLength: 12 })).map(([a, b]) => a + b.join(''));
export const smartscapeId = fc.tuple(smartscapeType, fc.array(hex, { minLength: 16, maxLength: 16 })).map(([t, h]) => `${t}-${h.join('')}`);
const key = fc.string({ minLength: 1, maxLength: 8 });
const idComponents = fc.array(
  fc.tuple(key, fc.string({ maxLength: 10 })).map(([k, v]) => ({ [k]: v })),
  { minLength: 1, maxLength: 3 },
);
const rfc3339 = fc.date({ min: new Date(Date.UTC(1971, 0, 1)), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true }).map((d) => d.toISOString());

const identity = fc.oneof(
  smartscapeId.map((id) => ({ id }) as Record<string, unknown>),
  fc.record({ type: smartscapeType, id_components: idComponents }) as fc.Arbitrary<Record<string, unknown>>,
);
const RESERVED = new Set([
  'id',
  'type',
  'id_components',
  'event.version',
  'timestamp',
  'update_lifetime',
  'dt.security_context',
  'static_edges',
  'dynamic_edges',
  '__proto__',
]);
const nodeFields = fc.dictionary(
  key.filter((k) => !RESERVED.has(k) && !k.startsWith('tags:')),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 3 },
);
const edges = fc.dictionary(
  key.filter((k) => k !== '__proto__'),
  fc.array(identity, { maxLength: 3 }),
  { maxKeys: 2 },
);

export const smartscapeEvent = fc
  .record(
    {
      identity,
      version: fc.constant(1),
      timestamp: fc.oneof(rfc3339, fc.double({ min: 1e-3, max: 1e15, noNaN: true })),
      update_lifetime: fc.boolean(),
      sc: fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 })),
      static_edges: edges,
      dynamic_edges: edges,
      tags: fc.dictionary(
        key.filter((k) => k !== '__proto__'),
        fc.string(),
        { maxKeys: 3 },
      ),
      fields: nodeFields,
    },
    { requiredKeys: ['identity'] },
  )
  .map((r) => {
    const ev: Record<string, unknown> = { ...r.fields, ...r.identity };
    if (r.version !== undefined) ev['event.version'] = r.version;
    if (r.timestamp !== undefined) ev.timestamp = r.timestamp;
    if (r.update_lifetime !== undefined) ev.update_lifetime = r.update_lifetime;
    if (r.sc !== undefined) ev['dt.security_context'] = r.sc;
    if (r.static_edges !== undefined) ev.static_edges = r.static_edges;
    if (r.dynamic_edges !== undefined) ev.dynamic_edges = r.dynamic_edges;
    if (r.tags !== undefined) ev['tags:ctx'] = r.tags;
    return ev;
  });
/** Bodies as a parser would produce them: plain objects (fast-check records have null prototypes). */
const asJson = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T> => a.map((v) => JSON.parse(JSON.stringify(v)) as T);

export const smartscapeBody = asJson(fc.array(smartscapeEvent, { minLength: 1, maxLength: 4 }));

export const genericBody = asJson(
  fc.oneof(fc.dictionary(key, fc.jsonValue({ maxDepth: 3 })), fc.array(fc.dictionary(key, fc.jsonValue({ maxDepth: 3 })), { maxLength: 5 })),
);

const optNull = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const ts = fc.integer({ min: 1e12, max: NOW });

export const syntheticBody = asJson(
  fc
    .record({
      name: fc.string(),
      locations: fc.uniqueArray(
        fc.record({ id: fc.string({ maxLength: 6 }), name: fc.string({ maxLength: 6 }), ip: optNull(fc.ipV4()) }, { requiredKeys: ['id', 'name'] }),
        { selector: (l) => l.id, maxLength: 4 },
      ),
      tests: fc.uniqueArray(
        fc.record(
          {
            id: fc.string({ maxLength: 6 }),
            title: fc.string({ maxLength: 8 }),
            scheduleIntervalInSeconds: fc.integer({ min: 1, max: 3600 }),
            locations: fc.uniqueArray(fc.record({ id: fc.string({ maxLength: 6 }), enabled: optNull(fc.boolean()) }, { requiredKeys: ['id'] }), {
              selector: (l) => l.id,
              maxLength: 3,
            }),
            description: optNull(fc.string()),
            expirationTimestamp: optNull(ts),
            enabled: optNull(fc.boolean()),
            noDataTimeout: optNull(fc.integer({ min: 0, max: 10_000 })),
            steps: optNull(
              fc.uniqueArray(fc.record({ id: fc.integer({ min: 0, max: 50 }), title: fc.string({ maxLength: 5 }) }), { selector: (s) => s.id, maxLength: 4 }),
            ),
          },
          { requiredKeys: ['id', 'title', 'scheduleIntervalInSeconds', 'locations'] },
        ),
        { selector: (m) => m.id, maxLength: 3 },
      ),
      results: fc.option(
        fc.uniqueArray(
          fc.record(
            {
              id: fc.string({ maxLength: 6 }),
              totalStepCount: optNull(fc.integer({ min: 0, max: 10 })),
              locationResults: fc.uniqueArray(
                fc.record(
                  {
                    id: fc.string({ maxLength: 6 }),
                    startTimestamp: ts,
                    success: fc.boolean(),
                    successRate: optNull(fc.double({ min: 0, max: 100, noNaN: true })),
                    responseTimeMillis: optNull(fc.integer({ min: 0, max: 1e6 })),
                    stepResults: fc.uniqueArray(
                      fc.record(
                        {
                          id: fc.integer({ min: 0, max: 50 }),
                          startTimestamp: ts,
                          responseTimeMillis: optNull(fc.nat()),
                          error: optNull(fc.record({ code: fc.integer(), message: fc.string() })),
                        },
                        { requiredKeys: ['id', 'startTimestamp'] },
                      ),
                      { selector: (s) => s.id, maxLength: 3 },
                    ),
                  },
                  { requiredKeys: ['id', 'startTimestamp', 'success', 'stepResults'] },
                ),
                { selector: (l) => l.id, maxLength: 3 },
              ),
            },
            { requiredKeys: ['id', 'locationResults'] },
          ),
          { selector: (t) => t.id, maxLength: 3 },
        ),
        { nil: undefined },
      ),
    })
    .map((r) => {
      const b: Record<string, unknown> = { syntheticEngineName: r.name, messageTimestamp: NOW, locations: r.locations, tests: r.tests };
      if (r.results !== undefined) b.testResults = r.results;
      return b;
    }),
);

export const customDeviceBody = asJson(
  fc.record(
    {
      displayName: optNull(fc.string({ maxLength: 40 })),
      group: optNull(fc.string({ maxLength: 40 })),
      type: optNull(fc.string({ maxLength: 40 })),
      favicon: optNull(fc.webUrl()),
      ipAddresses: fc.uniqueArray(fc.oneof(fc.ipV4(), fc.ipV6()), { maxLength: 5 }),
      hostNames: fc.uniqueArray(fc.domain(), { maxLength: 5 }),
      listenPorts: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 5 }),
      tags: fc.uniqueArray(fc.string({ maxLength: 8 }), { maxLength: 5 }),
      properties: fc.dictionary(
        key.filter((k) => k !== '__proto__'),
        fc.string(),
        { maxKeys: 3 },
      ),
      series: fc.array(
        fc.record(
          {
            timeseriesId: fc.string({ maxLength: 20 }),
            dimensions: optNull(
              fc.dictionary(
                key.filter((k) => k !== '__proto__'),
                fc.string(),
                { maxKeys: 2 },
              ),
            ),
            dataPoints: fc.array(fc.tuple(fc.integer({ min: NOW - 1_800_000, max: NOW + 600_000 }), fc.double({ noNaN: true, noDefaultInfinity: true })), {
              maxLength: 4,
            }),
          },
          { requiredKeys: ['timeseriesId', 'dataPoints'] },
        ),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: [] },
  ),
);
