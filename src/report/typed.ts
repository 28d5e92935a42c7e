/**
 * Typed data points for callers who want objects: the view turned into plain JSON-serializable
 * values. This path allocates by nature (one object per line).
 *
 * @module
 */
import type { MetricsOptions } from '../protocol/options.js';
import type { MetricDimension, MetricMetadata, MetricPayload, MetricPoint, MetricsLineIssue, ParsedLine } from '../types.js';
import { endpointWarning, errorIssue, warningIssue } from './issues.js';
import { LineKind, MetaProp, PayloadType, type MetricLine } from '../metrics/view.js';
import { toBytes } from '../metrics/parser.js';
import { MetricsParser } from './parser.js';

/**
 * The typed point of a valid data line: dimensions in order, escapes resolved, empty-valued ones
 * already dropped by the scanner, duplicate keys resolved first-wins (spec §2, *docs*).
 *
 * @example pointOf(view) // { key: 'cpu.temp', dimensions: [{ key: 'host', value: 'a' }], payload: { type: 'gauge', value: 42 }, timestamp: null }
 */
export function pointOf(view: MetricLine): MetricPoint {
  const dimensions: MetricDimension[] = [];
  const n = view.dimCount;
  outer: for (let i = 0; i < n; i++) {
    const key = view.dimensionKey(i);
    for (let k = 0; k < dimensions.length; k++) if (dimensions[k]!.key === key) continue outer;
    dimensions.push({ key, value: view.dimensionValue(i) });
  }
  let payload: MetricPayload;
  if (view.payloadType === PayloadType.SUMMARY) payload = { type: 'summary', min: view.min, max: view.max, sum: view.sum, count: view.count };
  else if (view.payloadType === PayloadType.COUNT) payload = { type: 'count', delta: view.delta };
  else payload = { type: 'gauge', value: view.value };
  return { key: view.key(), dimensions, payload, timestamp: view.timestamp < 0 ? null : view.timestamp };
}

/**
 * The metadata of a valid metadata line.
 * @example metadataOf(view) // { key: 'cpu.temp', type: 'gauge', properties: { unit: 'Cel' } }
 */
export function metadataOf(view: MetricLine): MetricMetadata {
  const properties: MetricMetadata['properties'] = {};
  const displayName = view.metaValue(MetaProp.DISPLAY_NAME);
  const description = view.metaValue(MetaProp.DESCRIPTION);
  const unit = view.metaValue(MetaProp.UNIT);
  if (displayName !== undefined) properties.displayName = displayName;
  if (description !== undefined) properties.description = description;
  if (unit !== undefined) properties.unit = unit;
  return { key: view.key(), type: view.payloadType === PayloadType.COUNT ? 'count' : 'gauge', properties };
}

/**
 * The {@link ParsedLine} for a judged view.
 * @example parsedLineOf(view, parser.options)
 */
export function parsedLineOf(view: MetricLine, options: MetricsParser['options']): ParsedLine {
  if (view.error !== 0) return { line: view.line, issue: errorIssue(view, options) };
  let warnings: MetricsLineIssue[] | undefined;
  if (view.warning !== 0) warnings = [warningIssue(view, endpointWarning(view))];
  if (view.kind === LineKind.METADATA) {
    return warnings === undefined ? { line: view.line, metadata: metadataOf(view) } : { line: view.line, metadata: metadataOf(view), warnings };
  }
  return warnings === undefined ? { line: view.line, point: pointOf(view) } : { line: view.line, point: pointOf(view), warnings };
}

/**
 * Parses a whole body into one entry per non-empty line: `{ line, point }` for a valid data line,
 * `{ line, metadata }` for a metadata line, `{ line, issue }` for an invalid one.
 *
 * @example
 * parseMetrics('cpu.temp,host=a gauge,min=1,max=3,sum=4,count=2')
 * // [{ line: 1, point: { key: 'cpu.temp', dimensions: [{ key: 'host', value: 'a' }],
 * //    payload: { type: 'summary', min: 1, max: 3, sum: 4, count: 2 }, timestamp: null } }]
 */
export function parseMetrics(input: string | Uint8Array | ArrayBuffer, options?: MetricsOptions): ParsedLine[] {
  const out: ParsedLine[] = [];
  const parser: MetricsParser = new MetricsParser(options, (view) => out.push(parsedLineOf(view, parser.options)));
  parser.push(toBytes(input));
  parser.end();
  return out;
}
