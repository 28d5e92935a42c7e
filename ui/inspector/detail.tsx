/**
 * The detail of one request: the body with each problem under its line, the endpoint's answer, the
 * request headers (credentials redacted by the server), and the actions: download the body, copy it
 * as a curl command, fix mode's result as a diff.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { FixDiff, RequestDetail } from '../../src/serve/inspector/views.js';
import { apiUrl, getJson } from '../shared/api.js';
import { CodeView } from '../shared/code.js';
import { formatBytes, formatTime, plural, shellQuote, statusClass } from '../shared/format.js';

/** Headers a curl command does not repeat (curl sets them, or they describe the connection). */
const SKIPPED = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'accept-encoding', 'user-agent', 'keep-alive', 'expect', 'accept']);

/** Decodes the body's bytes as UTF-8 only when every one is a valid character (a BOM kept). */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The body as a single-quoted argument when that is the same bytes: valid UTF-8 without control
 * characters but LF and TAB (a terminal or clipboard may change the others), and not starting with
 * `@` (curl would read a file of that name); else `undefined`.
 */
function quotedBody(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0x40) return undefined;
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a && c !== 0x09) || (c >= 0x7f && c <= 0x9f)) return undefined;
  }
  return shellQuote(text);
}

/**
 * A `printf` format that writes exactly these bytes: printable ASCII as it is, `%` doubled, LF as
 * `\n`, every other byte (NUL, CR, quote, backslash, non-ASCII, invalid UTF-8) as a 3-digit octal
 * escape, which every POSIX `printf` reads.
 */
function printfFormat(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x25) out += '%%';
    else if (b === 0x0a) out += '\\n';
    // a leading '-' would read as an option of printf
    else if (b >= 0x20 && b <= 0x7e && b !== 0x27 && b !== 0x5c && !(b === 0x2d && out === '')) out += String.fromCharCode(b);
    else out += '\\' + b.toString(8).padStart(3, '0');
  }
  return out;
}

function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * The request as a curl command that sends the same bytes: same method, URL, content type and other
 * headers; the token as `$DT_API_TOKEN` (it was never kept, in a header or the query string); the
 * body single-quoted when that is byte for byte the same, else written by `printf` into
 * `--data-binary @-` (NUL and invalid UTF-8 included), or read from the file the download saves
 * when the detail does not carry its bytes.
 */
export function curlCommand(d: RequestDetail, origin: string): string {
  const method = /^[A-Za-z]+$/.test(d.summary.method) ? d.summary.method : shellQuote(d.summary.method);
  // a redacted query value becomes the variable, outside the single quotes
  const url = shellQuote(origin + d.target)
    .split('[redacted]')
    .join(`'"$DT_API_TOKEN"'`);
  const parts = [`curl -i -X ${method} ${url}`];
  for (const [name, value] of d.headers) {
    const lower = name.toLowerCase();
    if (SKIPPED.has(lower)) continue;
    if (lower === 'authorization') {
      const scheme = value.split(' ')[0] ?? 'Api-Token';
      parts.push(`-H "Authorization: ${scheme.replace(/[^A-Za-z0-9._-]/g, '')} $DT_API_TOKEN"`);
      continue;
    }
    if (value.includes('[redacted]')) continue;
    parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  let input = '';
  if (d.body.kept) {
    const ext = d.summary.route === 'metrics' ? 'txt' : 'json';
    const bytes = d.body.base64 !== undefined ? fromBase64(d.body.base64) : undefined;
    const quoted = bytes !== undefined ? quotedBody(bytes) : undefined;
    if (quoted !== undefined) parts.push(`--data-binary ${quoted}`);
    else if (bytes !== undefined) {
      input = `printf '${printfFormat(bytes)}' | `;
      parts.push('--data-binary @-');
    } else parts.push(`--data-binary @dt-ingest-request-${d.summary.id}.${ext}`);
  }
  return input + parts.join(' \\\n  ');
}

function Fix(props: { id: number }): JSX.Element {
  const [diff, setDiff] = useState<FixDiff | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    setDiff(undefined);
    getJson<FixDiff>(`requests/${props.id}/fix`).then(setDiff, (e: Error) => setError(e.message));
  }, [props.id]);
  if (error !== undefined) return <div class="section">{error}</div>;
  if (diff === undefined) return <div class="section hint">running fix mode…</div>;
  return (
    <div class="section">
      <p>
        {`${diff.linesRepaired} lines repaired, ${diff.linesDropped} left out, ${diff.linesKept} kept as they were. `}
        <a class="button" href={apiUrl(`requests/${props.id}/fixed`)} download>
          download the fixed body
        </a>
      </p>
      {diff.rows.length === 0 ? (
        <p class="hint">Fix mode changes nothing in this body.</p>
      ) : (
        <div class="code diff">
          {diff.rows.map((r) => (
            <div key={r.line} data-fix-line={r.line}>
              <div class="row minus">
                <span class="ln">{r.line}</span>
                <span class="text">{`- ${r.before}`}</span>
              </div>
              {r.after !== null ? (
                <div class="row plus">
                  <span class="ln">{r.line}</span>
                  <span class="text">{`+ ${r.after}`}</span>
                </div>
              ) : null}
              {r.notes.map((n, k) => (
                <div class="note" key={k}>
                  {n}
                </div>
              ))}
            </div>
          ))}
          {diff.rowCount > diff.rows.length ? (
            <div class="more">{`${diff.rowCount - diff.rows.length} more changed lines (download the fixed body)`}</div>
          ) : null}
        </div>
      )}
    </div>
  );
}

type DetailTab = 'body' | 'answer' | 'headers' | 'fix';

/** Name and value pairs (headers) as a two-column table. */
function Pairs(props: { rows: readonly [string, string][]; extra?: string }): JSX.Element {
  return (
    <table class={`kv${props.extra !== undefined ? ` ${props.extra}` : ''}`}>
      <tbody>
        {props.rows.map(([k, v], i) => (
          <tr key={i}>
            <td>{k}</td>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Detail(props: { id: number; version: number }): JSX.Element {
  const [detail, setDetail] = useState<RequestDetail | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [tab, setTab] = useState<DetailTab>('body');
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [curl, setCurl] = useState<string | undefined>(undefined);
  const [copied, setCopied] = useState('');
  useEffect(() => {
    setError(undefined);
    setCurl(undefined);
    setCopied('');
    getJson<RequestDetail>(`requests/${props.id}`).then(setDetail, (e: Error) => {
      setDetail(undefined);
      setError(e.message);
    });
  }, [props.id, props.version]);
  if (error !== undefined) return <div class="empty">{error}</div>;
  if (detail === undefined || detail.summary.id !== props.id) return <div class="empty">loading…</div>;
  const s = detail.summary;
  const copy = (): void => {
    const command = curlCommand(detail, location.origin);
    setCurl(command);
    navigator.clipboard?.writeText(command).then(
      () => setCopied('copied to the clipboard'),
      () => setCopied('select and copy it from here'),
    );
  };
  const tabs: [DetailTab, string][] = [
    ['body', `body${detail.problemCount > 0 ? ` (${plural(detail.problemCount, 'problem')})` : ''}`],
    ['answer', 'answer'],
    ['headers', 'headers'],
  ];
  if (detail.fixable) tabs.push(['fix', 'fix mode']);
  return (
    <div class="detail">
      <div class="detail-head">
        <h2>
          {`${s.method} ${s.target} → `}
          <span class={statusClass(s.status)}>{s.status}</span>
        </h2>
        <div class="meta">
          <span>{formatTime(s.at)}</span>
          <span>{s.route}</span>
          <span>{formatBytes(s.bytes)}</span>
          <span>{`${s.ms} ms`}</span>
          <span>{`from ${s.sender}`}</span>
          {s.linesOk !== null ? <span>{`${s.linesOk} lines ok, ${s.linesInvalid} invalid`}</span> : null}
          {s.upstream !== null ? <span>{`upstream: ${s.upstream.length === 0 ? 'not sent' : s.upstream.join(' → ')}`}</span> : null}
        </div>
        {s.accounting !== null ? (
          <div class="account">
            <span class="ingested">{`${s.accounting.ingested} ingested`}</span>
            <span class="invalid">{`${s.accounting.invalid} invalid`}</span>
            <span class="not-ingested">{`${s.accounting.notIngested} not ingested`}</span>
            <span class="unknown">{`${s.accounting.unknown} unknown`}</span>
          </div>
        ) : null}
      </div>
      <div class="actions">
        {detail.body.kept ? (
          <a class="button" href={apiUrl(`requests/${s.id}/body`)} download>
            download body
          </a>
        ) : null}
        <button type="button" onClick={copy}>
          copy as curl
        </button>
        <nav class="tabs">
          {tabs.map(([t, label]) => (
            <button type="button" key={t} class={tab === t ? 'active' : ''} data-tab={t} onClick={() => setTab(t)}>
              {label}
            </button>
          ))}
        </nav>
      </div>
      {curl !== undefined ? (
        <div class="section">
          <span class="hint">{copied}</span>
          <pre class="block curl">{curl}</pre>
        </div>
      ) : null}
      {tab === 'body' ? (
        <div class="section">
          {!detail.body.kept ? (
            <p class="hint">
              {s.bytes === 0
                ? 'No body was read for this request.'
                : 'The body is no longer kept (the inspector keeps the newest bodies within --ui-body-bytes).'}
            </p>
          ) : (
            <>
              {detail.problemCount > 0 ? (
                <label class="hint">
                  <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.currentTarget.checked)} /> only lines with problems
                </label>
              ) : null}
              {detail.problemCount > detail.problems.length ? (
                <p class="hint">{`${detail.problemCount} problems; the first ${detail.problems.length} are shown.`}</p>
              ) : null}
              <CodeView text={detail.body.text} problems={detail.problems} onlyProblems={onlyProblems} truncated={detail.body.truncated} />
            </>
          )}
        </div>
      ) : null}
      {tab === 'answer' ? (
        <div class="section">
          <h3>{`status ${detail.answer.status}`}</h3>
          <Pairs rows={detail.answer.headers} />
          <h3>body</h3>
          <pre class="block answer-body">{detail.answer.body === '' ? '(none)' : detail.answer.body}</pre>
        </div>
      ) : null}
      {tab === 'headers' ? (
        <div class="section">
          <Pairs rows={detail.headers} extra="headers" />
          <p class="hint">Credentials are redacted when the request arrives: the token is never kept.</p>
        </div>
      ) : null}
      {tab === 'fix' ? <Fix id={s.id} /> : null}
    </div>
  );
}
