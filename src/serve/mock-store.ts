/**
 * What the mock endpoint accepted: the last N items per route in memory (a ring per route), and
 * optionally every item appended to an NDJSON file, so a test can assert exactly what arrived.
 * Only accepted items are kept; the `Authorization` header is never part of an item.
 *
 * @module
 */
import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';
import type { IngestRouteName } from './route-table.js';

/** An accepted custom device push. */
export interface ReceivedCustomDevice {
  customDeviceId: string;
  body: unknown;
}

/**
 * What `GET /_dt-ingest/received` answers: per route, the accepted items, oldest first, and how
 * many were accepted in total (also those no longer kept).
 * @example { metrics: { total: 2, items: ['cpu.temp 1', 'cpu.temp 2'] }, events: { total: 0, items: [] }, ... }
 */
export type ReceivedSnapshot = {
  [K in IngestRouteName]: { total: number; items: K extends 'metrics' ? string[] : K extends 'customDevice' ? ReceivedCustomDevice[] : unknown[] };
};

/**
 * Opens the record file for appending (creating it), or throws an `Error` that names the file and
 * why, in one line (`cannot open the record file 'x': no such directory`).
 * @example closeSync(openRecordFile('received.ndjson')) // checks it can be written
 */
export function openRecordFile(path: string): number {
  try {
    return openSync(path, 'a');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such directory'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : (err as Error).message;
    throw Object.assign(new Error(`cannot open the record file '${path}': ${why}`), { code: code ?? 'EIO' });
  }
}

/** A ring of the last `limit` items. */
class Ring<T> {
  private items: T[] = [];
  private head = 0;
  total = 0;
  constructor(private readonly limit: number) {}
  push(item: T): void {
    this.total++;
    if (this.limit === 0) return;
    if (this.items.length < this.limit) this.items.push(item);
    else {
      this.items[this.head] = item;
      this.head = (this.head + 1) % this.limit;
    }
  }
  list(): T[] {
    return this.items.length < this.limit ? this.items.slice() : this.items.slice(this.head).concat(this.items.slice(0, this.head));
  }
  clear(): void {
    this.items = [];
    this.head = 0;
    this.total = 0;
  }
}

/**
 * The mock endpoint's memory of accepted items.
 * @example
 * const store = new MockStore(1000);
 * store.add('metrics', ['cpu.temp 1']);
 * store.snapshot().metrics.items // ['cpu.temp 1']
 */
export class MockStore {
  private readonly rings: { [K in IngestRouteName]: Ring<unknown> };
  private readonly file: WriteStream | undefined;
  private fileError: Error | undefined;

  /**
   * @param limit items kept per route
   * @param recordFile NDJSON file every accepted item is appended to (`{"route","receivedAt","item"}`);
   *   opened at once, so a file that cannot be written is an error here (naming the file), not a
   *   silent loss later
   * @internal
   */
  constructor(
    readonly limit: number,
    recordFile?: string,
  ) {
    this.rings = { metrics: new Ring(limit), events: new Ring(limit), smartscape: new Ring(limit), synthetic: new Ring(limit), customDevice: new Ring(limit) };
    if (recordFile !== undefined && recordFile !== '') {
      const fd = openRecordFile(recordFile);
      try {
        this.file = createWriteStream('', { fd, flags: 'a' });
      } catch (err) {
        closeSync(fd);
        throw err;
      }
      this.file.on('error', (err) => {
        this.fileError = err;
      });
    }
  }

  /** The error of the record file, if writing failed. */
  get recordError(): Error | undefined {
    return this.fileError;
  }

  /**
   * Adds accepted items of one request.
   * @internal
   * @example store.add('events', [{ 'event.type': 'CUSTOM_INFO', title: 'x' }])
   */
  add(route: IngestRouteName, items: readonly unknown[]): void {
    const ring = this.rings[route];
    for (const item of items) ring.push(item);
    if (this.file !== undefined && this.fileError === undefined && items.length > 0) {
      const at = new Date().toISOString();
      let text = '';
      for (const item of items) text += JSON.stringify({ route, receivedAt: at, item }) + '\n';
      this.file.write(text);
    }
  }

  /**
   * The kept items of every route.
   * @example store.snapshot().customDevice.items[0].customDeviceId
   */
  snapshot(): ReceivedSnapshot {
    const out = {} as Record<IngestRouteName, { total: number; items: unknown[] }>;
    for (const name of Object.keys(this.rings) as IngestRouteName[]) out[name] = { total: this.rings[name].total, items: this.rings[name].list() };
    return out as ReceivedSnapshot;
  }

  /**
   * Forgets every kept item (the record file is not touched).
   * @example store.clear()
   */
  clear(): void {
    for (const ring of Object.values(this.rings)) ring.clear();
  }

  /**
   * Flushes and closes the record file.
   * @example await store.close()
   */
  close(): Promise<void> {
    const file = this.file;
    if (file === undefined || file.closed) return Promise.resolve();
    return new Promise((resolve) => file.end(() => resolve()));
  }
}
