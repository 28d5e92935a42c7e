/**
 * How every validator reads what the caller hands it: the body (text or bytes) and the options
 * object. One reader for all, so that every entry point accepts the same types with the same
 * messages, and refuses the others with the library's `TypeError` rather than a silent answer.
 *
 * - Bytes are a `Uint8Array` (a `Buffer`) or an `ArrayBuffer`. A `SharedArrayBuffer`, a `DataView`
 *   or another typed array is refused (*decided*: another thread may change shared memory while it
 *   is judged, and a `Uint16Array` is not UTF-8 bytes; wrap the bytes in a `Uint8Array` to pass them).
 *   A detached buffer (transferred to a worker) is refused with our message, not V8's.
 * - Options are read as own properties only: a key set on `Object.prototype` (pollution) is not an
 *   option. A count or a size must be a whole number (or `Infinity` where the default is).
 *
 * @module
 */

/**
 * The message of a body of a type no validator reads.
 * @example throw new TypeError(inputTypeMessage(new DataView(new ArrayBuffer(1))))
 */
export function inputTypeMessage(input: unknown, parsedAlso = false): string {
  const accepted = parsedAlso ? 'a string, Uint8Array, Buffer, ArrayBuffer or an already parsed JSON value' : 'a string, Uint8Array, Buffer or ArrayBuffer';
  return `dt-ingest: input must be ${accepted}, not ${kindOf(input)}`;
}

/** A short name of a value's type for messages (`a DataView`, `a SharedArrayBuffer`, `a number`). */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return `a ${typeof v}`;
  const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object';
}

/** The message of a detached buffer. */
const DETACHED = 'dt-ingest: input ArrayBuffer is detached (it was transferred, for example to a worker): pass the bytes before transferring them';

/**
 * Whether a value is bytes some validator could be handed by mistake (a `SharedArrayBuffer`, a
 * `DataView`, a typed array other than `Uint8Array`): never read as bytes, never as a parsed value.
 * @example isForeignBytes(new DataView(new ArrayBuffer(1))) // true
 */
export function isForeignBytes(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || isUint8Array(v)) return false;
  return ArrayBuffer.isView(v) || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer);
}

/**
 * The bytes of a `Uint8Array` or `ArrayBuffer` (a view, not a copy). Throws the library's
 * `TypeError` for a detached buffer and for any other type.
 * @example bytesOfInput(new ArrayBuffer(2)).length // 2
 */
export function bytesOfInput(input: unknown): Uint8Array {
  if (isUint8Array(input)) {
    // a view of a detached buffer reads as empty: refuse it rather than judge an empty body
    if (input.byteLength === 0 && isDetached(input.buffer)) throw new TypeError(DETACHED);
    return input;
  }
  if (input instanceof ArrayBuffer || (typeof input === 'object' && input !== null && toStringTag.call(input) === '[object ArrayBuffer]')) {
    if (isDetached(input as ArrayBuffer)) throw new TypeError(DETACHED);
    return new Uint8Array(input as ArrayBuffer);
  }
  throw new TypeError(inputTypeMessage(input));
}

const toStringTag = Object.prototype.toString;

/**
 * A `Uint8Array` (a `Buffer` too) of this realm or of another (a worker's, a `vm` context's), where
 * `instanceof` says no: the type tag says yes in every realm.
 */
function isUint8Array(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array || (ArrayBuffer.isView(v) && toStringTag.call(v) === '[object Uint8Array]');
}

/** Whether a buffer was detached (`detached` where the runtime has it; else a view cannot be made). */
function isDetached(buffer: ArrayBufferLike): boolean {
  const flag = (buffer as { detached?: boolean }).detached;
  if (flag !== undefined) return flag;
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/**
 * Checks one option value against its default's type: numbers non-negative (and whole for the keys
 * in `integers`, `Infinity` allowed where the default is unbounded), booleans boolean. Throws a
 * `TypeError` naming the option. Other kinds (enumerations, lists) are the table's own checks.
 * @example checkTableOption('maxBodyBytes', 1.5, 1_048_576, new Set(['maxBodyBytes'])) // throws: must be a whole number
 */
export function checkTableOption(key: string, value: unknown, def: unknown, integers: ReadonlySet<string>): void {
  if (typeof def === 'number') {
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) throw new TypeError(`dt-ingest: option ${key} must be a non-negative number`);
    if (integers.has(key) && !Number.isInteger(value) && value !== Number.POSITIVE_INFINITY)
      throw new TypeError(`dt-ingest: option ${key} must be a whole number (a count or a size), not ${value}`);
  } else if (typeof def === 'boolean') {
    if (typeof value !== 'boolean') throw new TypeError(`dt-ingest: option ${key} must be a boolean`);
  }
}
