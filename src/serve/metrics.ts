/**
 * The server's own counters, written in the Prometheus text format (version 0.0.4) at `GET /metrics`.
 * Each handler (each cluster worker) counts its own requests.
 *
 * @module
 */

/** Upper bounds of the latency histogram, seconds. */
export const LATENCY_BUCKETS: readonly number[] = Object.freeze([0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

/** Outcome of one upstream attempt: a class of `readIngestResponse`, or `error` (no answer). */
export type UpstreamOutcome = 'accepted' | 'partial' | 'rejected' | 'retryable' | 'too-large' | 'unknown' | 'error';

class Histogram {
  readonly counts = new Float64Array(LATENCY_BUCKETS.length);
  count = 0;
  sum = 0;
  observe(seconds: number): void {
    this.count++;
    this.sum += seconds;
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= LATENCY_BUCKETS[i]!) {
        this.counts[i]!++;
        break;
      }
    }
  }
}

function esc(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v.charAt(i);
    out += c === '\\' ? '\\\\' : c === '"' ? '\\"' : c === '\n' ? '\\n' : c;
  }
  return out;
}

/**
 * Counters of one handler.
 * @example
 * const m = new ServeMetrics();
 * m.request('metrics', 202, 0.004, 1_000_000);
 * m.render() // '# HELP dt_ingest_requests_total ...'
 */
export class ServeMetrics {
  /** @internal Requests in flight (ingest routes; the handler counts them). */
  inFlight = 0;
  private readonly requests = new Map<string, number>();
  private readonly bytes = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly upstream = new Map<string, number>();
  private linesOk = 0;
  private linesInvalid = 0;
  private retries = 0;
  private readonly started = Date.now();

  /**
   * Counts one answered request.
   * @internal
   * @example metrics.request('events', 400, 0.002, 512)
   */
  request(route: string, status: number, seconds: number, bytes: number): void {
    const key = `${route}\u0000${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    if (bytes > 0) this.bytes.set(route, (this.bytes.get(route) ?? 0) + bytes);
    let h = this.latency.get(route);
    if (h === undefined) this.latency.set(route, (h = new Histogram()));
    h.observe(seconds);
  }

  /**
   * Counts metric lines judged.
   * @internal
   * @example metrics.lines(999, 1)
   */
  lines(ok: number, invalid: number): void {
    this.linesOk += ok;
    this.linesInvalid += invalid;
  }

  /**
   * Counts one upstream attempt.
   * @internal
   * @example metrics.upstreamAttempt('accepted')
   */
  upstreamAttempt(outcome: UpstreamOutcome): void {
    this.upstream.set(outcome, (this.upstream.get(outcome) ?? 0) + 1);
  }

  /**
   * Counts one upstream retry.
   * @internal
   * @example metrics.retry()
   */
  retry(): void {
    this.retries++;
  }

  /**
   * The Prometheus text exposition.
   * @example res.end(metrics.render())
   */
  render(): string {
    let s = '';
    s += '# HELP dt_ingest_requests_total Requests answered, by route and status.\n# TYPE dt_ingest_requests_total counter\n';
    for (const [key, n] of this.requests) {
      const sep = key.indexOf('\u0000');
      s += `dt_ingest_requests_total{route="${esc(key.slice(0, sep))}",status="${key.slice(sep + 1)}"} ${n}\n`;
    }
    s += '# HELP dt_ingest_lines_total Metric lines judged, by result.\n# TYPE dt_ingest_lines_total counter\n';
    s += `dt_ingest_lines_total{result="ok"} ${this.linesOk}\ndt_ingest_lines_total{result="invalid"} ${this.linesInvalid}\n`;
    s += '# HELP dt_ingest_received_bytes_total Request body bytes read, by route.\n# TYPE dt_ingest_received_bytes_total counter\n';
    for (const [route, n] of this.bytes) s += `dt_ingest_received_bytes_total{route="${esc(route)}"} ${n}\n`;
    s += '# HELP dt_ingest_upstream_requests_total Upstream attempts (proxy mode), by outcome.\n# TYPE dt_ingest_upstream_requests_total counter\n';
    for (const [outcome, n] of this.upstream) s += `dt_ingest_upstream_requests_total{outcome="${outcome}"} ${n}\n`;
    s += '# HELP dt_ingest_upstream_retries_total Upstream retries (proxy mode).\n# TYPE dt_ingest_upstream_retries_total counter\n';
    s += `dt_ingest_upstream_retries_total ${this.retries}\n`;
    s += '# HELP dt_ingest_in_flight Ingest requests being handled.\n# TYPE dt_ingest_in_flight gauge\n';
    s += `dt_ingest_in_flight ${this.inFlight}\n`;
    s += '# HELP dt_ingest_request_duration_seconds Time from request start to the answer, by route.\n# TYPE dt_ingest_request_duration_seconds histogram\n';
    for (const [route, h] of this.latency) {
      const r = esc(route);
      let cumulative = 0;
      for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
        cumulative += h.counts[i]!;
        s += `dt_ingest_request_duration_seconds_bucket{route="${r}",le="${LATENCY_BUCKETS[i]}"} ${cumulative}\n`;
      }
      s += `dt_ingest_request_duration_seconds_bucket{route="${r}",le="+Inf"} ${h.count}\n`;
      s += `dt_ingest_request_duration_seconds_sum{route="${r}"} ${h.sum}\n`;
      s += `dt_ingest_request_duration_seconds_count{route="${r}"} ${h.count}\n`;
    }
    s += '# HELP dt_ingest_uptime_seconds Seconds since the handler was created.\n# TYPE dt_ingest_uptime_seconds gauge\n';
    s += `dt_ingest_uptime_seconds ${(Date.now() - this.started) / 1000}\n`;
    return s;
  }
}
