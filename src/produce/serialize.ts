/**
 * Serializers: one typed data point or metadata record to one protocol line (no LF). They never
 * repair: a key, dimension or value the validator would reject is a caller mistake, reported once
 * as a `TypeError` (use the normalizers of `./normalize.ts` first when input is untrusted).
 *
 * @module
 */
import { METRICS_DEFAULTS, SUMMARY_TOLERANCE, type MetricsOptions } from '../protocol/options.js';
import type { MetricMetadata, MetricPoint } from '../types.js';
import { checkDimensionKey, checkDimensionValue, checkMetadataValue, checkMetricKey, type MetadataProperty } from './check.js';
import { escapeDimensionValue, quoteMetadataValue } from './escape.js';

function fail(message: string): never {
  throw new TypeError(`dt-ingest: ${message}`);
}

/**
 * Writes a number in the shortest form that parses back to the same double: `String(n)` is the
 * shortest round trip, and its exponent form (`1e+21`, `5e-324`) fits the grammar (spec §2:
 * "optional exponent (`e`/`E`, optional sign)"). `-0` is kept (`String(-0)` would say `0`), since a
 * gauge of negative zero is a value the caller chose. `NaN` and `±Infinity` have no spelling in the
 * protocol: a `TypeError`.
 *
 * @example formatMetricNumber(0.1) // '0.1'
 * @example formatMetricNumber(1e21) // '1e+21'
 * @example formatMetricNumber(-0) // '-0'
 */
export function formatMetricNumber(n: number, what = 'value'): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) fail(`${what} must be a finite number, got ${String(n)}`);
  return Object.is(n, -0) ? '-0' : String(n);
}

/** A summary's consistency as the endpoint checks it (spec §2 "Summary rules", *server*). */
function summaryProblem(min: number, max: number, sum: number, count: number): string | null {
  if (!Number.isSafeInteger(count) || count < 0) return `summary count must be a non-negative integer, got ${String(count)}`;
  if (count === 0) {
    return min === 0 && max === 0 && sum === 0 ? null : 'inconsistent summary: count == 0 requires min, max and sum to be 0';
  }
  const avg = sum / count;
  if (!(min - SUMMARY_TOLERANCE <= avg && avg <= max + SUMMARY_TOLERANCE)) {
    return `inconsistent summary: min <= sum/count <= max does not hold (min ${min}, max ${max}, sum ${sum}, count ${count})`;
  }
  return null;
}

function payloadText(point: MetricPoint): string {
  const p = point.payload as MetricPoint['payload'] | undefined;
  if (p === null || typeof p !== 'object') fail('point.payload must be an object');
  switch (p.type) {
    case 'gauge':
      return 'gauge,' + formatMetricNumber(p.value, 'gauge value');
    case 'count':
      return 'count,delta=' + formatMetricNumber(p.delta, 'count delta');
    case 'summary': {
      const min = formatMetricNumber(p.min, 'summary min');
      const max = formatMetricNumber(p.max, 'summary max');
      const sum = formatMetricNumber(p.sum, 'summary sum');
      const problem = summaryProblem(p.min, p.max, p.sum, p.count);
      if (problem !== null) fail(problem);
      // the four fields in the documented order (spec §2: "all four fields, in this order")
      return `gauge,min=${min},max=${max},sum=${sum},count=${String(p.count)}`;
    }
    default:
      return fail(`unknown payload type '${String((p as { type?: unknown }).type)}' (expected gauge, count or summary)`);
  }
}

/**
 * Writes one data line: `key[,dim=value...] payload[ timestamp]`, without LF.
 *
 * - Dimension values are written bare with backslash escapes for space `,` `=` `"` `\` (the form
 *   every reference library emits, spec §2 *lib*); dimensions with an empty value are left out (the
 *   endpoint drops them anyway, spec §2); duplicate keys are written as given (the endpoint keeps the
 *   first, spec §2).
 * - Payloads: `gauge,<v>`, `count,delta=<d>`, `gauge,min=..,max=..,sum=..,count=..`; numbers via
 *   `formatMetricNumber`.
 * - The timestamp (epoch ms) is appended when not `null`; only its form is checked (a non-negative
 *   safe integer): whether it lies inside the accepted window depends on when the line is sent.
 *
 * Throws a `TypeError` naming the problem for anything the validator would reject under `options`:
 * an invalid key or dimension, a value that is not finite, an inconsistent summary, more than
 * `maxDimensions` dimensions, a line longer than `maxLineLength`; and for a dimension value whose
 * written form (escapes included) is longer than `dimensionValueMaxLength`, since the server may
 * count the escapes (see {@link checkDimensionValue}; `normalizeDimensionValue` cuts to fit).
 *
 * @example
 * serializeMetric({ key: 'cpu.temp', dimensions: [{ key: 'host', value: 'web 1' }],
 *   payload: { type: 'gauge', value: 42.5 }, timestamp: null })
 * // 'cpu.temp,host=web\\ 1 gauge,42.5'
 */
export function serializeMetric(point: MetricPoint, options?: MetricsOptions): string {
  if (point === null || typeof point !== 'object') fail('point must be an object');
  const key = point.key;
  if (typeof key !== 'string') fail('point.key must be a string');
  const keyProblem = checkMetricKey(key, options);
  if (keyProblem !== null) fail(keyProblem);
  let line = key;
  const dims = point.dimensions;
  if (dims !== undefined && dims !== null) {
    if (!Array.isArray(dims)) fail('point.dimensions must be an array');
    const maxDims = options?.maxDimensions ?? METRICS_DEFAULTS.maxDimensions;
    let count = 0;
    for (let i = 0; i < dims.length; i++) {
      const d = dims[i];
      if (d === null || typeof d !== 'object' || typeof d.key !== 'string' || typeof d.value !== 'string') {
        fail(`point.dimensions[${i}] must be { key: string, value: string }`);
      }
      const kp = checkDimensionKey(d.key, options);
      if (kp !== null) fail(kp);
      const vp = checkDimensionValue(d.value, options);
      if (vp !== null) fail(`${vp} (dimension '${d.key}')`);
      if (d.value.length === 0) continue;
      if (++count > maxDims) fail(`too many dimensions: more than ${maxDims}`);
      line += ',' + d.key + '=' + escapeDimensionValue(d.value);
    }
  }
  line += ' ' + payloadText(point);
  const ts = point.timestamp;
  if (ts !== null && ts !== undefined) {
    // digits only on the wire (spec §2 "Timestamp")
    if (!Number.isSafeInteger(ts) || ts < 0) fail(`timestamp must be a non-negative integer of epoch milliseconds, got ${String(ts)}`);
    line += ' ' + String(ts);
  }
  checkLineLength(line, options);
  return line;
}

function checkLineLength(line: string, options?: MetricsOptions): void {
  const max = options?.maxLineLength ?? METRICS_DEFAULTS.maxLineLength;
  if (line.length > max) fail(`line length exceeded: ${line.length} > ${max}`);
}

/** Property order and wire names of a metadata line (spec §5). */
const META_PROPERTIES: readonly (readonly [MetadataProperty, string])[] = [
  ['displayName', 'dt.meta.displayName'],
  ['description', 'dt.meta.description'],
  ['unit', 'dt.meta.unit'],
];

/**
 * Writes one metadata line: `#key gauge|count dt.meta.displayName=..,dt.meta.description=..,dt.meta.unit=..`
 * (spec §5), without LF, with the properties that are set, in that order. Values are written bare
 * when they can be, else quoted as the Java library writes them: `\"` and `\n` escapes, and a
 * backslash doubled only where a single one would read as an escape (see {@link quoteMetadataValue});
 * an empty string is written `""`.
 *
 * Throws a `TypeError` for an invalid key, an unknown type, no property at all, or a value the
 * validator would reject (a unit outside `A-Z a-z 0-9 % [ ] { } / _`, a control character other than
 * LF, a value over its property's limit, counted on the text and on its written form).
 *
 * @example
 * serializeMetadata({ key: 'cpu.temp', type: 'gauge', properties: { displayName: 'CPU temperature', unit: 'Cel' } })
 * // '#cpu.temp gauge dt.meta.displayName="CPU temperature",dt.meta.unit=Cel'
 */
export function serializeMetadata(meta: MetricMetadata, options?: MetricsOptions): string {
  if (meta === null || typeof meta !== 'object') fail('metadata must be an object');
  if (typeof meta.key !== 'string') fail('metadata.key must be a string');
  const keyProblem = checkMetricKey(meta.key, options);
  if (keyProblem !== null) fail(keyProblem);
  if (meta.type !== 'gauge' && meta.type !== 'count') fail(`metadata.type must be 'gauge' or 'count', got ${String(meta.type)}`);
  const props = meta.properties;
  if (props === null || typeof props !== 'object') fail('metadata.properties must be an object');
  let line = '#' + meta.key + ' ' + meta.type;
  let sep = ' ';
  for (const [name, wire] of META_PROPERTIES) {
    const value = props[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') fail(`metadata.properties.${name} must be a string`);
    const problem = checkMetadataValue(name, value, options);
    if (problem !== null) fail(problem);
    line += sep + wire + '=' + quoteMetadataValue(value);
    sep = ',';
  }
  if (sep === ' ') fail('metadata needs at least one of displayName, description, unit (spec §5)');
  checkLineLength(line, options);
  return line;
}
