/**
 * Commands beyond `validate`: `fix`, `serve`.
 *
 * @module
 */
import type { CliIO } from './main.js';
import { serveCommand } from '../serve/cli.js';

/** Extra commands by name. */
export const extraCommands: Map<string, (args: readonly string[], io: CliIO) => Promise<number>> = new Map();

extraCommands.set('serve', serveCommand);
