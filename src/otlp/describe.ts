/**
 * An OTLP request as text for people (the inspector's view of a request): resources, scopes, metrics
 * with their kind and temporality, every point with its value and attributes, and each problem of the
 * report under the place it is about. Bounded by a line count; the problem path, not a hot path.
 *
 * @module
 */
import type { OtlpOptions } from '../protocol/otlp-options.js';
import { resolveOtlpOptions } from '../protocol/otlp-options.js';
import { intText } from './typed.js';
import type { OtlpIssue } from './validate.js';
import { MetricKind, type OtlpPointSink, OtlpWalker, ValueKind } from './walk.js';

const decoder = /* @__PURE__ */ new TextDecoder();
const KIND_NAMES: Record<number, string> = { 5: 'gauge', 7: 'sum', 9: 'histogram', 10: 'exponential histogram', 11: 'summary' };
const TEMPORALITY_NAMES = ['unspecified', 'delta', 'cumulative'];

class Describer implements OtlpPointSink {
  lines: string[] = [];
  private lastResource = -1;
  private lastScope = -1;
  private lastMetric = -1;
  constructor(
    private readonly byPath: Map<string, OtlpIssue[]>,
    private readonly maxLines: number,
  ) {}

  private add(text: string, path?: string): void {
    if (this.lines.length >= this.maxLines) return;
    this.lines.push(text);
    if (path === undefined) return;
    const indent = text.length - text.trimStart().length + 2;
    for (const issue of this.byPath.get(path) ?? []) this.lines.push(`${' '.repeat(indent)}! ${issue.severity} ${issue.rule}: ${issue.message}`);
    this.byPath.delete(path);
  }

  point(w: OtlpWalker): void {
    const name = decoder.decode(w.r.buf.subarray(w.nameStart, w.nameEnd));
    const resource = `resource[${w.resourceIndex}]`;
    const scope = `${resource}.scope[${w.scopeIndex}]`;
    const metric = `${scope}.metric[${w.metricIndex}](${name})`;
    if (w.resourceIndex !== this.lastResource) this.add(resource, resource);
    if (w.resourceIndex !== this.lastResource || w.scopeIndex !== this.lastScope) this.add(`  scope[${w.scopeIndex}]`, scope);
    if (w.resourceIndex !== this.lastResource || w.scopeIndex !== this.lastScope || w.metricIndex !== this.lastMetric) {
      const temporality = w.kind === MetricKind.GAUGE || w.kind === MetricKind.SUMMARY ? '' : ` ${TEMPORALITY_NAMES[w.temporality] ?? 'unknown'}`;
      const monotonic = w.kind === MetricKind.SUM ? (w.monotonic ? ' monotonic' : ' non-monotonic') : '';
      this.add(`    metric[${w.metricIndex}] ${name} (${KIND_NAMES[w.kind] ?? 'no data'}${temporality}${monotonic})`, metric);
    }
    this.lastResource = w.resourceIndex;
    this.lastScope = w.scopeIndex;
    this.lastMetric = w.metricIndex;
    const value =
      w.kind === MetricKind.GAUGE || w.kind === MetricKind.SUM
        ? w.hasValue
          ? String(w.value)
          : '(no value)'
        : `count=${w.count}${w.hasSum ? ` sum=${w.sum}` : ''}${w.hasMin ? ` min=${w.min}` : ''}${w.hasMax ? ` max=${w.max}` : ''}`;
    const attributes: string[] = [];
    w.forEachPointAttribute((a) => attributes.push(`${decoder.decode(a.r.buf.subarray(a.keyStart, a.keyEnd))}=${valueText(a)}`));
    const at = w.timeMs >= 0 ? ` @${new Date(w.timeMs).toISOString()}` : '';
    this.add(`      point[${w.pointIndex}] ${value}${at}${attributes.length > 0 ? ` {${attributes.join(', ')}}` : ''}`, `${metric}.point[${w.pointIndex}]`);
    // attribute-level issues of this point
    for (const [path, issues] of this.byPath) {
      if (!path.startsWith(`${metric}.point[${w.pointIndex}].attribute[`)) continue;
      for (const issue of issues) this.add(`        ! ${issue.severity} ${issue.rule} (${path.slice(metric.length + 1)}): ${issue.message}`);
      this.byPath.delete(path);
    }
  }
}

function valueText(w: OtlpWalker): string {
  switch (w.valueKind) {
    case ValueKind.STRING:
      return JSON.stringify(decoder.decode(w.r.buf.subarray(w.valueStart, w.valueEnd)));
    case ValueKind.BOOL:
      return String(w.valueBool);
    case ValueKind.INT:
      return intText(w.r.buf, w.valueStart, w.valueEnd);
    case ValueKind.DOUBLE:
      return String(w.valueNumber);
    case ValueKind.NONE:
      return '(none)';
    default:
      return '(array, map or bytes)';
  }
}

/**
 * The request as text, with the issues of a report at their places (others at the end).
 * @example describeOtlp(bytes, validateOtlpMetrics(bytes).issues)
 */
export function describeOtlp(body: Uint8Array, issues: readonly OtlpIssue[], options?: OtlpOptions, maxLines = 5000): string {
  const byPath = new Map<string, OtlpIssue[]>();
  for (const issue of issues) {
    const list = byPath.get(issue.path);
    if (list === undefined) byPath.set(issue.path, [issue]);
    else list.push(issue);
  }
  const d = new Describer(byPath, maxLines);
  const w = new OtlpWalker(resolveOtlpOptions(options));
  w.rawSink = d;
  const ok = w.walk(body, 0, body.length);
  const lines = d.lines;
  if (!ok) lines.push(`(the bytes stop being a valid request at byte ${w.r.problemAt})`);
  for (const [path, rest] of byPath) for (const issue of rest) lines.push(`${path || 'request'}: ! ${issue.severity} ${issue.rule}: ${issue.message}`);
  if (lines.length >= maxLines) lines.push(`… (cut at ${maxLines} lines)`);
  return `${lines.join('\n')}\n`;
}
