/**
 * A body with line numbers and each problem shown under its line: a caret at its column, the rule
 * id, our text and the endpoint's text. Payload text goes into text nodes only.
 *
 * Drawn a screenful at a time: the body is laid out once as rows (a long line cut into segments of
 * `SEGMENT` characters, each problem under the segment that holds its column, the problems past the
 * text shown at the end), and only the rows in view are in the DOM. A caret row holds, invisible,
 * the part of its segment before the problem's column (at most a segment), then the caret: the
 * browser lays both rows out with the same font, so the caret stands under the character whatever
 * its rendered width (tabs, CJK, emoji, combining marks). Columns are UTF-16 units, as the
 * validators count them. A detail costs the visible rows plus one pass over the lines and problems.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { PlacedProblem } from '../../src/serve/inspector/views.js';
import { splitLines } from './format.js';
import { scrollRowIntoView, scrollSpace, useRowWindow } from './virtual.js';

/** One problem at a line and column (the server's `PlacedProblem`, or the playground's). */
export type Problem = Pick<PlacedProblem, 'line' | 'column' | 'rule' | 'severity' | 'message' | 'endpointMessage'>;

/** Characters of a line drawn in one row; a longer line continues in the next rows. */
export const SEGMENT = 1000;
/** Height of one row, px (the style sheet gives `.code .vrow` this height). */
export const CODE_ROW = 19;
const TAB = 8;

const enum Kind {
  Text = 0,
  Caret = 1,
  Message = 2,
  Beyond = 3,
}

/** The body laid out as rows, in parallel arrays (a row: its kind, line, segment start, problem). */
export interface Layout {
  lines: string[];
  kind: Uint8Array;
  line: Int32Array;
  start: Int32Array;
  problem: Int32Array;
  count: number;
  /** Row of each problem's caret (or of its row past the text). */
  rowOfProblem: Int32Array;
  /** Problems whose line is past the text shown. */
  beyond: number;
  /** Lines of the text. */
  lineCount: number;
}

/**
 * Lays the body out as rows: O(lines + segments + problems).
 * @param problems sorted by line, then column
 */
export function layout(text: string, problems: readonly Problem[], onlyProblems: boolean): Layout {
  const lines = splitLines(text);
  // a body ending with LF has no line after it
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  let cap = problems.length * 2 + 16;
  for (const l of lines) cap += 1 + Math.floor(l.length / SEGMENT);
  const kind = new Uint8Array(cap);
  const line = new Int32Array(cap);
  const start = new Int32Array(cap);
  const problem = new Int32Array(cap);
  const rowOfProblem = new Int32Array(problems.length).fill(-1);
  let n = 0;
  const push = (k: Kind, ln: number, st: number, p: number): void => {
    kind[n] = k;
    line[n] = ln;
    start[n] = st;
    problem[n] = p;
    n++;
  };
  let p = 0;
  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1;
    while (p < problems.length && problems[p]!.line < ln) p++;
    const hasProblems = p < problems.length && problems[p]!.line === ln;
    if (onlyProblems && !hasProblems) continue;
    const len = lines[i]!.length;
    for (let st = 0; st === 0 || st < len; st += SEGMENT) {
      push(Kind.Text, ln, st, -1);
      const last = st + SEGMENT >= len;
      while (p < problems.length && problems[p]!.line === ln && (last || problems[p]!.column - 1 < st + SEGMENT)) {
        rowOfProblem[p] = n;
        push(Kind.Caret, ln, st, p);
        push(Kind.Message, ln, st, p);
        p++;
      }
    }
  }
  let beyond = 0;
  for (let q = 0; q < problems.length; q++) {
    if (rowOfProblem[q] !== -1 || problems[q]!.line <= lines.length) continue;
    rowOfProblem[q] = n;
    push(Kind.Beyond, problems[q]!.line, 0, q);
    beyond++;
  }
  return { lines, kind, line, start, problem, count: n, rowOfProblem, beyond, lineCount: lines.length };
}

/**
 * Where the caret of character `column` (1-based, UTF-16 units) goes in the segment starting at
 * `start`: the text before it in the segment (`prefix`: the caret row draws it invisibly, so the
 * caret lands where the text row draws that character), and the columns past the end of the line
 * (`past`, in `ch`: a problem after the last character). A surrogate pair is never cut.
 */
export function caretPlace(line: string, start: number, column: number): { prefix: string; past: number } {
  let end = Math.min(Math.max(start, column - 1), start + SEGMENT, line.length);
  // a column inside a pair (a validator counts units) points at the pair's character
  if (end > start && end < line.length && isLowSurrogate(line.charCodeAt(end)) && isHighSurrogate(line.charCodeAt(end - 1))) end--;
  return { prefix: line.slice(start, end), past: Math.max(0, column - 1 - Math.max(end, line.length)) };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * An estimate of the display column (tabs expanded to 8, East Asian wide characters and emoji as 2,
 * combining marks and joiners as 0) of character `column` (1-based) in the segment starting at
 * `start`: only for scrolling a caret into view before it is drawn (the drawn caret is placed by
 * the text itself, {@link caretPlace}).
 */
export function caretOffset(line: string, start: number, column: number): number {
  const end = Math.min(Math.max(start, column - 1), start + SEGMENT);
  let visual = 0;
  const stop = Math.min(end, line.length);
  for (let i = start; i < stop; i++) {
    const c = line.codePointAt(i)!;
    if (c > 0xffff) i++;
    if (c === 9) visual += TAB - (visual % TAB);
    else visual += displayWidth(c);
  }
  // past the end of the line: the caret after its last character
  return visual + Math.max(0, end - stop) + Math.max(0, column - 1 - Math.max(end, line.length));
}

/** Columns a code point takes in a monospace font (a table of the common ranges, not all of Unicode's). */
export function displayWidth(c: number): number {
  if (c < 0x300) return 1;
  // combining marks, zero-width joiner and spaces, variation selectors
  if ((c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200f) || (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xe0100 && c <= 0xe01ef)) return 0;
  if (
    (c >= 0x1100 && c <= 0x115f) || // Hangul Jamo
    (c >= 0x2e80 && c <= 0x303e) || // CJK radicals, punctuation
    (c >= 0x3041 && c <= 0x33ff) || // kana, CJK compatibility
    (c >= 0x3400 && c <= 0x4dbf) || // CJK extension A
    (c >= 0x4e00 && c <= 0x9fff) || // CJK unified ideographs
    (c >= 0xa000 && c <= 0xa4cf) || // Yi
    (c >= 0xac00 && c <= 0xd7a3) || // Hangul syllables
    (c >= 0xf900 && c <= 0xfaff) || // CJK compatibility ideographs
    (c >= 0xfe30 && c <= 0xfe4f) || // CJK compatibility forms
    (c >= 0xff00 && c <= 0xff60) || // fullwidth forms
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1f64f) || // emoji: symbols and pictographs, emoticons
    (c >= 0x1f900 && c <= 0x1f9ff) || // supplemental symbols and pictographs
    (c >= 0x20000 && c <= 0x3fffd) // CJK extensions B and later
  )
    return 2;
  return 1;
}

function Message(props: { p: Problem }): JSX.Element {
  const p = props.p;
  return (
    <>
      {p.severity === 'error' ? '✖ ' : '⚠ '}
      <span class="rule">{p.rule}</span> {`line ${p.line}, column ${p.column}: ${p.message}`}
      {p.endpointMessage !== null && p.endpointMessage !== p.message ? <span class="endpoint">{` · endpoint: "${p.endpointMessage}"`}</span> : null}
    </>
  );
}

function Row(props: { at: number; l: Layout; problems: readonly Problem[]; current: number }): JSX.Element {
  const { at, l, problems } = props;
  const k = l.kind[at] as Kind;
  const ln = l.line[at]!;
  const st = l.start[at]!;
  if (k === Kind.Text) {
    const text = l.lines[ln - 1]!;
    // a line is marked by its worst problem (all of them, not only the next segment's)
    const mark = lineMark(l, problems, at);
    return (
      <div class={`row vrow${mark}`} data-line={st === 0 ? ln : undefined} data-segment={st > 0 ? `${ln}:${st}` : undefined}>
        <span class="ln">{st === 0 ? ln : '↪'}</span>
        <span class="text">{st === 0 && text.length <= SEGMENT ? text : text.slice(st, st + SEGMENT)}</span>
      </div>
    );
  }
  const q = l.problem[at]!;
  const p = problems[q]!;
  const cls = `problem vrow${p.severity === 'error' ? '' : ' warning'}${q === props.current ? ' current' : ''}`;
  if (k === Kind.Caret) {
    const at = caretPlace(l.lines[ln - 1]!, st, p.column);
    return (
      <div class={cls} data-problem-line={ln} data-problem={q}>
        <span class="ln" />
        <span class="text caret-line">
          <span class="caret-pad" aria-hidden="true">
            {at.prefix}
          </span>
          <span class="caret" style={at.past > 0 ? { marginLeft: `${at.past}ch` } : undefined}>
            ^
          </span>
        </span>
      </div>
    );
  }
  return (
    <div class={cls} data-problem-line={ln} data-rule={p.rule} data-problem={q}>
      <span class="ln" />
      <span class="text">
        <Message p={p} />
      </span>
    </div>
  );
}

/** ` bad` when a problem of the row's line is an error, ` warned` when all are warnings, else ``. */
function lineMark(l: Layout, problems: readonly Problem[], at: number): string {
  const ln = l.line[at]!;
  let mark = '';
  // the problem rows of this line follow its segments
  for (let r = at + 1; r < l.count && l.line[r] === ln && l.kind[r] !== Kind.Beyond; r++) {
    if (l.kind[r] !== Kind.Caret) continue;
    if (problems[l.problem[r]!]!.severity === 'error') return ' bad';
    mark = ' warned';
  }
  if (mark === '' && l.start[at]! > 0) return '';
  // segments before the one holding the problems: look back for the line's marks
  for (let r = at - 1; r >= 0 && l.line[r] === ln; r--) {
    if (l.kind[r] !== Kind.Caret) continue;
    if (problems[l.problem[r]!]!.severity === 'error') return ' bad';
    mark = ' warned';
  }
  return mark;
}

function BeyondRow(props: { at: number; l: Layout; problems: readonly Problem[]; current: number }): JSX.Element {
  const q = props.l.problem[props.at]!;
  const p = props.problems[q]!;
  return (
    <div
      class={`problem vrow beyond${p.severity === 'error' ? '' : ' warning'}${q === props.current ? ' current' : ''}`}
      data-problem-line={p.line}
      data-rule={p.rule}
      data-problem={q}
    >
      <span class="ln">{p.line}</span>
      <span class="text">
        <Message p={p} />
      </span>
    </div>
  );
}

/**
 * The body view. `current` (an index into `problems`) is scrolled into view and marked when it
 * changes: next/previous problem.
 */
export function CodeView(props: { text: string; problems: readonly Problem[]; onlyProblems?: boolean; truncated?: boolean; current?: number }): JSX.Element {
  const only = props.onlyProblems === true;
  const l = useMemo(() => layout(props.text, props.problems, only), [props.text, props.problems, only]);
  const box = useRef<HTMLElement>(null);
  const w = useRowWindow(box, l.count, CODE_ROW);
  const current = props.current ?? -1;
  useEffect(() => {
    const el = box.current;
    if (el === null || current < 0) return;
    const row = l.rowOfProblem[current] ?? -1;
    if (row < 0) return;
    // the caret row and its message row
    scrollRowIntoView(el, row + 1, CODE_ROW, 0, l.count);
    scrollRowIntoView(el, row, CODE_ROW, 0, l.count);
    const p = props.problems[current]!;
    if (row < l.count && l.kind[row] === Kind.Caret) {
      const ten = el.parentElement?.querySelector('.measure')?.getBoundingClientRect().width ?? 0;
      const charWidth = ten > 0 ? ten / 10 : 7.5;
      const x = caretOffset(l.lines[p.line - 1]!, l.start[row]!, p.column) * charWidth;
      if (x < el.scrollLeft || x > el.scrollLeft + el.clientWidth - 80) el.scrollLeft = Math.max(0, x - el.clientWidth / 3);
      // once drawn, the caret's own place corrects the estimate (wide characters, fonts)
      let frames = 0;
      const settle = (): void => {
        const caret = el.querySelector<HTMLElement>(`.problem[data-problem="${current}"] .caret`);
        if (caret === null) {
          if (++frames < 4) requestAnimationFrame(settle);
          return;
        }
        const box = el.getBoundingClientRect();
        const left = caret.getBoundingClientRect().left - box.left;
        if (left < 0 || left > el.clientWidth - 80) el.scrollLeft = Math.max(0, el.scrollLeft + left - el.clientWidth / 3);
      };
      requestAnimationFrame(settle);
    } else el.scrollLeft = 0;
  }, [current, l]);
  const rows: JSX.Element[] = [];
  for (let at = w.first; at < w.last; at++) {
    rows.push(
      l.kind[at] === Kind.Beyond ? (
        <BeyondRow key={at} at={at} l={l} problems={props.problems} current={current} />
      ) : (
        <Row key={at} at={at} l={l} problems={props.problems} current={current} />
      ),
    );
  }
  return (
    <div class="code-box">
      <span class="measure" aria-hidden="true">
        0000000000
      </span>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll box takes the focus so the keyboard can scroll it (axe: scrollable-region-focusable) */}
      <section class="code" ref={box} tabIndex={0} aria-label="body, with each problem under its line" data-rows={l.count} data-lines={l.lineCount}>
        <div class="code-inner" style={{ height: `${scrollSpace(l.count, CODE_ROW)}px` }}>
          <div style={{ height: `${w.before}px` }} />
          {rows}
        </div>
      </section>
      {props.truncated === true ? <div class="more">The body is shown in part: download it for the rest.</div> : null}
      {l.beyond > 0 ? <div class="more">{`${l.beyond} ${l.beyond === 1 ? 'problem is' : 'problems are'} past the part shown: listed at the end.`}</div> : null}
    </div>
  );
}
