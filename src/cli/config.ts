/**
 * The configuration file: `dt-ingest.config.js`, `.mjs` or `.json`, or a `"dt-ingest"` key in
 * package.json, found from the working directory upward (the first directory with one wins, as
 * ESLint finds its flat config). It holds what every CI step would otherwise repeat: rule settings,
 * options per family, the files to judge and to ignore, the format. Flags on the command line win
 * over it; `--config FILE` names one, `--no-config` reads none.
 *
 * Every key and value is checked before anything runs; a mistake is one line with the file, the key
 * path and what was expected (with the closest known name), and exit code 2.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EVENTS_DEFAULTS } from '../events/options.js';
import { FIX_DEFAULTS, METRICS_DEFAULTS } from '../protocol/options.js';
import { FIX_RULES, JSON_FAMILIES } from './families.js';
import { UsageError, didYouMean, kebab, orList } from './flags.js';
import { FORMATS } from './formats/index.js';
import { OPTION_DOCS } from './option-docs.js';

/** The file names looked for in each directory, in order (package.json's key comes last). */
export const CONFIG_FILES: readonly string[] = ['dt-ingest.config.js', 'dt-ingest.config.mjs', 'dt-ingest.config.json'];

/** The key of package.json that holds a configuration. */
export const PACKAGE_JSON_KEY = 'dt-ingest';

/**
 * A configuration, as written in the file (every key optional).
 * @example { rules: { 'metric-key-changed': 'off' }, metrics: { maxBodyBytes: 1_000_000 }, files: { metrics: ['payloads/**\/*.txt'] } }
 */
export interface DtIngestConfig {
  /** Rule id → `off`, `warn` or `error` (the rules of every family in one map). */
  rules?: Record<string, 'off' | 'warn' | 'error'>;
  /** Options of the metrics validator (the options table of `src/protocol/options.ts`). */
  metrics?: Record<string, unknown>;
  /** Options of `fix metrics` (the fix options table). */
  fix?: Record<string, unknown>;
  /** Options of the JSON body validators (`src/events/options.ts`). */
  json?: Record<string, unknown>;
  /** Files (paths, globs, directories) judged when the command line names none, by family. */
  files?: Record<string, string[]>;
  /** Globs left out of every glob and directory expansion (`**\/fixtures/**`). */
  ignores?: string[];
  /** The report format. */
  format?: string;
  /** Exit 1 above this many warnings (-1: no limit). */
  maxWarnings?: number;
  /** Report errors only. */
  quiet?: boolean;
}

/** A configuration that was found and checked, with where it came from. */
export interface LoadedConfig {
  /** The file, relative to the working directory (for messages). */
  readonly source: string;
  /** The directory of the file: relative `files` and `ignores` start there. */
  readonly dir: string;
  readonly config: DtIngestConfig;
}

/** The families `files` may name. */
const FAMILY_NAMES: readonly string[] = ['metrics', ...JSON_FAMILIES.keys()];
const TOP_KEYS: readonly string[] = ['rules', 'metrics', 'fix', 'json', 'files', 'ignores', 'format', 'maxWarnings', 'quiet'];
const OPTION_TABLES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  metrics: METRICS_DEFAULTS,
  fix: FIX_DEFAULTS,
  json: EVENTS_DEFAULTS,
};
/** Options that are not settings of a run (the clock is `--now`, the backend is per process). */
const NOT_IN_CONFIG: readonly string[] = ['now'];

function fail(source: string, path: string, what: string): never {
  throw new UsageError(`${source}: ${path === '' ? '' : `${path}: `}${what}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  return typeof v === 'string' ? `'${v}'` : typeof v === 'object' ? 'an object' : String(v);
}

function checkKeys(source: string, path: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) fail(source, path === '' ? key : `${path}.${key}`, `unknown key${didYouMean(key, known)}`);
  }
}

function checkStrings(source: string, path: string, v: unknown): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x !== '')) fail(source, path, `takes a list of non-empty strings, not ${describe(v)}`);
  return v as string[];
}

/** Checks one option's value against its default's type and, for a string, the values it allows. */
function checkOption(source: string, path: string, key: string, value: unknown, def: unknown): void {
  if (typeof def === 'number') {
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) fail(source, path, `takes a non-negative number, not ${describe(value)}`);
  } else if (typeof def === 'boolean') {
    if (typeof value !== 'boolean') fail(source, path, `takes true or false, not ${describe(value)}`);
  } else if (Array.isArray(def)) {
    checkStrings(source, path, value);
  } else {
    const allowed = OPTION_DOCS[key]?.values;
    if (typeof value !== 'string') fail(source, path, `takes a string, not ${describe(value)}`);
    if (allowed !== undefined && !allowed.includes(value)) fail(source, path, `takes ${orList(allowed)}, not '${value}'${didYouMean(value, allowed)}`);
  }
}

/**
 * Checks a configuration object; throws {@link UsageError} naming the file and the key path of the
 * first mistake.
 * @example checkConfig({ rules: { 'metric-key-chnged': 'off' } }, 'dt-ingest.config.json') // throws: rules.metric-key-chnged: unknown rule; did you mean 'metric-key-changed'?
 */
export function checkConfig(value: unknown, source: string): DtIngestConfig {
  if (!isObject(value)) fail(source, '', `the configuration must be an object, not ${describe(value)}`);
  checkKeys(source, '', value, TOP_KEYS);
  if (value.rules !== undefined) {
    if (!isObject(value.rules)) fail(source, 'rules', `takes an object of rule id → off, warn or error, not ${describe(value.rules)}`);
    const ids = [...new Set([...FIX_RULES, ...[...JSON_FAMILIES.values()].flatMap((f) => f.endpoint.rules)].map((r) => r.id))];
    for (const [id, setting] of Object.entries(value.rules)) {
      if (!ids.includes(id)) fail(source, `rules.${id}`, `unknown rule${didYouMean(id, ids)}`);
      if (setting !== 'off' && setting !== 'warn' && setting !== 'error')
        fail(
          source,
          `rules.${id}`,
          `takes off, warn or error, not ${describe(setting)}${typeof setting === 'string' ? didYouMean(setting, ['off', 'warn', 'error']) : ''}`,
        );
    }
  }
  for (const [table, defaults] of Object.entries(OPTION_TABLES)) {
    const options = value[table];
    if (options === undefined) continue;
    if (!isObject(options)) fail(source, table, `takes an object of options, not ${describe(options)}`);
    const keys = Object.keys(defaults).filter((k) => !NOT_IN_CONFIG.includes(k));
    checkKeys(source, table, options, keys);
    for (const [key, v] of Object.entries(options)) checkOption(source, `${table}.${key}`, key, v, defaults[key]);
  }
  if (value.files !== undefined) {
    if (!isObject(value.files)) fail(source, 'files', `takes an object of family → list of files or globs, not ${describe(value.files)}`);
    checkKeys(source, 'files', value.files, FAMILY_NAMES);
    for (const [family, list] of Object.entries(value.files)) checkStrings(source, `files.${family}`, list);
  }
  if (value.ignores !== undefined) checkStrings(source, 'ignores', value.ignores);
  if (value.format !== undefined) {
    const names = [...FORMATS.keys()];
    if (typeof value.format !== 'string' || !names.includes(value.format))
      fail(source, 'format', `takes ${orList(names)}, not ${describe(value.format)}${typeof value.format === 'string' ? didYouMean(value.format, names) : ''}`);
  }
  if (value.maxWarnings !== undefined && !(Number.isSafeInteger(value.maxWarnings) && (value.maxWarnings as number) >= -1))
    fail(source, 'maxWarnings', `takes a whole number (-1: no limit), not ${describe(value.maxWarnings)}`);
  if (value.quiet !== undefined && typeof value.quiet !== 'boolean') fail(source, 'quiet', `takes true or false, not ${describe(value.quiet)}`);
  return value as DtIngestConfig;
}

/** The configuration file or package.json of `dir`, if it has one. */
function configIn(dir: string): { file: string; fromPackage: boolean } | undefined {
  for (const name of CONFIG_FILES) {
    const file = join(dir, name);
    if (existsSync(file)) return { file, fromPackage: false };
  }
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg)) return undefined;
  try {
    const json = JSON.parse(readFileSync(pkg, 'utf8')) as Record<string, unknown>;
    return json[PACKAGE_JSON_KEY] !== undefined ? { file: pkg, fromPackage: true } : undefined;
  } catch {
    return undefined; // a package.json that does not parse is not ours to judge
  }
}

/**
 * Finds the configuration from `cwd` upward, or uses `explicit` (`--config FILE`); reads and checks
 * it. `undefined` when there is none.
 * @example const loaded = await loadConfig(process.cwd())
 */
export async function loadConfig(cwd: string, explicit?: string): Promise<LoadedConfig | undefined> {
  let found: { file: string; fromPackage: boolean } | undefined;
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) throw new UsageError(`--config: no such file '${explicit}'`);
    found = { file, fromPackage: file.endsWith('package.json') };
  } else {
    for (let dir = resolve(cwd); ; dir = dirname(dir)) {
      found = configIn(dir);
      if (found !== undefined || dirname(dir) === dir) break;
    }
  }
  if (found === undefined) return undefined;
  const rel = relative(cwd, found.file);
  const source = rel === '' || rel.startsWith('..') ? found.file : rel;
  let raw: unknown;
  try {
    if (found.file.endsWith('.json')) {
      const json = JSON.parse(readFileSync(found.file, 'utf8')) as unknown;
      raw = found.fromPackage && isObject(json) ? json[PACKAGE_JSON_KEY] : json;
    } else {
      const mod = (await import(pathToFileURL(found.file).href)) as { default?: unknown };
      raw = mod.default;
    }
  } catch (err) {
    throw new UsageError(`${source}: cannot be read: ${err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err)}`);
  }
  return { source: found.fromPackage ? `${source} ("${PACKAGE_JSON_KEY}")` : source, dir: dirname(found.file), config: checkConfig(raw, source) };
}

/**
 * The flags a configuration stands for, for one command and family: added to the parsed flags where
 * the command line does not give them (the command line wins). Rule settings are those of the
 * family's rules (a shared file names the rules of every family).
 * @example configFlags(loaded.config, 'metrics', 'validate', ['metric-key-changed']) // Map { 'rule' => ['metric-key-changed=off'], ... }
 */
export function configFlags(config: DtIngestConfig, family: string, command: 'validate' | 'fix', ruleIds: readonly string[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const rules = Object.entries(config.rules ?? {})
    .filter(([id]) => ruleIds.includes(id))
    .map(([id, setting]) => `${id}=${setting}`);
  if (rules.length > 0) out.set('rule', rules);
  const tables = family === 'metrics' ? (command === 'fix' ? [config.metrics, config.fix] : [config.metrics]) : [config.json];
  for (const table of tables) for (const [key, v] of Object.entries(table ?? {})) out.set(kebab(key), v);
  if (config.format !== undefined) out.set('format', config.format);
  if (config.maxWarnings !== undefined) out.set('max-warnings', config.maxWarnings === -1 ? Number.POSITIVE_INFINITY : config.maxWarnings);
  if (config.quiet !== undefined) out.set('quiet', config.quiet);
  return out;
}

/** The commented configuration `dt-ingest init` writes (a module, so it can carry comments). */
export function initialConfig(): string {
  return `// dt-ingest configuration (docs/cli.md#configuration): found from the working directory upward;
// flags on the command line win over it; --config FILE names another, --no-config reads none.
export default {
  // the files each family judges when the command line names none (paths, globs, directories)
  files: {
    metrics: ['payloads/**/*.txt'],
    // events: ['events/**/*.json'],
  },
  // left out of every glob and directory
  ignores: ['**/node_modules/**'],
  // rule id: 'off' | 'warn' | 'error' (dt-ingest validate <family> --help lists them; docs/rules.md)
  rules: {
    // 'metric-key-changed': 'off',
  },
  // options of the metrics validator, fix, and the JSON bodies (docs/options.md)
  metrics: {
    // maxBodyBytes: 1_000_000,
  },
  fix: {},
  json: {},
  // stylish, json, sarif, github, junit or dynatrace
  format: 'stylish',
  // exit 1 above this many warnings (-1: no limit)
  maxWarnings: -1,
};
`;
}
