/**
 * Properties of the StatsD and Influx converters: every line they write passes validateMetrics
 * (under a clock window wide enough for any input timestamp); the output is the same however the
 * bytes are cut; they never throw.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { InfluxConverter } from '../../src/convert/influx.js';
import { StatsdConverter } from '../../src/convert/statsd.js';
import { assertAllValid, bodyAndCut, influxLine, runConverter, statsdLine } from '../helpers/convert.js';

const enc = new TextEncoder();

function check(open: Parameters<typeof runConverter>[0], text: string, cut: number): void {
  const bytes = enc.encode(text);
  const whole = runConverter(open, [bytes]);
  assertAllValid(whole.text);
  const split = runConverter(open, [bytes.subarray(0, cut), bytes.subarray(cut)]);
  if (split.text !== whole.text) throw new Error(`chunking changed the output at ${cut}: ${JSON.stringify(whole.text)} vs ${JSON.stringify(split.text)}`);
  if (split.counts.invalid !== whole.counts.invalid) throw new Error('chunking changed the invalid count');
}

describe('converters: every output line is valid, whatever the chunking', () => {
  it('StatsD', () => {
    fc.assert(
      fc.property(bodyAndCut(statsdLine), ([text, cut]) => check((sink) => new StatsdConverter(sink, { sets: 'distinct' }), text, cut)),
      { numRuns: 400 },
    );
  });
  it('Influx', () => {
    fc.assert(
      fc.property(bodyAndCut(influxLine), ([text, cut]) => check((sink) => new InfluxConverter(sink), text, cut)),
      { numRuns: 400 },
    );
  });
});
