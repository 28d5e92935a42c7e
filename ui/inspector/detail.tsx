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
        {`${plural(diff.linesRepaired, 'line')} repaired, ${diff.linesDropped} left out, ${diff.linesKept} kept as they were. `}
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

/** The tabs of the detail (kept in the URL). */
export type DetailTab = 'body' | 'answer' | 'headers' | 'fix';

/** Copies text to the clipboard; says how it went. */
function copyText(text: string, done: (message: string) => void): void {
  const fallback = (): void => done('the clipboard is not available here: select and copy the text');
  if (navigator.clipboard === undefined) return fallback();
  navigator.clipboard.writeText(text).then(() => done('copied'), fallback);
}

/** One line of the body text (1-based), or ''. */
function lineOf(text: string, line: number): string {
  let at = 0;
  for (let i = 1; i < line; i++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return '';
    at = nl + 1;
  }
  const end = text.indexOf('\n', at);
  const l = end < 0 ? text.slice(at) : text.slice(at, end);
  return l.endsWith('\r') ? l.slice(0, -1) : l;
}

/** Previous / next problem, where it is, and copying its line or itself. */
function ProblemNav(props: { detail: RequestDetail; current: number; onMove: (by: number) => void }): JSX.Element | null {
  const { detail: d, current } = props;
  const [said, setSaid] = useState('');
  useEffect(() => setSaid(''), [current, d]);
  const n = d.problems.length;
  if (n === 0) return null;
  const p = current >= 0 ? d.problems[current] : undefined;
  const problemText = (): string =>
    p === undefined
      ? ''
      : `line ${p.line}, column ${p.column}: ${p.rule}: ${p.message}${p.endpointMessage !== null ? ` (endpoint: "${p.endpointMessage}")` : ''}`;
  return (
    <div class="problem-nav">
      <button type="button" data-action="prev-problem" aria-keyshortcuts="p" onClick={() => props.onMove(-1)}>
        ◀ previous
      </button>
      <button type="button" data-action="next-problem" aria-keyshortcuts="n" onClick={() => props.onMove(1)}>
        next ▶
      </button>
      <span class="where" aria-live="polite">
        {p === undefined
          ? `${plural(d.problemCount, 'problem')}`
          : `problem ${(current + 1).toLocaleString('en-US')} of ${n.toLocaleString('en-US')}: line ${p.line}, column ${p.column}, ${p.rule}`}
      </span>
      {d.problemCount > n ? (
        <span class="hint">{`${(d.problemCount - n).toLocaleString('en-US')} more not listed (the first ${n.toLocaleString('en-US')} are)`}</span>
      ) : null}
      {p !== undefined ? (
        <>
          <button type="button" data-action="copy-line" onClick={() => copyText(lineOf(d.body.text, p.line), setSaid)}>
            copy line
          </button>
          <button type="button" data-action="copy-problem" onClick={() => copyText(problemText(), setSaid)}>
            copy problem
          </button>
        </>
      ) : null}
      {said !== '' ? (
        <span class="hint" role="status">
          {said}
        </span>
      ) : null}
    </div>
  );
}

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

export function Detail(props: { id: number; tab: DetailTab; onTab: (t: DetailTab) => void }): JSX.Element {
  const [detail, setDetail] = useState<RequestDetail | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [curl, setCurl] = useState<string | undefined>(undefined);
  const [copied, setCopied] = useState('');
  const [current, setCurrent] = useState(-1);
  const [answerSaid, setAnswerSaid] = useState('');
  useEffect(() => {
    setError(undefined);
    setCurl(undefined);
    setCopied('');
    setCurrent(-1);
    setAnswerSaid('');
    getJson<RequestDetail>(`requests/${props.id}`).then(setDetail, (e: Error) => {
      setDetail(undefined);
      setError(e.message);
    });
  }, [props.id]);
  const ready = detail !== undefined && detail.summary.id === props.id;
  const problems = ready ? detail.problems.length : 0;
  const move = (by: number): void => {
    if (problems === 0) return;
    if (props.tab !== 'body') props.onTab('body');
    setCurrent((c) => (c < 0 ? (by > 0 ? 0 : problems - 1) : (c + by + problems) % problems));
  };
  useEffect(() => {
    const on = (e: Event): void => move((e as CustomEvent<number>).detail);
    window.addEventListener('dt-problem', on);
    return () => window.removeEventListener('dt-problem', on);
  });
  if (error !== undefined) return <div class="empty">{error}</div>;
  if (!ready) return <div class="empty">loading…</div>;
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
  // a tab this request has not (fix mode of a JSON body) shows the body
  const tab: DetailTab = tabs.some(([t]) => t === props.tab) ? props.tab : 'body';
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
          <span>{s.bytes === 0 && s.status === 413 ? 'body not read' : formatBytes(s.bytes)}</span>
          <span>{`${s.ms} ms`}</span>
          <span>{`from ${s.sender}`}</span>
          {s.linesOk !== null ? <span>{`${plural(s.linesOk, 'line')} ok, ${s.linesInvalid ?? 0} invalid`}</span> : null}
          {s.upstream !== null ? <span>{`upstream: ${s.upstream.length === 0 ? 'not sent' : s.upstream.join(' → ')}`}</span> : null}
        </div>
        {s.status >= 400 && s.message !== null ? <p class="reason-line">{s.message}</p> : null}
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
        <nav class="tabs" aria-label="detail">
          {tabs.map(([t, label]) => (
            <button
              type="button"
              key={t}
              class={tab === t ? 'active' : ''}
              aria-current={tab === t ? 'true' : undefined}
              data-tab={t}
              onClick={() => props.onTab(t)}
            >
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
        <div class="section body-section">
          {!detail.body.kept ? (
            <p class="hint">
              {s.bytes === 0
                ? `No body was read for this request${s.status >= 400 && s.message !== null ? `: ${s.message}` : '.'}`
                : 'The body is no longer kept (the inspector keeps the newest bodies within --ui-body-bytes).'}
            </p>
          ) : (
            <>
              <ProblemNav detail={detail} current={current} onMove={move} />
              {detail.problemCount > 0 ? (
                <label class="hint">
                  <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.currentTarget.checked)} /> only lines with problems
                </label>
              ) : null}
              <CodeView text={detail.body.text} problems={detail.problems} onlyProblems={onlyProblems} truncated={detail.body.truncated} current={current} />
            </>
          )}
        </div>
      ) : null}
      {tab === 'answer' ? (
        <div class="section">
          <h3>{`status ${detail.answer.status}`}</h3>
          <Pairs rows={detail.answer.headers} />
          <h3>
            body{' '}
            <button type="button" data-action="copy-answer" onClick={() => copyText(detail.answer.body, setAnswerSaid)}>
              copy
            </button>{' '}
            {answerSaid !== '' ? (
              <span class="hint" role="status">
                {answerSaid}
              </span>
            ) : null}
          </h3>
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
