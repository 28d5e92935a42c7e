/**
 * The endpoints' answers, and the issue collector every body validator writes into.
 *
 * Two envelope families (spec "Common ground"):
 * - classic API (`/api/v1/...`: synthetic, custom device), *server*:
 *   `{"error":{"code":400,"message":"Constraints violated.","constraintViolations":[{"path":"tests[0].id","message":"must not be null","parameterLocation":"PAYLOAD_BODY","location":null}]}}`,
 *   and for a body that does not fit the model `{"error":{"code":400,"message":"Could not map JSON at 'series[42].dimensions' near line 1 column 6292"}}`;
 * - platform API (`/platform/ingest/...`: events, Smartscape), *docs*:
 *   `{"error":{"code":400,"message":"The input is invalid.","details":{"type":"constraintViolation","constraintViolations":[{"message":"...","path":"/0/id"}]}}}`.
 *
 * The collector keeps the issue list `undefined` until the first problem, so a clean body allocates
 * no issue objects; paths are built only when something is reported.
 *
 * @module
 */
import type { Severity } from '../protocol/rules.js';
import type { Issue } from '../types.js';
import type { EventRuleId } from './rules.js';
import type { JsonReadResult, PathSegment } from './json.js';
import { lineColumn, locateJsonPath } from './json.js';
import type { EventRuleInfo, EventTemplateValues } from './rules.js';
import { EVENT_RULES, formatEventTemplate } from './rules.js';

/** One entry of a classic `ErrorEnvelope`'s `constraintViolations`. */
export interface ClassicConstraintViolation {
  path: string;
  message: string;
  parameterLocation: 'PAYLOAD_BODY' | 'PATH' | 'QUERY' | 'HEADER';
  location: null;
}

/** The classic API `ErrorEnvelope` (synthetic, custom device). */
export interface ClassicErrorEnvelope {
  error: { code: number; message: string; constraintViolations?: ClassicConstraintViolation[] };
}

/** One entry of a platform `ConstraintViolationDetails`. */
export interface PlatformConstraintViolation {
  message: string;
  /** JSON Pointer of the offending value (*decided*). */
  path: string;
}

/** The platform API `ErrorResponseEnvelope` (generic events, Smartscape). */
export interface PlatformErrorEnvelope {
  error: {
    code: number;
    message: string;
    details?: { type: 'constraintViolation'; constraintViolations: PlatformConstraintViolation[] };
  };
}

/** Success body of the custom device endpoint (`CustomDevicePushResult`). */
export interface CustomDevicePushResult {
  entityId: string;
  groupId: string;
}

/**
 * An issue of a JSON body: its rule is a JSON body rule, and it always has a JSON Pointer (`''` for
 * the whole body, as a request-level problem has; a syntax error has `line` and `column` too).
 * @example { rule: 'smartscape-id-pattern', severity: 'error', message: '...', pointer: '/0/id', text: '"host-1"', endpointMessage: 'must match ...' }
 */
export interface BodyIssue extends Issue<EventRuleId> {
  /** JSON Pointer of the offending value; `''` is the whole body. */
  pointer: string;
}

/**
 * What a body validator returns: the endpoint's answer, narrowed by `ok` or `status`, plus the rich
 * report. `ok: true` with the endpoint's success status and body; `ok: false` with 400 (malformed
 * JSON, constraint violations) or 413 (past the size limit) and the endpoint family's error envelope.
 * `issues` lists every problem, warning and note in document order (request-level ones first).
 *
 * @example
 * const r = validateSmartscapeEvents(body);
 * if (!r.ok) console.log(r.status, r.body.error.message);
 */
export type BodyValidationResult<OkStatus extends 200 | 202 | 204, OkBody, ErrorBody> =
  | { ok: true; status: OkStatus; body: OkBody; issues: BodyIssue[] }
  | { ok: false; status: 400 | 413; body: ErrorBody; issues: BodyIssue[] };

/**
 * The answer of the platform endpoints (generic events, Smartscape events): 202 without a body, or
 * the `ErrorResponseEnvelope`.
 * @example const r: PlatformValidationResult = validateEvents('[]'); // { ok: true, status: 202, body: null, issues: [...] }
 */
export type PlatformValidationResult = BodyValidationResult<202, null, PlatformErrorEnvelope>;

/**
 * The answer of the third-party synthetic endpoint: 204 without a body, or the classic `ErrorEnvelope`.
 * @example const r: SyntheticValidationResult = validateSyntheticTests(body);
 */
export type SyntheticValidationResult = BodyValidationResult<204, null, ClassicErrorEnvelope>;

/**
 * The answer of the custom device endpoint: 200 with the device's ids, or the classic `ErrorEnvelope`.
 * @example const r = validateCustomDevice('printer-1', body); if (r.ok) console.log(r.body.entityId);
 */
export type CustomDeviceValidationResult = BodyValidationResult<200, CustomDevicePushResult, ClassicErrorEnvelope>;

/**
 * The log ingest endpoint's partial success (`SuccessEnvelope`, *docs*): some records were dropped.
 * @example { details: { code: 200, message: '2 of 3 log records ingested; the others were invalid' } }
 */
export interface LogsSuccessEnvelope {
  details: { code: number; message: string };
}

/**
 * The answer of the log ingest endpoint: 204 without a body, 200 with a {@link LogsSuccessEnvelope}
 * (partial success), or the `ErrorEnvelope` (400, 413).
 * @example const r: LogsValidationResult = validateLogs('{"content":"x"}'); // { ok: true, status: 204, body: null, ... }
 */
export type LogsValidationResult =
  | { ok: true; status: 204; body: null; issues: BodyIssue[] }
  | { ok: true; status: 200; body: LogsSuccessEnvelope; issues: BodyIssue[] }
  | { ok: false; status: 400 | 413; body: ClassicErrorEnvelope; issues: BodyIssue[] };

/**
 * One entry of the business events endpoint's 400 (`BizEventIngestError`): which event of the body was
 * refused, and why. The field names are *decided* (the API reference names the types, not their fields).
 */
export interface BizEventIngestError {
  /** Index of the event in the body (0 for a single event). */
  index: number;
  message: string;
}

/**
 * The business events endpoint's 400 body (`BizEventIngestResult`, *docs*: "Some business events are
 * invalid. Valid business events are accepted and will be processed.").
 */
export interface BizEventIngestResult {
  errors: BizEventIngestError[];
}

/**
 * The answer of the business events endpoint: 202 without a body; 400 with a {@link BizEventIngestResult}
 * (the listed events were refused, the others accepted) or, for a body that cannot be read at all, the
 * `{error: {code, message}}` envelope; 413.
 * @example const r: BizEventsValidationResult = validateBizEvents('{"event.type":"order"}'); // status 202
 */
export type BizEventsValidationResult =
  | { ok: true; status: 202; body: null; issues: BodyIssue[] }
  | { ok: false; status: 400; body: BizEventIngestResult; issues: BodyIssue[] }
  | { ok: false; status: 400 | 413; body: RequestErrorEnvelope; issues: BodyIssue[] };

/** The answer of any of the body validators. Internal: not exported by the package. */
export type AnyBodyValidationResult =
  | PlatformValidationResult
  | SyntheticValidationResult
  | CustomDeviceValidationResult
  | LogsValidationResult
  | BizEventsValidationResult;

/** The envelope of a request-level failure: both families answer `{ error: { code, message } }`. */
export interface RequestErrorEnvelope {
  error: { code: number; message: string };
}

/** A body that failed before validation (413, malformed JSON): a failure of every result type. Internal: not exported by the package. */
export interface RequestFailure {
  ok: false;
  status: 400 | 413;
  body: RequestErrorEnvelope;
  issues: BodyIssue[];
}

/** Which envelope family an endpoint answers with. */
export type EnvelopeFamily = 'platform' | 'classic';

/** Message of the platform 400 envelope (the docs' example response). */
export const PLATFORM_INVALID_MESSAGE = 'The input is invalid.';
/** Message of the classic 400 envelope with constraint violations (*server*). */
export const CLASSIC_INVALID_MESSAGE = 'Constraints violated.';

/**
 * Escapes one JSON Pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`).
 * @example escapePointerSegment('a/b') // 'a~1b'
 */
export function escapePointerSegment(seg: string): string {
  if (seg.indexOf('~') < 0 && seg.indexOf('/') < 0) return seg;
  let out = '';
  for (let i = 0; i < seg.length; i++) {
    const ch = seg.charAt(i);
    out += ch === '~' ? '~0' : ch === '/' ? '~1' : ch;
  }
  return out;
}

/**
 * JSON Pointer of a path (`''` for the root).
 * @example toPointer([0, 'id_components', 1]) // '/0/id_components/1'
 */
export function toPointer(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += '/' + (typeof seg === 'number' ? String(seg) : escapePointerSegment(seg));
  return out;
}

/**
 * The pointer of the value that holds `pointer` (`''` for the root and its members).
 * @example parentPointer('/0/type') // '/0'
 */
export function parentPointer(pointer: string): string {
  const slash = pointer.lastIndexOf('/');
  return slash <= 0 ? '' : pointer.slice(0, slash);
}

/**
 * Classic API path of a path: keys joined with `.`, indices as `[i]` (`series[0].dataPoints[1]`).
 * @example toClassicPath(['series', 0, 'dataPoints', 1]) // 'series[0].dataPoints[1]'
 */
export function toClassicPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : '.' + seg;
  }
  return out;
}

const MAX_TEXT = 80;

/**
 * The offending value as short text (at most 80 characters): JSON for scalars and small containers,
 * cut with `…`. Bounded in time and depth whatever the value (never `JSON.stringify` of the whole).
 * @example shortText('x'.repeat(100)).length // 80
 */
export function shortText(value: unknown): string {
  let out = '';
  const write = (v: unknown, depth: number): void => {
    if (out.length > MAX_TEXT) return;
    if (v === null) out += 'null';
    else if (typeof v === 'string') out += JSON.stringify(v.length > MAX_TEXT ? v.slice(0, MAX_TEXT) : v);
    else if (typeof v === 'number' || typeof v === 'boolean') out += String(v);
    else if (v === undefined) out += 'undefined';
    else if (Array.isArray(v)) {
      if (depth > 3) {
        out += '[…]';
        return;
      }
      out += '[';
      for (let i = 0; i < v.length && out.length <= MAX_TEXT; i++) {
        if (i > 0) out += ',';
        write(v[i], depth + 1);
      }
      out += ']';
    } else if (typeof v === 'object') {
      if (depth > 3) {
        out += '{…}';
        return;
      }
      out += '{';
      let first = true;
      for (const k in v as Record<string, unknown>) {
        if (!Object.hasOwn(v, k)) continue;
        if (out.length > MAX_TEXT) break;
        if (!first) out += ',';
        first = false;
        out += JSON.stringify(k.length > MAX_TEXT ? k.slice(0, MAX_TEXT) : k) + ':';
        write((v as Record<string, unknown>)[k], depth + 1);
      }
      out += '}';
    } else out += String(v);
  };
  write(value, 0);
  return out.length > MAX_TEXT ? out.slice(0, MAX_TEXT - 1) + '…' : out;
}

/** Rule ids whose endpoint answer is the classic "Could not map JSON" message (the body does not fit the model). */
const MAPPING_RULES: ReadonlySet<string> = /* @__PURE__ */ (() =>
  new Set([
    EVENT_RULES.SYNTHETIC_NOT_OBJECT.id,
    EVENT_RULES.SYNTHETIC_TYPE.id,
    EVENT_RULES.CUSTOM_DEVICE_NOT_OBJECT.id,
    EVENT_RULES.CUSTOM_DEVICE_TYPE.id,
    EVENT_RULES.CUSTOM_DEVICE_DATA_POINT.id,
  ]))();

/**
 * Rule ids the classic endpoint answers as a plain message after bean validation passed (*server*:
 * `The property 'locationResult/startTimestamp' is only allowed to lie 10 minutes in the future at max`).
 * Strict cross references use the same form (*decided*).
 */
const PLAIN_RULES: ReadonlySet<string> = /* @__PURE__ */ (() =>
  new Set([
    EVENT_RULES.SYNTHETIC_TIMESTAMP_FUTURE.id,
    EVENT_RULES.SYNTHETIC_UNKNOWN_MONITOR.id,
    EVENT_RULES.SYNTHETIC_UNKNOWN_LOCATION.id,
    EVENT_RULES.SYNTHETIC_UNKNOWN_STEP.id,
  ]))();

/**
 * Collects issues for one validation. The list starts `undefined` and is created on the first issue;
 * after `maxErrors` errors, further errors are dropped and {@link IssueCollector.full} turns true so
 * validators can stop walking.
 */
export class IssueCollector {
  /** Issues so far, or `undefined` while there are none. */
  issues: BodyIssue[] | undefined = undefined;
  /** Error issues so far. */
  errors = 0;
  /** Path of the first classic mapping error (for `near line L column C`). */
  mappingPath: PathSegment[] | undefined = undefined;
  /** Path of each issue, in the same order (error path only). */
  paths: PathSegment[][] | undefined = undefined;
  private readonly maxErrors: number;

  /** @param maxErrors most errors kept (see `EventsOptions.maxErrors`). */
  constructor(maxErrors: number) {
    this.maxErrors = maxErrors;
  }

  /** True once `maxErrors` errors were collected. */
  get full(): boolean {
    return this.errors >= this.maxErrors;
  }

  /**
   * Reports one issue. `path` is built by the caller only on this error path.
   * @param value the offending value (shortened into `text`); `undefined` for a missing field.
   * @param severity overrides the rule's severity (strict cross references turn warnings into errors).
   */
  add(rule: EventRuleInfo, path: PathSegment[], value: unknown, values?: EventTemplateValues, severity?: Severity): void {
    const sev = severity ?? rule.severity;
    if (sev === 'error') {
      if (this.errors >= this.maxErrors) return;
      this.errors++;
    }
    const v = values ?? {};
    const issue: BodyIssue = { rule: rule.id, severity: sev, message: formatEventTemplate(rule.report, v), pointer: toPointer(path) };
    if (value !== undefined) issue.text = shortText(value);
    if (MAPPING_RULES.has(rule.id)) {
      issue.endpointMessage = `Could not map JSON at '${toClassicPath(path)}'`;
      if (this.mappingPath === undefined && sev === 'error') this.mappingPath = path;
    } else if (rule.endpoint !== '') {
      issue.endpointMessage = formatEventTemplate(rule.endpoint, v);
    }
    if (this.issues === undefined) {
      this.issues = [];
      this.paths = [];
    }
    this.issues.push(issue);
    this.paths!.push(path);
  }
}

/**
 * The answer to a body that failed before validation (413, malformed JSON), in the endpoint's family.
 * @example requestFailure('platform', { ok: false, status: 413, bytes: 11, max: 10 }).status // 413
 */
export function requestFailure(read: Exclude<JsonReadResult, { ok: true }>): RequestFailure {
  // both families answer request-level errors as `{error: {code, message}}`
  if (read.status === 413) {
    const rule = EVENT_RULES.BODY_TOO_LARGE;
    const values = { n: read.bytes, max: read.max };
    const message = formatEventTemplate(rule.endpoint, values);
    return {
      ok: false,
      status: 413,
      body: { error: { code: 413, message } },
      issues: [{ rule: rule.id, severity: 'error', message: formatEventTemplate(rule.report, values), pointer: '', endpointMessage: message }],
    };
  }
  const rule =
    read.kind === 'empty'
      ? EVENT_RULES.BODY_EMPTY
      : read.kind === 'utf8'
        ? EVENT_RULES.JSON_INVALID_UTF8
        : read.kind === 'depth'
          ? EVENT_RULES.JSON_TOO_DEEP
          : EVENT_RULES.JSON_SYNTAX;
  const values = { name: read.reason, line: read.line, column: read.column };
  const message = formatEventTemplate(rule.endpoint, values);
  const issue: BodyIssue = {
    rule: rule.id,
    severity: 'error',
    message: formatEventTemplate(rule.report, values),
    pointer: '',
    line: read.line,
    column: read.column,
    endpointMessage: message,
  };
  if (read.kind === 'syntax') issue.text = shortText(read.text.slice(read.offset, read.offset + 20));
  return { ok: false, status: 400, body: { error: { code: 400, message } }, issues: [issue] };
}

/**
 * Builds the 400 answer from the collected errors (call only when `c.errors > 0`).
 * Platform: every error as a constraint violation with a JSON Pointer path. Classic, in the Java
 * endpoint's order: the first mapping error as `Could not map JSON at '...' [near line L column C]`
 * (mapping fails before bean validation); else every constraint violation; else the first plain
 * business-rule message (the future `startTimestamp`).
 * @example errorEnvelope('platform', collector, undefined).error.message // 'The input is invalid.'
 */
export function errorEnvelope(family: 'platform', c: IssueCollector, text: string | undefined): PlatformErrorEnvelope;
export function errorEnvelope(family: 'classic', c: IssueCollector, text: string | undefined): ClassicErrorEnvelope;
export function errorEnvelope(family: EnvelopeFamily, c: IssueCollector, text: string | undefined): PlatformErrorEnvelope | ClassicErrorEnvelope {
  const issues = c.issues!;
  const paths = c.paths!;
  if (family === 'platform') {
    const list: PlatformConstraintViolation[] = [];
    for (const issue of issues) {
      if (issue.severity !== 'error') continue;
      list.push({ message: issue.endpointMessage ?? issue.message, path: issue.pointer ?? '' });
    }
    return { error: { code: 400, message: PLATFORM_INVALID_MESSAGE, details: { type: 'constraintViolation', constraintViolations: list } } };
  }
  if (c.mappingPath !== undefined) {
    let message = `Could not map JSON at '${toClassicPath(c.mappingPath)}'`;
    if (text !== undefined) {
      const at = locateJsonPath(text, c.mappingPath);
      if (at >= 0) {
        const lc = lineColumn(text, at);
        message += ` near line ${lc.line} column ${lc.column}`;
      }
    }
    return { error: { code: 400, message } };
  }
  const list: ClassicConstraintViolation[] = [];
  let plain: string | undefined;
  for (let k = 0; k < issues.length; k++) {
    const issue = issues[k]!;
    if (issue.severity !== 'error') continue;
    if (PLAIN_RULES.has(issue.rule)) {
      if (plain === undefined) plain = issue.endpointMessage ?? issue.message;
      continue;
    }
    const isPath = issue.rule === EVENT_RULES.CUSTOM_DEVICE_ID.id || issue.rule === EVENT_RULES.CUSTOM_DEVICE_ID_SEGMENT.id;
    let path = isPath ? 'customDeviceId' : toClassicPath(paths[k]!);
    // *server*: the real answer for an old data point names `series[0].datapoints[0]`, lower case.
    if (issue.rule === EVENT_RULES.CUSTOM_DEVICE_TIMESTAMP_PAST.id || issue.rule === EVENT_RULES.CUSTOM_DEVICE_TIMESTAMP_FUTURE.id) {
      path = path.replace('.dataPoints[', '.datapoints[');
    }
    list.push({
      path,
      message: issue.endpointMessage ?? issue.message,
      parameterLocation: isPath ? 'PATH' : 'PAYLOAD_BODY',
      location: null,
    });
  }
  if (list.length === 0 && plain !== undefined) return { error: { code: 400, message: plain } };
  return { error: { code: 400, message: CLASSIC_INVALID_MESSAGE, constraintViolations: list } };
}
