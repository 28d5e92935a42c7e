/**
 * Where a JSON body's issues sit in the text they came from: an issue's own line and column (syntax
 * errors), or where the value its JSON Pointer names starts; for a member that is missing, where the
 * nearest enclosing value starts (the object that lacks it). One pass over the text for all the issues
 * (`locateJsonPointers`), so a body with many issues costs no more than one with a few.
 * Runtime-neutral (no Node built-ins): the inspector's detail view and the playground both use it.
 *
 * @module
 */
import { locateJsonPointers, type TextPosition } from '../../events/json-locate.js';
import type { Issue } from '../../types.js';

/**
 * A pointer and its ancestors, longest first (`/a/0/b`, `/a/0`, `/a`, ``).
 * @example pointerAncestors('/a/0') // ['/a/0', '/a', '']
 */
export function pointerAncestors(pointer: string): string[] {
  const out = [pointer];
  let p = pointer;
  while (p !== '') {
    p = p.slice(0, p.lastIndexOf('/'));
    out.push(p);
  }
  return out;
}

/**
 * Line and column (1-based, UTF-16 units) of each issue of a JSON body in `text`, in the issues'
 * order; `{ line: 1, column: 1 }` where nothing better is known.
 * @example placeJsonIssues([{ rule: 'r', severity: 'error', message: 'm', pointer: '/a' }], '{\n "a": 1}') // [{ line: 2, column: 7 }]
 */
export function placeJsonIssues(issues: readonly Issue[], text: string): TextPosition[] {
  const wanted = new Set<string>();
  for (const issue of issues) if (issue.line === undefined && issue.pointer !== undefined) for (const p of pointerAncestors(issue.pointer)) wanted.add(p);
  const found = wanted.size === 0 ? new Map<string, TextPosition>() : locateJsonPointers(text, wanted);
  return issues.map((issue) => {
    if (issue.line !== undefined) return { line: issue.line, column: issue.column ?? 1 };
    if (issue.pointer !== undefined) {
      for (const p of pointerAncestors(issue.pointer)) {
        const at = found.get(p);
        if (at !== undefined) return at;
      }
    }
    return { line: 1, column: 1 };
  });
}

/**
 * The parsed body of a JSON text (a BOM skipped), or `undefined` when it is not JSON.
 * @example parseJsonText('\uFEFF[1]') // [1]
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return undefined;
  }
}
