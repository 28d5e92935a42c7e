/**
 * Custom device: `POST /api/v1/entity/infrastructure/custom/{customDeviceId}` (seed 003 plus the v1
 * OpenAPI limits). Deprecated endpoint (*docs*): every report carries an informational note.
 *
 * The body is optional (no body creates or updates the device without data) and every field is
 * optional. Limits are options (see {@link EventsOptions}). Data point timestamps must lie within the
 * last 30 minutes (*docs*; one hour on the older page) and at most 10 minutes ahead (*decided*); the
 * server's answer for an old point names `series[0].datapoints[0]` in lower case (*server*).
 *
 * @module
 */
import type { BodyInput } from './common.js';
import { finish, isInteger, rejected, isObject, isRawBody, isResult, own, ownValue, readInput } from './common.js';
import type { CustomDeviceValidationResult } from './envelopes.js';
import { IssueCollector, toClassicPath } from './envelopes.js';
import { computeCustomDeviceIds } from './ids.js';
import type { PathSegment } from './json.js';
import type { EventsOptions, EventsSettings, ResolvedEventsOptions } from './options.js';
import { EVENTS_CONSTANTS, callerNow, eventsSettings } from './options.js';
import { isHttpUrl, isIPv4, isIPv6 } from './patterns.js';
import { EVENT_RULES } from './rules.js';

function wrongType(c: IssueCollector, expected: string, value: unknown, path: PathSegment[]): void {
  c.add(EVENT_RULES.CUSTOM_DEVICE_TYPE, path, value, { name: toClassicPath(path), max: expected });
}

/** An optional string field with a length limit (Hibernate `@Size`, UTF-16 units as Java counts). */
function optString(c: IssueCollector, v: unknown, key: string, max: number): void {
  if (v === undefined || v === null) return;
  if (typeof v !== 'string') wrongType(c, 'a string', v, [key]);
  else if (v.length > max) c.add(EVENT_RULES.CUSTOM_DEVICE_TOO_LONG, [key], v, { name: key, n: v.length, max });
}

/** An optional array of strings with a size limit and unique items; returns the array when it is one. */
function stringSet(c: IssueCollector, v: unknown, key: string, max: number, item?: (s: string, j: number) => void): unknown[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    wrongType(c, 'an array', v, [key]);
    return undefined;
  }
  if (v.length > max) c.add(EVENT_RULES.CUSTOM_DEVICE_TOO_MANY, [key], undefined, { name: key, n: v.length, max });
  // Pairwise for short lists (no allocation); a map beyond, so a hostile huge list stays linear.
  const seen = v.length > 16 ? new Map<string, number>() : undefined;
  for (let j = 0; j < v.length && !c.full; j++) {
    const s = v[j];
    if (typeof s !== 'string') {
      wrongType(c, 'a string', s, [key, j]);
      continue;
    }
    if (item !== undefined) item(s, j);
    let q = -1;
    if (seen !== undefined) {
      const prev = seen.get(s);
      if (prev === undefined) seen.set(s, j);
      else q = prev;
    } else {
      for (let k = 0; k < j; k++) {
        if (v[k] === s) {
          q = k;
          break;
        }
      }
    }
    if (q >= 0) c.add(EVENT_RULES.CUSTOM_DEVICE_NOT_UNIQUE, [key, j], s, { name: key, n: q });
  }
  return v;
}

/** Whether a custom device id stays one path segment through URL normalisation (rule `custom-device-id-segment`). */
function isPathSegment(id: string): boolean {
  if (id === '.' || id === '..') return false;
  for (let i = 0; i < id.length; i++) {
    const ch = id.charCodeAt(i);
    if (ch === 47 /* / */ || ch === 92 /* \ */) return false;
  }
  return true;
}

/** Port number of a listen port item (an integer, or a numeric string as clients send, *lib*); NaN when not numeric. */
function portValue(p: unknown): number {
  if (typeof p === 'number') return p;
  if (typeof p !== 'string' || p.length === 0 || p.length > 10) return Number.NaN;
  let v = 0;
  for (let i = 0; i < p.length; i++) {
    const ch = p.charCodeAt(i);
    if (ch < 48 || ch > 57) return Number.NaN;
    v = v * 10 + (ch - 48);
  }
  return v;
}

/**
 * True when every enumerable value of `v` is a string: the common dimensions object, judged without
 * an own-key test or a path. Anything else (an inherited key, a `__proto__` key, a non-string) goes to
 * {@link checkObjectOfStrings}, which judges exactly.
 */
function allStrings(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  for (const key in o) if (typeof o[key] !== 'string') return false;
  return true;
}

function checkObjectOfStrings(c: IssueCollector, v: unknown, path: PathSegment[]): void {
  if (v === undefined || v === null) return;
  if (!isObject(v)) {
    wrongType(c, 'an object of strings', v, path);
    return;
  }
  for (const key in v) {
    if (!own(v, key)) continue;
    const s = ownValue(v, key);
    if (typeof s !== 'string') wrongType(c, 'a string', s, path.concat(key));
  }
}

function checkSeries(c: IssueCollector, o: EventsSettings, given: number, series: unknown): void {
  if (series === undefined || series === null) return;
  if (!Array.isArray(series)) {
    wrongType(c, 'an array', series, ['series']);
    return;
  }
  const now = Number.isNaN(given) ? Date.now() : given; // only data points carry timestamps to judge
  const oldest = now - o.customDevicePastMs;
  const newest = now + o.customDeviceFutureMs;
  for (let i = 0; i < series.length && !c.full; i++) {
    const s = series[i];
    if (!isObject(s)) {
      wrongType(c, 'an object', s, ['series', i]);
      continue;
    }
    const id = s.timeseriesId;
    if (id === undefined || id === null)
      c.add(EVENT_RULES.CUSTOM_DEVICE_REQUIRED, ['series', i, 'timeseriesId'], id === null ? null : undefined, { name: `series[${i}].timeseriesId` });
    else if (typeof id !== 'string') wrongType(c, 'a string', id, ['series', i, 'timeseriesId']);
    const dims = s.dimensions;
    if (dims !== undefined && dims !== null && !allStrings(dims)) checkObjectOfStrings(c, dims, ['series', i, 'dimensions']);
    const points = s.dataPoints;
    if (points === undefined || points === null) {
      c.add(EVENT_RULES.CUSTOM_DEVICE_REQUIRED, ['series', i, 'dataPoints'], points === null ? null : undefined, { name: `series[${i}].dataPoints` });
      continue;
    }
    if (!Array.isArray(points)) {
      wrongType(c, 'an array', points, ['series', i, 'dataPoints']);
      continue;
    }
    for (let j = 0; j < points.length; j++) {
      // the common point: a [number, number] pair inside the window, judged without a call
      const p = points[j];
      if (Array.isArray(p) && p.length === 2) {
        const ts = p[0];
        if (typeof ts === 'number' && typeof p[1] === 'number' && ts >= oldest && ts <= newest) continue;
      }
      checkPoint(c, o, now, p, i, j, oldest, newest);
      if (c.full) break;
    }
  }
}

/** Reports what is wrong with one data point (only points off the common shape get here). */
function checkPoint(c: IssueCollector, o: EventsSettings, now: number, p: unknown, i: number, j: number, oldest: number, newest: number): void {
  if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number') {
    c.add(EVENT_RULES.CUSTOM_DEVICE_DATA_POINT, ['series', i, 'dataPoints', j], p, { name: `series[${i}].dataPoints[${j}]` });
    return;
  }
  const ts = p[0] as number;
  if (ts < oldest) c.add(EVENT_RULES.CUSTOM_DEVICE_TIMESTAMP_PAST, ['series', i, 'dataPoints', j], p, { n: now - ts, max: o.customDevicePastMs });
  else if (ts > newest) c.add(EVENT_RULES.CUSTOM_DEVICE_TIMESTAMP_FUTURE, ['series', i, 'dataPoints', j], p, { n: ts - now, max: o.customDeviceFutureMs });
}

/**
 * Validates a custom device push as `POST /api/v1/entity/infrastructure/custom/{customDeviceId}` judges
 * it. `body` may be `undefined` (no body), the raw text or bytes, or an already parsed value (not
 * copied). Answers 200 with `{entityId, groupId}` (deterministic local stand-in ids, see
 * {@link computeCustomDeviceIds}), 400 with the classic `ErrorEnvelope`, or 413.
 * @example validateCustomDevice('coffee-1', { displayName: 'Coffee' }).body // { entityId: 'CUSTOM_DEVICE-…', groupId: 'CUSTOM_DEVICE_GROUP-…' }
 */
export function validateCustomDevice(customDeviceId: string, body?: BodyInput, options?: EventsOptions | ResolvedEventsOptions): CustomDeviceValidationResult {
  if (typeof customDeviceId !== 'string') throw new TypeError('dt-ingest: customDeviceId must be a string');
  const o = eventsSettings(options);
  const given = callerNow(options);
  let value: unknown = body;
  let text: string | undefined;
  if (isRawBody(body)) {
    const read = readInput(body, o.customDeviceMaxBodyBytes, o, true);
    if (isResult(read)) return read;
    value = read.value;
    text = read.text;
  }
  const c = new IssueCollector(o.maxErrors);
  // Path parameter: "a non-empty string of at most 512 characters; the caller's id, not an entity id".
  const idLength = typeof customDeviceId === 'string' ? customDeviceId.length : -1;
  if (idLength < 1 || idLength > o.customDeviceIdMaxLength) {
    c.add(EVENT_RULES.CUSTOM_DEVICE_ID, [], customDeviceId, { n: idLength, max: o.customDeviceIdMaxLength });
  }
  if (idLength > 0 && !isPathSegment(customDeviceId)) {
    c.add(EVENT_RULES.CUSTOM_DEVICE_ID_SEGMENT, [], customDeviceId, {
      name: JSON.stringify(customDeviceId.length > 64 ? customDeviceId.slice(0, 64) + '...' : customDeviceId),
    });
  }
  let group: unknown;
  let type: unknown;
  if (value !== undefined && value !== null) {
    if (!isObject(value)) c.add(EVENT_RULES.CUSTOM_DEVICE_NOT_OBJECT, [], value, { name: '' });
    else {
      const b = value;
      group = b.group;
      type = b.type;
      optString(c, b.displayName, 'displayName', o.displayNameMaxLength);
      optString(c, group, 'group', o.groupMaxLength);
      optString(c, type, 'type', o.deviceTypeMaxLength);
      optString(c, b.favicon, 'favicon', o.urlMaxLength);
      optString(c, b.configUrl, 'configUrl', o.urlMaxLength);
      if (typeof b.favicon === 'string' && !isHttpUrl(b.favicon)) c.add(EVENT_RULES.CUSTOM_DEVICE_URL, ['favicon'], b.favicon, { name: 'favicon' });
      if (typeof b.configUrl === 'string' && !isHttpUrl(b.configUrl)) c.add(EVENT_RULES.CUSTOM_DEVICE_URL, ['configUrl'], b.configUrl, { name: 'configUrl' });
      const ips = stringSet(c, b.ipAddresses, 'ipAddresses', o.maxIpAddresses, (s, j) => {
        if (!isIPv4(s) && !isIPv6(s)) c.add(EVENT_RULES.CUSTOM_DEVICE_IP, ['ipAddresses', j], s);
      });
      const hosts = stringSet(c, b.hostNames, 'hostNames', o.maxHostNames);
      stringSet(c, b.tags, 'tags', o.maxTags);
      const ports = b.listenPorts;
      if (ports !== undefined && ports !== null) {
        if (!Array.isArray(ports)) wrongType(c, 'an array', ports, ['listenPorts']);
        else {
          if (ports.length > o.maxListenPorts)
            c.add(EVENT_RULES.CUSTOM_DEVICE_TOO_MANY, ['listenPorts'], undefined, { name: 'listenPorts', n: ports.length, max: o.maxListenPorts });
          const seen = ports.length > 16 ? new Map<number, number>() : undefined;
          for (let j = 0; j < ports.length && !c.full; j++) {
            const p = ports[j];
            if (typeof p !== 'number' && typeof p !== 'string') {
              wrongType(c, 'an integer', p, ['listenPorts', j]);
              continue;
            }
            const n = portValue(p);
            if (!isInteger(n) || n < EVENTS_CONSTANTS.minPort || n > EVENTS_CONSTANTS.maxPort) {
              c.add(EVENT_RULES.CUSTOM_DEVICE_PORT, ['listenPorts', j], p);
              continue;
            }
            // Unique by port number (*decided*: 80 and "80" are the same port).
            let q = -1;
            if (seen !== undefined) {
              const prev = seen.get(n);
              if (prev === undefined) seen.set(n, j);
              else q = prev;
            } else {
              for (let k = 0; k < j; k++) {
                if (portValue(ports[k]) === n) {
                  q = k;
                  break;
                }
              }
            }
            if (q >= 0) c.add(EVENT_RULES.CUSTOM_DEVICE_NOT_UNIQUE, ['listenPorts', j], p, { name: 'listenPorts', n: q });
          }
          // *docs*: "If ports are specified, you should also add at least one IP address or a host name".
          if (ports.length > 0 && (ips === undefined || ips.length === 0) && (hosts === undefined || hosts.length === 0)) {
            c.add(EVENT_RULES.CUSTOM_DEVICE_PORTS_WITHOUT_ADDRESS, ['listenPorts'], undefined);
          }
        }
      }
      checkObjectOfStrings(c, b.properties, ['properties']);
      checkSeries(c, o, given, b.series);
    }
  }
  c.add(EVENT_RULES.CUSTOM_DEVICE_DEPRECATED, [], undefined);
  if (c.errors > 0) return rejected(c, 'classic', text);
  const ids = computeCustomDeviceIds(customDeviceId, typeof group === 'string' ? group : null, typeof type === 'string' ? type : null);
  return finish(c, 'classic', text, 200, ids);
}
