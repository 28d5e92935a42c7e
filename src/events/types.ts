/**
 * TypeScript types of the four JSON ingest bodies, mirroring `schemas/*.json` (structure only; the
 * validators add the semantic rules). Optional fields accept an explicit `null` (clients send it, *lib*).
 *
 * @module
 */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One generic event: any keys, any JSON values (`POST /platform/ingest/v1/events`). */
export interface GenericEvent {
  /** Epoch seconds/milliseconds/microseconds, or a string (epoch or RFC 3339). Bad values are replaced by the ingest time. */
  timestamp?: JsonValue;
  [key: string]: JsonValue | undefined;
}

/** Body of `POST /platform/ingest/v1/events`: one event or an array of events. */
export type GenericEventsBody = GenericEvent | GenericEvent[];

/** One Smartscape identity component: a single-key object with a string value (`{"hostname":"myhost"}`). */
export type SmartscapeIdComponent = Record<string, string>;

/** A reference to a related node: exactly one of `id` (Mode 1) or `type` + `id_components` (Mode 2). */
export interface SmartscapeEdgeReference {
  /** Mode 1: `^[A-Z][A-Z0-9_]*-[0-9A-F]{16}$`. */
  id?: string | null;
  /** Mode 2: `^[A-Z][A-Z0-9_]*$`; requires `id_components`. */
  type?: string | null;
  id_components?: SmartscapeIdComponent[] | null;
  [key: string]: JsonValue | undefined;
}

/** One Smartscape node upsert event (`POST /platform/ingest/v1/smartscape.events`). */
export interface SmartscapeEvent {
  /** Mode 1: pre-computed id, `^[A-Z][A-Z0-9_]*-[0-9A-F]{16}$`. Mutually exclusive with `type`. */
  id?: string | null;
  /** Mode 2: entity type, `^[A-Z][A-Z0-9_]*$`. Requires `id_components`. */
  type?: string | null;
  /** Identity components (required with `type`). */
  id_components?: SmartscapeIdComponent[] | null;
  /** Schema version; only `1` is known. */
  'event.version'?: 1 | null;
  /** RFC 3339 string or a positive number. */
  timestamp?: string | number | null;
  /** Advance the last-seen time (default true). */
  update_lifetime?: boolean | null;
  /** Security context: a string or an array of strings. */
  'dt.security_context'?: string | string[] | null;
  /** Static edges keyed by relationship name. */
  static_edges?: Record<string, SmartscapeEdgeReference[]> | null;
  /** Dynamic edges keyed by relationship name. */
  dynamic_edges?: Record<string, SmartscapeEdgeReference[]> | null;
  /** Node fields and `tags:<context>` objects of strings. */
  [key: string]: unknown;
}

/** Body of `POST /platform/ingest/v1/smartscape.events`. */
export type SmartscapeEventsBody = SmartscapeEvent | SmartscapeEvent[];

/** `3rdPartySyntheticLocation`. */
export interface SyntheticLocation {
  id: string;
  name: string;
  ip?: string | null;
}

/** `SyntheticTestLocation` (a location a monitor runs from). */
export interface SyntheticTestLocation {
  id: string;
  enabled?: boolean | null;
}

/** `SyntheticTestStep`. */
export interface SyntheticTestStep {
  id: number;
  title: string;
}

/** `3rdPartySyntheticMonitor`. */
export interface SyntheticMonitor {
  id: string;
  title: string;
  scheduleIntervalInSeconds: number;
  locations: SyntheticTestLocation[];
  description?: string | null;
  testSetup?: string | null;
  drilldownLink?: string | null;
  editLink?: string | null;
  expirationTimestamp?: number | null;
  enabled?: boolean | null;
  deleted?: boolean | null;
  noDataTimeout?: number | null;
  steps?: SyntheticTestStep[] | null;
}

/** `SyntheticMonitorError`. */
export interface SyntheticMonitorError {
  code: number;
  message: string;
}

/** `SyntheticMonitorStepResult`. */
export interface SyntheticStepResult {
  id: number;
  startTimestamp: number;
  responseTimeMillis?: number | null;
  error?: SyntheticMonitorError | null;
}

/** `3rdPartySyntheticLocationTestResult`. */
export interface SyntheticLocationResult {
  id: string;
  startTimestamp: number;
  success: boolean;
  stepResults: SyntheticStepResult[];
  responseTimeMillis?: number | null;
  /** Percent, 0 to 100. */
  successRate?: number | null;
}

/** `3rdPartySyntheticTestResult`. */
export interface SyntheticTestResult {
  id: string;
  locationResults: SyntheticLocationResult[];
  totalStepCount?: number | null;
}

/** Body of `POST /api/v1/synthetic/ext/tests` (`3rdPartySyntheticTests`). */
export interface SyntheticTestsBody {
  syntheticEngineName: string;
  messageTimestamp: number;
  locations: SyntheticLocation[];
  tests: SyntheticMonitor[];
  syntheticEngineIconUrl?: string | null;
  testResults?: SyntheticTestResult[] | null;
}

/** `EntityTimeseriesData`: one metric series of a custom device. */
export interface CustomDeviceSeries {
  timeseriesId: string;
  dimensions?: Record<string, string> | null;
  /** `[timestampMs, value]` pairs. */
  dataPoints: [number, number][];
}

/** Body of `POST /api/v1/entity/infrastructure/custom/{customDeviceId}` (`CustomDevicePushMessage`). */
export interface CustomDeviceBody {
  displayName?: string | null;
  group?: string | null;
  type?: string | null;
  favicon?: string | null;
  configUrl?: string | null;
  ipAddresses?: string[] | null;
  /** Integers 1-65535; numeric strings are accepted. */
  listenPorts?: (number | string)[] | null;
  hostNames?: string[] | null;
  tags?: string[] | null;
  properties?: Record<string, string> | null;
  series?: CustomDeviceSeries[] | null;
}
