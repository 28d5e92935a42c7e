/**
 * `dt-ingest validate <family> [FILE|GLOB|DIR|-]...`: judges each input as the family's endpoint
 * would, on its own, and reports in the chosen format; the exit code is the worst of all files
 * (0 clean, 1 findings, 2 usage or I/O error).
 *
 * @module
 */
import { METRICS_DEFAULTS, type MetricsOptions } from '../../protocol/options.js';
import type { EventsOptions } from '../../events/options.js';
import { ENDPOINTS, endpoint } from '../../endpoints/index.js';
import { JSON_FAMILIES, JSON_OPTION_DEFAULTS, METRICS_RULES, METRICS_SUMMARY, type JsonFamily, type RuleDoc } from '../families.js';
import { UsageError, formatHelp, optionFlags, optionValues, parseFlags, type FlagGroup, type FlagSpec, type ParsedFlags } from '../flags.js';
import type { FileOutcome } from '../formats/types.js';
import { openInput, resolveInputs, type CliIO, type InputRef } from '../io.js';
import type { Readable } from 'node:stream';
import { extname } from 'node:path';
import type { JudgeContext } from '../judge/context.js';
import { judgeJson } from '../judge/json.js';
import { judgeMetrics } from '../judge/metrics.js';
import { judgeOtlp } from '../judge/otlp.js';
import { OTLP_DEFAULTS, type OtlpOptions } from '../../protocol/otlp-options.js';
import { OTLP_RULE_LIST } from '../../protocol/otlp-rules.js';
import { CONFIG_GROUP, HELP_FLAG, abandonReport, applyConfig, controlFlags, finishReport, formatsHelp, inputFlags, openReport, outputFlags } from './common.js';
import type { Command } from './types.js';

/** The exit codes, as every help text ends. */
export const EXIT_CODES_HELP = 'Exit codes: 0 no problem (or only warnings within --max-warnings), 1 problems found, 2 usage or I/O error.';

const SPLIT_FLAG: FlagSpec = {
  name: 'split',
  type: 'boolean',
  help: "judge each file as the requests a sender would make of it: at most --max-body-bytes each, cut at line boundaries, each with its own status; line numbers stay the file's",
};

type Judge = (ref: InputRef, stream: Readable, parsed: ParsedFlags, ctx: JudgeContext) => Promise<Omit<FileOutcome, 'counts'>>;

interface FamilyCommand {
  name: string;
  summary: string;
  rules: readonly RuleDoc[];
  extensions: readonly string[];
  groups: readonly FlagGroup[];
  usage: string;
  judge: Judge;
  check?: (parsed: ParsedFlags) => void;
}

/**
 * Runs a validate command: resolves the inputs, opens the report, judges every input in order.
 * @example await runValidate(family, ['a.txt', 'b.txt'], io)
 */
async function runValidate(family: FamilyCommand, args: readonly string[], io: CliIO): Promise<number> {
  const configured = await applyConfig(parseFlags(args, family.groups), io, family.name, 'validate', family.rules);
  const parsed = configured.parsed;
  family.check?.(parsed);
  const v = parsed.values;
  // the configuration's files only when the command line names no input at all
  const fromConfig = parsed.positionals.length === 0 && v.get('stdin') !== true && configured.files !== undefined;
  const inputs = resolveInputs({
    patterns: fromConfig ? configured.files! : parsed.positionals,
    extensions: (v.get('ext') as string[] | undefined) ?? family.extensions,
    stdin: v.get('stdin') === true,
    stdinName: v.get('stdin-filename') as string | undefined,
    cwd: io.cwd ?? process.cwd(),
    stdinIsTTY: io.stdinIsTTY === true,
    ...(fromConfig && configured.base !== undefined ? { base: configured.base } : {}),
    ...(configured.ignores !== undefined ? { ignore: configured.ignores } : {}),
  });
  const report = openReport(io, parsed, { command: 'validate', family: family.name, rules: family.rules, to: 'stdout' });
  try {
    report.run.begin();
    for (const ref of inputs) {
      report.run.startFile(ref);
      const outcome = await family.judge(ref, openInput(ref, io), parsed, report.ctx);
      report.run.endFile(ref, outcome);
      await report.sink.drain();
    }
    return await finishReport(report, io);
  } catch (err) {
    await abandonReport(report);
    throw err;
  }
}

const metricsOptionGroup = optionFlags('Metrics options (the options table: meaning and evidence in docs/options.md)', METRICS_DEFAULTS);
const jsonOptionGroup = optionFlags('JSON body options (the options table: meaning and evidence in docs/options.md)', JSON_OPTION_DEFAULTS);

const METRICS_EXTENSIONS = endpoint('metrics').cli.extensions;

const METRICS_COMMAND: FamilyCommand = {
  name: 'metrics',
  summary: METRICS_SUMMARY,
  rules: METRICS_RULES,
  extensions: METRICS_EXTENSIONS,
  usage: 'dt-ingest validate metrics [FILE|GLOB|DIR|-]... [flags]',
  groups: [
    inputFlags(METRICS_EXTENSIONS),
    outputFlags('validate'),
    controlFlags([SPLIT_FLAG]),
    metricsOptionGroup,
    CONFIG_GROUP,
    { title: 'Help', flags: [HELP_FLAG] },
  ],
  check: (parsed) => {
    const max = (parsed.values.get('max-body-bytes') as number | undefined) ?? METRICS_DEFAULTS.maxBodyBytes;
    if (parsed.values.get('split') === true && !(Number.isSafeInteger(max) && max >= 1))
      throw new UsageError(`--split needs a finite --max-body-bytes of at least 1 (got ${max})`);
  },
  judge: (ref, stream, parsed, ctx) => {
    const options = optionValues(parsed, metricsOptionGroup) as MetricsOptions;
    const now = parsed.values.get('now') as number | undefined;
    if (now !== undefined) options.now = now;
    return judgeMetrics(ref, stream, options, parsed.values.get('split') === true, ctx);
  },
};

function jsonCommand(family: JsonFamily): FamilyCommand {
  const { cli } = family.endpoint;
  // the flags of the path parameter (required when the endpoint has one)
  const paramFlags: FlagSpec[] = cli.flags.map((f) => ({ name: f.name, type: 'string', value: f.value, help: f.help }));
  // an endpoint of several media types judges a file as the one named (default: its first)
  const media = family.endpoint.media.map((m) => m.type);
  const byExtension = cli.mediaTypes ?? {};
  const inferred = Object.entries(byExtension).map(([ext, type]) => `${ext}: ${type}`);
  if (media.length > 1)
    paramFlags.push({
      name: 'content-type',
      type: 'string',
      choices: media,
      value: '<type>',
      help: 'judge as a body of this media type',
      default: inferred.length > 0 ? `by the file's extension (${inferred.join(', ')}), else ${media[0]}` : media[0],
    });
  // without --content-type, the file's extension names the media type where the row says so
  const mediaOf = (parsed: ParsedFlags, ref: InputRef): string =>
    (parsed.values.get('content-type') as string | undefined) ?? byExtension[extname(ref.name).toLowerCase()] ?? '';
  const needs = family.needsParam ? cli.flags.map((f) => ` --${f.name} ${f.value}`).join('') : '';
  const param = (parsed: ParsedFlags): string | undefined => (cli.flags.length > 0 ? (parsed.values.get(cli.flags[0]!.name) as string | undefined) : undefined);
  return {
    name: family.name,
    summary: family.summary,
    rules: family.endpoint.rules,
    extensions: cli.extensions,
    usage: `dt-ingest validate ${family.name}${needs} [FILE|GLOB|DIR|-]... [flags]`,
    groups: [
      inputFlags(cli.extensions),
      outputFlags('validate'),
      controlFlags(paramFlags),
      jsonOptionGroup,
      CONFIG_GROUP,
      { title: 'Help', flags: [HELP_FLAG] },
    ],
    check: (parsed) => {
      if (family.needsParam && (param(parsed) ?? '') === '') throw new UsageError(`validate ${family.name} needs${needs}`);
    },
    judge: (ref, stream, parsed, ctx) => {
      const options = optionValues(parsed, jsonOptionGroup) as EventsOptions;
      const now = parsed.values.get('now') as number | undefined;
      if (now !== undefined) options.now = now;
      return judgeJson(ref, stream, family, options, param(parsed), ctx, mediaOf(parsed, ref));
    },
  };
}

const otlpOptionGroup = optionFlags('OTLP options (the options table: meaning and evidence in docs/options.md)', OTLP_DEFAULTS);

/** The OTLP endpoint's row (the one read as protobuf). */
const OTLP_ENDPOINT = ENDPOINTS.find((e) => e.reader === 'protobuf')!;

const OTLP_COMMAND: FamilyCommand = {
  name: OTLP_ENDPOINT.id,
  summary: `${OTLP_ENDPOINT.title} (POST ${OTLP_ENDPOINT.path})`,
  rules: OTLP_RULE_LIST,
  extensions: OTLP_ENDPOINT.cli.extensions,
  usage: `dt-ingest validate ${OTLP_ENDPOINT.id} [FILE|GLOB|DIR|-]... [flags]`,
  groups: [inputFlags(OTLP_ENDPOINT.cli.extensions), outputFlags('validate'), otlpOptionGroup, { title: 'Help', flags: [HELP_FLAG] }],
  judge: (ref, stream, parsed, ctx) => judgeOtlp(ref, stream, optionValues(parsed, otlpOptionGroup) as OtlpOptions, ctx),
};

const OTLP_HELP = `Judges each input as one request to POST ${OTLP_ENDPOINT.path} (an ExportMetricsServiceRequest: binary
protobuf, gzip-compressed protobuf, or the OTLP/JSON encoding, which the endpoint answers 415 and which is
judged anyway) as Dynatrace judges it. Every problem is reported with its path (resource, scope, metric,
data point, attribute), its rule id and the endpoint's partial_success text.`;

function familyHelp(f: FamilyCommand): string {
  if (f.name === OTLP_ENDPOINT.id) return formatHelp([f.usage], OTLP_HELP, f.groups, `${formatsHelp('validate')}\n${EXIT_CODES_HELP}`);
  const what =
    f.name === 'metrics'
      ? `Judges each input as the metrics endpoint (POST /api/v2/metrics/ingest) judges it sent as one request,\nor with --split as the requests a sender would make of it. Every problem and warning is reported with\nline:column and rule id; each file is judged on its own and the exit code is the worst of all.`
      : `Judges each input as one request body of ${f.summary}.\nProblems are reported with their JSON Pointer and, where the body parses, line:column; each file is\njudged on its own and the exit code is the worst of all.`;
  return formatHelp([f.usage], what, f.groups, `${formatsHelp('validate')}\n${EXIT_CODES_HELP}`);
}

function leaf(f: FamilyCommand): Command {
  return { name: f.name, summary: f.summary, help: () => familyHelp(f), run: (args, io) => runValidate(f, args, io) };
}

const FAMILIES: readonly Command[] = [leaf(METRICS_COMMAND), ...[...JSON_FAMILIES.values()].map((f) => leaf(jsonCommand(f))), leaf(OTLP_COMMAND)];

/** `dt-ingest validate`: one sub-command per payload family. */
export const VALIDATE_COMMAND: Command = {
  name: 'validate',
  summary: 'judge payload files as the ingest endpoints would',
  subcommands: FAMILIES,
  help: () =>
    `Usage:\n  dt-ingest validate <family> [FILE|GLOB|DIR|-]... [flags]\n\nJudges payload files as the Dynatrace ingest endpoints would. Families:\n${FAMILIES.map((f) => `  ${f.name.padEnd(14)} ${f.summary}`).join('\n')}\n\nRun 'dt-ingest validate <family> --help' for the flags of a family (formats: stylish, json, sarif,\ngithub, junit, dynatrace; --quiet, --max-warnings, --rule, --split, -o FILE, and the options table).\n\n${EXIT_CODES_HELP}\n`,
};
