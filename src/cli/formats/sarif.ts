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
import type { ReportingDescriptor } from 'sarif';
import { SARIF_SCHEMA_URI, SRCROOT, sarifLog, sarifResult, sarifRule as coreRule, type SarifArtifact } from '../../report/formats.js';
import type { RuleDoc } from '../families.js';
import type { InputRef, OutputSink } from '../io.js';
import type { Finding, FormatDefinition, Reporter, RunInfo } from './types.js';

// the documents' pieces are built in src/report/formats.ts (no Node there: the inspector builds the same)
export { SARIF_SCHEMA_URI, SRCROOT };

/**
 * The URI of an input in the log: relative to `cwd` (with `/`, each segment percent-encoded) when
 * inside it, else an absolute `file:` URI; standard input by its name.
 * @example artifactUri({ kind: 'file', path: '/repo/a b.txt', name: 'a b.txt', size: 1 }, '/repo') // { uri: 'a%20b.txt', uriBaseId: '%SRCROOT%' }
 */
export function artifactUri(file: InputRef, cwd: string): SarifArtifact {
  if (file.kind === 'stdin') return { uri: encodeURIComponent(file.name) };
  const rel = relative(cwd, file.path);
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  return { uri: pathToFileURL(file.path).href };
}

/**
 * A rule table row as a SARIF `reportingDescriptor`.
 * @example sarifRule(METRICS_RULES[0]).id // 'line-too-long'
 */
export function sarifRule(rule: RuleDoc): ReportingDescriptor {
  return coreRule(rule);
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
  let artifact: SarifArtifact;
  return {
    begin() {
      const srcRoot = pathToFileURL(run.cwd.endsWith(sep) ? run.cwd : run.cwd + sep).href;
      // everything up to the results array, which stays open for streaming
      const text = JSON.stringify(sarifLog({ version: run.version, rules: run.rules, srcRoot }));
      sink.write(text.slice(0, text.length - '[]}]}'.length) + '[');
    },
    fileStart(file) {
      artifact = artifactUri(file, run.cwd);
    },
    finding(f: Finding) {
      sink.write((results++ === 0 ? '\n' : ',\n') + JSON.stringify(sarifResult(f, artifact, index.get(f.rule))));
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
