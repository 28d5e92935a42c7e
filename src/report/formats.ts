/**
 * The documents of the two machine-readable report formats, as pure data: ESLint's JSON shape (one
 * object per file: `filePath`, `messages`, counts) and SARIF 2.1.0 (one run, the rule table, one
 * `result` per finding). No I/O and no Node built-ins: the CLI's `json` and `sarif` formats stream
 * these pieces to a file (`src/cli/formats/`), the inspector of `dt-ingest serve` builds whole
 * documents of the problems of its current filter from them, and both give the same shape.
 *
 * Paths are the caller's: the CLI names a file relative to `%SRCROOT%` (its working directory), the
 * inspector names a request by the file name its body downloads as.
 *
 * @module
 */
import type { Severity } from '../protocol/rules.js';
import type { Issue } from '../types.js';

/**
 * One finding as reported: an {@link Issue} with the severity in force and, when a file is split
 * into requests, the request it belongs to. Line numbers are the file's.
 * @example { rule: 'payload-missing', severity: 'error', message: 'missing payload after the metric key', line: 3, column: 4 }
 */
export interface ReportFinding extends Issue {
  /** 1-based number of the request (`--split`). */
  request?: number;
}

/**
 * What a rule table row says, as far as a report needs it (an endpoint's `RuleDoc` is one).
 * @example { id: 'metric-key-char', severity: 'error', endpoint: 'invalid metric key', report: 'invalid character in metric key' }
 */
export interface ReportRule {
  readonly id: string;
  readonly severity: Severity;
  /** The endpoint's text (template); empty when the endpoint does not name the problem. */
  readonly endpoint: string;
  /** Our report's text (template). */
  readonly report: string;
  /** Events rules: structural, semantic or request. */
  readonly kind?: string;
}

/**
 * How one file (or request) ended, as the JSON format's counts say it.
 * @example { status: 400, linesOk: 6, linesInvalid: 3, counts: { error: 3, warning: 1, info: 0 } }
 */
export interface ReportOutcome {
  /** The endpoint's status; absent for `fix`. */
  status?: number;
  /** Metrics: lines the endpoint counts as OK and invalid. */
  linesOk?: number;
  linesInvalid?: number;
  /** `--split`: the requests' records (the JSON format lists them). */
  requests?: readonly unknown[];
  /** `fix`: what happened to the lines. */
  fix?: { kept: number; repaired: number; dropped: number };
  /** Findings by severity. */
  counts: Record<Severity, number>;
}

/** ESLint's numeric severities: 2 error, 1 warning (info has none in ESLint; it is 1 with `level: 'info'`). */
const ESLINT_SEVERITY = { error: 2, warning: 1, info: 1 } as const;

/**
 * One message in ESLint's shape, with dt-ingest's fields after ESLint's (`level`, `pointer`, `text`,
 * `endpointMessage`, `request`).
 * @example eslintMessage({ rule: 'payload-missing', severity: 'error', message: 'missing payload', line: 2, column: 4 }).endColumn // 5
 */
export function eslintMessage(f: ReportFinding): Record<string, unknown> {
  const m: Record<string, unknown> = { ruleId: f.rule, severity: ESLINT_SEVERITY[f.severity], message: f.message };
  if (f.line !== undefined) {
    m.line = f.line;
    m.column = f.column ?? 1;
    // ESLint's end of the range (exclusive): the validators name where a problem starts, so the
    // range is the character there, which editors and ESLint tooling underline
    m.endLine = f.line;
    m.endColumn = (f.column ?? 1) + 1;
  }
  m.level = f.severity;
  if (f.pointer !== undefined) m.pointer = f.pointer;
  if (f.text !== undefined) m.text = f.text;
  if (f.endpointMessage !== undefined) m.endpointMessage = f.endpointMessage;
  if (f.request !== undefined) m.request = f.request;
  return m;
}

/**
 * What follows a file's `messages` in ESLint's shape: the counts (ESLint's, the ones dt-ingest never
 * has at 0, and `infoCount`) and the endpoint's verdict.
 * @example eslintCounts({ status: 202, counts: { error: 0, warning: 1, info: 0 } }).warningCount // 1
 */
export function eslintCounts(o: ReportOutcome): Record<string, unknown> {
  const tail: Record<string, unknown> = {
    suppressedMessages: [],
    errorCount: o.counts.error,
    fatalErrorCount: 0,
    warningCount: o.counts.warning,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    infoCount: o.counts.info,
  };
  if (o.status !== undefined) tail.status = o.status;
  if (o.linesOk !== undefined) {
    tail.linesOk = o.linesOk;
    tail.linesInvalid = o.linesInvalid ?? 0;
  }
  if (o.requests !== undefined) tail.requests = o.requests;
  if (o.fix !== undefined) tail.fix = o.fix;
  return tail;
}

/**
 * One whole file in ESLint's shape (what the CLI streams piece by piece, key for key the same).
 * @example eslintFile('/repo/a.txt', findings, { status: 400, counts }).filePath // '/repo/a.txt'
 */
export function eslintFile(filePath: string, findings: readonly ReportFinding[], o: ReportOutcome): Record<string, unknown> {
  return { filePath, messages: findings.map(eslintMessage), ...eslintCounts(o) };
}

/** The schema a SARIF log names (the OASIS 2.1.0 errata 01 schema, the one code scanning validates against). */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** The base the CLI's artifact URIs are relative to. */
export const SRCROOT = '%SRCROOT%';

/** SARIF's levels: `info` is `note`. */
const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * A SARIF `reportingDescriptor` (the parts dt-ingest fills in).
 * @example sarifRule(rule).name // 'MetricKeyChar'
 */
export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: 'error' | 'warning' | 'note' };
  properties?: { kind: string };
}

/**
 * A SARIF `result` (the parts dt-ingest fills in).
 * @example { ruleId: 'metric-key-char', level: 'error', message: { text: '...' }, locations: [...], ruleIndex: 3 }
 */
export interface SarifResult {
  ruleId: string;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations: { physicalLocation: SarifPhysicalLocation }[];
  ruleIndex?: number;
  properties?: Record<string, unknown>;
}

/**
 * Where a result is: the artifact and the region.
 * @example { artifactLocation: { uri: 'a.txt', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 5 } }
 */
export interface SarifPhysicalLocation {
  artifactLocation: SarifArtifact;
  region: { startLine: number; startColumn: number };
}

/**
 * An artifact's URI, relative to a base when `uriBaseId` is given.
 * @example { uri: 'a%20b.txt', uriBaseId: '%SRCROOT%' }
 */
export interface SarifArtifact {
  uri: string;
  uriBaseId?: string;
}

/**
 * A SARIF log with one run.
 * @example sarifLog({ version: '1.0.0', rules: [] }).runs[0].tool.driver.name // 'dt-ingest'
 */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: { driver: { name: string; version?: string; semanticVersion?: string; rules: SarifRule[] } };
    originalUriBaseIds?: Record<string, { uri: string }>;
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
    properties?: Record<string, unknown>;
  }[];
}

/** `metric-key-char` → `MetricKeyChar` (SARIF's `name` is a readable identifier). */
function pascal(id: string): string {
  return id
    .split('-')
    .map((w) => (w === '' ? '' : w[0]!.toUpperCase() + w.slice(1)))
    .join('');
}

/**
 * A rule table row as a SARIF `reportingDescriptor`.
 * @example sarifRule(METRICS_RULES[0]).id // 'line-too-long'
 */
export function sarifRule(rule: ReportRule): SarifRule {
  const endpoint = rule.endpoint !== '' ? `The endpoint answers: "${rule.endpoint}".` : 'The endpoint does not name this problem; dt-ingest reports it.';
  const text = `${rule.report}. ${endpoint} Placeholders in braces stand for the values of each finding.`;
  const descriptor: SarifRule = {
    id: rule.id,
    name: pascal(rule.id),
    shortDescription: { text: rule.report },
    fullDescription: { text: `${rule.report}. ${endpoint}` },
    help: { text, markdown: `**${rule.id}** (${rule.severity}): ${rule.report}.\n\n${endpoint}` },
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
  };
  if (rule.kind !== undefined) descriptor.properties = { kind: rule.kind };
  return descriptor;
}

/**
 * The offending text of a finding as reports quote it, quoted once: a line's text (metrics) as a JSON
 * string; a JSON body's value as the JSON it already is (`"host-1"`, `42`), never quoted twice.
 * @example quotedText({ text: 'cpu load', pointer: undefined }) // '"cpu load"'
 * @example quotedText({ text: '"host-1"', pointer: '/0/title' }) // '"host-1"'
 */
export function quotedText(f: Pick<ReportFinding, 'text' | 'pointer'>): string | undefined {
  if (f.text === undefined) return undefined;
  return f.pointer !== undefined ? f.text : JSON.stringify(f.text);
}

/**
 * One finding as a SARIF `result` in `artifact`. A finding without a line (a body too large, an empty
 * body) is placed on line 1, since code scanning needs a line, and says `fileLevel`.
 * @param ruleIndex the rule's index in the run's rule table, when it is there
 * @example sarifResult(finding, { uri: 'a.txt', uriBaseId: SRCROOT }, 3).locations[0].physicalLocation.region // { startLine: 2, startColumn: 5 }
 */
export function sarifResult(f: ReportFinding, artifact: SarifArtifact, ruleIndex: number | undefined): SarifResult {
  const quoted = quotedText(f);
  const text = quoted !== undefined ? `${f.message} (${quoted})` : f.message;
  const physicalLocation = { artifactLocation: artifact, region: { startLine: f.line ?? 1, startColumn: f.line !== undefined ? (f.column ?? 1) : 1 } };
  const result: SarifResult = { ruleId: f.rule, level: SARIF_LEVEL[f.severity], message: { text }, locations: [{ physicalLocation }] };
  if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
  const properties: Record<string, unknown> = {};
  if (f.pointer !== undefined) properties.pointer = f.pointer;
  if (f.endpointMessage !== undefined) properties.endpointMessage = f.endpointMessage;
  if (f.request !== undefined) properties.request = f.request;
  if (f.line === undefined) properties.fileLevel = true;
  if (Object.keys(properties).length > 0) result.properties = properties;
  return result;
}

/**
 * A SARIF log of one dt-ingest run: the tool with its rule table, `columnKind` UTF-16 code units (the
 * validators' columns), and the results (empty: the CLI streams them into the array).
 * @param run.version the tool's version (none: not named)
 * @param run.srcRoot the URI `%SRCROOT%` stands for (a `file:` URI ending in `/`); none: artifacts are named without a base
 * @param run.properties the run's own facts (the inspector: its query, and whether the export was cut)
 * @example sarifLog({ version: '1.0.0', rules: METRICS_RULES, srcRoot: 'file:///repo/' })
 */
export function sarifLog(run: {
  version?: string;
  rules: readonly ReportRule[];
  srcRoot?: string;
  results?: SarifResult[];
  properties?: Record<string, unknown>;
}): SarifLog {
  const driver = {
    name: 'dt-ingest',
    ...(run.version !== undefined ? { version: run.version, semanticVersion: run.version } : {}),
    rules: run.rules.map(sarifRule),
  };
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        ...(run.srcRoot !== undefined ? { originalUriBaseIds: { [SRCROOT]: { uri: run.srcRoot } } } : {}),
        columnKind: 'utf16CodeUnits',
        results: run.results ?? [],
        ...(run.properties !== undefined ? { properties: run.properties } : {}),
      },
    ],
  };
}
