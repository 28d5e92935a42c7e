/**
 * `dt-ingest serve`: registered here, run by `src/serve/cli.ts` (which imports only the CLI's shared
 * helpers, never the dispatcher).
 *
 * @module
 */
import { SERVE_HELP, serveCommand } from '../../serve/cli.js';
import type { Command } from './types.js';

/** `dt-ingest serve`. */
export const SERVE_COMMAND: Command = {
  name: 'serve',
  summary: 'run a local ingest endpoint (mock) or a validating proxy',
  help: () => SERVE_HELP,
  run: serveCommand,
};
