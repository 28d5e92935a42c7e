/**
 * `dt-ingest build-native`: compiles the C++ addon from the package's sources with this machine's
 * compiler (`scripts/build-native.mjs`, shipped with the package). The prebuilt binaries come as
 * optional platform packages and nothing compiles at install time; this command is the explicit
 * opt-in for a platform without one, or to build with the local toolchain. The loader prefers its
 * build (`native/build/Release/`) to the platform package.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError, formatHelp, parseFlags, type FlagGroup } from '../flags.js';
import { IoError, type CliIO } from '../io.js';
import { packageRoot } from '../version.js';
import { HELP_FLAG } from './common.js';
import type { Command } from './types.js';

const GROUPS: readonly FlagGroup[] = [{ title: 'Help', flags: [HELP_FLAG] }];

const HELP = formatHelp(
  ['dt-ingest build-native'],
  "Compiles the native addon from the package's sources (node-gyp, offline with this Node's headers) into\nnative/build/Release of the installed package; it is then preferred to the prebuilt platform package.\nNeeds a C++ compiler, make and python3. nativeStatus() says which binary is loaded.",
  GROUPS,
  'Exit codes: 0 built, 1 the build failed (its output says why), 2 usage error.',
);

async function runBuildNative(args: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseFlags(args, GROUPS);
  if (parsed.positionals.length > 0) throw new UsageError(`build-native takes no arguments, not '${parsed.positionals[0]}'`);
  const root = packageRoot();
  const script = root === undefined ? undefined : join(root, 'scripts', 'build-native.mjs');
  if (script === undefined || !existsSync(script)) throw new IoError('scripts/build-native.mjs is not in this copy of dt-ingest');
  return new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: io.env ?? process.env });
    child.stdout.on('data', (d: Buffer) => io.stdout.write(d));
    child.stderr.on('data', (d: Buffer) => io.stderr.write(d));
    child.on('error', (err) => reject(new IoError(`cannot run ${script}: ${err.message}`)));
    child.on('close', (code) => resolve(code === 0 ? 0 : 1));
  });
}

/** `dt-ingest build-native`, for the commands table. */
export const BUILD_NATIVE_COMMAND: Command = {
  name: 'build-native',
  summary: 'compile the native addon from source (an explicit opt-in; prebuilt binaries need none)',
  help: () => HELP,
  run: runBuildNative,
};
