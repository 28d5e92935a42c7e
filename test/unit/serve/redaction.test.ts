/**
 * Issue 21 item 4, kept as tests: a token in the query string (which the proxy forwards) or in any
 * credential-like header never shows on any surface: the inspector's list, detail, live stream, body
 * search, exports, copy as curl, the record file, and error messages. The upstream still gets it.
 */
import http from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer, type ServeOptions } from '../../../src/serve/index.js';
import type { RequestDetail } from '../../../src/serve/inspector/index.js';
import { isSecretName, redactHeaders, redactTarget } from '../../../src/serve/inspector/record.js';
import { curlCommand } from '../../../ui/inspector/detail.js';
import { Started, TEXT, deadPort, send, startUpstream } from './helpers.js';

const API = '/_dt-ingest/ui/api/';
const SECRETS = [
  'dt0c01.QUERYSECRET',
  'dt0c01.LOWERSECRET',
  'PLAINTOKENSECRET',
  'OAUTHSECRET',
  'dt0c01.HEADERSECRET',
  'FWDSECRET',
  'XAUTHSECRET',
  'APITOKENSECRET',
  'COOKIESECRET',
  'KEYSECRET',
];
const QUERY = `?Api-Token=${SECRETS[0]}&api-token=${SECRETS[1]}&TOKEN=${SECRETS[2]}&access_token=${SECRETS[3]}&keep=visible`;
const HEADERS = {
  ...TEXT,
  authorization: `Api-Token ${SECRETS[4]}`,
  'x-forwarded-authorization': `Bearer ${SECRETS[5]}`,
  'x-auth': SECRETS[6]!,
  'x-my-api-token': SECRETS[7]!,
  cookie: `session=${SECRETS[8]}`,
  'x-secret-key': SECRETS[9]!,
};

const started = new Started();
afterEach(() => started.closeAll());
async function serve(options: ServeOptions = {}): Promise<RunningServer> {
  const s = await startServer({ port: 0, ui: true, ...options });
  started.servers.push(s);
  return s;
}
function clean(surface: string, text: string): void {
  for (const secret of SECRETS) expect(text, `${surface} shows ${secret}`).not.toContain(secret);
}

describe('redaction rules', () => {
  it('query parameters by name, any case, percent-encoded names too; the rest as received', () => {
    expect(redactTarget(`/api/v2/metrics/ingest${QUERY}`)).toBe(
      '/api/v2/metrics/ingest?Api-Token=[redacted]&api-token=[redacted]&TOKEN=[redacted]&access_token=[redacted]&keep=visible',
    );
    expect(redactTarget('/x?Api%2DToken=abc&a=%ZZ')).toBe('/x?Api%2DToken=[redacted]&a=%ZZ');
    expect(redactTarget('/x?token')).toBe('/x?token=[redacted]');
    expect(redactTarget('/x')).toBe('/x');
  });

  it('headers by name pattern; Authorization-like keep their scheme', () => {
    for (const name of [
      'Authorization',
      'Proxy-Authorization',
      'X-Forwarded-Authorization',
      'X-Auth',
      'X-Auth-Token',
      'Cookie',
      'Set-Cookie',
      'X-Api-Key',
      'X-Session-Id',
      'Some-Secret',
    ])
      expect(isSecretName(name.toLowerCase()), name).toBe(true);
    for (const name of ['Content-Type', 'User-Agent', 'Host', 'Accept']) expect(isSecretName(name.toLowerCase()), name).toBe(false);
    expect(redactHeaders(['X-Forwarded-Authorization', 'Bearer abc', 'X-Auth', 'abc def'])).toEqual([
      ['X-Forwarded-Authorization', 'Bearer [redacted]'],
      ['X-Auth', '[redacted]'],
    ]);
  });
});

describe('no surface shows a token', () => {
  it('mock: list, detail, stream, search, exports, body download, curl, record file', async () => {
    const record = join(mkdtempSync(join(tmpdir(), 'dt-ingest-redact-')), 'received.ndjson');
    const s = await serve({ record });
    // the live stream, open before the request
    const streamed: string[] = [];
    const live = http.get(s.url + API + 'stream', { agent: false }, (res) => res.on('data', (c: Buffer) => streamed.push(c.toString('utf8'))));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const r = await send(s.url + '/api/v2/metrics/ingest' + QUERY, 'POST', 'a.b 1\n', HEADERS);
    expect(r.status).toBe(202);
    const list = await send(s.url + API + 'requests', 'GET');
    clean('list', list.text);
    expect(list.text).toContain('keep=visible');
    const detail = await send(s.url + API + 'requests/1', 'GET');
    clean('detail', detail.text);
    expect(detail.text).toContain('Api-Token [redacted]');
    clean('curl', curlCommand(detail.json() as RequestDetail, s.url));
    clean('search', (await send(s.url + API + 'search?q=a.b', 'GET')).text);
    clean('export', (await send(s.url + API + 'export', 'GET')).text);
    clean('received', (await send(s.url + '/_dt-ingest/received', 'GET')).text);
    clean('body download', (await send(s.url + API + 'requests/1/body', 'GET')).text);
    await new Promise((resolve) => setTimeout(resolve, 300));
    live.destroy();
    expect(streamed.join('')).toContain('keep=visible');
    clean('stream', streamed.join(''));
    await s.close();
    started.servers = [];
    clean('record file', readFileSync(record, 'utf8'));
  });

  it('proxy: the upstream gets the query token; the answer, its message and the inspector do not show it', async () => {
    const up = await startUpstream();
    started.upstreams.push(up);
    const s = await serve({ mode: 'proxy', upstream: up.url });
    expect((await send(s.url + '/api/v2/metrics/ingest' + QUERY, 'POST', 'a.b 1\n', HEADERS)).status).toBe(202);
    expect(up.requests[0]!.url).toContain(SECRETS[0]);
    clean('list', (await send(s.url + API + 'requests', 'GET')).text);
    clean('detail', (await send(s.url + API + 'requests/1', 'GET')).text);
    // an upstream that cannot be reached: the message names it without the query
    const dead = await serve({ mode: 'proxy', upstream: `http://127.0.0.1:${await deadPort()}`, retryCount: 0 });
    const failed = await send(dead.url + '/api/v2/metrics/ingest' + QUERY, 'POST', 'a.b 1\n', HEADERS);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    clean('error answer', failed.text);
    clean('list after an error', (await send(dead.url + API + 'requests', 'GET')).text);
  });
});
