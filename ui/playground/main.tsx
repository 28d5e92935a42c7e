/**
 * The playground: paste or drop a payload, pick the endpoint and its options, and the verdict follows
 * as you type, with each problem highlighted in the text. It runs on the package's own core in the
 * browser (`src/index.ts`): no server round trip, so it also works as a static page anywhere.
 */
import { render, type JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ENDPOINTS, endpointById, judgeBody, type Endpoint } from '../../src/endpoints/index.js';
import {
  EVENTS_DEFAULTS,
  METRICS_DEFAULTS,
  OTLP_DEFAULTS,
  fixMetrics,
  type EventsOptions,
  type FixResult,
  type Issue,
  type MetricsOptions,
  type OtlpOptions,
} from '../../src/index.js';
import { placeJsonIssues } from '../../src/serve/inspector/place.js';
import type { Problem } from '../shared/code.js';
import { plural, splitLines } from '../shared/format.js';

/** The endpoint's id (the endpoint table's: one spelling everywhere). */
type EndpointId = Endpoint['id'];

function examples(now: number): Record<string, string> {
  return Object.fromEntries(ENDPOINTS.map((e) => [e.id, e.playground.example(now)]));
}

/** Enumerated string options, and the options the browser has no use for. */
const CHOICES: Record<string, readonly string[]> = {
  warningsField: ['changedMetricKeys', 'warningLines'],
  summaryFieldOrder: ['strict', 'any'],
  countedAttributeLevels: ['point', 'all'],
  unspecifiedTemporality: ['reject', 'delta'],
};
const HIDDEN = new Set(['backend']);

interface Verdict {
  status: number;
  body: unknown;
  problems: Problem[];
  /** For a metrics line with an error that fix mode repairs (keeping its meaning): the repaired line. */
  quickFixes: Map<number, string>;
  ms: number;
}

/** Lines offered a quick fix, at most: each costs one fix-mode pass over its line. */
const MAX_QUICK_FIXES = 500;

/**
 * The repaired text of each invalid metrics line that fix mode repairs. Safe to offer: fix mode keeps
 * a repaired line's key, dimensions and value (or leaves the line out, and then there is no quick fix).
 */
function quickFixes(text: string, problems: readonly Problem[], options: MetricsOptions): Map<number, string> {
  const fixes = new Map<number, string>();
  const lines = splitLines(text);
  for (const p of problems) {
    if (fixes.size >= MAX_QUICK_FIXES) break;
    if (p.severity !== 'error' || fixes.has(p.line)) continue;
    const line = lines[p.line - 1];
    if (line === undefined) continue;
    const r = fixMetrics(line, options);
    if (r.linesRepaired === 1) fixes.set(p.line, r.output.slice(0, -1));
  }
  return fixes;
}

/** `text` with line `line` (1-based) replaced by `replacement`, CR and the other lines kept. */
function replaceLine(text: string, line: number, replacement: string): string {
  const lines = text.split('\n');
  const old = lines[line - 1];
  if (old === undefined) return text;
  lines[line - 1] = old.endsWith('\r') ? `${replacement}\r` : replacement;
  return lines.join('\n');
}

function toProblem(issue: Issue, line: number, column: number): Problem {
  return { line, column, rule: issue.rule, severity: issue.severity, message: issue.message, endpointMessage: issue.endpointMessage ?? null };
}

/** The options of each table, as the options panel set them (the row's `options` names its table). */
interface PlaygroundOptions {
  metrics: MetricsOptions;
  events: EventsOptions;
  otlp: OtlpOptions;
}

/** Judges a payload as the chosen endpoint would, in the browser. */
function judge(e: Endpoint, text: string, options: PlaygroundOptions, param: string): Verdict {
  const t0 = performance.now();
  const now = Date.now();
  const { metrics, events, otlp } = options;
  const r = judgeBody(e, { body: text, mediaType: '', param, metrics: { ...metrics, now }, events: { ...events, now }, otlp });
  // metrics issues carry their line; JSON issues are placed by their pointer
  const metricsMode = e.playground.mode === 'metrics';
  const places = metricsMode ? r.issues.map((i) => ({ line: i.line ?? 1, column: i.column ?? 1 })) : placeJsonIssues(r.issues, text);
  const problems = r.issues.map((i, k) => toProblem(i, places[k]!.line, places[k]!.column));
  const fixes = metricsMode ? quickFixes(text, problems, { ...metrics, now }) : new Map<number, string>();
  return { status: r.status, body: r.body ?? null, problems, quickFixes: fixes, ms: performance.now() - t0 };
}

/** Line numbers beside the text (scrolled with it); the class sets the gutter's width by digits. */
function Gutter(props: { lines: number; gutter: { current: HTMLPreElement | null } }): JSX.Element {
  let numbers = '';
  for (let i = 1; i <= props.lines; i++) numbers += i === 1 ? '1' : `\n${i}`;
  return (
    <pre class="gutter" aria-hidden="true" ref={props.gutter}>
      {numbers}
    </pre>
  );
}

/** The gutter's width class: `digits-3` up to 999 lines, then one more digit at a time up to 7. */
function gutterClass(lines: number): string {
  return `digits-${Math.min(7, Math.max(3, String(lines).length))}`;
}

/** The text with each problem line marked (and the character at its column), behind the textarea. */
function Backdrop(props: { text: string; problems: readonly Problem[]; backdrop: { current: HTMLPreElement | null } }): JSX.Element {
  const lines = splitLines(props.text);
  const first = new Map<number, Problem>();
  for (const p of props.problems) if (!first.has(p.line) || (p.severity === 'error' && first.get(p.line)!.severity !== 'error')) first.set(p.line, p);
  const out: (string | JSX.Element)[] = [];
  let plain = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const p = first.get(i + 1);
    const nl = i + 1 < lines.length ? '\n' : '';
    if (p === undefined) {
      plain += line + nl;
      continue;
    }
    if (plain !== '') out.push(plain);
    plain = '';
    const at = Math.max(0, Math.min(p.column - 1, line.length));
    const kind = p.severity === 'error' ? '' : ' warning';
    out.push(
      <mark class={`line${kind}`} key={i} data-line={i + 1}>
        {line.slice(0, at)}
        <mark class={`at${kind}`}>{at < line.length ? line.charAt(at) : ' '}</mark>
        {line.slice(at + 1)}
      </mark>,
    );
    out.push(nl);
  }
  // the textarea shows a last empty line after a final LF: keep the heights equal
  out.push(plain + ' ');
  return (
    <pre class="backdrop" aria-hidden="true" ref={props.backdrop}>
      {out}
    </pre>
  );
}

function OptionsForm<T extends Record<string, unknown>>(props: {
  defaults: Readonly<Record<string, unknown>>;
  value: T;
  onChange: (v: T) => void;
}): JSX.Element {
  const set = (key: string, v: unknown): void => {
    const next = { ...props.value } as Record<string, unknown>;
    if (v === undefined) delete next[key];
    else next[key] = v;
    props.onChange(next as T);
  };
  return (
    <div class="option-grid">
      {Object.entries(props.defaults)
        .filter(([k]) => !HIDDEN.has(k))
        .map(([k, def]) => {
          const current = k in props.value ? props.value[k] : def;
          if (typeof def === 'boolean')
            return (
              <label key={k}>
                {k}
                <input
                  type="checkbox"
                  name={k}
                  checked={current === true}
                  onChange={(e) => set(k, e.currentTarget.checked === def ? undefined : e.currentTarget.checked)}
                />
              </label>
            );
          if (typeof def === 'number')
            return (
              <label key={k}>
                {k}
                <input
                  type="number"
                  name={k}
                  min="0"
                  placeholder={Number.isFinite(def) ? String(def) : 'unbounded'}
                  value={current === def || !Number.isFinite(current as number) ? '' : String(current)}
                  onInput={(e) => {
                    const t = e.currentTarget.value;
                    const n = Number(t);
                    set(k, t === '' || !(n >= 0) ? undefined : n);
                  }}
                />
              </label>
            );
          if (CHOICES[k] !== undefined)
            return (
              <label key={k}>
                {k}
                <select name={k} value={String(current)} onChange={(e) => set(k, e.currentTarget.value === def ? undefined : e.currentTarget.value)}>
                  {CHOICES[k]!.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </label>
            );
          if (Array.isArray(def))
            return (
              <label key={k}>
                {k}
                <input
                  type="text"
                  name={k}
                  placeholder="comma-separated"
                  value={Array.isArray(current) ? current.join(',') : ''}
                  onInput={(e) => {
                    const list = e.currentTarget.value
                      .split(',')
                      .map((s) => s.trim())
                      .filter((s) => s !== '');
                    set(k, list.length === 0 ? undefined : list);
                  }}
                />
              </label>
            );
          return null;
        })}
    </div>
  );
}

const STORE_KEY = 'dt-ingest-playground';

function load(): { endpoint: EndpointId; texts: Partial<Record<string, string>> } {
  try {
    const v = JSON.parse(localStorage.getItem(STORE_KEY) ?? 'null') as { endpoint?: string; texts?: Partial<Record<string, string>> } | null;
    // a saved earlier spelling (customDevice) still finds its endpoint
    const e = v?.endpoint === undefined ? undefined : endpointById(v.endpoint);
    if (v !== null && e !== undefined) {
      const texts = v.texts ?? {};
      if (v.endpoint !== e.id && texts[e.id] === undefined) texts[e.id] = texts[v.endpoint!];
      return { endpoint: e.id, texts };
    }
  } catch {
    // storage unavailable or unreadable: start afresh
  }
  return { endpoint: 'metrics', texts: {} };
}

function Playground(): JSX.Element {
  const saved = useMemo(load, []);
  const samples = useMemo(() => examples(Date.now()), []);
  const [endpoint, setEndpoint] = useState<EndpointId>(saved.endpoint);
  const [texts, setTexts] = useState<Partial<Record<string, string>>>(saved.texts);
  const row = endpointById(endpoint)!;
  const [metricsOptions, setMetricsOptions] = useState<MetricsOptions>({});
  const [eventsOptions, setEventsOptions] = useState<EventsOptions>({});
  const [otlpOptions, setOtlpOptions] = useState<OtlpOptions>({});
  const [param, setParam] = useState('coffee-machine-1');
  const [verdict, setVerdict] = useState<Verdict | undefined>(undefined);
  const [fixed, setFixed] = useState<FixResult | undefined>(undefined);
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const area = useRef<HTMLTextAreaElement | null>(null);
  const backdrop = useRef<HTMLPreElement | null>(null);
  const gutter = useRef<HTMLPreElement | null>(null);
  const text = texts[endpoint] ?? samples[endpoint]!;
  /** One form per options table, keyed as the endpoint table names them. */
  const optionForms: Record<Endpoint['options'], JSX.Element> = {
    metrics: (
      <OptionsForm defaults={METRICS_DEFAULTS} value={metricsOptions as Record<string, unknown>} onChange={(v) => setMetricsOptions(v as MetricsOptions)} />
    ),
    events: <OptionsForm defaults={EVENTS_DEFAULTS} value={eventsOptions as Record<string, unknown>} onChange={(v) => setEventsOptions(v as EventsOptions)} />,
    otlp: <OptionsForm defaults={OTLP_DEFAULTS} value={otlpOptions as Record<string, unknown>} onChange={(v) => setOtlpOptions(v as OtlpOptions)} />,
  };

  useEffect(() => {
    setFixed(undefined);
    const timer = setTimeout(() => {
      try {
        setVerdict(judge(row, text, { metrics: metricsOptions, events: eventsOptions, otlp: otlpOptions }, param));
        setError(undefined);
      } catch (e) {
        setError((e as Error).message);
      }
    }, 60);
    return () => clearTimeout(timer);
  }, [row, text, metricsOptions, eventsOptions, otlpOptions, param]);

  useEffect(() => {
    const timer = setTimeout(() => {
      try {
        localStorage.setItem(STORE_KEY, JSON.stringify({ endpoint, texts }));
      } catch {
        // storage full or unavailable: the playground works without it
      }
    }, 500);
    return () => clearTimeout(timer);
  }, [endpoint, texts]);

  const setText = (t: string): void => setTexts((all) => ({ ...all, [endpoint]: t }));
  const sync = (): void => {
    if (area.current !== null && backdrop.current !== null) {
      backdrop.current.scrollTop = area.current.scrollTop;
      backdrop.current.scrollLeft = area.current.scrollLeft;
    }
    if (area.current !== null && gutter.current !== null) gutter.current.scrollTop = area.current.scrollTop;
  };
  const goTo = (p: Problem): void => {
    const el = area.current;
    if (el === null) return;
    const lines = text.split('\n');
    let offset = 0;
    for (let i = 0; i < p.line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
    offset += Math.max(0, p.column - 1);
    el.focus();
    el.setSelectionRange(offset, Math.min(offset + 1, text.length));
    const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 19;
    el.scrollTop = Math.max(0, (p.line - 4) * lineHeight);
    sync();
  };
  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer?.files[0];
    if (file !== undefined) void file.text().then(setText);
    else {
      const dropped = e.dataTransfer?.getData('text/plain');
      if (dropped !== undefined && dropped !== '') setText(dropped);
    }
  };
  const body = verdict?.body as { linesOk?: number; linesInvalid?: number } | null | undefined;
  const errors = verdict?.problems.filter((p) => p.severity === 'error').length ?? 0;
  const lineCount = splitLines(text).length;
  return (
    <>
      <header class="top">
        <h1>
          dt-ingest <span>playground</span>
        </h1>
        <select aria-label="endpoint" name="endpoint" value={endpoint} onChange={(e) => setEndpoint(e.currentTarget.value as EndpointId)}>
          {ENDPOINTS.map((e) => (
            <option key={e.id} value={e.id}>
              {e.title}
            </option>
          ))}
        </select>
        <span class="hint mono">{`${row.method} ${row.path}`}</span>
        {row.pathParam !== undefined ? (
          <input type="text" aria-label={row.pathParam} name="param" value={param} onInput={(e) => setParam(e.currentTarget.value)} />
        ) : null}
        <span class="spacer" />
        <span class="hint">runs in your browser: nothing is sent</span>
      </header>
      <main class="pg">
        <div class="editor-pane">
          <div class="toolbar">
            <button type="button" onClick={() => setText(samples[endpoint]!)}>
              example
            </button>
            <button type="button" onClick={() => setText('')}>
              empty
            </button>
            {row.playground.mode === 'metrics' ? (
              <button type="button" onClick={() => setFixed(fixMetrics(text, { ...metricsOptions, now: Date.now() }))}>
                fix mode
              </button>
            ) : null}
            <span class="hint">paste, type, or drop a file</span>
          </div>
          <details class="options">
            <summary>options</summary>
            {/* the form of the options table the endpoint reads (the endpoint table's `options`) */}
            {optionForms[row.options]}
          </details>
          <section
            class={`editor ${gutterClass(lineCount)}${dragging ? ' dragging' : ''}`}
            aria-label="payload (type, paste, or drop a file)"
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
          >
            <Gutter lines={lineCount} gutter={gutter} />
            <Backdrop text={text} problems={verdict?.problems ?? []} backdrop={backdrop} />
            <textarea
              ref={area}
              aria-label="payload"
              name="payload"
              spellcheck={false}
              autocomplete="off"
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
              onScroll={sync}
              wrap="off"
            />
          </section>
        </div>
        <div class="verdict-pane">
          {error !== undefined ? <div class="notice">{error}</div> : null}
          {verdict === undefined ? (
            <div class="empty">judging…</div>
          ) : (
            <div class="verdict" data-status={verdict.status}>
              <div>
                <span class={`big status s${Math.floor(verdict.status / 100)}`} data-verdict>
                  {verdict.status}
                </span>{' '}
                <span class="hint">{`${verdict.ms.toFixed(1)} ms`}</span>
              </div>
              <p>
                {body !== null && body !== undefined && typeof body.linesOk === 'number' ? `${body.linesOk} lines ok, ${body.linesInvalid} invalid · ` : ''}
                {`${plural(errors, 'error')}, ${plural(verdict.problems.length - errors, 'warning')}`}
              </p>
              {fixed !== undefined ? (
                <div class="section">
                  <h2 class="h3">{`fix mode: ${fixed.linesRepaired} repaired, ${fixed.linesDropped} left out`}</h2>
                  <pre class="block">{fixed.output === '' ? '(nothing left)' : fixed.output}</pre>
                  <button type="button" class="primary" onClick={() => setText(fixed.output)}>
                    use the fixed text
                  </button>
                </div>
              ) : null}
              <ul class="problems">
                {verdict.problems.slice(0, 500).map((p, i) => (
                  <li key={i} data-line={p.line} data-rule={p.rule}>
                    <button type="button" class="problem" onClick={() => goTo(p)}>
                      <span class="where">{`${p.line}:${p.column}`}</span>
                      <span class="rule">{p.rule}</span>
                      <span class="msg">{p.message}</span>
                      {p.endpointMessage !== null && p.endpointMessage !== p.message ? (
                        <span class="endpoint">{`endpoint: "${p.endpointMessage}"`}</span>
                      ) : null}
                    </button>
                    {p.severity === 'error' && verdict.quickFixes.has(p.line) ? (
                      <button
                        type="button"
                        class="quick-fix"
                        title={`replace line ${p.line} with: ${verdict.quickFixes.get(p.line)!}`}
                        onClick={() => setText(replaceLine(text, p.line, verdict.quickFixes.get(p.line)!))}
                      >
                        {`quick fix: ${verdict.quickFixes.get(p.line)!}`}
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
              {verdict.problems.length > 500 ? <p class="hint">{`${verdict.problems.length - 500} more`}</p> : null}
              <h2 class="h3">the endpoint's answer</h2>
              <pre class="block answer">{verdict.body === null ? '(no body)' : JSON.stringify(verdict.body, null, 2)}</pre>
            </div>
          )}
        </div>
      </main>
    </>
  );
}

render(<Playground />, document.getElementById('app')!);
