// The shipped JSON Schemas (schemas/generic-events, smartscape-events, synthetic-tests .schema.json,
// draft 2020-12) written by hand in TypeBox (compiled with TypeCompiler), zod 4 and valibot 1: the
// peers timed by bench/events.mjs. test/unit/events/peers.test.ts checks that every port gives ajv's
// verdict (ajv compiled from the same schema files) on the benchmark bodies, on one mutation per
// schema keyword and on generated JSON.
//
// Each port states the same contract as its schema file, keyword by keyword. Where a library has no
// exact counterpart of a keyword, or its built-in differs from the JSON Schema reading, the port uses
// a check of the library (TypeBox: a registered format or kind; zod: z.custom/.refine; valibot:
// v.check) and a comment says why at that spot. The shared pieces (the date-time format, JSON equality
// for uniqueItems, the key guards) are defined once below so the three libraries judge them alike.
//
//   import { peers } from './peers.mjs';
//   peers['smartscape-events'].zod(value) // true when valid
import { FormatRegistry, Kind, Type, TypeRegistry } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { z } from 'zod';
import * as v from 'valibot';

// --- shared pieces -----------------------------------------------------------------------------

/** JSON Schema `type: "object"`: a non-null object that is not an array. */
const isJsonObject = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);

// `format: "date-time"` as ajv-formats reads it in its default ("full") mode, which the ajv oracle
// uses: RFC 3339 date (days per month, leap years), `T`, `t` or any white space as the separator,
// a time zone required (`Z`, `z`, `+hh`, `+hhmm`, `+hh:mm`), a leap second allowed at 23:59:60 UTC.
// None of the libraries' built-ins is this: zod's z.iso.datetime() rejects a space or lower-case
// separator, `+0100`, `+01` and leap seconds; valibot's v.isoTimestamp() rejects lower case and leap
// seconds but accepts 2024-02-30; TypeBox ships no formats at all. So all three call this function.
const DATE = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const TIME = /^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$/i;
const DATE_TIME_SEPARATOR = /t|\s/i;
const isLeapYear = (y) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
function isDate(s) {
  const m = DATE.exec(s);
  if (!m) return false;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && isLeapYear(year) ? 29 : DAYS[month]);
}
function isTime(s) {
  const m = TIME.exec(s);
  if (!m) return false;
  const hr = +m[1];
  const min = +m[2];
  const sec = +m[3];
  const tz = m[4];
  const tzSign = m[5] === '-' ? -1 : 1;
  const tzH = +(m[6] || 0);
  const tzM = +(m[7] || 0);
  if (tzH > 23 || tzM > 59 || !tz) return false;
  if (hr <= 23 && min <= 59 && sec < 60) return true;
  // leap second: 23:59:60 in UTC
  const utcMin = min - tzM * tzSign;
  const utcHr = hr - tzH * tzSign - (utcMin < 0 ? 1 : 0);
  return (utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1) && sec < 61;
}
/** RFC 3339 date-time, exactly as ajv-formats' `date-time` format ("full" mode). */
export function isDateTime(s) {
  const parts = s.split(DATE_TIME_SEPARATOR);
  return parts.length === 2 && isDate(parts[0]) && isTime(parts[1]);
}

// `uniqueItems: true`: no two items are equal JSON values (object key order does not matter, 0
// equals -0). Short arrays are compared pair by pair; longer ones are bucketed by a structural hash
// (equal values hash alike; key order does not enter it) and compared exactly within a bucket, so the
// check stays linear where ajv compares every pair. None of the libraries has an exact built-in:
// TypeBox's `uniqueItems` compares FNV-1a hashes alone, which collide on different values ([[1],2] vs
// [[1,2]], "\u0101" vs "\u0001\u0001") and tell 0 from -0; zod and valibot have no uniqueItems.
/** Equality of two JSON values (as JSON Schema defines it for const, enum and uniqueItems). */
export function jsonEqual(a, b) {
  if (a === b) return true; // also 0 and -0
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (!Object.hasOwn(b, k) || !jsonEqual(a[k], b[k])) return false;
  return true;
}
function hashString(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}
function hashJson(x) {
  switch (typeof x) {
    case 'string':
      return hashString(x);
    case 'number':
      return hashString(String(x)) ^ 0x5bd1e995; // String(-0) is "0"
    case 'boolean':
      return x ? 0x27d4eb2f : 0x165667b1;
    default:
      break;
  }
  if (x === null) return 0x61c88647;
  if (Array.isArray(x)) {
    let h = 0x3c6ef372 ^ x.length;
    for (let i = 0; i < x.length; i++) h = Math.imul(h ^ hashJson(x[i]), 0x01000193);
    return h;
  }
  let h = 0x1b873593;
  for (const k of Object.keys(x)) h = (h + Math.imul(hashString(k) ^ 0x7feb352d, hashJson(x[k]) | 1)) | 0; // a sum: order free
  return h;
}
/** True when no two items of the array are equal JSON values. */
export function uniqueJsonItems(a) {
  const n = a.length;
  if (n <= 8) {
    for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) if (jsonEqual(a[i], a[j])) return false;
    return true;
  }
  const buckets = new Map();
  for (const item of a) {
    const h = hashJson(item);
    const seen = buckets.get(h);
    if (seen === undefined) {
      buckets.set(h, [item]);
      continue;
    }
    for (const other of seen) if (jsonEqual(item, other)) return false;
    seen.push(item);
  }
  return true;
}

// The identity `oneOf` of the Smartscape schema (Mode 1: `id` a string, `type` absent or null;
// Mode 2: `type` a string, `id_components` an array, `id` absent or null): exactly one mode holds.
// The two modes exclude each other (`id` a string vs `id` absent or null), so anyOf would do too.
const exactlyOneMode = (o) => {
  const mode1 = typeof o.id === 'string' && o.type == null;
  const mode2 = typeof o.type === 'string' && Array.isArray(o.id_components) && o.id == null;
  return mode1 !== mode2;
};
const TAGS = /^tags:/;

// --- TypeBox (TypeCompiler) ----------------------------------------------------------------------
// Type.Union is anyOf; it stands for the schemas' oneOf where the branches exclude each other (an
// object vs an array at the top; the two identity modes). Optional properties accept a missing key
// (TypeBox's default policy also accepts an explicit undefined, which JSON cannot carry). Arrays are
// not objects (TypeSystemPolicy.AllowArrayObject is false by default).

FormatRegistry.Set('date-time', isDateTime);
TypeRegistry.Set('UniqueJsonItems', (_schema, value) => Array.isArray(value) && uniqueJsonItems(value));
/** `{ type: array, uniqueItems: true, items }`: see uniqueJsonItems for why not `{ uniqueItems: true }`. */
const tbSet = (items) => Type.Intersect([Type.Array(items), Type.Unsafe({ [Kind]: 'UniqueJsonItems' })]);
const tbNullable = (t) => Type.Union([Type.Null(), t]);
/** A property that may be absent or null (`type: [X, "null"]`, not required). */
const tbOpt = (t) => Type.Optional(tbNullable(t));
// `{ type: object, additionalProperties: S }` is written as Type.Object({}, { additionalProperties: S }),
// not Type.Record(Type.String(), S): that Record is the pattern `^(.*)$`, which does not match a key
// holding a line break, and such a key's value would then go unchecked.
const tbMapOf = (s, options = {}) => Type.Object({}, { ...options, additionalProperties: s });

// generic events: one event object or an array of them; `timestamp` unconstrained; any other keys.
const tbEvent = Type.Object({ timestamp: Type.Optional(Type.Unknown()) }, { additionalProperties: true });
const tbGeneric = TypeCompiler.Compile(Type.Union([tbEvent, Type.Array(tbEvent)]));

// Smartscape events
const tbSmartscapeId = Type.String({ pattern: '^[A-Z][A-Z0-9_]*-[0-9A-F]{16}$' });
const tbSmartscapeType = Type.String({ pattern: '^[A-Z][A-Z0-9_]*$' });
const tbIdComponents = Type.Array(tbMapOf(Type.String(), { minProperties: 1, maxProperties: 1 }), { minItems: 1 });
// identity: the schema's `properties` (id, type, id_components each null or valid) merged into the
// two `oneOf` modes, which is the same set of objects.
const tbIdentity = Type.Union([
  Type.Object({ id: tbSmartscapeId, type: Type.Optional(Type.Null()), id_components: tbOpt(tbIdComponents) }),
  Type.Object({ type: tbSmartscapeType, id_components: tbIdComponents, id: Type.Optional(Type.Null()) }),
]);
const tbEdges = tbNullable(tbMapOf(Type.Array(tbIdentity)));
const tbSmartscapeEvent = Type.Intersect([
  tbIdentity,
  Type.Object({
    'event.version': tbOpt(Type.Literal(1)),
    timestamp: Type.Optional(Type.Union([Type.Null(), Type.String({ format: 'date-time' }), Type.Number({ exclusiveMinimum: 0 })])),
    update_lifetime: tbOpt(Type.Boolean()),
    'dt.security_context': Type.Optional(Type.Union([Type.Null(), Type.String(), Type.Array(Type.String())])),
    static_edges: Type.Optional(tbEdges),
    dynamic_edges: Type.Optional(tbEdges),
  }),
  // patternProperties `^tags:` (keys not matching it are free: additionalProperties true)
  Type.Record(Type.String({ pattern: '^tags:' }), tbNullable(tbMapOf(Type.String()))),
]);
const tbSmartscape = TypeCompiler.Compile(Type.Union([tbSmartscapeEvent, Type.Array(tbSmartscapeEvent)]));

// synthetic tests (every object open: extra keys accepted)
const tbLocation = Type.Object({ id: Type.String(), name: Type.String(), ip: tbOpt(Type.String()) });
const tbTestLocation = Type.Object({ id: Type.String(), enabled: tbOpt(Type.Boolean()) });
const tbStep = Type.Object({ id: Type.Integer(), title: Type.String() });
const tbMonitor = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: tbOpt(Type.String()),
  testSetup: tbOpt(Type.String()),
  drilldownLink: tbOpt(Type.String()),
  editLink: tbOpt(Type.String()),
  expirationTimestamp: tbOpt(Type.Integer()),
  enabled: tbOpt(Type.Boolean()),
  deleted: tbOpt(Type.Boolean()),
  noDataTimeout: tbOpt(Type.Integer()),
  scheduleIntervalInSeconds: Type.Integer(),
  locations: tbSet(tbTestLocation),
  steps: tbOpt(tbSet(tbStep)),
});
const tbError = Type.Object({ code: Type.Integer(), message: Type.String() });
const tbStepResult = Type.Object({ id: Type.Integer(), startTimestamp: Type.Integer(), responseTimeMillis: tbOpt(Type.Integer()), error: tbOpt(tbError) });
const tbLocationResult = Type.Object({
  id: Type.String(),
  startTimestamp: Type.Integer(),
  success: Type.Boolean(),
  responseTimeMillis: tbOpt(Type.Integer()),
  successRate: tbOpt(Type.Number({ minimum: 0, maximum: 100 })),
  stepResults: tbSet(tbStepResult),
});
const tbTestResult = Type.Object({ id: Type.String(), totalStepCount: tbOpt(Type.Integer()), locationResults: tbSet(tbLocationResult) });
const tbSynthetic = TypeCompiler.Compile(
  Type.Object({
    syntheticEngineName: Type.String(),
    syntheticEngineIconUrl: tbOpt(Type.String()),
    messageTimestamp: Type.Integer(),
    locations: tbSet(tbLocation),
    tests: tbSet(tbMonitor),
    testResults: tbOpt(tbSet(tbTestResult)),
  }),
);

// --- zod 4 -------------------------------------------------------------------------------------
// z.looseObject for every schema object (additionalProperties true; z.object would accept the same
// values but strip the extra keys). z.union stands for oneOf where the branches exclude each other.
// `.nullable().optional()` is a property that may be absent or null.

// `type: integer`: z.int() and z.number().int() also demand a safe integer (|x| <= 2^53 - 1); JSON
// Schema (and ajv) take any number without a fraction, such as 1e300.
const zInt = z.number().refine(Number.isInteger);
const zDateTime = z.string().refine(isDateTime); // see isDateTime for why not z.iso.datetime()
// `{ type: object, additionalProperties: S }` (+ min/maxProperties as `entries`): z.record skips an own
// "__proto__" key without checking its value (a prototype-pollution guard), and zod has no
// min/maxProperties, so the raw object is checked for both before z.record reads it.
const zMapOf = (s, entries) =>
  z
    .custom(
      (o) =>
        isJsonObject(o) &&
        (entries === undefined || Object.keys(o).length === entries) &&
        (!Object.hasOwn(o, '__proto__') || s.safeParse(Object.getOwnPropertyDescriptor(o, '__proto__')?.value).success),
    )
    .pipe(z.record(z.string(), s));
// `uniqueItems: true` on the raw array (see uniqueJsonItems; zod has none): the parsed items of
// z.array(z.looseObject(...)) lack an own "__proto__" key, so the check must precede the parse.
const zSet = (items) => z.custom((a) => Array.isArray(a) && uniqueJsonItems(a)).pipe(z.array(items));

// generic events
const zEvent = z.looseObject({ timestamp: z.unknown().optional() });
const zGeneric = z.union([zEvent, z.array(zEvent)]);

// Smartscape events
const zSmartscapeId = z.string().regex(/^[A-Z][A-Z0-9_]*-[0-9A-F]{16}$/);
const zSmartscapeType = z.string().regex(/^[A-Z][A-Z0-9_]*$/);
const zIdComponents = z.array(zMapOf(z.string(), 1)).min(1);
// identity: `properties` as a shape, `oneOf` as a refinement (z.xor would parse both modes in full).
const zIdentityShape = {
  id: zSmartscapeId.nullable().optional(),
  type: zSmartscapeType.nullable().optional(),
  id_components: zIdComponents.nullable().optional(),
};
const zEdges = zMapOf(z.array(z.looseObject(zIdentityShape).refine(exactlyOneMode))).nullable();
const zTagContext = zMapOf(z.string()).nullable();
// patternProperties `^tags:`: zod has no pattern-keyed properties on an open object (z.looseRecord
// would need an intersection that parses the event twice), so a refinement checks those keys.
const zSmartscapeEvent = z
  .looseObject({
    ...zIdentityShape,
    'event.version': z.literal(1).nullable().optional(),
    timestamp: z.union([z.null(), zDateTime, z.number().gt(0)]).optional(),
    update_lifetime: z.boolean().nullable().optional(),
    'dt.security_context': z.union([z.null(), z.string(), z.array(z.string())]).optional(),
    static_edges: zEdges.optional(),
    dynamic_edges: zEdges.optional(),
  })
  .refine(exactlyOneMode)
  .refine((o) => Object.keys(o).every((k) => !TAGS.test(k) || zTagContext.safeParse(o[k]).success));
const zSmartscape = z.union([zSmartscapeEvent, z.array(zSmartscapeEvent)]);

// synthetic tests
const zLocation = z.looseObject({ id: z.string(), name: z.string(), ip: z.string().nullable().optional() });
const zTestLocation = z.looseObject({ id: z.string(), enabled: z.boolean().nullable().optional() });
const zStep = z.looseObject({ id: zInt, title: z.string() });
const zMonitor = z.looseObject({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable().optional(),
  testSetup: z.string().nullable().optional(),
  drilldownLink: z.string().nullable().optional(),
  editLink: z.string().nullable().optional(),
  expirationTimestamp: zInt.nullable().optional(),
  enabled: z.boolean().nullable().optional(),
  deleted: z.boolean().nullable().optional(),
  noDataTimeout: zInt.nullable().optional(),
  scheduleIntervalInSeconds: zInt,
  locations: zSet(zTestLocation),
  steps: zSet(zStep).nullable().optional(),
});
const zError = z.looseObject({ code: zInt, message: z.string() });
const zStepResult = z.looseObject({ id: zInt, startTimestamp: zInt, responseTimeMillis: zInt.nullable().optional(), error: zError.nullable().optional() });
const zLocationResult = z.looseObject({
  id: z.string(),
  startTimestamp: zInt,
  success: z.boolean(),
  responseTimeMillis: zInt.nullable().optional(),
  successRate: z.number().min(0).max(100).nullable().optional(),
  stepResults: zSet(zStepResult),
});
const zTestResult = z.looseObject({ id: z.string(), totalStepCount: zInt.nullable().optional(), locationResults: zSet(zLocationResult) });
const zSynthetic = z.looseObject({
  syntheticEngineName: z.string(),
  syntheticEngineIconUrl: z.string().nullable().optional(),
  messageTimestamp: zInt,
  locations: zSet(zLocation),
  tests: zSet(zMonitor),
  testResults: zSet(zTestResult).nullable().optional(),
});

// --- valibot 1 ---------------------------------------------------------------------------------
// v.looseObject for every schema object (additionalProperties true). v.union stands for oneOf where
// the branches exclude each other. v.nullish(X) is a property that may be absent or null.
// valibot's object and record schemas accept ARRAYS (any non-null `typeof "object"`), and their output
// is a new object, so "not an array" has to be checked on the raw value before them. Where a required
// key is involved (every synthetic object, both identity modes) an array already fails, having no
// such key, and no guard is added.

const vInt = v.pipe(v.number(), v.integer()); // Number.isInteger: any integral number, like JSON Schema
const vDateTime = v.pipe(v.string(), v.check(isDateTime)); // see isDateTime for why not v.isoTimestamp()
// `{ type: object, additionalProperties: S }` (+ min/maxProperties as `entries`): besides accepting
// arrays, v.record skips own keys "__proto__", "prototype" and "constructor" without checking their
// values, and v.entries() would count the record's output, which lacks them: the raw object is
// checked for all three before v.record reads it.
const GUARDED = ['__proto__', 'prototype', 'constructor'];
const vMapOf = (s, entries) =>
  v.pipe(
    v.unknown(),
    v.check(
      (o) => isJsonObject(o) && (entries === undefined || Object.keys(o).length === entries) && GUARDED.every((k) => !Object.hasOwn(o, k) || v.is(s, o[k])),
    ),
    v.record(v.string(), s),
  );
// `uniqueItems: true` on the raw array (valibot has none; its parsed objects lack the guarded keys).
const vSet = (items) =>
  v.pipe(
    v.unknown(),
    v.check((a) => Array.isArray(a) && uniqueJsonItems(a)),
    v.array(items),
  );

// generic events (no required key, so the array guard is needed)
const vEvent = v.pipe(v.unknown(), v.check(isJsonObject), v.looseObject({ timestamp: v.optional(v.unknown()) }));
const vGeneric = v.union([vEvent, v.array(vEvent)]);

// Smartscape events
const vSmartscapeId = v.pipe(v.string(), v.regex(/^[A-Z][A-Z0-9_]*-[0-9A-F]{16}$/));
const vSmartscapeType = v.pipe(v.string(), v.regex(/^[A-Z][A-Z0-9_]*$/));
const vIdComponents = v.pipe(v.array(vMapOf(v.string(), 1)), v.minLength(1));
// identity: `properties` as entries, `oneOf` as a check (which an array fails: it has no `id`/`type`).
const vIdentityEntries = { id: v.nullish(vSmartscapeId), type: v.nullish(vSmartscapeType), id_components: v.nullish(vIdComponents) };
const vEdges = v.nullable(vMapOf(v.array(v.pipe(v.looseObject(vIdentityEntries), v.check(exactlyOneMode)))));
const vTagContext = v.nullable(vMapOf(v.string()));
// patternProperties `^tags:`: valibot has no pattern-keyed entries on an open object (v.record would
// reject every other key), so a check reads those keys.
const vSmartscapeEvent = v.pipe(
  v.looseObject({
    ...vIdentityEntries,
    'event.version': v.nullish(v.literal(1)),
    timestamp: v.nullish(v.union([vDateTime, v.pipe(v.number(), v.gtValue(0))])),
    update_lifetime: v.nullish(v.boolean()),
    'dt.security_context': v.nullish(v.union([v.string(), v.array(v.string())])),
    static_edges: v.optional(vEdges),
    dynamic_edges: v.optional(vEdges),
  }),
  v.check(exactlyOneMode),
  v.check((o) => Object.keys(o).every((k) => !TAGS.test(k) || v.is(vTagContext, o[k]))),
);
const vSmartscape = v.union([vSmartscapeEvent, v.array(vSmartscapeEvent)]);

// synthetic tests
const vLocation = v.looseObject({ id: v.string(), name: v.string(), ip: v.nullish(v.string()) });
const vTestLocation = v.looseObject({ id: v.string(), enabled: v.nullish(v.boolean()) });
const vStep = v.looseObject({ id: vInt, title: v.string() });
const vMonitor = v.looseObject({
  id: v.string(),
  title: v.string(),
  description: v.nullish(v.string()),
  testSetup: v.nullish(v.string()),
  drilldownLink: v.nullish(v.string()),
  editLink: v.nullish(v.string()),
  expirationTimestamp: v.nullish(vInt),
  enabled: v.nullish(v.boolean()),
  deleted: v.nullish(v.boolean()),
  noDataTimeout: v.nullish(vInt),
  scheduleIntervalInSeconds: vInt,
  locations: vSet(vTestLocation),
  steps: v.nullish(vSet(vStep)),
});
const vError = v.looseObject({ code: vInt, message: v.string() });
const vStepResult = v.looseObject({ id: vInt, startTimestamp: vInt, responseTimeMillis: v.nullish(vInt), error: v.nullish(vError) });
const vLocationResult = v.looseObject({
  id: v.string(),
  startTimestamp: vInt,
  success: v.boolean(),
  responseTimeMillis: v.nullish(vInt),
  successRate: v.nullish(v.pipe(v.number(), v.minValue(0), v.maxValue(100))),
  stepResults: vSet(vStepResult),
});
const vTestResult = v.looseObject({ id: v.string(), totalStepCount: v.nullish(vInt), locationResults: vSet(vLocationResult) });
const vSynthetic = v.looseObject({
  syntheticEngineName: v.string(),
  syntheticEngineIconUrl: v.nullish(v.string()),
  messageTimestamp: vInt,
  locations: vSet(vLocation),
  tests: vSet(vMonitor),
  testResults: v.nullish(vSet(vTestResult)),
});

// --- exports -------------------------------------------------------------------------------------

/** Per schema file: `(value) => boolean` for an already parsed JSON value, one per library. */
export const peers = {
  'generic-events': {
    typebox: (x) => tbGeneric.Check(x),
    zod: (x) => zGeneric.safeParse(x).success,
    valibot: (x) => v.safeParse(vGeneric, x).success,
  },
  'smartscape-events': {
    typebox: (x) => tbSmartscape.Check(x),
    zod: (x) => zSmartscape.safeParse(x).success,
    valibot: (x) => v.safeParse(vSmartscape, x).success,
  },
  'synthetic-tests': {
    typebox: (x) => tbSynthetic.Check(x),
    zod: (x) => zSynthetic.safeParse(x).success,
    valibot: (x) => v.safeParse(vSynthetic, x).success,
  },
};
