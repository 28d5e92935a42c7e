/**
 * What one ingest endpoint is, as every part of dt-ingest needs to know it: the shape of a row of the
 * endpoint table ({@link ENDPOINTS} in `table.ts`). Serve's routes, the mock store, the CLI families,
 * the inspector, the playground and the generated docs read these fields and keep no list of their own.
 *
 * The type also fits endpoints that are not (only) JSON: several media types with their own parser
 * (`media[].judge`), binary bodies (`media[].body: 'binary'`), content encodings (`encodings`), and
 * answers that are not a `ValidationResponse` (`answers`, and a verdict whose body is `null`, a JSON
 * value or bytes with their own `contentType`).
 *
 * @module
 */
import type { EventsOptions, ResolvedEventsOptions } from '../events/options.js';
import type { MetricsOptions, ResolvedMetricsOptions } from '../protocol/options.js';
import type { OtlpOptions, ResolvedOtlpOptions } from '../protocol/otlp-options.js';
import type { Severity } from '../protocol/rules.js';
import type { Issue } from '../types.js';

/**
 * What a body validator is given: the body and what came with it.
 * @example { body: bytes, mediaType: 'application/json', param: undefined, metrics: resolveMetricsOptions(), events: resolveEventsOptions() }
 */
export interface BodyInput {
  /** The body: the bytes as received, or text (the playground judges what is typed). */
  body: Uint8Array | string;
  /** The media type as sent, lower case, without parameters; `''` when the request named none. */
  mediaType: string;
  /** The decoded path parameter (see {@link EndpointDescriptor.pathParam}); `undefined` when the endpoint has none. */
  param: string | undefined;
  /** The metrics options table in force. */
  metrics: MetricsOptions | ResolvedMetricsOptions;
  /** The JSON bodies' options table in force. */
  events: EventsOptions | ResolvedEventsOptions;
  /** The OTLP options table in force (default: its defaults). */
  otlp?: OtlpOptions | ResolvedOtlpOptions;
}

/**
 * A validator's answer, as the endpoint would give it, and the problems found.
 * @example { status: 400, body: { error: { code: 400, message: '...' } }, issues: [...] }
 */
export interface EndpointVerdict {
  /** The HTTP status the endpoint answers. */
  status: number;
  /**
   * The answer's body: `null` for none (202, 204), a JSON value (a `ValidationResponse`, an error
   * envelope, a partial-success object), or bytes (a protobuf answer; then {@link contentType} says which).
   */
  body: unknown;
  /** The answer's media type when it is not JSON (e.g. `application/x-protobuf`). */
  contentType?: string;
  /** Every problem, in our own words, with rule id and (JSON bodies) pointer. */
  issues: readonly Issue[];
}

/**
 * A validator of whole bodies.
 * @example const verdict = endpoint.judge({ body, mediaType: 'application/json', param: undefined, metrics: {}, events: {} });
 */
export type BodyJudge = (input: BodyInput) => EndpointVerdict;

/**
 * One media type an endpoint takes.
 * @example { type: 'text/plain', body: 'text' }
 */
export interface MediaTypeRule {
  /** The media type, lower case, without parameters. */
  type: string;
  /**
   * How the body is read: `text` is UTF-8 (a `charset` parameter other than UTF-8 is answered 415),
   * `binary` is bytes (no charset applies; e.g. protobuf).
   */
  body: 'text' | 'binary';
  /** This media type's own validator (e.g. `text/plain` logs, one record per line); default: the endpoint's `judge`. */
  judge?: BodyJudge;
}

/**
 * One answer the endpoint gives, for the docs and for callers that must read it.
 * @example { status: 204, body: 'none' }
 */
export interface EndpointAnswer {
  status: number;
  /**
   * Its body: `none`; `validation-response` (the metrics `ValidationResponse`); `error-envelope`
   * (`{ error: { code, message, ... } }`); `partial-success` (200 with what was and was not taken);
   * `json` (another JSON object, see `note`); `protobuf` (a binary answer).
   */
  body: 'none' | 'validation-response' | 'error-envelope' | 'partial-success' | 'json' | 'protobuf';
  /** When it is given, in a few words. */
  note?: string;
}

/**
 * Another path the endpoint is answered at, and who sends there.
 * @example { path: '/metrics/ingest', why: 'the local OneAgent / ActiveGate endpoint (Telegraf default)' }
 */
export interface PathAlias {
  path: string;
  /** Who posts there, with its evidence. */
  why: string;
}

/**
 * The option of an options table that holds a body limit (read, never restated).
 * @example { table: 'events', option: 'eventsMaxBodyBytes' }
 */
export type LimitOption =
  | { table: 'metrics'; option: NumberKeys<ResolvedMetricsOptions> }
  | { table: 'events'; option: NumberKeys<ResolvedEventsOptions> }
  | { table: 'otlp'; option: NumberKeys<ResolvedOtlpOptions> };

/** The keys of `T` whose values are numbers. */
export type NumberKeys<T> = { [K in keyof T]-?: T[K] extends number ? K : never }[keyof T] & string;

/**
 * A flag of the endpoint's CLI family that sets a path parameter.
 * @example { name: 'id', value: '<customDeviceId>', help: 'the customDeviceId path parameter (required)' }
 */
export interface EndpointFlag {
  /** The flag without dashes. */
  name: string;
  /** The value's placeholder in help texts. */
  value: string;
  help: string;
}

/**
 * A rule as the reports list it (a row of `src/protocol/rules.ts` or `src/events/rules.ts`).
 * @example { id: 'metric-key-char', severity: 'error', endpoint: 'invalid metric key', report: 'invalid character in metric key ...' }
 */
export interface RuleDoc {
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
 * One ingest endpoint, declared once (`Id`: the type of its id; the table's rows are `Endpoint`s).
 * @example ENDPOINTS.find((e) => e.id === 'custom-device')!.path // '/api/v1/entity/infrastructure/custom/{customDeviceId}'
 */
export interface EndpointDescriptor<Id extends string = string> {
  /**
   * The one spelling of the endpoint everywhere: the API (mock store keys, route labels), the CLI
   * family (`dt-ingest validate <id>`), the inspector's URLs and the record file's `route`.
   */
  id: Id;
  /** Earlier public spellings, still accepted where a name is read (e.g. `customDevice`). */
  legacyIds: readonly string[];
  /** What it takes, in a few words (help texts, the playground, the inspector, the docs). */
  title: string;
  /** The HTTP method (every ingest endpoint is `POST`). */
  method: 'POST';
  /**
   * The documented path. A path parameter may end it, as `{name}` (one path segment, percent-decoded;
   * see {@link pathParam}). Also answered under the ActiveGate prefix `/e/{environmentId}`.
   */
  path: string;
  /** The name of the path's trailing parameter (`customDeviceId`), or `undefined`. */
  pathParam: string | undefined;
  /** Other paths answered as this endpoint (platform paths, SDK routes, agents). */
  aliases: readonly PathAlias[];
  /** The error envelope's family: the classic API's or the platform's. */
  envelope: 'classic' | 'platform';
  /** The media types it takes, the first the one to name in a 415 and the default of a request without one. */
  media: readonly MediaTypeRule[];
  /**
   * Content encodings it takes besides `identity` (e.g. `gzip`); others are answered 415. The route
   * that reads the body decodes them.
   */
  encodings: readonly string[];
  /** The body limit: the option of an options table that holds it. */
  limit: LimitOption;
  /**
   * How serve and the CLI read the body: `metrics-stream` chunk by chunk into the metrics validator
   * (serve/routes/metrics.ts, the CLI's `--split`, fix mode); `whole` collected up to the limit and
   * given to {@link judge}; `protobuf` (OTLP) collected up to the limit, gzip inflated with the limit bounding
   * the output, judged by the OTLP validator and answered in protobuf (serve/routes/otlp.ts).
   */
  reader: 'metrics-stream' | 'whole' | 'protobuf';
  /** Judges a whole body as the endpoint would (every endpoint has one: the CLI, inspector and playground use it). */
  judge: BodyJudge;
  /** The answers the endpoint gives (the docs row; what a client must expect). */
  answers: readonly EndpointAnswer[];
  /** What the options table of its validator is: flags of its CLI family and fields of the playground. */
  options: 'metrics' | 'events' | 'otlp';
  /** The rules its validator reports (the CLI's SARIF rule list and `--rule`). */
  rules: readonly RuleDoc[];
  /**
   * Its own body rules in the JSON rule table (`EVENT_RULES` of `src/events/rules.ts`), by the prefixes
   * of their names (`BIZ_`: `BIZ_CLOUDEVENT_REQUIRED`, ...; a prefix without its `_` matches that name
   * too): `scripts/gen-docs.mjs` lists them in the region `<id>-rules` of docs/rules.md. Absent for the
   * endpoints whose rules have tables of their own (metrics, OTLP).
   */
  ruleNames?: readonly string[];
  /**
   * What the mock keeps of a judged body, in order (`GET /_dt-ingest/received` under {@link id}): the
   * items the endpoint accepts, given its verdict (none for an answer that accepts nothing; the
   * valid items of a partial acceptance, such as business events' 400 with `errors`).
   * `metrics-stream` endpoints keep the accepted lines and need none.
   */
  received?: (input: BodyInput, verdict: EndpointVerdict) => readonly unknown[];
  /** The CLI family `dt-ingest validate <id>`. */
  cli: {
    /** File extensions taken from a directory. */
    extensions: readonly string[];
    /**
     * The media type a file of an extension is judged as when `--content-type` is not given (e.g.
     * `.jsonl`: JSON lines); other files, and standard input, as the first of {@link media}.
     */
    mediaTypes?: Readonly<Record<string, string>>;
    /** Flags that set the path parameter (required when the endpoint has one). */
    flags: readonly EndpointFlag[];
  };
  /** The inspector. */
  inspector: {
    /** Its name in lists. */
    label: string;
    /** The data view its accepted items show in: the metrics view, the events table, or none. */
    view: 'metrics' | 'events' | 'none';
    /** Columns the events table shows first when the items have them. */
    columns: readonly string[];
  };
  /** The playground. */
  playground: {
    /** Which editor: `metrics` (with fix mode and the metrics options) or `json` (the JSON options). */
    mode: 'metrics' | 'json';
    /** The example body shown first (`now`: the time to stamp it with, epoch ms). */
    example: (now: number) => string;
  };
}
