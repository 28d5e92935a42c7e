/**
 * Plain data types shared by every payload family: issues of the rich report, typed metric data
 * points and metadata, and the endpoint-shaped results.
 *
 * @module
 */
import type { MetricsLineRuleId, MetricsRequestRuleId, Severity } from './protocol/rules.js';

/**
 * One problem, warning or note of the rich report. Plain JSON-serializable data. Each payload family
 * narrows it: {@link MetricsLineIssue} (a line and a column always), {@link MetricsRequestIssue} (the
 * whole request) and the JSON bodies' `BodyIssue` (a JSON Pointer always).
 * @example const issue: Issue = { rule: 'metric-key-char', severity: 'error', message: 'invalid character in metric key', line: 1, column: 4 };
 */
export interface Issue<R extends string = string> {
  /** Stable rule id, e.g. `metric-key-char` or `smartscape-id-pattern`. */
  rule: R;
  /** `error` rejects the line (metrics) or the request (JSON bodies); `warning` and `info` do not. */
  severity: Severity;
  /** What went wrong, in our own words (more specific than the endpoint's text). */
  message: string;
  /** 1-based line number (metrics: the physical line of the body). */
  line?: number;
  /** 1-based column, in UTF-16 code units of the line (as editors and JS strings count). */
  column?: number;
  /** JSON Pointer of the offending value (JSON bodies). */
  pointer?: string;
  /** The offending text or value, shortened to at most 80 characters. */
  text?: string;
  /** The text the endpoint itself answers for this problem, where it has one. */
  endpointMessage?: string;
}

/**
 * A problem or warning of one line of a metrics body (the validator's, the parser's and fix mode's).
 * @example { rule: 'dimension-key-char', severity: 'error', message: '...', line: 7, column: 31, text: 'cacheManager=x', endpointMessage: 'invalid dimension key' }
 */
export interface MetricsLineIssue extends Issue<MetricsLineRuleId> {
  /** 1-based physical line of the body (blank lines count). */
  line: number;
  /** 1-based column, in UTF-16 code units of the line. */
  column: number;
}

/**
 * A problem of a whole metrics request: an empty body (400) or one past `maxBodyBytes` (413).
 * @example { rule: 'body-empty', severity: 'error', message: 'empty request', endpointMessage: 'empty request' }
 */
export interface MetricsRequestIssue extends Issue<MetricsRequestRuleId> {
  line?: never;
  column?: never;
}

/**
 * An issue of a metrics body: about one line, or about the whole request.
 * @example for (const i of validateMetrics(body).issues) if (i.line !== undefined) console.log(i.line, i.column, i.rule);
 */
export type MetricsIssue = MetricsLineIssue | MetricsRequestIssue;

/** Payload of a metric data point. */
export type MetricPayload =
  | { type: 'gauge'; value: number }
  | { type: 'summary'; min: number; max: number; sum: number; count: number }
  | { type: 'count'; delta: number };

/** One dimension, escapes resolved. */
export interface MetricDimension {
  key: string;
  value: string;
}

/** A typed data point: what one valid data line means. */
export interface MetricPoint {
  /** The metric key as sent (before any suffix rewrite). */
  key: string;
  /** Dimensions in order, escapes resolved, empty-valued ones dropped, duplicates resolved first-wins. */
  dimensions: MetricDimension[];
  payload: MetricPayload;
  /** Epoch milliseconds, or `null` when the line has none (the server then uses the ingest time). */
  timestamp: number | null;
}

/** Properties of a metadata line. */
export interface MetricMetadataProperties {
  displayName?: string;
  description?: string;
  unit?: string;
}

/** A metadata line (`#key gauge dt.meta.unit=...`). */
export interface MetricMetadata {
  key: string;
  type: 'gauge' | 'count';
  properties: MetricMetadataProperties;
}

/** One entry of {@link parseMetrics}: exactly one of `point`, `metadata`, `issue` is set. */
export type ParsedLine =
  | { line: number; point: MetricPoint; warnings?: MetricsLineIssue[] }
  | { line: number; metadata: MetricMetadata; warnings?: MetricsLineIssue[] }
  | { line: number; issue: MetricsLineIssue };

/** `InvalidLine` of the endpoint's `ValidationResponse`. */
export interface InvalidLine {
  line: number;
  error: string;
}

/** `WarningLine` of the endpoint's `ValidationResponse`. */
export interface WarningLine {
  line: number;
  warning: string;
}

/** `MetricIngestError` of the endpoint's `ValidationResponse`. */
export interface MetricIngestError {
  code: number;
  message: string;
  invalidLines: InvalidLine[];
}

/** `Warnings` of the endpoint's `ValidationResponse` (the array is named by the `warningsField` option). */
export interface MetricIngestWarnings {
  message: string;
  changedMetricKeys?: WarningLine[];
  warningLines?: WarningLine[];
}

/** The endpoint's `ValidationResponse`, field order as the server writes it. */
export interface ValidationResponse {
  linesOk: number;
  linesInvalid: number;
  error: MetricIngestError | null;
  warnings: MetricIngestWarnings | null;
}

/** The classic API `ErrorEnvelope` (413 and other request-level errors). */
export interface ErrorEnvelope {
  error: { code: number; message: string; constraintViolations?: unknown[] };
}

/**
 * The endpoint's answer to a metrics request, narrowed by `ok` or `status`:
 * - `ok: true`, 202: every line was accepted (`body.error` is `null`; key rewrites are `body.warnings`);
 * - `ok: false`, 400: some lines are invalid, or the body is empty (`body.error` lists them; the valid
 *   lines of a 400 are still ingested, `body.linesOk` of them);
 * - `ok: false`, 413: the body is larger than `maxBodyBytes` (`body` is the error envelope; nothing is ingested).
 *
 * @example
 * const r = validateMetrics('cpu.temp 42\n');
 * if (r.ok) console.log(r.body.linesOk); // 1
 * else if (r.status === 400) console.log(r.body.error.invalidLines);
 */
export type MetricsAnswer =
  | { ok: true; status: 202; body: ValidationResponse & { linesInvalid: 0; error: null } }
  | { ok: false; status: 400; body: ValidationResponse & { error: MetricIngestError } }
  | { ok: false; status: 413; body: ErrorEnvelope };

/**
 * What {@link validateMetrics} and `MetricsValidator.end()` return: the endpoint's answer
 * ({@link MetricsAnswer}) plus the rich report, `issues`: every problem and warning, uncapped, in line
 * order (a request-level one last).
 * @example const { ok, status, body, issues } = validateMetrics(body);
 */
export type MetricsValidationResult = MetricsAnswer & { issues: MetricsIssue[] };
