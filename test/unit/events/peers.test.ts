/**
 * The TypeBox, zod and valibot ports of the shipped schemas (bench/peers.mjs, the peers of
 * bench/events.mjs) give ajv's verdict (ajv compiled from the same schema files, test/unit/events/oracle.ts):
 * on the benchmark bodies; on one targeted mutation per schema keyword, each with the verdict ajv must
 * give so a mutation that misses its keyword fails; and on generated JSON values and near-valid bodies.
 * The last block pins the two places where ajv itself departs from JSON Schema (its uniqueItems
 * equality); the ports follow JSON Schema there.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
// @ts-expect-error plain JS module shared with bench/events.mjs
import { genericBody as benchGeneric, smartscapeBody as benchSmartscape, syntheticBody as benchSynthetic } from '../../../bench/event-bodies.mjs';
// @ts-expect-error plain JS module shared with bench/events.mjs
import { peers as peersUntyped } from '../../../bench/peers.mjs';
import { compileOracles, genericBody, smartscapeBody, syntheticBody } from './oracle.js';

type Schema = 'generic-events' | 'smartscape-events' | 'synthetic-tests';
type Lib = 'typebox' | 'zod' | 'valibot';
const SCHEMAS: Schema[] = ['generic-events', 'smartscape-events', 'synthetic-tests'];
const LIBS: Lib[] = ['typebox', 'zod', 'valibot'];
const peers = peersUntyped as Record<Schema, Record<Lib, (v: unknown) => boolean>>;
const oracle = compileOracles();
const NUM_RUNS = 300;

/** Every port's verdict, keyed by library. */
const verdicts = (schema: Schema, value: unknown) => Object.fromEntries(LIBS.map((l) => [l, peers[schema][l](value)]));
const all = (verdict: boolean) => Object.fromEntries(LIBS.map((l) => [l, verdict]));
/** ajv's verdict, or undefined when ajv throws (its uniqueItems calls an own `valueOf`/`toString` key). */
const ajvSays = (schema: Schema, value: unknown): boolean | undefined => {
  try {
    return oracle[schema](value);
  } catch {
    return undefined;
  }
};
/** What a JSON parser would hand over (plain objects, own `__proto__` keys, no -0 from a literal 0). */
const asJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
/** Sets an own property, also for `__proto__`. */
const own = <T extends object>(o: T, key: string, value: unknown): T => {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  return o;
};

test('there is a port for every schema and library', () => {
  expect(Object.keys(peers).sort()).toEqual([...SCHEMAS].sort());
  for (const s of SCHEMAS) expect(Object.keys(peers[s]).sort()).toEqual([...LIBS].sort());
});

// ------------------------------------------------------------------------------------------------
// (a) the benchmark bodies, built in the order and at the sizes bench/events.mjs uses

const bench = { 'generic-events': benchGeneric(1_000_000), 'smartscape-events': benchSmartscape(1500), 'synthetic-tests': benchSynthetic(1000) } as Record<
  Schema,
  any
>;

describe('benchmark bodies: ajv and every port accept them', () => {
  test.each(SCHEMAS)('%s', (s) => {
    expect(oracle[s](bench[s])).toBe(true);
    expect(verdicts(s, bench[s])).toEqual(all(true));
    const text = JSON.stringify(bench[s]);
    expect(verdicts(s, JSON.parse(text))).toEqual(all(true));
  });
  test.each(['generic-events', 'smartscape-events'] as Schema[])('%s: a single event (not an array)', (s) => {
    for (const ev of [bench[s][0], bench[s][1]]) {
      expect(oracle[s](ev)).toBe(true);
      expect(verdicts(s, ev)).toEqual(all(true));
    }
  });
  test('the last item broken deep inside is rejected by ajv and every port', () => {
    const g = [...bench['generic-events'].slice(0, -1), [bench['generic-events'].at(-1)]];
    const ss = structuredClone(bench['smartscape-events']);
    ss.at(-1).type = 'HOST'; // the last event is Mode 1: now both modes
    const syn = structuredClone(bench['synthetic-tests']);
    syn.tests.at(-1).steps.at(-1).id = 1.5;
    for (const [s, bad] of [
      ['generic-events', g],
      ['smartscape-events', ss],
      ['synthetic-tests', syn],
    ] as [Schema, unknown][]) {
      expect(oracle[s](bad), s).toBe(false);
      expect(verdicts(s, bad), s).toEqual(all(false));
    }
  });
});

// ------------------------------------------------------------------------------------------------
// (b) one targeted mutation per keyword, on small bench-style bodies. `valid` is ajv's verdict, asserted
// first, so a mutation that does not hit its keyword fails.

type Mutation = { name: string; valid: boolean; make: () => unknown };
const smallGeneric = benchGeneric(2_000) as Record<string, unknown>[];
const smallSmartscape = benchSmartscape(4) as Record<string, any>[]; // [0], [2]: Mode 2; [1], [3]: Mode 1
const smallSynthetic = benchSynthetic(2) as Record<string, any>;
const M2 = 0;
const M1 = 1;

// biome-ignore format: a table, one mutation per row
const genericMutations: Mutation[] = [
  { name: 'a number (type)', valid: false, make: () => 42 },
  { name: 'a string (type)', valid: false, make: () => 'event' },
  { name: 'null (type)', valid: false, make: () => null },
  { name: 'true (type)', valid: false, make: () => true },
  { name: 'an empty array (array branch of oneOf)', valid: true, make: () => [] },
  { name: 'an empty object (object branch of oneOf)', valid: true, make: () => ({}) },
  { name: 'an array holding a number (items type)', valid: false, make: () => [...structuredClone(smallGeneric), 1] },
  { name: 'an array holding an array (items: an array is not an object)', valid: false, make: () => [structuredClone(smallGeneric[0]), []] },
  { name: 'an array holding null (items type)', valid: false, make: () => [null] },
  { name: 'an array of arrays', valid: false, make: () => [[{}]] },
  { name: 'timestamp of any kind (unconstrained property)', valid: true, make: () => [{ timestamp: 'yesterday' }, { timestamp: -1 }, { timestamp: null }, { timestamp: [{}] }] },
  { name: 'extra keys of any kind (additionalProperties true)', valid: true, make: () => ({ a: [1, { b: null }], 'x.y': false, '': 0 }) },
  { name: 'an own __proto__ key', valid: true, make: () => [own({}, '__proto__', 1)] },
];

const ss = () => structuredClone(smallSmartscape);
const ssWith = (i: number, f: (e: Record<string, any>) => void) => () => {
  const b = ss();
  f(b[i]!);
  return b;
};
const validRef = () => ({ id: 'HOST-0123456789ABCDEF' });
// biome-ignore format: a table, one mutation per row
const smartscapeMutations: Mutation[] = [
  { name: 'a number (type)', valid: false, make: () => 42 },
  { name: 'null (type)', valid: false, make: () => null },
  { name: 'an empty array', valid: true, make: () => [] },
  { name: 'an array holding a number (items)', valid: false, make: () => [...ss(), 7] },
  { name: 'an array holding an array (items: an array is not an object)', valid: false, make: () => [ss()[M1], [ss()[M1]]] },
  { name: 'a single Mode 2 event', valid: true, make: () => ss()[M2] },
  { name: 'a single Mode 1 event', valid: true, make: () => ss()[M1] },
  // identity: oneOf and required
  { name: 'Mode 1: drop id (required)', valid: false, make: ssWith(M1, (e) => { delete e.id; }) },
  { name: 'Mode 2: drop type (required)', valid: false, make: ssWith(M2, (e) => { delete e.type; }) },
  { name: 'Mode 2: drop id_components (required)', valid: false, make: ssWith(M2, (e) => { delete e.id_components; }) },
  { name: 'Mode 1 + type (oneOf: not both)', valid: false, make: ssWith(M1, (e) => { e.type = 'HOST'; }) },
  { name: 'Mode 2 + id (oneOf: not both)', valid: false, make: ssWith(M2, (e) => { e.id = 'HOST-0123456789ABCDEF'; }) },
  { name: 'Mode 1 + type null (type: null)', valid: true, make: ssWith(M1, (e) => { e.type = null; }) },
  { name: 'Mode 2 + id null (type: null)', valid: true, make: ssWith(M2, (e) => { e.id = null; }) },
  { name: 'Mode 1 + id_components null', valid: true, make: ssWith(M1, (e) => { e.id_components = null; }) },
  { name: 'Mode 1 + a valid id_components', valid: true, make: ssWith(M1, (e) => { e.id_components = [{ k: 'v' }]; }) },
  { name: 'Mode 1 + an empty id_components (minItems on the unused field)', valid: false, make: ssWith(M1, (e) => { e.id_components = []; }) },
  { name: 'Mode 1 + a bad type of id_components', valid: false, make: ssWith(M1, (e) => { e.id_components = 'x'; }) },
  { name: 'id null and nothing else (neither mode)', valid: false, make: ssWith(M1, (e) => { e.id = null; }) },
  { name: 'Mode 2 + type null (neither mode)', valid: false, make: ssWith(M2, (e) => { e.type = null; }) },
  { name: 'Mode 2 + id_components null (neither mode)', valid: false, make: ssWith(M2, (e) => { e.id_components = null; }) },
  // id pattern and type
  { name: 'id: lower-case hex (pattern)', valid: false, make: ssWith(M1, (e) => { e.id = 'HOST-0123456789abcdef'; }) },
  { name: 'id: 15 hex digits (pattern)', valid: false, make: ssWith(M1, (e) => { e.id = 'HOST-0123456789ABCDE'; }) },
  { name: 'id: trailing text (pattern anchored)', valid: false, make: ssWith(M1, (e) => { e.id = 'HOST-0123456789ABCDEF '; }) },
  { name: 'id: lower-case type part (pattern)', valid: false, make: ssWith(M1, (e) => { e.id = 'host-0123456789ABCDEF'; }) },
  { name: 'id: a number (type)', valid: false, make: ssWith(M1, (e) => { e.id = 1; }) },
  { name: 'id: underscores and digits (pattern)', valid: true, make: ssWith(M1, (e) => { e.id = 'PROCESS_GROUP_2-0123456789ABCDEF'; }) },
  // type pattern and type
  { name: 'type: lower case (pattern)', valid: false, make: ssWith(M2, (e) => { e.type = 'host'; }) },
  { name: 'type: leading digit (pattern)', valid: false, make: ssWith(M2, (e) => { e.type = '1HOST'; }) },
  { name: 'type: empty (pattern)', valid: false, make: ssWith(M2, (e) => { e.type = ''; }) },
  { name: 'type: a number (type)', valid: false, make: ssWith(M2, (e) => { e.type = 5; }) },
  // id_components: minItems, items type, min/maxProperties, additionalProperties string
  { name: 'id_components: empty (minItems)', valid: false, make: ssWith(M2, (e) => { e.id_components = []; }) },
  { name: 'id_components: an object (type array)', valid: false, make: ssWith(M2, (e) => { e.id_components = { hostname: 'h' }; }) },
  { name: 'id_components item: two keys (maxProperties)', valid: false, make: ssWith(M2, (e) => { e.id_components = [{ a: 'x', b: 'y' }]; }) },
  { name: 'id_components item: no key (minProperties)', valid: false, make: ssWith(M2, (e) => { e.id_components = [{}]; }) },
  { name: 'id_components item: a number value (additionalProperties string)', valid: false, make: ssWith(M2, (e) => { e.id_components = [{ a: 1 }]; }) },
  { name: 'id_components item: an array (items type object)', valid: false, make: ssWith(M2, (e) => { e.id_components = [['x']]; }) },
  { name: 'id_components item: a string (items type object)', valid: false, make: ssWith(M2, (e) => { e.id_components = ['x']; }) },
  { name: 'id_components: several single-key items', valid: true, make: ssWith(M2, (e) => { e.id_components = [{ a: 'x' }, { b: '' }, { a: 'x' }]; }) },
  { name: 'id_components item: own __proto__ with a string', valid: true, make: ssWith(M2, (e) => { e.id_components = [own({}, '__proto__', 'x')]; }) },
  { name: 'id_components item: own __proto__ with a number', valid: false, make: ssWith(M2, (e) => { e.id_components = [own({}, '__proto__', 1)]; }) },
  { name: 'id_components item: constructor with a string', valid: true, make: ssWith(M2, (e) => { e.id_components = [{ constructor: 'x' }]; }) },
  { name: 'id_components item: constructor with a number', valid: false, make: ssWith(M2, (e) => { e.id_components = [{ constructor: 1 }]; }) },
  { name: 'id_components item: prototype and another key (maxProperties)', valid: false, make: ssWith(M2, (e) => { e.id_components = [{ prototype: 'x', a: 'y' }]; }) },
  // event.version: const 1 or null
  { name: 'event.version 2 (const)', valid: false, make: ssWith(M2, (e) => { e['event.version'] = 2; }) },
  { name: 'event.version "1" (const)', valid: false, make: ssWith(M2, (e) => { e['event.version'] = '1'; }) },
  { name: 'event.version null', valid: true, make: ssWith(M2, (e) => { e['event.version'] = null; }) },
  { name: 'event.version 1.0', valid: true, make: () => JSON.parse(JSON.stringify(ss()).replace('"event.version":1', '"event.version":1.0')) },
  // timestamp: null | date-time string | number > 0
  { name: 'timestamp 0 (exclusiveMinimum)', valid: false, make: ssWith(M1, (e) => { e.timestamp = 0; }) },
  { name: 'timestamp -1 (exclusiveMinimum)', valid: false, make: ssWith(M1, (e) => { e.timestamp = -1; }) },
  { name: 'timestamp 1e-9', valid: true, make: ssWith(M1, (e) => { e.timestamp = 1e-9; }) },
  { name: 'timestamp 1.5e12', valid: true, make: ssWith(M1, (e) => { e.timestamp = 1.5e12; }) },
  { name: 'timestamp true (type)', valid: false, make: ssWith(M1, (e) => { e.timestamp = true; }) },
  { name: 'timestamp null', valid: true, make: ssWith(M1, (e) => { e.timestamp = null; }) },
  { name: 'timestamp "not a date" (format)', valid: false, make: ssWith(M1, (e) => { e.timestamp = 'not a date'; }) },
  { name: 'timestamp epoch digits as a string (format)', valid: false, make: ssWith(M1, (e) => { e.timestamp = '1704067200000'; }) },
  { name: 'timestamp 2024-02-30 (format: days of month)', valid: false, make: ssWith(M1, (e) => { e.timestamp = '2024-02-30T00:00:00Z'; }) },
  { name: 'timestamp 2024-02-29 (format: leap year)', valid: true, make: ssWith(M1, (e) => { e.timestamp = '2024-02-29T00:00:00Z'; }) },
  { name: 'timestamp 2023-02-29 (format: not a leap year)', valid: false, make: ssWith(M1, (e) => { e.timestamp = '2023-02-29T00:00:00Z'; }) },
  { name: 'timestamp without a zone (format)', valid: false, make: ssWith(M1, (e) => { e.timestamp = '2024-01-01T00:00:00'; }) },
  { name: 'timestamp with a space separator (format)', valid: true, make: ssWith(M1, (e) => { e.timestamp = '2024-01-01 00:00:00Z'; }) },
  { name: 'timestamp in lower case (format)', valid: true, make: ssWith(M1, (e) => { e.timestamp = '2024-01-01t00:00:00.5z'; }) },
  { name: 'timestamp +0100 (format)', valid: true, make: ssWith(M1, (e) => { e.timestamp = '2024-01-01T00:00:00+0100'; }) },
  { name: 'timestamp +24:00 (format)', valid: false, make: ssWith(M1, (e) => { e.timestamp = '2024-01-01T00:00:00+24:00'; }) },
  { name: 'timestamp leap second 23:59:60Z (format)', valid: true, make: ssWith(M1, (e) => { e.timestamp = '2016-12-31T23:59:60Z'; }) },
  { name: 'timestamp 12:59:60Z (format: not a leap second)', valid: false, make: ssWith(M1, (e) => { e.timestamp = '2016-12-31T12:59:60Z'; }) },
  { name: 'timestamp without seconds (format)', valid: false, make: ssWith(M1, (e) => { e.timestamp = '2024-01-01T00:00Z'; }) },
  // update_lifetime: boolean | null
  { name: 'update_lifetime "true" (type)', valid: false, make: ssWith(M1, (e) => { e.update_lifetime = 'true'; }) },
  { name: 'update_lifetime null', valid: true, make: ssWith(M1, (e) => { e.update_lifetime = null; }) },
  // dt.security_context: null | string | string[]
  { name: 'dt.security_context 5 (type)', valid: false, make: ssWith(M1, (e) => { e['dt.security_context'] = 5; }) },
  { name: 'dt.security_context ["a", 5] (items type)', valid: false, make: ssWith(M1, (e) => { e['dt.security_context'] = ['a', 5]; }) },
  { name: 'dt.security_context ["a", "b"]', valid: true, make: ssWith(M1, (e) => { e['dt.security_context'] = ['a', 'b']; }) },
  { name: 'dt.security_context {} (type)', valid: false, make: ssWith(M1, (e) => { e['dt.security_context'] = {}; }) },
  // static_edges / dynamic_edges: null | object of arrays of references
  { name: 'static_edges: an array (type object)', valid: false, make: ssWith(M2, (e) => { e.static_edges = [validRef()]; }) },
  { name: 'static_edges: a string value (additionalProperties array)', valid: false, make: ssWith(M2, (e) => { e.static_edges = { rel: 'x' }; }) },
  { name: 'static_edges: a reference without identity', valid: false, make: ssWith(M2, (e) => { e.static_edges = { rel: [{}] }; }) },
  { name: 'static_edges: a reference with a bad id (pattern)', valid: false, make: ssWith(M2, (e) => { e.static_edges = { rel: [{ id: 'HOST-1' }] }; }) },
  { name: 'static_edges: a reference with both modes', valid: false, make: ssWith(M2, (e) => { e.static_edges = { rel: [{ ...validRef(), type: 'HOST' }] }; }) },
  { name: 'static_edges: a reference that is an array', valid: false, make: ssWith(M2, (e) => { e.static_edges = { rel: [[validRef()]] }; }) },
  { name: 'static_edges: a Mode 2 reference with empty id_components', valid: false, make: ssWith(M2, (e) => { e.static_edges = { rel: [{ type: 'HOST', id_components: [] }] }; }) },
  { name: 'static_edges null', valid: true, make: ssWith(M2, (e) => { e.static_edges = null; }) },
  { name: 'static_edges: an empty list', valid: true, make: ssWith(M2, (e) => { e.static_edges = { rel: [] }; }) },
  { name: 'static_edges: a key with a line break', valid: false, make: ssWith(M2, (e) => { e.static_edges = { 'a\nb': 'x' }; }) },
  { name: 'static_edges: own __proto__ with a number', valid: false, make: ssWith(M2, (e) => { e.static_edges = own({}, '__proto__', 1); }) },
  { name: 'static_edges: own __proto__ with references', valid: true, make: ssWith(M2, (e) => { e.static_edges = own({}, '__proto__', [validRef()]); }) },
  { name: 'static_edges: constructor with a number', valid: false, make: ssWith(M2, (e) => { e.static_edges = { constructor: 1 }; }) },
  { name: 'static_edges: prototype with references', valid: true, make: ssWith(M2, (e) => { e.static_edges = { prototype: [validRef()] }; }) },
  { name: 'dynamic_edges: a number (type)', valid: false, make: ssWith(M1, (e) => { e.dynamic_edges = 3; }) },
  { name: 'dynamic_edges: a reference with extra keys', valid: true, make: ssWith(M1, (e) => { e.dynamic_edges = { rel: [{ ...validRef(), name: 'n', id_components: null }] }; }) },
  // patternProperties ^tags:
  { name: 'tags: a string (type object)', valid: false, make: ssWith(M1, (e) => { e['tags:x'] = 'str'; }) },
  { name: 'tags: a number value (additionalProperties string)', valid: false, make: ssWith(M1, (e) => { e['tags:x'] = { a: 1 }; }) },
  { name: 'tags: an array of strings (type object)', valid: false, make: ssWith(M1, (e) => { e['tags:x'] = ['a']; }) },
  { name: 'tags: null', valid: true, make: ssWith(M1, (e) => { e['tags:x'] = null; }) },
  { name: 'tags: the bare prefix "tags:" as a key', valid: false, make: ssWith(M1, (e) => { e['tags:'] = 1; }) },
  { name: 'tags: own __proto__ with a number', valid: false, make: ssWith(M1, (e) => { e['tags:x'] = own({}, '__proto__', 1); }) },
  { name: 'tags: constructor with a number', valid: false, make: ssWith(M1, (e) => { e['tags:x'] = { constructor: 5 }; }) },
  { name: 'tags: constructor with a string', valid: true, make: ssWith(M1, (e) => { e['tags:x'] = { constructor: 'x' }; }) },
  { name: '"tagsx" is not a tag context (pattern)', valid: true, make: ssWith(M1, (e) => { e.tagsx = 5; }) },
  { name: '"Tags:x" is not a tag context (pattern is case sensitive)', valid: true, make: ssWith(M1, (e) => { e['Tags:x'] = 5; }) },
  { name: '"x.tags:y" is not a tag context (pattern anchored)', valid: true, make: ssWith(M1, (e) => { e['x.tags:y'] = 5; }) },
  // additionalProperties true
  { name: 'extra keys of any kind', valid: true, make: ssWith(M2, (e) => { e.anything = [{ a: null }]; e[''] = 0; own(e, '__proto__', 5); }) },
];

const syn = () => structuredClone(smallSynthetic);
const synWith = (f: (b: Record<string, any>) => void) => () => {
  const b = syn();
  f(b);
  return b;
};
type Path = [label: string, get: (b: Record<string, any>) => Record<string, any>];
const drop = ([label, get]: Path, key: string, valid = false): Mutation => ({
  name: `${label}: drop ${key}${valid ? '' : ' (required)'}`,
  valid,
  make: synWith((b) => {
    delete get(b)[key];
  }),
});
const set = ([label, get]: Path, key: string, value: unknown, valid: boolean, what: string): Mutation => ({
  name: `${label}: ${key} ${JSON.stringify(value)} (${what})`,
  valid,
  make: synWith((b) => {
    get(b)[key] = structuredClone(value);
  }),
});
const top: Path = ['body', (b) => b];
const loc: Path = ['location', (b) => b.locations[0]];
const mon: Path = ['monitor', (b) => b.tests[1]];
const tloc: Path = ['monitor location', (b) => b.tests[0].locations[1]];
const step: Path = ['step', (b) => b.tests[0].steps[2]];
const res: Path = ['test result', (b) => b.testResults[1]];
const lres: Path = ['location result', (b) => b.testResults[0].locationResults[1]];
const sres: Path = ['step result', (b) => b.testResults[0].locationResults[0].stepResults[1]];
/** Appends a copy of item `i` of the array at `path` (a duplicate for uniqueItems), after `tweak`. */
const dup = (name: string, path: (b: Record<string, any>) => unknown[], valid: boolean, tweak: (x: any) => any = (x) => x): Mutation => ({
  name,
  valid,
  make: synWith((b) => {
    const a = path(b);
    a.push(tweak(structuredClone(a[0])));
  }),
});
const reorderKeys = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).reverse());
const longLocations = () => Array.from({ length: 12 }, (_, i) => ({ id: `L${i}`, name: 'n', n: i % 2 === 0 ? 0 : i }));

// biome-ignore format: a table, one mutation per row
const syntheticMutations: Mutation[] = [
  { name: 'a number (type)', valid: false, make: () => 42 },
  { name: 'an array (type object)', valid: false, make: () => [syn()] },
  { name: 'null (type)', valid: false, make: () => null },
  { name: 'the minimal body', valid: true, make: () => ({ syntheticEngineName: '', messageTimestamp: 0, locations: [], tests: [] }) },
  // top level: required, types
  drop(top, 'syntheticEngineName'), drop(top, 'messageTimestamp'), drop(top, 'locations'), drop(top, 'tests'),
  drop(top, 'testResults', true), drop(top, 'syntheticEngineIconUrl', true),
  set(top, 'syntheticEngineName', 5, false, 'type'),
  set(top, 'syntheticEngineIconUrl', 5, false, 'type'),
  set(top, 'syntheticEngineIconUrl', null, true, 'nullable'),
  set(top, 'messageTimestamp', 1.5, false, 'integer'),
  set(top, 'messageTimestamp', '1', false, 'integer'),
  set(top, 'messageTimestamp', 1e300, true, 'integer: any integral number'),
  set(top, 'messageTimestamp', -1, true, 'integer: no range'),
  set(top, 'locations', {}, false, 'type array'),
  set(top, 'locations', null, false, 'not nullable'),
  set(top, 'locations', [5], false, 'items type'),
  set(top, 'tests', null, false, 'not nullable'),
  set(top, 'tests', [[]], false, 'items type object'),
  set(top, 'testResults', null, true, 'nullable'),
  set(top, 'testResults', {}, false, 'type array'),
  set(top, 'extra', { any: [1] }, true, 'additionalProperties'),
  // location
  drop(loc, 'id'), drop(loc, 'name'), drop(loc, 'ip', true),
  set(loc, 'ip', 5, false, 'type'), set(loc, 'ip', null, true, 'nullable'), set(loc, 'name', 1, false, 'type'),
  // monitor
  drop(mon, 'id'), drop(mon, 'title'), drop(mon, 'scheduleIntervalInSeconds'), drop(mon, 'locations'), drop(mon, 'steps', true),
  set(mon, 'title', null, false, 'not nullable'),
  set(mon, 'description', 5, false, 'type'), set(mon, 'description', null, true, 'nullable'),
  set(mon, 'testSetup', 5, false, 'type'), set(mon, 'drilldownLink', false, false, 'type'), set(mon, 'editLink', [], false, 'type'),
  set(mon, 'editLink', 'https://x', true, 'type'),
  set(mon, 'expirationTimestamp', 1.5, false, 'integer'), set(mon, 'expirationTimestamp', null, true, 'nullable'),
  set(mon, 'enabled', 'yes', false, 'type'), set(mon, 'deleted', 0, false, 'type'), set(mon, 'deleted', true, true, 'type'),
  set(mon, 'noDataTimeout', '5', false, 'integer'), set(mon, 'noDataTimeout', 5, true, 'integer'),
  set(mon, 'scheduleIntervalInSeconds', 300.5, false, 'integer'), set(mon, 'scheduleIntervalInSeconds', null, false, 'not nullable'),
  set(mon, 'locations', null, false, 'not nullable'),
  set(mon, 'steps', null, true, 'nullable'), set(mon, 'steps', {}, false, 'type array'), set(mon, 'steps', [], true, 'empty'),
  // test location
  drop(tloc, 'id'), set(tloc, 'enabled', 'yes', false, 'type'), set(tloc, 'enabled', null, true, 'nullable'), set(tloc, 'id', 1, false, 'type'),
  // step
  drop(step, 'id'), drop(step, 'title'), set(step, 'id', 1.5, false, 'integer'), set(step, 'id', '1', false, 'integer'), set(step, 'title', null, false, 'not nullable'),
  // test result
  drop(res, 'id'), drop(res, 'locationResults'), drop(res, 'totalStepCount', true),
  set(res, 'totalStepCount', 1.5, false, 'integer'), set(res, 'totalStepCount', null, true, 'nullable'), set(res, 'locationResults', null, false, 'not nullable'),
  // location result
  drop(lres, 'id'), drop(lres, 'startTimestamp'), drop(lres, 'success'), drop(lres, 'stepResults'),
  set(lres, 'success', 'true', false, 'type'),
  set(lres, 'startTimestamp', 1.5, false, 'integer'),
  set(lres, 'responseTimeMillis', 'x', false, 'integer'), set(lres, 'responseTimeMillis', null, true, 'nullable'),
  set(lres, 'successRate', -1, false, 'minimum'), set(lres, 'successRate', -1e-9, false, 'minimum'), set(lres, 'successRate', 0, true, 'minimum'),
  set(lres, 'successRate', 100, true, 'maximum'), set(lres, 'successRate', 100.0001, false, 'maximum'), set(lres, 'successRate', 55.5, true, 'number'),
  set(lres, 'successRate', null, true, 'nullable'), set(lres, 'successRate', '50', false, 'type'),
  // step result and error
  drop(sres, 'id'), drop(sres, 'startTimestamp'), drop(sres, 'responseTimeMillis', true),
  set(sres, 'responseTimeMillis', 1.5, false, 'integer'), set(sres, 'responseTimeMillis', null, true, 'nullable'),
  set(sres, 'error', null, true, 'nullable'), set(sres, 'error', { code: 1, message: 'x' }, true, 'error'),
  set(sres, 'error', { code: '1', message: 'x' }, false, 'error.code integer'), set(sres, 'error', { code: 1 }, false, 'error.message required'),
  set(sres, 'error', { message: 'x' }, false, 'error.code required'), set(sres, 'error', [], false, 'error type object'),
  set(sres, 'error', { code: 1, message: 'x', extra: 1 }, true, 'error additionalProperties'),
  // uniqueItems at every level
  dup('locations: a duplicate (uniqueItems)', (b) => b.locations, false),
  dup('locations: a duplicate with its keys in another order (uniqueItems)', (b) => b.locations, false, reorderKeys),
  dup('locations: a near-duplicate (one value differs)', (b) => b.locations, true, (x) => ({ ...x, ip: '127.0.0.9' })),
  dup('locations: a near-duplicate (one more key)', (b) => b.locations, true, (x) => ({ ...x, extra: null })),
  dup('locations: a near-duplicate (one key fewer)', (b) => b.locations, true, (x) => { delete x.ip; return x; }),
  dup('tests: a duplicate (uniqueItems)', (b) => b.tests, false),
  dup('tests: a near-duplicate deep inside', (b) => b.tests, true, (x) => { x.steps[2].title += '!'; return x; }),
  dup('monitor locations: a duplicate (uniqueItems)', (b) => b.tests[0].locations, false),
  dup('steps: a duplicate (uniqueItems)', (b) => b.tests[0].steps, false),
  dup('testResults: a duplicate (uniqueItems)', (b) => b.testResults, false),
  dup('locationResults: a duplicate (uniqueItems)', (b) => b.testResults[0].locationResults, false),
  dup('stepResults: a duplicate (uniqueItems)', (b) => b.testResults[0].locationResults[0].stepResults, false),
  { name: 'stepResults: a duplicate with -0 for 0 (uniqueItems: -0 equals 0)', valid: false, make: synWith((b) => { const a = b.testResults[0].locationResults[0].stepResults; a[0].responseTimeMillis = 0; a.push({ ...a[0], responseTimeMillis: -0 }); }) },
  { name: 'steps: ids 0 and -0, same title (uniqueItems: -0 equals 0)', valid: false, make: synWith((b) => { b.tests[0].steps = [{ id: 0, title: 't' }, { id: -0, title: 't' }]; }) },
  { name: 'locations: [[1],2] vs [[1,2]] in an extra key (distinct; a TypeBox hash collision)', valid: true, make: synWith((b) => { b.locations = [{ id: 'a', name: 'b', x: [[1], 2] }, { id: 'a', name: 'b', x: [[1, 2]] }]; }) },
  { name: 'locations: "\\u0101" vs "\\u0001\\u0001" (distinct; a TypeBox hash collision)', valid: true, make: synWith((b) => { b.locations = [{ id: '\u0101', name: 'b' }, { id: '\u0001\u0001', name: 'b' }]; }) },
  { name: 'locations: differ only in an own __proto__ key (distinct)', valid: true, make: synWith((b) => { b.locations = [own({ id: 'a', name: 'b' }, '__proto__', 1), own({ id: 'a', name: 'b' }, '__proto__', 2)]; }) },
  { name: 'locations: equal own __proto__ keys (uniqueItems)', valid: false, make: synWith((b) => { b.locations = [own({ id: 'a', name: 'b' }, '__proto__', [1]), own({ id: 'a', name: 'b' }, '__proto__', [1])]; }) },
  { name: 'locations: {"1":…} vs {"1.0":…} style keys (distinct)', valid: true, make: synWith((b) => { b.locations = [{ id: 'a', name: 'b', 1: 'x' }, { id: 'a', name: 'b', '1.0': 'x' }]; }) },
  { name: 'locations: {"0":1} vs [1] in an extra key (distinct: an object is not an array)', valid: true, make: synWith((b) => { b.locations = [{ id: 'a', name: 'b', x: [1] }, { id: 'a', name: 'b', x: { 0: 1 } }]; }) },
  { name: 'locations: 1 vs "1" in an extra key (distinct)', valid: true, make: synWith((b) => { b.locations = [{ id: 'a', name: 'b', x: 1 }, { id: 'a', name: 'b', x: '1' }]; }) },
  // long arrays (more than 8 items: the ports bucket items by a structural hash before comparing)
  { name: 'long locations: the last a duplicate of the first, keys reordered (uniqueItems)', valid: false, make: synWith((b) => { b.locations = longLocations(); b.locations.push(reorderKeys(b.locations[0])); }) },
  { name: 'long locations: a duplicate with -0 for 0 (uniqueItems)', valid: false, make: synWith((b) => { b.locations = longLocations(); b.locations.push({ ...b.locations[4], n: -0 }); }) },
  { name: 'long locations: all distinct', valid: true, make: synWith((b) => { b.locations = longLocations(); }) },
  { name: 'long locations: a near-duplicate with one key fewer', valid: true, make: synWith((b) => { b.locations = longLocations(); b.locations.push({ id: 'L4', name: 'n' }); }) },
  { name: 'long locations: near-duplicates only (one nested value, one key, [[1],2] vs [[1,2]])', valid: true, make: synWith((b) => {
    b.locations = [...longLocations(), { id: 'L0', name: 'n', n: 0, x: [[1], 2] }, { id: 'L0', name: 'n', n: 0, x: [[1, 2]] }, { id: 'L0', name: 'n', n: 0, x: { a: [1] } }, { id: 'L0', name: 'n', n: 0, x: { a: [1], b: null } }];
  }) },
  { name: 'long tests: the bench monitors plus a copy of one (uniqueItems)', valid: false, make: () => { const b = structuredClone(bench['synthetic-tests']); b.tests.push(structuredClone(b.tests[500])); return b; } },
  { name: 'long testResults: the bench results plus a copy of one (uniqueItems)', valid: false, make: () => { const b = structuredClone(bench['synthetic-tests']); b.testResults.push(reorderKeys(structuredClone(b.testResults[999]))); return b; } },
];

describe.each([
  ['generic-events', genericMutations],
  ['smartscape-events', smartscapeMutations],
  ['synthetic-tests', syntheticMutations],
] as [Schema, Mutation[]][])('%s: one mutation per keyword', (schema, mutations) => {
  test('the mutation names are unique', () => {
    expect(new Set(mutations.map((m) => m.name)).size).toBe(mutations.length);
  });
  test.each(mutations.map((m) => [m.name, m] as const))('%s', (_n, m) => {
    const value = m.make();
    expect(oracle[schema](value), 'ajv').toBe(m.valid);
    expect(verdicts(schema, value)).toEqual(all(m.valid));
  });
});

// ------------------------------------------------------------------------------------------------
// (c) generated values: random JSON, generated valid bodies, and near-valid bodies (one random edit)

/**
 * ajv's uniqueItems uses fast-deep-equal, which compares an own `constructor` key by reference and
 * calls an own `valueOf`/`toString` key (throwing when it is not a function). fast-check likes those
 * key names; where ajv's verdict can be off that way (synthetic bodies only: the one schema with
 * uniqueItems), the case is skipped. The block at the end pins both.
 */
function hasEqualityQuirk(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasEqualityQuirk);
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  if (Object.hasOwn(o, 'valueOf') || Object.hasOwn(o, 'toString')) return true;
  if (Object.hasOwn(o, 'constructor') && o.constructor !== null && typeof o.constructor === 'object') return true;
  return Object.keys(o).some((k) => hasEqualityQuirk(o[k]));
}
function expectAgreement(schema: Schema, value: unknown): void {
  const want = ajvSays(schema, value);
  if (schema === 'synthetic-tests') fc.pre(want !== undefined && !hasEqualityQuirk(value));
  expect(want, 'ajv threw').not.toBe(undefined);
  expect(verdicts(schema, value), JSON.stringify(value)).toEqual(all(want!));
}

/** One random edit of a body: replace a value, delete a key, duplicate an array item, or add a key. */
const edited = <B>(arb: fc.Arbitrary<B>) =>
  fc
    .tuple(arb, fc.jsonValue({ maxDepth: 2 }), fc.nat(), fc.constantFrom('replace', 'delete', 'duplicate', 'add'), fc.string({ maxLength: 8 }))
    .map(([body, value, n, op, key]) => {
      const c = structuredClone(body) as unknown;
      const containers: (Record<string, unknown> | unknown[])[] = [];
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
      if (op === 'duplicate' && Array.isArray(target) && target.length) target.push(structuredClone(target[n % target.length]));
      else if (op === 'delete' && keys.length) {
        if (Array.isArray(target)) target.splice(n % target.length, 1);
        else delete target[keys[n % keys.length]!];
      } else if (op === 'add' && !Array.isArray(target)) own(target, key, value);
      else if (keys.length) (target as Record<string, unknown>)[keys[n % keys.length]!] = value;
      return asJson(c);
    });

const generated = { 'generic-events': genericBody, 'smartscape-events': smartscapeBody, 'synthetic-tests': syntheticBody } as Record<
  Schema,
  fc.Arbitrary<unknown>
>;

describe("generated values: every port gives ajv's verdict", () => {
  test.each(SCHEMAS)('%s: random JSON values', (s) =>
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }).map(asJson), (v) => expectAgreement(s, v)),
      { numRuns: NUM_RUNS },
    ),
  );
  test.each(SCHEMAS)('%s: generated valid bodies are accepted', (s) =>
    fc.assert(
      fc.property(generated[s], (b) => {
        expect(oracle[s](b)).toBe(true);
        expect(verdicts(s, b)).toEqual(all(true));
      }),
      { numRuns: NUM_RUNS },
    ),
  );
  test.each(SCHEMAS)('%s: near-valid bodies (one random edit)', (s) =>
    fc.assert(
      fc.property(edited(generated[s]), (v) => expectAgreement(s, v)),
      { numRuns: NUM_RUNS },
    ),
  );
  test.each(['smartscape-events', 'synthetic-tests'] as Schema[])('%s: near-valid bodies reach both verdicts', (s) => {
    // guards the property above against a generator that only ever yields valid (or invalid) bodies
    const sample = fc.sample(edited(generated[s]), { numRuns: 300, seed: 42 }).map((v) => ajvSays(s, v));
    expect(sample.filter((x) => x === true).length).toBeGreaterThan(20);
    expect(sample.filter((x) => x === false).length).toBeGreaterThan(20);
  });
});

// ------------------------------------------------------------------------------------------------
// where ajv's uniqueItems departs from JSON Schema (fast-deep-equal); the ports follow JSON Schema

describe('known departures of ajv from JSON Schema (uniqueItems)', () => {
  const base = () => ({ syntheticEngineName: 'e', messageTimestamp: 0, tests: [] as unknown[] });
  test('two equal locations whose own "constructor" holds an object: ajv accepts (compares by reference), the ports reject', () => {
    const body = asJson({
      ...base(),
      locations: [
        { id: 'a', name: 'b', constructor: {} },
        { id: 'a', name: 'b', constructor: {} },
      ],
    });
    expect(oracle['synthetic-tests'](body)).toBe(true);
    expect(verdicts('synthetic-tests', body)).toEqual(all(false));
    // the same two items with a scalar there are duplicates for ajv as well
    const scalar = asJson({
      ...base(),
      locations: [
        { id: 'a', name: 'b', constructor: 1 },
        { id: 'a', name: 'b', constructor: 1 },
      ],
    });
    expect(oracle['synthetic-tests'](scalar)).toBe(false);
    expect(verdicts('synthetic-tests', scalar)).toEqual(all(false));
  });
  test('an own "valueOf" key: ajv throws, the ports judge the items distinct', () => {
    const body = asJson({
      ...base(),
      locations: [
        { id: 'a', name: 'b' },
        { id: 'a', name: 'b', valueOf: 1 },
      ] as Record<string, unknown>[],
    });
    expect(() => oracle['synthetic-tests'](body)).toThrow(TypeError);
    expect(verdicts('synthetic-tests', body)).toEqual(all(true));
  });
});
