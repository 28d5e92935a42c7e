/**
 * The resource-exhaustion inputs of test/hostile/inputs/*.json, kept as small specs (never as the
 * 100 MB files they describe): a list of parts, each a text or byte sequence repeated `count` times.
 * `materialize` builds the body in memory; `chunks` streams it in fixed-size chunks through one
 * reused buffer, so a 100 MB input costs 64 KB.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface HostilePart {
  text?: string;
  bytes?: number[];
  count: number;
}
export interface HostileSpec {
  name: string;
  description: string;
  kind: 'metrics' | 'json' | 'otlp' | 'prometheus';
  /** Streamed in chunks (never materialized). */
  stream?: boolean;
  options?: Record<string, unknown>;
  parts: HostilePart[];
  expect: { status?: number; linesOk?: number; linesInvalid?: number; rules?: string[]; points?: number };
}

const dir = fileURLToPath(new URL('./inputs/', import.meta.url));

export function loadSpecs(): HostileSpec[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Omit<HostileSpec, 'name'>) }));
}

const enc = new TextEncoder();
const unitOf = (p: HostilePart): Uint8Array => (p.bytes !== undefined ? Uint8Array.from(p.bytes) : enc.encode(p.text ?? ''));

export function sizeOf(spec: HostileSpec): number {
  return spec.parts.reduce((n, p) => n + unitOf(p).length * p.count, 0);
}

export function materialize(spec: HostileSpec): Uint8Array {
  const out = new Uint8Array(sizeOf(spec));
  let at = 0;
  for (const p of spec.parts) {
    const u = unitOf(p);
    if (u.length === 1) {
      out.fill(u[0]!, at, at + p.count);
      at += p.count;
      continue;
    }
    for (let i = 0; i < p.count; i++, at += u.length) out.set(u, at);
  }
  return out;
}

/** The body in chunks of `size` bytes, through one reused buffer (read each chunk before the next). */
export function* chunks(spec: HostileSpec, size = 65_536): Generator<Uint8Array> {
  const buf = new Uint8Array(size);
  let fill = 0;
  for (const p of spec.parts) {
    const u = unitOf(p);
    if (u.length === 1) {
      // one byte repeated: fill in bulk
      let left = p.count;
      while (left > 0) {
        const n = Math.min(left, size - fill);
        buf.fill(u[0]!, fill, fill + n);
        fill += n;
        left -= n;
        if (fill === size) {
          yield buf;
          fill = 0;
        }
      }
      continue;
    }
    for (let i = 0; i < p.count; i++) {
      let k = 0;
      while (k < u.length) {
        const n = Math.min(u.length - k, size - fill);
        buf.set(u.subarray(k, k + n), fill);
        fill += n;
        k += n;
        if (fill === size) {
          yield buf;
          fill = 0;
        }
      }
    }
  }
  if (fill > 0) yield buf.subarray(0, fill);
}

/**
 * The same input at about `1 / factor` of its size: every part repeated more than once is repeated
 * `factor` times less often (the parts that open or close the input stay), for checks that judge how
 * cost grows with size.
 */
export function shrunk(spec: HostileSpec, factor: number): HostileSpec {
  return { ...spec, parts: spec.parts.map((p) => (p.count > 1 ? { ...p, count: Math.ceil(p.count / factor) } : p)) };
}
