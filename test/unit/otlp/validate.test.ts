/**
 * The OTLP validator against the rules of docs/spec/otlp-metrics.md: the instrument × temporality
 * table, value and attribute rules, request limits, the 415, the wire problems with their place, and
 * the answer decoded by the protobuf oracle.
 */
import { describe, expect, it } from 'vitest';
import { OTLP_DEFAULTS } from '../../../src/protocol/otlp-options.js';
import { OTLP_RULE_LIST } from '../../../src/protocol/otlp-rules.js';
import { validateOtlpMetrics } from '../../../src/otlp/validate.js';
import { ResponseType, attr, encodeRequest, nanos, request } from '../../helpers/otlp.js';

const T = nanos(1_700_000_000_000);
const point = (value: number, attributes: object[] = []) => ({ asDouble: value, timeUnixNano: T, attributes });
const sum = (temporality: number, monotonic: boolean, n = 1) => ({
  name: 'requests',
  sum: { aggregationTemporality: temporality, isMonotonic: monotonic, dataPoints: Array.from({ length: n }, () => point(1)) },
});
const hist = (temporality: number, extra: object = {}) => ({
  name: 'latency',
  histogram: {
    aggregationTemporality: temporality,
    dataPoints: [{ timeUnixNano: T, count: 2, sum: 3, explicitBounds: [1, 2], bucketCounts: [1, 1, 0], ...extra }],
  },
});

function judge(metrics: object[], options = {}) {
  return validateOtlpMetrics(encodeRequest(request(metrics)), options);
}

describe('instrument × temporality (docs: about-metrics-ingest)', () => {
  const cases: [string, object, string | null][] = [
    ['delta Counter', sum(1, true), null],
    ['cumulative Counter', sum(2, true), 'otlp-monotonic-cumulative-sum'],
    ['delta UpDownCounter', sum(1, false), null],
    ['cumulative UpDownCounter (a gauge)', sum(2, false), null],
    ['unspecified temporality', sum(0, true), 'otlp-unspecified-temporality'],
    ['Gauge', { name: 'temp', gauge: { dataPoints: [point(1)] } }, null],
    ['delta histogram', hist(1), null],
    ['cumulative histogram', hist(2), 'otlp-cumulative-histogram'],
    [
      'delta exponential histogram',
      { name: 'e', exponentialHistogram: { aggregationTemporality: 1, dataPoints: [{ count: 1, sum: 1, timeUnixNano: T }] } },
      null,
    ],
    [
      'cumulative exponential histogram',
      { name: 'e', exponentialHistogram: { aggregationTemporality: 2, dataPoints: [{ count: 1, sum: 1 }] } },
      'otlp-cumulative-exponential-histogram',
    ],
    ['Summary', { name: 's', summary: { dataPoints: [{ count: 1, sum: 1 }] } }, 'otlp-summary'],
  ];
  for (const [what, metric, rule] of cases) {
    it(`${what}: ${rule ?? 'accepted'}`, () => {
      const r = judge([metric]);
      expect(r.status).toBe(200);
      expect(r.rejected).toBe(rule === null ? 0 : 1);
      expect(r.issues.map((i) => i.rule)).toEqual(rule === null ? [] : [rule]);
    });
  }

  it('the unspecified temporality reads as delta with unspecifiedTemporality: delta', () => {
    expect(judge([sum(0, true)], { unspecifiedTemporality: 'delta' }).rejected).toBe(0);
  });

  it('one endpoint line per unsupported metric, every point counted (contrib issue 33673)', () => {
    const r = judge([sum(2, true, 58)]);
    expect(r.rejected).toBe(58);
    expect(r.message).toBe(
      "The following issues were encountered while ingesting OTLP metrics:\nErrors:\nUnsupported metric: 'requests' - Reason: UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM\n",
    );
    expect(r.issues[0]).toMatchObject({
      path: 'resource[0].scope[0].metric[0](requests)',
      points: 58,
      reason: 'UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM',
    });
  });

  it('the answer is an ExportMetricsServiceResponse the protobuf oracle decodes', () => {
    const r = judge([sum(2, true, 3), { name: 'ok', gauge: { dataPoints: [point(1)] } }]);
    const decoded = ResponseType.toObject(ResponseType.decode(r.body), { longs: Number }) as {
      partialSuccess: { rejectedDataPoints: number; errorMessage: string };
    };
    expect(decoded.partialSuccess.rejectedDataPoints).toBe(3);
    expect(decoded.partialSuccess.errorMessage).toBe(r.message);
  });

  it('a full success answers the empty message', () => {
    const r = judge([sum(1, true)]);
    expect(r.body.length).toBe(0);
    expect(r.message).toBe('');
  });
});

describe('values (contrib issue 33650)', () => {
  it('NaN drops the point with the endpoint text', () => {
    const r = judge([{ name: 'traffic_duration_p99', gauge: { dataPoints: [point(Number.NaN), point(2)] } }]);
    expect(r.rejected).toBe(1);
    expect(r.message).toContain("Metric value dropped. key: 'traffic_duration_p99' details: 'Value was NaN' - Reason: VALUE_INVALID\n");
    expect(r.issues[0]).toMatchObject({ rule: 'otlp-value-nan', point: 0, path: 'resource[0].scope[0].metric[0](traffic_duration_p99).point[0]' });
  });
  it('infinity and a missing value drop the point', () => {
    const r = judge([{ name: 'm1', gauge: { dataPoints: [point(Number.POSITIVE_INFINITY), { timeUnixNano: T }] } }]);
    expect(r.issues.map((i) => i.rule)).toEqual(['otlp-value-infinite', 'otlp-value-missing']);
    expect(r.rejected).toBe(2);
  });
  it('a histogram with unsorted bounds or bucket counts that do not fit drops the point', () => {
    expect(judge([hist(1, { explicitBounds: [2, 1] })]).issues[0]!.rule).toBe('otlp-histogram-bounds-unsorted');
    expect(judge([hist(1, { bucketCounts: [1, 1] })]).issues[0]!.rule).toBe('otlp-histogram-buckets-mismatch');
    expect(judge([hist(1, { bucketCounts: [] })]).rejected).toBe(0); // counts are optional
  });
});

describe('attributes (docs: limitations)', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => attr(`k${i}`, 'v'));
  it('50 attributes are fine, 51 drop the point (DIMENSION_COUNT_EXCEEDED)', () => {
    expect(judge([{ name: 'm1', gauge: { dataPoints: [point(1, many(50))] } }]).rejected).toBe(0);
    const r = judge([{ name: 'm1', gauge: { dataPoints: [point(1, many(51))] } }]);
    expect(r.rejected).toBe(1);
    expect(r.message).toContain("Metric dropped: 'm1' - Reason: DIMENSION_COUNT_EXCEEDED");
    expect(r.issues[0]!.message).toBe('too many attributes on the data point: 51 > 50; the whole point is dropped');
  });
  it("countedAttributeLevels 'all' counts distinct resource keys too", () => {
    const body = encodeRequest(request([{ name: 'm1', gauge: { dataPoints: [point(1, many(30))] } }], [...many(20), attr('extra', 'x')]));
    // k0..k19 are point keys too (the point's value wins, no new dimension): 30 + 1
    expect(validateOtlpMetrics(body, { countedAttributeLevels: 'all' }).rejected).toBe(0);
    const wider = encodeRequest(request([{ name: 'm1', gauge: { dataPoints: [point(1, many(30))] } }], [...many(50).slice(30), attr('extra', 'x')]));
    expect(validateOtlpMetrics(wider).rejected).toBe(0);
    expect(validateOtlpMetrics(wider, { countedAttributeLevels: 'all' }).rejected).toBe(1); // 30 + 20 + 1
  });
  it('empty key or value: dimension dropped, point kept, listed as a warning', () => {
    const r = judge([{ name: 'm1', gauge: { dataPoints: [point(1, [attr('conn', ''), attr('ok', 'v')])] } }]);
    expect(r.rejected).toBe(0);
    expect(r.changed).toBe(1);
    expect(r.message).toBe(
      "The following issues were encountered while ingesting OTLP metrics:\nWarnings:\nDimension dropped. key: 'm1' details: 'conn' - Reason: DIMENSION_KEY_OR_VALUE_EMPTY\n",
    );
    expect(r.issues[0]).toMatchObject({ rule: 'otlp-dimension-empty', attribute: 0, path: 'resource[0].scope[0].metric[0](m1).point[0].attribute[0](conn)' });
  });
  it('a long value is truncated at 255 characters (UTF-16 units), a long key at 100', () => {
    const r = judge([{ name: 'm1', gauge: { dataPoints: [point(1, [attr('v', 'é'.repeat(255)), attr('w', 'x'.repeat(256)), attr('k'.repeat(101), 'x')])] } }]);
    expect(r.issues.map((i) => i.rule)).toEqual(['otlp-dimension-value-too-long', 'otlp-dimension-key-too-long']);
    expect(r.issues[0]!.message).toContain('256 > 255');
  });
  it('uppercase keys and odd names are normalized (report only), a name without a valid character drops the point', () => {
    const r = judge([
      { name: 'Bad Name', gauge: { dataPoints: [point(1, [attr('Host', 'a')])] } },
      { name: '__', gauge: { dataPoints: [point(1)] } },
    ]);
    expect(r.issues.map((i) => i.rule)).toEqual(['otlp-metric-name-normalized', 'otlp-dimension-key-normalized', 'otlp-metric-name-invalid']);
    expect(r.rejected).toBe(1);
  });
  it('an invalid or too long unit is dropped (METRIC_UNIT_INVALID_CHARACTERS)', () => {
    const r = judge([
      { name: 'm1', unit: 'µs', gauge: { dataPoints: [point(1)] } },
      { name: 'm2', unit: 'x'.repeat(64), gauge: { dataPoints: [point(1)] } },
    ]);
    expect(r.issues.map((i) => i.rule)).toEqual(['otlp-unit-invalid', 'otlp-unit-too-long']);
    expect(r.rejected).toBe(0);
  });
});

describe('request limits and media type', () => {
  it('more data points than maxDataPoints refuse the request (413 by default)', () => {
    const r = judge([sum(1, true, 3)], { maxDataPoints: 2 });
    expect(r.status).toBe(413);
    expect(r.rejected).toBe(3);
    expect(r.issues[0]!.rule).toBe('otlp-too-many-points');
  });
  it('a body past maxBodyBytes is refused with OTLP_MESSAGE_MAX_SIZE_EXCEEDED', () => {
    const r = validateOtlpMetrics(new Uint8Array(101), { maxBodyBytes: 100 });
    expect(r.status).toBe(413);
    expect(r.message).toBe('Reason: OTLP_MESSAGE_MAX_SIZE_EXCEEDED');
  });
  it('JSON is answered 415 (opentelemetry-java 4685, opentelemetry-js 2772)', () => {
    const r = validateOtlpMetrics(new TextEncoder().encode('{}'), {}, { contentType: 'application/json' });
    expect(r.status).toBe(415);
    expect(r.issues[0]!.rule).toBe('otlp-unsupported-media-type');
  });
  it('application/x-protobuf with parameters is accepted', () => {
    expect(validateOtlpMetrics(new Uint8Array(0), {}, { contentType: 'Application/X-Protobuf; charset=binary' }).status).toBe(200);
  });
  it('the defaults are the documented limits', () => {
    expect(OTLP_DEFAULTS).toMatchObject({
      maxBodyBytes: 4_194_304,
      maxDataPoints: 15_000,
      maxDimensions: 50,
      dimensionKeyMaxLength: 100,
      dimensionValueMaxLength: 255,
      unitMaxLength: 63,
    });
  });
  it('every rule has a unique code and id', () => {
    expect(new Set(OTLP_RULE_LIST.map((r) => r.code)).size).toBe(OTLP_RULE_LIST.length);
    expect(new Set(OTLP_RULE_LIST.map((r) => r.id)).size).toBe(OTLP_RULE_LIST.length);
  });
});

describe('wire problems: a 400 with the place, never a throw', () => {
  const good = encodeRequest(request([sum(1, true, 2)]));
  const cases: [string, Uint8Array, string, number][] = [
    ['truncated', good.subarray(0, good.length - 3), 'length runs past the end', 1],
    ['overlong varint', Uint8Array.from([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 'varint longer than 10 bytes', 1],
    ['wrong wire type for resource_metrics', Uint8Array.from([0x08, 0x01]), 'wrong wire type', 0],
    ['a group', Uint8Array.from([0x13]), 'group', 0],
    ['field number 0', Uint8Array.from([0x02, 0x00]), 'field number 0', 0],
    ['length past the end', Uint8Array.from([0x0a, 0x05, 0x00]), 'length runs past the end', 1],
    ['invalid UTF-8 in a name', encodeRequest(request([{ name: 'ab', gauge: {} }])).map((b) => (b === 0x61 ? 0xff : b)), 'invalid UTF-8', -1],
  ];
  for (const [what, bytes, text, at] of cases) {
    it(what, () => {
      const r = validateOtlpMetrics(bytes);
      expect(r.status).toBe(400);
      expect(r.issues[0]!.rule).toBe('otlp-wire-malformed');
      expect(r.issues[0]!.message).toContain(text);
      if (at >= 0) expect(r.issues[0]!.message).toContain(`at byte ${at}:`);
    });
  }
  it('nesting deeper than maxNestingDepth is refused', () => {
    let value: object = { stringValue: 'x' };
    for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
    const r = judge([{ name: 'm1', gauge: { dataPoints: [point(1, [{ key: 'deep', value }])] } }]);
    expect(r.status).toBe(400);
    expect(r.issues[0]!.message).toContain('nested deeper');
  });
  it('unknown fields of every wire type are skipped', () => {
    const extra = Uint8Array.from([0xf8, 0x07, 0x01, 0xf9, 0x07, 1, 2, 3, 4, 5, 6, 7, 8, 0xfa, 0x07, 0x01, 0x00, 0xfd, 0x07, 1, 2, 3, 4]);
    const r = validateOtlpMetrics(Uint8Array.from([...good, ...extra]));
    expect(r.status).toBe(200);
    expect(r.points).toBe(2);
  });
});
