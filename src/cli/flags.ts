/**
 * Command-line flags as data: every command declares its flags in groups ({@link FlagGroup}), and the
 * same table drives parsing ({@link parseFlags}), help ({@link formatHelp}) and "did you mean"
 * suggestions. The options tables (`METRICS_DEFAULTS`, `EVENTS_DEFAULTS`, ...) become flag groups
 * with {@link optionFlags}, so the CLI never lists a limit of its own and every option has a flag.
 *
 * Tokenizing is `node:util` `parseArgs` (short groups `-qf json`, `--flag=value`, `--`); the rules on
 * top are ours: an unknown flag is an error (never a file name), a flag given twice is an error unless
 * it is repeatable, a value that looks like a flag is refused (`--format --quiet`), and every mistake
 * says what was expected, with the closest known name.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { distance } from 'fastest-levenshtein';
import { OPTION_DOCS } from './option-docs.js';

/**
 * A mistake on the command line: printed as one line, exit code 2, no stack trace.
 * @example throw new UsageError("--format takes stylish or json, not 'xml'")
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** How a flag's value is read. */
export type FlagType = 'boolean' | 'string' | 'number' | 'list';

/**
 * One flag.
 * @example { name: 'format', short: 'f', type: 'string', choices: ['stylish', 'json'], help: 'output format' }
 */
export interface FlagSpec {
  /** Long name without dashes, kebab-case (`max-body-bytes`). */
  readonly name: string;
  /** One-letter alias (`f` for `-f`). */
  readonly short?: string;
  /** Other long names accepted for it and not shown in help (`output` for `output-file`). */
  readonly aliases?: readonly string[];
  /** `boolean` takes no value (`--x`, `--x=false`); `list` is repeatable and splits on commas. */
  readonly type: FlagType;
  /** May be given more than once (each value is kept). `list` flags always are. */
  readonly multiple?: boolean;
  /** `--no-<name>` sets a boolean to false. */
  readonly negatable?: boolean;
  /** The accepted values of a string flag. */
  readonly choices?: readonly string[];
  /** Placeholder of the value in help (`<file>`). */
  readonly value?: string;
  /** One line of help. */
  readonly help: string;
  /** The default, as shown in help. */
  readonly default?: string;
  /** The options-table key the flag sets (`maxBodyBytes`); defaults to the camelCase of `name`. */
  readonly key?: string;
  /** Reads a string value (after the choices check); throws {@link UsageError} for a bad one. */
  readonly parse?: (value: string, flag: string) => unknown;
}

/** Flags under one heading of the help text. */
export interface FlagGroup {
  readonly title: string;
  readonly flags: readonly FlagSpec[];
}

/** What {@link parseFlags} read: values by flag name (long, without dashes) and the positionals. */
export interface ParsedFlags {
  /** `boolean`, `string`, `number` or `unknown` (custom `parse`); an array for repeatable flags. */
  readonly values: ReadonlyMap<string, unknown>;
  readonly positionals: readonly string[];
}

/**
 * `maxBodyBytes` → `max-body-bytes`.
 * @example kebab('maxBodyBytes') // 'max-body-bytes'
 */
export function kebab(name: string): string {
  let out = '';
  for (const ch of name) out += ch >= 'A' && ch <= 'Z' ? '-' + ch.toLowerCase() : ch;
  return out;
}

/**
 * `max-body-bytes` → `maxBodyBytes`.
 * @example camel('max-body-bytes') // 'maxBodyBytes'
 */
export function camel(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '-' && i + 1 < name.length) out += name[++i]!.toUpperCase();
    else out += name[i];
  }
  return out;
}

/**
 * The closest candidate to `word`, or `undefined` when none is close enough to be a typo (edit
 * distance at most 1 for words up to 3 characters, 2 up to 6, else 3).
 * @example closestName('valdate', ['validate', 'fix']) // 'validate'
 */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  const limit = word.length <= 3 ? 1 : word.length <= 6 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * `; did you mean 'x'?` or an empty string.
 * @example didYouMean('fromat', ['format'], '--') // "; did you mean '--format'?"
 */
export function didYouMean(word: string, candidates: Iterable<string>, prefix = ''): string {
  const best = closestName(word, candidates);
  return best === undefined ? '' : `; did you mean '${prefix}${best}'?`;
}

/**
 * Reads a non-negative number (`Infinity` allowed): the values of the options tables.
 * @example readNumber('1000000', '--max-body-bytes') // 1000000
 */
export function readNumber(value: string, flag: string): number {
  const n = value === 'Infinity' ? Number.POSITIVE_INFINITY : Number(value);
  if (value.trim() === '' || Number.isNaN(n) || n < 0) throw new UsageError(`${flag} takes a non-negative number, not '${value}'`);
  return n;
}

/**
 * Reads a non-negative integer.
 * @example readCount('10', '--max-warnings') // 10
 */
export function readCount(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0) throw new UsageError(`${flag} takes a non-negative whole number, not '${value}'`);
  return n;
}

function describeValues(spec: FlagSpec): string {
  const c = spec.choices!;
  return c.length === 1 ? `'${c[0]}'` : orList(c);
}

/**
 * `a, b or c`.
 * @example orList(['auto', 'js', 'native']) // 'auto, js or native'
 */
export function orList(values: readonly string[]): string {
  return values.length <= 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

function readValue(spec: FlagSpec, raw: string, flag: string): unknown {
  if (spec.type === 'number') return spec.parse !== undefined ? spec.parse(raw, flag) : readNumber(raw, flag);
  if (spec.choices !== undefined && !spec.choices.includes(raw)) {
    throw new UsageError(`${flag} takes ${describeValues(spec)}, not '${raw}'${didYouMean(raw, spec.choices)}`);
  }
  return spec.parse !== undefined ? spec.parse(raw, flag) : raw;
}

/**
 * Parses `argv` against the flag groups. Throws {@link UsageError} for an unknown flag (with the
 * closest known one), a flag given twice, a missing or flag-like value, or a value not accepted.
 *
 * @example
 * parseFlags(['-f', 'json', 'a.txt'], [{ title: 'Output', flags: [{ name: 'format', short: 'f', type: 'string', help: '' }] }])
 * // { values: Map { 'format' => 'json' }, positionals: ['a.txt'] }
 */
export function parseFlags(argv: readonly string[], groups: readonly FlagGroup[]): ParsedFlags {
  const byName = new Map<string, FlagSpec>();
  const byShort = new Map<string, FlagSpec>();
  const negated = new Map<string, FlagSpec>();
  const parseArgsOptions: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const group of groups) {
    for (const spec of group.flags) {
      byName.set(spec.name, spec);
      for (const alias of spec.aliases ?? []) {
        byName.set(alias, spec);
        parseArgsOptions[alias] = { type: spec.type === 'boolean' ? 'boolean' : 'string' };
      }
      if (spec.short !== undefined) byShort.set(spec.short, spec);
      if (spec.negatable === true) negated.set(`no-${spec.name}`, spec);
      const o: { type: 'string' | 'boolean'; short?: string } = { type: spec.type === 'boolean' ? 'boolean' : 'string' };
      if (spec.short !== undefined) o.short = spec.short;
      parseArgsOptions[spec.name] = o;
    }
  }
  const { tokens } = parseArgs({ args: argv as string[], options: parseArgsOptions, strict: false, allowPositionals: true, tokens: true });
  const values = new Map<string, unknown>();
  // what each flag was given as, for the message about a second one
  const given = new Map<string, string>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const raw = token.rawName;
    // parseArgs names a known short flag by its long name; an unknown one keeps its letter
    let spec = byName.get(token.name);
    let isNegated = false;
    if (spec === undefined && raw.startsWith('--')) {
      spec = negated.get(token.name);
      isNegated = spec !== undefined;
    }
    if (spec === undefined) throw new UsageError(`unknown flag '${raw}'${unknownHint(raw, byName, byShort, negated)} (try --help)`);
    const flag = spec.short !== undefined && raw === `-${spec.short}` ? `-${spec.short}` : `--${spec.name}`;
    const repeatable = spec.multiple === true || spec.type === 'list';
    const shown = token.value === undefined ? raw : `${raw} ${token.value}`;
    const previous = given.get(spec.name);
    if (previous !== undefined && !repeatable) {
      throw new UsageError(`--${spec.name} given twice ('${previous}', then '${shown}'); it takes one value`);
    }
    given.set(spec.name, shown);
    if (spec.type === 'boolean') {
      let v = !isNegated;
      if (token.value !== undefined) {
        if (isNegated) throw new UsageError(`${raw} takes no value`);
        if (token.value !== 'true' && token.value !== 'false') throw new UsageError(`${flag} is a switch: it takes true or false, not '${token.value}'`);
        v = token.value === 'true';
      }
      values.set(spec.name, v);
      continue;
    }
    const value = token.value;
    if (value === undefined) throw new UsageError(`${flag} needs a value${spec.value !== undefined ? ` ${spec.value}` : ''}`);
    // a negative number is a value, not a flag (`--max-warnings -1`)
    const negativeNumber = spec.type === 'number' && /^-\d/.test(value);
    if (!token.inlineValue && value.length > 1 && value.startsWith('-') && !negativeNumber) {
      // parseArgs took the next argument as the value; a flag there means the value was forgotten
      throw new UsageError(`${flag} needs a value, got the flag '${value}' (write ${flag}=${value} if that is the value)`);
    }
    if (spec.type === 'list') {
      const list = (values.get(spec.name) as unknown[] | undefined) ?? [];
      for (const part of value.split(',')) if (part !== '') list.push(readValue(spec, part, flag));
      values.set(spec.name, list);
    } else if (repeatable) {
      const list = (values.get(spec.name) as unknown[] | undefined) ?? [];
      list.push(readValue(spec, value, flag));
      values.set(spec.name, list);
    } else {
      values.set(spec.name, readValue(spec, value, flag));
    }
  }
  return { values, positionals };
}

function unknownHint(
  raw: string,
  byName: ReadonlyMap<string, FlagSpec>,
  byShort: ReadonlyMap<string, FlagSpec>,
  negated: ReadonlyMap<string, FlagSpec>,
): string {
  if (!raw.startsWith('--')) {
    // a single dash: `-format` for `--format`, or a letter of another case (`-Q` for `-q`)
    const letter = raw.slice(1);
    if (byName.has(letter)) return `; did you mean '--${letter}'?`;
    const other = byShort.get(letter.toLowerCase()) ?? byShort.get(letter.toUpperCase());
    return other !== undefined ? `; did you mean '-${other.short}'?` : '';
  }
  const eq = raw.indexOf('=');
  const name = raw.slice(2, eq < 0 ? undefined : eq);
  return didYouMean(name, [...byName.keys(), ...negated.keys()], '--');
}

/**
 * True when `argv` asks for help (`--help` or `-h` before any `--`).
 * @example wantsHelp(['a.txt', '-h']) // true
 */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/**
 * A flag group for every key of an options table's defaults: numbers take a non-negative number
 * (`Infinity` allowed), booleans are switches with a `--no-` form, arrays are repeatable lists,
 * strings take a string, one of the values the option's type allows where it names them. The help
 * line is the first sentence of the option's TSDoc ({@link OPTION_DOCS}, generated from the tables),
 * then the default; the evidence is in docs/options.md.
 *
 * @example optionFlags('Metrics options', METRICS_DEFAULTS).flags[0].name // 'max-body-bytes'
 */
export function optionFlags(title: string, defaults: Readonly<Record<string, unknown>>, skip: readonly string[] = []): FlagGroup {
  const flags: FlagSpec[] = [];
  for (const [key, def] of Object.entries(defaults)) {
    if (skip.includes(key)) continue;
    const name = kebab(key);
    const doc = OPTION_DOCS[key];
    const help = doc?.help ?? `option ${key}`;
    if (typeof def === 'boolean') {
      flags.push({ name, key, type: 'boolean', negatable: true, help, default: String(def) });
    } else if (typeof def === 'number') {
      flags.push({ name, key, type: 'number', value: '<number>', help, default: String(def) });
    } else if (Array.isArray(def)) {
      flags.push({ name, key, type: 'list', value: '<name,...>', help: `${help} (repeatable)`, default: def.length === 0 ? 'none' : def.join(',') });
    } else if (doc?.values !== undefined) {
      flags.push({ name, key, type: 'string', choices: doc.values, value: `<${doc.values.join('|')}>`, help, default: String(def) });
    } else {
      flags.push({ name, key, type: 'string', value: '<string>', help, default: def === '' ? 'none' : String(def) });
    }
  }
  return { title, flags };
}

/**
 * The options an options-table group read from the command line, keyed by option name.
 * @example optionValues(parsed, optionFlags('Metrics options', METRICS_DEFAULTS)) // { maxBodyBytes: 1000000 }
 */
export function optionValues(parsed: ParsedFlags, group: FlagGroup): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of group.flags) {
    if (parsed.values.has(spec.name)) out[spec.key ?? camel(spec.name)] = parsed.values.get(spec.name);
  }
  return out;
}

function flagColumn(spec: FlagSpec): string {
  const short = spec.short !== undefined ? `-${spec.short}, ` : '    ';
  const value = spec.type === 'boolean' ? '' : ` ${spec.value ?? (spec.choices !== undefined ? `<${spec.choices.join('|')}>` : '<value>')}`;
  const neg = spec.negatable === true ? ` | --no-${spec.name}` : '';
  return `${short}--${spec.name}${value}${neg}`;
}

/** Width the help text is wrapped to. */
const HELP_WIDTH = 100;
/** Widest flag column; a longer flag puts its help on the next line. */
const FLAG_COLUMN_MAX = 40;

/** Wraps `text` into lines of at most `width` characters (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * A help text: the usage lines, a description, then every flag of every group with its help and
 * default, then the footer. Generated from the same tables the parser reads, so no flag is missing.
 *
 * @example formatHelp(['dt-ingest bench [FILE|-]'], 'Measures throughput.', groups)
 */
export function formatHelp(usage: readonly string[], description: string, groups: readonly FlagGroup[], footer = ''): string {
  const out = `Usage:\n${usage.map((u) => `  ${u}\n`).join('')}\n${description}\n${formatFlagGroups(groups)}`;
  return footer === '' ? out : `${out}\n${footer.endsWith('\n') ? footer : `${footer}\n`}`;
}

/**
 * The flag sections of a help text: each group's title, then each flag with its help and default.
 * @example formatFlagGroups([optionFlags('Metrics options', METRICS_DEFAULTS)])
 */
export function formatFlagGroups(groups: readonly FlagGroup[]): string {
  let width = 0;
  for (const g of groups) for (const f of g.flags) width = Math.max(width, flagColumn(f).length);
  width = Math.min(width, FLAG_COLUMN_MAX);
  const indent = ' '.repeat(width + 4);
  let out = '';
  for (const g of groups) {
    if (g.flags.length === 0) continue;
    out += `\n${g.title}:\n`;
    for (const f of g.flags) {
      const column = flagColumn(f);
      const def = f.default !== undefined ? ` (default ${f.default})` : '';
      const text = wrap(`${f.help}${def}`, HELP_WIDTH - width - 4);
      const first = column.length > width ? `  ${column}\n${indent}` : `  ${column.padEnd(width)}  `;
      out += `${first}${text.join(`\n${indent}`)}\n`;
    }
  }
  return out;
}
