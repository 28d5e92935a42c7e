/**
 * The interned string table: one id per distinct byte string, in order of first appearance, stable
 * while the table grows (its slots, its entries and the recent-strings cache it makes on the first
 * growth), the text decoded as given, and a fresh start after clear().
 */
import { describe, expect, it } from 'vitest';
import { KeyTable } from '../../../src/metrics/keys.js';
import { hashKeyBytes } from '../../../src/protocol/native-layout.js';

const enc = new TextEncoder();

/** Interns each string of `words` (from one buffer, space-separated) and returns the ids. */
function internAll(table: KeyTable, words: string[]): number[] {
  const bytes = enc.encode(words.join(' '));
  const ids: number[] = [];
  let s = 0;
  for (const w of words) {
    const e = s + enc.encode(w).length;
    ids.push(table.intern(bytes, s, e));
    s = e + 1;
  }
  return ids;
}

describe('KeyTable', () => {
  it('gives one id per distinct string, in order of first appearance, through growth', () => {
    const table = new KeyTable();
    const words = Array.from({ length: 3000 }, (_, k) => `metric.k${k % 1000}.x`);
    const ids = internAll(table, words);
    expect(table.size).toBe(1000);
    words.forEach((w, k) => {
      expect(ids[k]).toBe(k % 1000);
      expect(table.text(ids[k]!)).toBe(w);
    });
    // the lengths and offsets agree with the arena
    const id = ids[777]!;
    const at = table.offsetOf(id);
    expect(new TextDecoder().decode(table.arenaBytes.subarray(at, at + table.lengthOf(id)))).toBe('metric.k777.x');
  });

  it('tells apart strings that share length, first, middle and last byte (the recent cache samples those)', () => {
    const table = new KeyTable();
    const words = ['a1b2c', 'a9b8c', 'a1b2c', 'aXbYc', 'a9b8c', ''];
    for (let round = 0; round < 40; round++) words.push(`w${round}`); // grow past the starting size
    words.push('a1b2c', 'aXbYc', 'a9b8c', '');
    const ids = internAll(table, words);
    expect(ids.slice(0, 6)).toEqual([0, 1, 0, 2, 1, 3]);
    expect(ids.slice(-4)).toEqual([0, 2, 1, 3]);
    expect(table.text(3)).toBe('');
  });

  it('agrees with internHashed and starts afresh after clear()', () => {
    const table = new KeyTable();
    const bytes = enc.encode('cpu.temp host é');
    expect(table.intern(bytes, 0, 8)).toBe(0);
    expect(table.internHashed(bytes, 0, 8, hashKeyBytes(bytes, 0, 8))).toBe(0);
    expect(table.internHashed(bytes, 9, 13, hashKeyBytes(bytes, 9, 13))).toBe(1);
    expect(table.intern(bytes, 9, 13)).toBe(1);
    const accent = table.intern(bytes, 14, bytes.length);
    expect(accent).toBe(2);
    expect(table.text(accent)).toBe('é');
    table.clear();
    expect(table.size).toBe(0);
    expect(table.intern(bytes, 9, 13)).toBe(0);
    expect(table.text(0)).toBe('host');
  });
});
