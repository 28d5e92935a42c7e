/**
 * Business events: `POST /api/v2/bizevents/ingest` (docs/spec/bizevents.md).
 *
 * Three media types (*docs*): `application/json` (one event object or an array of them, any keys),
 * `application/cloudevent+json` (one CloudEvent) and `application/cloudevent-batch+json` (an array of
 * CloudEvents). A CloudEvent needs the CloudEvents 1.0 context attributes `specversion` ("1.0"), `id`,
 * `source` and `type` as non-empty strings (the spec; the API reference marks the four required), and
 * carries `data` or `data_base64`, not both (the spec's JSON format). A 400 lists the invalid events by
 * index; the valid ones are accepted (*docs*: "Some business events are invalid. Valid business events
 * are accepted and will be processed.").
 *
 * @module
 */
import type { BodyInput } from './common.js';
import { isResult, readInput } from './common.js';
import type { BizEventIngestError, BizEventsValidationResult, BodyIssue } from './envelopes.js';
import { IssueCollector, parentPointer } from './envelopes.js';
import { locateJsonPointers } from './json-locate.js';
import type { PathSegment } from './json.js';
import type { EventsOptions, ResolvedEventsOptions } from './options.js';
import { BIZ_MEDIA_TYPES, CLOUDEVENTS, eventsSettings } from './options.js';
import { isRfc3339 } from './patterns.js';
import { EVENT_RULES } from './rules.js';

/** How a business events body is read: plain JSON events, one CloudEvent, or a CloudEvents batch. */
export type BizEventsBodyKind = 'json' | 'cloudEvent' | 'cloudEventBatch';

/**
 * The body kind of a `Content-Type` (parameters ignored, case-insensitive), or `undefined` for a media
 * type the endpoint does not take.
 * @example bizEventsBodyKind('application/cloudevent-batch+json') // 'cloudEventBatch'
 */
export function bizEventsBodyKind(contentType: string | undefined): BizEventsBodyKind | undefined {
  if (contentType === undefined) return 'json';
  const semi = contentType.indexOf(';');
  const type = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  if (type === '' || BIZ_MEDIA_TYPES.json.includes(type)) return 'json';
  if (BIZ_MEDIA_TYPES.cloudEvent.includes(type)) return 'cloudEvent';
  if (BIZ_MEDIA_TYPES.cloudEventBatch.includes(type)) return 'cloudEventBatch';
  return undefined;
}

/** Context attributes of CloudEvents 1.0 that are strings when present (the spec). */
const OPTIONAL_STRINGS = ['subject', 'datacontenttype', 'dataschema', 'data_base64'] as const;
/** Attribute names the CloudEvents JSON format defines besides the context attributes. */
const FORMAT_MEMBERS: ReadonlySet<string> = /* @__PURE__ */ new Set(['data', 'data_base64']);

/** True for a CloudEvents attribute name: lower-case ASCII letters and digits, at most the spec's length (a SHOULD). */
function isCloudEventName(name: string): boolean {
  if (name.length === 0 || name.length > CLOUDEVENTS.maxExtensionNameLength) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

/** Judges one CloudEvent at `path`; returns whether it had an error. */
function checkCloudEvent(c: IssueCollector, ev: Record<string, unknown>, path: PathSegment[]): boolean {
  const before = c.errors;
  const at = (k: string): PathSegment[] => [...path, k];
  for (const name of CLOUDEVENTS.required) {
    const v = ev[name];
    if (v === undefined || v === null) c.add(EVENT_RULES.BIZ_CLOUDEVENT_REQUIRED, at(name), undefined, { name });
    else if (typeof v !== 'string' || v.length === 0) c.add(EVENT_RULES.BIZ_CLOUDEVENT_STRING, at(name), v, { name });
    else if (name === 'specversion' && v !== CLOUDEVENTS.specversion) c.add(EVENT_RULES.BIZ_CLOUDEVENT_SPECVERSION, at(name), v);
  }
  for (const name of OPTIONAL_STRINGS) {
    const v = ev[name];
    if (v !== undefined && v !== null && typeof v !== 'string') c.add(EVENT_RULES.BIZ_CLOUDEVENT_STRING, at(name), v, { name });
  }
  if (ev.data !== undefined && ev.data_base64 !== undefined) c.add(EVENT_RULES.BIZ_CLOUDEVENT_DATA_BOTH, at('data_base64'), undefined);
  const time = ev.time;
  if (time !== undefined && time !== null && !(typeof time === 'string' && isRfc3339(time))) c.add(EVENT_RULES.BIZ_CLOUDEVENT_TIME, at('time'), time);
  for (const k in ev) {
    if (!Object.hasOwn(ev, k) || FORMAT_MEMBERS.has(k) || isCloudEventName(k)) continue;
    c.add(EVENT_RULES.BIZ_CLOUDEVENT_EXTENSION_NAME, at(k), undefined, { name: k, max: CLOUDEVENTS.maxExtensionNameLength });
  }
  return c.errors > before;
}

/** Judges one event at index `i` (`-1`: the body is this one event); returns whether it is invalid. */
function checkEvent(c: IssueCollector, kind: BizEventsBodyKind, ev: unknown, i: number): boolean {
  const path: PathSegment[] = i < 0 ? [] : [i];
  if (typeof ev !== 'object' || ev === null || Array.isArray(ev)) {
    c.add(EVENT_RULES.BIZ_EVENT_NOT_OBJECT, path, ev, { hint: i < 0 ? ' (the body must be an object or an array of objects)' : '' });
    return true;
  }
  if (kind === 'json') return false; // any keys, any values (*docs*: JSON events are stored as they come)
  return checkCloudEvent(c, ev as Record<string, unknown>, path);
}

/** Lines and columns of the issues, by their JSON Pointers (one pass over the text); a missing member is placed at its object. */
function place(issues: BodyIssue[], text: string | undefined): void {
  if (text === undefined || issues.length === 0) return;
  const wanted = new Set<string>();
  for (const issue of issues) wanted.add(issue.pointer).add(parentPointer(issue.pointer));
  const found = locateJsonPointers(text, wanted);
  for (const issue of issues) {
    const at = found.get(issue.pointer) ?? found.get(parentPointer(issue.pointer));
    if (at !== undefined) [issue.line, issue.column] = [at.line, at.column];
  }
}

/**
 * Validates a business events body as `POST /api/v2/bizevents/ingest` judges it. `contentType` picks
 * the form (`application/json` when omitted; see {@link bizEventsBodyKind}); a type the endpoint does
 * not take throws a `TypeError`. `body` is the raw text or bytes, or an already parsed value.
 *
 * Answers 202 with no body; 400 with `{"errors":[{"index":i,"message":...}]}` naming each refused event
 * (the others are accepted), or with `{"error":{...}}` for a body that cannot be read (malformed JSON,
 * a batch that is not an array); 413 past `bizeventsMaxBodyBytes`.
 * @example validateBizEvents('[{"event.type":"com.shop.checkout","amount":3}]').status // 202
 * @example validateBizEvents('{"specversion":"1.0","id":"1","source":"shop"}', undefined, 'application/cloudevent+json').status // 400
 */
export function validateBizEvents(body: BodyInput, options?: EventsOptions | ResolvedEventsOptions, contentType?: string): BizEventsValidationResult {
  const kind = bizEventsBodyKind(contentType);
  if (kind === undefined) throw new TypeError(`dt-ingest: the business events endpoint does not take ${String(contentType)}`);
  const s = eventsSettings(options);
  const read = readInput(body, s.bizeventsMaxBodyBytes, s, false);
  if (isResult(read)) return read;
  const value = read.value;
  const c = new IssueCollector(s.maxErrors);
  // the shape of the whole body: a batch is an array, a single CloudEvent is not
  if (kind === 'cloudEventBatch' && !Array.isArray(value)) return shapeError(c, EVENT_RULES.BIZ_BATCH_NOT_ARRAY, value, read.text);
  if (kind === 'cloudEvent' && Array.isArray(value)) return shapeError(c, EVENT_RULES.BIZ_CLOUDEVENT_NOT_SINGLE, value, read.text);
  const refused: BizEventIngestError[] = [];
  if (Array.isArray(value)) {
    if (value.length === 0) c.add(EVENT_RULES.BIZ_EVENTS_EMPTY, [], undefined);
    for (let i = 0; i < value.length; i++) {
      const first = c.issues?.length ?? 0;
      if (checkEvent(c, kind, value[i], i)) refused.push({ index: i, message: firstError(c, first) });
      if (c.full) break;
    }
  } else if (checkEvent(c, kind, value, -1)) refused.push({ index: 0, message: firstError(c, 0) });
  const issues = c.issues ?? [];
  place(issues, read.text);
  if (refused.length === 0) return { ok: true, status: 202, body: null, issues };
  return { ok: false, status: 400, body: { errors: refused }, issues };
}

/** The endpoint text of the first error issue from index `from` on (the event's reason in the 400). */
function firstError(c: IssueCollector, from: number): string {
  const issues = c.issues ?? [];
  for (let k = from; k < issues.length; k++) {
    const issue = issues[k]!;
    if (issue.severity === 'error') return `${issue.pointer}: ${issue.endpointMessage ?? issue.message}`;
  }
  return '';
}

/** A body whose shape does not fit the media type: nothing is read, a request-level 400. */
function shapeError(
  c: IssueCollector,
  rule: (typeof EVENT_RULES)['BIZ_BATCH_NOT_ARRAY' | 'BIZ_CLOUDEVENT_NOT_SINGLE'],
  value: unknown,
  text: string | undefined,
): BizEventsValidationResult {
  c.add(rule, [], value);
  const issues = c.issues!;
  place(issues, text);
  return { ok: false, status: 400, body: { error: { code: 400, message: rule.endpoint } }, issues };
}
