// Prints the rule reference of the README from the single rule table (src/protocol/rules.ts) and the
// options table (src/protocol/options.ts), so the documentation never restates them by hand.
// Usage: node scripts/rules-table.mjs [rules|events|options]
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(mkdtempSync(join(tmpdir(), 'dt-rules-')), 'rules.mjs');
await build({ stdin: { contents: "export * from './src/protocol/rules.ts'; export * from './src/protocol/options.ts'; export { EVENT_RULE_LIST } from './src/events/rules.ts';", resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'error' });
const { RULE_LIST, METRICS_DEFAULTS, EVENT_RULE_LIST } = await import(out);
const what = process.argv[2] ?? 'rules';
const esc = (s) => s.replaceAll('|', '\\|');
if (what === 'rules') {
  console.log('| code | rule id | severity | endpoint text | report text |');
  console.log('|---:|---|---|---|---|');
  for (const r of RULE_LIST) console.log(`| ${r.code} | \`${r.id}\` | ${r.severity} | ${r.endpoint ? '`' + esc(r.endpoint) + '`' : '(report only)'} | ${esc(r.report)} |`);
} else if (what === 'events') {
  console.log('| rule id | severity | kind | endpoint text | report text |');
  console.log('|---|---|---|---|---|');
  for (const r of EVENT_RULE_LIST) console.log(`| \`${r.id}\` | ${r.severity} | ${r.kind} | ${r.endpoint ? '`' + esc(r.endpoint) + '`' : '(report only)'} | ${esc(r.report)} |`);
} else {
  console.log('| option | default |');
  console.log('|---|---|');
  for (const [k, v] of Object.entries(METRICS_DEFAULTS)) console.log(`| \`${k}\` | \`${v === Infinity ? 'Infinity' : JSON.stringify(v)}\` |`);
}
