/** The bounded series state: the least recently seen series goes first past maxSeries, unseen ones after ttlMs. */
import { describe, expect, it } from 'vitest';
import { SeriesState } from '../../../src/produce/series-state.js';

describe('SeriesState', () => {
  it('keeps at most maxSeries, forgetting the least recently seen (a set moves a series to the end)', () => {
    const s = new SeriesState<number>({ maxSeries: 2, ttlMs: 1e9 }, () => 0);
    s.set('a', 1);
    s.set('b', 2);
    s.set('a', 3); // a is now the most recent
    s.set('c', 4);
    expect(s.get('b')).toBeUndefined();
    expect([s.get('a'), s.get('c'), s.size, s.evicted]).toEqual([3, 4, 2, 1]);
  });

  it('forgets series unseen for ttlMs, on get and when a later set trims', () => {
    let now = 0;
    const s = new SeriesState<number>({ maxSeries: 10, ttlMs: 600 }, () => now);
    s.set('a', 1);
    now = 5;
    s.set('b', 2);
    now = 400;
    s.set('a', 3); // seen again: its age starts over
    now = 700;
    s.set('c', 4); // b (seen at 5) has expired and is trimmed; a (400) has not
    expect(s.size).toBe(2);
    expect(s.expired).toBe(1);
    expect(s.get('a')).toBe(3);
    now = 1001;
    expect(s.get('a')).toBeUndefined(); // 1001 - 400 > 600
    expect(s.get('c')).toBe(4);
    now = 1400;
    s.set('d', 5); // c (700) expired
    expect([s.size, s.expired]).toEqual([1, 3]);
  });
});
