/**
 * What the command line says about each option of the options tables: its help line (the first
 * sentence of the option's TSDoc) and, for a string option, the values its type allows. Generated
 * by scripts/gen-docs.mjs from src/protocol/options.ts, src/events/options.ts, src/serve/options.ts and
 * src/protocol/analyze-options.ts;
 * do not edit (test/docs/docs.test.ts checks that it is fresh).
 *
 * @module
 */

/**
 * One option as the command line describes it.
 * @example { help: 'Largest accepted body in bytes; above it the endpoint answers 413.' }
 */
export interface OptionDoc {
  readonly help: string;
  /** The values a string option allows. */
  readonly values?: readonly string[];
}

/** Every option by name (the names are unique across the tables). */
export const OPTION_DOCS: Readonly<Record<string, OptionDoc>> = {
  maxBodyBytes: { help: 'Largest accepted body in bytes; above it the endpoint answers 413.' },
  maxLineLength: { help: "Longest line in characters (UTF-16 code units, as the server's Java strings count)." },
  metricKeyMinLength: { help: 'Shortest metric key.' },
  metricKeyMaxLength: { help: 'Longest metric key.' },
  allowDigitLeadingSections: { help: "Accept a metric key section after the first that starts with a digit ('system.load.1m')." },
  maxDimensions: { help: 'Most dimensions on one line.' },
  dimensionKeyMaxLength: { help: 'Longest dimension key.' },
  dimensionValueMaxLength: { help: 'Longest dimension value (unescaped content, without quotes, in UTF-16 code units).' },
  rewriteKeySuffix: {
    help: "Rewrite keys as the classic metrics store does: a count under a key without '.count'/'_count' becomes '<key>.count', a gauge under such a key becomes '<key>.gauge', each with a warning (*docs*, *server*).",
  },
  warningsField: { help: 'Name of the warnings array in the response.', values: ['changedMetricKeys', 'warningLines'] },
  maxReportedErrors: { help: 'Invalid lines listed in the endpoint response.' },
  maxReportedWarnings: { help: 'Warnings listed in the endpoint response.' },
  now: { help: 'The clock for the timestamp window, epoch milliseconds.' },
  timestampPastMs: { help: 'How far a timestamp may lie in the past, ms.' },
  timestampFutureMs: { help: 'How far a timestamp may lie in the future, ms.' },
  ignoreCarriageReturn: { help: 'Ignore a CR right before the LF (or at the end of the body).' },
  collapseSpaces: { help: 'Accept runs of several spaces as one separator.' },
  summaryFieldOrder: { help: 'Order of the summary fields.', values: ['strict', 'any'] },
  allowCountWithoutDelta: { help: "Accept 'count,<n>' without 'delta='." },
  allowBareDecimalPoint: { help: "Accept a number with a bare decimal point on one side ('5.' and '.5')." },
  backend: { help: 'Which implementation scans the lines.', values: ['auto', 'js', 'native'] },
  maxTrackedMetadataKeys: {
    help: 'Distinct metadata keys the rich report remembers to warn about a later metadata line for the same key (spec §5: only the first counts).',
  },
  metadataUnitMaxLength: { help: "Longest metadata 'unit'." },
  metadataDisplayNameMaxLength: { help: "Longest metadata 'displayName'." },
  metadataDescriptionMaxLength: { help: "Longest metadata 'description'." },
  summaryRelativeTolerance: {
    help: 'A summary whose average lies outside \'[min, max]\' by at most this share of its magnitude is "off by float error" and gets min or max clamped to the average.',
  },
  convertSecondsTimestamps: { help: 'Convert a timestamp that is out of the window but inside it once read as seconds (×1000).' },
  maxErrors: { help: 'Most error issues collected; validation stops after this many.' },
  eventsMaxBodyBytes: { help: 'Largest generic events body in bytes (413 above).' },
  smartscapeMaxBodyBytes: { help: 'Largest Smartscape events body in bytes.' },
  syntheticMaxBodyBytes: { help: 'Largest third-party synthetic body in bytes.' },
  customDeviceMaxBodyBytes: { help: 'Largest custom device body in bytes.' },
  eventMaxAgeMs: { help: 'Age after which a generic event is dropped after acceptance (a warning).' },
  smartscapeFieldAllowlist: { help: "Node field names accepted on Smartscape events whose type does not start with 'EXT_' or 'CUSTOM_'." },
  strictCrossReferences: {
    help: "Cross references of synthetic bodies (a result for a monitor not in 'tests', an unknown location or step id) are errors instead of warnings.",
  },
  syntheticFutureMs: { help: "How far a synthetic 'startTimestamp' may lie in the future, ms." },
  customDevicePastMs: { help: 'How far a custom device data point may lie in the past, ms.' },
  customDeviceFutureMs: { help: 'How far a custom device data point may lie in the future, ms.' },
  customDeviceIdMaxLength: { help: "Longest path 'customDeviceId'." },
  displayNameMaxLength: { help: "Longest 'displayName'." },
  groupMaxLength: { help: "Longest 'group'." },
  deviceTypeMaxLength: { help: "Longest custom device 'type'." },
  urlMaxLength: { help: "Longest 'favicon' / 'configUrl'." },
  maxIpAddresses: { help: "Most 'ipAddresses'." },
  maxListenPorts: { help: "Most 'listenPorts'." },
  maxHostNames: { help: "Most 'hostNames'." },
  maxTags: { help: "Most 'tags'." },
  logsMaxBodyBytes: { help: 'Largest log ingest body in bytes (413 above).' },
  logsMaxRecords: { help: 'Most log records in one request (413 above).' },
  logsMaxAttributes: { help: 'Most attributes of one log record (a warning above; nested objects count each leaf).' },
  logsMaxAttributeKeyBytes: { help: 'Longest attribute key in UTF-8 bytes (a warning above).' },
  logsMaxAttributeValueBytes: { help: 'Longest attribute value in UTF-8 bytes (a warning: truncated).' },
  logsMaxContentBytes: { help: "Longest 'content' in UTF-8 bytes (a warning: truncated)." },
  logsMaxValuesPerAttribute: { help: 'Most values of one array attribute (a warning above).' },
  logsMaxNestingLevels: { help: 'Deepest nested object level ingested (a warning below it).' },
  logsMaxAgeMs: { help: 'Age after which a log record is dropped after acceptance (a warning).' },
  logsFutureToleranceMs: { help: 'How far a log timestamp may lie in the future before it is replaced (a warning).' },
  logsFutureClampToTolerance: { help: 'What a timestamp too far in the future becomes.' },
  logsTextPlainLines: { help: "A 'text/plain' log body is one record per line." },
  bizeventsMaxBodyBytes: { help: 'Largest business events body in bytes (413 above).' },
  allowBom: { help: 'Accept a UTF-8 byte order mark at the start of a raw body.' },
  maxJsonDepth: {
    help: "Deepest nesting of arrays and objects in a raw body; one level more is answered 400 ('json-too-deep') at the bracket where a streaming parser stops, as the endpoint's does (a body dense in brackets is scanned before it is parsed, so 10 MB of '[' costs no parse).",
  },
  port: { help: 'TCP port.' },
  host: { help: 'Interface to bind.' },
  mode: { help: "'mock' answers as the endpoint would and keeps what was accepted.", values: ['mock', 'proxy'] },
  upstream: { help: "Proxy mode: base URL of the real environment ('https://abc123.live.dynatrace.com' or an ActiveGate 'https://ag:9999/e/abc123')." },
  filter: {
    help: "Proxy mode, metrics: forward only the valid lines and answer one response in the sender's line numbers (local invalid lines plus the upstream's answers mapped back).",
  },
  requireToken: { help: "Answer 401 to a request without an 'Authorization." },
  record: {
    help: 'Mock mode: append every accepted item as one NDJSON line to this file (opened at start; a file that cannot be opened is a start-up error).',
  },
  receivedLimit: {
    help: "Mock mode: accepted items kept in memory per route (the last N), readable at 'GET /_dt-ingest/received'; also the number of requests the inspector lists (both modes).",
  },
  fault429Rate: { help: "Mock mode: share of ingest requests answered 429 (with 'Retry-After'), 0..1." },
  fault503Rate: { help: "Mock mode: share of ingest requests answered 503 (with 'Retry-After'), 0..1." },
  faultRetryAfterSeconds: { help: "'Retry-After' seconds on injected 429/503 answers and on the concurrency cap's 503." },
  latencyMs: { help: 'Mock mode: added latency before each ingest answer, ms.' },
  maxConcurrent: { help: 'Ingest requests handled at once; more are answered 503 at once without reading their body.' },
  requestTimeoutMs: { help: "Whole request (headers and body) must arrive within this many ms, else 408 ('node:http' 'requestTimeout'; server only)." },
  headersTimeoutMs: {
    help: "Headers must arrive within this many ms ('node:http' 'headersTimeout'; server only); a connection that sends no request at all is closed after this time too.",
  },
  keepAliveTimeoutMs: { help: 'Idle keep-alive connections are closed after this many ms (server only).' },
  maxHeaderBytes: { help: "Largest request head (request line and headers) in bytes, else 431 ('node:http' 'maxHeaderSize'; server only)." },
  lingerMs: {
    help: 'After an answer that closes the connection without reading the body (413, early errors on a large body), how long the socket stays open, not read, so the client reads the answer before the connection is reset, ms.',
  },
  shutdownTimeoutMs: { help: 'Graceful shutdown: how long requests in flight may take to finish before connections are cut, ms.' },
  drainDelayMs: {
    help: "Graceful shutdown behind a load balancer: from the first SIGTERM '/readyz' answers 503 and the server keeps serving for this many ms before it stops accepting connections, so the balancer stops sending first (CLI.",
  },
  workers: { help: "Processes serving one port with 'node:cluster' (CLI only)." },
  workerRestartsPerMinute: {
    help: "With 'workers' > 1: workers restarted after a crash within any minute; beyond, the next restart waits until the minute has passed (with a log line), so a crash loop neither spins nor stops the server.",
  },
  upstreamMaxBytes: { help: 'Proxy mode: largest upstream request in bytes; bigger bodies are split on line boundaries.' },
  upstreamMetricsPath: {
    help: "Proxy mode: the upstream path metrics are forwarded to, whichever local metrics route received them ('/api/v2/metrics/ingest', the platform's '/platform/classic/environment-api/v2/metrics/ingest', the local agent's '/metrics/ingest').",
  },
  upstreamTimeoutMs: { help: 'Proxy mode: time limit of one upstream attempt (connect, send, answer), ms.' },
  retryCount: { help: 'Proxy mode: retries of one upstream request after 429/503 or a connection that could not be opened (answers that stored nothing).' },
  retryBudgetMs: { help: 'Proxy mode: total time one incoming request may spend on upstream retries, ms; no retry starts past it.' },
  retryBaseMs: {
    help: "Proxy mode: first backoff ceiling, ms; attempt k waits 'random() × min(retryMaxDelayMs, retryBaseMs × 2^k)' (full jitter) unless 'Retry-After' says more.",
  },
  retryMaxDelayMs: { help: 'Proxy mode: largest single backoff wait, ms.' },
  statsdPort: {
    help: "Mock mode: a UDP port where StatsD datagrams (Dynatrace's flavour) are read, converted to metric lines and judged as the metrics endpoint judges them (docs/spec/statsd.md).",
  },
  scrape: {
    help: "Mock mode: each URL (a Prometheus exporter's '/metrics') is pulled every 'scrapeIntervalMs', its answer converted and judged as the metrics endpoint judges lines (repeatable; loopback hosts only unless 'scrapeRemote').",
  },
  scrapeIntervalMs: { help: "Time between two pulls of each 'scrape' target, ms." },
  scrapeRemote: {
    help: "Allow 'scrape' targets on other hosts than loopback (*decided*: off, like the 'Host' guard: a mock should not reach into a network unasked).",
  },
  ui: {
    help: "Serve the inspector at '/' (a live list of the requests received, each judged line by line, and views of the metrics and events that arrived) and the playground at '/playground' ('docs/inspector.md').",
  },
  uiBodyBytes: {
    help: "Inspector: request bodies kept in memory for the detail view, the download and the data views, in bytes for all requests together; the oldest bodies are dropped first (their requests stay in the list, which keeps the last 'receivedLimit' requests).",
  },
  allowHost: {
    help: "More host names (or addresses, '[...]' for IPv6) the server's own routes answer to, beside 'localhost', '127.0.0.1', '[::1]' and the bound 'host': the inspector, its API and stream, '/metrics' and '/_dt-ingest/received' compare the 'Host' header (port stripped, case ignored) with this list exactly (DNS rebinding, 'docs/inspector.md').",
  },
  allowOrigin: {
    help: "Origins ('https://app.example:8443', 'null') whose pages may write to the server: ingest posts, 'DELETE' of the stored items, CSP reports.",
  },
  basePath: { help: 'Path prefix the handler is mounted under (stripped before matching; the Fastify plugin sets it from its prefix).' },
  metrics: { help: 'Options of the metrics validator (limits, clock).' },
  events: { help: 'Options of the JSON body validators (limits, clock).' },
  otlp: { help: 'Options of the OTLP metrics validator (limits, decided rules.' },
  random: { help: 'Random source for faults and jitter (tests make it deterministic).' },
  maxLineBytes: {
    help: "Longest input line in bytes; a longer one is skipped up to its line feed and reported ('convert-line-too-long'), so a line cut across chunks is carried in bounded memory.",
  },
  batchPoints: { help: 'Points gathered before the batch is handed to the sink, so a huge chunk never grows the batch without bound.' },
  maxStringBytes: {
    help: "Bytes of interned strings (names, label keys and values) kept before the string table starts afresh between two batches ('MetricBatch.generation' tells).",
  },
  metricPrefix: { help: "Text put before every metric key, before normalization ('prom.' makes 'up' a valid key)." },
  counters: { help: 'How counters are written.', values: ['delta', 'gauge'] },
  additionalCounters: { help: 'Metric names, as sent, written as delta counters whatever their declared type.' },
  timestamps: { help: "Whether a sample's own timestamp is written.", values: ['keep', 'drop'] },
  series: { help: "Bounds of the counter series state (defaults in 'SERIES_STATE_DEFAULTS')." },
  histograms: { help: "How histogram samples ('_bucket', '_sum', '_count') are written.", values: ['counters', 'gauges', 'drop'] },
  summaries: { help: 'How summary samples are written.', values: ['counters', 'gauges', 'drop'] },
  bucketLabels: { help: "The histogram 'le' and summary 'quantile' labels.", values: ['keep', 'drop'] },
  requireEof: { help: "OpenMetrics only: whether an exposition that does not end with '# EOF' is reported ('prom-eof-missing')." },
  sampleRates: { help: "What a sample rate ('|@0.1') does.", values: ['scale', 'ignore'] },
  gaugeDeltas: { help: "What a gauge written with a sign ('+4', '-10') means.", values: ['delta', 'value', 'drop'] },
  sets: { help: "What a set ('|s', a member to count once per flush interval) becomes.", values: ['drop', 'distinct'] },
  precision: { help: 'Unit of the timestamps.', values: ['ns', 'us', 'ms', 's'] },
  booleans: { help: 'Boolean fields.', values: ['gauge', 'drop'] },
  sourceDimension: { help: "A dimension added to every point ('key=value'), or an empty string for none." },
  maxMetricKeys: { help: 'Metric keys an environment may hold.' },
  maxTuplesPerMetric: { help: 'Distinct dimension tuples one metric key may have over the window.' },
  maxTuples: { help: 'Distinct dimension tuples of all custom metrics over the window.' },
  windowMs: { help: 'The window the tuple limits count over, ms.' },
  warnShare: { help: 'Share of a limit at which the budget warns (before it errs past the limit).' },
  sampleDurationMs: { help: 'How long a sample without timestamps (and without arrival times) lasted, ms, to turn its growth per line into growth per day.' },
  exactDistinct: { help: 'Distinct values (keys, tuples) the run-wide counters hold exactly before they become a HyperLogLog sketch.' },
  sketchPrecision: { help: 'Precision (log2 of the registers) of the run-wide sketches.' },
  metricExactDistinct: { help: "Distinct tuples a metric key's counter holds exactly before its sketch." },
  metricSketchPrecision: { help: "Precision of a metric key's tuple sketch." },
  dimensionExactDistinct: { help: "Distinct values a dimension's counter (per metric key) holds exactly before its sketch." },
  dimensionSketchPrecision: { help: "Precision of a dimension's value sketch." },
  maxTrackedMetrics: { help: 'Metric keys followed one by one (tuples, dimensions, examples).' },
  maxTrackedDimensions: { help: 'Dimension keys followed per metric key, over all tracked keys.' },
  seriesCache: {
    help: 'Series (a metric key with its dimensions, as bytes) remembered to skip the per-dimension work of a line seen before; a two-way set-associative cache that grows to this size (rounded up to a power of two) as series arrive.',
  },
  topOffenders: { help: 'Metric keys listed as top offenders.' },
  examplesPerMetric: { help: 'Example tuples kept per metric key.' },
  volatileMinDistinct: { help: 'Distinct values a dimension needs before its values are called volatile.' },
  volatileShare: { help: "Share of a dimension's values in one volatile class (UUID, id, timestamp, IP, URL with id) that flags it." },
  growthMinPoints: { help: 'Points a metric key needs before "tuples grow with lines" is judged.' },
  growthShare: { help: "Distinct tuples per point past which a metric key's tuples are said to grow with its lines." },
};
