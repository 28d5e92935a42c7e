/**
 * The shape of a command in the commands table.
 *
 * @module
 */
import type { CliIO } from '../io.js';

/**
 * A command (`bench`, `serve`) or a command with sub-commands (`validate` with its families).
 * @example { name: 'bench', summary: 'measure throughput', help: () => '...', run: async (args, io) => 0 }
 */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Sub-commands: the second word (`validate metrics`). */
  readonly subcommands?: readonly Command[];
  /** The full help text (`dt-ingest <command> --help`). */
  help(): string;
  /** Runs the command with the arguments after its name; resolves with the exit code. */
  run?(args: readonly string[], io: CliIO): Promise<number>;
}
