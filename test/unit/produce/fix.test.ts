import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixMetrics, validateMetrics } from '../../../src/index.js';
import { dataLine } from '../../helpers/arbitraries.js';

const NOW = 1_700_000_000_000;
const opts = { now: NOW };

describe('fixMetrics', () => {
  const cases: [string, string | null, string[]][] = [
    // input line, repaired line (null: left out), rule ids reported
    ['my..metric,Host=a 1', 'my.metric,host=a 1', ['fix-metric-key', 'fix-dimension-key']],
    [
      'jvm.memory.max,area=nonheap,id=Compressed Class Space 1073741824',
      'jvm.memory.max,area=nonheap,id=Compressed\\ Class\\ Space 1073741824',
      ['fix-dimension-value'],
    ],
    ['system.load.average.1m 2.33', 'system.load.average._1m 2.33', ['fix-metric-key']],
    [`a.b 1 ${NOW / 1000}`, `a.b 1 ${NOW}`, ['fix-timestamp-seconds']],
    ['my.metric,a=b\u0001c 1', 'my.metric,a=b_c 1', ['fix-dimension-value']],
    ['my.metric,a="' + 'v'.repeat(300) + '" 1', 'my.metric,a=' + 'v'.repeat(250) + ' 1', ['fix-dimension-value']],
    // the repaired value is cut so that its escaped form fits 250 (either reading of the limit)
    ['my.metric,a="' + '='.repeat(300) + '" 1', 'my.metric,a=' + '\\='.repeat(125) + ' 1', ['fix-dimension-value']],
    ['my.metric,a="' + 'v'.repeat(249) + ' x" 1', 'my.metric,a=' + 'v'.repeat(249) + ' 1', ['fix-dimension-value']],
    // metadata: controls removed and the value quoted, as the Java library writes it
    ['#my.metric gauge dt.meta.displayName=a\u0001b', '#my.metric gauge dt.meta.displayName="ab"', ['fix-metadata-value']],
    ['#my.metric gauge dt.meta.description=c:\\temp', '#my.metric gauge dt.meta.description="c:\\temp"', ['fix-metadata-value']],
    [
      'my.metric,' + Array.from({ length: 52 }, (_, i) => `d${i}=v`).join(',') + ' 1',
      // dimensions past the limit would change the series: the line is left out
      null,
      ['fix-line-dropped'],
    ],
    [
      'big.summary gauge,min=1000000000000.0002,max=1000000000001,sum=1000000000000,count=1',
      'big.summary gauge,min=1000000000000,max=1000000000001,sum=1000000000000,count=1',
      ['fix-summary-clamped'],
    ],
    ['my.metric,=v,b=1 1', null, ['fix-line-dropped']],
    // an unescaped space in the key: the words after it are the rest of the key, never lost
    ['Memory Used,host=web-02 7', 'Memory_Used,host=web-02 7', ['fix-metric-key']],
    ['my metric 5', 'my_metric 5', ['fix-metric-key']],
    ['#my.metric gauge dt.meta.unit=Byte,dt.meta.color=red', null, ['fix-line-dropped']],
    ['#my.metric gauge dt.meta.unit=By te,dt.meta.displayName=CPU', '#my.metric gauge dt.meta.unit=By_te,dt.meta.displayName=CPU', ['fix-metadata-value']],
    ['bad', null, ['fix-line-dropped']],
    ['1000 1', null, ['fix-line-dropped']],
    ['zero.summary gauge,min=0,max=5,sum=0,count=0', null, ['fix-line-dropped']],
    ['real.inconsistency gauge,min=1,max=10,sum=34,count=42', null, ['fix-line-dropped']],
    ['my.metric 1 12345', null, ['fix-line-dropped']],
  ];
  for (const [input, expected, rules] of cases) {
    it(`${JSON.stringify(input.slice(0, 60))} → ${expected === null ? 'left out' : 'repaired'}`, () => {
      const r = fixMetrics(`ok.metric 1\n${input}\nok.metric 2`, opts);
      expect(r.output).toBe(`ok.metric 1\n${expected === null ? '' : expected + '\n'}ok.metric 2\n`);
      expect([...new Set(r.issues.map((i) => i.rule))].sort()).toEqual([...rules].sort());
      expect(r.issues.every((i) => i.line === 2)).toBe(true);
      expect(r.lineMap).toEqual(expected === null ? [1, 3] : [1, 2, 3]);
      expect(validateMetrics(r.output, opts).status).toBe(202);
    });
  }

  it('reports each change with the text before and after', () => {
    const r = fixMetrics('my..metric 1', opts);
    expect(r.issues).toEqual([
      expect.objectContaining({
        rule: 'fix-metric-key',
        severity: 'warning',
        message: "metric key repaired: 'my..metric' -> 'my.metric'",
        line: 1,
        text: 'my..metric',
      }),
    ]);
    expect(r).toMatchObject({ linesKept: 0, linesRepaired: 1, linesDropped: 0 });
  });

  it('properties: the output always validates with no error, and fixing twice changes nothing', () => {
    const line = fc.oneof(
      dataLine(NOW).map((l) => l.text),
      fc.string({ maxLength: 60 }),
      fc.tuple(dataLine(NOW), fc.nat(), fc.constantFrom('A', '.', ' ', ',', '=', '"', '\\', '\u0001', 'é', '#', '1')).map(([l, p, ch]) => {
        const at = p % (l.text.length + 1);
        return l.text.slice(0, at) + ch + l.text.slice(at);
      }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const body = lines.join('\n');
        const once = fixMetrics(body, opts);
        if (once.output !== '') {
          const v = validateMetrics(once.output, opts);
          expect(v.status, once.output).toBe(202);
        }
        const twice = fixMetrics(once.output, opts);
        expect(twice.output).toBe(once.output);
        expect(twice.issues).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('fix findings', () => {
  it('name the repaired part whole, at its column, however long', () => {
    const key = `My Metric${'x'.repeat(120)}`;
    const findings = fixMetrics(`${key},Host Name=a 1\n`).issues;
    const keyFix = findings.find((i) => i.rule === 'fix-metric-key');
    expect(keyFix?.text).toBe(key);
    expect(keyFix?.column).toBe(1);
    const dimFix = findings.find((i) => i.rule === 'fix-dimension-key');
    expect(dimFix?.text).toBe('Host Name');
    expect(dimFix?.column).toBe(key.length + 2);
  });
});
