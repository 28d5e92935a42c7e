/**
 * The commands table: what `dt-ingest <command>` dispatches to, and what the top-level help lists.
 *
 * @module
 */
import { ANALYZE_COMMAND } from './analyze.js';
import { BENCH_COMMAND } from './bench.js';
import { BUILD_NATIVE_COMMAND } from './build-native.js';
import { CONVERT_COMMAND } from './convert.js';
import { FIX_COMMAND } from './fix.js';
import { INIT_COMMAND } from './init.js';
import { SERVE_COMMAND } from './serve.js';
import type { Command } from './types.js';
import { VALIDATE_COMMAND } from './validate.js';

/** Every command, in help order. */
export const COMMANDS: readonly Command[] = [
  VALIDATE_COMMAND,
  FIX_COMMAND,
  CONVERT_COMMAND,
  ANALYZE_COMMAND,
  BENCH_COMMAND,
  SERVE_COMMAND,
  INIT_COMMAND,
  BUILD_NATIVE_COMMAND,
];

export type { Command } from './types.js';
