/**
 * Where a JSON body's issue sits in the text it came from: its own line and column (syntax errors),
 * or where the value its JSON Pointer names starts (for a missing member, the object that lacks it).
 * Runtime-neutral (no Node built-ins): the inspector's detail view and the playground both use it.
 *
 * @module
 */
import { lineColumn, locateJsonPath, type PathSegment } from '../../events/json.js';
import type { Issue } from '../../types.js';

/**
 * The segments of a JSON Pointer, typed after the value they walk (array indices as numbers).
 * @example pointerPath('/items/0/title', { items: [{}] }) // ['items', 0, 'title']
 */
export function pointerPath(pointer: string, root: unknown): PathSegment[] {
  if (pointer === '') return [];
  const out: PathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.split('~1').join('/').split('~0').join('~');
    if (Array.isArray(node)) {
      const i = Number(seg);
      out.push(i);
      node = node[i];
    } else {
      out.push(seg);
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

/**
 * Line and column (1-based, UTF-16 units) of a JSON body's issue in `text`; `root` is the parsed
 * body (`undefined` when it does not parse).
 * @example placeJsonIssue({ rule: 'r', severity: 'error', message: 'm', pointer: '/a' }, '{\n "a": 1}', { a: 1 }) // { line: 2, column: 7 }
 */
export function placeJsonIssue(issue: Issue, text: string, root: unknown): { line: number; column: number } {
  if (issue.line !== undefined) return { line: issue.line, column: issue.column ?? 1 };
  if (issue.pointer === undefined || root === undefined) return { line: 1, column: 1 };
  const path = pointerPath(issue.pointer, root);
  for (let n = path.length; n >= 0; n--) {
    const offset = locateJsonPath(text, path.slice(0, n));
    if (offset >= 0) return lineColumn(text, offset);
  }
  return { line: 1, column: 1 };
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
