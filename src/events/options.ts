/**
 * Every limit and every *decided* rule of the four JSON ingest bodies, in one table.
 *
 * Each option names its default and the evidence behind it (tags as in
 * `docs/spec/event-bodies.md`: *server*, *docs*, *lib*, *decided*). Validators never repeat
 * these numbers as literals: they read the resolved options.
 *
 * @module
 */

import { checkTableOption } from '../protocol/inputs.js';

/** Options objects that {@link resolveEventsOptions} produced. */
const RESOLVED: WeakSet<object> = new WeakSet();

/** Options of the four body validators. Every field is optional; see `EVENTS_DEFAULTS`. */
export interface EventsOptions {
  /** The clock for every time window, epoch milliseconds. Default: `Date.now()` when the validation starts. */
  now?: number;
  /**
   * Most error issues collected; validation stops after this many. Default unbounded (*decided*: the
   * spec says report every violation, a cap is an option). Warnings are not counted.
   */
  maxErrors?: number;
  /** Largest generic events body in bytes (413 above). Default 10,485,760 (*decided*: not published; the neighbouring platform limits are 10 MB). */
  eventsMaxBodyBytes?: number;
  /** Largest Smartscape events body in bytes. Default 1,048,576 (*decided*: one third party reports 200 KB; 1 MB is the platform's usual). */
  smartscapeMaxBodyBytes?: number;
  /** Largest third-party synthetic body in bytes. Default 1,048,576 (*docs*: classic API limit 1 MB). */
  syntheticMaxBodyBytes?: number;
  /** Largest custom device body in bytes. Default 1,048,576 (*docs*: classic API limit 1 MB). */
  customDeviceMaxBodyBytes?: number;
  /**
   * Age after which a generic event is dropped after acceptance (a warning). Default 86,400,000
   * (24 hours, *docs*).
   */
  eventMaxAgeMs?: number;
  /**
   * Node field names accepted on Smartscape events whose type does not start with `EXT_` or `CUSTOM_`.
   * Default empty: the real allowlist is not public, so nothing is rejected on that ground unless the
   * caller supplies one (*decided*). Identity, edge, tag and well-known keys are always accepted.
   */
  smartscapeFieldAllowlist?: readonly string[];
  /**
   * Cross references of synthetic bodies (a result for a monitor not in `tests`, an unknown location or
   * step id) are errors instead of warnings. Default `false`: the server creates a monitor on first
   * result (*server*, seen in a public issue).
   */
  strictCrossReferences?: boolean;
  /** How far a synthetic `startTimestamp` may lie in the future, ms. Default 600,000 (*server*: "10 minutes in the future at max"). */
  syntheticFutureMs?: number;
  /**
   * How far a custom device data point may lie in the past, ms. Default 1,800,000 (30 minutes, the
   * guaranteed window, *docs*); the older docs page says one hour: set 3,600,000.
   */
  customDevicePastMs?: number;
  /** How far a custom device data point may lie in the future, ms. Default 600,000 (*decided*: a small skew, 10 minutes). */
  customDeviceFutureMs?: number;
  /** Longest path `customDeviceId`. Default 512 (*docs*, v1 OpenAPI). */
  customDeviceIdMaxLength?: number;
  /** Longest `displayName`. Default 1024 (*docs*, v1 OpenAPI). */
  displayNameMaxLength?: number;
  /** Longest `group`. Default 512 (*docs*, v1 OpenAPI). */
  groupMaxLength?: number;
  /** Longest custom device `type`. Default 128 (*docs*, v1 OpenAPI). */
  deviceTypeMaxLength?: number;
  /** Longest `favicon` / `configUrl`. Default 2048 (*docs*, v1 OpenAPI). */
  urlMaxLength?: number;
  /** Most `ipAddresses`. Default 100 (*docs*). */
  maxIpAddresses?: number;
  /** Most `listenPorts`. Default 100 (*docs*). */
  maxListenPorts?: number;
  /** Most `hostNames`. Default 20 (*docs*). */
  maxHostNames?: number;
  /** Most `tags`. Default 100 (*docs*). */
  maxTags?: number;
  /** Largest log ingest body in bytes (413 above). Default 10,485,760 (*docs*: log ingestion limits, "Request size 10 MB"). */
  logsMaxBodyBytes?: number;
  /** Most log records in one request (413 above). Default 50,000 (*docs*: "Number of log records 50,000 records"). */
  logsMaxRecords?: number;
  /**
   * Most attributes of one log record (a warning above; nested objects count each leaf). Default 500
   * (*docs*, the OpenPipeline column of the limits page); the Classic pipeline's column says 50.
   */
  logsMaxAttributes?: number;
  /** Longest attribute key in UTF-8 bytes (a warning above). Default 100 (*docs*, both columns). */
  logsMaxAttributeKeyBytes?: number;
  /** Longest attribute value in UTF-8 bytes (a warning: truncated). Default 32,768 (*docs*, OpenPipeline "32 kB"); Classic says 250. */
  logsMaxAttributeValueBytes?: number;
  /**
   * Longest `content` in UTF-8 bytes (a warning: truncated). Default 524,288 (*docs*: "lower (512 kB) for
   * logs routed to the Classic pipeline", the route a tenant has until OpenPipeline routing is set up);
   * OpenPipeline routes take 10 MB (set 10,485,760), Log Monitoring Classic 65,536.
   */
  logsMaxContentBytes?: number;
  /** Most values of one array attribute (a warning above). Default 32 (*docs*: "Values per attribute 32 values"). */
  logsMaxValuesPerAttribute?: number;
  /** Deepest nested object level ingested (a warning below it). Default 5 (*docs*: "Nested objects 5 levels"). */
  logsMaxNestingLevels?: number;
  /** Age after which a log record is dropped after acceptance (a warning). Default 86,400,000 (24 hours, *docs*). */
  logsMaxAgeMs?: number;
  /** How far a log timestamp may lie in the future before it is replaced (a warning). Default 600,000 (10 minutes, *docs*). */
  logsFutureToleranceMs?: number;
  /**
   * What a timestamp too far in the future becomes. `false` (default): the current time (*docs*: the
   * POST ingest logs page, "overridden by the current time on the server"); `true`: the current time
   * plus the tolerance (*docs*: the OpenPipeline limits page, "adjusted to the ingest server time plus
   * 10 minutes"). The two pages disagree; the report names the value used.
   */
  logsFutureClampToTolerance?: boolean;
  /**
   * A `text/plain` log body is one record per line. Default `false` (*docs*: "text/plain—limited to a
   * single log event": the whole body is one record's content); `true` reads each non-blank line as a
   * record, as line-oriented shippers send it (*decided*, an option).
   */
  logsTextPlainLines?: boolean;
  /**
   * Largest business events body in bytes (413 above). Default 10,485,760 (*docs*: business events are
   * ingested through OpenPipeline, whose limits page says "Request payload size 10MB"; the business events
   * pages name no own limit).
   */
  bizeventsMaxBodyBytes?: number;
  /**
   * Accept a UTF-8 byte order mark at the start of a raw body. Default `true` (*decided*: the Java
   * endpoints' JSON reader skips it; `JSON.parse` alone would not).
   */
  allowBom?: boolean;
  /**
   * Deepest nesting of arrays and objects in a raw body; one level more is answered 400
   * (`json-too-deep`) at the bracket where a streaming parser stops, as the endpoint's does (a body
   * dense in brackets is scanned before it is parsed, so 10 MB of `[` costs no parse). Default 1,000
   * (*lib*: the endpoints read JSON with Jackson, whose `StreamReadConstraints` cap the nesting depth
   * at 1,000 by default since jackson-core 2.15, `DEFAULT_MAX_DEPTH`; `docs/spec/event-bodies.md`).
   */
  maxJsonDepth?: number;
}

/** {@link EventsOptions} with every field set. */
export type ResolvedEventsOptions = Readonly<Required<Omit<EventsOptions, 'now' | 'smartscapeFieldAllowlist'>>> & {
  readonly now: number;
  /** The allowlist as a set, or `null` when empty (no field is rejected). */
  readonly smartscapeFieldAllowlist: ReadonlySet<string> | null;
};

/** The defaults, with the evidence for each in {@link EventsOptions}. */
export const EVENTS_DEFAULTS: Readonly<Required<Omit<EventsOptions, 'now'>>> = /* @__PURE__ */ (() =>
  Object.freeze({
    maxErrors: Number.POSITIVE_INFINITY,
    eventsMaxBodyBytes: 10_485_760,
    smartscapeMaxBodyBytes: 1_048_576,
    syntheticMaxBodyBytes: 1_048_576,
    customDeviceMaxBodyBytes: 1_048_576,
    eventMaxAgeMs: 86_400_000,
    smartscapeFieldAllowlist: Object.freeze([]) as readonly string[],
    strictCrossReferences: false,
    syntheticFutureMs: 600_000,
    customDevicePastMs: 1_800_000,
    customDeviceFutureMs: 600_000,
    customDeviceIdMaxLength: 512,
    displayNameMaxLength: 1024,
    groupMaxLength: 512,
    deviceTypeMaxLength: 128,
    urlMaxLength: 2048,
    maxIpAddresses: 100,
    maxListenPorts: 100,
    maxHostNames: 20,
    maxTags: 100,
    logsMaxBodyBytes: 10_485_760,
    logsMaxRecords: 50_000,
    logsMaxAttributes: 500,
    logsMaxAttributeKeyBytes: 100,
    logsMaxAttributeValueBytes: 32_768,
    logsMaxContentBytes: 524_288,
    logsMaxValuesPerAttribute: 32,
    logsMaxNestingLevels: 5,
    logsMaxAgeMs: 86_400_000,
    logsFutureToleranceMs: 600_000,
    logsFutureClampToTolerance: false,
    logsTextPlainLines: false,
    bizeventsMaxBodyBytes: 10_485_760,
    allowBom: true,
    maxJsonDepth: 1000,
  }))();

/**
 * The options that are counts or sizes: whole numbers only (`Infinity` where the default is).
 * @example EVENTS_INTEGER_OPTIONS.has('maxJsonDepth') // true
 */
export const EVENTS_INTEGER_OPTIONS: ReadonlySet<string> = /* @__PURE__ */ new Set([
  'maxErrors',
  'eventsMaxBodyBytes',
  'smartscapeMaxBodyBytes',
  'syntheticMaxBodyBytes',
  'customDeviceMaxBodyBytes',
  'customDeviceIdMaxLength',
  'displayNameMaxLength',
  'groupMaxLength',
  'deviceTypeMaxLength',
  'urlMaxLength',
  'maxIpAddresses',
  'maxListenPorts',
  'maxHostNames',
  'maxTags',
  'maxJsonDepth',
]);

/** Generic event timestamps (*docs*): an epoch number below 1e11 is seconds, below 1e14 milliseconds, below 1e16 microseconds. */
export const EPOCH_SECONDS_BELOW = 1e11;
/** See {@link EPOCH_SECONDS_BELOW}. */
export const EPOCH_MILLIS_BELOW = 1e14;
/** See {@link EPOCH_SECONDS_BELOW}. */
export const EPOCH_MICROS_BELOW = 1e16;

/** Protocol constants (not options): port range and success rate range of the v1 OpenAPI (*docs*). */
export const EVENTS_CONSTANTS = /* @__PURE__ */ Object.freeze({
  minPort: 1,
  maxPort: 65_535,
  minSuccessRate: 0,
  maxSuccessRate: 100,
  /** Epoch number magnitudes of generic event timestamps (*docs*): up to 1e11 seconds, 1e14 ms, 1e16 µs. */
  secondsBelow: EPOCH_SECONDS_BELOW,
  millisBelow: EPOCH_MILLIS_BELOW,
  microsBelow: EPOCH_MICROS_BELOW,
});

/**
 * Keys of a log record that set its three special fields, in the order the endpoint looks for them
 * (the first present wins; keys are compared case-insensitively, *docs*: "case-insensitive keys").
 * Timestamp keys: the "Ingest JSON and TXT logs" page. Level keys: the log content transformation
 * page (`status`, `severity`, `level`, `syslog.severity`) and the target `loglevel` itself. Content
 * keys: the request model of the POST ingest logs page uses `content`, `message`, `payload` and `log`.
 */
export const LOG_KEYS = /* @__PURE__ */ (() =>
  Object.freeze({
    timestamp: Object.freeze([
      'timestamp',
      '@timestamp',
      '_timestamp',
      'eventtime',
      'date',
      'published_date',
      'syslog.timestamp',
      'time',
      'epochsecond',
      'starttime',
      'datetime',
      'ts',
      'timemillis',
      '@t',
    ]),
    level: Object.freeze(['loglevel', 'status', 'severity', 'level', 'syslog.severity']),
    content: Object.freeze(['content', 'message', 'payload', 'log']),
  }))();

/**
 * First letters of the level words the endpoint maps (*docs*, log content transformation: begins with
 * `emerg` or `f`, `e`, `a`, `c`, `s`, `w`, `n`, `i`, `d`, or is `trace`/`verbose`); anything else is NONE.
 */
export const LOG_LEVEL_INITIALS = 'feacswnid';

/** Media types of the log ingest endpoint (*docs*): one JSON document, JSON lines, or plain text. */
export const LOG_MEDIA_TYPES = /* @__PURE__ */ (() =>
  Object.freeze({
    json: Object.freeze(['application/json']),
    jsonLines: Object.freeze(['application/jsonl', 'application/jsonlines', 'application/jsonlines+json', 'application/x-ndjson', 'application/x-jsonlines']),
    text: Object.freeze(['text/plain']),
  }))();

/**
 * Media types of the business events endpoint (*docs*: `application/json`, `application/cloudevent+json`,
 * `application/cloudevent-batch+json`; the "Ingest business events via API" page spells them
 * `cloudevents` too, so both spellings are read).
 */
export const BIZ_MEDIA_TYPES = /* @__PURE__ */ (() =>
  Object.freeze({
    json: Object.freeze(['application/json']),
    cloudEvent: Object.freeze(['application/cloudevent+json', 'application/cloudevents+json']),
    cloudEventBatch: Object.freeze(['application/cloudevent-batch+json', 'application/cloudevents-batch+json']),
  }))();

/** CloudEvents 1.0 (the spec): the required context attributes, the version, and the extension-name rule's length. */
export const CLOUDEVENTS = /* @__PURE__ */ (() =>
  Object.freeze({
    required: Object.freeze(['specversion', 'id', 'source', 'type']),
    specversion: '1.0',
    maxExtensionNameLength: 20,
  }))();

/**
 * Resolved options without the clock: what every validation with the same options object shares.
 * The clock is read per call (see {@link callerNow}).
 */
export type EventsSettings = Omit<ResolvedEventsOptions, 'now'>;

/** Settings per caller options object (weak: an options object that goes away takes its entry along). */
const SETTINGS: WeakMap<object, EventsSettings> = new WeakMap();
/**
 * The options object of the last call and its settings: most callers pass the same object every time
 * (a server's configuration), and an identity test is cheaper than the WeakMap. Holds one object.
 */
let lastOptions: object | undefined;
let lastSettings: EventsSettings | undefined;

/** Checks the caller's options (all but `now`, see {@link callerNow}) and fills in the defaults. */
function buildSettings(options: object): EventsSettings {
  const out: Record<string, unknown> = { ...EVENTS_DEFAULTS, smartscapeFieldAllowlist: null };
  for (const key of Object.keys(options) as (keyof EventsOptions)[]) {
    const value = (options as EventsOptions)[key];
    if (value === undefined || key === 'now') continue;
    if (key === 'smartscapeFieldAllowlist') {
      if (value === null && RESOLVED.has(options)) continue; // a resolved object says "no allowlist" so
      if (value instanceof Set && RESOLVED.has(options)) {
        out.smartscapeFieldAllowlist = value;
        continue;
      }
      if (!Array.isArray(value)) throw new TypeError('dt-ingest: option smartscapeFieldAllowlist must be an array of strings');
      for (const name of value) {
        if (typeof name !== 'string') throw new TypeError('dt-ingest: option smartscapeFieldAllowlist must be an array of strings');
      }
      out.smartscapeFieldAllowlist = value.length === 0 ? null : new Set<string>(value);
      continue;
    }
    if (!Object.hasOwn(EVENTS_DEFAULTS, key)) throw new TypeError(`dt-ingest: unknown events option '${String(key)}'`);
    checkTableOption(key, value, (EVENTS_DEFAULTS as Record<string, unknown>)[key], EVENTS_INTEGER_OPTIONS);
    out[key] = value;
  }
  return Object.freeze(out) as unknown as EventsSettings;
}

/** The settings of every call without options. */
const DEFAULT_SETTINGS: EventsSettings = /* @__PURE__ */ buildSettings({});

/**
 * The settings for an options object, resolved once per object and cached: the four validators call
 * this on every body, and resolving (a spread, a check per key, a freeze) costs more than validating
 * a small body. The cache is keyed by the caller's object, so an options object is read on its
 * first use: change a limit by passing a new object. `now` is the exception, read on every call
 * ({@link callerNow}), since setting it before each call is the common way to pin the clock.
 * Throws the `TypeError` of {@link resolveEventsOptions} for a wrong option.
 * @example eventsSettings({ maxErrors: 10 }).maxErrors // 10
 */
export function eventsSettings(options?: EventsOptions | ResolvedEventsOptions): EventsSettings {
  if (options === undefined || options === null) return DEFAULT_SETTINGS;
  if (options === lastOptions) return lastSettings!;
  if (typeof options !== 'object') throw new TypeError('dt-ingest: options must be an object');
  let settings = SETTINGS.get(options);
  if (settings === undefined) {
    settings = buildSettings(options);
    SETTINGS.set(options, settings);
  }
  lastOptions = options;
  lastSettings = settings;
  return settings;
}

/**
 * The caller's `now`, read on every call, or `NaN` when there is none (the validator then reads
 * `Date.now()`, once, and only if a timestamp needs it). Throws a `TypeError` for a `now` that is not
 * a finite number.
 * @example callerNow({ now: 1700000000000 }) // 1700000000000
 * @example callerNow(undefined) // NaN
 */
export function callerNow(options?: EventsOptions | ResolvedEventsOptions): number {
  if (options === undefined || options === null) return Number.NaN;
  // own property only: a `now` on Object.prototype does not pin the clock
  const now = Object.hasOwn(options, 'now') ? (options as EventsOptions).now : undefined;
  if (now === undefined) return Number.NaN;
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new TypeError('dt-ingest: option now must be a finite number (epoch ms)');
  return now;
}

/**
 * Fills in defaults, checks types, and fixes `now`. Throws a `TypeError` for a wrong option (a caller
 * mistake, once per call, never per value). The validators accept the result as options, unchanged.
 * @example resolveEventsOptions({ customDevicePastMs: 3_600_000 }).customDevicePastMs // 3600000
 */
export function resolveEventsOptions(options?: EventsOptions | ResolvedEventsOptions): ResolvedEventsOptions {
  if (options !== undefined && options !== null && RESOLVED.has(options)) return options as ResolvedEventsOptions;
  const settings = eventsSettings(options);
  const now = callerNow(options);
  const out = { ...settings, now: Number.isNaN(now) ? Date.now() : now };
  const frozen = Object.freeze(out);
  RESOLVED.add(frozen);
  return frozen as ResolvedEventsOptions;
}
