/**
 * The ingest endpoints dt-ingest knows, each declared once ({@link EndpointDescriptor}): serve's
 * routes, the mock store, `dt-ingest validate <family>`, the inspector, the playground and the docs'
 * endpoint table (`scripts/gen-docs.mjs`) all read this table. Limits are named here as options of the
 * options tables (`src/protocol/options.ts`, `src/events/options.ts`), never restated.
 *
 * @module
 */
import { validateBizEvents } from '../events/bizevents.js';
import { validateCustomDevice } from '../events/custom-device.js';
import { validateEvents } from '../events/generic.js';
import { logRecords, validateLogs } from '../events/logs.js';
import { BIZ_MEDIA_TYPES, LOG_MEDIA_TYPES } from '../events/options.js';
import { EVENT_RULE_LIST } from '../events/rules.js';
import { validateSmartscapeEvents } from '../events/smartscape.js';
import { validateSyntheticTests } from '../events/synthetic.js';
import { RULE_LIST } from '../protocol/rules.js';
import { OTLP_RULE_LIST } from '../protocol/otlp-rules.js';
import { otlpVerdict } from './otlp.js';
import { validateMetrics } from '../report/validate.js';
import type { BodyInput, EndpointDescriptor, EndpointVerdict, RuleDoc } from './descriptor.js';

/** The prefix of fix mode's rule ids (report only): listed for `fix`, not for `validate`. */
export const FIX_RULE_PREFIX = 'fix-';

const METRICS_RULES: readonly RuleDoc[] = /* @__PURE__ */ RULE_LIST.filter((r) => !r.id.startsWith(FIX_RULE_PREFIX));

/** A JSON body's value (`null` when empty; a leading BOM ignored): what the mock keeps of it. */
function jsonValue(body: Uint8Array | string): unknown {
  let text = typeof body === 'string' ? body : new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return null;
  return JSON.parse(text);
}

/** The items of an accepted events body: the array's elements, or the one object. */
function jsonItems(input: BodyInput): readonly unknown[] {
  const value = jsonValue(input.body);
  return Array.isArray(value) ? value : [value];
}

const NOTHING: readonly unknown[] = /* @__PURE__ */ Object.freeze([]);

/** What an endpoint that accepts a body whole or not at all keeps: `items` of a body answered below 300, else nothing. */
function whenAccepted(items: (input: BodyInput) => readonly unknown[]): (input: BodyInput, verdict: EndpointVerdict) => readonly unknown[] {
  return (input, verdict) => (verdict.status < 300 ? items(input) : NOTHING);
}

/**
 * What business events keeps (docs/spec/bizevents.md, Answers): every event of a 202; of a 400 with
 * `errors`, the events it does not name ("Valid business events are accepted"); of a 400 with an
 * error envelope (a body that cannot be read), nothing.
 */
function acceptedBizEvents(input: BodyInput, verdict: EndpointVerdict): readonly unknown[] {
  if (verdict.status < 300) return jsonItems(input);
  const errors = (verdict.body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return NOTHING;
  const refused = new Set<unknown>(errors.map((e: { index?: unknown }) => e.index));
  return jsonItems(input).filter((_, i) => !refused.has(i));
}

const JSON_MEDIA = [{ type: 'application/json', body: 'text' }] as const;
const JSON_CLI = { extensions: ['.json'], flags: [] } as const;
const ERROR_400 = { status: 400, body: 'error-envelope', note: 'the body is not valid; nothing is ingested' } as const;
const ERROR_413 = { status: 413, body: 'error-envelope', note: 'over the size limit' } as const;

/**
 * The id of an ingest endpoint: its one spelling everywhere (`src/endpoints/table.ts`). A new endpoint
 * adds its id here and its row below.
 */
export type EndpointId = 'metrics' | 'events' | 'smartscape' | 'synthetic' | 'custom-device' | 'logs' | 'bizevents' | 'otlp';

/** A row of {@link ENDPOINTS}. */
export type Endpoint = EndpointDescriptor<EndpointId>;

/** The rows of {@link ENDPOINTS}. */
const ROWS = [
  {
    id: 'metrics',
    legacyIds: [],
    title: 'metrics line protocol',
    method: 'POST',
    path: '/api/v2/metrics/ingest',
    pathParam: undefined,
    aliases: [
      {
        path: '/platform/classic/environment-api/v2/metrics/ingest',
        why: "the platform's path of the classic API, where Dynatrace's JavaScript SDK (`metricsClient.ingest`) posts (*docs*)",
      },
      { path: '/metrics/ingest', why: "the local OneAgent / ActiveGate metrics endpoint, Telegraf's `outputs.dynatrace` default (*docs*)" },
    ],
    envelope: 'classic',
    media: [{ type: 'text/plain', body: 'text' }],
    encodings: [],
    limit: { table: 'metrics', option: 'maxBodyBytes' },
    reader: 'metrics-stream',
    judge: (i) => validateMetrics(i.body, i.metrics),
    answers: [
      { status: 202, body: 'validation-response', note: 'every line valid (warnings listed)' },
      { status: 400, body: 'validation-response', note: 'a line invalid; the valid ones are ingested' },
      { status: 413, body: 'error-envelope', note: 'over the size limit' },
    ],
    options: 'metrics',
    rules: METRICS_RULES,
    cli: { extensions: ['.txt', '.dt'], flags: [] },
    inspector: { label: 'metrics', view: 'metrics', columns: [] },
    playground: {
      mode: 'metrics',
      example: (now) => `cpu.temperature,host=web-01,dc=eu-west 61.5 ${now}
http.requests,route=/checkout count,delta=17
request.duration,route=/checkout gauge,min=3.1,max=48.2,sum=210.4,count=12
bad key,host=web-01 1
cpu.temperature,host=web-02 hot
`,
    },
  },
  {
    id: 'events',
    legacyIds: [],
    title: 'generic events',
    method: 'POST',
    path: '/platform/ingest/v1/events',
    pathParam: undefined,
    aliases: [],
    envelope: 'platform',
    // the CloudEvents types their docs list, in both spellings
    media: [
      { type: 'application/json', body: 'text' },
      { type: 'application/cloudevent+json', body: 'text' },
      { type: 'application/cloudevents+json', body: 'text' },
      { type: 'application/cloudevent-batch+json', body: 'text' },
      { type: 'application/cloudevents-batch+json', body: 'text' },
    ],
    encodings: [],
    limit: { table: 'events', option: 'eventsMaxBodyBytes' },
    reader: 'whole',
    judge: (i) => validateEvents(i.body, i.events),
    answers: [{ status: 202, body: 'none' }, ERROR_400, ERROR_413],
    options: 'events',
    rules: EVENT_RULE_LIST,
    ruleNames: ['EVENT_', 'EVENTS_'],
    received: whenAccepted(jsonItems),
    cli: JSON_CLI,
    inspector: { label: 'events', view: 'events', columns: ['event.type', 'title'] },
    playground: {
      mode: 'json',
      example: () =>
        JSON.stringify(
          [{ 'event.type': 'CUSTOM_INFO', title: 'deployment finished', 'dt.entity.host': 'HOST-0123456789ABCDEF', version: '1.4.2' }, { title: 'no type' }],
          null,
          2,
        ) + '\n',
    },
  },
  {
    id: 'smartscape',
    legacyIds: [],
    title: 'Smartscape events',
    method: 'POST',
    path: '/platform/ingest/v1/smartscape.events',
    pathParam: undefined,
    aliases: [],
    envelope: 'platform',
    media: JSON_MEDIA,
    encodings: [],
    limit: { table: 'events', option: 'smartscapeMaxBodyBytes' },
    reader: 'whole',
    judge: (i) => validateSmartscapeEvents(i.body, i.events),
    answers: [{ status: 202, body: 'none' }, ERROR_400, ERROR_413],
    options: 'events',
    rules: EVENT_RULE_LIST,
    ruleNames: ['SMARTSCAPE_'],
    received: whenAccepted(jsonItems),
    cli: JSON_CLI,
    inspector: { label: 'Smartscape', view: 'events', columns: ['type', 'name'] },
    playground: {
      mode: 'json',
      example: () => JSON.stringify([{ type: 'EXT_SERVICE', id_components: [{ name: 'checkout' }], 'event.version': 1, name: 'checkout' }], null, 2) + '\n',
    },
  },
  {
    id: 'synthetic',
    legacyIds: [],
    title: 'third-party synthetic tests',
    method: 'POST',
    path: '/api/v1/synthetic/ext/tests',
    pathParam: undefined,
    aliases: [],
    envelope: 'classic',
    media: JSON_MEDIA,
    encodings: [],
    limit: { table: 'events', option: 'syntheticMaxBodyBytes' },
    reader: 'whole',
    judge: (i) => validateSyntheticTests(i.body, i.events),
    answers: [{ status: 204, body: 'none' }, ERROR_400, ERROR_413],
    options: 'events',
    rules: EVENT_RULE_LIST,
    ruleNames: ['SYNTHETIC_'],
    received: whenAccepted((i) => [jsonValue(i.body)]),
    cli: JSON_CLI,
    inspector: { label: 'synthetic', view: 'none', columns: [] },
    playground: {
      mode: 'json',
      example: (now) =>
        JSON.stringify(
          { syntheticEngineName: 'my engine', messageTimestamp: now, locations: [{ id: '1', name: 'Linz' }], tests: [], testResults: [] },
          null,
          2,
        ) + '\n',
    },
  },
  {
    id: 'custom-device',
    legacyIds: ['customDevice'],
    title: 'custom devices',
    method: 'POST',
    path: '/api/v1/entity/infrastructure/custom/{customDeviceId}',
    pathParam: 'customDeviceId',
    aliases: [],
    envelope: 'classic',
    media: JSON_MEDIA,
    encodings: [],
    limit: { table: 'events', option: 'customDeviceMaxBodyBytes' },
    reader: 'whole',
    judge: (i) => validateCustomDevice(i.param ?? '', i.body, i.events),
    answers: [{ status: 200, body: 'json', note: '`{entityId, groupId}`' }, { status: 204, body: 'none' }, ERROR_400, ERROR_413],
    options: 'events',
    rules: EVENT_RULE_LIST,
    ruleNames: ['CUSTOM_DEVICE_'],
    received: whenAccepted((i) => [{ customDeviceId: i.param ?? '', body: jsonValue(i.body) }]),
    cli: { extensions: ['.json'], flags: [{ name: 'id', value: '<customDeviceId>', help: 'the customDeviceId path parameter (required)' }] },
    inspector: { label: 'custom device', view: 'none', columns: [] },
    playground: {
      mode: 'json',
      example: (now) =>
        JSON.stringify(
          { displayName: 'coffee machine', type: 'coffee', series: [{ timeseriesId: 'custom:coffee.cups', dimensions: {}, dataPoints: [[now, 3]] }] },
          null,
          2,
        ) + '\n',
    },
  },
  {
    id: 'logs',
    legacyIds: [],
    title: 'log ingest v2 (JSON, JSON lines, text)',
    method: 'POST',
    path: '/api/v2/logs/ingest',
    pathParam: undefined,
    aliases: [],
    envelope: 'classic',
    // one validator reads all three forms: the media type picks the form (docs/spec/logs-ingest.md)
    media: [...LOG_MEDIA_TYPES.json, ...LOG_MEDIA_TYPES.jsonLines, ...LOG_MEDIA_TYPES.text].map((type) => ({ type, body: 'text' as const })),
    encodings: [],
    limit: { table: 'events', option: 'logsMaxBodyBytes' },
    reader: 'whole',
    judge: (i) => validateLogs(i.body, i.events, i.mediaType),
    answers: [
      { status: 204, body: 'none', note: 'every record ingested' },
      { status: 200, body: 'partial-success', note: '`{details: {code, message}}`: the invalid records were dropped' },
      { status: 400, body: 'error-envelope', note: 'malformed JSON, or no valid record' },
      { status: 413, body: 'error-envelope', note: 'over the size limit or the record count' },
    ],
    options: 'events',
    rules: EVENT_RULE_LIST,
    ruleNames: ['LOG_', 'LOGS_'],
    received: whenAccepted((i) => logRecords(i.body, i.mediaType, i.events)),
    cli: {
      extensions: ['.json', '.jsonl', '.ndjson', '.log'],
      flags: [],
      mediaTypes: { '.jsonl': LOG_MEDIA_TYPES.jsonLines[0]!, '.ndjson': 'application/x-ndjson', '.log': LOG_MEDIA_TYPES.text[0]! },
    },
    inspector: { label: 'logs', view: 'events', columns: ['content', 'severity', 'log.source'] },
    playground: {
      mode: 'json',
      example: (now) =>
        JSON.stringify(
          [
            { content: 'payment accepted', severity: 'info', timestamp: new Date(now).toISOString(), 'log.source': '/var/log/shop.log' },
            { content: 'card declined', status: 'error', 'service.name': 'checkout' },
            'not a record',
          ],
          null,
          2,
        ) + '\n',
    },
  },
  {
    id: 'bizevents',
    legacyIds: [],
    title: 'business events (JSON, CloudEvents)',
    method: 'POST',
    path: '/api/v2/bizevents/ingest',
    pathParam: undefined,
    aliases: [],
    envelope: 'classic',
    media: [...BIZ_MEDIA_TYPES.json, ...BIZ_MEDIA_TYPES.cloudEvent, ...BIZ_MEDIA_TYPES.cloudEventBatch].map((type) => ({ type, body: 'text' as const })),
    encodings: [],
    limit: { table: 'events', option: 'bizeventsMaxBodyBytes' },
    reader: 'whole',
    judge: (i) => validateBizEvents(i.body, i.events, i.mediaType),
    answers: [
      { status: 202, body: 'none', note: 'every event accepted' },
      { status: 400, body: 'json', note: '`{errors: [{index, message}]}`: the events named were refused, the others accepted' },
      { status: 400, body: 'error-envelope', note: 'the body cannot be read (malformed JSON, a batch that is not an array)' },
      ERROR_413,
    ],
    options: 'events',
    rules: EVENT_RULE_LIST,
    ruleNames: ['BIZ_'],
    received: acceptedBizEvents,
    cli: JSON_CLI,
    inspector: { label: 'business events', view: 'events', columns: ['event.type', 'type', 'source'] },
    playground: {
      mode: 'json',
      example: () =>
        JSON.stringify(
          [
            { 'event.type': 'com.shop.checkout', 'event.provider': 'shop', amount: 42.5 },
            { specversion: '1.0', id: '7', source: 'shop', type: 'com.shop.refund', data: { amount: 3 } },
            7,
          ],
          null,
          2,
        ) + '\n',
    },
  },
  {
    id: 'otlp',
    legacyIds: [],
    title: 'OTLP metrics',
    method: 'POST',
    path: '/api/v2/otlp/v1/metrics',
    pathParam: undefined,
    aliases: [],
    envelope: 'classic',
    // binary protobuf only: OTLP/JSON is answered 415 (docs/spec/otlp-metrics.md §1)
    media: [{ type: 'application/x-protobuf', body: 'binary' }],
    encodings: ['gzip', 'x-gzip'],
    limit: { table: 'otlp', option: 'maxBodyBytes' },
    reader: 'protobuf',
    judge: otlpVerdict,
    answers: [
      { status: 200, body: 'protobuf', note: 'ExportMetricsServiceResponse: empty, or partial_success with rejected_data_points and error_message' },
      { status: 400, body: 'protobuf', note: 'malformed protobuf (google.rpc.Status)' },
      { status: 413, body: 'protobuf', note: 'over 4 MB uncompressed or 15,000 data points (google.rpc.Status)' },
      { status: 415, body: 'error-envelope', note: 'not application/x-protobuf (OTLP/JSON), or an encoding other than gzip' },
    ],
    options: 'otlp',
    rules: OTLP_RULE_LIST,
    received: whenAccepted((i) => otlpVerdict(i).points ?? []),
    cli: { extensions: ['.pb', '.bin', '.protobuf', '.json', '.gz'], flags: [] },
    inspector: { label: 'OTLP metrics', view: 'none', columns: [] },
    playground: {
      mode: 'json',
      example: (now) =>
        JSON.stringify(
          {
            resourceMetrics: [
              {
                resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
                scopeMetrics: [
                  {
                    metrics: [
                      {
                        name: 'http.requests',
                        sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ asInt: '17', timeUnixNano: `${now}000000` }] },
                      },
                      { name: 'queue.size', gauge: { dataPoints: [{ asDouble: 'NaN', timeUnixNano: `${now}000000` }] } },
                    ],
                  },
                ],
              },
            ],
          },
          null,
          2,
        ) + '\n',
    },
  },
] as const satisfies readonly Endpoint[];

/** Fails to compile while an id of {@link EndpointId} has no row (the rows' ids are checked by `satisfies`). */
type EveryIdHasARow = Exclude<EndpointId, (typeof ROWS)[number]['id']> extends never ? true : never;
const EVERY_ID_HAS_A_ROW: EveryIdHasARow = true;
void EVERY_ID_HAS_A_ROW;

/**
 * The ingest endpoints, in the order help texts and docs list them.
 * @example ENDPOINTS.map((e) => e.id) // ['metrics', 'events', 'smartscape', 'synthetic', 'custom-device']
 */
export const ENDPOINTS: readonly Endpoint[] = /* @__PURE__ */ Object.freeze(ROWS);
