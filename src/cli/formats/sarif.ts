/**
 * `sarif`: SARIF 2.1.0, the format GitHub code scanning uploads. One run whose `tool.driver` is
 * dt-ingest with the family's rule table as `rules` (id, descriptions, help with the endpoint's text,
 * default level); each finding is a `result` with `ruleId`/`ruleIndex`, `level` (`info` is `note`),
 * the message, and a `physicalLocation`: the file relative to `%SRCROOT%` (the working directory) and
 * the `region` (`startLine`, `startColumn` in UTF-16 code units, SARIF's default `columnKind`). A
 * finding without a line (a body too large, an empty body) is placed on line 1, since code scanning
 * needs a line. Results are streamed: the rules come first, the results array is written as the
 * findings arrive.
 *
 * @module
 */
import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location, ReportingDescriptor, Result } from 'sarif';
import type { RuleDoc } from '../families.js';
import type { InputRef, OutputSink } from '../io.js';
import type { Finding, FormatDefinition, Reporter, RunInfo } from './types.js';
import { quotedText } from './words.js';

/** The schema the log names (the OASIS 2.1.0 errata 01 schema, the one code scanning validates against). */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** The base the artifact URIs are relative to. */
export const SRCROOT = '%SRCROOT%';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * The URI of an input in the log: relative to `cwd` (with `/`, each segment percent-encoded) when
 * inside it, else an absolute `file:` URI; standard input by its name.
 * @example artifactUri({ kind: 'file', path: '/repo/a b.txt', name: 'a b.txt', size: 1 }, '/repo') // { uri: 'a%20b.txt', uriBaseId: '%SRCROOT%' }
 */
export function artifactUri(file: InputRef, cwd: string): { uri: string; uriBaseId?: string } {
  if (file.kind === 'stdin') return { uri: encodeURIComponent(file.name) };
  const rel = relative(cwd, file.path);
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  return { uri: pathToFileURL(file.path).href };
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
export function sarifRule(rule: RuleDoc): ReportingDescriptor {
  const endpoint = rule.endpoint !== '' ? `The endpoint answers: "${rule.endpoint}".` : 'The endpoint does not name this problem; dt-ingest reports it.';
  const text = `${rule.report}. ${endpoint} Placeholders in braces stand for the values of each finding.`;
  const descriptor: ReportingDescriptor = {
    id: rule.id,
    name: pascal(rule.id),
    shortDescription: { text: rule.report },
    fullDescription: { text: `${rule.report}. ${endpoint}` },
    help: { text, markdown: `**${rule.id}** (${rule.severity}): ${rule.report}.\n\n${endpoint}` },
    defaultConfiguration: { level: LEVEL[rule.severity] },
  };
  if (rule.kind !== undefined) descriptor.properties = { kind: rule.kind };
  return descriptor;
}

/**
 * The `sarif` reporter.
 * @example createSarif(OutputSink.toFile('report.sarif', process.cwd()), run)
 */
export function createSarif(sink: OutputSink, run: RunInfo): Reporter {
  const index = new Map<string, number>();
  run.rules.forEach((r, i) => {
    index.set(r.id, i);
  });
  let results = 0;
  let location: Location['physicalLocation'];
  return {
    begin() {
      const driver = { name: 'dt-ingest', version: run.version, semanticVersion: run.version, rules: run.rules.map(sarifRule) };
      const head = {
        $schema: SARIF_SCHEMA_URI,
        version: '2.1.0',
        runs: [
          {
            tool: { driver },
            originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(run.cwd.endsWith(sep) ? run.cwd : run.cwd + sep).href } },
            columnKind: 'utf16CodeUnits',
            results: [],
          },
        ],
      };
      // everything up to the results array, which stays open for streaming
      const text = JSON.stringify(head);
      sink.write(text.slice(0, text.length - '[]}]}'.length) + '[');
    },
    fileStart(file) {
      location = { artifactLocation: artifactUri(file, run.cwd) };
    },
    finding(f: Finding) {
      const quoted = quotedText(f);
      const text = quoted !== undefined ? `${f.message} (${quoted})` : f.message;
      const physicalLocation = { ...location!, region: { startLine: f.line ?? 1, startColumn: f.line !== undefined ? (f.column ?? 1) : 1 } };
      const result: Result = { ruleId: f.rule, level: LEVEL[f.severity], message: { text }, locations: [{ physicalLocation }] };
      const i = index.get(f.rule);
      if (i !== undefined) result.ruleIndex = i;
      const properties: Record<string, unknown> = {};
      if (f.pointer !== undefined) properties.pointer = f.pointer;
      if (f.endpointMessage !== undefined) properties.endpointMessage = f.endpointMessage;
      if (f.request !== undefined) properties.request = f.request;
      if (f.line === undefined) properties.fileLevel = true;
      if (Object.keys(properties).length > 0) result.properties = properties;
      sink.write((results++ === 0 ? '\n' : ',\n') + JSON.stringify(result));
    },
    request() {},
    fileEnd() {},
    end() {
      sink.write(`${results > 0 ? '\n' : ''}]}]}\n`);
    },
  };
}

/** The `sarif` format. */
export const SARIF_FORMAT: FormatDefinition = {
  name: 'sarif',
  summary: 'SARIF 2.1.0, for GitHub code scanning and other SARIF viewers',
  findings: true,
  forFix: true,
  create: createSarif,
};
