/**
 * Bounded per-series state for stateful converters: the last point of each series (cumulative →
 * delta for OTLP today; Prometheus counters, StatsD and Influx later), keyed by a caller-built series
 * key. Memory is bounded by `maxSeries` (the least recently seen series goes first) and by `ttlMs`
 * (a series unseen that long is forgotten, so its next point starts afresh, like its first).
 *
 * A `Map` kept in last-seen order: touching a series moves it to the end, so the oldest are at the
 * front and both bounds are enforced by looking at the front only (amortized O(1) per operation).
 *
 * @module
 */
import { SERIES_STATE_DEFAULTS, type SeriesStateOptions } from '../protocol/otlp-options.js';

interface Entry<V> {
  value: V;
  seen: number;
}

/**
 * The last value of each series, bounded in count and age.
 * @example
 * const state = new SeriesState<number>({ maxSeries: 10_000, ttlMs: 600_000 });
 * const previous = state.get('requests,host=a');
 * state.set('requests,host=a', 42);
 */
export class SeriesState<V> {
  /** Largest number of series kept. */
  readonly maxSeries: number;
  /** Age in ms after which an unseen series is forgotten. */
  readonly ttlMs: number;
  private readonly entries = new Map<string, Entry<V>>();
  private readonly clock: () => number;
  /** Series forgotten because of `maxSeries` (for a proxy's metrics). */
  evicted = 0;
  /** Series forgotten because of `ttlMs`. */
  expired = 0;

  /**
   * @param options bounds (defaults in `SERIES_STATE_DEFAULTS`)
   * @param clock milliseconds now (tests pass a fake clock)
   */
  constructor(options: SeriesStateOptions = {}, clock: () => number = Date.now) {
    this.maxSeries = options.maxSeries ?? SERIES_STATE_DEFAULTS.maxSeries;
    this.ttlMs = options.ttlMs ?? SERIES_STATE_DEFAULTS.ttlMs;
    if (!(this.maxSeries >= 1) || !(this.ttlMs >= 0)) throw new TypeError('dt-ingest: maxSeries must be at least 1 and ttlMs non-negative');
    this.clock = clock;
  }

  /** Series held now. */
  get size(): number {
    return this.entries.size;
  }

  /** The value of a live series, or `undefined` (never seen, forgotten, or expired). */
  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (this.clock() - e.seen > this.ttlMs) {
      this.entries.delete(key);
      this.expired++;
      return undefined;
    }
    return e.value;
  }

  /** Stores the value of a series (now its most recently seen), then enforces both bounds. */
  set(key: string, value: V): void {
    const now = this.clock();
    const entries = this.entries;
    const e = entries.get(key);
    if (e !== undefined) {
      // moved to the end (most recently seen); the entry object is reused
      entries.delete(key);
      e.value = value;
      e.seen = now;
      entries.set(key, e);
    } else entries.set(key, { value, seen: now });
    if (now < this.oldestSeen) this.oldestSeen = now;
    if (entries.size > this.maxSeries || now - this.oldestSeen > this.ttlMs) this.trim(now);
  }

  /**
   * A lower bound of every kept series' last-seen time (the front's, when last looked at): entries are
   * in last-seen order, so while `now - oldestSeen <= ttlMs` nothing can have expired and `set` need
   * not walk the map. Walking it on every call would cost more than its size suggests: a Map iterates
   * from its front over the slots its deletions left, and every `set` of a known series deletes one.
   */
  private oldestSeen = Number.POSITIVE_INFINITY;

  /** Forgets a series. */
  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
    this.oldestSeen = Number.POSITIVE_INFINITY;
  }

  /** Drops expired series from the front and, past `maxSeries`, the least recently seen. */
  private trim(now: number): void {
    for (const [key, e] of this.entries) {
      if (this.entries.size > this.maxSeries) {
        this.evicted++;
      } else if (now - e.seen > this.ttlMs) {
        this.expired++;
      } else {
        this.oldestSeen = e.seen;
        return;
      }
      this.entries.delete(key);
    }
    this.oldestSeen = Number.POSITIVE_INFINITY;
  }
}
