/**
 * Child of depth.test.ts, run with a small heap (`--max-old-space-size`) and --expose-gc: validates
 * one 10 MB body (`deep`: all `[`; `flat`: one array of short strings) and prints the heap growth
 * after a collection and V8's peak heap size. Before the nesting cap, the deep body needed 0.8-1.2 GB.
 */
import v8 from 'node:v8';
import { validateEvents } from '../../../../src/events/index.js';

const SIZE = 10 * 1024 * 1024 - 16;
const kind = process.argv[2];
const gc = (globalThis as { gc?: () => void }).gc!;
let body: Buffer;
if (kind === 'deep') body = Buffer.alloc(SIZE, '[');
else {
  body = Buffer.from(`[{"title":"${'x'.repeat(SIZE - 14)}"}]`);
}
gc();
const before = v8.getHeapStatistics().used_heap_size;
const r = validateEvents(body);
const peak = v8.getHeapSpaceStatistics().reduce((n, s) => n + s.space_used_size, 0);
process.stdout.write(
  JSON.stringify({ status: r.status, rule: r.issues[0]?.rule ?? null, bytes: body.length, before, peak, after: v8.getHeapStatistics().used_heap_size }),
);
