import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WarningFragments, answerBytes } from '../../../src/serve/answer-json.js';
import { validateMetrics } from '../../../src/report/validate.js';
import type { ValidationResponse } from '../../../src/types.js';

const NOW = 1_700_000_000_000;

describe('answerBytes', () => {
  it("is JSON.stringify of the validator's answer, byte for byte (warnings, errors, both field names)", () => {
    const fragments = new WarningFragments(3);
    const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}(\.[a-z_][a-z0-9_]{0,5}){0,2}$/);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, fc.constantFrom('count,delta=1', '5', 'bad', ''), fc.boolean()), { minLength: 1, maxLength: 30 }),
        fc.constantFrom('changedMetricKeys', 'warningLines') as fc.Arbitrary<'changedMetricKeys' | 'warningLines'>,
        (lines, warningsField) => {
          const body = lines.map(([k, p, count]) => (p === '' ? '' : `${k}${count ? '.count' : ''},q="a\\"b" ${p}`)).join('\n');
          const r = validateMetrics(body, { now: NOW, warningsField, maxReportedErrors: 3 });
          if (r.status === 413) return;
          const b = r.body as ValidationResponse;
          expect(answerBytes(b, fragments).toString()).toBe(JSON.stringify(b));
        },
      ),
      { numRuns: 300 },
    );
    // bounded: never more than its size, however many distinct keys went through
    expect(fragments.size).toBeLessThanOrEqual(3);
  });

  it('escapes what JSON escapes in a warning text (quotes, backslashes, controls, non-ASCII)', () => {
    const fragments = new WarningFragments();
    const body: ValidationResponse = {
      linesOk: 12,
      linesInvalid: 0,
      error: null,
      warnings: {
        message: 'First 2 warnings reported',
        changedMetricKeys: [
          { line: 7, warning: 'a "b" \\ \n é \u2028' },
          { line: 1234567, warning: 'x' },
        ],
      },
    };
    expect(answerBytes(body, fragments).toString()).toBe(JSON.stringify(body));
  });
});
