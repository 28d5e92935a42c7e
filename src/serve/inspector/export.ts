/**
 * The export of the filtered problems (`GET api/problems?q=&format=json|sarif`): the requests that
 * pass the inspector's query, each as a "file" of the CLI's report formats, built by the same pure
 * core as `dt-ingest validate --format json|sarif` (`src/report/formats.ts`). A request is named by
 * the file its body downloads as (`dt-ingest-request-7.txt`), so a SARIF viewer opened beside the
 * downloaded bodies finds each problem at its line and column.
 *
 * Listed: the requests with a problem or an error status, newest first, at most `exportRequests` of
 * them and `exportProblems` problems, their bodies judged again within `viewBytes` (the rest are
 * counted as cut: SARIF says so in the run's properties, the JSON answer in a header).
 *
 * @module
 */
import { endpointById } from '../../endpoints/index.js';
import type { Severity } from '../../protocol/rules.js';
import { eslintFile, sarifLog, sarifResult, type ReportFinding, type ReportRule, type SarifResult } from '../../report/formats.js';
import { INSPECTOR_LIMITS } from '../options.js';
import { type ListIndex, matcher } from './listing.js';
import { parseQuery } from './query.js';
import type { RequestRecord } from './record.js';
import { bodyOf, placedProblems, type PlacedProblem } from './views.js';

/** The formats the inspector exports. */
export const EXPORT_FORMATS = ['json', 'sarif'] as const;

/** A format the inspector exports. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * The name a request's body downloads as (`GET api/requests/{id}/body`), which the exports name it by.
 * @example bodyFileName(record) // 'dt-ingest-request-7.txt'
 */
export function bodyFileName(record: RequestRecord): string {
  return `dt-ingest-request-${record.summary.id}.${record.summary.route === 'metrics' ? 'txt' : 'json'}`;
}

/**
 * An export: the document as text, and what it holds.
 * @example { text: '[...]', requests: 12, problems: 30, matched: 40, cut: false }
 */
export interface ProblemExport {
  text: string;
  /** Requests listed, problems listed, and requests that passed the query. */
  requests: number;
  problems: number;
  matched: number;
  /** Something was left out (`exportRequests`, `exportProblems` or the `viewBytes` of bodies judged). */
  cut: boolean;
}

const SEVERITIES: ReadonlySet<string> = new Set<Severity>(['error', 'warning', 'info']);

function finding(p: PlacedProblem, request: number): ReportFinding {
  const f: ReportFinding = {
    rule: p.rule,
    severity: SEVERITIES.has(p.severity) ? (p.severity as Severity) : 'error',
    message: p.message,
    line: p.line,
    column: p.column,
    request,
  };
  if (p.text !== null) f.text = p.text;
  if (p.pointer !== null) f.pointer = p.pointer;
  if (p.endpointMessage !== null) f.endpointMessage = p.endpointMessage;
  return f;
}

/**
 * The problems of the requests that pass `query`, as the CLI's `json` (ESLint's shape) or `sarif`.
 * @param records the list, oldest first
 * @example exportProblems(log.list(), 'status:4xx', 'sarif', new ListIndex()).text
 */
export function exportProblems(records: readonly RequestRecord[], query: string, format: ExportFormat, index: ListIndex): ProblemExport {
  index.begin();
  const pass = matcher(records, parseQuery(query), index, false);
  const files: { record: RequestRecord; findings: ReportFinding[] }[] = [];
  let budget = INSPECTOR_LIMITS.viewBytes;
  let problems = 0;
  let matched = 0;
  let cut = false;
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (!pass(r)) continue;
    matched++;
    const s = r.summary;
    const flagged = s.status >= 400 || s.errors > 0 || s.warnings > 0 || (s.linesInvalid ?? 0) > 0 || s.rules.length > 0;
    if (!flagged) continue;
    if (files.length >= INSPECTOR_LIMITS.exportRequests || problems >= INSPECTOR_LIMITS.exportProblems) {
      cut = true;
      continue;
    }
    let body: Uint8Array | undefined;
    if (r.chunks !== undefined && s.bytes <= budget) {
      budget -= s.bytes;
      body = bodyOf(r);
    } else if (r.chunks !== undefined) cut = true;
    const placed = placedProblems(r, body);
    // more problems than a detail lists (`maxProblems`); an OTLP body's problems are counted, not placed
    if (placed.count > placed.problems.length && placed.problems.length >= INSPECTOR_LIMITS.maxProblems) cut = true;
    const room = INSPECTOR_LIMITS.exportProblems - problems;
    if (placed.problems.length > room) cut = true;
    const findings = placed.problems.slice(0, room).map((p) => finding(p, s.id));
    problems += findings.length;
    files.push({ record: r, findings });
  }
  const text = format === 'json' ? jsonText(files) : sarifText(files, query, { matched, cut });
  return { text, requests: files.length, problems, matched, cut };
}

function jsonText(files: readonly { record: RequestRecord; findings: ReportFinding[] }[]): string {
  const out = files.map(({ record, findings }) => {
    const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
    for (const f of findings) counts[f.severity]++;
    const s = record.summary;
    return eslintFile(bodyFileName(record), findings, {
      status: s.status,
      ...(s.linesOk !== null ? { linesOk: s.linesOk, linesInvalid: s.linesInvalid ?? 0 } : {}),
      counts,
    });
  });
  return `${JSON.stringify(out)}\n`;
}

function sarifText(files: readonly { record: RequestRecord; findings: ReportFinding[] }[], query: string, facts: { matched: number; cut: boolean }): string {
  // the rule tables of the endpoints listed, each rule once, in table order
  const rules: ReportRule[] = [];
  const index = new Map<string, number>();
  const routes = new Set<string>();
  for (const { record } of files) {
    const route = record.summary.route;
    if (routes.has(route)) continue;
    routes.add(route);
    for (const rule of endpointById(route)?.rules ?? []) {
      if (index.has(rule.id)) continue;
      index.set(rule.id, rules.length);
      rules.push(rule);
    }
  }
  const results: SarifResult[] = [];
  for (const { record, findings } of files) {
    const artifact = { uri: bodyFileName(record) };
    for (const f of findings) results.push(sarifResult(f, artifact, index.get(f.rule)));
  }
  const log = sarifLog({ rules, results, properties: { query, requestsMatched: facts.matched, requestsListed: files.length, cut: facts.cut } });
  return `${JSON.stringify(log)}\n`;
}
