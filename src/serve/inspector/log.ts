/**
 * The inspector's list: the last `receivedLimit` requests in a {@link Ring} (the mock store's), and
 * their bodies within a byte budget (`uiBodyBytes`): when a new body would pass it, the oldest kept
 * bodies are let go (their requests stay in the list, marked as without a body).
 *
 * @module
 */
import { Ring } from '../mock-store.js';
import type { RequestRecord } from './record.js';

function sizeOf(chunks: readonly Uint8Array[]): number {
  let n = 0;
  for (const c of chunks) n += c.length;
  return n;
}

function forget(record: RequestRecord): void {
  record.chunks = undefined;
  record.summary.bodyKept = false;
}

/**
 * Received requests, oldest first, with bodies kept within a budget.
 * @example
 * const log = new RequestLog(1000, 64 * 1024 * 1024);
 * log.add(record);
 * log.get(record.summary.id) // the record
 */
export class RequestLog {
  private readonly ring: Ring<RequestRecord>;
  /**
   * Records whose body is kept, oldest first (a queue: `bodies[first..]`). A slot before `first` is
   * cleared as it is passed, so no record that left the list (with its answer) stays reachable here.
   */
  private bodies: (RequestRecord | undefined)[] = [];
  private first = 0;
  private keptBytes = 0;
  private nextId = 1;
  /** Bumped on every change (views cache on it). */
  version = 0;

  /**
   * @param limit requests kept
   * @param bodyBytes body bytes kept in all
   */
  constructor(
    readonly limit: number,
    readonly bodyBytes: number,
  ) {
    this.ring = new Ring(limit);
  }

  /** The id the next record gets. */
  takeId(): number {
    return this.nextId++;
  }

  /** Body bytes kept now. */
  get bytesKept(): number {
    return this.keptBytes;
  }

  /** Requests received since start or the last clear (also those no longer listed). */
  get total(): number {
    return this.ring.total;
  }

  /** Adds a record; keeps its body if the budget allows (dropping the oldest bodies first). */
  add(record: RequestRecord): void {
    this.version++;
    if (record.chunks !== undefined) {
      const size = sizeOf(record.chunks);
      if (size > this.bodyBytes || this.limit === 0) forget(record);
      else {
        while (this.keptBytes + size > this.bodyBytes && this.first < this.bodies.length) this.dropBody(this.takeOldest());
        this.compact();
        this.bodies.push(record);
        this.keptBytes += size;
      }
    }
    // a record with a body is in `bodies` (and the other way round)
    const out = this.ring.push(record);
    if (out !== undefined && out !== record && out.chunks !== undefined) {
      // usually the oldest kept body
      const at = this.bodies[this.first] === out ? this.first : this.bodies.indexOf(out, this.first);
      this.dropBody(out);
      if (at === this.first) this.takeOldest();
      else if (at > this.first) this.bodies.splice(at, 1);
      this.compact();
    }
  }

  /** Takes the oldest kept record off the queue, clearing its slot. */
  private takeOldest(): RequestRecord {
    const record = this.bodies[this.first]!;
    this.bodies[this.first++] = undefined;
    return record;
  }

  /** Lets a kept body go (the caller takes it out of `bodies`). */
  private dropBody(record: RequestRecord): void {
    if (record.chunks === undefined) return;
    this.keptBytes -= sizeOf(record.chunks);
    forget(record);
  }

  private compact(): void {
    if (this.first > 64 && this.first * 2 > this.bodies.length) {
      this.bodies = this.bodies.slice(this.first);
      this.first = 0;
    }
  }

  /** The listed records, oldest first. */
  list(): RequestRecord[] {
    return this.ring.list();
  }

  /** The record with this id, if still listed. */
  get(id: number): RequestRecord | undefined {
    // ids increase in list order: a binary search over the ring's list
    const all = this.ring.list();
    let lo = 0;
    let hi = all.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = all[mid]!.summary.id;
      if (m === id) return all[mid];
      if (m < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Forgets every record and body (ids go on increasing). */
  clear(): void {
    this.version++;
    this.ring.clear();
    for (let i = this.first; i < this.bodies.length; i++) forget(this.bodies[i]!);
    this.bodies = [];
    this.first = 0;
    this.keptBytes = 0;
  }
}
