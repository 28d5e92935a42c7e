/**
 * Properties (fast-check) and the ajv differential: generated bodies are accepted; one mutation is
 * rejected at the mutated JSON Pointer; random JSON never throws; our structural verdict equals ajv's
 * verdict on the shipped schemas (ajv is a test oracle only).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { AnyBodyValidationResult } from '../../../src/events/envelopes.js';
import { validateCustomDevice, validateEvents, validateSmartscapeEvents, validateSyntheticTests } from '../../../src/events/index.js';
import { NOW, compileOracles, customDeviceBody, genericBody, smartscapeBody, structurallyValid, syntheticBody } from './oracle.js';

const oracle = compileOracles();
const opts = { now: NOW };
const NUM_RUNS = 300;
const errorAt = (r: AnyBodyValidationResult, pointer: string) => r.issues.some((i) => i.severity === 'error' && i.pointer === pointer);
const clone = <T>(v: T): T => structuredClone(v);

describe('generated bodies are accepted (and ajv agrees)', () => {
  test('generic events', () =>
    fc.assert(
      fc.property(genericBody, (b) => {
        expect(validateEvents(b, opts).status).toBe(202);
        expect(validateEvents(JSON.stringify(b), opts).status).toBe(202);
        expect(oracle['generic-events'](b)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    ));
  test('Smartscape events', () =>
    fc.assert(
      fc.property(smartscapeBody, (b) => {
        const r = validateSmartscapeEvents(b, opts);
        expect(r.issues).toEqual([]);
        expect(r.status).toBe(202);
        expect(oracle['smartscape-events'](b)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    ));
  test('synthetic', () =>
    fc.assert(
      fc.property(syntheticBody, (b) => {
        const r = validateSyntheticTests(b, opts);
        expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(r.status).toBe(204);
        expect(oracle['synthetic-tests'](b)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    ));
  test('custom device', () =>
    fc.assert(
      fc.property(customDeviceBody, (b) => {
        const r = validateCustomDevice('dev', b, opts);
        expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(r.status).toBe(200);
        expect(oracle['custom-device'](b)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    ));
});

type Mutation<B> = { name: string; apply: (b: B) => string | undefined };

const smartscapeMutations: Mutation<Record<string, unknown>[]>[] = [
  {
    name: 'drop id_components of a Mode 2 event',
    apply: (b) => {
      const i = b.findIndex((e) => 'type' in e);
      if (i < 0) return undefined;
      delete b[i]!.id_components;
      return `/${i}/id_components`;
    },
  },
  {
    name: 'add type to a Mode 1 event (both modes)',
    apply: (b) => {
      const i = b.findIndex((e) => 'id' in e);
      if (i < 0) return undefined;
      b[i]!.type = 'HOST';
      return `/${i}`;
    },
  },
  {
    name: 'bad id pattern',
    apply: (b) => {
      const i = b.findIndex((e) => 'id' in e);
      if (i < 0) return undefined;
      b[i]!.id = (b[i]!.id as string).toLowerCase() + 'x';
      return `/${i}/id`;
    },
  },
  {
    name: 'bad type pattern',
    apply: (b) => {
      const i = b.findIndex((e) => 'type' in e);
      if (i < 0) return undefined;
      b[i]!.type = 'lower';
      return `/${i}/type`;
    },
  },
  {
    name: 'wrong type: update_lifetime',
    apply: (b) => {
      b[0]!.update_lifetime = 'true';
      return '/0/update_lifetime';
    },
  },
  {
    name: 'wrong type: event.version',
    apply: (b) => {
      b[0]!['event.version'] = '1';
      return '/0/event.version';
    },
  },
];
const syntheticMutations: Mutation<Record<string, any>>[] = [
  {
    name: 'drop syntheticEngineName',
    apply: (b) => {
      delete b.syntheticEngineName;
      return '/syntheticEngineName';
    },
  },
  {
    name: 'drop a monitor title',
    apply: (b) => {
      if (b.tests.length === 0) return undefined;
      delete b.tests[0].title;
      return '/tests/0/title';
    },
  },
  {
    name: 'wrong type: messageTimestamp',
    apply: (b) => {
      b.messageTimestamp = String(b.messageTimestamp);
      return '/messageTimestamp';
    },
  },
  {
    name: 'wrong type: location name',
    apply: (b) => {
      if (b.locations.length === 0) return undefined;
      b.locations[0].name = 1;
      return '/locations/0/name';
    },
  },
  {
    name: 'drop locationResults',
    apply: (b) => {
      if (!b.testResults?.length) return undefined;
      delete b.testResults[0].locationResults;
      return '/testResults/0/locationResults';
    },
  },
];
const deviceMutations: Mutation<Record<string, any>>[] = [
  {
    name: 'wrong type: displayName',
    apply: (b) => {
      b.displayName = 5;
      return '/displayName';
    },
  },
  {
    name: 'port out of range',
    apply: (b) => {
      b.listenPorts = [...(b.listenPorts ?? []), 70000];
      return `/listenPorts/${b.listenPorts.length - 1}`;
    },
  },
  {
    name: 'bad IP',
    apply: (b) => {
      b.ipAddresses = [...(b.ipAddresses ?? []), '1.2.3'];
      return `/ipAddresses/${b.ipAddresses.length - 1}`;
    },
  },
  {
    name: 'drop timeseriesId',
    apply: (b) => {
      if (!b.series?.length) return undefined;
      delete b.series[0].timeseriesId;
      return '/series/0/timeseriesId';
    },
  },
];

describe('a single mutation is rejected at the mutated pointer (and ajv agrees)', () => {
  test.each(smartscapeMutations.map((m) => [m.name, m] as const))('Smartscape: %s', (_n, m) =>
    fc.assert(
      fc.property(smartscapeBody, (b0) => {
        const b = clone(b0);
        const pointer = m.apply(b);
        fc.pre(pointer !== undefined);
        const r = validateSmartscapeEvents(b, opts);
        expect(r.status).toBe(400);
        expect(errorAt(r, pointer!), JSON.stringify(r.issues)).toBe(true);
        expect(oracle['smartscape-events'](b)).toBe(false);
      }),
      { numRuns: 100 },
    ),
  );
  test.each(syntheticMutations.map((m) => [m.name, m] as const))('synthetic: %s', (_n, m) =>
    fc.assert(
      fc.property(syntheticBody, (b0) => {
        const b = clone(b0);
        const pointer = m.apply(b);
        fc.pre(pointer !== undefined);
        const r = validateSyntheticTests(b, opts);
        expect(r.status).toBe(400);
        expect(errorAt(r, pointer!), JSON.stringify(r.issues)).toBe(true);
        expect(oracle['synthetic-tests'](b)).toBe(false);
      }),
      { numRuns: 100 },
    ),
  );
  test.each(deviceMutations.map((m) => [m.name, m] as const))('custom device: %s', (_n, m) =>
    fc.assert(
      fc.property(customDeviceBody, (b0) => {
        const b = clone(b0);
        const pointer = m.apply(b);
        fc.pre(pointer !== undefined);
        const r = validateCustomDevice('dev', b, opts);
        expect(r.status).toBe(400);
        expect(errorAt(r, pointer!), JSON.stringify(r.issues)).toBe(true);
        expect(oracle['custom-device'](b)).toBe(false);
      }),
      { numRuns: 100 },
    ),
  );
});

describe('random JSON never throws; structural verdict equals ajv', () => {
  const any = fc.jsonValue({ maxDepth: 4 });
  // A JS string is request text, not a parsed JSON string: leave top-level strings to the text test.
  test('parsed values', () =>
    fc.assert(
      fc.property(
        any.filter((v) => typeof v !== 'string'),
        (v) => {
          expect(structurallyValid(validateEvents(v, opts))).toBe(oracle['generic-events'](v));
          expect(structurallyValid(validateSmartscapeEvents(v, opts))).toBe(oracle['smartscape-events'](v));
          expect(structurallyValid(validateSyntheticTests(v, opts))).toBe(oracle['synthetic-tests'](v));
          expect(structurallyValid(validateCustomDevice('dev', v, opts))).toBe(oracle['custom-device'](v));
        },
      ),
      { numRuns: 1000 },
    ));
  test('random text', () =>
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.json().map((s) => s.slice(0, Math.floor(s.length / 2))),
        ),
        (s) => {
          for (const r of [validateEvents(s, opts), validateSmartscapeEvents(s, opts), validateSyntheticTests(s, opts), validateCustomDevice('d', s, opts)]) {
            expect([200, 202, 204, 400]).toContain(r.status);
            let parses = true;
            try {
              JSON.parse(s);
            } catch {
              parses = false;
            }
            if (!parses && s.trim() !== '') expect(r.issues[0]!.rule).toMatch(/^json-|^body-/);
          }
        },
      ),
      { numRuns: 1000 },
    ));
  test('near-valid bodies: one random field replaced by random JSON', () => {
    const replaceSome = <B>(arb: fc.Arbitrary<B>) =>
      fc.tuple(arb, fc.jsonValue({ maxDepth: 2 }), fc.nat()).map(([b, v, n]) => {
        const c = clone(b) as unknown;
        // walk to the n-th container and overwrite one of its keys
        const containers: Record<string, unknown>[] = [];
        const stack: unknown[] = [c];
        while (stack.length) {
          const x = stack.pop();
          if (x && typeof x === 'object') {
            containers.push(x as Record<string, unknown>);
            for (const k of Object.keys(x)) stack.push((x as Record<string, unknown>)[k]);
          }
        }
        const target = containers[n % containers.length]!;
        const keys = Object.keys(target);
        if (keys.length) target[keys[n % keys.length]!] = v;
        return c;
      });
    fc.assert(
      fc.property(replaceSome(smartscapeBody), (b) => {
        expect(structurallyValid(validateSmartscapeEvents(b, opts))).toBe(oracle['smartscape-events'](b));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(replaceSome(syntheticBody), (b) => {
        expect(structurallyValid(validateSyntheticTests(b, opts))).toBe(oracle['synthetic-tests'](b));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(replaceSome(customDeviceBody), (b) => {
        expect(structurallyValid(validateCustomDevice('dev', b, opts))).toBe(oracle['custom-device'](b));
      }),
      { numRuns: 500 },
    );
  });
});
