/**
 * Resource-exhaustion inputs (test/hostile/inputs/*.json): every entry point on each, judged by how
 * its cost GROWS, never by a wall-clock bound: the same input at a quarter of its size (every repeated
 * part's count divided by 4) and at full size run in this process, and the CPU time of the full one
 * may be at most {@link GROWTH_LIMIT} times the small one's (linear work grows 4x, quadratic work
 * 16x), so a busy machine, which slows both alike, cannot fail it while a quadratic path still does. The 100 MB
 * line is streamed in 64 KB chunks and the heap may not grow by more than 32 MB.
 */
import { describe, expect, it } from 'vitest';
import {
  LineKind,
  MetricsFixer,
  MetricsParser,
  MetricsValidator,
  createMetricsSplitter,
  metadataOf,
  pointOf,
  validateCustomDevice,
  validateEvents,
  validateMetrics,
  validateSmartscapeEvents,
  validateSyntheticTests,
  validateBizEvents,
  validateLogs,
  validateOtlpMetrics,
  OtlpBatchDecoder,
  otlpToLines,
  type MetricsOptions,
} from '../../src/index.js';
import { chunks, shrunk, loadSpecs, materialize, sizeOf, type HostileSpec } from './inputs.js';
import { PrometheusConverter } from '../../src/convert/prometheus.js';
import type { ConvertCounts } from '../../src/convert/source.js';

const NOW = 1_700_000_000_000;
/** How much smaller the small input is. */
const SCALE = 4;
/**
 * Most the CPU time may grow from the small input to the full one: the geometric middle of linear
 * growth (4, less with fixed costs; measured 0.5-2.7 on these inputs, the most for 10 MB of unclosed
 * `[`) and quadratic growth (16); these inputs (10^5-10^8 units) are large enough for a quadratic
 * term to dominate. Tries: a ratio over the limit is measured again (the better time of each
 * size counts), so one collection or scheduling hiccup cannot fail the check, while a quadratic path,
 * slow on every run, still does.
 */
const GROWTH_LIMIT = Number(process.env.DT_HOSTILE_GROWTH ?? 8);
const TRIES = 3;
/** CPU times below this are timer noise: the small input's time counts as at least this much. */
const FLOOR_MS = 25;
const specs = loadSpecs();

/** This process's CPU time in ms (user + system): what a run costs, not how long others held the core. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function cpuTimed<T>(fn: () => T): { ms: number; value: T } {
  const t0 = cpuMs();
  const value = fn();
  return { ms: cpuMs() - t0, value };
}

/**
 * Runs `fn(false)` (small input) and `fn(true)` (full size) and checks that the full run costs at
 * most {@link GROWTH_LIMIT} times the small one; returns the full run's value.
 */
function linear<T>(label: string, fn: (full: boolean) => T): T {
  let small = Number.POSITIVE_INFINITY;
  let full = Number.POSITIVE_INFINITY;
  let value: T | undefined;
  let ratio = Number.POSITIVE_INFINITY;
  for (let t = 0; t < TRIES && ratio > GROWTH_LIMIT; t++) {
    small = Math.min(small, cpuTimed(() => fn(false)).ms);
    const run = cpuTimed(() => fn(true));
    full = Math.min(full, run.ms);
    value = run.value;
    ratio = full / Math.max(small, FLOOR_MS);
  }
  if (process.env.DT_HOSTILE_VERBOSE === '1') console.log(`${label}: small ${small.toFixed(0)} ms, full ${full.toFixed(0)} ms CPU, growth ${ratio.toFixed(2)}`);
  expect(
    ratio,
    `${label}: CPU time grew ${ratio.toFixed(2)}x from 1/${SCALE} to full size (${small.toFixed(0)} -> ${full.toFixed(0)} ms), limit ${GROWTH_LIMIT}x`,
  ).toBeLessThanOrEqual(GROWTH_LIMIT);
  return value as T;
}

function checkAnswer(spec: HostileSpec, r: { status: number; body: unknown; issues: { rule: string }[] }): void {
  const e = spec.expect;
  const body = r.body as { linesOk?: number; linesInvalid?: number } | null;
  if (e.status !== undefined) expect(r.status).toBe(e.status);
  if (e.linesOk !== undefined) expect(body?.linesOk ?? 0).toBe(e.linesOk);
  if (e.linesInvalid !== undefined) expect(body?.linesInvalid ?? 0).toBe(e.linesInvalid);
  if (e.rules !== undefined) expect([...new Set(r.issues.map((i) => i.rule))]).toEqual(e.rules);
  expect(typeof JSON.stringify(r.body)).toBe('string');
}

function untouchedPrototypes(): void {
  for (const p of [Object.prototype, Array.prototype]) expect((p as Record<string, unknown>).polluted).toBeUndefined();
}

describe('hostile inputs', () => {
  for (const spec of specs.filter((s) => s.kind === 'metrics')) {
    const options: MetricsOptions = { now: NOW, maxBodyBytes: Number.POSITIVE_INFINITY, ...(spec.options as MetricsOptions) };
    it(`${spec.name}: ${spec.description} (${(sizeOf(spec) / 1e6).toFixed(1)} MB)`, () => {
      if (spec.stream) {
        const reduced = shrunk(spec, SCALE);
        const sized = (full: boolean) => chunks(full ? spec : reduced);
        // validate-only, streamed: bounded heap, one clear error
        const heap0 = process.memoryUsage().heapUsed;
        let peak = 0;
        const r = linear(`${spec.name} validate-only (stream)`, (full) => {
          const v = new MetricsValidator(options, { issues: false });
          let n = 0;
          for (const c of sized(full)) {
            v.push(c);
            if ((++n & 63) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - heap0);
          }
          return v.end();
        });
        expect(peak).toBeLessThan(32 * 1024 * 1024);
        checkAnswer(spec, { ...r, issues: [{ rule: 'line-too-long' }] });
        // the full report, streamed: one issue whose excerpt is bounded
        let issues: { rule: string; text?: string }[] = [];
        const full = linear(`${spec.name} validate (stream)`, (full) => {
          issues = [];
          const v = new MetricsValidator(options, { onIssue: (i) => issues.push(i) });
          for (const c of sized(full)) v.push(c);
          return v.end();
        });
        checkAnswer(spec, { ...full, issues });
        expect(issues).toHaveLength(1);
        expect((issues[0]!.text ?? '').length).toBeLessThanOrEqual(80);
        // typed parse, fix and split stream the same bytes in bounded memory
        let lines = 0;
        linear(`${spec.name} typed parse (stream)`, (full) => {
          lines = 0;
          const p = new MetricsParser(options, (view) => {
            lines++;
            if (view.error === 0 && view.kind === LineKind.DATA) pointOf(view);
          });
          for (const c of sized(full)) p.push(c);
          p.end();
        });
        expect(lines).toBe(1);
        let out = 0;
        linear(`${spec.name} fix (stream)`, (full) => {
          const f = new MetricsFixer(options, { onLine: () => out++, onIssue: () => {} });
          for (const c of sized(full)) f.push(c);
          f.end();
        });
        expect(out).toBe(0);
        let pieces: unknown[] = [];
        const summary = linear(`${spec.name} split (stream)`, (full) => {
          pieces = [];
          const s = createMetricsSplitter({ onPiece: (p) => pieces.push(p) });
          for (const c of sized(full)) s.push(c);
          return s.end();
        });
        expect(pieces).toHaveLength(0);
        expect(summary.oversized).toHaveLength(1);
        expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(64 * 1024 * 1024);
        return;
      }
      const bodies = { small: materialize(shrunk(spec, SCALE)), full: materialize(spec) };
      const bodyOf = (full: boolean) => (full ? bodies.full : bodies.small);
      const report = linear(`${spec.name} validate`, (full) => validateMetrics(bodyOf(full), options));
      checkAnswer(spec, report);
      const lean = linear(`${spec.name} validate-only`, (full) => {
        const v = new MetricsValidator(options, { issues: false });
        v.push(bodyOf(full));
        return v.end();
      });
      expect(lean.status).toBe(report.status);
      expect(lean.body).toEqual(report.body);
      // the same body in 64 KB chunks gives the same answer
      const chunked = linear(`${spec.name} validate (64 KB chunks)`, (full) => {
        const b = bodyOf(full);
        const v = new MetricsValidator(options, { issues: false });
        for (let i = 0; i < b.length; i += 65_536) v.push(b.subarray(i, i + 65_536));
        return v.end();
      });
      expect(chunked.body).toEqual(report.body);
      linear(`${spec.name} typed parse`, (full) => {
        const p = new MetricsParser(options, (view) => {
          if (view.error !== 0) return;
          if (view.kind === LineKind.DATA) pointOf(view);
          else if (view.kind === LineKind.METADATA) metadataOf(view);
        });
        p.push(bodyOf(full));
        p.end();
      });
      let fixed: string[] = [];
      linear(`${spec.name} fix`, (full) => {
        fixed = [];
        const f = new MetricsFixer(options, { onLine: (t) => fixed.push(t), onIssue: () => {} });
        f.push(bodyOf(full));
        f.end();
      });
      if (fixed.length > 0) expect(validateMetrics(fixed.join('\n') + '\n', options).status).toBe(202);
      linear(`${spec.name} split`, (full) => {
        const s = createMetricsSplitter({ onPiece: () => {} });
        s.push(bodyOf(full));
        return s.end();
      });
      untouchedPrototypes();
    });
  }

  const JSON_VALIDATORS = {
    events: (b: Uint8Array) => validateEvents(b, { now: NOW, eventsMaxBodyBytes: 1e9 }),
    smartscape: (b: Uint8Array) => validateSmartscapeEvents(b, { now: NOW, smartscapeMaxBodyBytes: 1e9 }),
    synthetic: (b: Uint8Array) => validateSyntheticTests(b, { now: NOW, syntheticMaxBodyBytes: 1e9 }),
    'custom-device': (b: Uint8Array) => validateCustomDevice('dev', b, { now: NOW, customDeviceMaxBodyBytes: 1e9 } as never),
    logs: (b: Uint8Array) => validateLogs(b, { now: NOW, logsMaxBodyBytes: 1e9 }, 'application/json'),
    bizevents: (b: Uint8Array) => validateBizEvents(b, { now: NOW, bizeventsMaxBodyBytes: 1e9 }, 'application/json'),
  };
  for (const spec of specs.filter((s) => s.kind === 'json')) {
    it(`${spec.name}: ${spec.description} (${(sizeOf(spec) / 1e6).toFixed(1)} MB)`, () => {
      const bodies = { small: materialize(shrunk(spec, SCALE)), full: materialize(spec) };
      const texts = { small: new TextDecoder().decode(bodies.small), full: new TextDecoder().decode(bodies.full) };
      const body = bodies.full;
      const wellFormed = Buffer.from(texts.full).equals(body);
      for (const [name, validate] of Object.entries(JSON_VALIDATORS)) {
        const r = linear(`${spec.name} ${name} (bytes)`, (full) => validate(full ? bodies.full : bodies.small));
        checkAnswer(spec, r);
        const t = linear(`${spec.name} ${name} (text)`, (full) => validate((full ? texts.full : texts.small) as never));
        // invalid UTF-8 bytes decode to U+FFFD, so only a well-formed body must judge the same as text
        if (wellFormed) expect(t.status).toBe(r.status);
        untouchedPrototypes();
      }
    });
  }

  // Prometheus text: the converter, whole or streamed; points counted, not written
  for (const spec of specs.filter((s) => s.kind === 'prometheus')) {
    it(`${spec.name}: ${spec.description} (${(sizeOf(spec) / 1e6).toFixed(1)} MB)`, () => {
      const convert = (pieces: Iterable<Uint8Array>, onChunk?: () => void): ConvertCounts => {
        const c = new PrometheusConverter({ points: () => undefined }, spec.options as never);
        for (const piece of pieces) {
          c.push(piece);
          onChunk?.();
        }
        c.end();
        return c.counts;
      };
      let counts: ConvertCounts;
      if (spec.stream) {
        const reduced = shrunk(spec, SCALE);
        const heap0 = process.memoryUsage().heapUsed;
        let peak = 0;
        let n = 0;
        const sample = () => {
          if ((++n & 63) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - heap0);
        };
        counts = linear(`${spec.name} convert (stream)`, (full) => convert(chunks(full ? spec : reduced), sample));
        expect(peak).toBeLessThan(32 * 1024 * 1024);
      } else {
        const bodies = { small: materialize(shrunk(spec, SCALE)), full: materialize(spec) };
        counts = linear(`${spec.name} convert`, (full) => convert([full ? bodies.full : bodies.small]));
      }
      if (spec.expect.points !== undefined) expect(counts.points).toBe(spec.expect.points);
      if (spec.expect.rules !== undefined) expect(Object.keys(counts.byRule).sort()).toEqual([...spec.expect.rules].sort());
    });
  }

  // OTLP protobuf bodies: the validator, the typed decoder and the converter to lines
  for (const spec of specs.filter((s) => s.kind === 'otlp')) {
    it(`${spec.name}: ${spec.description} (${(sizeOf(spec) / 1e6).toFixed(1)} MB)`, () => {
      const bodies = { small: materialize(shrunk(spec, SCALE)), full: materialize(spec) };
      const r = linear(`${spec.name} validate`, (full) => validateOtlpMetrics(full ? bodies.full : bodies.small));
      if (spec.expect.status !== undefined) expect(r.status).toBe(spec.expect.status);
      if (spec.expect.rules !== undefined) expect([...new Set(r.issues.map((i) => i.rule))]).toEqual(spec.expect.rules);
      const decoder = new OtlpBatchDecoder();
      const batch = linear(`${spec.name} typed decode`, (full) => decoder.decode(full ? bodies.full : bodies.small));
      // a broken wire format decodes to nothing; a well-formed one to its (here: no) points
      expect(batch === null ? 0 : batch.length).toBe(0);
      linear(`${spec.name} to lines`, (full) => otlpToLines(full ? bodies.full : bodies.small));
      untouchedPrototypes();
    });
  }
});
