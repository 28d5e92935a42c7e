/**
 * Third-party synthetic: `POST /api/v1/synthetic/ext/tests` (seed 002 plus the v1 OpenAPI spec).
 *
 * Classic API: a JSON type that does not fit the model is a mapping error (`Could not map JSON at
 * '...'`, the Java endpoint fails before validating); a missing or `null` required field is a
 * constraint violation `must not be null` (Hibernate Validator's text); arrays are sets (unique
 * items). Then the business rule of the server: a `startTimestamp` more than 10 minutes in the
 * future. Cross references (results for unknown monitors, unknown locations or steps) are warnings,
 * errors under `strictCrossReferences`. Explicit `null` for optional fields is accepted (*lib*).
 *
 * @module
 */
import type { BodyInput } from './common.js';
import { finish, forEachDuplicate, isInteger, isObject, isRawBody, isResult, readInput } from './common.js';
import type { SyntheticValidationResult } from './envelopes.js';
import { IssueCollector, toClassicPath } from './envelopes.js';
import type { PathSegment } from './json.js';
import type { EventsOptions, EventsSettings, ResolvedEventsOptions } from './options.js';
import { EVENTS_CONSTANTS, callerNow, eventsSettings } from './options.js';
import { EVENT_RULES } from './rules.js';

// Outcome of a field check: fine, missing/null while required, or the wrong JSON type.
const OK = 0;
const MISSING = 1;
const WRONG = 2;

function kString(v: unknown, required: boolean): number {
  if (v === undefined || v === null) return required ? MISSING : OK;
  return typeof v === 'string' ? OK : WRONG;
}
function kInteger(v: unknown, required: boolean): number {
  if (v === undefined || v === null) return required ? MISSING : OK;
  return isInteger(v) ? OK : WRONG;
}
function kNumber(v: unknown, required: boolean): number {
  if (v === undefined || v === null) return required ? MISSING : OK;
  return typeof v === 'number' ? OK : WRONG;
}
function kBoolean(v: unknown, required: boolean): number {
  if (v === undefined || v === null) return required ? MISSING : OK;
  return typeof v === 'boolean' ? OK : WRONG;
}
function kArray(v: unknown, required: boolean): number {
  if (v === undefined || v === null) return required ? MISSING : OK;
  return Array.isArray(v) ? OK : WRONG;
}
function kObject(v: unknown, required: boolean): number {
  if (v === undefined || v === null) return required ? MISSING : OK;
  return isObject(v) ? OK : WRONG;
}

/** Reports a failed field check (error path only). */
function bad(c: IssueCollector, kind: number, expected: string, value: unknown, path: PathSegment[]): void {
  const name = toClassicPath(path);
  if (kind === MISSING) c.add(EVENT_RULES.SYNTHETIC_REQUIRED, path, value === null ? null : undefined, { name });
  else c.add(EVENT_RULES.SYNTHETIC_TYPE, path, value, { name, max: expected });
}

function unique(c: IssueCollector, arr: unknown[], base: PathSegment[]): void {
  forEachDuplicate(arr, (i, j) => {
    const path = base.concat(i);
    c.add(EVENT_RULES.SYNTHETIC_NOT_UNIQUE, path, arr[i], { name: toClassicPath(base), n: j });
  });
}

/** *server*: "The property 'locationResult/startTimestamp' is only allowed to lie 10 minutes in the future at max". */
function future(c: IssueCollector, o: EventsSettings, now: number, ts: number, property: string, path: PathSegment[]): void {
  c.add(EVENT_RULES.SYNTHETIC_TIMESTAMP_FUTURE, path, ts, { name: property, n: ts - now, max: o.syntheticFutureMs });
}

function checkMonitor(c: IssueCollector, m: unknown, i: number): void {
  if (!isObject(m)) {
    bad(c, WRONG, 'an object', m, ['tests', i]);
    return;
  }
  let k: number;
  if ((k = kString(m.id, true))) bad(c, k, 'a string', m.id, ['tests', i, 'id']);
  if ((k = kString(m.title, true))) bad(c, k, 'a string', m.title, ['tests', i, 'title']);
  if ((k = kInteger(m.scheduleIntervalInSeconds, true))) bad(c, k, 'an integer', m.scheduleIntervalInSeconds, ['tests', i, 'scheduleIntervalInSeconds']);
  if ((k = kString(m.description, false))) bad(c, k, 'a string', m.description, ['tests', i, 'description']);
  if ((k = kString(m.testSetup, false))) bad(c, k, 'a string', m.testSetup, ['tests', i, 'testSetup']);
  if ((k = kString(m.drilldownLink, false))) bad(c, k, 'a string', m.drilldownLink, ['tests', i, 'drilldownLink']);
  if ((k = kString(m.editLink, false))) bad(c, k, 'a string', m.editLink, ['tests', i, 'editLink']);
  if ((k = kInteger(m.expirationTimestamp, false))) bad(c, k, 'an integer', m.expirationTimestamp, ['tests', i, 'expirationTimestamp']);
  if ((k = kBoolean(m.enabled, false))) bad(c, k, 'a boolean', m.enabled, ['tests', i, 'enabled']);
  if ((k = kBoolean(m.deleted, false))) bad(c, k, 'a boolean', m.deleted, ['tests', i, 'deleted']);
  if (m.enabled === true && m.deleted === true) c.add(EVENT_RULES.SYNTHETIC_ENABLED_DELETED, ['tests', i], undefined);
  if ((k = kInteger(m.noDataTimeout, false))) bad(c, k, 'an integer', m.noDataTimeout, ['tests', i, 'noDataTimeout']);
  const locs = m.locations;
  if ((k = kArray(locs, true))) bad(c, k, 'an array', locs, ['tests', i, 'locations']);
  else {
    const arr = locs as unknown[];
    for (let j = 0; j < arr.length; j++) {
      const l = arr[j];
      if (!isObject(l)) {
        bad(c, WRONG, 'an object', l, ['tests', i, 'locations', j]);
        continue;
      }
      if ((k = kString(l.id, true))) bad(c, k, 'a string', l.id, ['tests', i, 'locations', j, 'id']);
      if ((k = kBoolean(l.enabled, false))) bad(c, k, 'a boolean', l.enabled, ['tests', i, 'locations', j, 'enabled']);
    }
    unique(c, arr, ['tests', i, 'locations']);
  }
  const steps = m.steps;
  if ((k = kArray(steps, false))) bad(c, k, 'an array', steps, ['tests', i, 'steps']);
  else if (Array.isArray(steps)) {
    const stepIds = steps.length > 16 ? new Set<number>() : undefined;
    for (let j = 0; j < steps.length && !c.full; j++) {
      const s = steps[j];
      if (!isObject(s)) {
        bad(c, WRONG, 'an object', s, ['tests', i, 'steps', j]);
        continue;
      }
      if ((k = kInteger(s.id, true))) bad(c, k, 'an integer', s.id, ['tests', i, 'steps', j, 'id']);
      if ((k = kString(s.title, true))) bad(c, k, 'a string', s.title, ['tests', i, 'steps', j, 'title']);
      // "ID of the step. It is unique within the test definition" (v1 OpenAPI). Pairwise for short
      // lists, a set beyond (a hostile huge list stays linear).
      if (isInteger(s.id)) {
        let dup = false;
        if (stepIds !== undefined) {
          dup = stepIds.has(s.id);
          stepIds.add(s.id);
        } else {
          for (let q = 0; q < j; q++) {
            const prev = steps[q];
            if (isObject(prev) && prev.id === s.id) {
              dup = true;
              break;
            }
          }
        }
        if (dup) c.add(EVENT_RULES.SYNTHETIC_STEP_ID_DUPLICATE, ['tests', i, 'steps', j, 'id'], s.id, { n: s.id });
      }
    }
    unique(c, steps, ['tests', i, 'steps']);
  }
}

function checkStepResult(c: IssueCollector, o: EventsSettings, now: number, s: unknown, i: number, j: number, q: number): void {
  if (!isObject(s)) {
    bad(c, WRONG, 'an object', s, ['testResults', i, 'locationResults', j, 'stepResults', q]);
    return;
  }
  let k: number;
  if ((k = kInteger(s.id, true))) bad(c, k, 'an integer', s.id, ['testResults', i, 'locationResults', j, 'stepResults', q, 'id']);
  if ((k = kInteger(s.startTimestamp, true)))
    bad(c, k, 'an integer', s.startTimestamp, ['testResults', i, 'locationResults', j, 'stepResults', q, 'startTimestamp']);
  else if ((s.startTimestamp as number) > now + o.syntheticFutureMs)
    future(c, o, now, s.startTimestamp as number, 'stepResult/startTimestamp', ['testResults', i, 'locationResults', j, 'stepResults', q, 'startTimestamp']);
  if ((k = kInteger(s.responseTimeMillis, false)))
    bad(c, k, 'an integer', s.responseTimeMillis, ['testResults', i, 'locationResults', j, 'stepResults', q, 'responseTimeMillis']);
  const e = s.error;
  if ((k = kObject(e, false))) bad(c, k, 'an object', e, ['testResults', i, 'locationResults', j, 'stepResults', q, 'error']);
  else if (isObject(e)) {
    if ((k = kInteger(e.code, true))) bad(c, k, 'an integer', e.code, ['testResults', i, 'locationResults', j, 'stepResults', q, 'error', 'code']);
    if ((k = kString(e.message, true))) bad(c, k, 'a string', e.message, ['testResults', i, 'locationResults', j, 'stepResults', q, 'error', 'message']);
  }
}

function checkLocationResult(c: IssueCollector, o: EventsSettings, now: number, r: unknown, i: number, j: number): void {
  if (!isObject(r)) {
    bad(c, WRONG, 'an object', r, ['testResults', i, 'locationResults', j]);
    return;
  }
  let k: number;
  if ((k = kString(r.id, true))) bad(c, k, 'a string', r.id, ['testResults', i, 'locationResults', j, 'id']);
  if ((k = kInteger(r.startTimestamp, true))) bad(c, k, 'an integer', r.startTimestamp, ['testResults', i, 'locationResults', j, 'startTimestamp']);
  else if ((r.startTimestamp as number) > now + o.syntheticFutureMs)
    future(c, o, now, r.startTimestamp as number, 'locationResult/startTimestamp', ['testResults', i, 'locationResults', j, 'startTimestamp']);
  if ((k = kBoolean(r.success, true))) bad(c, k, 'a boolean', r.success, ['testResults', i, 'locationResults', j, 'success']);
  if ((k = kInteger(r.responseTimeMillis, false)))
    bad(c, k, 'an integer', r.responseTimeMillis, ['testResults', i, 'locationResults', j, 'responseTimeMillis']);
  const rate = r.successRate;
  if ((k = kNumber(rate, false))) bad(c, k, 'a number', rate, ['testResults', i, 'locationResults', j, 'successRate']);
  else if (typeof rate === 'number' && (rate < EVENTS_CONSTANTS.minSuccessRate || rate > EVENTS_CONSTANTS.maxSuccessRate)) {
    c.add(EVENT_RULES.SYNTHETIC_SUCCESS_RATE, ['testResults', i, 'locationResults', j, 'successRate'], rate);
  }
  const steps = r.stepResults;
  if ((k = kArray(steps, true))) bad(c, k, 'an array', steps, ['testResults', i, 'locationResults', j, 'stepResults']);
  else {
    const arr = steps as unknown[];
    for (let q = 0; q < arr.length; q++) checkStepResult(c, o, now, arr[q], i, j, q);
    unique(c, arr, ['testResults', i, 'locationResults', j, 'stepResults']);
  }
}

function checkTestResult(c: IssueCollector, o: EventsSettings, now: number, t: unknown, i: number): void {
  if (!isObject(t)) {
    bad(c, WRONG, 'an object', t, ['testResults', i]);
    return;
  }
  let k: number;
  if ((k = kString(t.id, true))) bad(c, k, 'a string', t.id, ['testResults', i, 'id']);
  if ((k = kInteger(t.totalStepCount, false))) bad(c, k, 'an integer', t.totalStepCount, ['testResults', i, 'totalStepCount']);
  const lrs = t.locationResults;
  if ((k = kArray(lrs, true))) bad(c, k, 'an array', lrs, ['testResults', i, 'locationResults']);
  else {
    const arr = lrs as unknown[];
    for (let j = 0; j < arr.length && !c.full; j++) checkLocationResult(c, o, now, arr[j], i, j);
    unique(c, arr, ['testResults', i, 'locationResults']);
  }
}

/** Cross references: results → monitors, locations → declared locations, step results → monitor steps. */
function checkCrossReferences(c: IssueCollector, o: EventsSettings, root: Record<string, unknown>): void {
  const severity = o.strictCrossReferences ? 'error' : 'warning';
  const locationIds = new Set<string>();
  if (Array.isArray(root.locations)) for (const l of root.locations) if (isObject(l) && typeof l.id === 'string') locationIds.add(l.id);
  const monitors = new Map<string, Record<string, unknown>>();
  const tests = root.tests;
  if (Array.isArray(tests)) {
    for (let i = 0; i < tests.length; i++) {
      const m = tests[i];
      if (!isObject(m)) continue;
      if (typeof m.id === 'string' && !monitors.has(m.id)) monitors.set(m.id, m);
      if (Array.isArray(m.locations)) {
        for (let j = 0; j < m.locations.length; j++) {
          const l: unknown = m.locations[j];
          if (isObject(l) && typeof l.id === 'string' && !locationIds.has(l.id))
            c.add(EVENT_RULES.SYNTHETIC_UNKNOWN_LOCATION, ['tests', i, 'locations', j, 'id'], l.id, { name: l.id }, severity);
        }
      }
    }
  }
  const results = root.testResults;
  if (!Array.isArray(results)) return;
  for (let i = 0; i < results.length && !c.full; i++) {
    const t = results[i];
    if (!isObject(t)) continue;
    const monitor = typeof t.id === 'string' ? monitors.get(t.id) : undefined;
    if (typeof t.id === 'string' && monitor === undefined)
      c.add(EVENT_RULES.SYNTHETIC_UNKNOWN_MONITOR, ['testResults', i, 'id'], t.id, { name: t.id }, severity);
    const steps = monitor !== undefined && Array.isArray(monitor.steps) ? (monitor.steps as unknown[]) : undefined;
    if (!Array.isArray(t.locationResults)) continue;
    for (let j = 0; j < t.locationResults.length; j++) {
      const r: unknown = t.locationResults[j];
      if (!isObject(r)) continue;
      if (typeof r.id === 'string' && !locationIds.has(r.id))
        c.add(EVENT_RULES.SYNTHETIC_UNKNOWN_LOCATION, ['testResults', i, 'locationResults', j, 'id'], r.id, { name: r.id }, severity);
      if (steps === undefined || !Array.isArray(r.stepResults)) continue;
      for (let q = 0; q < r.stepResults.length; q++) {
        const s: unknown = r.stepResults[q];
        if (!isObject(s) || !isInteger(s.id)) continue;
        let found = false;
        for (const st of steps) {
          if (isObject(st) && st.id === s.id) {
            found = true;
            break;
          }
        }
        if (!found)
          c.add(EVENT_RULES.SYNTHETIC_UNKNOWN_STEP, ['testResults', i, 'locationResults', j, 'stepResults', q, 'id'], s.id, { name: String(s.id) }, severity);
      }
    }
  }
}

/**
 * Validates a third-party synthetic body as `POST /api/v1/synthetic/ext/tests` judges it. `body` is
 * the raw text or bytes, or an already parsed value (not copied). Answers 204 with no body, 400 with
 * the classic `ErrorEnvelope`, or 413.
 * @example validateSyntheticTests({ syntheticEngineName: 'x', messageTimestamp: 1, locations: [], tests: [] }).status // 204
 */
export function validateSyntheticTests(body: BodyInput, options?: EventsOptions | ResolvedEventsOptions): SyntheticValidationResult {
  const o = eventsSettings(options);
  const given = callerNow(options);
  let root: unknown = body;
  let text: string | undefined;
  if (isRawBody(body)) {
    const read = readInput(body, o.syntheticMaxBodyBytes, o, false);
    if (isResult(read)) return read;
    root = read.value;
    text = read.text;
  }
  const c = new IssueCollector(o.maxErrors);
  if (!isObject(root)) {
    c.add(EVENT_RULES.SYNTHETIC_NOT_OBJECT, [], root, { name: '' });
    return finish(c, 'classic', text, 204, null);
  }
  let k: number;
  if ((k = kString(root.syntheticEngineName, true))) bad(c, k, 'a string', root.syntheticEngineName, ['syntheticEngineName']);
  if ((k = kInteger(root.messageTimestamp, true))) bad(c, k, 'an integer', root.messageTimestamp, ['messageTimestamp']);
  if ((k = kString(root.syntheticEngineIconUrl, false))) bad(c, k, 'a string', root.syntheticEngineIconUrl, ['syntheticEngineIconUrl']);
  const locations = root.locations;
  if ((k = kArray(locations, true))) bad(c, k, 'an array', locations, ['locations']);
  else {
    const arr = locations as unknown[];
    for (let j = 0; j < arr.length; j++) {
      const l = arr[j];
      if (!isObject(l)) {
        bad(c, WRONG, 'an object', l, ['locations', j]);
        continue;
      }
      if ((k = kString(l.id, true))) bad(c, k, 'a string', l.id, ['locations', j, 'id']);
      if ((k = kString(l.name, true))) bad(c, k, 'a string', l.name, ['locations', j, 'name']);
      if ((k = kString(l.ip, false))) bad(c, k, 'a string', l.ip, ['locations', j, 'ip']);
    }
    unique(c, arr, ['locations']);
  }
  const tests = root.tests;
  if ((k = kArray(tests, true))) bad(c, k, 'an array', tests, ['tests']);
  else {
    const arr = tests as unknown[];
    for (let i = 0; i < arr.length && !c.full; i++) checkMonitor(c, arr[i], i);
    unique(c, arr, ['tests']);
  }
  const results = root.testResults;
  if ((k = kArray(results, false))) bad(c, k, 'an array', results, ['testResults']);
  else if (Array.isArray(results)) {
    const now = Number.isNaN(given) ? Date.now() : given; // only results carry timestamps to judge
    for (let i = 0; i < results.length && !c.full; i++) checkTestResult(c, o, now, results[i], i);
    unique(c, results, ['testResults']);
  }
  if (!c.full) checkCrossReferences(c, o, root);
  return finish(c, 'classic', text, 204, null);
}
