/**
 * Diagnoses point at the real mistake (issue 22): the unescaped-space reading of a bad payload after
 * a bare dimension value is offered only when escaping that space makes a valid line; otherwise the
 * plain rule names the token. The endpoint's answer is the same either way (`invalid metric type`).
 */
import { describe, expect, it } from 'vitest';
import { validateMetrics } from '../../../src/index.js';

const NOW = 1_700_000_000_000;
const only = (line: string) => {
  const r = validateMetrics(`${line}\n`, { now: NOW });
  expect(r.issues).toHaveLength(1);
  return { issue: r.issues[0]!, body: r.body };
};

describe('unescaped-space diagnosis', () => {
  it.each([
    ['cpu.temp,host=x NaN', 'NaN', 17],
    ['cpu.temp,host=web-02 hot', 'hot', 22],
    ['cpu.temp,host=a b', 'b', 17],
  ])('%s: the value is the mistake, not a space', (line, token, column) => {
    const { issue, body } = only(line);
    expect(issue.rule).toBe('metric-type-invalid');
    expect(issue.message).toBe(`invalid metric type: '${token}' is not a number, 'gauge,...' or 'count,delta=...'`);
    expect(issue.text).toBe(token);
    expect(issue.column).toBe(column);
    expect(issue.endpointMessage).toBe('invalid metric type');
    expect(body).toMatchObject({ error: { invalidLines: [{ line: 1, error: 'invalid metric type' }] } });
  });

  it.each([
    ['cpu.temp,host=web server 7', 'web server'],
    ['cpu.temp,host=Compressed Class Space 7 1700000000000', 'Compressed Class Space'],
    ['cpu.temp,a=b,host=a b,c=d gauge,3', 'a b,c=d gauge,3'],
  ])('%s: escaping the space makes a valid line, so the diagnosis stands', (line) => {
    const { issue, body } = only(line);
    expect(issue.rule).toBe('dimension-value-unescaped-space');
    expect(body).toMatchObject({ error: { invalidLines: [{ line: 1, error: 'invalid metric type' }] } });
  });

  it('a plain bad payload names its token', () => {
    const { issue } = only('cpu.temp hot');
    expect(issue).toMatchObject({ rule: 'metric-type-invalid', text: 'hot', column: 10 });
    expect(issue.message).toContain("'hot' is not a number");
  });

  it('a line of many spaces is diagnosed with a bounded number of re-reads and still answers', () => {
    const line = `cpu.temp,host=a${' b'.repeat(5000)}`;
    const { issue } = only(line);
    expect(issue.rule).toBe('metric-type-invalid');
  });
});
