/** The dev-dependency peer the Prometheus converter is tested and measured against (it ships no types). */
declare module 'parse-prometheus-text-format' {
  /** One metric of a family, as the peer gives it (values as strings). */
  interface PeerMetric {
    value?: string;
    labels?: Record<string, string>;
    timestamp_ms?: string;
    buckets?: Record<string, string>;
    quantiles?: Record<string, string>;
    count?: string;
    sum?: string;
  }
  /** One metric family. */
  interface PeerFamily {
    name: string;
    help: string;
    type: string;
    metrics: PeerMetric[];
  }
  /** Parses a whole text format 0.0.4 exposition. */
  export default function parsePrometheusTextFormat(text: string): PeerFamily[];
}
