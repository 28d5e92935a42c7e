import { describe, expect, it } from 'vitest';
import { LineWriter, writeBatchLines } from '../../../src/convert/write-lines.js';
import { parseMetricsBatch } from '../../../src/metrics/batch.js';
import { validateMetrics } from '../../../src/report/validate.js';

describe('LineWriter', () => {
  it('writes gauges, counts, summaries and timestamps as the serializer spells them', () => {
    const input = [
      'cpu.temp,host=a 42.5',
      'requests,method=GET count,delta=3 1700000000000',
      'latency gauge,min=1,max=9,sum=20,count=4',
      'plain gauge,1e+21',
    ].join('\n');
    expect(writeBatchLines(parseMetricsBatch(input, { now: 1700000000000 }))).toBe(
      'cpu.temp,host=a gauge,42.5\nrequests,method=GET count,delta=3 1700000000000\nlatency gauge,min=1,max=9,sum=20,count=4\nplain gauge,1e+21\n',
    );
  });

  it('escapes dimension values once per string and the lines pass the validator', () => {
    const batch = parseMetricsBatch('key.k,a=x\\ y\\,z\\=\\"q\\" 1\nkey.k,a=x\\ y\\,z\\=\\"q\\" 2\n');
    const text = new LineWriter().write(batch);
    expect(text).toBe('key.k,a=x\\ y\\,z\\=\\"q\\" gauge,1\nkey.k,a=x\\ y\\,z\\=\\"q\\" gauge,2\n');
    const report = validateMetrics(text);
    expect(report.body).toMatchObject({ linesOk: 2, linesInvalid: 0 });
  });

  it('writes a range of points and nothing for an empty range', () => {
    const batch = parseMetricsBatch('key.a 1\nkey.b 2\nkey.c 3\n');
    const writer = new LineWriter();
    expect(writer.write(batch, 1, 2)).toBe('key.b gauge,2\n');
    expect(writer.write(batch, 2, 2)).toBe('');
  });
});
