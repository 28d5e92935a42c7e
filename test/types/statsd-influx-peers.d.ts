/** The dev-dependency peer the StatsD converter is tested and measured against (it ships no types). */
declare module 'statsd-parser' {
  /** One stat as the peer's regex reads it (strings as written). */
  interface PeerStat {
    stat: string;
    value: string;
    type: string;
    sample_rate?: string;
  }
  /** The peer's one regex applied to a line: the stat, or null. */
  export function matchStatsd(line: string): PeerStat | null;
  /** A streaming parser (`write(text)`, `onstat(text, stat)`). */
  export function parser(): { write(text: string): void; onstat?: (text: string, stat: PeerStat) => void };
}

/** The dev-dependency peer the Influx converter is tested and measured against (it ships no types). */
declare module 'influx-line-protocol-parser' {
  /** One parsed line: fields and tags as one-key objects. */
  interface PeerPoint {
    measurement: string;
    timestamp?: number;
    fields: Record<string, unknown>[];
    tags: Record<string, string>[];
  }
  /** Parses one line (throws on some malformed input). */
  export function parse(line: string): PeerPoint;
}
