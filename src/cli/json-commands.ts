/**
 * `dt-ingest validate events|smartscape|synthetic|custom-device [FILE|-]`: the JSON body families,
 * with the same formats, `--now` and exit codes as `validate metrics`. A JSON body is one request,
 * so it is read whole (the validators judge the size limit on the bytes, as the endpoints do).
 *
 * @module
 */
import { EVENTS_DEFAULTS, type EventsOptions } from '../events/options.js';
import { validateCustomDevice, validateEvents, validateSmartscapeEvents, validateSyntheticTests } from '../events/index.js';
import type { Issue } from '../types.js';
import { UsageError, takeOptionFlags } from './args.js';
import { createFormatter } from './format.js';
import { createProgress, openInput, takeCommonFlags, type CliIO } from './main.js';

type JsonValidator = (body: Uint8Array, options: EventsOptions, id: string | undefined) => { status: number; body: unknown; issues: Issue[] };

/** The JSON validate commands by family name. */
export const jsonCommands: Map<string, JsonValidator> = new Map<string, JsonValidator>([
  ['events', (b, o) => validateEvents(b, o)],
  ['smartscape', (b, o) => validateSmartscapeEvents(b, o)],
  ['synthetic', (b, o) => validateSyntheticTests(b, o)],
  ['custom-device', (b, o, id) => validateCustomDevice(id!, b, o)],
]);

/** Runs one JSON validate command. */
export async function runJsonValidate(family: string, args: readonly string[], io: CliIO): Promise<number> {
  const validate = jsonCommands.get(family);
  if (validate === undefined) throw new UsageError(`unknown body family '${family}'`);
  const { options, rest } = takeOptionFlags(args, EVENTS_DEFAULTS as unknown as Record<string, unknown>);
  const common = takeCommonFlags(rest, family === 'custom-device' ? ['--id'] : []);
  const id = common.extras.id;
  if (family === 'custom-device' && (id === undefined || id === '')) throw new UsageError('validate custom-device needs --id <customDeviceId>');
  const eventsOptions: EventsOptions = { ...(options as EventsOptions) };
  if (common.now !== undefined) eventsOptions.now = common.now;
  const input = openInput(common.file, io);
  const progress = createProgress(io, input.size);
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for await (const chunk of input.stream) {
      chunks.push(chunk as Uint8Array);
      bytes += (chunk as Uint8Array).length;
      progress.update(bytes);
    }
  } catch (err) {
    progress.done();
    throw new UsageError(`cannot read '${input.name}': ${(err as Error).message}`);
  }
  progress.done();
  const result = validate(Buffer.concat(chunks, bytes), eventsOptions, id);
  const formatter = createFormatter(common.format, io.stdout, input.name);
  for (const issue of result.issues) formatter.issue(issue);
  await formatter.finish(result);
  return result.status >= 200 && result.status < 300 ? 0 : 1;
}
