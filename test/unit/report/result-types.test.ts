/**
 * The result types narrow as the docs promise (tsc checks this file in `npm test`: each
 * `@ts-expect-error` line must be an error, so a type that stops narrowing fails the type check), and
 * the values agree with the types at run time.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  validateCustomDevice,
  validateEvents,
  validateMetrics,
  validateSmartscapeEvents,
  validateSyntheticTests,
  type BodyIssue,
  type ClassicErrorEnvelope,
  type CustomDevicePushResult,
  type ErrorEnvelope,
  type EventRuleId,
  type MetricIngestError,
  type MetricsIssue,
  type MetricsLineIssue,
  type MetricsRuleId,
  type PlatformErrorEnvelope,
  type RuleId,
} from '../../../src/index.js';

const NOW = 1_700_000_000_000;

describe('validateMetrics results', () => {
  it('ok: true is a 202 with a ValidationResponse without error', () => {
    const r = validateMetrics('cpu.temp 42\n', { now: NOW });
    expect(r.ok).toBe(true);
    if (!r.ok) throw new Error('expected ok');
    expectTypeOf(r.status).toEqualTypeOf<202>();
    expectTypeOf(r.body.error).toEqualTypeOf<null>();
    expect(r.body.linesOk).toBe(1); // no cast
    // @ts-expect-error the endpoint never answers 999
    expect(r.status === 999).toBe(false);
  });

  it('400 has the error listing, 413 the envelope', () => {
    const r = validateMetrics('cpu.temp 42\nbad\n', { now: NOW });
    expect(r).toMatchObject({ ok: false, status: 400 });
    if (r.status === 400) {
      expectTypeOf(r.body.error).toEqualTypeOf<MetricIngestError>();
      expect(r.body.error.invalidLines).toEqual([{ line: 2, error: 'invalid metric type' }]);
    }
    const big = validateMetrics('cpu.temp 42\n', { now: NOW, maxBodyBytes: 4 });
    expect(big).toMatchObject({ ok: false, status: 413 });
    if (big.status === 413) {
      expectTypeOf(big.body).toEqualTypeOf<ErrorEnvelope>();
      expect(big.body.error.code).toBe(413);
    }
  });

  it('line issues have a line and a column; request issues have none', () => {
    const r = validateMetrics('cpu.temp 42\nbad\n', { now: NOW });
    const issue = r.issues[0]!;
    expectTypeOf(issue).toEqualTypeOf<MetricsIssue>();
    if (issue.line !== undefined) {
      expectTypeOf(issue).toEqualTypeOf<MetricsLineIssue>();
      expectTypeOf(issue.column).toEqualTypeOf<number>();
    }
    expect(issue).toMatchObject({ rule: 'payload-missing', line: 2, column: 4 });
    const empty = validateMetrics('\n\n', { now: NOW });
    expect(empty.issues).toEqual([expect.objectContaining({ rule: 'body-empty' })]);
    expect(empty.issues[0]!.line).toBeUndefined();
    expectTypeOf<MetricsLineIssue['rule']>().toEqualTypeOf<Exclude<MetricsRuleId, 'body-empty' | 'body-too-large'>>();
  });

  it('rule ids are a closed union', () => {
    const known: MetricsRuleId = 'metric-key-char';
    const event: EventRuleId = 'smartscape-id-pattern';
    const any: RuleId[] = [known, event];
    // @ts-expect-error not a rule id
    const unknown: MetricsRuleId = 'metric-key-wrong';
    expect([...any, unknown]).toHaveLength(3);
  });
});

describe('JSON body results', () => {
  it('each validator narrows to its success status and body, and to its envelope on failure', () => {
    const events = validateEvents('[]', { now: NOW });
    if (events.ok) expectTypeOf(events.status).toEqualTypeOf<202>();
    else expectTypeOf(events.body).toEqualTypeOf<PlatformErrorEnvelope>();
    expect(events).toMatchObject({ ok: true, status: 202, body: null });

    const smart = validateSmartscapeEvents('[{"id":"host-1"}]', { now: NOW });
    expect(smart).toMatchObject({ ok: false, status: 400 });
    if (!smart.ok) {
      expectTypeOf(smart.status).toEqualTypeOf<400 | 413>();
      expect(smart.body.error.details?.constraintViolations[0]?.path).toBe('/0/id');
    }

    const synthetic = validateSyntheticTests('{', { now: NOW });
    if (!synthetic.ok) expectTypeOf(synthetic.body).toEqualTypeOf<ClassicErrorEnvelope>();
    else expectTypeOf(synthetic.status).toEqualTypeOf<204>();
    expect(synthetic).toMatchObject({ ok: false, status: 400 });

    const device = validateCustomDevice('printer-1', '{"displayName":"Printer"}', { now: NOW });
    expect(device.ok).toBe(true);
    if (device.ok) {
      expectTypeOf(device.body).toEqualTypeOf<CustomDevicePushResult>();
      expect(device.body.entityId).toMatch(/^CUSTOM_DEVICE-[0-9A-F]{16}$/);
    }
  });

  it('body issues always have a pointer and a JSON body rule id', () => {
    const r = validateSmartscapeEvents('{', { now: NOW });
    expectTypeOf(r.issues).toEqualTypeOf<BodyIssue[]>();
    expectTypeOf(r.issues[0]!.pointer).toEqualTypeOf<string>();
    expect(r.issues[0]).toMatchObject({ rule: 'json-syntax', pointer: '', line: 1 });
  });
});
