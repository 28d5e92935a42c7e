/**
 * The JSON body family: generic events, Smartscape events, third-party synthetic and custom device
 * bodies. One call per endpoint (`validateEvents`, `validateSmartscapeEvents`,
 * `validateSyntheticTests`, `validateCustomDevice`), and the stages for power users: reading JSON
 * with positions (`readJsonBody`), the grammars (`isSmartscapeId`, `isRfc3339`, ...), the envelopes,
 * the rule table and the options table.
 *
 * @example
 * import { validateSmartscapeEvents } from 'dt-ingest';
 * validateSmartscapeEvents('[{"type":"HOST","id_components":[{"hostname":"a"}]}]').status // 202
 *
 * An internal barrel for the code and tests of this package (it names internals too); the package's
 * public API is `src/index.ts`.
 *
 * @module
 */
export { validateEvents, eventTimestampMillis } from './generic.js';
export { validateSmartscapeEvents } from './smartscape.js';
export { validateSyntheticTests } from './synthetic.js';
export { validateCustomDevice } from './custom-device.js';
export { validateLogs, logsBodyKind } from './logs.js';
export type { LogsBodyKind } from './logs.js';
export { validateBizEvents, bizEventsBodyKind } from './bizevents.js';
export type { BizEventsBodyKind } from './bizevents.js';
export { computeSmartscapeId, computeCustomDeviceIds, fnv1a64Hex, murmur3x64_128 } from './ids.js';
export { readJsonBody, scanJson, locateJsonPath, lineColumn, utf8Length } from './json.js';
export type { JsonReadResult, JsonSyntaxError, PathSegment } from './json.js';
export { isSmartscapeId, isSmartscapeType, isRfc3339, parseRfc3339, rfc3339ToMillis, isIPv4, isIPv6, isHttpUrl } from './patterns.js';
export {
  IssueCollector,
  errorEnvelope,
  requestFailure,
  toPointer,
  toClassicPath,
  escapePointerSegment,
  shortText,
  PLATFORM_INVALID_MESSAGE,
  CLASSIC_INVALID_MESSAGE,
} from './envelopes.js';
export type {
  BodyValidationResult,
  ClassicConstraintViolation,
  ClassicErrorEnvelope,
  PlatformConstraintViolation,
  PlatformErrorEnvelope,
  CustomDevicePushResult,
  EnvelopeFamily,
  LogsValidationResult,
  LogsSuccessEnvelope,
  BizEventsValidationResult,
  BizEventIngestResult,
  BizEventIngestError,
} from './envelopes.js';
export type { BodyInput } from './common.js';
export { EVENTS_DEFAULTS, EVENTS_CONSTANTS, LOG_KEYS, LOG_MEDIA_TYPES, BIZ_MEDIA_TYPES, CLOUDEVENTS, resolveEventsOptions } from './options.js';
export type { EventsOptions, ResolvedEventsOptions } from './options.js';
export { EVENT_RULES, EVENT_RULE_LIST, eventRuleById, formatEventTemplate } from './rules.js';
export type { EventRuleInfo, EventRuleKind, EventRuleName, EventTemplateValues } from './rules.js';
export type * from './types.js';
