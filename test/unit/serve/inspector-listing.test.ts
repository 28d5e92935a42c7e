/**
 * The inspector at volume, without a browser: the query syntax (shared by the server and the page),
 * one page of the list and the summary over a server's list, and the body view's layout (rows for
 * lines, segments and problems; carets placed by column with tabs expanded, never padded).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../src/serve/index.js';
import { PAGE_MAX, type ListPage, type ListSummary } from '../../../src/serve/inspector/listing.js';
import { matchesQuery, parseQuery, toggleTerm } from '../../../src/serve/inspector/query.js';
import type { RequestSummary } from '../../../src/serve/inspector/record.js';
import { SEGMENT, caretOffset, caretPlace, displayWidth, layout, type Problem } from '../../../ui/shared/code.js';
import { MAX_SCROLL_PX, OVERSCAN, scrollSpace, scrollTopOf, windowOf } from '../../../ui/shared/virtual.js';
import { JSON_TYPE, TEXT, send } from './helpers.js';

const API = '/_dt-ingest/ui/api/';
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function summary(patch: Partial<RequestSummary>): RequestSummary {
  return {
    id: 1,
    at: 0,
    ms: 1,
    method: 'POST',
    target: '/api/v2/metrics/ingest',
    route: 'metrics',
    status: 400,
    linesOk: 1,
    linesInvalid: 1,
    errors: 1,
    warnings: 0,
    rules: ['metric-key-char', 'metric-type-invalid'],
    bytes: 10,
    sender: '127.0.0.1:5000',
    userAgent: 'curl/8',
    contentType: 'text/plain',
    snippet: 'Bad Key 1',
    bodyKept: true,
    message: null,
    upstream: null,
    accounting: null,
    ...patch,
  };
}

describe('the query syntax', () => {
  it('reads field terms (quoted too) and free words', () => {
    const q = parseQuery('rule:metric-key-char status:4xx route:metrics key:"cpu temp" sender:127.0.0.1 Bad  other:x');
    expect(q).toMatchObject({
      rule: ['metric-key-char'],
      status: ['4xx'],
      route: ['metrics'],
      key: ['cpu temp'],
      sender: ['127.0.0.1'],
      words: ['bad', 'other:x'],
      free: 'Bad other:x',
    });
  });

  it('ANDs fields, ORs the terms of one field, matches free words case-insensitively', () => {
    const s = summary({});
    const ctx = { keys: () => ['cpu.temp'], text: (x: RequestSummary) => x.snippet.toLowerCase() };
    const m = (text: string): boolean => matchesQuery(s, parseQuery(text), ctx);
    expect(m('')).toBe(true);
    expect(m('status:4xx')).toBe(true);
    expect(m('status:400')).toBe(true);
    expect(m('status:2xx')).toBe(false);
    expect(m('status:2xx status:400')).toBe(true);
    expect(m('route:metrics rule:metric-type-invalid')).toBe(true);
    expect(m('route:events rule:metric-type-invalid')).toBe(false);
    expect(m('key:cpu.temp')).toBe(true);
    expect(m('key:mem')).toBe(false);
    expect(m('sender:127.0.0.1')).toBe(true);
    expect(m('sender:127.0.0.1:5000')).toBe(true);
    expect(m('sender:10.0.0.1')).toBe(false);
    expect(m('bad key')).toBe(true);
    expect(m('bad nothing')).toBe(false);
    // a body hit (the server's search) counts for free words
    expect(matchesQuery(s, parseQuery('nothing'), { ...ctx, bodyHit: () => true })).toBe(true);
  });

  it('toggles a term (what a click in the summary does)', () => {
    expect(toggleTerm('cpu', 'rule', 'metric-key-char')).toBe('cpu rule:metric-key-char');
    expect(toggleTerm('cpu rule:metric-key-char', 'rule', 'metric-key-char')).toBe('cpu');
    expect(toggleTerm('', 'key', 'a b')).toBe('key:"a b"');
    expect(parseQuery(toggleTerm('', 'key', 'a b')).key).toEqual(['a b']);
  });
});

describe('the list, a page at a time, and its summary', () => {
  it('answers one page of a query, newest first, with stable offsets below an anchor, and the summary by rule, key and sender', async () => {
    const s = await startServer({ port: 0 });
    servers.push(s);
    for (let i = 0; i < 30; i++) {
      if (i % 3 === 0) await send(s.url + '/api/v2/metrics/ingest', 'POST', `cpu.temp,host=a ${i}\nbad key 1\n`, TEXT);
      else if (i % 3 === 1) await send(s.url + '/api/v2/metrics/ingest', 'POST', `mem.used ${i}\n`, TEXT);
      else
        await send(
          s.url + '/platform/ingest/v1/events',
          'POST',
          JSON.stringify({ 'event.type': 'CUSTOM_INFO', description: 'p'.repeat(200), title: `t${i}` }),
          JSON_TYPE,
        );
    }
    const page = async (q: string): Promise<ListPage> => (await send(`${s.url}${API}requests?${q}`, 'GET')).json() as ListPage;
    const all = await page('limit=5');
    expect(all.matched).toBe(30);
    expect(all.listed).toBe(30);
    expect(all.newest).toBe(30);
    expect(all.items.map((x) => x.id)).toEqual([30, 29, 28, 27, 26]);
    const bad = await page('q=rule:metric-type-invalid&limit=3&offset=2');
    expect(bad.matched).toBe(10);
    expect(bad.items.map((x) => x.id)).toEqual([22, 19, 16]);
    // a request arriving later does not move the pages below the anchor
    await send(s.url + '/api/v2/metrics/ingest', 'POST', 'cpu.temp,host=a 1\nbad key 1\n', TEXT);
    const same = await page('q=rule:metric-type-invalid&limit=3&offset=2&before=31');
    expect(same.items.map((x) => x.id)).toEqual([22, 19, 16]);
    expect((await page('q=rule:metric-type-invalid&limit=3')).matched).toBe(11);
    expect((await page('q=rule:metric-type-invalid&limit=3')).exact).toBe(true);
    // without the count (a keystroke's first page): the scan stops once the page is full, the count a lower bound
    const quick = await page('q=rule:metric-type-invalid&limit=3&count=0');
    expect(quick.items.map((x) => x.id)).toEqual([31, 28, 25]);
    expect(quick).toMatchObject({ matched: 3, exact: false, newest: 31 });
    // ... and exact when the scan reached the end anyway
    expect(await page('q=rule:metric-type-invalid&limit=50&count=0')).toMatchObject({ matched: 11, exact: true });
    // metric keys are read from the kept bodies
    const keyed = await page('q=key:mem.used&limit=100');
    expect(keyed.matched).toBe(10);
    expect(keyed.items.every((x) => x.route === 'metrics' && x.status === 202)).toBe(true);
    // free text also in the bodies when asked (exact bytes)
    expect((await page('q=t17&limit=10')).matched).toBe(0);
    expect((await page('q=t17&limit=10&bodies=1')).items.map((x) => x.id)).toEqual([18]);
    const sum = (await send(`${s.url}${API}summary?q=route:metrics`, 'GET')).json() as ListSummary;
    expect(sum.matched).toBe(21);
    expect(sum.rules).toEqual([{ value: 'metric-type-invalid', count: 11 }]);
    expect(sum.keys).toEqual([
      { value: 'cpu.temp', count: 11 },
      { value: 'mem.used', count: 10 },
    ]);
    expect(sum.senders).toEqual([{ value: '127.0.0.1', count: 21 }]);
    expect(sum.partial).toBe(false);
    // the whole list without limit, as before (oldest first)
    const whole = (await send(`${s.url}${API}requests`, 'GET')).json() as { items: RequestSummary[]; omitted: number };
    expect(whole.items.map((x) => x.id).slice(0, 3)).toEqual([1, 2, 3]);
    expect(whole.omitted).toBe(0);
  });

  it('without limit answers at most one page (the newest, oldest first) and counts the requests left out', async () => {
    const s = await startServer({ port: 0, receivedLimit: PAGE_MAX + 50 });
    servers.push(s);
    for (let i = 0; i < PAGE_MAX + 20; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, k) => send(s.url + '/api/v2/metrics/ingest', 'POST', `m.k${i + k} 1\n`, TEXT)));
    }
    const whole = (await send(`${s.url}${API}requests`, 'GET')).json() as { items: RequestSummary[]; omitted: number };
    expect(whole.items).toHaveLength(PAGE_MAX);
    expect(whole.omitted).toBe(50);
    const ids = whole.items.map((x) => x.id);
    expect(ids[0]).toBe(51);
    expect(ids.at(-1)).toBe(PAGE_MAX + 50);
  });
});

describe('the body view, laid out', () => {
  const p = (line: number, column: number, severity = 'error'): Problem => ({ line, column, rule: 'r', severity, message: 'm', endpointMessage: null });

  it('puts each problem under the segment that holds its column, and the problems past the text at the end', () => {
    const long = 'x'.repeat(SEGMENT * 2 + 10);
    const problems = [p(1, 1), p(2, 5), p(2, SEGMENT + 3), p(2, SEGMENT * 2 + 10), p(9, 1)];
    const l = layout(`a\n${long}\nc\n`, problems, false);
    // line 1, caret, message, line 2 segment 0, caret, message, segment 1, caret, message, segment 2, caret, message, line 3, beyond
    expect(Array.from(l.kind.subarray(0, l.count))).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 3]);
    expect(Array.from(l.start.subarray(0, l.count)).slice(3, 12)).toEqual([0, 0, 0, SEGMENT, SEGMENT, SEGMENT, 2 * SEGMENT, 2 * SEGMENT, 2 * SEGMENT]);
    expect(Array.from(l.rowOfProblem)).toEqual([1, 4, 7, 10, 13]);
    expect(l.beyond).toBe(1);
    expect(l.lineCount).toBe(3);
    // only lines with problems
    expect(layout('a\nb\nc\n', [p(2, 1)], true).count).toBe(3);
  });

  it('costs one row per segment and two per problem: 1,500 problems on one 110 KB line', () => {
    const line = 'y'.repeat(110_000);
    const problems = Array.from({ length: 1500 }, (_, i) => p(1, 1 + i * 73));
    const l = layout(line, problems, false);
    expect(l.count).toBe(Math.ceil(110_000 / SEGMENT) + 3000);
  });

  it('places a caret by column within its segment, tabs expanded to 8, never by padding', () => {
    expect(caretOffset('abc', 0, 1)).toBe(0);
    expect(caretOffset('abc', 0, 3)).toBe(2);
    expect(caretOffset('\tab', 0, 2)).toBe(8);
    expect(caretOffset('a\tb', 0, 3)).toBe(8);
    expect(caretOffset('ab', 0, 5)).toBe(4);
    expect(caretOffset('z'.repeat(SEGMENT + 50), SEGMENT, SEGMENT + 11)).toBe(10);
  });

  it('places a caret after wide characters by the text before it (drawn invisibly), never cutting a surrogate pair', () => {
    const line = 'cpu.temp,host=東京😀 hot';
    const column = line.indexOf('hot') + 1;
    // the caret row draws exactly the segment's text before the column: the browser lays it out as the text row
    expect(caretPlace(line, 0, column)).toEqual({ prefix: 'cpu.temp,host=東京😀 ', past: 0 });
    // a column inside the emoji's pair points at the emoji
    const emoji = line.indexOf('😀');
    expect(caretPlace(line, 0, emoji + 2).prefix).toBe(line.slice(0, emoji));
    // past the end of the line: the text, then the columns past it
    expect(caretPlace('ab', 0, 5)).toEqual({ prefix: 'ab', past: 2 });
    // within a later segment: from the segment's start, at most a segment
    const long = '東'.repeat(SEGMENT * 2);
    expect(caretPlace(long, SEGMENT, SEGMENT + 11).prefix).toHaveLength(10);
    expect(caretPlace(long, SEGMENT, SEGMENT * 3).prefix.length).toBeLessThanOrEqual(SEGMENT);
    // the scroll estimate counts wide characters as two columns, combining marks as none
    expect(caretOffset(line, 0, column)).toBe(14 + 2 + 2 + 2 + 1);
    expect(displayWidth('e'.codePointAt(0)!) + displayWidth(0x301)).toBe(1);
    expect(caretOffset('e\u0301x', 0, 3)).toBe(1);
  });

  it('caps the scroll space of millions of rows and maps a scroll position onto them', () => {
    const rows = 4_000_000;
    const row = 19;
    const height = 600;
    expect(rows * row).toBeGreaterThan(MAX_SCROLL_PX);
    expect(scrollSpace(rows, row)).toBe(MAX_SCROLL_PX);
    const space = MAX_SCROLL_PX;
    // top, middle and bottom of the scroll space show the first, middle and last rows
    const top = windowOf(0, height, rows, row);
    expect(top.first).toBe(0);
    const end = windowOf(space - height, height, rows, row);
    expect(end.last).toBe(rows);
    expect(end.after).toBe(0);
    const mid = windowOf((space - height) / 2, height, rows, row);
    expect(Math.abs((mid.first + OVERSCAN) / rows - 0.5)).toBeLessThan(0.001);
    for (const w of [top, mid, end]) {
      // a screenful drawn, and the pieces fill the capped space exactly
      expect(w.last - w.first).toBeLessThanOrEqual(Math.ceil(height / row) + 2 * OVERSCAN + 1);
      expect(w.before + (w.last - w.first) * row + w.after).toBe(space);
    }
    // scrolling to a row shows it: the row is within the window at its scroll position
    for (const index of [0, 1234, 2_000_000, rows - 1]) {
      const w = windowOf(scrollTopOf(index, rows, row, height), height, rows, row);
      expect(index).toBeGreaterThanOrEqual(w.first);
      expect(index).toBeLessThan(w.last);
    }
    // below the cap nothing changes: one px of scroll is one px of rows
    expect(scrollTopOf(100, 1000, row, height)).toBe(1900);
  });

  it('draws the rows in view and an overscan, whatever the length', () => {
    const w = windowOf(28 * 5000, 700, 100_000, 28);
    expect(w.last - w.first).toBeLessThanOrEqual(Math.ceil(700 / 28) + 2 * 8 + 1);
    expect(w.before).toBe(w.first * 28);
    expect(w.before + (w.last - w.first) * 28 + w.after).toBe(100_000 * 28);
    expect(windowOf(0, 700, 3, 28)).toEqual({ first: 0, last: 3, before: 0, after: 0 });
  });
});
