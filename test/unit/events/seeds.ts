/**
 * Extracts the request examples from the seeds (`test/fixtures/seeds/00[0-3]_*.txt`, copies of the
 * API reference pages; origin in test/fixtures/README.md), for the tests only. The package itself
 * ships its own copies of the examples in `examples/events/*.json`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Project root. */
export const ROOT = join(here, '..', '..', '..');
const SEEDS = join(ROOT, 'test', 'fixtures', 'seeds');

function seedText(prefix: string): string {
  const name = readdirSync(SEEDS).find((f) => f.startsWith(prefix + '_'));
  if (name === undefined) throw new Error(`seed ${prefix} not found`);
  return readFileSync(join(SEEDS, name), 'utf8');
}

/** The JSON text between the first `start` marker (after `from`) and the next `end` marker. */
function between(text: string, start: string, end: string, from = 0): string {
  const s = text.indexOf(start, from);
  if (s < 0) throw new Error(`marker not found: ${start}`);
  const e = text.indexOf(end, s + start.length);
  return text
    .slice(s + start.length, e < 0 ? undefined : e)
    .replace(/```/g, '')
    .trim();
}

const MODEL = 'It has to be adjusted for usage in an actual request.';

/** The seed examples, parsed: name → JSON value. */
export function seedExamples(): Record<string, unknown> {
  const s0 = seedText('000');
  const s1 = seedText('001');
  const s2 = seedText('002');
  const s3 = seedText('003');
  return {
    'smartscape-model': JSON.parse(between(s0, MODEL, '\nResponse\n')),
    'generic-model': JSON.parse(between(s1, MODEL, '\nResponse\n')),
    'synthetic-model': JSON.parse(between(s2, MODEL, '\nResponse\n')),
    'synthetic-example': JSON.parse(between(s2, '\nRequest body\n', '\nResponse code', s2.indexOf('Request URL'))),
    'custom-device-model': JSON.parse(between(s3, MODEL, '## Response')),
    'custom-device-example': JSON.parse(between(s3, '#### Request body', '#### Response body')),
  };
}
