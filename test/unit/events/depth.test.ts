/**
 * Issue 21 item 3: the JSON nesting cap (`maxJsonDepth`, Jackson's 1,000). Exact at the boundary,
 * strings do not count, the first error wins (a syntax error or a bad byte before the level too
 * deep), and 10 MB of `[` costs what a flat body of that size costs: the scan stops at the 1,001st
 * byte (operation count) and the validation fits the heap a flat 10 MB body needs (no clock).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateCustomDevice, validateEvents, validateSmartscapeEvents, validateSyntheticTests } from '../../../src/events/index.js';
import { deepestOpen, readJsonBody } from '../../../src/events/json.js';

const nest = (n: number): string => '['.repeat(n) + ']'.repeat(n);
const validators = [
  (b: unknown, o?: object) => validateEvents(b, o),
  (b: unknown, o?: object) => validateSmartscapeEvents(b, o),
  (b: unknown, o?: object) => validateSyntheticTests(b, o),
  (b: unknown, o?: object) => validateCustomDevice('d', b, o),
];

function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (typeof v === 'object' && v !== null) return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

describe('maxJsonDepth', () => {
  it('1,000 levels pass, 1,001 are refused, on every validator (text and bytes)', () => {
    for (const validate of validators) {
      for (const body of [nest(1000), Buffer.from(nest(1000))]) expect(validate(body).issues.some((i) => i.rule === 'json-too-deep')).toBe(false);
      for (const body of [nest(1001), Buffer.from(nest(1001))]) {
        const r = validate(body);
        expect(r.status).toBe(400);
        expect(r.issues).toEqual([expect.objectContaining({ rule: 'json-too-deep', line: 1, column: 1001 })]);
      }
    }
  });

  it('is an option: maxJsonDepth 2', () => {
    expect(validateEvents('[[{"a":1}]]', { maxJsonDepth: 2 }).issues[0]).toMatchObject({ rule: 'json-too-deep', column: 3 });
    expect(validateEvents('[{"a":[1]}]', { maxJsonDepth: 3 }).status).toBe(202);
  });

  it('brackets inside strings and escaped quotes do not count', () => {
    const s = `"[[[[\\\\\\"[[[{{{{"`;
    expect(validateEvents(`[{"t":${s}, "u":"\\\\", "v":"]]]"}]`, { maxJsonDepth: 2 }).status).toBe(202);
    expect(deepestOpen(`["\\\\"[`, 1)).toBe(5);
  });

  it('the first error wins: a syntax error or a bad byte before the deep level', () => {
    const syntax = validateEvents('[1 2' + nest(2000));
    expect(syntax.issues[0]).toMatchObject({ rule: 'json-syntax', column: 4 });
    const bad = Buffer.concat([Buffer.from('["'), Buffer.from([0xff]), Buffer.from('",' + nest(2000) + ']')]);
    expect(validateEvents(bad).issues[0]).toMatchObject({ rule: 'json-invalid-utf8' });
    const later = Buffer.concat([Buffer.from(nest(2000)), Buffer.from([0xff])]);
    expect(validateEvents(later).issues[0]).toMatchObject({ rule: 'json-too-deep', column: 1001 });
  });

  it('property: the scan agrees with the depth of the parsed value', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'large' }), (text) => {
        const d = depthOf(JSON.parse(text));
        const bytes = Buffer.from(text);
        expect(deepestOpen(text, d)).toBe(-1);
        expect(deepestOpen(bytes, d)).toBe(-1);
        if (d > 0) {
          expect(deepestOpen(text, d - 1)).toBeGreaterThanOrEqual(0);
          // the same bracket, as a byte offset
          expect(deepestOpen(bytes, d - 1)).toBe(Buffer.byteLength(text.slice(0, deepestOpen(text, d - 1))));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('parsed first (a body not dense in openings): a duplicate key that drops a deep value is still too deep; brackets in strings do not count', () => {
    // padded, so the body has fewer openings than one per 32 bytes and is parsed before any scan
    const pad = `"pad":"${'x'.repeat(40_000)}"`;
    const deepDropped = `{${pad},"a":${nest(1001)},"a":1}`;
    expect(readJsonBody(deepDropped, 1e9, true, 1000)).toMatchObject({ ok: false, kind: 'depth', column: pad.length + 1006 });
    expect(validateEvents(deepDropped).issues[0]).toMatchObject({ rule: 'json-too-deep' });
    expect(validateEvents(Buffer.from(deepDropped)).issues[0]).toMatchObject({ rule: 'json-too-deep' });
    // at the cap, dropped or kept: accepted
    expect(validateEvents(`{${pad},"a":${nest(999)},"a":1}`).status).toBe(202);
    expect(validateEvents(`{${pad},"a":${nest(999)}}`).status).toBe(202);
    expect(validateEvents(`{${pad},"a":${nest(1000)}}`).issues[0]).toMatchObject({ rule: 'json-too-deep' });
    // 1,500 brackets in a string: more openings than the cap, none of them a level
    expect(validateEvents(`{${pad},"s":"${'['.repeat(1500)}","a":[[1]]}`).status).toBe(202);
    // a cap past the recursive walk's: the value walked with a stack of its own
    const bigPad = `"pad":"${'x'.repeat(200_000)}"`;
    expect(validateEvents(`{${bigPad},"a":${nest(4999)}}`, { maxJsonDepth: 5000 }).status).toBe(202);
    expect(validateEvents(`{${bigPad},"a":${nest(5000)}}`, { maxJsonDepth: 5000 }).issues[0]).toMatchObject({ rule: 'json-too-deep' });
    expect(validateEvents(`{${bigPad},"a":${nest(5000)},"a":1}`, { maxJsonDepth: 5000 }).issues[0]).toMatchObject({ rule: 'json-too-deep' });
  });

  it('property: parsed first or scanned first, the depth verdict is the scan of the text (duplicate keys, brackets in strings)', () => {
    // JSON text with keys from a small set (duplicates), strings that may hold brackets, and a pad
    // of random length in front, so some bodies are dense in openings and some are not
    const { value: textArb } = fc.letrec<{ value: string }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'medium', withCrossShrink: true },
        fc.integer().map(String),
        fc.constantFrom('"x"', '"[["', '"{]"', '"\\\\"', '"\\\\[[\\""'),
        fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
        fc
          .array(fc.tuple(fc.constantFrom('a', 'b', '__proto__'), tie('value')), { maxLength: 4 })
          .map((es) => `{${es.map(([k, v]) => `"${k}":${v}`).join(',')}}`),
      ),
    }));
    fc.assert(
      fc.property(textArb, fc.nat(3000), fc.integer({ min: 1, max: 6 }), (value, padding, max) => {
        const text = `{"pad":"${'x'.repeat(padding)}","v":${value}}`;
        const deep = deepestOpen(text, max) >= 0;
        for (const body of [text, Buffer.from(text)]) {
          const r = readJsonBody(body, 1e9, true, max);
          expect(r.ok).toBe(!deep);
          if (!r.ok && r.status === 400) expect(r.kind).toBe('depth');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('10 MB of [ : the scan stops at the 1,001st byte', () => {
    const deep = '['.repeat(10 * 1024 * 1024 - 16);
    expect(deepestOpen(deep, 1000)).toBe(1000);
    expect(deepestOpen(Buffer.from(deep), 1000)).toBe(1000);
    expect(validateEvents(deep).issues[0]).toMatchObject({ rule: 'json-too-deep', column: 1001 });
  });

  it('10 MB of [ fits the heap of a flat 10 MB body (child with a 128 MB heap)', { timeout: 120_000 }, () => {
    const cache = fileURLToPath(new URL('../../../node_modules/.cache/', import.meta.url));
    mkdirSync(cache, { recursive: true });
    const out = join(mkdtempSync(join(cache, 'dt-ingest-deep-')), 'child.mjs');
    buildSync({
      entryPoints: [fileURLToPath(new URL('./children/deep-json.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: out,
      logLevel: 'error',
    });
    const run = (kind: string) =>
      JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=128', out, kind], { encoding: 'utf8' })) as {
        status: number;
        rule: string | null;
        bytes: number;
        before: number;
        peak: number;
      };
    const deep = run('deep');
    const flat = run('flat');
    expect(deep).toMatchObject({ status: 400, rule: 'json-too-deep' });
    expect(flat.status).toBe(202);
    expect(deep.bytes).toBeGreaterThan(10_000_000);
    console.log(
      `10 MB body, heap in use after validation: deep ${((deep.peak - deep.before) / 1e6).toFixed(1)} MB, flat ${((flat.peak - flat.before) / 1e6).toFixed(1)} MB`,
    );
    expect(deep.peak - deep.before).toBeLessThanOrEqual(Math.max(flat.peak - flat.before, 0) + 16 * 1024 * 1024);
  });
});
