/**
 * `dt-ingest validate events|smartscape|synthetic|custom-device`: filled in by the JSON body family.
 *
 * @module
 */
import { UsageError } from './args.js';
import type { CliIO } from './main.js';

/** The JSON validate commands by family name. */
export const jsonCommands: Map<string, true> = new Map();

/** Runs one JSON validate command. */
export async function runJsonValidate(family: string, _args: readonly string[], _io: CliIO): Promise<number> {
  throw new UsageError(`validate ${family} is not available in this build`);
}
