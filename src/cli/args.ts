/**
 * Option flags read straight into an options object, for `dt-ingest serve` (`src/cli/commands/serve.ts`):
 * every option of an options table becomes a kebab-case flag (`maxBodyBytes` → `--max-body-bytes
 * 1000000`, booleans as `--flag`, `--no-flag` or `--flag=false`). The other commands declare their
 * flags as tables (`./flags.ts`).
 *
 * @module
 */
import { UsageError, didYouMean, kebab, orList, readNumber } from './flags.js';
import { OPTION_DOCS } from './option-docs.js';

export { UsageError, kebab };

/**
 * Reads option flags for the keys of `defaults` out of `argv`; returns the options and the rest of
 * the arguments. Values are typed after the defaults (numbers, booleans, strings; an array default
 * makes a repeatable, comma-separated list).
 *
 * @example takeOptionFlags(['--max-body-bytes', '1000000', 'file.txt'], { maxBodyBytes: 1 })
 * // { options: { maxBodyBytes: 1000000 }, rest: ['file.txt'] }
 */
export function takeOptionFlags(argv: readonly string[], defaults: Readonly<Record<string, unknown>>): { options: Record<string, unknown>; rest: string[] } {
  const byFlag = new Map<string, string>();
  for (const key of Object.keys(defaults)) byFlag.set(kebab(key), key);
  const options: Record<string, unknown> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      rest.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    let flag = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    let negated = false;
    if (!byFlag.has(flag) && flag.startsWith('no-') && byFlag.has(flag.slice(3))) {
      flag = flag.slice(3);
      negated = true;
    }
    const key = byFlag.get(flag);
    if (key === undefined) {
      rest.push(arg);
      continue;
    }
    const def = defaults[key];
    if (typeof def === 'boolean') {
      if (negated) options[key] = false;
      else if (value === undefined) options[key] = true;
      else if (value === 'true' || value === 'false') options[key] = value === 'true';
      else throw new UsageError(`--${flag} takes true or false, not '${value}'`);
      continue;
    }
    if (negated) throw new UsageError(`--no-${flag} is not a switch`);
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`--${flag} needs a value`);
    }
    if (Array.isArray(def)) {
      // a list: repeatable, and comma-separated values add several
      const list = (options[key] as string[] | undefined) ?? [];
      for (const item of value.split(',')) if (item.trim() !== '') list.push(item.trim());
      options[key] = list;
      continue;
    }
    const allowed = OPTION_DOCS[key]?.values;
    if (typeof def === 'string' && allowed !== undefined && !allowed.includes(value))
      throw new UsageError(`--${flag} takes ${orList(allowed)}, not '${value}'${didYouMean(value, allowed)}`);
    options[key] = typeof def === 'number' ? readNumber(value, `--${flag}`) : value;
  }
  return { options, rest };
}

/**
 * `; did you mean '--x'?` for an unknown flag among the kebab-case flags of option tables' keys.
 * @example unknownOptionHint('--allow-digit-leading-sectons', [METRICS_DEFAULTS]) // "; did you mean '--allow-digit-leading-sections'?"
 */
export function unknownOptionHint(arg: string, tables: readonly Readonly<Record<string, unknown>>[], extra: readonly string[] = []): string {
  const eq = arg.indexOf('=');
  const name = arg.slice(2, eq < 0 ? undefined : eq);
  const names = [...extra];
  for (const t of tables) for (const key of Object.keys(t)) names.push(kebab(key));
  return didYouMean(name, names, '--');
}
