/**
 * What the user controls: --quiet, --max-warnings, --rule, --split (requests judged on their own,
 * line numbers mapped back to the file), the 413 hint, and fix's report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitMetrics, validateMetrics } from '../../../src/index.js';
import { EXAMPLE, NOW, run, scratch } from './helpers.js';

interface FileResult {
  messages: { ruleId: string; severity: number; line?: number; request?: number; level: string }[];
  errorCount: number;
  warningCount: number;
  status: number;
  linesOk: number;
  linesInvalid: number;
  requests?: { request: number; firstLine: number; lastLine: number; bytes: number; status: number; linesOk: number; linesInvalid: number }[];
}

const json = (stdout: string): FileResult[] => JSON.parse(stdout) as FileResult[];

/** Unsuffixed counters: each valid line gets a metric-key-changed warning. */
const WARNINGS = 'requests count,delta=1\nrequests count,delta=2\nrequests count,delta=3\n';

describe('--quiet, --max-warnings, --rule', () => {
  it('--quiet reports errors only', async () => {
    const r = await run(['validate', 'metrics', EXAMPLE, '-q', '--now', String(NOW)]);
    expect(r.stdout).not.toMatch(/ warning +/);
    expect(r.stdout).not.toContain('metric-key-changed');
    expect(r.stdout).toContain('✖ 3 problems (3 errors, 0 warnings)');
    const j = json((await run(['validate', 'metrics', EXAMPLE, '-q', '-f', 'json', '--now', String(NOW)])).stdout);
    expect(j[0]!.messages.every((m) => m.severity === 2)).toBe(true);
    expect(j[0]!.warningCount).toBe(0);
  });

  it('--max-warnings N: exit 1 above N (warnings hidden by --quiet still count), as ESLint', async () => {
    expect((await run(['validate', 'metrics', '-', '--max-warnings', '3'], { stdin: WARNINGS })).code).toBe(0);
    const over = await run(['validate', 'metrics', '-', '--max-warnings', '2'], { stdin: WARNINGS });
    expect(over.code).toBe(1);
    expect(over.stdout).toContain('too many warnings: 3, more than --max-warnings 2');
    expect((await run(['validate', 'metrics', '-', '--max-warnings', '2', '-q'], { stdin: WARNINGS })).code).toBe(1);
    expect((await run(['validate', 'metrics', '-'], { stdin: WARNINGS })).code).toBe(0);
  });

  it('--rule ID=off drops a rule, =warn and =error change its severity and the exit code', async () => {
    const off = await run(['validate', 'metrics', '-', '--rule', 'metric-key-changed=off'], { stdin: WARNINGS });
    expect(off.stdout).toBe('\n✔ no problems in 1 file (endpoint status 202; 3 lines OK, 0 invalid)\n');
    const error = await run(['validate', 'metrics', '-', '--rule', 'metric-key-changed=error'], { stdin: WARNINGS });
    expect(error.code).toBe(1);
    expect(error.stdout).toContain('✖ 3 problems (3 errors, 0 warnings)');
    const warn = await run(['validate', 'metrics', '-', '--rule', 'payload-missing=warn', '-f', 'json'], { stdin: 'ok.metric 1\nbad\n' });
    expect(warn.code).toBe(0);
    expect(json(warn.stdout)[0]).toMatchObject({ errorCount: 0, warningCount: 1, status: 400 });
  });
});

describe('--split', () => {
  // pieces of at most 24 bytes; line 5 is invalid, line 9 too long for any request, blank lines between
  const lines = ['a.b 1', 'a.b 2', 'a.b 3', '', 'bad', 'a.b 4', 'x.y,host=a 5', '   ', `long.key,d=${'v'.repeat(80)} 1`, 'a.b 5', 'a.b 6'];
  const body = lines.join('\n') + '\n';

  it('judges each request on its own, with the file line numbers', async () => {
    const r = await run(['validate', 'metrics', '-', '--split', '--max-body-bytes', '24', '-f', 'json', '--now', String(NOW)], { stdin: body });
    const [file] = json(r.stdout);
    const pieces = splitMetrics(body, { maxBytes: 24 });
    expect(pieces.pieces.map((p) => [p.lineMap[0], p.lineMap[p.lineMap.length - 1]])).toEqual([
      [1, 5],
      [6, 7],
      [10, 11],
    ]);
    expect(pieces.oversized.map((o) => o.line)).toEqual([9]);
    // every piece a request, the over-long line one of its own (413), in the sender's order
    expect(file!.requests!.map((q) => [q.firstLine, q.lastLine, q.bytes, q.status])).toEqual([
      [1, 5, pieces.pieces[0]!.body.length, 400],
      [6, 7, pieces.pieces[1]!.body.length, 202],
      [9, 9, 94, 413],
      [10, 11, pieces.pieces[2]!.body.length, 202],
    ]);
    expect(file!.messages.map((m) => [m.ruleId, m.line, m.request])).toEqual([
      ['payload-missing', 5, 1],
      ['body-too-large', 9, 3],
    ]);
    expect(file).toMatchObject({ status: 413, linesOk: 7, linesInvalid: 1 });
    expect(r.code).toBe(1);
  });

  it('dynatrace: the endpoint answer of each request, line numbers its own', async () => {
    const r = await run(['validate', 'metrics', '-', '--split', '--max-body-bytes', '24', '-f', 'dynatrace', '--now', String(NOW)], { stdin: body });
    const answer = JSON.parse(r.stdout);
    expect(answer.file).toBe('<stdin>');
    expect(answer.status).toBe(413);
    const first = answer.requests[0];
    expect(first).toMatchObject({ request: 1, firstLine: 1, lastLine: 5, status: 400 });
    // the request's own body, its own line numbers (the file's line 5 is the request's line 5 here)
    expect(first.body).toEqual(validateMetrics('a.b 1\na.b 2\na.b 3\n\nbad\n', { now: NOW, maxBodyBytes: 24 }).body);
    expect(answer.requests[1]).toMatchObject({ request: 2, firstLine: 6, lastLine: 7, status: 202 });
    expect(answer.requests[2].body).toEqual({ error: { code: 413, message: expect.stringMatching(/^Payload too large: \d+ > 24 bytes$/) } });
  });

  it('a large file: the pieces a sender makes (≤ max bytes), each line judged once, stylish lists the requests', async () => {
    const big = 'cpu.temp,host=web-01 42.5\n'.repeat(100_000) + 'bad\n';
    const dir = scratch({ 'big.txt': big });
    const whole = await run(['validate', 'metrics', 'big.txt', '--now', String(NOW)], { cwd: dir });
    expect(whole.stdout).toContain('  endpoint status 413\n');
    // a 413 judges no line: no line counts in the verdict or the summary
    expect(whole.stdout).not.toMatch(/lines? OK/);
    expect(whole.stdout).toContain('hint: 2600004 bytes is over the 1048576-byte body limit');
    expect(whole.stdout).toContain('--split judges it as the requests a sender would make of it');
    const split = await run(['validate', 'metrics', 'big.txt', '--split', '--now', String(NOW)], { cwd: dir });
    expect(split.stdout).toMatch(/request 1 \(lines 1-40329, 1048554 bytes\): status 202/);
    // the position column is sized for the file (2.6 MB: up to 7-digit line numbers), not for 6 digits
    expect(split.stdout).toContain('  100001:4     error    missing payload after the metric key  payload-missing\n');
    expect(split.stdout).toContain('3 requests, worst endpoint status 400: 100000 lines OK, 1 invalid');
    const [file] = json((await run(['validate', 'metrics', 'big.txt', '--split', '-f', 'json', '--now', String(NOW)], { cwd: dir })).stdout);
    expect(file!.requests!.every((q) => q.bytes <= 1_048_576)).toBe(true);
    expect(file!.requests!.reduce((n, q) => n + q.linesOk + q.linesInvalid, 0)).toBe(100_001);
  });

  it('a blank file makes no request: the endpoint answer to the body as it is', async () => {
    const r = await run(['validate', 'metrics', '-', '--split', '-f', 'json'], { stdin: '\n  \n' });
    expect(json(r.stdout)[0]).toMatchObject({ status: 400, messages: [{ ruleId: 'body-empty' }] });
  });
});

describe('fix metrics', () => {
  it('repaired body to stdout, the report to stderr in the chosen format, no endpoint status', async () => {
    const r = await run(['fix', 'metrics', '-', '--now', String(NOW)], { stdin: 'my..metric 1\nbad\nok.metric 2\n' });
    expect(r.stdout).toBe('my.metric 1\nok.metric 2\n');
    expect(r.stderr).toContain('fix-metric-key');
    expect(r.stderr).toContain('fix-line-dropped');
    expect(r.stderr).not.toContain('status');
    expect(r.stderr).toContain('(1 line kept, 1 repaired, 1 left out)');
    expect(r.code).toBe(1);
    const j = await run(['fix', 'metrics', '-', '-f', 'json', '--now', String(NOW)], { stdin: 'my..metric 1\n' });
    expect(JSON.parse(j.stderr)[0]).toMatchObject({ filePath: '<stdin>', warningCount: 1, fix: { kept: 0, repaired: 1, dropped: 0 } });
    expect(j.stderr).not.toContain('"status"');
    expect(j.code).toBe(0);
  });

  it('-o writes the body to a file; exit 0 when nothing was left out', async () => {
    const dir = scratch({ 'in.txt': 'my..metric,Host=a 1\n' });
    const r = await run(['fix', 'metrics', 'in.txt', '-o', 'out.txt', '--now', String(NOW)], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('my.metric,host=a 1\n');
  });
});
