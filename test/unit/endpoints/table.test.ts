/**
 * The endpoint table is the one list of ingest endpoints: every row is served by `serve` (at its path,
 * its aliases and under `/e/{environmentId}`, with the answer of its own validator, its media types and
 * its mock store key), judged again by the inspector, listed by the CLI and documented; and no other
 * file of src/ or ui/ holds an endpoint path or id as a literal, so a new row cannot be half-wired.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENDPOINTS,
  bodyLimit,
  endpointById,
  endpointPath,
  judgeBody,
  matchEndpoint,
  type EndpointDescriptor,
  type EndpointVerdict,
} from '../../../src/endpoints/index.js';
import { resolveEventsOptions } from '../../../src/events/options.js';
import { resolveMetricsOptions } from '../../../src/protocol/options.js';
import { resolveOtlpOptions } from '../../../src/protocol/otlp-options.js';
import { otlpJsonToProtobuf } from '../../../src/otlp/json.js';
import { createIngestHandler, type IngestHandler } from '../../../src/serve/handler.js';
import { requestDetail } from '../../../src/serve/inspector/views.js';
import { SERVE_HELP } from '../../../src/cli/commands/serve.js';
import { VALIDATE_COMMAND } from '../../../src/cli/commands/validate.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const NOW = 1_767_225_600_000;
const PARAM = 'dev 1';

/** A path of `e` to post to: its documented path with the parameter filled in. */
const pathOf = (e: EndpointDescriptor): string => endpointPath(e, PARAM);

/** The example body as sent: the playground's text, or for a binary (OTLP) row its protobuf encoding. */
function exampleBody(e: EndpointDescriptor): string | Uint8Array<ArrayBuffer> {
  const text = e.playground.example(NOW);
  return e.media[0]!.body === 'binary' ? Uint8Array.from(otlpJsonToProtobuf(text)) : text;
}

/** What the table's own validator answers to `e`'s example body. */
function expected(e: EndpointDescriptor): EndpointVerdict {
  return judgeBody(e, {
    body: exampleBody(e),
    mediaType: e.media[0]!.type,
    param: e.pathParam === undefined ? undefined : PARAM,
    metrics: resolveMetricsOptions({ now: NOW }),
    events: resolveEventsOptions({ now: NOW }),
  });
}

describe('the endpoint table', () => {
  it('has one spelling per endpoint: ids unique, earlier spellings resolve to them', () => {
    const ids = ENDPOINTS.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of ENDPOINTS) {
      expect(e.id).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(endpointById(e.id)).toBe(e);
      for (const legacy of e.legacyIds) expect(endpointById(legacy)).toBe(e);
    }
    expect(endpointById('customDevice')?.id).toBe('custom-device');
    expect(endpointById('nope')).toBeUndefined();
  });

  it('reads every limit from an options table', () => {
    const m = resolveMetricsOptions({ maxBodyBytes: 11 });
    const o = resolveEventsOptions({
      eventsMaxBodyBytes: 12,
      smartscapeMaxBodyBytes: 13,
      syntheticMaxBodyBytes: 14,
      customDeviceMaxBodyBytes: 15,
      logsMaxBodyBytes: 16,
      bizeventsMaxBodyBytes: 17,
    });
    expect(ENDPOINTS.map((e) => bodyLimit(e, m, o, resolveOtlpOptions({ maxBodyBytes: 18 })))).toEqual([11, 12, 13, 14, 15, 16, 17, 18]);
  });

  it('matches each path, alias and parameter, and nothing else', () => {
    for (const e of ENDPOINTS) {
      expect(matchEndpoint(pathOf(e))).toEqual({ endpoint: e, param: e.pathParam === undefined ? undefined : PARAM });
      for (const a of e.aliases) expect(matchEndpoint(a.path)).toEqual({ endpoint: e, param: undefined });
      expect(matchEndpoint(pathOf(e) + '/x')).toBeUndefined();
    }
    expect(matchEndpoint('/api/v1/entity/infrastructure/custom/%E0%A4%A')).toEqual({ badParam: 'customDeviceId' });
  });

  it('judges by the validator of the media type when it has one (several media types, binary bodies)', () => {
    const lines = { status: 204, body: null, issues: [] };
    const binary = { status: 200, body: new Uint8Array([8, 1]), contentType: 'application/x-protobuf', issues: [] };
    // a row as a logs or OTLP endpoint would have it: the type must express it
    const row: EndpointDescriptor<'example'> = {
      ...ENDPOINTS[1]!,
      id: 'example',
      media: [
        { type: 'application/json', body: 'text' },
        { type: 'text/plain', body: 'text', judge: () => lines },
        { type: 'application/x-protobuf', body: 'binary', judge: () => binary },
      ],
      encodings: ['gzip'],
      answers: [
        { status: 204, body: 'none' },
        { status: 200, body: 'partial-success' },
        { status: 200, body: 'protobuf' },
      ],
    };
    const input = { body: '[]', param: undefined, metrics: {}, events: { now: NOW } };
    expect(judgeBody(row, { ...input, mediaType: 'text/plain' })).toBe(lines);
    expect(judgeBody(row, { ...input, mediaType: 'application/x-protobuf' })).toBe(binary);
    expect(judgeBody(row, { ...input, mediaType: 'application/json' }).status).toBe(202);
    expect(judgeBody(row, { ...input, mediaType: '' }).status).toBe(202);
  });
});

describe('every row is served by serve', () => {
  let handler: IngestHandler;
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    handler = createIngestHandler({ mode: 'mock', ui: true, metrics: { now: NOW }, events: { now: NOW } });
    server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await handler.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const post = async (path: string, body: string | Uint8Array<ArrayBuffer>, contentType: string): Promise<{ status: number; body: unknown }> => {
    const r = await fetch(base + path, { method: 'POST', body, headers: { 'content-type': contentType } });
    // a protobuf answer (OTLP) as bytes, the others as JSON
    if (r.headers.get('content-type') === 'application/x-protobuf') return { status: r.status, body: new Uint8Array(await r.arrayBuffer()) };
    const text = await r.text();
    return { status: r.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
  };

  it('answers at the path, every alias and under /e/{environmentId} what its validator answers', async () => {
    for (const e of ENDPOINTS) {
      const want = expected(e);
      const body = exampleBody(e);
      for (const path of [pathOf(e), ...e.aliases.map((a) => a.path), `/e/abc12345${pathOf(e)}`]) {
        const got = await post(path, body, e.media[0]!.body === 'binary' ? e.media[0]!.type : `${e.media[0]!.type}; charset=utf-8`);
        expect({ id: e.id, path, ...got }).toEqual({ id: e.id, path, status: want.status, body: want.body ?? null });
      }
    }
  });

  it('takes each media type of its row, and answers 415 to another', async () => {
    for (const e of ENDPOINTS) {
      for (const m of e.media) expect((await post(pathOf(e), exampleBody(e), m.type)).status).not.toBe(415);
      expect((await post(pathOf(e), exampleBody(e), 'application/x-not-a-type')).status).toBe(415);
    }
  });

  it('keeps accepted items under the id; the inspector judges each kept body again as its answer', async () => {
    const snapshot = handler.store.snapshot();
    expect(Object.keys(snapshot)).toEqual(ENDPOINTS.map((e) => e.id));
    // the earlier spelling still reads the same entry, but is not in the JSON answer
    expect(snapshot.customDevice).toBe(snapshot['custom-device']);
    expect(JSON.stringify(snapshot)).not.toContain('"customDevice"');
    expect(JSON.stringify(snapshot)).toContain('"custom-device"');
    const records = handler.inspector!.log.list();
    for (const e of ENDPOINTS) {
      const record = records.find((r) => r.summary.route === e.id && r.summary.status !== 415);
      expect(record, e.id).toBeDefined();
      expect(requestDetail(record!).problemCount, e.id).toBe(expected(e).issues.length);
    }
  });
});

describe('every row is listed by the CLI and documented', () => {
  it('dt-ingest validate has one family per row, named by its id, with its path and flags in its help', () => {
    const families = VALIDATE_COMMAND.subcommands!;
    expect(families.map((f) => f.name)).toEqual(ENDPOINTS.map((e) => e.id));
    for (const e of ENDPOINTS) {
      const help = families.find((f) => f.name === e.id)!.help();
      expect(help).toContain(e.path);
      for (const f of e.cli.flags) expect(help).toContain(`--${f.name}`);
      // several media types: the file is judged as the one named
      if (e.media.length > 1) expect(help).toContain('--content-type');
    }
  });

  it("dt-ingest serve's help names every path and alias", () => {
    for (const e of ENDPOINTS) for (const p of [e.path, ...e.aliases.map((a) => a.path)]) expect(SERVE_HELP).toContain(p);
  });

  it('the docs list every row (proxy: its paths and limit option; cli: its family)', () => {
    const proxy = readFileSync(join(root, 'docs/proxy.md'), 'utf8');
    const cli = readFileSync(join(root, 'docs/cli.md'), 'utf8');
    for (const e of ENDPOINTS) {
      expect(proxy).toContain(`| \`${e.id}\``);
      expect(proxy).toContain(`\`${e.method} ${e.path}\``);
      for (const a of e.aliases) expect(proxy).toContain(`\`${a.path}\``);
      expect(proxy).toContain(`\`${e.limit.option}\``);
      expect(cli).toContain(`\`dt-ingest validate ${e.id}\``);
    }
  });
});

// --- no second list --------------------------------------------------------------------------------

/** Words that are endpoint ids but also other things (option groups, inspector tabs): not flagged alone. */
const AMBIGUOUS_IDS = new Set(['metrics', 'events']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}

/** The literals of a source that name an endpoint: a path, alias or path prefix (also after `/e/{id}`), or an id. */
function endpointLiterals(file: string, text: string): string[] {
  const paths = new Set<string>();
  for (const e of ENDPOINTS) {
    paths.add(e.path);
    paths.add(endpointPath(e, ''));
    for (const a of e.aliases) paths.add(a.path);
  }
  const ids = new Set(ENDPOINTS.flatMap((e) => [e.id, ...e.legacyIds]).filter((id) => !AMBIGUOUS_IDS.has(id)));
  const found: string[] = [];
  // only a file that names one at all is parsed
  if (![...paths, ...ids].some((name) => text.includes(name))) return found;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const visit = (node: ts.Node): void => {
    // a literal type (a typed key, `K extends 'x'`) is no list of endpoints
    if (ts.isLiteralTypeNode(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) {
      const value = node.text.replace(/^\/e\/[^/]+/, '');
      if (paths.has(value) || ids.has(value)) found.push(`${relative(root, file)}: '${node.text}'`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('no second endpoint list', () => {
  it('no file of src/ or ui/ outside src/endpoints/ holds an endpoint path or id as a literal', () => {
    const files = [...sources(join(root, 'src')), ...sources(join(root, 'ui'))].filter((f) => !relative(root, f).startsWith(join('src', 'endpoints')));
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((f) => endpointLiterals(f, readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('sees such literals (the scan is not blind), and not in comments or types', () => {
    const text = `// '/api/v1/synthetic/ext/tests'\ntype K = 'smartscape';\nconst a = ['/api/v1/synthetic/ext/tests', \`/e/x/metrics/ingest\`, 'customDevice', "custom-device", '/api/v1/entity/infrastructure/custom/'];`;
    expect(endpointLiterals(join(root, 'src', 'x.ts'), text)).toHaveLength(5);
  });
});
