/**
 * The report formats, one module each, as a table: the `--format` flag, the help text and the
 * commands all read it.
 *
 * @module
 */
import { DYNATRACE_FORMAT } from './dynatrace.js';
import { GITHUB_FORMAT } from './github.js';
import { JSON_FORMAT } from './json.js';
import { JUNIT_FORMAT } from './junit.js';
import { SARIF_FORMAT } from './sarif.js';
import { STYLISH } from './stylish.js';
import type { FormatDefinition } from './types.js';

/** Every format by name, in help order (the first is the default). */
export const FORMATS: ReadonlyMap<string, FormatDefinition> = new Map(
  [STYLISH, JSON_FORMAT, SARIF_FORMAT, GITHUB_FORMAT, JUNIT_FORMAT, DYNATRACE_FORMAT].map((f) => [f.name, f]),
);

/** The default format. */
export const DEFAULT_FORMAT = 'stylish';

export type { FormatDefinition, Reporter, Finding, FileOutcome, RequestOutcome, RunInfo, RunSummary, Counts } from './types.js';
