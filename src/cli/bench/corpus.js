/**
 * Deterministic corpus of realistic exporter lines (Micrometer, OpenTelemetry, Telegraf style):
 * bare and quoted dimension values, gauges, summaries, counters, a few metadata lines, timestamps
 * inside the window of NOW, and optionally a share of typical invalid lines.
 *
 * Two mixes: 'exporter' (the default) is what exporters really send: about a quarter of the
 * `count,delta` lines have a key without `.count`, so the endpoint rewrites the key and warns
 * (`metric key 'X' changed to 'X.count'`); 'clean' gives every count key its suffix (no warnings).
 * `lineEnding: '\r\n'` renders the body with CRLF, as Windows-built senders do.
 *
 * Used by `dt-ingest bench`, the benchmarks and the allocation check, so every number is measured on
 * the same bytes. Plain JavaScript (types in corpus.d.ts) so that the `bench/` scripts and test
 * children run it without a build.
 *
 * @module
 */

/** The fixed clock of every corpus (timestamps are generated inside its window). */
export const NOW = 1_700_000_000_000;

/** A small deterministic PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [
  'jvm.memory.used',
  'http.server.requests',
  'system.cpu.usage',
  'process.files.open',
  'cpu.temperature',
  'disk.io.read_bytes',
  'k8s.pod.memory.working_set',
  'kafka.consumer.lag',
  'db.pool.connections.active',
  'cache.gets.ratio',
];
const HOSTS = ['web-01', 'web-02', 'api-gw-eu-west-1a', 'batch-07', 'db.primary'];
const AREAS = ['heap', 'nonheap'];
const PATHS = ['/api/v1/orders', '/api/v1/users/{id}', '/healthz', '/metrics', '/static/app.js'];
const INVALID = [
  (r) => `Bad.Key!,host=web-01 ${Math.floor(r() * 100)}`,
  (r) => `jvm.memory.max,area=nonheap,id=Compressed Class Space ${Math.floor(r() * 1e9)}`,
  () => 'system.load.average.1m 2.33154',
  () => 'cache.size,cacheManager=main 0',
  (r) => `http.latency gauge,min=${(r() * 10).toFixed(3)},max=1,sum=99,count=2`,
  () => 'disk.free,host=a count,500',
];

/** Share of `count,delta` lines whose key lacks `.count` in the 'exporter' mix. */
export const UNSUFFIXED_COUNT_RATIO = 0.25;

function line(r, now, mix) {
  const key = KEYS[Math.floor(r() * KEYS.length)];
  const host = HOSTS[Math.floor(r() * HOSTS.length)];
  const ts = r() < 0.5 ? ` ${now - Math.floor(r() * 3_000_000)}` : '';
  const kind = r();
  if (kind < 0.4) {
    return `${key},dt.entity.host=HOST-${(0x1000 + Math.floor(r() * 0xf000)).toString(16).toUpperCase()}06F288EE2A93,host=${host},area=${AREAS[Math.floor(r() * 2)]},dt.metrics.source=micrometer gauge,${(r() * 1e6).toFixed(2)}${ts}`;
  }
  if (kind < 0.65) {
    const count = 1 + Math.floor(r() * 50);
    const min = Math.floor(r() * 100);
    const max = min + Math.floor(r() * 100);
    const sum = ((min + max) / 2) * count;
    return `${key},uri="${PATHS[Math.floor(r() * PATHS.length)]}",method=GET,status=200,outcome=SUCCESS,host=${host} gauge,min=${min},max=${max},sum=${sum},count=${count}${ts}`;
  }
  if (kind < 0.9) {
    const suffix = mix === 'exporter' && r() < UNSUFFIXED_COUNT_RATIO ? '' : '.count';
    return `${key}${suffix},service.name=checkout\\ service,host=${host},region=eu-west-1 count,delta=${Math.floor(r() * 1000)}${ts}`;
  }
  if (kind < 0.995) {
    return `${key},host=${host} ${Math.floor(r() * 10000)}`;
  }
  return `#${key} gauge dt.meta.displayName="${key} (by host)",dt.meta.unit=Byte`;
}

/**
 * A body of about `bytes` bytes (whole lines, LF-terminated). `invalidRatio` of the lines are
 * typical mistakes.
 */
export function generateCorpus({ bytes = 1_000_000, invalidRatio = 0, seed = 42, now = NOW, mix = 'exporter', lineEnding = '\n' } = {}) {
  if (mix !== 'exporter' && mix !== 'clean') throw new Error(`corpus: unknown mix '${mix}'`);
  const r = rng(seed);
  const parts = [];
  let size = 0;
  let lines = 0;
  let invalid = 0;
  while (size < bytes) {
    let l;
    if (invalidRatio > 0 && r() < invalidRatio) {
      l = INVALID[Math.floor(r() * INVALID.length)](r);
      invalid++;
    } else {
      l = line(r, now, mix);
    }
    if (size + l.length + lineEnding.length > bytes && lines > 0) break;
    parts.push(l);
    size += Buffer.byteLength(l) + lineEnding.length;
    lines++;
  }
  return { text: parts.join(lineEnding) + lineEnding, lines, invalid };
}
