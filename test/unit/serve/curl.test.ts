/**
 * Issue 21 item 6: copy as curl sends the same bytes. Generated bodies (NUL, CR, quotes, `%`, `@`,
 * backslashes, invalid UTF-8, BOMs, any byte) go through the exported command, run by bash with a
 * recording stand-in for curl on PATH that writes the bytes its `--data-binary` names; they must be
 * the body byte for byte. Also the token: a redacted query value or header becomes `$DT_API_TOKEN`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { RequestDetail } from '../../../src/serve/inspector/index.js';
import { curlCommand } from '../../../ui/inspector/detail.js';

const dir = mkdtempSync(join(tmpdir(), 'dt-ingest-curl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// the stand-in: writes the --data-binary bytes (inline, @file or @- for stdin) and the URL
writeFileSync(
  join(dir, 'curl'),
  `#!/usr/bin/env bash
url=''
while [ $# -gt 0 ]; do
  case "$1" in
    --data-binary) shift; v="$1"
      if [ "$v" = "@-" ]; then cat > "$OUT"; elif [ "\${v:0:1}" = "@" ]; then cat "\${v:1}" > "$OUT"; else printf '%s' "$v" > "$OUT"; fi ;;
    -X|-H) shift ;;
    -*) ;;
    *) url="$1" ;;
  esac
  shift
done
printf '%s' "$url" > "$OUT.url"
`,
);
chmodSync(join(dir, 'curl'), 0o755);

function detail(body: Uint8Array, target = '/api/v2/metrics/ingest'): RequestDetail {
  return {
    summary: { id: 1, method: 'POST', route: 'metrics' } as RequestDetail['summary'],
    target,
    headers: [
      ['Host', '127.0.0.1:1'],
      ['Authorization', 'Api-Token [redacted]'],
      ['X-Auth', '[redacted]'],
      ['content-type', 'text/plain; charset=utf-8'],
    ],
    body: { kept: true, bytes: body.length, text: '', truncated: false, base64: Buffer.from(body).toString('base64') },
    problems: [],
    problemCount: 0,
    answer: { status: 202, headers: [], body: '' },
    fixable: true,
  };
}

let runs = 0;
function replay(command: string): { body: Buffer; url: string } {
  const out = join(dir, `out-${runs++}`);
  const r = spawnSync('bash', ['-c', command], { env: { PATH: `${dir}:/usr/bin:/bin`, OUT: out, DT_API_TOKEN: 'dt0c01.TOKEN' }, encoding: 'buffer' });
  expect(r.status, r.stderr.toString()).toBe(0);
  return { body: readFileSync(out), url: readFileSync(`${out}.url`, 'utf8') };
}

/** Bytes biased toward what breaks shell quoting and curl's argument rules. */
const nasty = fc.constantFrom(0x00, 0x0a, 0x0d, 0x09, 0x27, 0x22, 0x5c, 0x25, 0x40, 0x2d, 0x24, 0x60, 0x21, 0xff, 0xc3, 0xa9, 0xef, 0xbb, 0xbf, 0x80, 0x7f);
const bodies = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.array(fc.oneof(nasty, fc.integer({ min: 0x20, max: 0x7e })), { maxLength: 200 }).map((a) => Uint8Array.from(a)),
  fc.string({ unit: 'grapheme', maxLength: 80 }).map((s) => new TextEncoder().encode(s)),
);

describe('copy as curl', () => {
  it('property: the command sends the body byte for byte (120 generated bodies, one bash run)', () => {
    // one bash process runs every command (a process per body costs seconds on a busy machine)
    const samples = fc.sample(bodies, { numRuns: 120, seed: 21 });
    const script = samples.map((body, i) => `export OUT=${join(dir, `p-${i}`)}\n${curlCommand(detail(body), 'http://127.0.0.1:1')}`).join('\n');
    const r = spawnSync('bash', ['-c', script], { env: { PATH: `${dir}:/usr/bin:/bin`, DT_API_TOKEN: 't' }, encoding: 'buffer' });
    expect(r.status, r.stderr.toString()).toBe(0);
    for (let i = 0; i < samples.length; i++) {
      const got = readFileSync(join(dir, `p-${i}`));
      expect(got.equals(Buffer.from(samples[i]!)), `body ${i}: ${Buffer.from(samples[i]!).toString('hex')}`).toBe(true);
    }
  });

  it('the cases of the report: a NUL stays a NUL, invalid UTF-8 stays invalid', () => {
    for (const body of [
      Buffer.from('attack.nul\0key 1'),
      Buffer.from([0x61, 0x2e, 0x62, 0x20, 0xff, 0xfe, 0x0a]),
      Buffer.from('@/etc/passwd'),
      Buffer.from('-1'),
    ]) {
      const command = curlCommand(detail(body), 'http://127.0.0.1:1');
      expect(replay(command).body.equals(body)).toBe(true);
    }
    // readable bodies stay readable in the command
    expect(curlCommand(detail(Buffer.from('cpu.temp 1\nb.c 2')), 'http://x')).toContain("--data-binary 'cpu.temp 1\nb.c 2'");
  });

  it('the token is a variable: in the Authorization header and in the query string', () => {
    const command = curlCommand(detail(Buffer.from('a.b 1'), '/api/v2/metrics/ingest?Api-Token=[redacted]&x=1'), 'http://127.0.0.1:1');
    expect(command).toContain('-H "Authorization: Api-Token $DT_API_TOKEN"');
    expect(command).not.toContain('X-Auth');
    expect(replay(command).url).toBe('http://127.0.0.1:1/api/v2/metrics/ingest?Api-Token=dt0c01.TOKEN&x=1');
  });
});
