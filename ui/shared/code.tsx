/**
 * A body with line numbers and each problem shown under its line: a caret at its column, the rule
 * id, our text and the endpoint's text. Payload text goes into text nodes only.
 */
import type { JSX } from 'preact';
import type { PlacedProblem } from '../../src/serve/inspector/views.js';
import { caretPad, splitLines } from './format.js';

/** One problem at a line and column (the server's `PlacedProblem`, or the playground's). */
export type Problem = Pick<PlacedProblem, 'line' | 'column' | 'rule' | 'severity' | 'message' | 'endpointMessage'>;

/** Lines drawn at most; the rest is reached through the download. */
export const MAX_LINES = 5000;

export function CodeView(props: { text: string; problems: readonly Problem[]; onlyProblems?: boolean; truncated?: boolean }): JSX.Element {
  const lines = splitLines(props.text);
  // a body ending with LF has no line after it
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const byLine = new Map<number, Problem[]>();
  for (const p of props.problems) {
    const list = byLine.get(p.line);
    if (list === undefined) byLine.set(p.line, [p]);
    else list.push(p);
  }
  const rows: JSX.Element[] = [];
  let drawn = 0;
  let hidden = 0;
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const here = byLine.get(n);
    if (props.onlyProblems === true && here === undefined) continue;
    if (drawn >= MAX_LINES) {
      hidden++;
      continue;
    }
    drawn++;
    const line = lines[i]!;
    const bad = here?.some((p) => p.severity === 'error') === true;
    rows.push(
      <div class={`row${here === undefined ? '' : bad ? ' bad' : ' warned'}`} data-line={n} key={`l${n}`}>
        <span class="ln">{n}</span>
        <span class="text">{line}</span>
      </div>,
    );
    if (here !== undefined) {
      for (const [k, p] of here.entries()) {
        const cls = `problem${p.severity === 'error' ? '' : ' warning'}`;
        rows.push(
          <div class={cls} key={`c${n}.${k}`} data-problem-line={n}>
            <span class="ln" />
            <span class="caret">{caretPad(line, p.column)}^</span>
          </div>,
          <div class={cls} key={`m${n}.${k}`} data-problem-line={n} data-rule={p.rule}>
            <span class="ln" />
            <span class="text">
              {p.severity === 'error' ? '✖ ' : '⚠ '}
              <span class="rule">{p.rule}</span> {`line ${p.line}, column ${p.column}: ${p.message}`}
              {p.endpointMessage !== null && p.endpointMessage !== p.message ? <span class="endpoint">{` · endpoint: "${p.endpointMessage}"`}</span> : null}
            </span>
          </div>,
        );
      }
    }
  }
  const beyond = props.problems.filter((p) => p.line > lines.length);
  return (
    <div class="code">
      {rows}
      {hidden > 0 ? <div class="more">{`${hidden} more lines not drawn (download the body to see them)`}</div> : null}
      {props.truncated === true ? <div class="more">The body is shown in part: download it for the rest.</div> : null}
      {beyond.length > 0 ? (
        <div class="more">
          {`${beyond.length} problems in the part not shown:`}
          {beyond.slice(0, 200).map((p, k) => (
            <div key={`b${k}`} class="problem" data-problem-line={p.line} data-rule={p.rule}>
              <span class="text">
                {`line ${p.line}, column ${p.column}: `}
                <span class="rule">{p.rule}</span>
                {` ${p.message}`}
              </span>
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
