/**
 * Where the inspector and the playground place a JSON body's issues: at the value the pointer names,
 * at the nearest enclosing value when the member is missing, at the issue's own place for syntax
 * errors; one pass over the text whatever the number of issues.
 */
import { describe, expect, it } from 'vitest';
import { validateSmartscapeEvents } from '../../../src/index.js';
import { lineColumn, locateJsonPath } from '../../../src/events/json.js';
import { placeJsonIssues, pointerAncestors } from '../../../src/serve/inspector/place.js';
import type { Issue } from '../../../src/types.js';

const issue = (pointer: string | undefined, line?: number, column?: number): Issue => ({
  rule: 'r',
  severity: 'error',
  message: 'm',
  ...(pointer !== undefined ? { pointer } : {}),
  ...(line !== undefined ? { line, column } : {}),
});

describe('placing JSON issues', () => {
  it('lists a pointer and its ancestors, longest first', () => {
    expect(pointerAncestors('/a/0/b~1c')).toEqual(['/a/0/b~1c', '/a/0', '/a', '']);
    expect(pointerAncestors('')).toEqual(['']);
  });

  it('places each issue at its value, a missing member at the object that lacks it, a syntax error at its own place', () => {
    const text = '[\n  {\n    "type": "bad type",\n    "a/b": {"x": [1, 2]}\n  }\n]';
    const places = placeJsonIssues(
      [issue('/0/type'), issue('/0/a~1b/x/1'), issue('/0/id_components'), issue(''), issue(undefined, 3, 9), issue(undefined)],
      text,
    );
    expect(places).toEqual([
      { line: 3, column: 13 },
      { line: 4, column: 22 },
      { line: 2, column: 3 },
      { line: 1, column: 1 },
      { line: 3, column: 9 },
      { line: 1, column: 1 },
    ]);
    // the same places as the events module's own locator
    expect(places[0]).toEqual(lineColumn(text, locateJsonPath(text, [0, 'type'])));
    expect(places[1]).toEqual(lineColumn(text, locateJsonPath(text, [0, 'a/b', 'x', 1])));
  });

  it('places the validators own issues, many of them in one body', () => {
    const items = Array.from({ length: 2000 }, (_, i) => `  {"type": "bad ${i}", "id_components": [{"a": "b"}]}`);
    const text = `[\n${items.join(',\n')}\n]`;
    const r = validateSmartscapeEvents(text);
    expect(r.issues).toHaveLength(2000);
    const places = placeJsonIssues(r.issues, text);
    for (const [i, p] of places.entries()) expect(p).toEqual({ line: i + 2, column: 12 });
  });
});
