/**
 * Help text and version of the CLI.
 *
 * @module
 */
import { METRICS_DEFAULTS } from '../protocol/options.js';
import { kebab } from './args.js';

/** The package version (kept in step with package.json by the release script). */
export const VERSION = '0.1.0';

const metricsFlags = Object.entries(METRICS_DEFAULTS)
  .map(([k, v]) => `    --${kebab(k)}${typeof v === 'boolean' ? `  (switch, default ${v}; --no-${kebab(k)})` : `  <${typeof v}>  (default ${v})`}`)
  .join('\n');

/** `dt-ingest --help`. */
export const COMMANDS_HELP = `dt-ingest ${VERSION}: validate Dynatrace ingest payloads as the endpoints judge them

Usage:
  dt-ingest validate metrics [FILE|-] [--format stylish|json|dynatrace] [--now <epoch-ms>] [option flags]
  dt-ingest validate events|smartscape|synthetic [FILE|-] [--format ...] [--now <epoch-ms>]
  dt-ingest validate custom-device --id <customDeviceId> [FILE|-] [--format ...] [--now <epoch-ms>]
  dt-ingest fix metrics [FILE|-] [--output FILE] [option flags]
  dt-ingest serve [--port N] [--host H] [--mode mock|proxy] [--upstream URL] ...

Formats:
  stylish    one line per problem with line:column (default)
  json       the problems as a JSON array
  dynatrace  the endpoint's answer: {"status": N, "body": ...}

Exit codes: 0 no invalid input, 1 invalid input found, 2 usage or I/O error.

Metrics option flags (see README, "Options"):
${metricsFlags}
`;
