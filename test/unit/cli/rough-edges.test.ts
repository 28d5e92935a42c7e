/**
 * The rough edges a new user met (issue 23), each fixed and kept so: --max-warnings never fails
 * silently, did-you-mean for values and flags everywhere, help for help, no zero samples, a hint for a
 * binary file, fix findings where the repair is, option help from the options tables, -1 as no limit,
 * -o/--output-file on both commands, and the stylish report readable by VS Code's $eslint-stylish.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE, NOW, run, scratch } from './helpers.js';

/** Three warnings (key rewrites) and no error. */
const WARNINGS = 'requests count,delta=1\nerrors count,delta=2\nhits count,delta=3\n';

describe('--max-warnings', () => {
  it('exceeded with json, sarif or junit (whose reports cannot say it): one line on stderr, exit 1', async () => {
    for (const format of ['json', 'sarif', 'junit']) {
      const r = await run(['validate', 'metrics', '-', '-f', format, '--max-warnings', '1', '--now', String(NOW)], { stdin: WARNINGS });
      expect(r.code, format).toBe(1);
      expect(r.stderr, format).toBe('dt-ingest: too many warnings: 3, more than --max-warnings 1\n');
    }
  });

  it('stylish to standard output says it in the report, not twice; to a file, on stderr too', async () => {
    const shown = await run(['validate', 'metrics', '-', '--max-warnings', '1', '--now', String(NOW)], { stdin: WARNINGS });
    expect(shown.stdout).toContain('too many warnings: 3, more than --max-warnings 1');
    expect(shown.stderr).toBe('');
    const dir = scratch();
    const file = await run(['validate', 'metrics', '-', '--max-warnings', '1', '-o', 'r.txt', '--now', String(NOW)], { stdin: WARNINGS, cwd: dir });
    expect(file.code).toBe(1);
    expect(file.stderr).toBe('dt-ingest: too many warnings: 3, more than --max-warnings 1\n');
  });

  it('-1 is no limit (as ESLint), other negative numbers are refused', async () => {
    const r = await run(['validate', 'metrics', '-', '--max-warnings', '-1', '--now', String(NOW)], { stdin: WARNINGS });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const bad = await run(['validate', 'metrics', '-', '--max-warnings', '-2'], { stdin: WARNINGS });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("dt-ingest: --max-warnings takes a non-negative whole number, not '-2'\n");
  });
});

describe('did you mean', () => {
  it('for the values of option flags (--backend nativ) and for --verison', async () => {
    const backend = await run(['validate', 'metrics', EXAMPLE, '--backend', 'nativ']);
    expect(backend.code).toBe(2);
    expect(backend.stderr).toBe("dt-ingest: --backend takes auto, js or native, not 'nativ'; did you mean 'native'?\n");
    const field = await run(['validate', 'metrics', EXAMPLE, '--warnings-field', 'warningLine']);
    expect(field.stderr).toMatch(/did you mean 'warningLines'\?/);
    const version = await run(['--verison']);
    expect(version.code).toBe(2);
    expect(version.stderr).toMatch(/^dt-ingest: unknown flag '--verison'; did you mean '--version'\?/);
  });
});

describe('help', () => {
  it('dt-ingest help --help and help -h exit 0 with the main help', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await run(['help', flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^dt-ingest .*\n\nUsage:\n {2}dt-ingest <command> \[flags\]/);
    }
  });

  it("option flags' help is the first sentence of the option's TSDoc, with the allowed values", async () => {
    const r = await run(['validate', 'metrics', '--help']);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('--max-body-bytes <number> Largest accepted body in bytes; above it the endpoint answers 413. (default 1048576)');
    expect(text).toContain('--backend <auto|js|native> Which implementation scans the lines. (default auto)');
    expect(r.stdout).not.toMatch(/option [a-z]+[A-Z]/);
    const events = await run(['validate', 'events', '--help']);
    expect(events.stdout).not.toMatch(/ option [a-z]+[A-Z]\w* /);
  });

  it("serve --help lists the validators' option flags too", async () => {
    const r = await run(['serve', '--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--max-body-bytes',
      '--allow-digit-leading-sections',
      '--backend <auto|js|native>',
      '--events-max-body-bytes',
      '--strict-cross-references',
    ])
      expect(r.stdout).toContain(flag);
  });
});

describe('bench', () => {
  it('--samples 0 is refused (it ran 1 sample silently)', async () => {
    const r = await run(['bench', '--samples', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("dt-ingest: --samples takes at least 1 sample, not '0'\n");
  });
});

describe('inputs', () => {
  it('a binary file gets a hint (a NUL byte in its first 8000 bytes); a text file none', async () => {
    const dir = scratch({ 'a.gz': new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x0a, 0x41, 0x00, 0x0a]), 'ok.txt': 'ok.metric 1\n' });
    const r = await run(['validate', 'metrics', 'a.gz', '--now', String(NOW)], { cwd: dir });
    expect(r.stdout).toContain('hint: this looks like a binary file (a NUL byte in its first 8000 bytes)');
    const ok = await run(['validate', 'metrics', 'ok.txt', 'a.gz', '-f', 'json', '--now', String(NOW)], { cwd: dir });
    expect(ok.stdout.match(/binary/g)).toBeNull();
    const json = await run(['validate', 'events', 'a.gz', '--now', String(NOW)], { cwd: dir });
    expect(json.stdout).toContain('hint: this looks like a binary file');
  });
});

describe('output', () => {
  it('-o, --output-file and --output name the same flag on validate (the report) and fix (the repaired body)', async () => {
    const dir = scratch({ 'in.txt': 'my..metric 1\n' });
    for (const flag of ['-o', '--output-file', '--output']) {
      const v = await run(['validate', 'metrics', 'in.txt', flag, 'report.json', '-f', 'json', '--now', String(NOW)], { cwd: dir });
      expect(v.stdout).toBe('');
      expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))[0].filePath).toBe(join(dir, 'in.txt'));
      const f = await run(['fix', 'metrics', 'in.txt', flag, 'fixed.txt', '--now', String(NOW)], { cwd: dir });
      expect(f.stdout).toBe('');
      expect(readFileSync(join(dir, 'fixed.txt'), 'utf8')).toBe('my.metric 1\n');
    }
    const both = await run(['fix', 'metrics', 'in.txt', '-o', 'a.txt', '--output', 'b.txt'], { cwd: dir });
    expect(both.stderr).toMatch(/--output-file given twice/);
  });
});

describe('fix findings', () => {
  it('are placed where the repair is (not all at column 1)', async () => {
    const r = await run(['fix', 'metrics', '-', '-f', 'json', '--now', String(NOW)], { stdin: 'cpu.load,Host=a,bad..key=b 1\n' });
    const messages = JSON.parse(r.stderr)[0].messages as { ruleId: string; column: number; text: string }[];
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(m.column).toBe('cpu.load,Host=a,bad..key=b 1'.indexOf(m.text) + 1);
    expect(messages.some((m) => m.column > 1)).toBe(true);
  });
});

describe('JSON body values', () => {
  it('are quoted once in stylish, github, junit and sarif ("host-1", not "\\"host-1\\"" or (""host-1""))', async () => {
    const body = '{"id":"host-1"}';
    const seen = {
      stylish: '  "host-1"  ',
      github: ' ("host-1")\n',
      junit: ' &quot;host-1&quot; (smartscape-id-pattern)',
      sarif: ' (\\"host-1\\")"',
    };
    for (const [format, quoted] of Object.entries(seen)) {
      const r = await run(['validate', 'smartscape', '-', '-f', format, '--now', String(NOW)], { stdin: body });
      expect(r.stdout, format).toContain(quoted);
      expect(r.stdout, format).not.toMatch(/""host|\\"\\\\\\"host|&quot;&quot;host|\\\\"host/);
    }
  });
});

describe('stylish and VS Code', () => {
  // the two patterns of VS Code's built-in $eslint-stylish problem matcher (as its task matchers
  // define it): a file line, then per problem `line:column severity message  rule`
  const FILE = /^([^\s].*)$/;
  const PROBLEM = /^\s+(\d+):(\d+)\s+(error|warning|info)\s+(.*)\s\s+(.*)$/;

  it('is read by $eslint-stylish: file, line, column, severity, message and the rule id', async () => {
    const dir = scratch({ 'p.txt': 'ok.metric 1\nbad\nrequests count,delta=1\n' });
    const r = await run(['validate', 'metrics', 'p.txt', '--now', String(NOW)], { cwd: dir });
    const lines = r.stdout.split('\n');
    const fileLine = lines.findIndex((l) => FILE.test(l));
    expect(lines[fileLine]).toBe('p.txt');
    const problems = lines
      .slice(fileLine + 1)
      .map((l) => PROBLEM.exec(l))
      .filter((m) => m !== null);
    expect(problems.map((m) => [m[1], m[2], m[3], m[5]])).toEqual([
      ['2', '4', 'error', 'payload-missing'],
      ['3', '1', 'warning', 'metric-key-changed'],
    ]);
  });

  it('aligns the columns past 6-digit line numbers', async () => {
    const dir = scratch({ 'big.txt': `bad\n${'\n'.repeat(1_000_000)}bad\n` });
    const r = await run(['validate', 'metrics', 'big.txt', '--now', String(NOW)], { cwd: dir });
    const rows = r.stdout.split('\n').filter((l) => /^\s+\d+:\d+/.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/)[0])).toEqual(['1:4', '1000002:4']);
    expect(rows[0]!.indexOf('error')).toBe(rows[1]!.indexOf('error'));
  });
});
