import { describe, expect, it } from 'vitest';
import { validateMetrics, MetricsValidator } from '../../../src/index.js';
import type { ValidationResponse } from '../../../src/index.js';

const NOW = 1_700_000_000_000;
const body = (s: string, o: Record<string, unknown> = {}) => validateMetrics(s, { now: NOW, ...o });

describe('the endpoint response', () => {
  it('202 with null error and warnings when all lines are valid', () => {
    expect(body('a.b.c 1\nx.y.z gauge,2\n')).toMatchObject({ status: 202, body: { linesOk: 2, linesInvalid: 0, error: null, warnings: null } });
  });

  it('serializes with the server field order', () => {
    expect(JSON.stringify(body('abc 1\nbad').body)).toBe(
      '{"linesOk":1,"linesInvalid":1,"error":{"code":400,"message":"1 invalid lines","invalidLines":[{"line":2,"error":"invalid metric type"}]},"warnings":null}',
    );
  });

  it('counts physical lines: blank lines, spaces-only lines and CRLF', () => {
    const r = body('abc 1\r\n\r\n   \n\nbad\r\nabc 2');
    const res = r.body as ValidationResponse;
    expect(res.linesOk).toBe(2);
    expect(res.error!.invalidLines).toEqual([{ line: 5, error: 'invalid metric type' }]);
  });

  it('lists the first 10 invalid lines and says so past the cap; the report keeps all', () => {
    const text = Array.from({ length: 12 }, (_, i) => `bad${i}`).join('\n') + '\nabc 1';
    const r = body(text);
    const res = r.body as ValidationResponse;
    expect(r.status).toBe(400);
    expect(res.linesInvalid).toBe(12);
    expect(res.linesOk).toBe(1);
    expect(res.error!.message).toBe('First 10 errors reported');
    expect(res.error!.invalidLines.map((l) => l.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(r.issues.filter((i) => i.severity === 'error')).toHaveLength(12);
  });

  it('exactly 10 invalid lines say "10 invalid lines"', () => {
    const res = body(Array.from({ length: 10 }, () => 'bad').join('\n')).body as ValidationResponse;
    expect(res.error!.message).toBe('10 invalid lines');
  });

  it('maxReportedErrors changes the cap', () => {
    const res = body('bad\nbad\nbad', { maxReportedErrors: 2 }).body as ValidationResponse;
    expect(res.error!.message).toBe('First 2 errors reported');
    expect(res.error!.invalidLines).toHaveLength(2);
  });

  it('warnings: changedMetricKeys by default, warningLines as an option, with "First k warnings reported"', () => {
    const text = 'a.b count,delta=1\nx.count 5\nok.count count,delta=1';
    const d = body(text).body as ValidationResponse;
    expect(d.warnings).toEqual({
      message: 'First 2 warnings reported',
      changedMetricKeys: [
        { line: 1, warning: "metric key 'a.b' changed to 'a.b.count'" },
        { line: 2, warning: "metric key 'x.count' changed to 'x.count.gauge'" },
      ],
    });
    const w = body(text, { warningsField: 'warningLines' }).body as ValidationResponse;
    expect(w.warnings!.warningLines).toHaveLength(2);
    expect(w.warnings!.changedMetricKeys).toBeUndefined();
    const capped = body(text, { maxReportedWarnings: 1 }).body as ValidationResponse;
    expect(capped.warnings!.message).toBe('First 1 warnings reported');
  });

  it('_count suffix counts as a count suffix', () => {
    expect(body('new_user_count count,delta=5').body).toMatchObject({ warnings: null });
    expect((body('new_user_count 5').body as ValidationResponse).warnings!.changedMetricKeys![0]!.warning).toBe(
      "metric key 'new_user_count' changed to 'new_user_count.gauge'",
    );
  });

  it('empty request', () => {
    for (const t of ['', '\n', '  \n\r\n']) {
      expect(body(t)).toMatchObject({
        status: 400,
        body: { linesOk: 0, linesInvalid: 0, error: { code: 400, message: 'empty request', invalidLines: [] }, warnings: null },
      });
    }
    expect(body('').issues[0]!.rule).toBe('body-empty');
  });

  it('413 above maxBodyBytes (1,048,576 by default, 1,000,000 as an option) while the report still lists lines', () => {
    const line = 'abc 1\n';
    const atLimit = line.repeat(Math.floor(1_048_576 / line.length)) + 'x'.repeat(1_048_576 % line.length);
    expect(atLimit.length).toBe(1_048_576);
    expect(body(atLimit).status).toBe(400); // the trailing x-run is an invalid line, but not too large
    const over = atLimit + 'x';
    const r = body(over);
    expect(r.status).toBe(413);
    expect(r.body).toEqual({ error: { code: 413, message: 'Payload too large: 1048577 > 1048576 bytes' } });
    expect(r.issues.some((i) => i.rule === 'body-too-large')).toBe(true);
    expect(r.issues.some((i) => i.rule === 'payload-missing' && i.line === Math.floor(1_048_576 / line.length) + 1)).toBe(true);
    expect(body(line.repeat(200_000), { maxBodyBytes: 1_000_000 }).status).toBe(413);
  });

  it('one problem per line: the first, reading left to right', () => {
    const r = body('Bad.Key!,Dim=1 notanumber 123');
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]!.rule).toBe('metric-key-char');
    expect(r.issues[0]!.column).toBe(8);
  });

  it('metadata lines count as OK lines; a second one for the same key is a report warning only', () => {
    const r = body('#abc gauge dt.meta.unit=Byte\n#abc gauge dt.meta.unit=Bit\nabc 1');
    expect(r.body).toEqual({ linesOk: 3, linesInvalid: 0, error: null, warnings: null });
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'metadata-duplicate', line: 2, severity: 'warning' })]);
  });

  it('each repeat of a metadata key names the line of its own first one', () => {
    const r = body(
      '#a.b gauge dt.meta.unit=Byte\n#c.d gauge dt.meta.unit=Byte\n#a.b gauge dt.meta.unit=Bit\n#c.d gauge dt.meta.unit=Bit\n#a.b gauge dt.meta.unit=Bit\n',
    );
    const said = (key: string, first: number) => `metadata for '${key}' was already given on line ${first}; this line is ignored`;
    expect(r.issues.map((i) => [i.line, i.message, i.text])).toEqual([
      [3, said('a.b', 1), 'a.b'],
      [4, said('c.d', 2), 'c.d'],
      [5, said('a.b', 1), 'a.b'],
    ]);
  });

  it('issues carry rule, message, line, column, text and the endpoint text', () => {
    const r = body('abc 1\nmy.metric,dim=a b 5');
    expect(r.issues).toEqual([
      {
        rule: 'dimension-value-unescaped-space',
        severity: 'error',
        message: "unescaped space in dimension value (escape it as '\\ ' or quote the value)",
        line: 2,
        column: 16,
        text: 'a b',
        endpointMessage: 'invalid metric type',
      },
    ]);
  });

  it('timestamps that look like seconds get a hint', () => {
    const r = body('abc 1 1700000000');
    expect(r.issues[0]!.message).toContain('looks like seconds');
    expect(body(`abc 1 ${NOW}`).status).toBe(202);
    expect(body(`abc 1 ${NOW - 3_600_000}\nabc 1 ${NOW + 600_000}`).status).toBe(202);
  });

  it('the streaming validator gives the same answer as the one-call API, and counts as it goes', () => {
    const v = new MetricsValidator({ now: NOW });
    v.push('abc 1\nba');
    expect(v.linesOk).toBe(1);
    v.push('d\nabc 2');
    const r = v.end();
    expect(r).toEqual(body('abc 1\nbad\nabc 2'));
  });

  it('validate-only mode builds no issues but the same endpoint body', () => {
    const text = 'abc 1\nbad\na.b count,delta=1';
    const v = new MetricsValidator({ now: NOW }, { issues: false });
    v.push(text);
    const r = v.end();
    expect(r.issues).toEqual([]);
    expect(r.body).toEqual(body(text).body);
  });
});
