/**
 * `junit`: JUnit XML, as CI servers read test reports (ESLint's junit shape). One `<testsuite>` per
 * file, one `<testcase>` per finding (errors and warnings are `<failure>`s, infos pass with the text
 * in `<system-out>`), a single passing test case for a clean file, and the endpoint's verdict as
 * `<properties>`. A test suite states its counts before its test cases, so one file's test cases are
 * kept until the file ends; past {@link JUNIT_MAX_CASES} of them only a count is kept, and one last
 * failing test case says how many more there were.
 *
 * Characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/U+FFFF) are
 * written as `\uXXXX`; the rest is escaped as entities.
 *
 * @module
 */
import type { InputRef, OutputSink } from '../io.js';
import type { FileOutcome, Finding, FormatDefinition, Reporter } from './types.js';
import { plural, position, quotedText } from './words.js';

/** Test cases kept per file before only a count is. */
export const JUNIT_MAX_CASES = 1000;

/**
 * Escapes text for an XML attribute or element.
 * @example xmlEscape('a < "b"') // 'a &lt; &quot;b&quot;'
 */
export function xmlEscape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x26) out += '&amp;';
    else if (c === 0x3c) out += '&lt;';
    else if (c === 0x3e) out += '&gt;';
    else if (c === 0x22) out += '&quot;';
    else if (c === 0x27) out += '&apos;';
    else if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else out += `\\u${c.toString(16)}`;
    } else if (c >= 0xdc00 && c <= 0xdfff) out += `\\u${c.toString(16)}`;
    else out += s[i];
  }
  return out;
}

function testCase(file: InputRef, f: Finding): string {
  const name = xmlEscape(`${position(f)} ${f.rule}`);
  const classname = xmlEscape(file.name);
  const detail = `${position(f)}, ${f.severity} - ${f.message}${f.text !== undefined ? ` ${quotedText(f)}` : ''} (${f.rule})`;
  if (f.severity === 'info') return `    <testcase name="${name}" classname="${classname}" time="0"><system-out>${xmlEscape(detail)}</system-out></testcase>\n`;
  return `    <testcase name="${name}" classname="${classname}" time="0"><failure message="${xmlEscape(f.message)}" type="${f.severity}">${xmlEscape(detail)}</failure></testcase>\n`;
}

/**
 * The `junit` reporter.
 * @example createJunit(OutputSink.toFile('report.xml', process.cwd()))
 */
export function createJunit(sink: OutputSink): Reporter {
  let cases: string[] = [];
  let failures = 0;
  let beyond = 0;
  let current: InputRef | undefined;
  return {
    begin() {
      sink.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="dt-ingest">\n');
    },
    fileStart(file: InputRef) {
      current = file;
      cases = [];
      failures = 0;
      beyond = 0;
    },
    finding(f) {
      if (cases.length >= JUNIT_MAX_CASES) {
        beyond++;
        return;
      }
      cases.push(testCase(current!, f));
      if (f.severity !== 'info') failures++;
    },
    request() {},
    fileEnd(file: InputRef, o: FileOutcome) {
      const name = xmlEscape(file.name);
      if (beyond > 0) {
        cases.push(
          `    <testcase name="${xmlEscape(`${plural(beyond, 'more finding')}`)}" classname="${name}" time="0"><failure message="${beyond} more findings not listed" type="error">${plural(beyond, 'more finding')} not listed (JUnit keeps ${JUNIT_MAX_CASES} per file; --format json lists them all)</failure></testcase>\n`,
        );
        failures++;
      }
      if (cases.length === 0) cases.push(`    <testcase name="${name}" classname="${name}" time="0"/>\n`);
      const props: string[] = [];
      if (o.status !== undefined) props.push(`<property name="status" value="${o.status}"/>`);
      if (o.linesOk !== undefined) props.push(`<property name="linesOk" value="${o.linesOk}"/><property name="linesInvalid" value="${o.linesInvalid ?? 0}"/>`);
      if (o.requests !== undefined) props.push(`<property name="requests" value="${o.requests}"/>`);
      if (o.fix !== undefined)
        props.push(
          `<property name="linesKept" value="${o.fix.kept}"/><property name="linesRepaired" value="${o.fix.repaired}"/><property name="linesDropped" value="${o.fix.dropped}"/>`,
        );
      const properties = props.length > 0 ? `    <properties>${props.join('')}</properties>\n` : '';
      sink.write(
        `  <testsuite name="${name}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="0">\n${properties}${cases.join('')}  </testsuite>\n`,
      );
      cases = [];
    },
    end() {
      sink.write('</testsuites>\n');
    },
  };
}

/** The `junit` format. */
export const JUNIT_FORMAT: FormatDefinition = {
  name: 'junit',
  summary: 'JUnit XML, one test suite per file and one test case per finding',
  findings: true,
  forFix: true,
  create: (sink: OutputSink) => createJunit(sink),
};
