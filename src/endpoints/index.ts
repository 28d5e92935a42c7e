/**
 * The endpoint table and what its readers ask of it: an endpoint by id (old spellings accepted), by
 * request path, its body limit in the options in force, the rule for a media type, and a body judged
 * by the validator of its media type.
 *
 * @module
 */
import type { ResolvedEventsOptions } from '../events/options.js';
import type { ResolvedMetricsOptions } from '../protocol/options.js';
import { OTLP_DEFAULTS, type ResolvedOtlpOptions } from '../protocol/otlp-options.js';
import type { BodyInput, EndpointDescriptor, EndpointVerdict, MediaTypeRule } from './descriptor.js';
import { ENDPOINTS, type Endpoint, type EndpointId } from './table.js';

export type * from './descriptor.js';
export { ENDPOINTS, FIX_RULE_PREFIX, type Endpoint, type EndpointId } from './table.js';

/**
 * The endpoint of an id, or of an earlier public spelling of it; `undefined` for none.
 * @example endpointById('customDevice')?.id // 'custom-device'
 */
export function endpointById(name: string): Endpoint | undefined {
  for (const e of ENDPOINTS) if (e.id === name || e.legacyIds.includes(name)) return e;
  return undefined;
}

/**
 * The endpoint of an id of the table (throws for another: a programming error).
 * @example endpoint('metrics').path // '/api/v2/metrics/ingest'
 */
export function endpoint(id: EndpointId): Endpoint {
  const e = endpointById(id);
  if (e === undefined) throw new Error(`dt-ingest: no endpoint '${id}'`);
  return e;
}

/** The part of a path before its trailing `{param}`, or the whole path. */
function pathPrefix(e: EndpointDescriptor): string {
  return e.pathParam === undefined ? e.path : e.path.slice(0, e.path.length - e.pathParam.length - 2);
}

/**
 * Result of {@link matchEndpoint}: the endpoint and its decoded path parameter; `badParam` when the path
 * is an endpoint's but its parameter (named) is not valid percent-encoding.
 * @example { endpoint: ENDPOINTS[4], param: 'my device' }
 */
export type EndpointMatch = { endpoint: Endpoint; param: string | undefined } | { badParam: string } | undefined;

/**
 * The endpoint answering a path (no `/e/{environmentId}` prefix, no query): its path or an alias, or
 * its path's prefix followed by one segment for its trailing parameter.
 * @example matchEndpoint('/api/v1/entity/infrastructure/custom/my%20device') // { endpoint: <custom-device>, param: 'my device' }
 */
export function matchEndpoint(path: string): EndpointMatch {
  for (const e of ENDPOINTS) {
    if (e.pathParam === undefined) {
      if (path === e.path || e.aliases.some((a) => a.path === path)) return { endpoint: e, param: undefined };
      continue;
    }
    const prefix = pathPrefix(e);
    if (!path.startsWith(prefix) || path.length === prefix.length) continue;
    const raw = path.slice(prefix.length);
    if (raw.indexOf('/') >= 0) continue;
    try {
      return { endpoint: e, param: decodeURIComponent(raw) };
    } catch {
      return { badParam: e.pathParam };
    }
  }
  return undefined;
}

/**
 * The path a request for `e` goes to upstream: its documented path, the parameter encoded again as one segment.
 * @example endpointPath(endpoint('custom-device'), 'a/b') // '/api/v1/entity/infrastructure/custom/a%2Fb'
 */
export function endpointPath(e: EndpointDescriptor, param: string | undefined): string {
  return e.pathParam === undefined ? e.path : pathPrefix(e) + encodeURIComponent(param ?? '');
}

/**
 * The body limit of `e` in the options in force (read from the options table its row names).
 * @example bodyLimit(endpoint('events'), resolveMetricsOptions(), resolveEventsOptions()) // 10485760
 */
export function bodyLimit(
  e: EndpointDescriptor,
  metrics: ResolvedMetricsOptions,
  events: ResolvedEventsOptions,
  otlp: ResolvedOtlpOptions = OTLP_DEFAULTS,
): number {
  if (e.limit.table === 'otlp') return otlp[e.limit.option];
  return e.limit.table === 'metrics' ? metrics[e.limit.option] : events[e.limit.option];
}

/**
 * The rule of a media type `e` takes (`''`, none sent: its first), or `undefined` when it takes none such.
 * @example mediaRule(endpoint('metrics'), 'text/plain')?.body // 'text'
 */
export function mediaRule(e: EndpointDescriptor, mediaType: string): MediaTypeRule | undefined {
  if (mediaType === '') return e.media[0];
  for (const m of e.media) if (m.type === mediaType) return m;
  return undefined;
}

/**
 * Judges a whole body as `e` would: by the validator of its media type, or the endpoint's.
 * @example judgeBody(endpoint('events'), { body: '[]', mediaType: '', param: undefined, metrics: {}, events: {} }).status // 202
 */
export function judgeBody(e: EndpointDescriptor, input: BodyInput): EndpointVerdict {
  return (mediaRule(e, input.mediaType)?.judge ?? e.judge)(input);
}
