/**
 * Memory and I/O failures, in child processes running the CLI bundled from the sources: a million
 * findings into a reader that pauses stay within a constant memory (back-pressure), a JSON body on
 * standard input is not read whole past its limit, millions of warnings are not collected, and every
 * I/O failure (a missing directory, a closed pipe) is one line and exit code 2.
 *
 * The memory bounds are generous (a few times the CLI's steady state); what they catch is growth with
 * the input, which is tens to hundreds of times larger.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeAvailable } from '../../../src/index.js';
import { cliBundle, disposeCliBundle, run, scratch } from './helpers.js';

afterAll(disposeCliBundle);

interface ChildResult {
  code: number | null;
  stderr: string;
  /** Peak resident set size of the child, MB. */
  maxRssMb: number;
  stdoutBytes: number;
  stdoutLines: number;
}

/** Peak RSS allowed for a CLI run whose memory must not grow with its input or output. */
const RSS_BOUND_MB = 200;

/**
 * Runs the bundled CLI; `stdin` chunks are written with back-pressure; stdout is not read for
 * `pauseMs`, then read to the end (counting lines), or destroyed after the first chunk (`closeEarly`).
 */
async function child(argv: string[], o: { stdin?: () => Generator<Uint8Array>; pauseMs?: number; closeEarly?: boolean } = {}): Promise<ChildResult> {
  const runner = await cliBundle();
  const p = spawn(process.execPath, [runner, ...argv], { env: { ...process.env, REPORT_RSS: '1', NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (d) => (stderr += d));
  let stdoutBytes = 0;
  let stdoutLines = 0;
  const read = (): void => {
    p.stdout.on('data', (d: Buffer) => {
      stdoutBytes += d.length;
      for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) stdoutLines++;
      if (o.closeEarly === true) p.stdout.destroy();
    });
  };
  if (o.pauseMs !== undefined) setTimeout(read, o.pauseMs);
  else read();
  p.stdin.on('error', () => undefined);
  if (o.stdin !== undefined) {
    (async () => {
      for (const chunk of o.stdin!()) {
        if (!p.stdin.write(chunk)) await new Promise((r) => p.stdin.once('drain', r));
        if (p.exitCode !== null) break;
      }
      p.stdin.end();
    })().catch(() => undefined);
  } else p.stdin.end();
  const code = await new Promise<number | null>((resolve) => p.on('close', (c) => resolve(c)));
  const rss = /@@maxrss (\d+)/.exec(stderr);
  return { code, stderr: stderr.replace(/@@maxrss \d+\n/, ''), maxRssMb: rss ? Number(rss[1]) / 1024 : Number.NaN, stdoutBytes, stdoutLines };
}

function* repeat(line: string, times: number): Generator<Uint8Array> {
  const block = Buffer.from(line.repeat(4096));
  for (let i = 0; i < times; i += 4096) yield i + 4096 <= times ? block : Buffer.from(line.repeat(times - i));
}

const MILLION = 1_000_000;

describe('constant memory', () => {
  const dir = scratch();
  const findings = join(dir, 'million.txt');
  writeFileSync(findings, 'bad\n'.repeat(MILLION));

  for (const format of ['json', 'stylish']) {
    it(`a million findings as ${format} into a reader that pauses: peak RSS stays bounded, nothing lost`, async () => {
      const r = await child(['validate', 'metrics', findings, '-f', format], { pauseMs: 1500 });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      // one line per finding (json: plus the array and file lines; stylish: plus heading and summary)
      expect(r.stdoutLines).toBeGreaterThanOrEqual(MILLION);
      expect(r.stdoutLines).toBeLessThan(MILLION + 10);
      expect(r.maxRssMb).toBeLessThan(RSS_BOUND_MB);
    }, 120_000);
  }

  it('validate events - does not read standard input whole past the body limit', async () => {
    // 200 MB of one JSON string on stdin: a 413 computed from the count, without keeping the bytes
    const body = function* (): Generator<Uint8Array> {
      yield Buffer.from('["');
      yield* repeat('x', 200 * 1024 * 1024);
      yield Buffer.from('"]');
    };
    const r = await child(['validate', 'events', '-', '-f', 'dynatrace'], { stdin: body });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.maxRssMb).toBeLessThan(RSS_BOUND_MB);
  }, 120_000);

  it('millions of warnings are not collected (dynatrace: the 413 of a body over the limit lists nothing)', async () => {
    const lines = 3_000_000;
    const d = await child(['validate', 'metrics', '-', '-f', 'dynatrace'], { stdin: () => repeat('requests count,delta=1\n', lines) });
    expect(d.code).toBe(1);
    expect(d.maxRssMb).toBeLessThan(RSS_BOUND_MB);
  }, 120_000);
});

describe('the bundled CLI', () => {
  it('registers the native backend as the package does (a bundle of the sources keeps src/node.ts)', async () => {
    const runner = await cliBundle();
    const file = join(scratch(), 'one.txt');
    writeFileSync(file, 'cpu.temp,host=a 1\n');
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [runner, 'validate', 'metrics', file, '--backend', 'native'], { env: process.env });
      let stderr = '';
      p.stderr.on('data', (d) => (stderr += d));
      p.on('close', (code) => resolve({ code, stderr }));
    });
    // the child sees the same DT_INGEST_NATIVE: with the addon the file is judged on it (exit 0),
    // without (DT_INGEST_NATIVE=0, no build) the one line that says why (exit 2)
    if (nativeAvailable()) expect(r).toEqual({ code: 0, stderr: '' });
    else expect(r.code).toBe(2);
  }, 120_000);
});

describe('I/O failures: one line, exit 2', () => {
  it('an output file in a missing directory (validate -o, fix --output)', async () => {
    const dir = scratch({ 'a.txt': 'ok.metric 1\n' });
    for (const argv of [
      ['validate', 'metrics', 'a.txt', '-o', '/no/such/dir/x.txt'],
      ['fix', 'metrics', 'a.txt', '--output', '/no/such/dir/x.txt'],
    ]) {
      const r = await run(argv, { cwd: dir });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toBe("dt-ingest: cannot write '/no/such/dir/x.txt': no such file or directory\n");
      const c = await child([...argv.slice(0, 2), join(dir, 'a.txt'), ...argv.slice(3)]);
      expect(c.code).toBe(2);
      expect(c.stderr).toBe("dt-ingest: cannot write '/no/such/dir/x.txt': no such file or directory\n");
    }
  }, 60_000);

  it('a reader that closes the pipe (EPIPE)', async () => {
    const dir = scratch();
    const findings = join(dir, 'findings.txt');
    writeFileSync(findings, 'bad\n'.repeat(200_000));
    const valid = join(dir, 'valid.txt');
    writeFileSync(valid, 'ok.metric 1\n'.repeat(200_000));
    for (const argv of [
      ['validate', 'metrics', findings, '-f', 'json'],
      ['fix', 'metrics', valid],
    ]) {
      const r = await child(argv, { closeEarly: true });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toBe('dt-ingest: cannot write to standard output: the reader closed the pipe (EPIPE)\n');
    }
  }, 60_000);

  it('a directory where a file was expected to be written', async () => {
    const dir = scratch({ 'a.txt': 'ok.metric 1\n' });
    const r = await run(['validate', 'metrics', 'a.txt', '-o', dir], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`dt-ingest: cannot write '${dir}': is a directory\n`);
  });
});
