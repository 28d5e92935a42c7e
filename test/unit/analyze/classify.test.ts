/**
 * The volatile-value classifier: positives and negatives of every class, the mask the hash pass
 * computes agreeing with a separate pass, and the table's rows.
 */
import { describe, expect, it } from 'vitest';
import { VALUE_CLASS, ValueBits, VolatileClass, classifyValue, hashValue, valueMask } from '../../../src/analyze/index.js';

const enc = new TextEncoder();
function classOf(s: string): number {
  const b = enc.encode(s);
  return classifyValue(b, 0, b.length, valueMask(b, 0, b.length));
}

const CASES: Record<keyof typeof VolatileClass, { yes: string[]; no: string[] }> = {
  UUID: {
    yes: ['a3bb189e-8bf9-3888-9912-ace4e6543002', '00000000-0000-0000-0000-000000000000'],
    no: ['a3bb189e-8bf9-3888-9912-ace4e654300', 'a3bb189e8bf9-3888-9912-ace4e65430021', 'zzbb189e-8bf9-3888-9912-ace4e6543002'],
  },
  HEX_ID: {
    yes: ['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', '507f1f77bcf86cd799439011'],
    no: ['deadbeefcafebabe', '00f067aa0ba902b', 'HOST-CC0D06F288EE2A93'],
  },
  EPOCH: { yes: ['1699625420', '1699625420123', '1699625420123456', '1699625420123456789'], no: ['169962542', '2699625420'] },
  ISO_TIME: { yes: ['2024-01-02', '2024-01-02T03:04:05Z', '2024-01-02 03:04:05.123+01:00'], no: ['2024-1-02', '2024/01/02', 'v2024-01-02x'] },
  IP: {
    yes: ['10.0.0.1', '192.168.100.254', '2001:db8::1', 'fe80::1ff:fe23:4567:890a', '2001:db8:85a3:0:0:8a2e:370:7334'],
    no: ['1.2.3', '1.2.3.4.5', '1234.1.1.1', '12:30:45', '3.14'],
  },
  URL_ID: {
    yes: ['/api/v1/users/42', '/orders/4bf92f3577b34da6a3ce929d0e0e4736/items', 'https://x.io/a?id=12345', '/u/a3bb189e-8bf9-3888-9912-ace4e6543002'],
    no: ['/api/v1/users/{id}', '/api/v2/metrics', '/health', 'a/b'],
  },
  NUMBER: { yes: ['12345', '9876543210123'], no: ['200', '8080', '-12345'] },
  NONE: { yes: ['web-01', 'GET', 'eu-west-1', 'checkout service', 'SUCCESS', '', 'HOST-CC0D06F288EE2A93'], no: [] },
};

describe('classifyValue', () => {
  for (const [name, { yes, no }] of Object.entries(CASES)) {
    const cls = VolatileClass[name as keyof typeof VolatileClass];
    it(`${name}: positives and negatives`, () => {
      for (const v of yes) expect([v, classOf(v)]).toEqual([v, cls]);
      for (const v of no) expect([v, classOf(v)]).not.toEqual([v, cls]);
    });
  }

  it('the mask of the hash pass is the mask of a separate pass, at every length (the four-byte steps and the tail)', () => {
    const out = new Int32Array(2);
    const s = 'a3bb189e-8bf9-3888-9912-ace4e6543002/x?y=1 Z:.';
    for (let n = 0; n <= s.length; n++) {
      const b = enc.encode(s.slice(0, n));
      expect(hashValue(b, 0, b.length, out)).toBe(valueMask(b, 0, b.length));
    }
  });

  it('the class table: digits, hex letters, other letters, punctuation', () => {
    expect(VALUE_CLASS[48]).toBe(ValueBits.DIGIT);
    expect(VALUE_CLASS[70]).toBe(ValueBits.HEX);
    expect(VALUE_CLASS[71]).toBe(ValueBits.ALPHA);
    expect(VALUE_CLASS[102]).toBe(ValueBits.HEX);
    expect(VALUE_CLASS[103]).toBe(ValueBits.ALPHA);
    expect(VALUE_CLASS[95]).toBe(ValueBits.OTHER);
    expect(VALUE_CLASS[0xc3]).toBe(ValueBits.OTHER);
  });

  it('reads only its range of a larger buffer', () => {
    const b = enc.encode('xx1699625420yy');
    expect(classifyValue(b, 2, 12, valueMask(b, 2, 12))).toBe(VolatileClass.EPOCH);
  });
});
