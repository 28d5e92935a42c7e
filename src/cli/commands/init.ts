/**
 * `dt-ingest init`: writes a commented configuration file, `dt-ingest.config.mjs`, into the working
 * directory (never over an existing one). See `src/cli/config.ts` for what it holds.
 *
 * @module
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILES, initialConfig } from '../config.js';
import { UsageError, formatHelp, parseFlags, type FlagGroup } from '../flags.js';
import { IoError, describeIoError, type CliIO } from '../io.js';
import { HELP_FLAG } from './common.js';
import type { Command } from './types.js';

/** The file `init` writes: a module, so that it can carry comments, and ESM whatever the project's "type". */
const INIT_FILE = 'dt-ingest.config.mjs';

const GROUPS: readonly FlagGroup[] = [{ title: 'Help', flags: [HELP_FLAG] }];

async function runInit(args: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseFlags(args, GROUPS);
  if (parsed.positionals.length > 0) throw new UsageError(`init takes no arguments, not '${parsed.positionals[0]}'`);
  const cwd = io.cwd ?? process.cwd();
  const existing = CONFIG_FILES.find((f) => existsSync(join(cwd, f)));
  if (existing !== undefined) throw new UsageError(`${existing} exists already; edit it, or remove it first`);
  try {
    writeFileSync(join(cwd, INIT_FILE), initialConfig(), { flag: 'wx' });
  } catch (err) {
    throw new IoError(`cannot write '${INIT_FILE}': ${describeIoError(err)}`);
  }
  io.stdout.write(`dt-ingest: wrote ${INIT_FILE} (docs/cli.md#configuration); dt-ingest validate metrics now judges its files\n`);
  return 0;
}

/** `dt-ingest init`, for the commands table. */
export const INIT_COMMAND: Command = {
  name: 'init',
  summary: `write a commented configuration file (${INIT_FILE})`,
  help: () =>
    formatHelp(
      ['dt-ingest init'],
      `Writes ${INIT_FILE} into the working directory, with every key commented: the files each family judges,\nignores, rule settings, options, format and --max-warnings. Refuses to overwrite a configuration file.`,
      GROUPS,
      'Exit codes: 0 written, 2 a configuration file exists or cannot be written.',
    ),
  run: runInit,
};
