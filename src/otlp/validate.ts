/**
 * The OTLP metrics validator: an `ExportMetricsServiceRequest` judged as Dynatrace's
 * `/api/v2/otlp/v1/metrics` does (docs/spec/otlp-metrics.md), answered as the endpoint answers
 * (status, protobuf body, `partial_success`), with a rich report whose issues carry their path
 * (resource → scope → metric → data point → attribute) and rule id.
 *
 * @module
 */
import type { OtlpOptions, ResolvedOtlpOptions } from '../protocol/otlp-options.js';
import { resolveOtlpOptions } from '../protocol/otlp-options.js';
import {
  OTLP_DETAILS,
  OTLP_ERRORS_HEADING,
  OTLP_MESSAGE_HEAD,
  OTLP_WARNINGS_HEADING,
  OtlpCode,
  type OtlpRuleId,
  WIRE_PROBLEMS,
  otlpRule,
} from '../protocol/otlp-rules.js';
import { formatTemplate } from '../protocol/rules.js';
import type { Issue } from '../types.js';
import { encodeExportResponse, encodeStatus, grpcCodeOf } from './response.js';
import { type OtlpWalkHost, OtlpWalker } from './walk.js';

/**
 * One problem, change or note of an OTLP request, at its place. Indexes are 0-based and absent when
 * the issue is about a larger part (a metric-level rejection has no `point`).
 */
export interface OtlpIssue extends Issue<OtlpRuleId> {
  /** `resource[0].scope[1].metric[2](name).point[3].attribute[4](key)`, as far as it applies. */
  path: string;
  /** Index of the `ResourceMetrics`. */
  resource?: number;
  /** Index of the `ScopeMetrics` in its resource. */
  scope?: number;
  /** Index of the `Metric` in its scope. */
  metric?: number;
  /** Index of the data point in its metric. */
  point?: number;
  /** Index of the attribute in its data point. */
  attribute?: number;
  /** Byte offset (in the uncompressed body) of the message the issue is about. */
  offset?: number;
  /** The metric name. */
  metricName?: string;
  /** The Dynatrace reason, where the endpoint names one. */
  reason?: string;
  /** Points this issue stands for (a metric-level rejection counts every point of the metric). */
  points?: number;
}

/** The endpoint's answer and our report. */
export interface OtlpValidationResult {
  /** HTTP status: 200, or 400/413/415 for the whole request. */
  status: number;
  /** `Content-Type` of `body`. */
  contentType: 'application/x-protobuf';
  /** The body the endpoint answers: `ExportMetricsServiceResponse` (200) or `google.rpc.Status`. */
  body: Uint8Array;
  /** `partial_success.error_message` (200) or the status message. */
  message: string;
  /** Data points in the request. */
  points: number;
  /** Points the endpoint drops (`partial_success.rejected_data_points`; every point when the request is refused). */
  rejected: number;
  /** Points kept with a change (a dimension dropped or truncated, a name normalized). */
  changed: number;
  /** Resources and metrics in the request. */
  resources: number;
  metrics: number;
  /** The rich report (empty with `issues: false`). */
  issues: OtlpIssue[];
}

/** How the request arrived (headers), for the 415 the endpoint answers. */
export interface OtlpRequestInfo {
  /** `Content-Type`; absent means application/x-protobuf (a file read by the CLI). */
  contentType?: string;
  /** Build the rich report. Default `true`; `false` is validate-only (counts and the endpoint body). */
  issues?: boolean;
}

const decoder = /* @__PURE__ */ new TextDecoder('utf-8');

/** Whether a Content-Type is OTLP's binary protobuf (parameters ignored, case-insensitive). */
export function isProtobufContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const base = contentType.split(';')[0]!.trim().toLowerCase();
  return base === 'application/x-protobuf' || base === 'application/protobuf';
}

/** Builds the endpoint lines and the rich issues on the problem path. */
class Report implements OtlpWalkHost {
  readonly issues: OtlpIssue[] = [];
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  private readonly o: ResolvedOtlpOptions;
  private readonly rich: boolean;
  private lastName = -1;
  private lastNameText = '';

  constructor(o: ResolvedOtlpOptions, rich: boolean) {
    this.o = o;
    this.rich = rich;
  }

  private nameOf(w: OtlpWalker): string {
    if (this.lastName !== w.nameStart) {
      this.lastName = w.nameStart;
      this.lastNameText = decoder.decode(w.r.buf.subarray(w.nameStart, w.nameEnd));
    }
    return this.lastNameText;
  }

  problem(code: number, w: OtlpWalker, n: number, max: number): void {
    const rule = otlpRule(code);
    const name = this.nameOf(w);
    const attr = w.attributeIndex >= 0 ? decoder.decode(w.r.buf.subarray(w.keyStart, w.keyEnd)) : '';
    const values = { name, reason: rule.reason, details: detailsOf(code, attr), attr, n, max };
    let endpointMessage: string | undefined;
    if (rule.endpoint !== '') {
      endpointMessage = formatTemplate(rule.endpoint, values);
      const list = rule.severity === 'error' ? this.errors : this.warnings;
      if (list.length < this.o.maxListedProblems) list.push(endpointMessage);
    }
    if (!this.rich) return;
    const issue: OtlpIssue = {
      rule: rule.id,
      severity: rule.severity,
      message: formatTemplate(rule.report, values),
      path: pathOf(w, name, attr),
      offset: w.at,
    };
    issue.resource = w.resourceIndex;
    issue.scope = w.scopeIndex;
    issue.metric = w.metricIndex;
    if (w.pointIndex >= 0) issue.point = w.pointIndex;
    else if (rule.effect === 'reject-point') issue.points = n;
    if (w.attributeIndex >= 0) issue.attribute = w.attributeIndex;
    issue.metricName = name;
    if (rule.reason !== '') issue.reason = rule.reason;
    if (endpointMessage !== undefined) issue.endpointMessage = endpointMessage;
    this.issues.push(issue);
  }

  /** `partial_success.error_message`: the head, the dropped points, then the changes. */
  message(): string {
    if (this.errors.length === 0 && this.warnings.length === 0) return '';
    let text = OTLP_MESSAGE_HEAD;
    if (this.errors.length > 0) text += `${OTLP_ERRORS_HEADING}${this.errors.join('\n')}\n`;
    if (this.warnings.length > 0) text += `${OTLP_WARNINGS_HEADING}${this.warnings.join('\n')}\n`;
    return text;
  }
}

function detailsOf(code: number, attr: string): string {
  switch (code) {
    case OtlpCode.VALUE_NAN:
      return OTLP_DETAILS.NAN;
    case OtlpCode.VALUE_INFINITE:
      return OTLP_DETAILS.INFINITE;
    case OtlpCode.VALUE_MISSING:
      return OTLP_DETAILS.MISSING;
    case OtlpCode.HISTOGRAM_BOUNDS_UNSORTED:
      return OTLP_DETAILS.UNSORTED;
    case OtlpCode.HISTOGRAM_BUCKETS_MISMATCH:
      return OTLP_DETAILS.MISMATCH;
    default:
      return attr;
  }
}

function pathOf(w: OtlpWalker, name: string, attr: string): string {
  let path = `resource[${w.resourceIndex}]`;
  if (w.scopeIndex >= 0) path += `.scope[${w.scopeIndex}]`;
  if (w.metricIndex >= 0) path += `.metric[${w.metricIndex}](${name})`;
  if (w.pointIndex >= 0) path += `.point[${w.pointIndex}]`;
  if (w.attributeIndex >= 0) path += `.attribute[${w.attributeIndex}](${attr})`;
  return path;
}

/** A request-level answer (400/413/415) with its one issue. */
function refuse(status: number, code: number, values: object, w: OtlpWalker | undefined, rich: boolean): OtlpValidationResult {
  const rule = otlpRule(code);
  const message = rule.reason !== '' ? formatTemplate(rule.endpoint, values) : rule.endpoint;
  const issues: OtlpIssue[] = rich
    ? [{ rule: rule.id, severity: 'error', message: formatTemplate(rule.report, values), path: '', endpointMessage: message }]
    : [];
  if (rule.reason !== '' && rich) issues[0]!.reason = rule.reason;
  const points = w?.points ?? 0;
  return {
    status,
    contentType: 'application/x-protobuf',
    body: encodeStatus(grpcCodeOf(status), message),
    message,
    points,
    rejected: points,
    changed: 0,
    resources: w?.resources ?? 0,
    metrics: w?.metrics ?? 0,
    issues,
  };
}

/**
 * Reusable OTLP validator (one walker, one options object). Not re-entrant.
 * @example
 * const v = new OtlpValidator({ maxDimensions: 50 });
 * const { status, body, rejected } = v.validate(bytes, { contentType: 'application/x-protobuf' });
 */
export class OtlpValidator {
  /** The options in force. */
  readonly options: ResolvedOtlpOptions;
  private readonly walker: OtlpWalker;

  constructor(options?: OtlpOptions) {
    this.options = resolveOtlpOptions(options);
    this.walker = new OtlpWalker(this.options);
  }

  /** Judges one uncompressed request body. Never throws for any input bytes. */
  validate(body: Uint8Array, info: OtlpRequestInfo = {}): OtlpValidationResult {
    const o = this.options;
    const rich = info.issues !== false;
    if (!isProtobufContentType(info.contentType)) return refuse(415, OtlpCode.MEDIA_TYPE, { hint: info.contentType }, undefined, rich);
    if (body.length > o.maxBodyBytes) return refuse(o.requestLimitStatus, OtlpCode.BODY_TOO_LARGE, { max: o.maxBodyBytes, n: body.length }, undefined, rich);
    const w = this.walker;
    const report = new Report(o, rich);
    w.host = report;
    w.sink = undefined;
    const ok = w.walk(body, 0, body.length);
    w.host = undefined;
    if (!ok) return refuse(400, OtlpCode.WIRE, { n: w.r.problemAt, hint: WIRE_PROBLEMS[w.r.problem] }, w, rich);
    if (w.points > o.maxDataPoints) return refuse(o.requestLimitStatus, OtlpCode.TOO_MANY_POINTS, { n: w.points, max: o.maxDataPoints }, w, rich);
    const message = report.message();
    return {
      status: 200,
      contentType: 'application/x-protobuf',
      body: encodeExportResponse(w.rejected, message),
      message,
      points: w.points,
      rejected: w.rejected,
      changed: w.changed,
      resources: w.resources,
      metrics: w.metrics,
      issues: report.issues,
    };
  }

  /**
   * Validate-only: walks the request and returns the number of rejected points, or -1 for a request
   * the endpoint refuses as a whole. No report, no answer body: the proxy's fast check.
   */
  countRejected(body: Uint8Array): number {
    const o = this.options;
    if (body.length > o.maxBodyBytes) return -1;
    const w = this.walker;
    w.host = undefined;
    w.sink = undefined;
    if (!w.walk(body, 0, body.length) || w.points > o.maxDataPoints) return -1;
    return w.rejected;
  }

  /** Points in the last walk (after {@link OtlpValidator.countRejected}). */
  get lastPoints(): number {
    return this.walker.points;
  }
}

/**
 * Judges one OTLP metrics request (uncompressed protobuf) as Dynatrace does.
 * @example
 * const { status, rejected, message, issues } = validateOtlpMetrics(bytes);
 * // status 200, rejected 3, message 'The following issues were encountered ...'
 */
export function validateOtlpMetrics(body: Uint8Array, options?: OtlpOptions, info?: OtlpRequestInfo): OtlpValidationResult {
  return new OtlpValidator(options).validate(body, info);
}
