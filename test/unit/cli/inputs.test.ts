/**
 * Inputs: several files, globs expanded by the CLI (quoted, so no shell expands them), directories with
 * --ext, standard input as '-' or --stdin, a clear message instead of a wait when standard input is a
 * terminal; each file judged on its own, the exit code the worst of all.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW, run, scratch } from './helpers.js';

const CLEAN = 'cpu.temp,host=a 1\n';
const BAD = 'cpu.temp,host=a 1\nbad\n';

interface FileResult {
  filePath: string;
  errorCount: number;
  status: number;
}

async function json(argv: string[], cwd: string, stdin?: string): Promise<{ code: number; files: FileResult[]; stderr: string }> {
  const r = await run([...argv, '-f', 'json', '--now', String(NOW)], stdin === undefined ? { cwd } : { cwd, stdin });
  return { code: r.code, files: r.code === 2 ? [] : (JSON.parse(r.stdout) as FileResult[]), stderr: r.stderr };
}

describe('inputs', () => {
  const dir = scratch({
    'a.txt': CLEAN,
    'b.txt': BAD,
    'nested/c.txt': CLEAN,
    'nested/d.dt': CLEAN,
    'nested/skip.json': '{}',
    'node_modules/x.txt': BAD,
    '.hidden/e.txt': BAD,
    'weird[1].txt': CLEAN,
  });

  it('several files, each judged on its own; the exit code is the worst', async () => {
    const clean = await json(['validate', 'metrics', 'a.txt', 'nested/c.txt'], dir);
    expect(clean.code).toBe(0);
    expect(clean.files.map((f) => f.filePath)).toEqual([join(dir, 'a.txt'), join(dir, 'nested/c.txt')]);
    const mixed = await json(['validate', 'metrics', 'a.txt', 'b.txt', 'nested/c.txt'], dir);
    expect(mixed.code).toBe(1);
    expect(mixed.files.map((f) => [f.errorCount, f.status])).toEqual([
      [0, 202],
      [1, 400],
      [0, 202],
    ]);
  });

  it('globs are expanded by the CLI, sorted, without node_modules and dot folders', async () => {
    const r = await json(['validate', 'metrics', '**/*.txt'], dir);
    expect(r.files.map((f) => f.filePath)).toEqual([join(dir, 'a.txt'), join(dir, 'b.txt'), join(dir, 'nested/c.txt'), join(dir, 'weird[1].txt')]);
    const braces = await json(['validate', 'metrics', 'nested/*.{txt,dt}'], dir);
    expect(braces.files.map((f) => f.filePath)).toEqual([join(dir, 'nested/c.txt'), join(dir, 'nested/d.dt')]);
  });

  it('an existing file whose name has glob characters is that file', async () => {
    const r = await json(['validate', 'metrics', 'weird[1].txt'], dir);
    expect(r.files.map((f) => f.filePath)).toEqual([join(dir, 'weird[1].txt')]);
  });

  it('a directory gives its files with the extensions (default .txt,.dt; --ext sets them)', async () => {
    const r = await json(['validate', 'metrics', 'nested'], dir);
    expect(r.files.map((f) => f.filePath)).toEqual([join(dir, 'nested/c.txt'), join(dir, 'nested/d.dt')]);
    const only = await json(['validate', 'metrics', 'nested', '--ext', 'dt'], dir);
    expect(only.files.map((f) => f.filePath)).toEqual([join(dir, 'nested/d.dt')]);
    const events = await json(['validate', 'events', 'nested'], dir);
    expect(events.files.map((f) => f.filePath)).toEqual([join(dir, 'nested/skip.json')]);
  });

  it('the same file named twice is judged once', async () => {
    const r = await json(['validate', 'metrics', 'a.txt', './a.txt', '*.txt'], dir);
    expect(r.files.map((f) => f.filePath)).toEqual([join(dir, 'a.txt'), join(dir, 'b.txt'), join(dir, 'weird[1].txt')]);
  });

  it('standard input as - or --stdin, named by --stdin-filename', async () => {
    for (const argv of [['-'], ['--stdin']]) {
      const r = await json(['validate', 'metrics', ...argv], dir, BAD);
      expect(r.code).toBe(1);
      expect(r.files.map((f) => f.filePath)).toEqual(['<stdin>']);
    }
    const named = await json(['validate', 'metrics', '-', '--stdin-filename', 'payload.txt', 'a.txt'], dir, BAD);
    expect(named.files.map((f) => f.filePath)).toEqual(['payload.txt', join(dir, 'a.txt')]);
  });

  it('with no input on a terminal: a clear message, exit 2, no wait', async () => {
    const r = await run(['validate', 'metrics'], { cwd: dir, stdinIsTTY: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("dt-ingest: no input: give a FILE, a glob or a directory, or --stdin (or '-') and pipe a body in\n");
  });

  it('with no input and standard input not a terminal (CI): --stdin is required, as in ESLint; the empty input is not judged', async () => {
    for (const command of [
      ['validate', 'metrics'],
      ['validate', 'events'],
      ['fix', 'metrics'],
    ]) {
      const r = await run(command, { cwd: dir, stdin: BAD });
      expect(r.code, command.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe("dt-ingest: no input: give a FILE, a glob or a directory; standard input is read only with --stdin (or '-')\n");
    }
  });

  it('mistakes: no match, missing file, empty directory, stdin twice, fix takes one input', async () => {
    const cases: [string[], RegExp][] = [
      [['validate', 'metrics', 'nothing/*.txt'], /^dt-ingest: no files match 'nothing\/\*\.txt'\n$/],
      [['validate', 'metrics', 'missing.txt'], /^dt-ingest: cannot read 'missing.txt': no such file or directory\n$/],
      [['validate', 'metrics', 'a.txt', 'missing.txt'], /cannot read 'missing.txt'/],
      [['validate', 'metrics', 'nested', '--ext', '.csv'], /no files with extension \.csv in directory 'nested'/],
      [['validate', 'metrics', '-', '--stdin'], /standard input given twice/],
      [['fix', 'metrics', 'a.txt', 'b.txt'], /one input at a time: got 'a.txt' and 'b.txt'/],
      [['fix', 'metrics', 'nested'], /one input at a time/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv, { cwd: dir, stdin: '' });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });

  it('report paths are relative to the working directory in stylish, absolute in json', async () => {
    const r = await run(['validate', 'metrics', 'b.txt', '--now', String(NOW)], { cwd: dir });
    expect(r.stdout).toMatch(/^\nb\.txt\n/);
  });

  it('logs: a .jsonl or .ndjson file is judged as JSON lines, a .log file as text, without --content-type', async () => {
    const record = (n: number): string => JSON.stringify({ content: `line ${n}`, timestamp: new Date(NOW).toISOString() });
    const lines = `${record(1)}\n${record(2)}\n`;
    const logs = scratch({ 'a.jsonl': lines, 'b.ndjson': lines, 'c.log': 'plain text line\nanother\n', 'd.json': lines });
    const inferred = await json(['validate', 'logs', 'a.jsonl', 'b.ndjson', 'c.log'], logs);
    expect(inferred.files.map((f) => [f.errorCount, f.status])).toEqual([
      [0, 204],
      [0, 204],
      [0, 204],
    ]);
    expect(inferred.code).toBe(0);
    // a .json file is one JSON document: two lines of records are malformed JSON there
    const asJson = await json(['validate', 'logs', 'd.json'], logs);
    expect(asJson.files[0]!.status).toBe(400);
    // --content-type still wins over the extension
    const named = await json(['validate', 'logs', 'a.jsonl', '--content-type', 'application/json'], logs);
    expect(named.files[0]!.status).toBe(400);
    expect((await run(['validate', 'logs', '--help'])).stdout).toContain('.jsonl: application/jsonl');
  });
});
