#!/usr/bin/env node
// The generated parts of the documentation, from the single tables, so no document restates them by
// hand (as scripts/gen-native-header.mjs does for the C++ header):
//   docs/rules.md        the metrics rule table (src/protocol/rules.ts) and the JSON body rule table
//                        by body (src/events/rules.ts)
//   docs/options.md      the options tables (src/protocol/options.ts, src/events/options.ts,
//                        src/serve/options.ts): name, default, and the TSDoc of the option
//                        (meaning and evidence)
//   docs/proxy.md        the ingest endpoints (src/endpoints/table.ts): id, paths, media types,
//                        body limit (its option and default), answers
//   docs/cli.md          the families of `dt-ingest validate`, one per endpoint of the same table
//   docs/performance.md  bench/RESULTS.md (written by `npm run bench`)
// Each lies between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`; the text around is
// written by hand.
//
//   node scripts/gen-docs.mjs          rewrites the regions
//   node scripts/gen-docs.mjs --check  exits 1 and names the stale regions (test/docs/generated.test.ts)
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The tables, bundled out of the TS sources. */
async function loadTables() {
  const out = await build({
    stdin: {
      contents: [
        "export { RULE_LIST, METRICS_DEFAULTS, FIX_DEFAULTS } from './src/index.ts';",
        "export { EVENT_RULES, EVENTS_DEFAULTS } from './src/index.ts';",
        "export { OTLP_DEFAULTS, SERIES_STATE_DEFAULTS } from './src/index.ts';",
        "export { CONVERT_DEFAULTS, PROMETHEUS_DEFAULTS, STATSD_DEFAULTS, INFLUX_DEFAULTS, CONVERT_RULE_LIST } from './src/index.ts';",
        "export { SERVE_DEFAULTS } from './src/serve/options.ts';",
        "export { ANALYZE_DEFAULTS } from './src/protocol/analyze-options.ts';",
        "export { ANALYZE_RULE_LIST } from './src/protocol/analyze-rules.ts';",
        "export { ENDPOINTS } from './src/endpoints/index.ts';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'error',
  });
  return import('data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64'));
}

/**
 * The string literals each property of `interfaceName` in `file` allows, where its type is a union of
 * them (directly or through a type alias of the same file): `backend` → ['auto', 'js', 'native'].
 */
function propertyValues(file, interfaceName) {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const aliases = new Map();
  const props = new Map();
  const literals = (type) => {
    if (type === undefined) return undefined;
    if (ts.isTypeReferenceNode(type)) return aliases.get(type.typeName.getText(source));
    const parts = ts.isUnionTypeNode(type) ? type.types : [type];
    const out = [];
    for (const t of parts) {
      if (!ts.isLiteralTypeNode(t) || !ts.isStringLiteral(t.literal)) return undefined;
      out.push(t.literal.text);
    }
    return out;
  };
  const visit = (node) => {
    if (ts.isTypeAliasDeclaration(node)) {
      const v = literals(node.type);
      if (v !== undefined) aliases.set(node.name.text, v);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const visitProps = (node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === interfaceName) {
      for (const member of node.members) {
        if (!ts.isPropertySignature(member) || member.name === undefined) continue;
        const v = literals(member.type);
        if (v !== undefined) props.set(member.name.getText(source), v);
      }
    }
    ts.forEachChild(node, visitProps);
  };
  visitProps(source);
  return props;
}

/** The first sentence of an option's TSDoc: its help line on the command line. */
function firstSentence(doc) {
  const m = /^(.+?[.;:])(\s+(?=[A-Z*`(])|$)/.exec(doc);
  return (m === null ? doc : m[1]).replace(/[;:]$/, '.').replaceAll('`', "'");
}

/**
 * src/cli/option-docs.ts: each option's help line (the first sentence of its TSDoc) and the values a
 * string option allows, for the CLI's flags (help, the check of values, "did you mean").
 */
function optionDocsModule(tables) {
  const lines = [
    '/**',
    ' * What the command line says about each option of the options tables: its help line (the first',
    " * sentence of the option's TSDoc) and, for a string option, the values its type allows. Generated",
    ' * by scripts/gen-docs.mjs from src/protocol/options.ts, src/events/options.ts, src/serve/options.ts and',
    ' * src/protocol/analyze-options.ts;',
    ' * do not edit (test/docs/docs.test.ts checks that it is fresh).',
    ' *',
    ' * @module',
    ' */',
    '',
    '/**',
    ' * One option as the command line describes it.',
    " * @example { help: 'Largest accepted body in bytes; above it the endpoint answers 413.' }",
    ' */',
    'export interface OptionDoc {',
    '  readonly help: string;',
    '  /** The values a string option allows. */',
    '  readonly values?: readonly string[];',
    '}',
    '',
    '/** Every option by name (the names are unique across the tables). */',
    'export const OPTION_DOCS: Readonly<Record<string, OptionDoc>> = {',
  ];
  const seen = new Set();
  for (const { docs, values } of tables) {
    for (const [name, doc] of docs) {
      if (seen.has(name) || doc === '') continue;
      seen.add(name);
      const v = values.get(name);
      lines.push(`  ${name}: { help: ${JSON.stringify(firstSentence(doc))}${v === undefined ? '' : `, values: ${JSON.stringify(v)}`} },`);
    }
  }
  lines.push('};', '');
  return biomeFormat('src/cli/option-docs.ts', lines.join('\n'));
}

/** `text` as Biome formats the file (so that the check after `npm run format` agrees with this generator). */
function biomeFormat(file, text) {
  const biome = join(root, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
  const r = spawnSync(process.execPath, [biome, 'format', `--stdin-file-path=${file}`], { cwd: root, input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gen-docs: biome format failed: ${r.stderr}`);
  return r.stdout;
}

/** The TSDoc text of each property of `interfaceName` in `file`, on one line. */
function propertyDocs(file, interfaceName) {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const docs = new Map();
  const visit = (node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === interfaceName) {
      for (const member of node.members) {
        if (!ts.isPropertySignature(member) || member.name === undefined) continue;
        const jsDoc = member.jsDoc?.[0];
        const text = typeof jsDoc?.comment === 'string' ? jsDoc.comment : (jsDoc?.comment ?? []).map((p) => p.text).join('');
        docs.set(member.name.getText(source), text.replace(/\s+/g, ' ').trim());
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (docs.size === 0) throw new Error(`gen-docs: interface ${interfaceName} not found in ${file}`);
  return docs;
}

const cell = (s) => String(s).replaceAll('|', '\\|');
const code = (s) => '`' + cell(s) + '`';

function value(v) {
  if (v === Number.POSITIVE_INFINITY) return '`Infinity`';
  if (typeof v === 'number') return '`' + (Number.isInteger(v) && Math.abs(v) >= 10_000 ? v.toLocaleString('en-US').replaceAll(',', '_') : String(v)) + '`';
  if (Array.isArray(v)) return v.length === 0 ? '`[]`' : code(JSON.stringify(v));
  if (v === '') return '(none)';
  return code(typeof v === 'string' ? `'${v}'` : String(v));
}

/** One options table: the defaults object gives the rows (in its order), the interface the texts. */
function optionsTable(defaults, docs, extra = []) {
  const rows = ['| option | default | meaning and evidence |', '|---|---|---|'];
  for (const name of [...Object.keys(defaults), ...extra.filter((n) => !(n in defaults))]) {
    const doc = docs.get(name);
    if (doc === undefined || doc === '') throw new Error(`gen-docs: option ${name} has no TSDoc`);
    rows.push(`| ${code(name)} | ${name in defaults ? value(defaults[name]) : '(see meaning)'} | ${cell(doc)} |`);
  }
  return rows.join('\n');
}

function metricsRules(t) {
  const rows = ['| code | rule id | severity | endpoint text | report text |', '|---:|---|---|---|---|'];
  for (const r of t.RULE_LIST)
    rows.push(`| ${r.code} | ${code(r.id)} | ${r.severity} | ${r.endpoint ? code(r.endpoint) : '(report only)'} | ${cell(r.report)} |`);
  return rows.join('\n');
}

/** The converters' rules (src/protocol/convert-rules.ts). */
function convertRules(t) {
  const rows = ['| rule id | kind | report text | evidence |', '|---|---|---|---|'];
  for (const r of t.CONVERT_RULE_LIST) rows.push(`| ${code(r.id)} | ${r.kind} | ${cell(r.report)} | *${r.evidence}* |`);
  return rows.join('\n');
}

/** The JSON body rules of one body (by the prefix of their name in EVENT_RULES), or the request-level ones. */
function eventRules(t, pick) {
  const rows = ['| rule id | severity | kind | endpoint text | report text |', '|---|---|---|---|---|'];
  let n = 0;
  for (const [name, r] of Object.entries(t.EVENT_RULES)) {
    if (!pick(name, r)) continue;
    n++;
    rows.push(`| ${code(r.id)} | ${r.severity} | ${r.kind} | ${r.endpoint ? code(r.endpoint) : '(report only)'} | ${cell(r.report)} |`);
  }
  if (n === 0) throw new Error('gen-docs: an events rule group is empty');
  return rows.join('\n');
}

/** The findings of `dt-ingest analyze` (src/protocol/analyze-rules.ts). */
function analyzeRules(t) {
  const rows = ['| rule id | severity | evidence | report text |', '|---|---|---|---|'];
  for (const r of t.ANALYZE_RULE_LIST) rows.push(`| ${code(r.id)} | ${r.severity} | *${r.evidence}* | ${cell(r.report)} |`);
  return rows.join('\n');
}

const ANSWER_BODIES = {
  none: 'no body',
  'validation-response': '`ValidationResponse`',
  'error-envelope': 'error envelope',
  'partial-success': 'partial success',
  json: 'JSON',
  protobuf: 'protobuf',
};

/** The ingest endpoints: one row each, every cell from the endpoint table (the limit's default from its options table). */
function endpointsTable(t) {
  const rows = ['| id | method and path | media types | body limit | answers |', '|---|---|---|---|---|'];
  for (const e of t.ENDPOINTS) {
    const paths = [code(`${e.method} ${e.path}`), ...e.aliases.map((a) => `${code(a.path)}: ${cell(a.why)}`)].join('<br>');
    const media = e.media.map((m) => code(m.type)).join(', ') + (e.encodings.length > 0 ? `; ${e.encodings.map(code).join(', ')}` : '');
    const defaults = e.limit.table === 'metrics' ? t.METRICS_DEFAULTS : e.limit.table === 'otlp' ? t.OTLP_DEFAULTS : t.EVENTS_DEFAULTS;
    if (!(e.limit.option in defaults)) throw new Error(`gen-docs: endpoint ${e.id}: no option ${e.limit.option} in the ${e.limit.table} table`);
    const limit = `${code(e.limit.option)} (${value(defaults[e.limit.option])})`;
    const answers = e.answers.map((a) => `${a.status} ${ANSWER_BODIES[a.body]}${a.note ? ` (${cell(a.note)})` : ''}`).join('; ');
    const legacy = e.legacyIds.length > 0 ? ` (was ${e.legacyIds.map(code).join(', ')})` : '';
    rows.push(`| ${code(e.id)}${legacy} | ${paths} | ${media} | ${limit} | ${answers} |`);
  }
  return rows.join('\n');
}

/** The families of `dt-ingest validate`: one per endpoint, named by its id, with its path parameter's flags. */
function cliFamilies(t) {
  const rows = ['| family | judges bodies of | directories: extensions | path parameter flags |', '|---|---|---|---|'];
  for (const e of t.ENDPOINTS) {
    const flags = e.cli.flags.map((f) => `${code(`--${f.name} ${f.value}`)}: ${cell(f.help)}`).join('<br>') || '(none)';
    rows.push(
      `| ${code(`dt-ingest validate ${e.id}`)} | ${cell(e.title)}, ${code(`${e.method} ${e.path}`)} | ${e.cli.extensions.map(code).join(', ')} | ${flags} |`,
    );
  }
  return rows.join('\n');
}

/** The body rules (not the request-level ones) whose name starts with one of `prefixes` (or is one without its `_`). */
const bodyRule = (prefixes) => (name, r) => r.kind !== 'request' && prefixes.some((p) => name === p.slice(0, -1) || name.startsWith(p));

/** Every region: file and generator. */
export async function regions() {
  const t = await loadTables();
  const metricsDocs = propertyDocs('src/protocol/options.ts', 'MetricsOptions');
  const fixDocs = propertyDocs('src/protocol/options.ts', 'FixOptions');
  const eventsDocs = propertyDocs('src/events/options.ts', 'EventsOptions');
  const otlpDocs = propertyDocs('src/protocol/otlp-options.ts', 'OtlpOptions');
  const seriesDocs = propertyDocs('src/protocol/otlp-options.ts', 'SeriesStateOptions');
  const serveDocs = propertyDocs('src/serve/options.ts', 'ServeOptions');
  const convertDocs = propertyDocs('src/protocol/convert-options.ts', 'ConvertOptions');
  const prometheusDocs = propertyDocs('src/protocol/convert-options.ts', 'PrometheusOptions');
  const prometheusOwn = Object.fromEntries(Object.entries(t.PROMETHEUS_DEFAULTS).filter(([k]) => !(k in t.CONVERT_DEFAULTS)));
  const statsdDocs = propertyDocs('src/protocol/convert-options.ts', 'StatsdOptions');
  const statsdOwn = Object.fromEntries(Object.entries(t.STATSD_DEFAULTS).filter(([k]) => !(k in t.CONVERT_DEFAULTS)));
  const influxDocs = propertyDocs('src/protocol/convert-options.ts', 'InfluxOptions');
  const influxOwn = Object.fromEntries(Object.entries(t.INFLUX_DEFAULTS).filter(([k]) => !(k in t.CONVERT_DEFAULTS)));
  const analyzeDocs = propertyDocs('src/protocol/analyze-options.ts', 'AnalyzeOptions');
  const results = readFileSync(join(root, 'bench', 'RESULTS.md'), 'utf8')
    .replace(/^# Benchmark results\n+/, '')
    .trim();
  return [
    { file: 'docs/rules.md', name: 'metrics-rules', text: metricsRules(t) },
    { file: 'docs/rules.md', name: 'json-request-rules', text: eventRules(t, (_n, r) => r.kind === 'request') },
    // one region per endpoint row that names its own JSON body rules
    ...t.ENDPOINTS.filter((e) => e.ruleNames !== undefined).map((e) => ({
      file: 'docs/rules.md',
      name: `${e.id}-rules`,
      text: eventRules(t, bodyRule(e.ruleNames)),
    })),
    { file: 'docs/options.md', name: 'metrics-options', text: optionsTable(t.METRICS_DEFAULTS, metricsDocs, ['now']) },
    { file: 'docs/options.md', name: 'fix-options', text: optionsTable(t.FIX_DEFAULTS, fixDocs) },
    { file: 'docs/options.md', name: 'events-options', text: optionsTable(t.EVENTS_DEFAULTS, eventsDocs, ['now']) },
    { file: 'docs/options.md', name: 'otlp-options', text: optionsTable(t.OTLP_DEFAULTS, otlpDocs) },
    { file: 'docs/options.md', name: 'series-state-options', text: optionsTable(t.SERIES_STATE_DEFAULTS, seriesDocs) },
    { file: 'docs/options.md', name: 'convert-options', text: optionsTable(t.CONVERT_DEFAULTS, convertDocs, ['series', 'metrics']) },
    { file: 'docs/options.md', name: 'prometheus-options', text: optionsTable(prometheusOwn, prometheusDocs) },
    { file: 'docs/options.md', name: 'statsd-options', text: optionsTable(statsdOwn, statsdDocs) },
    { file: 'docs/options.md', name: 'influx-options', text: optionsTable(influxOwn, influxDocs) },
    { file: 'docs/rules.md', name: 'convert-rules', text: convertRules(t) },
    { file: 'docs/options.md', name: 'serve-options', text: optionsTable(t.SERVE_DEFAULTS, serveDocs, ['metrics', 'events', 'otlp', 'random']) },
    { file: 'docs/options.md', name: 'analyze-options', text: optionsTable(t.ANALYZE_DEFAULTS, analyzeDocs) },
    { file: 'docs/rules.md', name: 'analyze-rules', text: analyzeRules(t) },
    { file: 'docs/proxy.md', name: 'endpoints', text: endpointsTable(t) },
    { file: 'docs/cli.md', name: 'cli-families', text: cliFamilies(t) },
    { file: 'docs/performance.md', name: 'performance', text: results },
    {
      file: 'src/cli/option-docs.ts',
      whole: true,
      text: optionDocsModule([
        { docs: metricsDocs, values: propertyValues('src/protocol/options.ts', 'MetricsOptions') },
        { docs: fixDocs, values: propertyValues('src/protocol/options.ts', 'FixOptions') },
        { docs: eventsDocs, values: propertyValues('src/events/options.ts', 'EventsOptions') },
        { docs: serveDocs, values: propertyValues('src/serve/options.ts', 'ServeOptions') },
        { docs: convertDocs, values: propertyValues('src/protocol/convert-options.ts', 'ConvertOptions') },
        { docs: prometheusDocs, values: propertyValues('src/protocol/convert-options.ts', 'PrometheusOptions') },
        { docs: statsdDocs, values: propertyValues('src/protocol/convert-options.ts', 'StatsdOptions') },
        { docs: influxDocs, values: propertyValues('src/protocol/convert-options.ts', 'InfluxOptions') },
        { docs: analyzeDocs, values: propertyValues('src/protocol/analyze-options.ts', 'AnalyzeOptions') },
      ]),
    },
  ];
}

/** `text` with region `name` replaced by `body`; throws when the markers are missing. */
export function replaceRegion(text, file, name, body) {
  const start = `<!-- generated:${name} (scripts/gen-docs.mjs; do not edit) -->`;
  const end = `<!-- /generated:${name} -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`gen-docs: ${file} has no region ${start} ... ${end}`);
  return `${text.slice(0, a + start.length)}\n\n${body}\n\n${text.slice(b)}`;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const check = process.argv.includes('--check');
  const files = new Map();
  const stale = [];
  for (const r of await regions()) {
    const path = join(root, r.file);
    let before;
    try {
      before = files.get(r.file) ?? readFileSync(path, 'utf8');
    } catch {
      before = '';
    }
    const after = r.whole === true ? r.text : replaceRegion(before, r.file, r.name, r.text);
    if (after !== before) stale.push(r.whole === true ? r.file : `${r.file} (${r.name})`);
    files.set(r.file, after);
  }
  if (check) {
    if (stale.length > 0) {
      console.error(`gen-docs: stale generated regions: ${stale.join(', ')}; run node scripts/gen-docs.mjs`);
      process.exit(1);
    }
  } else {
    for (const [file, text] of files) writeFileSync(join(root, file), text);
    console.log(stale.length > 0 ? `gen-docs: updated ${stale.join(', ')}` : 'gen-docs: everything was fresh');
  }
}
