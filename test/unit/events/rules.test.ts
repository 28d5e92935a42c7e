/**
 * Every documented constraint (fixtures/cases.ts): the exact status, rule, JSON Pointer, endpoint text
 * and, for the classic API, the envelope path.
 */
import { describe, expect, test } from 'vitest';
import type { AnyBodyValidationResult } from '../../../src/events/envelopes.js';
import {
  validateBizEvents,
  validateCustomDevice,
  validateEvents,
  validateLogs,
  validateSmartscapeEvents,
  validateSyntheticTests,
} from '../../../src/events/index.js';
import type { Case } from './fixtures/cases.js';
import { CASES, NOW } from './fixtures/cases.js';

function run(c: Pick<Case, 'endpoint' | 'body' | 'deviceId' | 'options' | 'mediaType'>): AnyBodyValidationResult {
  const options = { now: NOW, ...c.options };
  switch (c.endpoint) {
    case 'events':
      return validateEvents(c.body, options);
    case 'smartscape':
      return validateSmartscapeEvents(c.body, options);
    case 'synthetic':
      return validateSyntheticTests(c.body, options);
    case 'custom-device':
      return validateCustomDevice(c.deviceId ?? 'dev-1', c.body, options);
    case 'logs':
      return validateLogs(c.body, options, c.mediaType);
    case 'bizevents':
      return validateBizEvents(c.body, options, c.mediaType);
  }
}

describe.each(['events', 'smartscape', 'synthetic', 'custom-device', 'logs', 'bizevents'] as const)('%s', (endpoint) => {
  const rows = CASES.filter((c) => c.endpoint === endpoint);
  test.each(rows.map((c) => [c.title, c] as const))('%s', (_title, c) => {
    const r = run(c);
    expect(r.status).toBe(c.status);
    if (c.rule === '') {
      expect(r.issues.filter((i) => i.severity !== 'info')).toEqual([]);
      return;
    }
    const issue = r.issues.find((i) => i.rule === c.rule);
    expect(issue, JSON.stringify(r.issues)).toBeDefined();
    if (c.pointer !== undefined) expect(issue!.pointer).toBe(c.pointer);
    if (c.severity !== undefined) expect(issue!.severity).toBe(c.severity);
    else expect(issue!.severity).toBe('error');
    if (c.endpointMessage !== undefined) expect(issue!.endpointMessage).toBe(c.endpointMessage);
    if (c.line !== undefined) expect(issue!.line).toBe(c.line);
    if (c.column !== undefined) expect(issue!.column).toBe(c.column);
    const body = r.body as {
      error?: {
        message: string;
        constraintViolations?: { path: string; message: string }[];
        details?: { constraintViolations: { path: string; message: string }[] };
      };
    } | null;
    if (c.envelopeMessage !== undefined) expect(body?.error?.message).toBe(c.envelopeMessage);
    if (r.status === 400 && (endpoint === 'events' || endpoint === 'smartscape') && c.pointer !== undefined && issue!.severity === 'error') {
      // Platform envelope: the violation carries the JSON Pointer and the endpoint text.
      expect(body!.error!.message).toBe('The input is invalid.');
      expect(body!.error!.details!.constraintViolations).toContainEqual({ path: c.pointer, message: issue!.endpointMessage });
    }
    if (c.classicPath !== undefined) {
      expect(body!.error!.message).toBe('Constraints violated.');
      expect(body!.error!.constraintViolations).toContainEqual(expect.objectContaining({ path: c.classicPath, message: issue!.endpointMessage }));
    }
    if ((r.status === 202 || r.status === 204) && endpoint !== 'custom-device') expect(r.body).toBeNull();
  });
});

test('every rule of the table has at least one case', async () => {
  const { EVENT_RULE_LIST } = await import('../../../src/events/index.js');
  const covered = new Set(CASES.map((c) => c.rule));
  const missing = EVENT_RULE_LIST.map((r) => r.id).filter((id) => !covered.has(id) && id !== 'json-invalid-utf8' && id !== 'json-too-deep');
  expect(missing).toEqual([]);
});
