/**
 * Log ingest v2 (`validateLogs`): the answers (204, 200 partial success, 400, 413), each rule with its
 * JSON Pointer and line/column, every option, the three body forms, and the real bodies of public
 * clients (test/fixtures/clients).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { EVENTS_DEFAULTS, eventRuleById, logsBodyKind, validateLogs } from '../../../src/events/index.js';
import { ROOT } from './seeds.js';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const o = { now: NOW };
const fixture = (name: string): string => readFileSync(join(ROOT, 'test', 'fixtures', 'clients', name), 'utf8');
const rules = (r: { issues: { rule: string }[] }): string[] => r.issues.map((i) => i.rule);

describe('media types', () => {
  test('each documented type has its form; parameters and case do not matter', () => {
    expect(logsBodyKind(undefined)).toBe('json');
    expect(logsBodyKind('Application/JSON; charset=utf-8')).toBe('json');
    for (const t of ['application/jsonl', 'application/jsonlines', 'application/jsonlines+json', 'application/x-ndjson', 'application/x-jsonlines']) {
      expect(logsBodyKind(t)).toBe('jsonLines');
    }
    expect(logsBodyKind('text/plain; charset=utf-8')).toBe('text');
    expect(logsBodyKind('application/xml')).toBeUndefined();
  });
  test('a type the endpoint does not take is a caller error', () => {
    expect(() => validateLogs('{}', o, 'application/xml')).toThrow(/does not take application\/xml/);
  });
});

describe('real client bodies', () => {
  test('fluentd (wrapped content, millisecond timestamp): 204 without a word', () => {
    const r = validateLogs(fixture('logs-fluentd.json'), { now: 1_465_555_592_000 + 5_000 });
    expect(r.status).toBe(204);
    expect(r.issues).toEqual([]);
  });
  test('fluentd (records as fed): 204, content from message', () => {
    const r = validateLogs(fixture('logs-fluentd-plain.json'), o);
    expect(r.status).toBe(204);
    expect(r.issues).toEqual([]);
  });
  test('logstash (message, @timestamp): 204 while fresh, old warnings a day later', () => {
    const body = fixture('logs-logstash.json');
    expect(validateLogs(body, { now: Date.UTC(2021, 5, 25, 15, 50) }).issues).toEqual([]);
    const r = validateLogs(body, { now: Date.UTC(2021, 5, 26, 16, 0) });
    expect(r.status).toBe(204);
    expect(r.issues.map((i) => [i.rule, i.pointer, i.line])).toEqual([
      ['log-timestamp-old', '/0/@timestamp', 1],
      ['log-timestamp-old', '/1/@timestamp', 1],
    ]);
  });
  test("the API page's request model: its two timestamps lie 8 days apart, so one is always old", () => {
    const r = validateLogs(fixture('logs-docs-model.json'), { now: Date.UTC(2025, 11, 17, 22, 13) });
    expect(r.status).toBe(204);
    // the zone-less `2025-12-17T22:12:31.0000` is read as UTC; `"1765281600"` is epoch seconds (2025-12-09)
    expect(r.issues.map((i) => [i.rule, i.pointer, i.line, i.column])).toEqual([['log-timestamp-old', '/1/@timestamp', 30, 19]]);
  });
  test("the API page's curl example: 204", () => {
    const r = validateLogs(fixture('logs-docs-curl.json'), o);
    expect(r.status).toBe(204);
    expect(r.issues).toEqual([]);
  });
  test("the API page's JSON lines example (blank lines between records): 204", () => {
    const r = validateLogs(fixture('logs-docs-jsonlines.jsonl'), o, 'application/jsonl');
    expect(r.status).toBe(204);
    expect(r.issues).toEqual([]);
  });
});

describe('answers', () => {
  test('a record that is not an object is dropped: 200 with the SuccessEnvelope', () => {
    const r = validateLogs('[{"content":"a"},\n 7]', o);
    expect(r.status).toBe(200);
    expect(r.ok).toBe(true);
    expect(r.body).toEqual({ details: { code: 200, message: '1 of 2 log records ingested; the others were invalid' } });
    const issue = r.issues.find((i) => i.rule === 'log-not-object')!;
    expect([issue.pointer, issue.line, issue.column, issue.severity]).toEqual(['/1', 2, 2, 'error']);
    expect(rules(r)).toContain('logs-partial-success');
  });
  test('no valid record: 400 with the ErrorEnvelope naming each', () => {
    const r = validateLogs('["a", 1]', o);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: {
        code: 400,
        message: 'Constraints violated.',
        constraintViolations: [
          { path: '[0]', message: 'must be a JSON object', parameterLocation: 'PAYLOAD_BODY', location: null },
          { path: '[1]', message: 'must be a JSON object', parameterLocation: 'PAYLOAD_BODY', location: null },
        ],
      },
    });
  });
  test('a top-level scalar: 400', () => {
    expect(validateLogs('"hello"', o).status).toBe(400);
  });
  test('malformed JSON: 400 with the position', () => {
    const r = validateLogs('[{"content":"a"},]', o);
    expect(r.status).toBe(400);
    expect(r.issues[0]).toMatchObject({ rule: 'json-syntax', line: 1, column: 18 });
  });
  test('an empty array: 204 that ingests nothing, a warning', () => {
    const r = validateLogs('[]', o);
    expect(r.status).toBe(204);
    expect(rules(r)).toEqual(['logs-empty']);
  });
  test('past the request size: 413 before parsing', () => {
    const r = validateLogs('[{"content":"abcdef"}]', { ...o, logsMaxBodyBytes: 10 });
    expect(r.status).toBe(413);
    expect(r.body).toEqual({ error: { code: 413, message: 'Payload too large: 22 > 10 bytes' } });
  });
  test('past the record count: 413 for JSON, JSON lines and text lines', () => {
    const opts = { ...o, logsMaxRecords: 2 };
    const json = validateLogs('[{},{},{}]', opts);
    expect(json.status).toBe(413);
    expect(json.body).toEqual({ error: { code: 413, message: 'Payload too large: 3 > 2 log records' } });
    expect(validateLogs('{}\n{}\n\n{}\n', opts, 'application/x-ndjson').status).toBe(413);
    expect(validateLogs('a\nb\nc', { ...opts, logsTextPlainLines: true }, 'text/plain').status).toBe(413);
    expect(validateLogs('{}\n\n{}\n', opts, 'application/x-ndjson').status).toBe(204);
  });
  test('bytes are judged as UTF-8: an invalid sequence is a 400 with its position', () => {
    const bytes = new Uint8Array([0x61, 0x0a, 0x62, 0xff]);
    const r = validateLogs(bytes, o, 'text/plain');
    expect(r.status).toBe(400);
    expect(r.issues[0]).toMatchObject({ rule: 'json-invalid-utf8', line: 2, column: 2 });
  });
});

describe('JSON lines', () => {
  test('a line that does not parse is dropped with its line and column; the others are ingested', () => {
    const r = validateLogs('{"content":"a"}\n\n{"content":"b",}\n{"content":"c"}', o, 'application/jsonl');
    expect(r.status).toBe(200);
    const issue = r.issues.find((i) => i.rule === 'log-line-syntax')!;
    expect([issue.pointer, issue.line, issue.column, issue.endpointMessage]).toEqual([
      '/1',
      3,
      16,
      'Malformed JSON: expected a string key at line 3 column 16',
    ]);
  });
  test("a record's problems carry the line of the record and the column inside it", () => {
    const r = validateLogs('{"content":"a"}\r\n{"content":"b","timestamp":"later"}\n', o, 'application/x-ndjson');
    expect(r.status).toBe(204);
    expect(r.issues[0]).toMatchObject({ rule: 'log-timestamp-invalid', pointer: '/1/timestamp', line: 2, column: 28 });
  });
  test('only blank lines: 400 empty body', () => {
    expect(validateLogs('\n \r\n', o, 'application/jsonl').issues[0]!.rule).toBe('body-empty');
  });
});

describe('text/plain', () => {
  test('by default the whole body is one record (docs: limited to a single log event)', () => {
    const r = validateLogs('line one\nline two\n', o, 'text/plain');
    expect(r.status).toBe(204);
    expect(validateLogs('x'.repeat(11), { ...o, logsMaxContentBytes: 10 }, 'text/plain').issues.map((i) => [i.rule, i.line])).toEqual([
      ['log-content-too-long', 1],
    ]);
  });
  test('with logsTextPlainLines each non-blank line is a record, judged on its own', () => {
    const r = validateLogs('short\n\n' + 'x'.repeat(11) + '\n', { ...o, logsTextPlainLines: true, logsMaxContentBytes: 10 }, 'text/plain');
    expect(r.status).toBe(204);
    expect(r.issues.map((i) => [i.rule, i.pointer, i.line])).toEqual([['log-content-too-long', '/1', 3]]);
  });
  test('an empty body: 400', () => {
    expect(validateLogs(' \n', o, 'text/plain').status).toBe(400);
  });
});

describe('special keys', () => {
  test('keys are compared case-insensitively', () => {
    const r = validateLogs('{"MESSAGE":"hi","Severity":"WARNING","TimeStamp":"soon"}', o);
    expect(rules(r)).toEqual(['log-timestamp-invalid']);
    expect(r.issues[0]!.pointer).toBe('/TimeStamp');
  });
  test('the first key of the list wins: timestamp before @timestamp', () => {
    const r = validateLogs('{"content":"a","@timestamp":"2026-12-07T11:00:00Z","timestamp":"nope"}', o);
    expect(r.issues.map((i) => i.pointer)).toEqual(['/timestamp']);
  });
  test('timestamps: epoch seconds, milliseconds, fractional seconds, RFC 3339, zone-less RFC 3339 and RFC 3164 are read', () => {
    for (const t of [
      '1796644800',
      '1796644800000',
      '1796644800.5',
      '"2026-12-07T11:00:00+01:00"',
      '"2026-12-07T11:00:00.000"',
      '"Dec  7 11:00:00"',
      '"Dec 17 11:00:00"',
    ]) {
      expect(rules(validateLogs(`{"content":"a","timestamp":${t}}`, o)), t).toEqual([]);
    }
    expect(rules(validateLogs('{"content":"a","timestamp":"Dex  7 11:00:00"}', o))).toEqual(['log-timestamp-invalid']);
  });
  test('older than 24 hours: dropped after acceptance (a warning, the answer stays 204)', () => {
    const r = validateLogs(`{"content":"a","timestamp":${NOW - 86_400_001}}`, o);
    expect(r.status).toBe(204);
    expect(r.issues[0]).toMatchObject({
      rule: 'log-timestamp-old',
      severity: 'warning',
      message: 'timestamp is older than 24 hours: the record is dropped after acceptance',
    });
    expect(rules(validateLogs(`{"content":"a","timestamp":${NOW - 86_400_000}}`, o))).toEqual([]);
  });
  test('more than 10 minutes ahead: replaced (the two documented clamps are an option)', () => {
    const body = `{"content":"a","timestamp":${NOW + 600_001}}`;
    expect(rules(validateLogs(`{"content":"a","timestamp":${NOW + 600_000}}`, o))).toEqual([]);
    expect(validateLogs(body, o).issues[0]!.message).toBe('timestamp lies 600001 ms in the future, more than 600000 ms: it is replaced by the current time');
    expect(validateLogs(body, { ...o, logsFutureClampToTolerance: true }).issues[0]!.message).toBe(
      'timestamp lies 600001 ms in the future, more than 600000 ms: it is replaced by the current time plus 600000 ms',
    );
  });
  test('levels: known by their first letter (or trace/verbose); anything else is NONE, a note', () => {
    for (const v of ['emergency', 'Fatal', 'err', 'alarm', 'crucial', 'serious', 'warn', 'notice', 'INFO', 'debug', 'trace', 'Verbose']) {
      expect(rules(validateLogs(`{"content":"a","level":"${v}"}`, o)), v).toEqual([]);
    }
    const r = validateLogs('{"content":"a","status":200}', o);
    expect(r.issues[0]).toMatchObject({ rule: 'log-severity-unknown', severity: 'info', pointer: '/status' });
  });
  test('no content key: a warning naming the keys looked for', () => {
    const r = validateLogs('{"msg":"a"}', o);
    expect(r.issues[0]).toMatchObject({ rule: 'log-content-missing', pointer: '', line: 1, column: 1 });
    expect(r.issues[0]!.message).toContain('content, message, payload, log');
  });
});

describe('attribute limits (warnings: the endpoint truncates or drops after accepting)', () => {
  const attrs = (n: number): string => `{"content":"a",${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`;
  test('attributes per record: nested leaves count, the special keys do not', () => {
    expect(rules(validateLogs(attrs(500), o))).toEqual([]);
    const r = validateLogs(attrs(501), o);
    expect(r.issues.map((i) => [i.rule, i.message])).toEqual([
      ['log-too-many-attributes', 'the record has 501 attributes, over the limit of 500: the ones past it are not ingested'],
    ]);
    expect(rules(validateLogs('{"content":"a","a":{"b":1,"c":2},"d":3}', { ...o, logsMaxAttributes: 2 }))).toEqual(['log-too-many-attributes']);
  });
  test('attribute key length in bytes, flattened keys included', () => {
    const k = 'k'.repeat(100);
    expect(rules(validateLogs(`{"content":"a","${k}":1}`, o))).toEqual([]);
    expect(rules(validateLogs(`{"content":"a","${k}é":1}`, o))).toEqual(['log-attribute-key-too-long']);
    const r = validateLogs(`{"content":"a","outer":{"${'i'.repeat(95)}":1}}`, o);
    expect(r.issues[0]).toMatchObject({ rule: 'log-attribute-key-too-long', pointer: `/outer/${'i'.repeat(95)}` });
  });
  test('attribute value length in bytes, array items included', () => {
    const v = 'v'.repeat(32_768);
    expect(rules(validateLogs(`{"content":"a","k":"${v}"}`, o))).toEqual([]);
    expect(rules(validateLogs(`{"content":"a","k":"${v}v"}`, o))).toEqual(['log-attribute-value-too-long']);
    const r = validateLogs(`{"content":"a","k":["x","${v}v"]}`, o);
    expect(r.issues[0]!.pointer).toBe('/k/1');
  });
  test('values per attribute', () => {
    const arr = (n: number): string => `[${Array.from({ length: n }, (_, i) => i).join(',')}]`;
    expect(rules(validateLogs(`{"content":"a","k":${arr(32)}}`, o))).toEqual([]);
    expect(rules(validateLogs(`{"content":"a","k":${arr(33)}}`, o))).toEqual(['log-too-many-values']);
  });
  test('nesting deeper than 5 levels', () => {
    expect(rules(validateLogs('{"content":"a","a":{"b":{"c":{"d":{"e":1}}}}}', o))).toEqual([]);
    const r = validateLogs('{"content":"a","a":{"b":{"c":{"d":{"e":{"f":1}}}}}}', o);
    expect(r.issues.map((i) => [i.rule, i.pointer])).toEqual([['log-nesting-too-deep', '/a/b/c/d/e']]);
  });
  test('content length in bytes (default: the Classic pipeline 512 kB)', () => {
    expect(EVENTS_DEFAULTS.logsMaxContentBytes).toBe(524_288);
    expect(rules(validateLogs(`{"content":"${'é'.repeat(262_144)}"}`, o))).toEqual([]);
    expect(rules(validateLogs(`{"content":"${'é'.repeat(262_144)}x"}`, o))).toEqual(['log-content-too-long']);
  });
});

describe('robustness', () => {
  test('a 100,000-deep record neither throws nor recurses past the level limit', () => {
    const deep = `{"content":"a","x":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
    expect(() => validateLogs(deep, o)).not.toThrow();
  });
  test('__proto__ keys are attributes like any other, and touch no prototype', () => {
    const r = validateLogs('{"content":"a","__proto__":{"polluted":"x".repeat(1)}}'.replace('"x".repeat(1)', '"x"'), o);
    expect(r.status).toBe(204);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  test('random JSON never throws; the structural verdict equals ajv on the shipped schema', () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    const schema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'logs.schema.json'), 'utf8')) as object);
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = validateLogs(JSON.stringify(v), o);
        const structural = !r.issues.some((i) => i.severity === 'error' && eventRuleById(i.rule)?.kind === 'structural');
        expect(structural).toBe(schema(v));
        if (Array.isArray(v) && v.length > 0) expect(r.status === 200 || r.status === 204 || r.status === 400).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
  test('every line of a random JSON lines body is one record: its issues name its index and line', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.jsonValue().map((v) => JSON.stringify(v)),
            fc.string(),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        (lines) => {
          const body = lines.map((l) => l.replace(/[\r\n]/g, ' ')).join('\n');
          const r = validateLogs(body, o, 'application/jsonl');
          for (const issue of r.issues) if (issue.pointer !== '') expect(issue.line).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
