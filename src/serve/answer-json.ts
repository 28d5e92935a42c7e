/**
 * The metrics route's answer as JSON bytes, written once into one buffer: an answer lists a warning
 * per warned line (a 1 MB exporter body: hundreds of them, ~50–200 KB), and most of each entry,
 * `,"warning":"metric key '…' changed to '…'"}`, depends only on the key. Those fragments are kept,
 * already escaped and encoded, across requests (bounded: the cache starts over when full), so an
 * answer costs a copy per warned line instead of serializing and encoding its text each time.
 *
 * @module
 */
import type { ValidationResponse, WarningLine } from '../types.js';

/** Distinct warning texts kept; past it the cache starts over (memory bounded whatever the keys). */
export const WARNING_FRAGMENTS_MAX = 4096;

/** `{"line":` */
const ENTRY_HEAD = /* @__PURE__ */ Buffer.from('{"line":');

/**
 * Encoded fragments of warning entries, by warning text: `,"warning":<text as JSON>}`.
 * @example new WarningFragments().get("metric key 'a' changed to 'a.count'")
 */
export class WarningFragments {
  private readonly byText = new Map<string, Buffer>();
  private readonly max: number;

  /** @param max distinct texts kept before the cache starts over */
  constructor(max = WARNING_FRAGMENTS_MAX) {
    this.max = max;
  }

  /** Distinct texts kept now. */
  get size(): number {
    return this.byText.size;
  }

  /** The fragment of `text`, built on its first use (and again after the cache started over). */
  get(text: string): Buffer {
    let fragment = this.byText.get(text);
    if (fragment === undefined) {
      if (this.byText.size >= this.max) this.byText.clear();
      fragment = Buffer.from(`,"warning":${JSON.stringify(text)}}`);
      this.byText.set(text, fragment);
    }
    return fragment;
  }
}

/** Decimal digits of a non-negative integer. */
function digits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/** Writes the non-negative integer `n` at `at`; returns the offset after it. */
function writeInt(out: Buffer, at: number, n: number): number {
  const end = at + digits(n);
  let i = end;
  do {
    out[--i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  } while (n > 0);
  return end;
}

/** The warned lines of a `ValidationResponse` and the field that lists them, when it has some. */
function listOf(body: ValidationResponse): { field: string; list: readonly WarningLine[] } | undefined {
  const w = body.warnings as { message: string; changedMetricKeys?: WarningLine[]; warningLines?: WarningLine[] } | null;
  if (w === null) return undefined;
  if (w.changedMetricKeys !== undefined) return { field: 'changedMetricKeys', list: w.changedMetricKeys };
  if (w.warningLines !== undefined) return { field: 'warningLines', list: w.warningLines };
  return undefined;
}

/**
 * `JSON.stringify(body)` as UTF-8 bytes, byte for byte, for a `ValidationResponse` built by the
 * validator (its fields in their order); the warning entries come from `fragments`.
 * @example answerBytes(result.body, fragments).toString() === JSON.stringify(result.body) // true
 */
export function answerBytes(body: ValidationResponse, fragments: WarningFragments): Buffer {
  const head = `{"linesOk":${body.linesOk},"linesInvalid":${body.linesInvalid},"error":${JSON.stringify(body.error)},"warnings":`;
  const warned = listOf(body);
  if (warned === undefined) return Buffer.from(head + 'null}');
  const { field, list } = warned;
  const open = Buffer.from(`${head}{"message":${JSON.stringify(body.warnings!.message)},${JSON.stringify(field)}:[`);
  const parts: Buffer[] = new Array(list.length);
  let size = open.length + 3 + Math.max(0, list.length - 1); // `]}}` and the commas
  for (let k = 0; k < list.length; k++) {
    const entry = list[k]!;
    const fragment = fragments.get(entry.warning);
    parts[k] = fragment;
    size += ENTRY_HEAD.length + digits(entry.line) + fragment.length;
  }
  const out = Buffer.allocUnsafe(size);
  out.set(open, 0);
  let at = open.length;
  for (let k = 0; k < list.length; k++) {
    if (k > 0) out[at++] = 44; // ','
    out.set(ENTRY_HEAD, at);
    at += ENTRY_HEAD.length;
    at = writeInt(out, at, list[k]!.line);
    const fragment = parts[k]!;
    out.set(fragment, at);
    at += fragment.length;
  }
  out[at++] = 93; // ']'
  out[at++] = 125; // '}'
  out[at++] = 125;
  return out;
}
