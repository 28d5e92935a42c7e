/**
 * The payload families the CLI judges, as a table: the metrics line protocol and the four JSON
 * bodies, each with its endpoint, its rule table (for SARIF's rule list and `--rule`), the
 * extensions taken from a directory, and for JSON bodies the validator and the size limit.
 *
 * @module
 */
import { EVENTS_DEFAULTS, type EventsOptions, type ResolvedEventsOptions } from '../events/options.js';
import { EVENT_RULE_LIST } from '../events/rules.js';
import type { AnyBodyValidationResult } from '../events/envelopes.js';
import { validateCustomDevice, validateEvents, validateSmartscapeEvents, validateSyntheticTests } from '../events/index.js';
import { RULE_LIST } from '../protocol/rules.js';
import type { Severity } from '../protocol/rules.js';

/**
 * A rule as the reports describe it (a row of `src/protocol/rules.ts` or `src/events/rules.ts`).
 * @example { id: 'metric-key-char', severity: 'error', endpoint: 'invalid metric key', report: 'invalid character in metric key ...' }
 */
export interface RuleDoc {
  readonly id: string;
  readonly severity: Severity;
  /** The endpoint's text (template); empty when the endpoint does not name the problem. */
  readonly endpoint: string;
  /** Our report's text (template). */
  readonly report: string;
  /** Events rules: structural, semantic or request. */
  readonly kind?: string;
}

/** Rule ids of fix mode (report only): they are listed for `fix`, not for `validate`. */
export const FIX_RULE_PREFIX = 'fix-';

/** The metrics rules that `validate metrics` can report. */
export const METRICS_RULES: readonly RuleDoc[] = RULE_LIST.filter((r) => !r.id.startsWith(FIX_RULE_PREFIX));
/** The metrics rules that `fix metrics` can report (the validation rules and the repairs). */
export const FIX_RULES: readonly RuleDoc[] = RULE_LIST;

/** A JSON body validator as the CLI calls it. */
export type JsonBodyValidator = (
  body: Uint8Array,
  options: EventsOptions | ResolvedEventsOptions,
  customDeviceId: string | undefined,
) => AnyBodyValidationResult;

/**
 * A JSON body family.
 * @example JSON_FAMILIES.get('events')!.maxBytes(resolveEventsOptions()) // 10485760
 */
export interface JsonFamily {
  readonly name: string;
  readonly summary: string;
  /** The body limit in force. */
  maxBytes(options: ResolvedEventsOptions): number;
  readonly validate: JsonBodyValidator;
  /** The path parameter `customDeviceId` is required (`--id`). */
  readonly needsId: boolean;
}

/** The extensions a directory is searched for, by family. */
export const DEFAULT_EXTENSIONS: Readonly<Record<'metrics' | 'json', readonly string[]>> = {
  metrics: ['.txt', '.dt'],
  json: ['.json'],
};

/** Summary of the metrics family, for help texts. */
export const METRICS_SUMMARY = 'metrics line protocol (POST /api/v2/metrics/ingest)';

/** The JSON body families, in help order. */
export const JSON_FAMILIES: ReadonlyMap<string, JsonFamily> = new Map<string, JsonFamily>([
  [
    'events',
    {
      name: 'events',
      summary: 'generic events (POST /platform/ingest/v1/events)',
      maxBytes: (o) => o.eventsMaxBodyBytes,
      validate: (b, o) => validateEvents(b, o),
      needsId: false,
    },
  ],
  [
    'smartscape',
    {
      name: 'smartscape',
      summary: 'Smartscape events (POST /platform/ingest/v1/smartscape.events)',
      maxBytes: (o) => o.smartscapeMaxBodyBytes,
      validate: (b, o) => validateSmartscapeEvents(b, o),
      needsId: false,
    },
  ],
  [
    'synthetic',
    {
      name: 'synthetic',
      summary: 'third-party synthetic tests (POST /api/v1/synthetic/ext/tests)',
      maxBytes: (o) => o.syntheticMaxBodyBytes,
      validate: (b, o) => validateSyntheticTests(b, o),
      needsId: false,
    },
  ],
  [
    'custom-device',
    {
      name: 'custom-device',
      summary: 'custom devices (POST /api/v1/entity/infrastructure/custom/{id})',
      maxBytes: (o) => o.customDeviceMaxBodyBytes,
      validate: (b, o, id) => validateCustomDevice(id!, b, o),
      needsId: true,
    },
  ],
]);

/** The JSON body rules (one table for the four bodies). */
export const JSON_RULES: readonly RuleDoc[] = EVENT_RULE_LIST;

/** The JSON bodies' options table, as flags see it. */
export const JSON_OPTION_DEFAULTS: Readonly<Record<string, unknown>> = EVENTS_DEFAULTS;
