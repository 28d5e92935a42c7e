/**
 * Plain data types shared by every payload family: issues of the rich report, typed metric data
 * points and metadata, and the endpoint-shaped results.
 *
 * @module
 */
import type { Severity } from './protocol/rules.js';

/**
 * One problem or warning in the rich report. Metrics issues carry `line`/`column`; JSON body issues
 * carry `pointer` (and `line`/`column` for syntax errors). Plain JSON-serializable data.
 */
export interface Issue {
  /** Stable rule id, e.g. `metric-key-char` or `smartscape-id-pattern`. */
  rule: string;
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
  | { line: number; point: MetricPoint; warnings?: Issue[] }
  | { line: number; metadata: MetricMetadata; warnings?: Issue[] }
  | { line: number; issue: Issue };

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

/** What {@link validateMetrics} returns: the endpoint's answer plus the rich report. */
export interface MetricsValidationResult {
  /** HTTP status the endpoint answers: 202, 400 or 413. */
  status: number;
  /** Body the endpoint answers. */
  body: ValidationResponse | ErrorEnvelope;
  /** Every problem and warning, uncapped, in line order. */
  issues: Issue[];
}
