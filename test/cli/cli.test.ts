import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { validateMetrics } from '../../src/index.js';

const NOW = 1_700_000_000_000;

async function run(argv: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await runCli(argv, { stdin: Readable.from([Buffer.from(stdin)]), stdout, stderr, stderrIsTTY: false });
  return { code, stdout: out, stderr: err };
}

const example = readFileSync(new URL('../../examples/metrics.txt', import.meta.url), 'utf8');
const examplePath = new URL('../../examples/metrics.txt', import.meta.url).pathname;

describe('dt-ingest validate metrics', () => {
  it('stylish: one line per problem with line:column, rule id, and a summary; exit 1 with findings', async () => {
    const r = await run(['validate', 'metrics', examplePath, '--now', String(NOW)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('examples/metrics.txt');
    expect(r.stdout).toMatch(/ {2}5:42 +error +unescaped space in dimension value .* dimension-value-unescaped-space/);
    expect(r.stdout).toContain('endpoint status 400');
  });

  it('dynatrace: exactly the endpoint answer', async () => {
    const r = await run(['validate', 'metrics', examplePath, '--format', 'dynatrace', '--now', String(NOW)]);
    const expected = validateMetrics(example, { now: NOW });
    expect(JSON.parse(r.stdout)).toEqual({ status: expected.status, body: expected.body });
  });

  it('json: the issues as a JSON array, from stdin', async () => {
    const r = await run(['validate', 'metrics', '-', '--format=json', `--now=${NOW}`], 'abc 1\nbad\n');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual(validateMetrics('abc 1\nbad\n', { now: NOW }).issues);
  });

  it('exit 0 and a clean summary for a clean body', async () => {
    const r = await run(['validate', 'metrics', '--now', String(NOW)], 'abc 1\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no problems');
  });

  it('option flags set the options table; above the limit dynatrace says 413 while stylish still lists lines', async () => {
    const body = 'abc 1\nbad\n'.repeat(10);
    const d = await run(['validate', 'metrics', '--format', 'dynatrace', '--max-body-bytes', '50'], body);
    expect(JSON.parse(d.stdout).status).toBe(413);
    const s = await run(['validate', 'metrics', '--max-body-bytes', '50'], body);
    expect(s.stdout.split('payload-missing').length - 1).toBe(10);
    const digit = await run(['validate', 'metrics', '--allow-digit-leading-sections'], 'system.load.1m 1\n');
    expect(digit.code).toBe(0);
    const noRewrite = await run(['validate', 'metrics', '--no-rewrite-key-suffix'], 'abc count,delta=1\n');
    expect(noRewrite.stdout).toContain('no problems');
  });

  it('usage and I/O errors: exit 2, one line, no stack trace', async () => {
    for (const argv of [['validate', 'metrics', '/nonexistent/file'], ['validate', 'metrics', '--format', 'xml'], ['validate', 'metrics', '--bogus'], ['validate'], ['frobnicate'], ['validate', 'metrics', '--max-body-bytes', 'lots'], ['validate', 'metrics', 'a', 'b']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^dt-ingest: .+\n$/);
      expect(r.stderr).not.toContain('    at ');
    }
  });

  it('--help and --version', async () => {
    expect((await run(['--help'])).stdout).toContain('dt-ingest validate metrics');
    expect((await run(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('dt-ingest fix metrics', () => {
  it('writes the repaired body to stdout and the report to stderr', async () => {
    const r = await run(['fix', 'metrics', '--now', String(NOW)], 'my..metric 1\nbad\nok.metric 2\n');
    expect(r.stdout).toBe('my.metric 1\nok.metric 2\n');
    expect(r.stderr).toContain('fix-metric-key');
    expect(r.stderr).toContain('fix-line-dropped');
    expect(r.code).toBe(1);
  });

  it('--output writes a file; exit 0 when nothing was left out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dt-ingest-cli-'));
    const input = join(dir, 'in.txt');
    const output = join(dir, 'out.txt');
    writeFileSync(input, 'my..metric,Host=a 1\n');
    const r = await run(['fix', 'metrics', input, '--output', output, '--now', String(NOW)]);
    expect(r.code).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe('my.metric,host=a 1\n');
  });
});

describe('dt-ingest validate events|smartscape|synthetic|custom-device', () => {
  const dir = new URL('../../examples/events/', import.meta.url).pathname;
  it('each shipped seed example validates clean (exit 0) in every family', async () => {
    const smart = await run(['validate', 'smartscape', dir + 'smartscape-model.json', '--now', String(Date.now())]);
    expect(smart.code, smart.stdout).toBe(0);
    const generic = await run(['validate', 'events', dir + 'generic-model.json']);
    expect(generic.code, generic.stdout).toBe(0);
    const cd = await run(['validate', 'custom-device', '--id', 'my-device', dir + 'custom-device-example.json', '--format', 'dynatrace', '--now', String(Date.now())]);
    expect(JSON.parse(cd.stdout).status).toBeGreaterThanOrEqual(200);
  });

  it('a broken body: exit 1, the envelope in dynatrace format, the pointer in stylish', async () => {
    const d = await run(['validate', 'smartscape', '--format', 'dynatrace'], '[{"id":"host-1"}]');
    expect(d.code).toBe(1);
    const out = JSON.parse(d.stdout);
    expect(out.status).toBe(400);
    expect(out.body.error.details.type).toBe('constraintViolation');
    const s = await run(['validate', 'smartscape'], '[{"id":"host-1"}]');
    expect(s.stdout).toContain('/0/id');
    const syntax = await run(['validate', 'events', '--format', 'dynatrace'], '{"a":1,,}');
    expect(JSON.parse(syntax.stdout).status).toBe(400);
    expect(syntax.stdout).toMatch(/line 1 column \d+/);
  });

  it('custom-device without --id is a usage error', async () => {
    const r = await run(['validate', 'custom-device'], '{}');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('dt-ingest: validate custom-device needs --id <customDeviceId>\n');
  });
});
