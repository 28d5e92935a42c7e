/**
 * A short run (0.6 s) of every fuzz target of fuzz/properties.ts inside `npm test`. The
 * long runs are `npm run fuzz -- --minutes N`. A failure prints the seed and the counterexample as
 * JSON, ready to be kept as a file in fuzz/regressions/ (the long runs keep theirs themselves).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { encodeArgs, propertyOf, targets } from '../../fuzz/properties.js';

const MS = Number(process.env.DT_FUZZ_SHORT_MS ?? 600);

describe('fuzz (short runs)', () => {
  for (const t of targets) {
    it.skipIf(t.available !== undefined && !t.available())(
      `${t.name} holds for ${MS} ms of inputs`,
      async () => {
        const r = await fc.check(propertyOf(t), { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: MS, markInterruptAsFailure: false });
        if (r.failed) {
          const kept = JSON.stringify({ target: t.name, args: encodeArgs(r.counterexample?.[0]), seed: r.seed, path: r.counterexamplePath });
          throw new Error(`${fc.defaultReportMessage(r)}\nkeep as fuzz/regressions/${t.name}-<id>.json:\n${kept}`);
        }
        // at least one input checked (a slow target under a loaded machine may manage only a few)
        if (r.numRuns < 1) throw new Error(`${t.name}: no input checked in ${MS} ms`);
      },
      MS * 4 + 20_000,
    );
  }
});
