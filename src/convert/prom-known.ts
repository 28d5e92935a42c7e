/**
 * The samples of a /metrics page a Prometheus converter has already read cleanly, kept so the next
 * scrape of the same target reads them at the speed of a byte comparison. Exporters write their
 * series in the same order at every scrape (client libraries sort families and label sets), so each
 * known series remembers the one that followed it: the converter predicts the next line's series
 * and compares its bytes (name and label set, up to the `}`) with the prediction, once, word by word.
 * A hit needs no grammar pass, no hashing, no interning: the name and the label set are the ones
 * checked when the series was first read (the same bytes parse the same way). A miss costs the
 * comparison up to the first differing word, then the line takes the full path. `# TYPE` lines are
 * known lines too (a hit sets the family again without reading the line); 0.0.4 `# HELP` lines are
 * not (nothing in them is checked, so the converter only counts them, and the chain passes over them).
 *
 * @module
 */
import { KeyTable } from '../metrics/keys.js';
import { Byte } from '../protocol/chars.js';

/** Kinds of known lines: a sample's series (its bytes up to the label set's end), ... */
export const KIND_SAMPLE = 0;
/** ... a comment to skip (0.0.4 HELP, UNIT and other comments: nothing in them can be an error), ... */
export const KIND_SKIP = 1;
/** ... a `# TYPE` line that set its family (replayed). */
export const KIND_TYPE = 2;
/** Not a known line (a comment that must be read each time). */
export const KIND_NONE = -1;

/** Link to the first series of a page (the `next` of the start). */
export const START = 0;
/** No link. */
export const NO_LINK = -1;

/**
 * Known series (the bytes `name{labels}` of a sample that converted cleanly), their name and label
 * set ids in the converter's caches, and which series followed each one last time.
 *
 * @example
 * const known = new KnownSeries();
 * const id = known.add(bytes, 0, 12, nameId, setId); // after a clean sample
 * known.matches(id, bytes, 0, bytes.length); // true: the same bytes start the line
 */
export class KnownSeries {
  readonly table = new KeyTable();
  /** What each known line is (KIND_SAMPLE, KIND_SKIP, KIND_TYPE). */
  kind = new Int8Array(64);
  /** Name id of each series (in the converter's name cache); a TYPE line's family id. */
  name = new Int32Array(64);
  /** Label set id of each series (in the converter's set cache), or -1 for no labels; a TYPE line's family type. */
  set = new Int32Array(64);
  /** A TYPE line's: where its family name starts, from the line's start. */
  familyAt = new Int32Array(64);
  /** `next[id + 1]`: the series that followed series `id` last time ({@link START} at 0), or {@link NO_LINK}. */
  next = new Int32Array(65).fill(NO_LINK);
  /** Bytes of the table's arena as 32-bit words read at any offset (rebuilt when the arena grows). */
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  /** Interns the series `buf[start, end)` and records its name and label set; returns its id. */
  add(buf: Uint8Array, start: number, end: number, nameId: number, setId: number): number {
    return this.addLine(buf, start, end, KIND_SAMPLE, nameId, setId, 0);
  }

  /** Interns a known line `buf[start, end)` (without its LF or CR) of `kind`; returns its id. */
  addLine(buf: Uint8Array, start: number, end: number, kind: number, name: number, set: number, familyAt: number): number {
    const id = this.table.intern(buf, start, end);
    if (id >= this.name.length) this.grow(id);
    this.kind[id] = kind;
    this.name[id] = name;
    this.set[id] = set;
    this.familyAt[id] = familyAt;
    return id;
  }

  /**
   * Where the line at `buf[at, end)` ends (its LF, or `end`) when it is the known line `id` (CR
   * before the LF allowed), else -1.
   */
  lineEnd(id: number, buf: Uint8Array, view: DataView, at: number, end: number): number {
    if (!this.matches(id, buf, view, at, end)) return -1;
    let i = at + this.table.lengthOf(id);
    if (i < end && buf[i] === Byte.CR) i++;
    return i === end || buf[i] === Byte.LF ? i : -1;
  }

  /**
   * Whether the line at `buf[at, end)` starts with the bytes of series `id`, compared four bytes at a
   * time (`view` is `buf` as a DataView): the whole point of the prediction is to touch each byte once.
   */
  matches(id: number, buf: Uint8Array, view: DataView, at: number, end: number): boolean {
    const table = this.table;
    const n = table.lengthOf(id);
    if (at + n > end) return false;
    const arena = table.arenaBytes;
    let known = this.view;
    if (known.buffer !== arena.buffer) this.view = known = new DataView(arena.buffer, arena.byteOffset, arena.byteLength);
    const from = table.offsetOf(id);
    let k = 0;
    for (; k + 4 <= n; k += 4) if (known.getInt32(from + k, true) !== view.getInt32(at + k, true)) return false;
    for (; k < n; k++) if (arena[from + k] !== buf[at + k]) return false;
    return true;
  }

  /** Forgets every series and link (the caches their ids point into were cleared). */
  clear(): void {
    this.table.clear();
    this.next.fill(NO_LINK);
  }

  private grow(id: number): void {
    let n = this.name.length * 2;
    while (n <= id) n *= 2;
    this.kind = widened(this.kind, new Int8Array(n));
    this.familyAt = widened(this.familyAt, new Int32Array(n));
    this.name = widened(this.name, new Int32Array(n));
    this.set = widened(this.set, new Int32Array(n));
    this.next = widened(this.next, new Int32Array(n + 1).fill(NO_LINK));
  }
}

/** `to` (larger, already filled with its default) with `from` copied into its start. */
function widened<T extends Int8Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
