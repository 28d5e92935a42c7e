/**
 * What every command shares for input and output: the {@link CliIO} it runs against, the inputs it
 * judges ({@link resolveInputs}: files, globs expanded here so quoting works the same in every shell,
 * directories, standard input), the report sink that respects back-pressure ({@link OutputSink}), the
 * progress line and the colour switch. Commands import this module; it imports no command.
 *
 * @module
 */
import { createReadStream, createWriteStream, openSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { UsageError } from './flags.js';

/**
 * Where the CLI reads and writes. Only the streams are required; the rest default to "not a
 * terminal", the process environment and the current directory.
 *
 * @example await runCli(['validate', 'metrics', '-'], { stdin, stdout, stderr })
 */
export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Standard input is a terminal: with no FILE the CLI then says so instead of waiting. */
  stdinIsTTY?: boolean;
  /** Standard output is a terminal: colours are on by default. */
  stdoutIsTTY?: boolean;
  /** Standard error is a terminal: the progress line is shown. */
  stderrIsTTY?: boolean;
  /** Environment (`NO_COLOR`, `FORCE_COLOR`); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Directory that relative paths, globs and report paths start from; default `process.cwd()`. */
  cwd?: string;
}

/**
 * An I/O failure (unreadable input, unwritable output, a closed pipe): one line, exit code 2.
 * @example throw new IoError("cannot write 'out.json': no such directory")
 */
export class IoError extends Error {
  override readonly name = 'IoError';
}

/**
 * The words for an errno code, in the one-line message of an I/O failure.
 * @example describeIoError(Object.assign(new Error('x'), { code: 'ENOENT' })) // 'no such file or directory'
 */
export function describeIoError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EPIPE':
      return 'the reader closed the pipe (EPIPE)';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

// --- inputs ------------------------------------------------------------------------------------------

/**
 * One input to judge.
 * @example { kind: 'file', path: '/repo/a.txt', name: 'a.txt', size: 120 }
 */
export interface InputRef {
  readonly kind: 'file' | 'stdin';
  /** Absolute path (files), or the `--stdin-filename` / `<stdin>` name. */
  readonly path: string;
  /** As shown in reports: relative to the working directory when inside it. */
  readonly name: string;
  /** Size in bytes when known (files), for the progress line. */
  readonly size: number | undefined;
}

/**
 * How to find the inputs.
 * @example { patterns: ['payloads/'], extensions: ['.txt'], stdin: false, cwd: process.cwd() }
 */
export interface InputQuery {
  /** Positional arguments: files, globs, directories, or `-` for standard input. */
  readonly patterns: readonly string[];
  /** Extensions of the files taken from a directory (`.txt`). */
  readonly extensions: readonly string[];
  /** `--stdin` was given. */
  readonly stdin: boolean;
  /** Name of standard input in reports. */
  readonly stdinName?: string | undefined;
  readonly cwd: string;
  /** Standard input is a terminal (only changes the words of the no-input error). */
  readonly stdinIsTTY: boolean;
  /** The command takes at most one input (`fix`). */
  readonly single?: boolean;
  /** Directory the patterns start from when not `cwd` (the configuration file's, for its `files`). */
  readonly base?: string;
  /** Globs left out of glob and directory expansions (the configuration's `ignores`). */
  readonly ignore?: readonly string[];
}

/** The name standard input has in reports unless `--stdin-filename` says otherwise. */
export const STDIN_NAME = '<stdin>';

function displayName(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function fileRef(cwd: string, path: string, size: number): InputRef {
  return { kind: 'file', path, name: displayName(cwd, path), size };
}

/**
 * Expands the positional arguments into the inputs, in order, without duplicates: `-` is standard
 * input; an existing file is itself; a directory gives its files with one of `extensions`
 * (recursively, skipping dot folders and `node_modules`); anything else with glob characters is
 * a glob, expanded here (tinyglobby) so that quoting works the same in every shell. Standard input
 * is read only with `--stdin` or `-` (as ESLint). Throws {@link UsageError} for no input at all and
 * for a name that matches nothing.
 *
 * @example resolveInputs({ patterns: ['payloads/*.txt'], extensions: ['.txt'], stdin: false, cwd, stdinIsTTY: false })
 */
export function resolveInputs(q: InputQuery): InputRef[] {
  const out: InputRef[] = [];
  const seen = new Set<string>();
  let stdinSeen = false;
  const addStdin = (): void => {
    if (stdinSeen) throw new UsageError("standard input given twice ('-' or --stdin)");
    stdinSeen = true;
    out.push({ kind: 'stdin', path: q.stdinName ?? STDIN_NAME, name: q.stdinName ?? STDIN_NAME, size: undefined });
  };
  const addFile = (path: string, size: number): void => {
    if (seen.has(path)) return;
    seen.add(path);
    out.push(fileRef(q.cwd, path, size));
  };
  if (q.stdin) addStdin();
  for (const pattern of q.patterns) {
    if (pattern === '-') {
      addStdin();
      continue;
    }
    const base = q.base ?? q.cwd;
    const path = resolve(base, pattern);
    let stat: Stats | undefined;
    try {
      stat = statSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new IoError(`cannot read '${pattern}': ${describeIoError(err)}`);
    }
    if (stat?.isDirectory()) {
      const found = expandDirectory(path, q.extensions, q.ignore ?? []);
      if (found.length === 0) throw new UsageError(`no files with extension ${q.extensions.join(', ')} in directory '${pattern}' (set --ext)`);
      for (const f of found) addFile(f, statSync(f).size);
    } else if (stat !== undefined) {
      addFile(path, stat.size);
    } else if (isDynamicPattern(pattern)) {
      const found = globSync(pattern, {
        cwd: base,
        absolute: true,
        onlyFiles: true,
        dot: false,
        ignore: ['**/node_modules/**', ...(q.ignore ?? [])],
        expandDirectories: false,
      }).sort();
      if (found.length === 0) throw new UsageError(`no files match '${pattern}'`);
      for (const f of found) addFile(resolve(f), statSync(f).size);
    } else {
      throw new IoError(`cannot read '${pattern}': no such file or directory`);
    }
  }
  // as ESLint: standard input is read only when asked for, never because it is not a terminal (in CI
  // it never is, and an empty one would be judged)
  if (out.length === 0) {
    throw new UsageError(
      q.stdinIsTTY
        ? "no input: give a FILE, a glob or a directory, or --stdin (or '-') and pipe a body in"
        : "no input: give a FILE, a glob or a directory; standard input is read only with --stdin (or '-')",
    );
  }
  if (q.single === true && out.length > 1) throw new UsageError(`one input at a time: got '${out[0]!.name}' and '${out[1]!.name}'`);
  return out;
}

function expandDirectory(dir: string, extensions: readonly string[], ignore: readonly string[]): string[] {
  const patterns = extensions.map((e) => `**/*${e.startsWith('.') ? e : `.${e}`}`);
  return globSync(patterns, {
    cwd: dir,
    absolute: false,
    onlyFiles: true,
    dot: false,
    ignore: ['**/node_modules/**', ...ignore],
    expandDirectories: false,
  })
    .map((f) => join(dir, f.split('/').join(sep)))
    .sort();
}

/** Bytes read per chunk: small enough that the report written for one chunk stays small. */
export const READ_CHUNK_BYTES = 64 * 1024;

/**
 * The bytes of an input as a stream. A file is opened here, so a failure is one line.
 * @example for await (const chunk of openInput(ref, io)) validator.push(chunk)
 */
export function openInput(ref: InputRef, io: CliIO): Readable {
  if (ref.kind === 'stdin') return io.stdin;
  try {
    const fd = openSync(ref.path, 'r');
    return createReadStream(ref.path, { fd, highWaterMark: READ_CHUNK_BYTES });
  } catch (err) {
    throw new IoError(`cannot read '${ref.name}': ${describeIoError(err)}`);
  }
}

/**
 * Reads a whole input chunk by chunk; a read error becomes an {@link IoError}.
 * @example for await (const chunk of readChunks(stream, ref)) total += chunk.length
 */
export async function* readChunks(stream: Readable, ref: InputRef): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
  } catch (err) {
    throw new IoError(`cannot read '${ref.name}': ${describeIoError(err)}`);
  }
}

/** Bytes at the start of an input looked at for a NUL byte (as git decides that a file is binary). */
export const BINARY_SNIFF_BYTES = 8000;

/** The hint for an input that looks binary. */
export const BINARY_HINT =
  'this looks like a binary file (a NUL byte in its first 8000 bytes), not a text payload: check the file name or the --ext patterns, or decompress it first';

/**
 * Looks at the first {@link BINARY_SNIFF_BYTES} bytes of an input, chunk by chunk, for a NUL byte:
 * payloads are text, so one means a binary file (an archive, an image) was given by mistake.
 * @example const b = new BinarySniffer(); b.look(chunk); if (b.seen) hint(BINARY_HINT);
 */
export class BinarySniffer {
  /** A NUL byte was seen. */
  seen = false;
  private left = BINARY_SNIFF_BYTES;

  /** Looks at the next chunk (nothing is done past the first bytes). */
  look(chunk: Uint8Array): void {
    if (this.left <= 0 || this.seen) return;
    const n = Math.min(this.left, chunk.length);
    this.seen = chunk.subarray(0, n).includes(0);
    this.left -= n;
  }
}

// --- output ------------------------------------------------------------------------------------------

/** Text gathered before one write to the stream: one write per 64 KB instead of one per finding. */
const SINK_BATCH_CHARS = 64 * 1024;

/**
 * Where a report goes. `write` gathers text and hands it to the stream in batches; `drain()` waits
 * until the stream has taken it (back-pressure: the command awaits it after each input chunk, so a
 * slow reader slows the CLI instead of filling memory). A stream error (EPIPE, a full disk) stops
 * further writes and makes `drain()` and `close()` throw an {@link IoError}.
 *
 * @example
 * const sink = new OutputSink(process.stdout, 'standard output');
 * sink.write('hello\n'); await sink.drain(); await sink.close();
 */
export class OutputSink {
  private buffer = '';
  private failure: Error | undefined;
  private readonly owned: boolean;
  private readonly onError = (err: Error): void => {
    this.failure ??= err;
  };

  /**
   * @param out the stream
   * @param name how errors name it (`'out.sarif'`, `'standard output'`)
   * @param owned end the stream on {@link close} (a file opened for the report)
   * @param beforeWrite called before text reaches the stream (clears the progress line)
   */
  constructor(
    readonly out: Writable,
    readonly name: string,
    owned = false,
    private readonly beforeWrite?: () => void,
  ) {
    this.owned = owned;
    out.on('error', this.onError);
  }

  /**
   * Opens FILE for writing (created or truncated now, so a bad path fails before any work).
   * @example const sink = OutputSink.toFile('report.sarif')
   */
  static toFile(path: string, cwd: string): OutputSink {
    let fd: number;
    try {
      fd = openSync(resolve(cwd, path), 'w');
    } catch (err) {
      throw new IoError(`cannot write '${path}': ${describeIoError(err)}`);
    }
    return new OutputSink(createWriteStream('', { fd }), path, true);
  }

  /** Adds text to the report. */
  write(text: string): void {
    if (this.failure !== undefined) return;
    this.buffer += text;
    if (this.buffer.length >= SINK_BATCH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.buffer === '' || this.failure !== undefined) return;
    this.beforeWrite?.();
    const text = this.buffer;
    this.buffer = '';
    try {
      this.out.write(text);
    } catch (err) {
      this.failure ??= err as Error;
    }
  }

  private fail(): never {
    throw new IoError(`cannot write to ${this.name}: ${describeIoError(this.failure)}`);
  }

  /** Waits until the stream has taken what was written (its buffer is below its high-water mark). */
  async drain(): Promise<void> {
    this.flush();
    if (this.failure !== undefined) this.fail();
    if (!this.out.writableNeedDrain) return;
    await new Promise<void>((done) => {
      const finish = (): void => {
        this.out.off('drain', finish);
        this.out.off('error', finish);
        this.out.off('close', finish);
        done();
      };
      this.out.on('drain', finish);
      this.out.on('error', finish);
      this.out.on('close', finish);
    });
    if (this.failure !== undefined) this.fail();
  }

  /**
   * Flushes; ends the stream when the sink owns it (and waits until the file is written). A stream
   * the sink does not own (standard output) is left open, without the sink's listener, so that a
   * process running the CLI many times does not gather listeners.
   */
  async close(): Promise<void> {
    try {
      await this.drain();
      if (!this.owned) return;
      await new Promise<void>((done) => {
        this.out.once('error', () => done());
        this.out.end(() => done());
      });
      if (this.failure !== undefined) this.fail();
    } finally {
      if (!this.owned) this.out.off('error', this.onError);
    }
  }
}

// --- progress and colour -----------------------------------------------------------------------------

/**
 * The progress line on a terminal's stderr.
 * @example const p = createProgress(io); p.update('a.txt', 1e6, 3e6); p.clear();
 */
export interface Progress {
  /** Shows `name: N MB read (P%)` at most four times a second. */
  update(name: string, bytes: number, size: number | undefined): void;
  /** Removes the line (before a report is printed, and at the end). */
  clear(): void;
}

/** Milliseconds between two progress updates. */
const PROGRESS_INTERVAL_MS = 250;

/**
 * A progress line on stderr when stderr is a terminal; a no-op otherwise.
 * @example createProgress({ ...io, stderrIsTTY: true })
 */
export function createProgress(io: CliIO): Progress {
  if (io.stderrIsTTY !== true) return { update() {}, clear() {} };
  let last = 0;
  let shown = false;
  return {
    update(name, bytes, size) {
      const t = Date.now();
      if (t - last < PROGRESS_INTERVAL_MS) return;
      last = t;
      shown = true;
      const pct = size ? ` (${Math.floor((bytes / size) * 100)}%)` : '';
      io.stderr.write(`\r\x1b[Kdt-ingest: ${name}: ${(bytes / 1e6).toFixed(1)} MB read${pct}`);
    },
    clear() {
      if (!shown) return;
      shown = false;
      io.stderr.write('\r\x1b[K');
    },
  };
}

/** `FORCE_COLOR` values that turn colour on, as Node reads them (any other value turns it off). */
const FORCE_COLOR_ON: readonly string[] = ['', '1', '2', '3', 'true'];

/**
 * Whether the report is coloured: `--color`/`--no-color` first, then `FORCE_COLOR` as Node reads it
 * (`''`, `1`, `2`, `3`, `true` on; any other value off; it overrides `NO_COLOR`), then `NO_COLOR`
 * (any non-empty value turns colour off, no-color.org), else colour when the report goes to a
 * terminal.
 *
 * @example useColor(undefined, { NO_COLOR: '1' }, true) // false
 */
export function useColor(flag: boolean | undefined, env: Readonly<Record<string, string | undefined>>, toTerminal: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return FORCE_COLOR_ON.includes(force);
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return toTerminal;
}
