/**
 * The configuration file: found from the working directory upward (dt-ingest.config.{js,mjs,json},
 * or "dt-ingest" in package.json), checked with errors that name the file and the key, merged under
 * the flags (the command line wins, rules per id), --config FILE and --no-config, files and ignores,
 * and `dt-ingest init` writing a commented one that loads.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW, run, scratch } from './helpers.js';

/** Two files: one with a key rewrite (a warning), one with an error. */
const FILES = { 'payloads/warn.txt': 'requests count,delta=1\n', 'payloads/bad.txt': 'bad\n', 'payloads/fixtures/skip.txt': 'bad\n' };
const now = ['--now', String(NOW)];

function json(stdout: string): { filePath: string; messages: { ruleId: string; severity: number }[] }[] {
  return JSON.parse(stdout);
}

describe('finding the configuration', () => {
  it('dt-ingest.config.json in a parent directory: its files, ignores, rules and format', async () => {
    const dir = scratch({
      ...FILES,
      'dt-ingest.config.json': JSON.stringify({
        files: { metrics: ['payloads/'] },
        ignores: ['**/fixtures/**'],
        rules: { 'payload-missing': 'warn', 'smartscape-id-pattern': 'off' },
        format: 'json',
      }),
    });
    mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
    const r = await run(['validate', 'metrics', ...now], { cwd: join(dir, 'sub', 'deeper') });
    expect(r.stderr).toBe('');
    const files = json(r.stdout);
    expect(files.map((f) => f.filePath)).toEqual([join(dir, 'payloads', 'bad.txt'), join(dir, 'payloads', 'warn.txt')]);
    expect(files[0]!.messages[0]).toMatchObject({ ruleId: 'payload-missing', severity: 1 });
    expect(r.code).toBe(0);
  });

  it('the command line wins: its files, its format, its rule settings per rule id', async () => {
    const dir = scratch({ ...FILES, 'dt-ingest.config.json': JSON.stringify({ rules: { 'payload-missing': 'warn' }, format: 'json', maxWarnings: 0 }) });
    const r = await run(['validate', 'metrics', 'payloads/bad.txt', '-f', 'stylish', '--rule', 'payload-missing=error', '--max-warnings', '-1', ...now], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/1:4 +error +missing payload/);
    const fromFile = await run(['validate', 'metrics', 'payloads/warn.txt', ...now], { cwd: dir });
    expect(fromFile.code).toBe(1);
    expect(fromFile.stderr).toBe('dt-ingest: too many warnings: 1, more than --max-warnings 0\n');
  });

  it('"dt-ingest" in package.json, and options per family (metrics, json)', async () => {
    const dir = scratch({
      'a.txt': 'ok.metric 1\n',
      'e.json': '[{"eventType":"CUSTOM_INFO","title":"x"}]',
      'package.json': JSON.stringify({ name: 'x', 'dt-ingest': { metrics: { maxBodyBytes: 5 }, json: { eventsMaxBodyBytes: 3 } } }),
    });
    const m = await run(['validate', 'metrics', 'a.txt', ...now], { cwd: dir });
    expect(m.stdout).toContain('endpoint status 413');
    const e = await run(['validate', 'events', 'e.json', ...now], { cwd: dir });
    expect(e.stdout).toContain('endpoint status 413');
    const flag = await run(['validate', 'metrics', 'a.txt', '--max-body-bytes', '100', ...now], { cwd: dir });
    expect(flag.code).toBe(0);
  });

  it('dt-ingest.config.mjs (a module) and --config FILE; --no-config reads none', async () => {
    const dir = scratch({
      'a.txt': 'bad\n',
      'dt-ingest.config.mjs': "export default { rules: { 'payload-missing': 'off' } };\n",
      'strict.json': JSON.stringify({ rules: { 'payload-missing': 'error' } }),
    });
    expect((await run(['validate', 'metrics', 'a.txt', ...now], { cwd: dir })).code).toBe(0);
    expect((await run(['validate', 'metrics', 'a.txt', '--config', 'strict.json', ...now], { cwd: dir })).code).toBe(1);
    expect((await run(['validate', 'metrics', 'a.txt', '--no-config', ...now], { cwd: dir })).code).toBe(1);
    expect((await run(['fix', 'metrics', 'a.txt', ...now], { cwd: dir })).stderr).not.toContain('payload-missing');
  });
});

describe('mistakes in the configuration', () => {
  const cases: [unknown, string][] = [
    [{ rule: {} }, "dt-ingest.config.json: rule: unknown key; did you mean 'rules'?"],
    [{ rules: { 'metric-key-chnged': 'off' } }, "dt-ingest.config.json: rules.metric-key-chnged: unknown rule; did you mean 'metric-key-changed'?"],
    [{ rules: { 'metric-key-changed': 'of' } }, "dt-ingest.config.json: rules.metric-key-changed: takes off, warn or error, not 'of'; did you mean 'off'?"],
    [{ metrics: { maxBodyByte: 1 } }, "dt-ingest.config.json: metrics.maxBodyByte: unknown key; did you mean 'maxBodyBytes'?"],
    [{ metrics: { maxBodyBytes: '1MB' } }, "dt-ingest.config.json: metrics.maxBodyBytes: takes a non-negative number, not '1MB'"],
    [{ metrics: { backend: 'nativ' } }, "dt-ingest.config.json: metrics.backend: takes auto, js or native, not 'nativ'; did you mean 'native'?"],
    [{ json: { strictCrossReferences: 'yes' } }, "dt-ingest.config.json: json.strictCrossReferences: takes true or false, not 'yes'"],
    [{ files: { metric: ['a'] } }, "dt-ingest.config.json: files.metric: unknown key; did you mean 'metrics'?"],
    [{ format: 'jsn' }, "dt-ingest.config.json: format: takes stylish, json, sarif, github, junit or dynatrace, not 'jsn'; did you mean 'json'?"],
    [{ maxWarnings: -2 }, 'dt-ingest.config.json: maxWarnings: takes a whole number (-1: no limit), not -2'],
    [[], 'dt-ingest.config.json: the configuration must be an object, not an array'],
  ];
  for (const [config, message] of cases) {
    it(message, async () => {
      const dir = scratch({ 'a.txt': 'ok.metric 1\n', 'dt-ingest.config.json': JSON.stringify(config) });
      const r = await run(['validate', 'metrics', 'a.txt'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`dt-ingest: ${message}\n`);
      expect(r.stdout).toBe('');
    });
  }

  it('a file that does not parse, and a missing --config file', async () => {
    const dir = scratch({ 'a.txt': 'ok.metric 1\n', 'dt-ingest.config.json': '{ rules: ' });
    const r = await run(['validate', 'metrics', 'a.txt'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dt-ingest: dt-ingest\.config\.json: cannot be read: /);
    const missing = await run(['validate', 'metrics', 'a.txt', '--config', 'nope.json'], { cwd: dir });
    expect(missing.stderr).toBe("dt-ingest: --config: no such file 'nope.json'\n");
  });
});

describe('dt-ingest init', () => {
  it('writes a commented dt-ingest.config.mjs that loads and is used; never overwrites', async () => {
    const dir = scratch({ 'payloads/a.txt': 'bad\n' });
    const r = await run(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'dt-ingest.config.mjs'), 'utf8');
    expect(text).toMatch(/^\/\/ dt-ingest configuration/);
    const v = await run(['validate', 'metrics', '-f', 'json', ...now], { cwd: dir });
    expect(v.stderr).toBe('');
    expect(json(v.stdout).map((f) => f.filePath)).toEqual([join(dir, 'payloads', 'a.txt')]);
    const again = await run(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('dt-ingest: dt-ingest.config.mjs exists already; edit it, or remove it first\n');
    writeFileSync(join(dir, 'dt-ingest.config.mjs'), text);
  });
});
