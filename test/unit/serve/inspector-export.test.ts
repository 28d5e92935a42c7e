/**
 * The inspector's export of the filtered problems (`GET api/problems?q=&format=json|sarif`): the same
 * documents as the CLI's `json` and `sarif` formats (messages key for key equal to
 * `dt-ingest validate --format json` on the same body, SARIF valid against the 2.1.0 schema), only
 * the requests the query passes, and bounded by `INSPECTOR_LIMITS`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import { eslintFile, type sarifLog } from '../../../src/report/formats.js';
import { startServer, type RunningServer } from '../../../src/serve/index.js';
import { INSPECTOR_LIMITS } from '../../../src/serve/options.js';
import { ROOT, run, scratch } from '../cli/helpers.js';
import { JSON_TYPE, TEXT, send } from './helpers.js';

const API = '/_dt-ingest/ui/api/';
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as object;
const AjvDraft04 = ((AjvDraft04Module as unknown as { default?: unknown }).default ?? AjvDraft04Module) as unknown as typeof AjvDraft04Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  a: InstanceType<typeof AjvDraft04>,
) => void;
const ajv = new AjvDraft04({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(schema);

const BAD_METRICS = 'cpu.temp,host=a 1\nbad key 1\ncpu.temp,Bad%0A::x=1 1\nmem.used,host=b gauge,min=3,max=1,sum=8,count=4\n';
const BAD_EVENTS = JSON.stringify([{ 'event.type': 'CUSTOM_INFO', title: 'a', timestamp: 'not-a-time' }]);

interface EslintFile {
  filePath: string;
  messages: Record<string, unknown>[];
  errorCount: number;
  warningCount: number;
  status: number;
}

async function server(receivedLimit = 1000): Promise<RunningServer> {
  const s = await startServer({ port: 0, receivedLimit });
  servers.push(s);
  return s;
}

describe('export of the filtered problems', () => {
  it('gives the CLI json format: the messages of a request equal those of `validate metrics --format json` on its body', async () => {
    const s = await server();
    await send(s.url + '/api/v2/metrics/ingest', 'POST', 'ok.metric 1\n', TEXT);
    await send(s.url + '/api/v2/metrics/ingest', 'POST', BAD_METRICS, TEXT);
    await send(s.url + '/platform/ingest/v1/events', 'POST', BAD_EVENTS, JSON_TYPE);
    const r = await send(`${s.url}${API}problems?format=json&q=${encodeURIComponent('route:metrics')}`, 'GET');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['content-disposition']).toBe('attachment; filename="dt-ingest-problems.json"');
    const files = r.json() as EslintFile[];
    // the clean request and the events request are not listed
    expect(files.map((f) => f.filePath)).toEqual(['dt-ingest-request-2.txt']);
    const dir = scratch({ 'body.txt': BAD_METRICS });
    const cli = await run(['validate', 'metrics', 'body.txt', '-f', 'json'], { cwd: dir });
    const expected = (JSON.parse(cli.stdout) as EslintFile[])[0]!;
    expect(expected.messages.length).toBeGreaterThanOrEqual(3);
    expect(files[0]!.messages.map(({ request, ...m }) => m)).toEqual(expected.messages);
    expect(files[0]!.messages.every((m) => m.request === 2)).toBe(true);
    expect(files[0]).toMatchObject({ errorCount: expected.errorCount, warningCount: expected.warningCount, status: 400 });
    // key order as the CLI writes it
    expect(Object.keys(files[0]!)).toEqual(Object.keys(expected).filter((k) => k in files[0]!));
  });

  it('gives valid SARIF 2.1.0 naming each request by its body download, rules from the endpoints listed', async () => {
    const s = await server();
    await send(s.url + '/api/v2/metrics/ingest', 'POST', BAD_METRICS, TEXT);
    await send(s.url + '/platform/ingest/v1/events', 'POST', BAD_EVENTS, JSON_TYPE);
    const r = await send(`${s.url}${API}problems?format=sarif`, 'GET');
    expect(r.headers['content-type']).toBe('application/sarif+json');
    const log = r.json() as ReturnType<typeof sarifLog>;
    expect(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true);
    const run0 = log.runs[0]!;
    const uris = new Set(run0.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri));
    expect(uris).toEqual(new Set(['dt-ingest-request-1.txt', 'dt-ingest-request-2.json']));
    const ids = run0.tool.driver.rules.map((x) => x.id);
    expect(ids).toContain('metric-key-char');
    for (const x of run0.results) if (x.ruleIndex !== undefined) expect(ids[x.ruleIndex]).toBe(x.ruleId);
    const events = run0.results.find((x) => x.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('.json'))!;
    expect(events.ruleId).toMatch(/timestamp/);
    expect(run0.properties).toMatchObject({ query: '', requestsMatched: 2, requestsListed: 2, cut: false });
    // the body download has the name the export uses
    const body = await send(`${s.url}${API}requests/1/body`, 'GET');
    expect(body.headers['content-disposition']).toBe('attachment; filename="dt-ingest-request-1.txt"');
    expect(body.text).toBe(BAD_METRICS);
  });

  it('exports only what the query passes, and refuses an unknown format', async () => {
    const s = await server();
    await send(s.url + '/api/v2/metrics/ingest', 'POST', BAD_METRICS, TEXT);
    await send(s.url + '/no/such/endpoint', 'POST', 'x', TEXT);
    const only404 = (await send(`${s.url}${API}problems?format=json&q=status:404`, 'GET')).json() as EslintFile[];
    expect(only404).toEqual([expect.objectContaining({ filePath: 'dt-ingest-request-2.json', messages: [], status: 404 })]);
    const none = (await send(`${s.url}${API}problems?format=sarif&q=route:events`, 'GET')).json() as ReturnType<typeof sarifLog>;
    expect(none.runs[0]!.results).toEqual([]);
    const bad = await send(`${s.url}${API}problems?format=xml`, 'GET');
    expect(bad.status).toBe(400);
  });

  it('stops at exportRequests requests and says it was cut', async () => {
    const n = INSPECTOR_LIMITS.exportRequests + 3;
    const s = await server(n);
    // records straight into the log: thousands of POSTs would only slow the test
    const log = s.handler.inspector!.log;
    const template = log.list();
    expect(template).toHaveLength(0);
    await send(s.url + '/api/v2/metrics/ingest', 'POST', 'bad key 1\n', TEXT);
    const one = log.list()[0]!;
    for (let i = 1; i < n; i++) log.add({ ...one, summary: { ...one.summary, id: log.takeId() } });
    expect(log.list()).toHaveLength(n);
    const r = await send(`${s.url}${API}problems?format=json`, 'GET');
    const files = r.json() as EslintFile[];
    expect(files.length).toBe(INSPECTOR_LIMITS.exportRequests);
    expect(r.headers['x-dt-ingest-export']).toBe(
      `requests=${INSPECTOR_LIMITS.exportRequests}; problems=${INSPECTOR_LIMITS.exportRequests * files[0]!.messages.length}; matched=${n}; cut=true`,
    );
    // newest first
    expect(files[0]!.filePath).toBe(`dt-ingest-request-${log.list().at(-1)!.summary.id}.txt`);
  });

  it('stops at exportProblems problems (the last request listed only up to the limit) and says it was cut', async () => {
    const perBody = 1500;
    const bodies = Math.ceil(INSPECTOR_LIMITS.exportProblems / perBody) + 2;
    const s = await server(bodies + 1);
    const log = s.handler.inspector!.log;
    await send(s.url + '/api/v2/metrics/ingest', 'POST', 'bad key 1\n'.repeat(perBody), TEXT);
    const one = log.list()[0]!;
    for (let i = 1; i < bodies; i++) log.add({ ...one, summary: { ...one.summary, id: log.takeId() } });
    const r = await send(`${s.url}${API}problems?format=json`, 'GET');
    const files = r.json() as EslintFile[];
    const listed = files.reduce((n, f) => n + f.messages.length, 0);
    expect(listed).toBe(INSPECTOR_LIMITS.exportProblems);
    // every request but the last one listed whole; the last one up to the limit
    const whole = Math.floor(INSPECTOR_LIMITS.exportProblems / perBody);
    expect(files.slice(0, whole).every((f) => f.messages.length === perBody)).toBe(true);
    expect(files).toHaveLength(Math.ceil(INSPECTOR_LIMITS.exportProblems / perBody));
    expect(r.headers['x-dt-ingest-export']).toBe(`requests=${files.length}; problems=${INSPECTOR_LIMITS.exportProblems}; matched=${bodies}; cut=true`);
  });

  it('builds a file as the CLI streams it (eslintFile: messages, then the counts)', () => {
    const f = eslintFile('a.txt', [{ rule: 'r', severity: 'warning', message: 'm', line: 2, column: 3 }], {
      status: 202,
      counts: { error: 0, warning: 1, info: 0 },
    });
    expect(f).toMatchObject({ filePath: 'a.txt', warningCount: 1, errorCount: 0, status: 202 });
    expect(f.messages).toEqual([{ ruleId: 'r', severity: 1, message: 'm', line: 2, column: 3, endLine: 2, endColumn: 4, level: 'warning' }]);
  });
});
