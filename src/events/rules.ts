/**
 * The single table of rule ids and message texts for the four JSON ingest bodies (generic events,
 * Smartscape events, third-party synthetic, custom device).
 *
 * Each row has a stable id (what users filter on), a severity, the text the endpoint puts into its
 * envelope (`endpoint`), the richer text of our own report (`report`), and a `kind`: `structural`
 * rules are the ones the shipped JSON Schemas (`schemas/*.json`) also express, `semantic` rules are
 * added by the validators only (windows, cross references, uniqueness by key). Evidence tags as in
 * `docs/spec/event-bodies.md`. Texts marked *server* are the endpoint's own; the platform API's
 * real texts are not public, so those are terse and specific (*decided*). Classic API constraint texts
 * are the Hibernate Validator defaults the Java endpoint answers with (`must not be null`,
 * `size must be between 0 and 512`).
 *
 * Placeholders: `{n}` measured value, `{max}` / `{min}` limits, `{name}` a field or id, `{hint}` an
 * extra sentence, `{line}` / `{column}` a position in the body text.
 *
 * @module
 */
import type { MetricsRuleId, Severity } from '../protocol/rules.js';
import { formatTemplate } from '../protocol/rules.js';

/** `structural` rules are expressed by the shipped JSON Schemas too; `semantic` ones only by the validators. */
export type EventRuleKind = 'structural' | 'semantic' | 'request';

/** The shape every row of the table has (the rows themselves are typed by their literal values). */
interface EventRuleShape {
  readonly id: string;
  readonly severity: Severity;
  readonly kind: EventRuleKind;
  readonly endpoint: string;
  readonly report: string;
}

/**
 * One row of the events rule table.
 * @example EVENT_RULE_LIST.find((r) => r.id === 'smartscape-id-pattern')?.kind // 'structural'
 */
export interface EventRuleInfo {
  /** Stable kebab-case id. */
  readonly id: EventRuleId;
  /** `error` rejects the whole request; `warning` and `info` do not. */
  readonly severity: Severity;
  /** Whether the JSON Schemas express the rule too (`structural`), or only the validator (`semantic`). */
  readonly kind: EventRuleKind;
  /** Text the endpoint answers (template). */
  readonly endpoint: string;
  /** Text of the rich report (template). */
  readonly report: string;
}

const MUST_NOT_BE_NULL = 'must not be null';
const SMARTSCAPE_ID_PATTERN = 'must match ^[A-Z][A-Z0-9_]*-[0-9A-F]{16}$';
const SMARTSCAPE_TYPE_PATTERN = 'must match ^[A-Z][A-Z0-9_]*$';

/**
 * Every events rule, keyed by a SCREAMING_SNAKE name used in code. The id is the public name.
 * Never write a message literal elsewhere: read it from here.
 */
// biome-ignore format: a table, one rule per row
export const EVENT_RULES = {
  // --- request level (all four bodies) ------------------------------------------------------------
  BODY_TOO_LARGE: { id: 'body-too-large', severity: 'error', kind: 'request', endpoint: 'Payload too large: {n} > {max} bytes', report: 'request body too large: {n} > {max} bytes (checked before parsing)' },
  BODY_EMPTY: { id: 'body-empty', severity: 'error', kind: 'request', endpoint: 'Malformed JSON: empty request body at line 1 column 1', report: 'empty request body (a JSON document is required)' },
  JSON_SYNTAX: { id: 'json-syntax', severity: 'error', kind: 'request', endpoint: 'Malformed JSON: {name} at line {line} column {column}', report: 'malformed JSON: {name}' },
  JSON_INVALID_UTF8: { id: 'json-invalid-utf8', severity: 'error', kind: 'request', endpoint: 'Malformed JSON: invalid UTF-8 at line {line} column {column}', report: 'request body is not valid UTF-8' },
  JSON_TOO_DEEP: { id: 'json-too-deep', severity: 'error', kind: 'request', endpoint: 'Malformed JSON: {name} at line {line} column {column}', report: 'JSON nested too deep: {name} (option maxJsonDepth)' },
  // --- generic events ----------------------------------------------------------------------------
  EVENT_NOT_OBJECT: { id: 'event-not-object', severity: 'error', kind: 'structural', endpoint: 'must be an object', report: 'an event must be a JSON object{hint}' },
  EVENTS_EMPTY: { id: 'events-empty', severity: 'warning', kind: 'semantic', endpoint: '', report: 'empty array: the request is accepted and ingests nothing' },
  EVENT_TIMESTAMP_INVALID: { id: 'event-timestamp-invalid', severity: 'warning', kind: 'semantic', endpoint: '', report: 'timestamp is not epoch seconds/milliseconds/microseconds or RFC 3339: the platform replaces it by the ingest time' },
  EVENT_TIMESTAMP_OLD: { id: 'event-timestamp-old', severity: 'warning', kind: 'semantic', endpoint: '', report: 'timestamp is more than {max} hours before now: the platform accepts the request and then drops the event' },
  // --- Smartscape events -------------------------------------------------------------------------
  SMARTSCAPE_NOT_OBJECT: { id: 'smartscape-not-object', severity: 'error', kind: 'structural', endpoint: 'must be an object', report: 'a Smartscape event must be a JSON object{hint}' },
  SMARTSCAPE_EMPTY: { id: 'smartscape-empty', severity: 'warning', kind: 'semantic', endpoint: '', report: 'empty array: the request is accepted and ingests nothing' },
  SMARTSCAPE_IDENTITY_BOTH: { id: 'smartscape-identity-both', severity: 'error', kind: 'structural', endpoint: 'id and type are mutually exclusive', report: 'both identity modes: give either id (Mode 1) or type + id_components (Mode 2), not both' },
  SMARTSCAPE_IDENTITY_MISSING: { id: 'smartscape-identity-missing', severity: 'error', kind: 'structural', endpoint: 'one of id or type is required', report: 'no identity: give id (Mode 1) or type + id_components (Mode 2)' },
  SMARTSCAPE_ID_PATTERN: { id: 'smartscape-id-pattern', severity: 'error', kind: 'structural', endpoint: SMARTSCAPE_ID_PATTERN, report: 'id must be a string like HOST-0000000000000001 (^[A-Z][A-Z0-9_]*-[0-9A-F]{16}$)' },
  SMARTSCAPE_TYPE_PATTERN: { id: 'smartscape-type-pattern', severity: 'error', kind: 'structural', endpoint: SMARTSCAPE_TYPE_PATTERN, report: 'type must be a string like HOST or HOST_GROUP (^[A-Z][A-Z0-9_]*$)' },
  SMARTSCAPE_ID_COMPONENTS_MISSING: { id: 'smartscape-id-components-missing', severity: 'error', kind: 'structural', endpoint: 'id_components is required when type is set', report: 'id_components is required when type is set (Mode 2)' },
  SMARTSCAPE_ID_COMPONENTS_SHAPE: { id: 'smartscape-id-components-shape', severity: 'error', kind: 'structural', endpoint: 'must be an array of single-key objects with a string value', report: 'id_components must be an array of single-key objects whose value is a string, e.g. [{"hostname":"myhost"}]{hint}' },
  SMARTSCAPE_EVENT_VERSION: { id: 'smartscape-event-version', severity: 'error', kind: 'structural', endpoint: 'unknown event.version: only 1 is accepted', report: 'event.version must be the integer 1 (the only known version)' },
  SMARTSCAPE_TIMESTAMP: { id: 'smartscape-timestamp', severity: 'error', kind: 'structural', endpoint: 'must be an RFC 3339 string or a positive number', report: 'timestamp must be an RFC 3339 string (2024-01-01T00:00:00Z) or a positive number; zero and negatives are rejected' },
  SMARTSCAPE_UPDATE_LIFETIME: { id: 'smartscape-update-lifetime', severity: 'error', kind: 'structural', endpoint: 'must be a boolean', report: 'update_lifetime must be a boolean' },
  SMARTSCAPE_SECURITY_CONTEXT: { id: 'smartscape-security-context', severity: 'error', kind: 'structural', endpoint: 'must be a string or an array of strings', report: 'dt.security_context must be a string or an array of strings' },
  SMARTSCAPE_EDGES_SHAPE: { id: 'smartscape-edges-shape', severity: 'error', kind: 'structural', endpoint: 'must be an object of arrays of node references', report: '{name} must be an object keyed by relationship name whose values are arrays of node references{hint}' },
  SMARTSCAPE_TAGS_SHAPE: { id: 'smartscape-tags-shape', severity: 'error', kind: 'structural', endpoint: 'must be an object of string values', report: 'tag context {name} must be an object whose values are strings' },
  SMARTSCAPE_FIELD_NOT_ALLOWED: { id: 'smartscape-field-not-allowed', severity: 'error', kind: 'semantic', endpoint: 'field not allowed for this type', report: "field '{name}' is not in the field allowlist (option smartscapeFieldAllowlist; EXT_ and CUSTOM_ types bypass it)" },
  // --- third-party synthetic (classic API) ---------------------------------------------------------
  SYNTHETIC_NOT_OBJECT: { id: 'synthetic-not-object', severity: 'error', kind: 'structural', endpoint: "Could not map JSON at '{name}'{hint}", report: 'the body must be a JSON object' },
  SYNTHETIC_REQUIRED: { id: 'synthetic-required', severity: 'error', kind: 'structural', endpoint: MUST_NOT_BE_NULL, report: 'required field {name} is missing or null' },
  SYNTHETIC_TYPE: { id: 'synthetic-type', severity: 'error', kind: 'structural', endpoint: "Could not map JSON at '{name}'{hint}", report: '{name} must be {max}' },
  SYNTHETIC_NOT_UNIQUE: { id: 'synthetic-not-unique', severity: 'error', kind: 'structural', endpoint: 'must only contain unique elements', report: 'duplicate item: {name} is a set (equal to item {n})' },
  SYNTHETIC_STEP_ID_DUPLICATE: { id: 'synthetic-step-id-duplicate', severity: 'error', kind: 'semantic', endpoint: 'step ids must be unique', report: 'step id {n} is used twice in the same monitor' },
  SYNTHETIC_SUCCESS_RATE: { id: 'synthetic-success-rate', severity: 'error', kind: 'structural', endpoint: 'must be between 0 and 100', report: 'successRate must lie between 0 and 100 (percent)' },
  SYNTHETIC_TIMESTAMP_FUTURE: { id: 'synthetic-timestamp-future', severity: 'error', kind: 'semantic', endpoint: "The property '{name}' is only allowed to lie 10 minutes in the future at max", report: '{name} lies {n} ms in the future; at most {max} ms are allowed' },
  SYNTHETIC_ENABLED_DELETED: { id: 'synthetic-enabled-deleted', severity: 'warning', kind: 'semantic', endpoint: '', report: 'enabled and deleted are both true (set enabled to false for a deleted monitor)' },
  SYNTHETIC_UNKNOWN_MONITOR: { id: 'synthetic-unknown-monitor', severity: 'warning', kind: 'semantic', endpoint: 'unknown monitor id', report: "result for monitor '{name}' which is not in tests (the server creates the monitor on first use)" },
  SYNTHETIC_UNKNOWN_LOCATION: { id: 'synthetic-unknown-location', severity: 'warning', kind: 'semantic', endpoint: 'unknown location id', report: "location '{name}' is not in locations" },
  SYNTHETIC_UNKNOWN_STEP: { id: 'synthetic-unknown-step', severity: 'warning', kind: 'semantic', endpoint: 'unknown step id', report: "step {name} is not among the monitor's steps" },
  // --- custom device (classic API) -----------------------------------------------------------------
  CUSTOM_DEVICE_ID: { id: 'custom-device-id', severity: 'error', kind: 'semantic', endpoint: 'size must be between 1 and {max}', report: 'customDeviceId must be a non-empty string of at most {max} characters (got {n})' },
  // *decided*: the API does not say which ids it refuses, but an id of `.` or `..`, or one holding `/`
  // or `\` (a slash to WHATWG URL parsers), is no single path segment: percent-encoded or not, URL
  // normalisation turns such a path into another endpoint's (`custom/%2e%2e` is `/api/v1/entity/infrastructure/`).
  // Refused with the classic constraint envelope, so a proxy never forwards it.
  CUSTOM_DEVICE_ID_SEGMENT: { id: 'custom-device-id-segment', severity: 'error', kind: 'semantic', endpoint: "must be a single path segment: not '.' or '..', without '/' or '\\'", report: "customDeviceId must be usable as one path segment: not '.' or '..', and without '/' or '\\' (got {name})" },
  CUSTOM_DEVICE_NOT_OBJECT: { id: 'custom-device-not-object', severity: 'error', kind: 'structural', endpoint: "Could not map JSON at '{name}'{hint}", report: 'the body must be a JSON object' },
  CUSTOM_DEVICE_TYPE: { id: 'custom-device-type', severity: 'error', kind: 'structural', endpoint: "Could not map JSON at '{name}'{hint}", report: '{name} must be {max}' },
  CUSTOM_DEVICE_REQUIRED: { id: 'custom-device-required', severity: 'error', kind: 'structural', endpoint: MUST_NOT_BE_NULL, report: 'required field {name} is missing or null' },
  CUSTOM_DEVICE_TOO_LONG: { id: 'custom-device-too-long', severity: 'error', kind: 'structural', endpoint: 'size must be between 0 and {max}', report: '{name} is too long: {n} > {max} characters' },
  CUSTOM_DEVICE_TOO_MANY: { id: 'custom-device-too-many', severity: 'error', kind: 'structural', endpoint: 'size must be between 0 and {max}', report: '{name} has too many items: {n} > {max}' },
  CUSTOM_DEVICE_NOT_UNIQUE: { id: 'custom-device-not-unique', severity: 'error', kind: 'structural', endpoint: 'must only contain unique elements', report: '{name} must not contain duplicates (equal to item {n})' },
  CUSTOM_DEVICE_IP: { id: 'custom-device-ip', severity: 'error', kind: 'structural', endpoint: 'must be a valid IPv4 or IPv6 address', report: 'not a valid IPv4 or IPv6 address' },
  CUSTOM_DEVICE_PORT: { id: 'custom-device-port', severity: 'error', kind: 'structural', endpoint: 'must be between 1 and 65535', report: 'listen port must be an integer from 1 to 65535 (a numeric string is accepted)' },
  CUSTOM_DEVICE_DATA_POINT: { id: 'custom-device-data-point', severity: 'error', kind: 'structural', endpoint: "Could not map JSON at '{name}'{hint}", report: 'a data point must be a [timestampMs, value] pair of numbers' },
  CUSTOM_DEVICE_TIMESTAMP_PAST: { id: 'custom-device-timestamp-past', severity: 'error', kind: 'semantic', endpoint: 'Data point timestamp is too far in the past', report: 'data point timestamp is {n} ms before now; at most {max} ms are accepted' },
  CUSTOM_DEVICE_TIMESTAMP_FUTURE: { id: 'custom-device-timestamp-future', severity: 'error', kind: 'semantic', endpoint: 'Data point timestamp is too far in the future', report: 'data point timestamp is {n} ms after now; at most {max} ms are accepted' },
  CUSTOM_DEVICE_URL: { id: 'custom-device-url', severity: 'warning', kind: 'semantic', endpoint: '', report: '{name} is not an absolute http(s) URL' },
  CUSTOM_DEVICE_PORTS_WITHOUT_ADDRESS: { id: 'custom-device-ports-without-address', severity: 'warning', kind: 'semantic', endpoint: '', report: 'listenPorts without any IP address or host name cannot be used for topology discovery' },
  CUSTOM_DEVICE_DEPRECATED: { id: 'custom-device-deprecated', severity: 'info', kind: 'semantic', endpoint: '', report: 'the custom device endpoint is deprecated; prefer Smartscape events or the Metrics API v2' },
  // --- log ingest v2 (docs/spec/logs-ingest.md) ----------------------------------------------------
  // Records with an error are dropped; the others are ingested (200 partial success, *docs*). The
  // endpoint's own texts are not public: terse and specific (*decided*).
  LOGS_TOO_MANY_RECORDS: { id: 'logs-too-many-records', severity: 'error', kind: 'semantic', endpoint: 'Payload too large: {n} > {max} log records', report: 'too many log records in one request: {n} > {max} (the whole request is refused with 413)' },
  LOGS_PARTIAL_SUCCESS: { id: 'logs-partial-success', severity: 'info', kind: 'semantic', endpoint: '{n} of {max} log records ingested; the others were invalid', report: 'partial success (200): {n} of {max} log records are ingested, the invalid ones dropped' },
  LOGS_EMPTY: { id: 'logs-empty', severity: 'warning', kind: 'semantic', endpoint: '', report: 'no log record in the body: the request is accepted and ingests nothing' },
  LOG_NOT_OBJECT: { id: 'log-not-object', severity: 'error', kind: 'structural', endpoint: 'must be a JSON object', report: 'a log record must be a JSON object{hint}; this record is not ingested' },
  LOG_LINE_SYNTAX: { id: 'log-line-syntax', severity: 'error', kind: 'semantic', endpoint: 'Malformed JSON: {name} at line {line} column {column}', report: 'malformed JSON line: {name}; this record is not ingested' },
  LOG_CONTENT_MISSING: { id: 'log-content-missing', severity: 'warning', kind: 'semantic', endpoint: '', report: 'no content key ({name}): the record is ingested with an empty content' },
  LOG_CONTENT_TOO_LONG: { id: 'log-content-too-long', severity: 'warning', kind: 'semantic', endpoint: '', report: 'content is {n} bytes, over the {max}-byte limit: it is truncated' },
  LOG_TIMESTAMP_INVALID: { id: 'log-timestamp-invalid', severity: 'warning', kind: 'semantic', endpoint: '', report: 'timestamp is not epoch seconds/milliseconds, RFC 3339 or RFC 3164: the ingest time is used and the value kept as unparsed_timestamp' },
  LOG_TIMESTAMP_OLD: { id: 'log-timestamp-old', severity: 'warning', kind: 'semantic', endpoint: '', report: 'timestamp is older than {max} hours: the record is dropped after acceptance' },
  LOG_TIMESTAMP_FUTURE: { id: 'log-timestamp-future', severity: 'warning', kind: 'semantic', endpoint: '', report: 'timestamp lies {n} ms in the future, more than {max} ms: it is replaced by {name}' },
  LOG_SEVERITY_UNKNOWN: { id: 'log-severity-unknown', severity: 'info', kind: 'semantic', endpoint: '', report: '{name} does not name a known level: loglevel is NONE' },
  LOG_TOO_MANY_ATTRIBUTES: { id: 'log-too-many-attributes', severity: 'warning', kind: 'semantic', endpoint: '', report: 'the record has {n} attributes, over the limit of {max}: the ones past it are not ingested' },
  LOG_ATTRIBUTE_KEY_TOO_LONG: { id: 'log-attribute-key-too-long', severity: 'warning', kind: 'semantic', endpoint: '', report: 'attribute key is {n} bytes, over the {max}-byte limit' },
  LOG_ATTRIBUTE_VALUE_TOO_LONG: { id: 'log-attribute-value-too-long', severity: 'warning', kind: 'semantic', endpoint: '', report: 'attribute value is {n} bytes, over the {max}-byte limit: it is truncated' },
  LOG_TOO_MANY_VALUES: { id: 'log-too-many-values', severity: 'warning', kind: 'semantic', endpoint: '', report: 'the attribute has {n} values, over the limit of {max}' },
  LOG_NESTING_TOO_DEEP: { id: 'log-nesting-too-deep', severity: 'warning', kind: 'semantic', endpoint: '', report: 'nested objects deeper than {max} levels are not ingested' },
  // --- business events (docs/spec/bizevents.md) ----------------------------------------------------
  // A 400 names the invalid events; the valid ones are accepted (*docs*).
  BIZ_EVENTS_EMPTY: { id: 'biz-events-empty', severity: 'warning', kind: 'semantic', endpoint: '', report: 'empty array: the request is accepted and ingests nothing' },
  BIZ_EVENT_NOT_OBJECT: { id: 'biz-event-not-object', severity: 'error', kind: 'structural', endpoint: 'must be a JSON object', report: 'a business event must be a JSON object{hint}' },
  BIZ_BATCH_NOT_ARRAY: { id: 'biz-batch-not-array', severity: 'error', kind: 'structural', endpoint: 'a CloudEvents batch must be a JSON array', report: 'application/cloudevent-batch+json takes a JSON array of CloudEvents' },
  BIZ_CLOUDEVENT_NOT_SINGLE: { id: 'biz-cloudevent-not-single', severity: 'error', kind: 'structural', endpoint: 'a CloudEvent must be a JSON object', report: 'application/cloudevent+json takes one CloudEvent object (send an array as application/cloudevent-batch+json)' },
  BIZ_CLOUDEVENT_REQUIRED: { id: 'biz-cloudevent-required', severity: 'error', kind: 'structural', endpoint: '{name} is required', report: 'required CloudEvents attribute {name} is missing' },
  BIZ_CLOUDEVENT_STRING: { id: 'biz-cloudevent-string', severity: 'error', kind: 'structural', endpoint: '{name} must be a non-empty string', report: 'CloudEvents attribute {name} must be a non-empty string' },
  BIZ_CLOUDEVENT_SPECVERSION: { id: 'biz-cloudevent-specversion', severity: 'error', kind: 'structural', endpoint: 'specversion must be 1.0', report: 'specversion must be "1.0" (CloudEvents 1.0)' },
  BIZ_CLOUDEVENT_DATA_BOTH: { id: 'biz-cloudevent-data-both', severity: 'error', kind: 'structural', endpoint: 'data and data_base64 are mutually exclusive', report: 'a CloudEvent carries data or data_base64, not both' },
  BIZ_CLOUDEVENT_TIME: { id: 'biz-cloudevent-time', severity: 'warning', kind: 'semantic', endpoint: '', report: 'time is not an RFC 3339 timestamp' },
  BIZ_CLOUDEVENT_EXTENSION_NAME: { id: 'biz-cloudevent-extension-name', severity: 'warning', kind: 'semantic', endpoint: '', report: "attribute name '{name}' is not a CloudEvents name (lower-case letters and digits, at most {max} characters)" },
} as const satisfies Record<string, EventRuleShape>;

/** Name of a row of {@link EVENT_RULES}. */
export type EventRuleName = keyof typeof EVENT_RULES;

/**
 * Id of a JSON body rule: the union of every id of the table.
 * @example const id: EventRuleId = 'smartscape-id-pattern';
 */
export type EventRuleId = (typeof EVENT_RULES)[EventRuleName]['id'];

/**
 * Id of any rule: metrics (`src/protocol/rules.ts`) or JSON bodies. Two ids are in both tables
 * (`body-empty`, `body-too-large`): the same problem of a request, whatever the payload.
 * @example const off: RuleId[] = ['metric-key-changed', 'custom-device-deprecated'];
 */
export type RuleId = MetricsRuleId | EventRuleId;

/** All events rules as a list, in table order. */
export const EVENT_RULE_LIST: readonly EventRuleInfo[] = /* @__PURE__ */ (() => Object.freeze<EventRuleInfo[]>(Object.values(EVENT_RULES)))();

/**
 * Looks up a rule by its public id.
 * @example eventRuleById('smartscape-id-pattern')?.kind // 'structural'
 */
export function eventRuleById(id: string): EventRuleInfo | undefined {
  for (const row of EVENT_RULE_LIST) if (row.id === id) return row;
  return undefined;
}

/** Values that fill a template's placeholders. */
export interface EventTemplateValues {
  n?: number | string;
  max?: number | string;
  min?: number | string;
  name?: string;
  hint?: string;
  line?: number;
  column?: number;
}

/**
 * Fills `{name}` placeholders of a template. Runs only on the problem path.
 * @example formatEventTemplate('size must be between 0 and {max}', { max: 512 }) // 'size must be between 0 and 512'
 */
export function formatEventTemplate(template: string, values: EventTemplateValues): string {
  // one template filler for every rule table (src/protocol/rules.ts)
  return formatTemplate(template, values);
}
