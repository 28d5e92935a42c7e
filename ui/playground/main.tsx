/**
 * The playground: paste or drop a payload, pick the endpoint and its options, and the verdict follows
 * as you type, with each problem highlighted in the text. It runs on the package's own core in the
 * browser (`src/index.ts`): no server round trip, so it also works as a static page anywhere.
 */
import { render, type JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  EVENTS_DEFAULTS,
  METRICS_DEFAULTS,
  fixMetrics,
  validateCustomDevice,
  validateEvents,
  validateMetrics,
  validateSmartscapeEvents,
  validateSyntheticTests,
  type EventsOptions,
  type FixResult,
  type Issue,
  type MetricsOptions,
} from '../../src/index.js';
import { placeJsonIssues } from '../../src/serve/inspector/place.js';
import type { Problem } from '../shared/code.js';
import { plural, splitLines } from '../shared/format.js';

type Endpoint = 'metrics' | 'events' | 'smartscape' | 'synthetic' | 'customDevice';

const ENDPOINTS: { id: Endpoint; label: string; path: string }[] = [
  { id: 'metrics', label: 'metrics (line protocol)', path: 'POST /api/v2/metrics/ingest' },
  { id: 'events', label: 'generic events', path: 'POST /platform/ingest/v1/events' },
  { id: 'smartscape', label: 'Smartscape events', path: 'POST /platform/ingest/v1/smartscape.events' },
  { id: 'synthetic', label: 'third-party synthetic', path: 'POST /api/v1/synthetic/ext/tests' },
  { id: 'customDevice', label: 'custom device', path: 'POST /api/v1/entity/infrastructure/custom/{id}' },
];

function examples(now: number): Record<Endpoint, string> {
  return {
    metrics: `cpu.temperature,host=web-01,dc=eu-west 61.5 ${now}
http.requests,route=/checkout count,delta=17
request.duration,route=/checkout gauge,min=3.1,max=48.2,sum=210.4,count=12
bad key,host=web-01 1
cpu.temperature,host=web-02 hot
`,
    events:
      JSON.stringify(
        [{ 'event.type': 'CUSTOM_INFO', title: 'deployment finished', 'dt.entity.host': 'HOST-0123456789ABCDEF', version: '1.4.2' }, { title: 'no type' }],
        null,
        2,
      ) + '\n',
    smartscape: JSON.stringify([{ type: 'EXT_SERVICE', id_components: [{ name: 'checkout' }], 'event.version': 1, name: 'checkout' }], null, 2) + '\n',
    synthetic:
      JSON.stringify({ syntheticEngineName: 'my engine', messageTimestamp: now, locations: [{ id: '1', name: 'Linz' }], tests: [], testResults: [] }, null, 2) +
      '\n',
    customDevice:
      JSON.stringify(
        { displayName: 'coffee machine', type: 'coffee', series: [{ timeseriesId: 'custom:coffee.cups', dimensions: {}, dataPoints: [[now, 3]] }] },
        null,
        2,
      ) + '\n',
  };
}

/** Enumerated string options, and the options the browser has no use for. */
const CHOICES: Record<string, readonly string[]> = { warningsField: ['changedMetricKeys', 'warningLines'], summaryFieldOrder: ['strict', 'any'] };
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

/** Judges a payload as the chosen endpoint would, in the browser. */
function judge(endpoint: Endpoint, text: string, metrics: MetricsOptions, events: EventsOptions, deviceId: string): Verdict {
  const t0 = performance.now();
  const now = Date.now();
  if (endpoint === 'metrics') {
    const r = validateMetrics(text, { ...metrics, now });
    const problems = r.issues.map((i) => toProblem(i, i.line ?? 1, i.column ?? 1));
    return { status: r.status, body: r.body, problems, quickFixes: quickFixes(text, problems, { ...metrics, now }), ms: performance.now() - t0 };
  }
  const o = { ...events, now };
  const r =
    endpoint === 'events'
      ? validateEvents(text, o)
      : endpoint === 'smartscape'
        ? validateSmartscapeEvents(text, o)
        : endpoint === 'synthetic'
          ? validateSyntheticTests(text, o)
          : validateCustomDevice(deviceId, text, o);
  const places = placeJsonIssues(r.issues, text);
  const problems = r.issues.map((i, k) => toProblem(i, places[k]!.line, places[k]!.column));
  return { status: r.status, body: r.body ?? null, problems, quickFixes: new Map(), ms: performance.now() - t0 };
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

function load(): { endpoint: Endpoint; texts: Partial<Record<Endpoint, string>> } {
  try {
    const v = JSON.parse(localStorage.getItem(STORE_KEY) ?? 'null') as { endpoint?: Endpoint; texts?: Partial<Record<Endpoint, string>> } | null;
    if (v !== null && ENDPOINTS.some((e) => e.id === v.endpoint)) return { endpoint: v.endpoint!, texts: v.texts ?? {} };
  } catch {
    // storage unavailable or unreadable: start afresh
  }
  return { endpoint: 'metrics', texts: {} };
}

function Playground(): JSX.Element {
  const saved = useMemo(load, []);
  const samples = useMemo(() => examples(Date.now()), []);
  const [endpoint, setEndpoint] = useState<Endpoint>(saved.endpoint);
  const [texts, setTexts] = useState<Partial<Record<Endpoint, string>>>(saved.texts);
  const [metricsOptions, setMetricsOptions] = useState<MetricsOptions>({});
  const [eventsOptions, setEventsOptions] = useState<EventsOptions>({});
  const [deviceId, setDeviceId] = useState('coffee-machine-1');
  const [verdict, setVerdict] = useState<Verdict | undefined>(undefined);
  const [fixed, setFixed] = useState<FixResult | undefined>(undefined);
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const area = useRef<HTMLTextAreaElement | null>(null);
  const backdrop = useRef<HTMLPreElement | null>(null);
  const gutter = useRef<HTMLPreElement | null>(null);
  const text = texts[endpoint] ?? samples[endpoint];

  useEffect(() => {
    setFixed(undefined);
    const timer = setTimeout(() => {
      try {
        setVerdict(judge(endpoint, text, metricsOptions, eventsOptions, deviceId));
        setError(undefined);
      } catch (e) {
        setError((e as Error).message);
      }
    }, 60);
    return () => clearTimeout(timer);
  }, [endpoint, text, metricsOptions, eventsOptions, deviceId]);

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
        <select aria-label="endpoint" name="endpoint" value={endpoint} onChange={(e) => setEndpoint(e.currentTarget.value as Endpoint)}>
          {ENDPOINTS.map((e) => (
            <option key={e.id} value={e.id}>
              {e.label}
            </option>
          ))}
        </select>
        <span class="hint mono">{ENDPOINTS.find((e) => e.id === endpoint)!.path}</span>
        {endpoint === 'customDevice' ? (
          <input type="text" aria-label="custom device id" name="deviceId" value={deviceId} onInput={(e) => setDeviceId(e.currentTarget.value)} />
        ) : null}
        <span class="spacer" />
        <span class="hint">runs in your browser: nothing is sent</span>
      </header>
      <div class="pg">
        <div class="editor-pane">
          <div class="toolbar">
            <button type="button" onClick={() => setText(samples[endpoint])}>
              example
            </button>
            <button type="button" onClick={() => setText('')}>
              empty
            </button>
            {endpoint === 'metrics' ? (
              <button type="button" onClick={() => setFixed(fixMetrics(text, { ...metricsOptions, now: Date.now() }))}>
                fix mode
              </button>
            ) : null}
            <span class="hint">paste, type, or drop a file</span>
          </div>
          <details class="options">
            <summary>options</summary>
            {endpoint === 'metrics' ? (
              <OptionsForm
                defaults={METRICS_DEFAULTS}
                value={metricsOptions as Record<string, unknown>}
                onChange={(v) => setMetricsOptions(v as MetricsOptions)}
              />
            ) : (
              <OptionsForm defaults={EVENTS_DEFAULTS} value={eventsOptions as Record<string, unknown>} onChange={(v) => setEventsOptions(v as EventsOptions)} />
            )}
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
                  <h3>{`fix mode: ${fixed.linesRepaired} repaired, ${fixed.linesDropped} left out`}</h3>
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
              <h3>the endpoint's answer</h3>
              <pre class="block answer">{verdict.body === null ? '(no body)' : JSON.stringify(verdict.body, null, 2)}</pre>
            </div>
          )}
        </div>
      </div>
    </>
  );
}

render(<Playground />, document.getElementById('app')!);
