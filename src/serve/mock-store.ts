/**
 * What the mock endpoint accepted: the last N items per route in memory (a ring per endpoint of the
 * endpoint table, under its id), and
 * optionally every item appended to an NDJSON file, so a test can assert exactly what arrived.
 * Only accepted items are kept; the `Authorization` header is never part of an item.
 *
 * @module
 */
import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { ENDPOINTS } from '../endpoints/index.js';
import type { IngestRouteName } from './route-table.js';

/** An accepted custom device push. */
export interface ReceivedCustomDevice {
  customDeviceId: string;
  body: unknown;
}

/**
 * What `GET /_dt-ingest/received` answers: per endpoint id, the accepted items, oldest first, and how
 * many were accepted in total (also those no longer kept). The earlier key `customDevice` is still
 * there for scripts (not enumerable, so not in the JSON answer).
 * @example { metrics: { total: 2, items: ['cpu.temp 1', 'cpu.temp 2'] }, events: { total: 0, items: [] }, ... }
 */
export type ReceivedSnapshot = {
  [K in IngestRouteName]: { total: number; items: K extends 'metrics' ? string[] : K extends 'custom-device' ? ReceivedCustomDevice[] : unknown[] };
} & {
  /** @deprecated The key is `custom-device` now (one spelling everywhere); this one stays readable. */
  readonly customDevice: { total: number; items: ReceivedCustomDevice[] };
};

/** A ring per endpoint id. */
function ringsPerEndpoint<T>(limit: number): Record<IngestRouteName, Ring<T>> {
  return Object.fromEntries(ENDPOINTS.map((e) => [e.id, new Ring<T>(limit)])) as Record<IngestRouteName, Ring<T>>;
}

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

/**
 * A ring of the last `limit` items (the mock's items per route, the inspector's requests).
 * @example const ring = new Ring<number>(2); ring.push(1); ring.push(2); ring.push(3); ring.list() // [2, 3]
 */
export class Ring<T> {
  private items: T[] = [];
  private head = 0;
  /** Items pushed since the last clear (also those no longer kept). */
  total = 0;
  constructor(private readonly limit: number) {}
  /** Adds an item; returns the one it pushed out (or the item itself when nothing is kept). */
  push(item: T): T | undefined {
    this.total++;
    if (this.limit === 0) return item;
    if (this.items.length < this.limit) {
      this.items.push(item);
      return undefined;
    }
    const out = this.items[this.head];
    this.items[this.head] = item;
    this.head = (this.head + 1) % this.limit;
    return out;
  }
  /** The kept items, oldest first. */
  list(): T[] {
    return this.items.length < this.limit ? this.items.slice() : this.items.slice(this.head).concat(this.items.slice(0, this.head));
  }
  /** Items kept now. */
  get size(): number {
    return this.items.length;
  }
  clear(): void {
    this.items = [];
    this.head = 0;
    this.total = 0;
  }
}

/** When the items of one request were accepted (shared by them): their order and time for the export. */
interface Stamp {
  seq: number;
  at: string;
}

/**
 * The accepted metric lines of one request: their bytes, each line ended by an LF, decoded only when
 * read (most are pushed out by later requests before anyone reads them), or their texts.
 */
interface LineBatch {
  bytes: Uint8Array | undefined;
  texts: string[] | undefined;
  /** Lines in the batch. */
  count: number;
  /** Lines at the front already pushed out of the ring. */
  from: number;
  /** Whether a CR before a line's LF is not part of the line (the validator's `ignoreCarriageReturn`). */
  ignoreCr: boolean;
  stamp: Stamp;
}

/** The texts of a batch's lines, from its `from`-th on (the bytes decoded once, as the body's were). */
function batchTexts(b: LineBatch): string[] {
  if (b.texts !== undefined) return b.texts.slice(b.from);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(b.bytes);
  const out: string[] = [];
  let pos = 0;
  for (let i = 0; i < b.count; i++) {
    const nl = text.indexOf('\n', pos);
    if (i >= b.from) out.push(text.slice(pos, b.ignoreCr && nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
    pos = nl + 1;
  }
  return out;
}

/**
 * The metrics route's ring: the last `limit` lines, kept as the batches they came in (a request's
 * lines are one batch: one copy of their bytes, no string per line until someone reads them).
 */
class LineRing {
  private batches: LineBatch[] = [];
  /** Lines kept now. */
  size = 0;
  /** Lines pushed since the last clear (also those no longer kept). */
  total = 0;
  constructor(private readonly limit: number) {}

  push(batch: LineBatch): void {
    this.total += batch.count;
    if (this.limit === 0) return;
    this.batches.push(batch);
    this.size += batch.count;
    // the oldest lines out: whole batches, then the front of the oldest one left
    while (this.size > this.limit) {
      const oldest = this.batches[0]!;
      const drop = Math.min(this.size - this.limit, oldest.count - oldest.from);
      oldest.from += drop;
      this.size -= drop;
      if (oldest.from === oldest.count) this.batches.shift();
    }
  }

  /** The kept lines, oldest first, each with its batch's stamp. */
  each(visit: (line: string, stamp: Stamp, index: number) => void): void {
    let index = 0;
    for (const b of this.batches) for (const line of batchTexts(b)) visit(line, b.stamp, index++);
  }

  list(): string[] {
    const out: string[] = [];
    this.each((line) => out.push(line));
    return out;
  }

  clear(): void {
    this.batches = [];
    this.size = 0;
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
  /** Per route, the stamp of each kept item (same positions as the items). */
  private readonly stamps: { [K in IngestRouteName]: Ring<Stamp> };
  /** The metrics route's lines (not in `rings`: kept as bytes until read). */
  private readonly lines: LineRing;
  private seq = 0;
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
    this.rings = ringsPerEndpoint(limit);
    this.stamps = ringsPerEndpoint(limit);
    this.lines = new LineRing(limit);
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
    if (items.length === 0) return;
    const at = new Date().toISOString();
    const stamp: Stamp = { seq: ++this.seq, at };
    if (route === 'metrics') {
      this.lines.push({ bytes: undefined, texts: items.slice() as string[], count: items.length, from: 0, ignoreCr: false, stamp });
    } else {
      const ring = this.rings[route];
      const stamps = this.stamps[route];
      for (const item of items) {
        ring.push(item);
        stamps.push(stamp);
      }
    }
    if (this.file !== undefined && this.fileError === undefined) {
      let text = '';
      for (const item of items) text += JSON.stringify({ route, receivedAt: at, item }) + '\n';
      this.file.write(text);
    }
  }

  /**
   * Adds the accepted metric lines of one request as bytes: `count` lines, each ended by an LF (a CR
   * before it not part of the line when `ignoreCr`). The store keeps the bytes (the caller hands them
   * over) and decodes them only when they are read. Not for a store that records to a file.
   * @internal
   * @example store.addMetricLines(Buffer.from('a 1\nb 2\n'), 2, true)
   */
  addMetricLines(bytes: Uint8Array, count: number, ignoreCr: boolean): void {
    if (count === 0) return;
    this.lines.push({ bytes, texts: undefined, count, from: 0, ignoreCr, stamp: { seq: ++this.seq, at: new Date().toISOString() } });
  }

  /**
   * The kept items of every route.
   * @example store.snapshot()['custom-device'].items[0].customDeviceId
   */
  snapshot(): ReceivedSnapshot {
    const out = {} as Record<string, { total: number; items: unknown[] }>;
    for (const e of ENDPOINTS) {
      const entry =
        e.id === 'metrics' ? { total: this.lines.total, items: this.lines.list() } : { total: this.rings[e.id].total, items: this.rings[e.id].list() };
      out[e.id] = entry;
      // earlier public spellings read the same entry
      for (const legacy of e.legacyIds) Object.defineProperty(out, legacy, { value: entry, enumerable: false });
    }
    return out as unknown as ReceivedSnapshot;
  }

  /**
   * The kept items of every route as NDJSON, in the order they were accepted: one line
   * `{"route","receivedAt","item"}` per item, as `--record` writes them.
   * @example store.exportNdjson() // '{"route":"metrics","receivedAt":"2026-...","item":"cpu.temp 1"}\n'
   */
  exportNdjson(): string {
    const all: { route: IngestRouteName; stamp: Stamp; item: unknown; index: number }[] = [];
    this.lines.each((item, stamp, index) => all.push({ route: 'metrics', stamp, item, index }));
    for (const route of Object.keys(this.rings) as IngestRouteName[]) {
      if (route === 'metrics') continue;
      const items = this.rings[route].list();
      const stamps = this.stamps[route].list();
      for (let i = 0; i < items.length; i++) all.push({ route, stamp: stamps[i]!, item: items[i], index: i });
    }
    all.sort((a, b) => a.stamp.seq - b.stamp.seq || a.index - b.index);
    let text = '';
    for (const e of all) text += JSON.stringify({ route: e.route, receivedAt: e.stamp.at, item: e.item }) + '\n';
    return text;
  }

  /**
   * Forgets every kept item (the record file is not touched).
   * @example store.clear()
   */
  clear(): void {
    for (const ring of Object.values(this.rings)) ring.clear();
    for (const ring of Object.values(this.stamps)) ring.clear();
    this.lines.clear();
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
