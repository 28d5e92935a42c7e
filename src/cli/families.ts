/**
 * The payload families the CLI judges: one per endpoint of the endpoint table (`src/endpoints/`),
 * named by the endpoint's id (`dt-ingest validate <id>`), with its summary, rule table (for SARIF's
 * rule list and `--rule`), the extensions taken from a directory, the flags of its path parameter, and
 * for whole bodies the validator and the body limit.
 *
 * @module
 */
import { ENDPOINTS, bodyLimit, endpoint, judgeBody, type Endpoint, type EndpointVerdict, type RuleDoc } from '../endpoints/index.js';
import { EVENTS_DEFAULTS, type ResolvedEventsOptions } from '../events/options.js';
import { resolveMetricsOptions } from '../protocol/options.js';
import { RULE_LIST } from '../protocol/rules.js';

export { FIX_RULE_PREFIX, type RuleDoc } from '../endpoints/index.js';

/** The metrics rules that `validate metrics` can report. */
export const METRICS_RULES: readonly RuleDoc[] = endpoint('metrics').rules;
/** The metrics rules that `fix metrics` can report (the validation rules and the repairs). */
export const FIX_RULES: readonly RuleDoc[] = RULE_LIST;

/**
 * The one-line summary of a family in help texts.
 * @example familySummary(endpoint('events')) // 'generic events (POST /platform/ingest/v1/events)'
 */
export function familySummary(e: Endpoint): string {
  return `${e.title} (${e.method} ${e.path})`;
}

/** Summary of the metrics family, for help texts. */
export const METRICS_SUMMARY = familySummary(endpoint('metrics'));

/**
 * A family whose body is judged whole (`reader: 'whole'`).
 * @example JSON_FAMILIES.get('events')!.maxBytes(resolveEventsOptions()) // 10485760
 */
export interface JsonFamily {
  /** The endpoint's id. */
  readonly name: string;
  readonly summary: string;
  /** The endpoint's row. */
  readonly endpoint: Endpoint;
  /** The body limit in force (the JSON bodies' options; the metrics options at their defaults). */
  maxBytes(options: ResolvedEventsOptions): number;
  /** Judges a body (`param`: the path parameter, from the family's flag; `mediaType`: `--content-type`, `''` for the first). */
  validate(body: Uint8Array, options: ResolvedEventsOptions, param: string | undefined, mediaType: string): EndpointVerdict;
  /** The path parameter is required (its flag, e.g. `--id`). */
  readonly needsParam: boolean;
}

function wholeFamily(e: Endpoint): JsonFamily {
  return {
    name: e.id,
    summary: familySummary(e),
    endpoint: e,
    maxBytes: (o) => bodyLimit(e, resolveMetricsOptions(), o),
    validate: (body, events, param, mediaType) => judgeBody(e, { body, mediaType, param, metrics: resolveMetricsOptions(), events }),
    needsParam: e.pathParam !== undefined,
  };
}

/** The whole-body families (the JSON bodies), in help order. */
export const JSON_FAMILIES: ReadonlyMap<string, JsonFamily> = new Map(ENDPOINTS.filter((e) => e.reader === 'whole').map((e) => [e.id, wholeFamily(e)]));

/** The JSON bodies' options table, as flags see it. */
export const JSON_OPTION_DEFAULTS: Readonly<Record<string, unknown>> = EVENTS_DEFAULTS;
