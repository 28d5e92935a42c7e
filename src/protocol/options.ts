/**
 * Every limit and every *decided* rule of the metrics line protocol, in one table.
 *
 * Each option names its default and the evidence behind it (tags as in
 * `docs/spec/metrics-line-protocol.md`: *server*, *docs*, *lib*, *decided*). Code never repeats
 * these numbers as literals: it reads the resolved options.
 *
 * @module
 */

import { checkTableOption } from './inputs.js';

/** Where the endpoint response lists key rewrites. */
export type WarningsField = 'changedMetricKeys' | 'warningLines';

/** Options of the metrics parser and validator. Every field is optional; see `METRICS_DEFAULTS`. */
export interface MetricsOptions {
  /**
   * Largest accepted body in bytes; above it the endpoint answers 413. Default 1,048,576.
   * *decided*: the API reference says "1 MB" without saying whether that is 10^6 or 2^20 bytes;
   * set `1_000_000` for the stricter reading.
   */
  maxBodyBytes?: number;
  /** Longest line in characters (UTF-16 code units, as the server's Java strings count). Default 50,000 (*docs*). */
  maxLineLength?: number;
  /** Shortest metric key. Default 3 (*docs*). */
  metricKeyMinLength?: number;
  /** Longest metric key. Default 255 (*docs*, latest protocol page; an older limits table says 250). */
  metricKeyMaxLength?: number;
  /**
   * Accept a metric key section after the first that starts with a digit (`system.load.1m`).
   * Default `false`: the server rejected exactly such keys in 2020 and 2023 with `invalid metric key`
   * (*server*), although the docs and the libraries allow them (*docs*, *lib*).
   */
  allowDigitLeadingSections?: boolean;
  /** Most dimensions on one line. Default 50 (*docs*). */
  maxDimensions?: number;
  /** Longest dimension key. Default 100 (*docs*, *lib*). */
  dimensionKeyMaxLength?: number;
  /**
   * Longest dimension value (unescaped content, without quotes, in UTF-16 code units). Default 250
   * (*server* 2021: `dimension value length exceeded: 401 > 250`; newer libraries assume 255).
   */
  dimensionValueMaxLength?: number;
  /**
   * Rewrite keys as the classic metrics store does: a count under a key without `.count`/`_count`
   * becomes `<key>.count`, a gauge under such a key becomes `<key>.gauge`, each with a warning
   * (*docs*, *server*). Default `true`; `false` for metrics on Grail, which keep the key as sent.
   */
  rewriteKeySuffix?: boolean;
  /**
   * Name of the warnings array in the response. Default `changedMetricKeys` (the API reference);
   * a real 2024 response used `warningLines` (*server*).
   */
  warningsField?: WarningsField;
  /** Invalid lines listed in the endpoint response. Default 10 (*server*: "First 10 errors reported"). */
  maxReportedErrors?: number;
  /**
   * Warnings listed in the endpoint response. Default 131,072: a real response said
   * `First 22 warnings reported` (micrometer issue 5037, 2024), so the server does not cut warnings
   * at 10 (*server*), and no cap is known. No warned line is shorter than 9 bytes (`_count 1` and its
   * LF: a gauge under a `_count` key), so a body within the default `maxBodyBytes` holds at most
   * 116,508 warned lines, and this default lists every one of them (*decided*). It bounds what a
   * stream with `maxBodyBytes` lifted keeps: past the cap warned lines are counted, not kept.
   */
  maxReportedWarnings?: number;
  /** The clock for the timestamp window, epoch milliseconds. Default: `Date.now()` when the validation starts. */
  now?: number;
  /** How far a timestamp may lie in the past, ms. Default 3,600,000 (one hour, *docs*). */
  timestampPastMs?: number;
  /** How far a timestamp may lie in the future, ms. Default 600,000 (ten minutes, *docs*). */
  timestampFutureMs?: number;
  /**
   * Ignore a CR right before the LF (or at the end of the body). Default `true` (*decided*: CRLF bodies
   * from Windows tools are common and no evidence says the server rejects them).
   */
  ignoreCarriageReturn?: boolean;
  /**
   * Accept runs of several spaces as one separator. Default `true` (*decided*: the docs' best-practice
   * examples show them). A TAB is never a separator (*decided*).
   */
  collapseSpaces?: boolean;
  /**
   * Order of the summary fields. Default `'strict'`: `min, max, sum, count` (*docs* show only this order;
   * *decided*). `'any'` accepts any order of the four.
   */
  summaryFieldOrder?: 'strict' | 'any';
  /**
   * Accept `count,<n>` without `delta=`. Default `false` (*docs* now require `delta=`; old libraries
   * emitted the short form).
   */
  allowCountWithoutDelta?: boolean;
  /**
   * Accept a number with a bare decimal point on one side (`5.` and `.5`). Default `true` (*decided*:
   * the server parses numbers with a standard double parser, and both Java's and Go's accept them).
   */
  allowBareDecimalPoint?: boolean;
  /**
   * Which implementation scans the lines: `'js'` (the TypeScript reference), `'native'` (the C++
   * addon; an error if it is not built) or `'auto'` (native when loaded and the input is large enough
   * to pay for the call, else js; `DT_INGEST_NATIVE=0|1` overrides at start-up). Default `'auto'`.
   * Not a protocol rule: results are identical byte for byte.
   */
  backend?: 'auto' | 'js' | 'native';
  /**
   * Distinct metadata keys the rich report remembers to warn about a later metadata line for the same
   * key (spec §5: only the first counts). Default 65,536 (*decided*): no metadata line is shorter
   * than 24 bytes (`#`, a key of at least `metricKeyMinLength` 3, ` gauge`, ` dt.meta.unit=`), so a
   * body within the default `maxBodyBytes` holds at most 43,690 of them and every duplicate is reported; it bounds what a stream with
   * `maxBodyBytes` lifted keeps: keys past the cap are not remembered (their duplicates go unreported).
   * Not part of the endpoint's answer.
   */
  maxTrackedMetadataKeys?: number;
  /** Longest metadata `unit`. Default 63 (*lib*). */
  metadataUnitMaxLength?: number;
  /** Longest metadata `displayName`. Default 300 (*lib*). */
  metadataDisplayNameMaxLength?: number;
  /** Longest metadata `description`. Default 65,535 (*lib*). */
  metadataDescriptionMaxLength?: number;
}

/** {@link MetricsOptions} with every field set. */
export type ResolvedMetricsOptions = Readonly<Required<Omit<MetricsOptions, 'now'>>> & { readonly now: number };

/** The defaults, with the evidence for each in {@link MetricsOptions}. */
export const METRICS_DEFAULTS: Readonly<Required<Omit<MetricsOptions, 'now'>>> = /* @__PURE__ */ Object.freeze({
  maxBodyBytes: 1_048_576,
  maxLineLength: 50_000,
  metricKeyMinLength: 3,
  metricKeyMaxLength: 255,
  allowDigitLeadingSections: false,
  maxDimensions: 50,
  dimensionKeyMaxLength: 100,
  dimensionValueMaxLength: 250,
  rewriteKeySuffix: true,
  warningsField: 'changedMetricKeys',
  maxReportedErrors: 10,
  maxReportedWarnings: 131_072,
  timestampPastMs: 3_600_000,
  timestampFutureMs: 600_000,
  ignoreCarriageReturn: true,
  collapseSpaces: true,
  summaryFieldOrder: 'strict',
  allowCountWithoutDelta: false,
  allowBareDecimalPoint: true,
  backend: 'auto',
  maxTrackedMetadataKeys: 65_536,
  metadataUnitMaxLength: 63,
  metadataDisplayNameMaxLength: 300,
  metadataDescriptionMaxLength: 65_535,
} as const);

/**
 * The options that are counts or sizes: whole numbers only (`Infinity` where the default is).
 * @example METRICS_INTEGER_OPTIONS.has('maxBodyBytes') // true
 */
export const METRICS_INTEGER_OPTIONS: ReadonlySet<string> = /* @__PURE__ */ new Set([
  'maxBodyBytes',
  'maxLineLength',
  'metricKeyMinLength',
  'metricKeyMaxLength',
  'maxDimensions',
  'dimensionKeyMaxLength',
  'dimensionValueMaxLength',
  'maxReportedErrors',
  'maxReportedWarnings',
  'metadataUnitMaxLength',
  'metadataDisplayNameMaxLength',
  'metadataDescriptionMaxLength',
]);

/**
 * Tolerance of the summary check `min - t <= sum/count <= max + t` (*server*: the message prints
 * `tolerance: 0.000001`). A protocol constant, not an option.
 */
export const SUMMARY_TOLERANCE = 1e-6;

/**
 * Resolved options: every field set, `now` fixed. A class with its fields assigned in one order, so
 * every resolved object has the same shape (monomorphic reads in the scanners) and resolving costs
 * a few field stores instead of a spread, a key walk and a property definition. The compiler checks
 * that every option is assigned (`implements` + definite assignment).
 */
class ResolvedOptions implements ResolvedMetricsOptions {
  readonly maxBodyBytes: number;
  readonly maxLineLength: number;
  readonly metricKeyMinLength: number;
  readonly metricKeyMaxLength: number;
  readonly allowDigitLeadingSections: boolean;
  readonly maxDimensions: number;
  readonly dimensionKeyMaxLength: number;
  readonly dimensionValueMaxLength: number;
  readonly rewriteKeySuffix: boolean;
  readonly warningsField: WarningsField;
  readonly maxReportedErrors: number;
  readonly maxReportedWarnings: number;
  readonly timestampPastMs: number;
  readonly timestampFutureMs: number;
  readonly ignoreCarriageReturn: boolean;
  readonly collapseSpaces: boolean;
  readonly summaryFieldOrder: 'strict' | 'any';
  readonly allowCountWithoutDelta: boolean;
  readonly allowBareDecimalPoint: boolean;
  readonly backend: 'auto' | 'js' | 'native';
  readonly maxTrackedMetadataKeys: number;
  readonly metadataUnitMaxLength: number;
  readonly metadataDisplayNameMaxLength: number;
  readonly metadataDescriptionMaxLength: number;
  readonly now: number;

  constructor(o: MetricsOptions, now: number) {
    const d = METRICS_DEFAULTS;
    this.maxBodyBytes = o.maxBodyBytes ?? d.maxBodyBytes;
    this.maxLineLength = o.maxLineLength ?? d.maxLineLength;
    this.metricKeyMinLength = o.metricKeyMinLength ?? d.metricKeyMinLength;
    this.metricKeyMaxLength = o.metricKeyMaxLength ?? d.metricKeyMaxLength;
    this.allowDigitLeadingSections = o.allowDigitLeadingSections ?? d.allowDigitLeadingSections;
    this.maxDimensions = o.maxDimensions ?? d.maxDimensions;
    this.dimensionKeyMaxLength = o.dimensionKeyMaxLength ?? d.dimensionKeyMaxLength;
    this.dimensionValueMaxLength = o.dimensionValueMaxLength ?? d.dimensionValueMaxLength;
    this.rewriteKeySuffix = o.rewriteKeySuffix ?? d.rewriteKeySuffix;
    this.warningsField = o.warningsField ?? d.warningsField;
    this.maxReportedErrors = o.maxReportedErrors ?? d.maxReportedErrors;
    this.maxReportedWarnings = o.maxReportedWarnings ?? d.maxReportedWarnings;
    this.timestampPastMs = o.timestampPastMs ?? d.timestampPastMs;
    this.timestampFutureMs = o.timestampFutureMs ?? d.timestampFutureMs;
    this.ignoreCarriageReturn = o.ignoreCarriageReturn ?? d.ignoreCarriageReturn;
    this.collapseSpaces = o.collapseSpaces ?? d.collapseSpaces;
    this.summaryFieldOrder = o.summaryFieldOrder ?? d.summaryFieldOrder;
    this.allowCountWithoutDelta = o.allowCountWithoutDelta ?? d.allowCountWithoutDelta;
    this.allowBareDecimalPoint = o.allowBareDecimalPoint ?? d.allowBareDecimalPoint;
    this.backend = o.backend ?? d.backend;
    this.maxTrackedMetadataKeys = o.maxTrackedMetadataKeys ?? d.maxTrackedMetadataKeys;
    this.metadataUnitMaxLength = o.metadataUnitMaxLength ?? d.metadataUnitMaxLength;
    this.metadataDisplayNameMaxLength = o.metadataDisplayNameMaxLength ?? d.metadataDisplayNameMaxLength;
    this.metadataDescriptionMaxLength = o.metadataDescriptionMaxLength ?? d.metadataDescriptionMaxLength;
    this.now = now;
  }
}

/** A {@link ResolvedOptions} being filled in (frozen once done). */
type Unresolved = { -readonly [K in keyof ResolvedMetricsOptions]: ResolvedMetricsOptions[K] };

/**
 * Fills in defaults, checks types, and fixes `now`. Throws a `TypeError` for a wrong option (a caller
 * mistake, once per call, never per line). Options that are already resolved are returned as they are.
 * @example resolveMetricsOptions({ maxBodyBytes: 1_000_000 }).maxBodyBytes // 1000000
 */
export function resolveMetricsOptions(options?: MetricsOptions | ResolvedMetricsOptions): ResolvedMetricsOptions {
  if (options instanceof ResolvedOptions) return options;
  if (options === undefined || options === null) return Object.freeze(new ResolvedOptions(METRICS_DEFAULTS, Date.now()));
  if (typeof options !== 'object') throw new TypeError('dt-ingest: options must be an object');
  // the defaults, then the caller's own properties (a key on Object.prototype is no option), each
  // read once and checked; no copy of the caller's object (a copy without a prototype is a
  // dictionary, whose 24 reads cost more than the rest of a one-line validation)
  const resolved = new ResolvedOptions(METRICS_DEFAULTS, 0) as Unresolved;
  let now: number | undefined;
  // own enumerable keys, as Object.keys gives them, without its array (for-in reads a cached list)
  for (const name in options) {
    if (!Object.hasOwn(options, name)) continue;
    const key = name as keyof MetricsOptions;
    const value = (options as MetricsOptions)[key];
    checkOption(key, value);
    if (value === undefined) continue;
    if (key === 'now') now = value as number;
    else (resolved as Record<string, unknown>)[key] = value;
  }
  resolved.now = now ?? Date.now();
  return Object.freeze(resolved);
}

/** Checks one caller-given option (unknown names and wrong types are caller mistakes). */
function checkOption(key: keyof MetricsOptions, value: unknown): void {
  if (value === undefined) return;
  if (key === 'now') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError('dt-ingest: option now must be a finite number (epoch ms)');
    return;
  }
  if (!Object.hasOwn(METRICS_DEFAULTS, key)) throw new TypeError(`dt-ingest: unknown metrics option '${String(key)}'`);
  const def = (METRICS_DEFAULTS as Record<string, unknown>)[key];
  checkTableOption(key, value, def, METRICS_INTEGER_OPTIONS);
  if (key === 'warningsField') {
    if (value !== 'changedMetricKeys' && value !== 'warningLines')
      throw new TypeError("dt-ingest: option warningsField must be 'changedMetricKeys' or 'warningLines'");
  } else if (key === 'backend') {
    if (value !== 'auto' && value !== 'js' && value !== 'native') throw new TypeError("dt-ingest: option backend must be 'auto', 'js' or 'native'");
  } else if (key === 'summaryFieldOrder') {
    if (value !== 'strict' && value !== 'any') throw new TypeError("dt-ingest: option summaryFieldOrder must be 'strict' or 'any'");
  }
}

/**
 * The accepted timestamp window `[now - timestampPastMs, now + timestampFutureMs]` (spec §2), computed
 * in one place, so every scanner (TypeScript fused and reference passes, the native addon) compares
 * against the very same doubles.
 * @example timestampWindow(resolveMetricsOptions({ now: 3_600_000 })) // { min: 0, max: 4_200_000 }
 */
export function timestampWindow(o: ResolvedMetricsOptions): { readonly min: number; readonly max: number } {
  return { min: o.now - o.timestampPastMs, max: o.now + o.timestampFutureMs };
}

/** Options of fix mode (`fixMetrics`, `dt-ingest fix metrics`), beside the metrics options. */
export interface FixOptions {
  /**
   * A summary whose average lies outside `[min, max]` by at most this share of its magnitude is
   * "off by float error" and gets min or max clamped to the average. Default 1e-9 (*decided*:
   * exporters computing min/max/sum in doubles drift by a few ulps, around 1e-15 relative; real
   * inconsistencies are far larger).
   */
  summaryRelativeTolerance?: number;
  /**
   * Convert a timestamp that is out of the window but inside it once read as seconds (×1000).
   * Default `true` (*decided*: seconds are the commonest timestamp mistake, spec §2 "Timestamp").
   */
  convertSecondsTimestamps?: boolean;
}

/** Defaults of {@link FixOptions}. */
export const FIX_DEFAULTS: Readonly<Required<FixOptions>> = /* @__PURE__ */ Object.freeze({
  summaryRelativeTolerance: 1e-9,
  convertSecondsTimestamps: true,
});
