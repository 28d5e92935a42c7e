/**
 * The proxy's promise, checked line by line under every upstream fault (see ./faults.ts). The suite
 * runs a short seeded run; `npm run test:faults` runs a long one (or set DT_INGEST_FAULT_REQUESTS and
 * DT_INGEST_FAULT_SEED) and prints the ledger's figures.
 */
import { describe, expect, it } from 'vitest';
import { FAULTS, runFaultScenario } from './faults.js';

const long = process.env.npm_lifecycle_event === 'test:faults';
const requests = Number(process.env.DT_INGEST_FAULT_REQUESTS ?? (long ? 3000 : 80));
const seed = Number(process.env.DT_INGEST_FAULT_SEED ?? 20_261_124);

describe('proxy accounting under upstream faults', () => {
  it(`every line of ${requests} bodies (seed ${seed}) is where the answers say it is`, async () => {
    const figures = await runFaultScenario({ seed, requests, concurrency: 4 });
    if (long || process.env.DT_INGEST_FAULT_REQUESTS !== undefined) console.log(JSON.stringify(figures, null, 2));
    expect(figures.violations).toEqual([]);
    expect(figures.storedTwice).toBe(0);
    // the run exercised every fault and every class
    for (const fault of Object.keys(FAULTS)) expect(figures.faults[fault] ?? 0, fault).toBeGreaterThan(0);
    expect(figures.requests).toBe(requests);
    expect(figures.ingested + figures.invalid + figures.notIngested + figures.unknown).toBe(figures.lines);
    for (const c of ['ingested', 'invalid', 'notIngested', 'unknown'] as const) expect(figures[c], c).toBeGreaterThan(0);
  }, 600_000);
});
