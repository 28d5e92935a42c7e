/**
 * Running the CLI in-process (`runCli` with in-memory streams) and in a child process (the CLI
 * bundled from the sources with esbuild, so no stale dist/ is tested), and scratch directories.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { NATIVE_DEFINE } from '../../helpers/native-define.js';
import { runCli } from '../../../src/cli/main.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const NOW = 1_700_000_000_000;
export const EXAMPLE = join(ROOT, 'examples/metrics.txt');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunSettings {
  stdin?: string | Uint8Array;
  env?: Record<string, string | undefined>;
  cwd?: string;
  stdinIsTTY?: boolean;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
}

/** Runs the CLI in this process; the environment is only what `env` says (no NO_COLOR leaks in). */
export async function run(argv: string[], s: RunSettings = {}): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const input = s.stdin === undefined ? [] : [Buffer.from(s.stdin)];
  const code = await runCli(argv, {
    stdin: Readable.from(input),
    stdout,
    stderr,
    stdinIsTTY: s.stdinIsTTY ?? false,
    stdoutIsTTY: s.stdoutIsTTY ?? false,
    stderrIsTTY: s.stderrIsTTY ?? false,
    env: s.env ?? {},
    cwd: s.cwd ?? ROOT,
  });
  return { code, stdout: out, stderr: err };
}

/** A scratch directory with the given files (relative path → content). */
export function scratch(files: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'dt-ingest-cli-'));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

let bundled: Promise<string> | undefined;

/**
 * The CLI bundled from the sources into one CommonJS file, and a runner script that calls it with the
 * process's own streams and reports the peak RSS on stderr (`@@maxrss <kB>`) when REPORT_RSS=1.
 */
export function cliBundle(): Promise<string> {
  bundled ??= (async () => {
    // inside the package (under node_modules/.cache), so that the native loader finds the addon
    // by walking up to package.json, as it does from dist/ (DT_INGEST_NATIVE=1 requires it)
    const cache = join(ROOT, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, 'dt-ingest-cli-bundle-'));
    const outfile = join(dir, 'cli.cjs');
    // import.meta.url as tsup's shims give it in dist/cli.cjs
    await build({
      entryPoints: [join(ROOT, 'src/cli/main.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile,
      logLevel: 'silent',
      define: { 'import.meta.url': 'importMetaUrl', ...NATIVE_DEFINE },
      banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    });
    const runner = join(dir, 'run.cjs');
    writeFileSync(
      runner,
      `process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
const { runCli } = require(${JSON.stringify(outfile)});
runCli(process.argv.slice(2)).then((code) => {
  if (process.env.REPORT_RSS === '1') process.stderr.write('@@maxrss ' + process.resourceUsage().maxRSS + '\\n');
  process.exitCode = code;
});
`,
    );
    return runner;
  })();
  return bundled;
}

/** Removes the bundle of {@link cliBundle}, if one was made. */
export async function disposeCliBundle(): Promise<void> {
  if (bundled === undefined) return;
  const runner = await bundled;
  bundled = undefined;
  rmSync(dirname(runner), { recursive: true, force: true });
}
