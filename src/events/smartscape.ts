/**
 * Smartscape events: `POST /platform/ingest/v1/smartscape.events` (seed 000).
 *
 * Identity, exactly one mode: Mode 1 `id` (`^[A-Z][A-Z0-9_]*-[0-9A-F]{16}$`), or Mode 2 `type`
 * (`^[A-Z][A-Z0-9_]*$`) plus `id_components` (required with `type`). Edge references under
 * `static_edges` / `dynamic_edges` follow the same identity rules. `tags:<context>` keys hold objects
 * of strings; other keys are node fields (checked against an allowlist only when one is given). An
 * explicit `null` for an optional field counts as absent (*decided*, as clients send it).
 *
 * @module
 */
import type { BodyInput } from './common.js';
import { at, finish, isInteger, isObject, isRawBody, isResult, own, ownValue, readInput } from './common.js';
import type { PlatformValidationResult } from './envelopes.js';
import { IssueCollector } from './envelopes.js';
import type { PathSegment } from './json.js';
import type { EventsOptions, EventsSettings, ResolvedEventsOptions } from './options.js';
import { eventsSettings } from './options.js';
import { isRfc3339, isSmartscapeId, isSmartscapeType } from './patterns.js';
import { EVENT_RULES } from './rules.js';

/** Keys of a Smartscape event that are not node fields (never subject to the allowlist). */
const RESERVED_KEYS: ReadonlySet<string> = new Set([
  'id',
  'type',
  'id_components',
  'event.version',
  'timestamp',
  'update_lifetime',
  'dt.security_context',
  'static_edges',
  'dynamic_edges',
]);

/** Builds the path of a node (`edgeKey` undefined) or of an edge reference. Error path only. */
function nodePath(i: number, edgeKey: string | undefined, rel: string, j: number, ...rest: PathSegment[]): PathSegment[] {
  if (edgeKey === undefined) return at(i, ...rest);
  return at(i, edgeKey, rel, j, ...rest);
}

/**
 * Checks the identity of a node or an edge reference (same rules for both, seed 000).
 * Returns the node's type (Mode 2 type, or the type prefix of a Mode 1 id) for the allowlist bypass.
 */
function checkIdentity(
  c: IssueCollector,
  node: Record<string, unknown>,
  i: number,
  edgeKey: string | undefined,
  rel: string,
  j: number,
  wantType = false,
): string | undefined {
  const id = node.id;
  const type = node.type;
  const hasId = id !== undefined && id !== null;
  const hasType = type !== undefined && type !== null;
  let nodeType: string | undefined;
  if (hasId) {
    if (typeof id !== 'string' || !isSmartscapeId(id)) c.add(EVENT_RULES.SMARTSCAPE_ID_PATTERN, nodePath(i, edgeKey, rel, j, 'id'), id);
    else if (wantType) nodeType = id.slice(0, id.length - 17); // only when an allowlist needs it
  }
  if (hasType) {
    if (typeof type !== 'string' || !isSmartscapeType(type)) c.add(EVENT_RULES.SMARTSCAPE_TYPE_PATTERN, nodePath(i, edgeKey, rel, j, 'type'), type);
    else nodeType = type;
  }
  if (hasId && hasType) c.add(EVENT_RULES.SMARTSCAPE_IDENTITY_BOTH, nodePath(i, edgeKey, rel, j), undefined);
  else if (!hasId && !hasType) c.add(EVENT_RULES.SMARTSCAPE_IDENTITY_MISSING, nodePath(i, edgeKey, rel, j), undefined);
  const comps = node.id_components;
  if (comps === undefined || comps === null) {
    if (hasType && !hasId) c.add(EVENT_RULES.SMARTSCAPE_ID_COMPONENTS_MISSING, nodePath(i, edgeKey, rel, j, 'id_components'), undefined);
  } else if (!Array.isArray(comps)) {
    c.add(EVENT_RULES.SMARTSCAPE_ID_COMPONENTS_SHAPE, nodePath(i, edgeKey, rel, j, 'id_components'), comps, { hint: ' (not an array)' });
  } else if (comps.length === 0) {
    // *decided*: an empty list cannot identify a node; the docs' "required when type is set" means one or more.
    c.add(EVENT_RULES.SMARTSCAPE_ID_COMPONENTS_SHAPE, nodePath(i, edgeKey, rel, j, 'id_components'), comps, { hint: ' (empty)' });
  } else {
    for (let k = 0; k < comps.length; k++) {
      const comp = comps[k];
      if (!isObject(comp)) {
        c.add(EVENT_RULES.SMARTSCAPE_ID_COMPONENTS_SHAPE, nodePath(i, edgeKey, rel, j, 'id_components', k), comp, { hint: ' (not an object)' });
        continue;
      }
      let count = 0;
      let bad = false;
      for (const key in comp) {
        if (!own(comp, key)) continue;
        count++;
        if (typeof ownValue(comp, key) !== 'string') bad = true;
      }
      if (count !== 1) c.add(EVENT_RULES.SMARTSCAPE_ID_COMPONENTS_SHAPE, nodePath(i, edgeKey, rel, j, 'id_components', k), comp, { hint: ` (${count} keys)` });
      else if (bad)
        c.add(EVENT_RULES.SMARTSCAPE_ID_COMPONENTS_SHAPE, nodePath(i, edgeKey, rel, j, 'id_components', k), comp, { hint: ' (value not a string)' });
    }
  }
  return nodeType;
}

function checkEdges(c: IssueCollector, edges: unknown, i: number, key: string): void {
  if (edges === undefined || edges === null) return;
  if (!isObject(edges)) {
    c.add(EVENT_RULES.SMARTSCAPE_EDGES_SHAPE, at(i, key), edges, { name: key, hint: ' (not an object)' });
    return;
  }
  for (const rel in edges) {
    if (!own(edges, rel)) continue;
    const refs = ownValue(edges, rel);
    if (!Array.isArray(refs)) {
      c.add(EVENT_RULES.SMARTSCAPE_EDGES_SHAPE, at(i, key, rel), refs, { name: key, hint: ` ('${rel}' is not an array)` });
      continue;
    }
    for (let j = 0; j < refs.length && !c.full; j++) {
      const ref = refs[j];
      if (!isObject(ref)) c.add(EVENT_RULES.SMARTSCAPE_EDGES_SHAPE, at(i, key, rel, j), ref, { name: key, hint: ' (a node reference must be an object)' });
      else checkIdentity(c, ref, i, key, rel, j);
    }
  }
}

function checkEvent(c: IssueCollector, o: EventsSettings, ev: unknown, i: number): void {
  if (!isObject(ev)) {
    c.add(EVENT_RULES.SMARTSCAPE_NOT_OBJECT, at(i), ev, { hint: i < 0 ? ' (the body must be an object or an array of objects)' : '' });
    return;
  }
  const allow = o.smartscapeFieldAllowlist;
  const nodeType = checkIdentity(c, ev, i, undefined, '', -1, allow !== null);
  const version = ev['event.version'];
  if (version !== undefined && version !== null && !(isInteger(version) && version === 1))
    c.add(EVENT_RULES.SMARTSCAPE_EVENT_VERSION, at(i, 'event.version'), version);
  const ts = ev.timestamp;
  if (ts !== undefined && ts !== null) {
    const ok = typeof ts === 'string' ? isRfc3339(ts) : typeof ts === 'number' && ts > 0 && Number.isFinite(ts);
    if (!ok) c.add(EVENT_RULES.SMARTSCAPE_TIMESTAMP, at(i, 'timestamp'), ts);
  }
  const ul = ev.update_lifetime;
  if (ul !== undefined && ul !== null && typeof ul !== 'boolean') c.add(EVENT_RULES.SMARTSCAPE_UPDATE_LIFETIME, at(i, 'update_lifetime'), ul);
  const sc = ev['dt.security_context'];
  if (sc !== undefined && sc !== null && typeof sc !== 'string') {
    if (!Array.isArray(sc)) c.add(EVENT_RULES.SMARTSCAPE_SECURITY_CONTEXT, at(i, 'dt.security_context'), sc);
    else {
      for (let k = 0; k < sc.length; k++) {
        if (typeof sc[k] !== 'string') c.add(EVENT_RULES.SMARTSCAPE_SECURITY_CONTEXT, at(i, 'dt.security_context', k), sc[k]);
      }
    }
  }
  checkEdges(c, ev.static_edges, i, 'static_edges');
  checkEdges(c, ev.dynamic_edges, i, 'dynamic_edges');
  // Tag contexts and node fields: one pass over the keys.
  // EXT_ and CUSTOM_ types bypass the field-name allowlist (seed 000).
  const bypass = allow === null || (nodeType !== undefined && (nodeType.startsWith('EXT_') || nodeType.startsWith('CUSTOM_')));
  for (const key in ev) {
    if (!own(ev, key)) continue;
    if (key.charCodeAt(0) === 116 && key.startsWith('tags:')) {
      // 't'
      const tags = ownValue(ev, key);
      if (tags === null) continue;
      if (!isObject(tags)) {
        c.add(EVENT_RULES.SMARTSCAPE_TAGS_SHAPE, at(i, key), tags, { name: key });
        continue;
      }
      for (const tk in tags) {
        if (own(tags, tk) && typeof ownValue(tags, tk) !== 'string')
          c.add(EVENT_RULES.SMARTSCAPE_TAGS_SHAPE, at(i, key, tk), ownValue(tags, tk), { name: key });
      }
    } else if (!bypass && !RESERVED_KEYS.has(key) && !allow!.has(key)) {
      c.add(EVENT_RULES.SMARTSCAPE_FIELD_NOT_ALLOWED, at(i, key), undefined, { name: key });
    }
  }
}

/**
 * Validates a Smartscape events body as `POST /platform/ingest/v1/smartscape.events` judges it.
 * `body` is the raw text or bytes, or an already parsed value (not copied). Answers 202 with no body,
 * 400 with the platform `ErrorResponseEnvelope` (JSON Pointer paths), or 413.
 * @example validateSmartscapeEvents({ id: 'HOST-0000000000000001' }).status // 202
 */
export function validateSmartscapeEvents(body: BodyInput, options?: EventsOptions | ResolvedEventsOptions): PlatformValidationResult {
  const o = eventsSettings(options);
  let value: unknown = body;
  let text: string | undefined;
  if (isRawBody(body)) {
    const read = readInput(body, o.smartscapeMaxBodyBytes, o, false);
    if (isResult(read)) return read;
    value = read.value;
    text = read.text;
  }
  const c = new IssueCollector(o.maxErrors);
  if (Array.isArray(value)) {
    if (value.length === 0) c.add(EVENT_RULES.SMARTSCAPE_EMPTY, [], undefined);
    for (let i = 0; i < value.length && !c.full; i++) checkEvent(c, o, value[i], i);
  } else {
    checkEvent(c, o, value, -1);
  }
  return finish(c, 'platform', text, 202, null);
}
