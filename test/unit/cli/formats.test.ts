/**
 * Every format against what its consumers expect: SARIF validated with a JSON Schema validator
 * against the published SARIF 2.1.0 schema (test/fixtures/sarif/), GitHub annotations read back the
 * way the Actions runner reads workflow commands, JUnit XML well-formed (fast-xml-parser), ESLint's
 * JSON shape, stylish (plurals, infos counted, colour switches) and the endpoint's answers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { validateMetrics } from '../../../src/index.js';
import { escapeData, escapeProperty } from '../../../src/cli/formats/github.js';
import { JUNIT_MAX_CASES, xmlEscape } from '../../../src/cli/formats/junit.js';
import { EXAMPLE, NOW, ROOT, run, scratch } from './helpers.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as object;
// CommonJS packages whose default export TypeScript sees as the module (as in test/unit/events/oracle.ts)
const AjvDraft04 = ((AjvDraft04Module as unknown as { default?: unknown }).default ?? AjvDraft04Module) as unknown as typeof AjvDraft04Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  a: InstanceType<typeof AjvDraft04>,
) => void;
// SARIF's schema is draft-04; strict mode would refuse its draft-04 keywords ("id")
const ajv = new AjvDraft04({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(schema);

const CUSTOM_DEVICE = join(ROOT, 'examples/events/custom-device-example.json');
// a dimension key with the characters the workflow commands escape, a control character in a value
const HOSTILE = 'cpu.temp,Bad%0A::x=1 1\ncpu.temp,host=a\u0001b 2\nok.metric 3\n';

describe('sarif', () => {
  it('validates against the SARIF 2.1.0 schema: rules from the table, results with locations', async () => {
    const dir = scratch({ 'a b.txt': HOSTILE, 'clean.txt': 'ok.metric 1\n' });
    const r = await run(['validate', 'metrics', 'a b.txt', 'clean.txt', EXAMPLE, '-f', 'sarif', '--now', String(NOW)], { cwd: dir });
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true);
    const run0 = log.runs[0];
    expect(run0.tool.driver.name).toBe('dt-ingest');
    const ids = run0.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(ids).toContain('metric-key-char');
    expect(ids).not.toContain('fix-metric-key');
    for (const rule of run0.tool.driver.rules) expect(rule.help.text.length).toBeGreaterThan(10);
    const first = run0.results[0];
    expect(first).toMatchObject({
      ruleId: 'dimension-key-char',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'a%20b.txt', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 10 } } }],
    });
    expect(ids[first.ruleIndex]).toBe(first.ruleId);
    // a file outside the working directory is an absolute file: URI
    const outside = run0.results.find((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
      x.locations[0]!.physicalLocation.artifactLocation.uri.startsWith('file:'),
    );
    expect(outside.locations[0].physicalLocation.artifactLocation.uri).toBe(new URL(`file://${EXAMPLE}`).href);
    expect(run0.results.filter((x: { level: string }) => x.level === 'warning')).toHaveLength(1);
  });

  it('JSON body findings get their line from the pointer; info is a note; the 413 has line 1', async () => {
    const r = await run(['validate', 'custom-device', '--id', 'dev', CUSTOM_DEVICE, '-f', 'sarif', '--now', String(NOW)]);
    const log = JSON.parse(r.stdout);
    expect(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true);
    const results = log.runs[0].results;
    expect(results[0].locations[0].physicalLocation.region).toEqual({ startLine: 16, startColumn: 9 });
    expect(results[0].properties.pointer).toBe('/series/0/dataPoints/0');
    expect(results.find((x: { ruleId: string }) => x.ruleId === 'custom-device-deprecated').level).toBe('note');
    const big = await run(['validate', 'events', '-', '-f', 'sarif', '--events-max-body-bytes', '4'], { stdin: '[{"a":1}]' });
    const bigLog = JSON.parse(big.stdout);
    expect(validateSarif(bigLog)).toBe(true);
    expect(bigLog.runs[0].results[0]).toMatchObject({
      ruleId: 'body-too-large',
      locations: [{ physicalLocation: { region: { startLine: 1 } } }],
      properties: { fileLevel: true },
    });
  });

  it('an empty run is a valid log too', async () => {
    const r = await run(['validate', 'metrics', '-', '-f', 'sarif'], { stdin: 'ok.metric 1\n' });
    const log = JSON.parse(r.stdout);
    expect(validateSarif(log)).toBe(true);
    expect(log.runs[0].results).toEqual([]);
  });
});

/** A workflow command read as the Actions runner reads one (`::name k=v,k=v::message`, then unescaped). */
function parseCommand(line: string): { command: string; properties: Record<string, string>; message: string } {
  expect(line.startsWith('::')).toBe(true);
  const end = line.indexOf('::', 2);
  expect(end).toBeGreaterThan(2);
  const info = line.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of info.slice(space + 1).split(',')) {
      const eq = pair.indexOf('=');
      properties[pair.slice(0, eq)] = pair
        .slice(eq + 1)
        .replaceAll('%0D', '\r')
        .replaceAll('%0A', '\n')
        .replaceAll('%3A', ':')
        .replaceAll('%2C', ',')
        .replaceAll('%25', '%');
    }
  }
  const message = line
    .slice(end + 2)
    .replaceAll('%0D', '\r')
    .replaceAll('%0A', '\n')
    .replaceAll('%25', '%');
  return { command, properties, message };
}

describe('github', () => {
  it('escapes as the workflow-command syntax says', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a,b:c%\n')).toBe('a%2Cb%3Ac%25%0A');
    // NUL, ESC, DEL and C1 controls never reach the log raw
    expect(escapeData('a\u0000b\u001b[31mc\u007fd\u009be\tf')).toBe('a\\u0000b\\u001b[31mc\\u007fd\\u009be\\u0009f');
  });

  it('one annotation per finding, read back exactly (file, line, col, title, message)', async () => {
    const dir = scratch({ 'we,ird:name%.txt': HOSTILE });
    const r = await run(['validate', 'metrics', 'we,ird:name%.txt', '-f', 'github', '--now', String(NOW)], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    const annotations = lines.filter((l) => l.startsWith('::')).map(parseCommand);
    const expected = validateMetrics(HOSTILE, { now: NOW }).issues;
    expect(annotations).toHaveLength(expected.length);
    annotations.forEach((a, i) => {
      const issue = expected[i]!;
      expect(a.command).toBe(issue.severity);
      expect(a.properties).toEqual({ file: 'we,ird:name%.txt', line: String(issue.line), col: String(issue.column), title: issue.rule });
      // the text quoted once, as a JSON string (a control character in it as \u0001)
      expect(a.message).toBe(`${issue.message} (${JSON.stringify(issue.text)})`);
    });
    // no annotation spills over a line, whatever the text held
    for (const l of lines) expect(l.startsWith('::') || l.startsWith('dt-ingest: ')).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/^dt-ingest: ✖ 2 problems/);
  });

  it('info is a notice; a finding without a line names the file only', async () => {
    const r = await run(['validate', 'custom-device', '--id', 'dev', CUSTOM_DEVICE, '-f', 'github', '--now', String(NOW)]);
    expect(r.stdout).toContain('::notice file=examples/events/custom-device-example.json,line=1,col=1,title=custom-device-deprecated::');
    const big = await run(['validate', 'metrics', '-', '-f', 'github', '--max-body-bytes', '3'], { stdin: 'ok.metric 1\n' });
    expect(big.stdout).toContain('::error file=<stdin>,title=body-too-large::request body too large: 12 > 3 bytes');
  });
});

describe('junit', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

  it('is well-formed XML with one suite per file and one case per finding, hostile text included', async () => {
    const dir = scratch({ 'a&b.txt': HOSTILE, 'clean.txt': 'ok.metric 1\n' });
    const smart = '[{"id":"\\ud800<&>\\"x"}]';
    const r = await run(['validate', 'metrics', 'a&b.txt', 'clean.txt', '-f', 'junit', '--now', String(NOW)], { cwd: dir });
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = parser.parse(r.stdout);
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s: { name: string }) => s.name)).toEqual(['a&b.txt', 'clean.txt']);
    expect(suites[0]).toMatchObject({ tests: '2', failures: '2' });
    expect(suites[0].testcase[1].failure['#text']).toContain('\\u0001');
    expect(suites[1]).toMatchObject({ tests: '1', failures: '0' });
    const s = await run(['validate', 'smartscape', '-', '-f', 'junit'], { stdin: smart });
    expect(XMLValidator.validate(s.stdout)).toBe(true);
    expect(s.stdout).toContain('\\ud800');
  });

  it(`keeps at most ${JUNIT_MAX_CASES} cases per file and says how many more there were`, async () => {
    const r = await run(['validate', 'metrics', '-', '-f', 'junit'], { stdin: 'bad\n'.repeat(JUNIT_MAX_CASES + 500) });
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const suite = parser.parse(r.stdout).testsuites.testsuite;
    expect(suite.tests).toBe(String(JUNIT_MAX_CASES + 1));
    expect(suite.testcase[JUNIT_MAX_CASES].name).toBe('500 more findings');
  });

  it('xmlEscape leaves nothing XML 1.0 cannot carry', () => {
    const all = Array.from({ length: 0x10000 }, (_, i) => String.fromCharCode(i)).join('') + '😀';
    const xml = `<a b="${xmlEscape(all)}">${xmlEscape(all)}</a>`;
    expect(XMLValidator.validate(xml)).toBe(true);
  });
});

describe('json', () => {
  it("is ESLint's shape: one object per file with filePath, messages and counts", async () => {
    const dir = scratch({ 'b.txt': HOSTILE });
    const r = await run(['validate', 'metrics', 'b.txt', EXAMPLE, '-f', 'json', '--now', String(NOW)], { cwd: dir });
    const files = JSON.parse(r.stdout);
    expect(files).toHaveLength(2);
    expect(files[0]).toMatchObject({
      filePath: join(dir, 'b.txt'),
      errorCount: 2,
      warningCount: 0,
      infoCount: 0,
      fatalErrorCount: 0,
      fixableErrorCount: 0,
      fixableWarningCount: 0,
      suppressedMessages: [],
      status: 400,
      linesOk: 1,
      linesInvalid: 2,
    });
    expect(files[0].messages[0]).toEqual({
      ruleId: 'dimension-key-char',
      severity: 2,
      message: expect.any(String),
      line: 1,
      column: 10,
      endLine: 1,
      endColumn: 11,
      level: 'error',
      text: 'Bad%0A::x=1',
      endpointMessage: 'invalid dimension key',
    });
    expect(files[1].messages.find((m: { level: string }) => m.level === 'warning').severity).toBe(1);
  });
});

describe('stylish', () => {
  it('plurals, infos counted, one summary', async () => {
    const one = await run(['validate', 'metrics', '-', '--now', String(NOW)], { stdin: 'ok.metric 1\n' });
    expect(one.stdout).toBe('\n✔ no problems in 1 file (endpoint status 202; 1 line OK, 0 invalid)\n');
    const info = await run(['validate', 'custom-device', '-', '--id', 'dev', '--now', String(Date.now())], { stdin: '{"displayName":"x"}' });
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('info     the custom device endpoint is deprecated');
    expect(info.stdout).toContain('✔ no problems (1 info) in 1 file (endpoint status 200)');
    const many = await run(['validate', 'metrics', EXAMPLE, '--now', String(NOW)]);
    expect(many.stdout).toContain('✖ 4 problems (3 errors, 1 warning) in 1 file (endpoint status 400; 6 lines OK, 3 invalid)');
    expect(many.stdout).toMatch(/\n {2}5:42 +error +unescaped space in dimension value .* dimension-value-unescaped-space\n/);
  });

  it('several files: only files with something to say are listed; the summary counts them all', async () => {
    const dir = scratch({ 'a.txt': 'ok.metric 1\n', 'b.txt': 'bad\n' });
    const r = await run(['validate', 'metrics', 'a.txt', 'b.txt', '--now', String(NOW)], { cwd: dir });
    expect(r.stdout).not.toContain('a.txt');
    expect(r.stdout).toContain('\nb.txt\n  1:4       error');
    expect(r.stdout).toContain('✖ 1 problem (1 error, 0 warnings) in 1 of 2 files (1 accepted, 1 rejected; 1 line OK, 1 invalid)');
  });

  it('colour: on a terminal, off with NO_COLOR, forced with FORCE_COLOR, the flags win', async () => {
    const ESC = '\x1b[';
    const plain = { stdin: 'bad\n' };
    const cases: [Parameters<typeof run>[1], string[], boolean][] = [
      [{ ...plain, stdoutIsTTY: false }, [], false],
      [{ ...plain, stdoutIsTTY: true }, [], true],
      [{ ...plain, stdoutIsTTY: true, env: { NO_COLOR: '1' } }, [], false],
      [{ ...plain, stdoutIsTTY: true, env: { NO_COLOR: '' } }, [], true],
      [{ ...plain, stdoutIsTTY: false, env: { FORCE_COLOR: '1' } }, [], true],
      [{ ...plain, stdoutIsTTY: false, env: { FORCE_COLOR: '' } }, [], true],
      [{ ...plain, stdoutIsTTY: true, env: { FORCE_COLOR: '0' } }, [], false],
      [{ ...plain, stdoutIsTTY: true, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }, [], true],
      [{ ...plain, stdoutIsTTY: true, env: { FORCE_COLOR: '1' } }, ['--no-color'], false],
      [{ ...plain, stdoutIsTTY: false, env: { NO_COLOR: '1' } }, ['--color'], true],
    ];
    for (const [settings, flags, coloured] of cases) {
      const r = await run(['validate', 'metrics', '-', ...flags], settings);
      expect(r.stdout.includes(ESC), JSON.stringify([settings, flags])).toBe(coloured);
    }
  });

  it('the progress line on a terminal is cleared before results are printed', async () => {
    // stdout and stderr on one terminal: every progress line is erased before the next text
    const { PassThrough, Readable } = await import('node:stream');
    const { runCli } = await import('../../../src/cli/main.js');
    const terminal = new PassThrough();
    let screen = '';
    terminal.on('data', (d) => (screen += d));
    const code = await runCli(['validate', 'metrics', '-', '--now', String(NOW)], {
      stdin: Readable.from([Buffer.from('bad\n'.repeat(200_000)), Buffer.from('bad\n'.repeat(200_000))]),
      stdout: terminal,
      stderr: terminal,
      stdoutIsTTY: true,
      stderrIsTTY: true,
      env: { NO_COLOR: '1' },
    });
    expect(code).toBe(1);
    const drawn = screen.split('MB read').length - 1;
    expect(drawn).toBeGreaterThan(0);
    // after each progress text comes the erase sequence (a redraw or the clear), never report text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's erase sequence (ESC [ K) is what is checked
    expect(screen.split(/MB read(?:\r\x1b\[K|$)/).length - 1).toBe(drawn);
    expect(screen.slice(-400)).toContain('✖ 400001 problems (400001 errors, 0 warnings) in 1 file (endpoint status 413');
  });
});

describe('dynatrace', () => {
  it("one line per file: the endpoint's answer, exactly", async () => {
    const dir = scratch({ 'b.txt': HOSTILE });
    const r = await run(['validate', 'metrics', EXAMPLE, 'b.txt', '-f', 'dynatrace', '--now', String(NOW)], { cwd: dir });
    const [a, b] = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const expected = validateMetrics(readFileSync(EXAMPLE), { now: NOW });
    expect(a).toEqual({ file: EXAMPLE, status: expected.status, body: expected.body });
    expect(b).toEqual({ file: 'b.txt', status: 400, body: validateMetrics(HOSTILE, { now: NOW }).body });
    expect(r.code).toBe(1);
  });

  it('--quiet keeps only the rejected answers; the exit code follows the statuses', async () => {
    const dir = scratch({ 'a.txt': 'ok.metric 1\n', 'b.txt': 'bad\n' });
    const r = await run(['validate', 'metrics', 'a.txt', 'b.txt', '-f', 'dynatrace', '-q'], { cwd: dir });
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).file),
    ).toEqual(['b.txt']);
    const clean = await run(['validate', 'metrics', 'a.txt', '-f', 'dynatrace'], { cwd: dir });
    expect(clean.code).toBe(0);
  });
});

describe('-o FILE', () => {
  it('writes the report to the file, nothing to stdout, no colour', async () => {
    const dir = scratch();
    const r = await run(['validate', 'metrics', EXAMPLE, '-o', 'report.txt', '--now', String(NOW)], { cwd: dir, stdoutIsTTY: true });
    expect(r.stdout).toBe('');
    const text = readFileSync(join(dir, 'report.txt'), 'utf8');
    expect(text).toContain('✖ 4 problems');
    expect(text).not.toContain('\x1b[');
  });
});
