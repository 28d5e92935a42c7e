/**
 * Small helpers shared by the four body validators: reading the input (raw text, bytes or an
 * already parsed value), own-property access that is safe for `__proto__` keys, value kinds, and
 * building the final result.
 *
 * @module
 */
import type { BodyIssue, BodyValidationResult, ClassicErrorEnvelope, IssueCollector, PlatformErrorEnvelope, RequestFailure } from './envelopes.js';
import { errorEnvelope, requestFailure } from './envelopes.js';
import type { PathSegment } from './json.js';
import { readJsonBody } from './json.js';
import { bytesOfInput, inputTypeMessage, isForeignBytes } from '../protocol/inputs.js';

/**
 * What the validators accept as a body: the raw request text (`string`), its bytes (`Uint8Array`,
 * `Buffer`, `ArrayBuffer`), or an already parsed JSON value (anything else). A JS string is always
 * read as request text, never as a parsed JSON string.
 */
export type BodyInput = string | Uint8Array | ArrayBuffer | unknown;

/** The body was read: its value, and its text when it came as text or bytes. */
export interface ReadBody {
  value: unknown;
  text: string | undefined;
  /** True for raw input whose text is empty or only whitespace (custom device: no body). */
  empty: boolean;
}

/**
 * Reads the input. Returns the endpoint's answer instead when the body fails before validation
 * (413 over `maxBytes`, malformed JSON, nesting deeper than `maxJsonDepth`). With `emptyOk`, an
 * empty body is a valid "no body".
 */
export function readInput(
  input: BodyInput,
  maxBytes: number,
  o: { readonly allowBom: boolean; readonly maxJsonDepth: number },
  emptyOk: boolean,
): ReadBody | RequestFailure {
  if (!isRawBody(input)) return { value: input, text: undefined, empty: false };
  const raw = typeof input === 'string' ? input : bytesOfInput(input); // a view, not a copy
  const read = readJsonBody(raw, maxBytes, o.allowBom, o.maxJsonDepth);
  if (read.ok) return { value: read.value, text: read.text, empty: false };
  if (emptyOk && read.status === 400 && read.kind === 'empty') return { value: undefined, text: read.text, empty: true };
  return requestFailure(read);
}

/**
 * True for raw request input (text or bytes) that must be read as JSON; anything else is an already
 * parsed value, used as it is. Arrays are answered first: the common parsed body. Bytes of another
 * kind (`SharedArrayBuffer`, `DataView`, other typed arrays) are neither: the library's `TypeError`
 * (`protocol/inputs.ts`), never a silent verdict on them as an object.
 * @example isRawBody('[]') // true
 * @example isRawBody([]) // false
 */
export function isRawBody(input: BodyInput): input is string | Uint8Array | ArrayBuffer {
  if (typeof input === 'string') return true;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return false;
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) return true;
  if (isForeignBytes(input)) throw new TypeError(inputTypeMessage(input, true));
  return false;
}

/** True when `r` is a finished result (the body failed before validation). */
export function isResult(r: ReadBody | RequestFailure): r is RequestFailure {
  return (r as RequestFailure).status !== undefined;
}

/** A JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Own-property test. */
export function own(o: object, key: string): boolean {
  return hasOwn.call(o, key);
}

/**
 * Value of an own key met while iterating keys. `o['__proto__']` would read the prototype accessor,
 * not the own data property `JSON.parse` created, so that one key is read through its descriptor.
 */
export function ownValue(o: Record<string, unknown>, key: string): unknown {
  if (key === '__proto__') return Object.getOwnPropertyDescriptor(o, key)?.value;
  return o[key];
}

/** A path with the item index in front, or without it when the body was a single object (`i < 0`). */
export function at(i: number, ...rest: PathSegment[]): PathSegment[] {
  if (i < 0) return rest;
  rest.unshift(i);
  return rest;
}

/** A finite integer (JSON numbers that are whole). */
export function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/**
 * The final answer: 400 with the family's envelope when there are errors, else the success status and
 * body. `issues` is the collector's list, or a fresh empty array.
 */
export function finish<S extends 202 | 204, B>(
  c: IssueCollector,
  family: 'platform',
  text: string | undefined,
  status: S,
  body: B,
): BodyValidationResult<S, B, PlatformErrorEnvelope>;
export function finish<S extends 200 | 204, B>(
  c: IssueCollector,
  family: 'classic',
  text: string | undefined,
  status: S,
  body: B,
): BodyValidationResult<S, B, ClassicErrorEnvelope>;
export function finish<S extends 200 | 202 | 204, B>(
  c: IssueCollector,
  family: 'platform' | 'classic',
  text: string | undefined,
  status: S,
  body: B,
): BodyValidationResult<S, B, PlatformErrorEnvelope | ClassicErrorEnvelope> {
  if (c.errors > 0) return family === 'platform' ? rejected(c, family, text) : rejected(c, family, text);
  return { ok: true, status, body, issues: c.issues ?? [] };
}

/** The 400 answer from the collected errors, in the family's envelope (call only when `c.errors > 0`). */
export function rejected(
  c: IssueCollector,
  family: 'platform',
  text: string | undefined,
): { ok: false; status: 400; body: PlatformErrorEnvelope; issues: BodyIssue[] };
export function rejected(
  c: IssueCollector,
  family: 'classic',
  text: string | undefined,
): { ok: false; status: 400; body: ClassicErrorEnvelope; issues: BodyIssue[] };
export function rejected(
  c: IssueCollector,
  family: 'platform' | 'classic',
  text: string | undefined,
): { ok: false; status: 400; body: PlatformErrorEnvelope | ClassicErrorEnvelope; issues: BodyIssue[] } {
  return { ok: false, status: 400, body: family === 'platform' ? errorEnvelope(family, c, text) : errorEnvelope(family, c, text), issues: c.issues! };
}

/**
 * Iterative deep equality of two JSON values (uniqueness of set-like arrays). An explicit stack, so
 * a hostile 100,000-deep value cannot overflow the call stack.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const left: unknown[] = [a];
  const right: unknown[] = [b];
  while (left.length > 0) {
    const x = left.pop();
    const y = right.pop();
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    const xa = Array.isArray(x);
    if (xa !== Array.isArray(y)) return false;
    if (xa) {
      const ya = y as unknown[];
      if (x.length !== ya.length) return false;
      for (let i = 0; i < x.length; i++) {
        left.push(x[i]);
        right.push(ya[i]);
      }
    } else {
      const xo = x as Record<string, unknown>;
      const yo = y as Record<string, unknown>;
      let nx = 0;
      for (const k in xo) {
        if (!hasOwn.call(xo, k)) continue;
        nx++;
        if (!hasOwn.call(yo, k)) return false;
        left.push(ownValue(xo, k));
        right.push(ownValue(yo, k));
      }
      let ny = 0;
      for (const k in yo) if (hasOwn.call(yo, k)) ny++;
      if (nx !== ny) return false;
    }
  }
  return true;
}

/**
 * Index of an earlier item equal to `arr[i]` among items that share its `id` field, for set-like
 * arrays of objects. Small arrays are compared pairwise (no allocation); larger ones bucket by a
 * cheap key first. Calls `dup(i, j)` for each duplicate `i` of an earlier `j`.
 */
export function forEachDuplicate(arr: readonly unknown[], dup: (i: number, j: number) => void): void {
  const n = arr.length;
  if (n < 2) return;
  if (n <= 16) {
    for (let i = 1; i < n; i++) {
      const a = arr[i];
      // Items of these sets nearly always differ in `id`: compare it first, deep-compare only on a tie.
      const aId = typeof a === 'object' && a !== null ? (a as { id?: unknown }).id : undefined;
      for (let j = 0; j < i; j++) {
        const b = arr[j];
        if (aId !== undefined && typeof b === 'object' && b !== null) {
          const bId = (b as { id?: unknown }).id;
          if (bId !== aId && typeof bId !== 'object' && typeof aId !== 'object') continue;
        }
        if (jsonEqual(a, b)) {
          dup(i, j);
          break;
        }
      }
    }
    return;
  }
  // Bucket by a cheap key: a scalar's own value, an object's `id`, or a container's kind.
  const buckets = new Map<unknown, number[] | number>();
  for (let i = 0; i < n; i++) {
    const v = arr[i];
    let key: unknown;
    if (typeof v !== 'object' || v === null) key = typeof v === 'string' ? 's' + v : v;
    else if (Array.isArray(v)) key = '[]' + v.length;
    else {
      const id = hasOwn.call(v, 'id') ? (v as Record<string, unknown>).id : undefined;
      key = typeof id === 'string' ? 'i' + id : typeof id === 'number' ? id : '{}';
    }
    const seen = buckets.get(key);
    if (seen === undefined) {
      buckets.set(key, i);
      continue;
    }
    const list = typeof seen === 'number' ? [seen] : seen;
    let hit = -1;
    for (const j of list) {
      if (jsonEqual(v, arr[j])) {
        hit = j;
        break;
      }
    }
    if (hit >= 0) dup(i, hit);
    else {
      list.push(i);
      if (typeof seen === 'number') buckets.set(key, list);
    }
  }
}
