/**
 * The Prometheus converter in points per second, against two baselines measured in the same run on
 * the same data:
 *
 * - parse-prometheus-text-format 1.1.1 (the npm peer) on the same 0.0.4 exposition (it gets the text
 *   as a string, its natural input; we get the bytes, ours);
 * - parseMetricsBatch on the same points written as metrics line protocol (our own line decoder into
 *   the same columnar batch: what reading the converted lines costs).
 *
 * Two corpora: `app`, a synthetic exposition of FAMILIES families (gauges, counters, histograms with
 * 8 buckets, summaries with 3 quantiles; 4-5 labels per sample, the same label sets across families),
 * and `node`, a node_exporter-like page (many small families, many without labels, Go's float
 * spellings, HELP and TYPE on every family). Each corpus is two scrapes of one target (the values
 * differ); the calls alternate between them. Every contender's output is checked before it is timed
 * (ours and parseMetricsBatch's sample counts equal the exposition's; the peer's answer as in checkPeer). Mapping
 * options make every sample a point (`counters`, `histograms`, `summaries`: 'gauges'), so points/s
 * compare like with like; the default mapping (counters as deltas, over the second scrape again and
 * again, lines written) is timed too. Our converter and the line decoder are kept across calls, as a
 * scraper keeps one per target (its known series then predict the next scrape; a fresh converter per
 * call is timed too: every name and label is then normalized anew). CPU time (process.cpuUsage),
 * medians of the rounds with [min..max], ratios per round, every contender in the same process.
 *
 *   npm run build && taskset -c 1 node bench/convert-prometheus.mjs [families=2000] [rounds=7] [corpora=app,node]
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { LineWriter, MetricBatchDecoder, PrometheusConverter, parseMetricsBatch } from '../dist/index.js';

const FAMILIES = Number(process.argv[2] ?? 2000);
const ROUNDS = Number(process.argv[3] ?? 7);

/** A /metrics page: FAMILIES families in rotation of the four types. */
function exposition(families, scrape = 0) {
  const out = [];
  for (let f = 0; f < families; f++) {
    const name = `app_component${f}_${['queue_depth', 'requests', 'request_duration_seconds', 'rpc_latency_seconds'][f % 4]}`;
    const kind = ['gauge', 'counter', 'histogram', 'summary'][f % 4];
    const family = `${name}${kind === 'counter' ? '_total' : ''}`;
    out.push(`# HELP ${family} Something measured by component ${f}.`, `# TYPE ${family} ${kind}`);
    for (let s = 0; s < 4; s++) {
      const labels = `method="${s % 2 ? 'GET' : 'POST'}",handler="/api/v1/items/${s}",instance="10.0.0.${f % 16}:9100"`;
      if (kind === 'gauge') out.push(`${name}{${labels},state="idle"} ${(f * 1.5 + s).toFixed(2)}`);
      else if (kind === 'counter') out.push(`${name}_total{${labels},code="200"} ${1000 * f + s + scrape * 7}`);
      else if (kind === 'histogram') {
        let c = 0;
        for (const le of ['0.005', '0.01', '0.025', '0.05', '0.1', '0.5', '1', '+Inf'])
          out.push(`${name}_bucket{${labels},le="${le}"} ${(c += s + 1 + scrape)}`);
        out.push(`${name}_sum{${labels}} ${(c * 0.042).toFixed(4)}`, `${name}_count{${labels}} ${c}`);
      } else {
        for (const q of ['0.5', '0.9', '0.99']) out.push(`${name}{${labels},quantile="${q}"} ${(0.01 * Number(q) + s).toFixed(5)}`);
        out.push(`${name}_sum{${labels}} ${12.5 + s + scrape}`, `${name}_count{${labels}} ${40 + s + scrape}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * A node_exporter-like /metrics page (what a real target serves: the default collectors of a host
 * with 8 CPUs, 4 disks, 6 network devices, 8 filesystems): many families of few series, many without
 * labels, long HELP lines, Go's float spellings (`8.233136128e+09`), the same label sets at every
 * scrape. `scrape` changes the values, as the next scrape of the same target would.
 */
function nodePage(scrape = 0) {
  const out = [];
  let v = 1 + scrape;
  const num = () => {
    v = (v * 1103515245 + 12345) % 2147483648;
    const k = v % 4;
    return k === 0
      ? String(v % 1000)
      : k === 1
        ? (v / 977).toExponential(6 + (v % 4)).replace(/e([+-])(\d)$/, 'e$10$2')
        : k === 2
          ? (v / 65536).toFixed(3)
          : '0';
  };
  const family = (name, type, help, series) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [suffix, labels] of series) out.push(`${name}${suffix}${labels === '' ? '' : `{${labels}}`} ${num()}`);
  };
  const plain = (name, type) => family(name, type, `Number of ${name.replaceAll('_', ' ')} as reported by the kernel or the runtime.`, [['', '']]);
  const labelled = (name, type, sets) =>
    family(
      name,
      type,
      `Value of ${name.replaceAll('_', ' ')} per device, from /proc or /sys.`,
      sets.map((l) => ['', l]),
    );
  const summary = (name, labels) => {
    const series = ['0', '0.25', '0.5', '0.75', '1'].map((q) => ['', `${labels}${labels ? ',' : ''}quantile="${q}"`]);
    family(name, 'summary', 'A summary of the pause duration of garbage collection cycles.', [...series, ['_sum', labels], ['_count', labels]]);
  };
  const histogram = (name, labels, les) => {
    const series = les.map((le) => ['_bucket', `${labels}${labels ? ',' : ''}le="${le}"`]);
    family(name, 'histogram', 'A histogram of request latencies.', [...series, ['_sum', labels], ['_count', labels]]);
  };
  summary('go_gc_duration_seconds', '');
  plain('go_goroutines', 'gauge');
  labelled('go_info', 'gauge', ['version="go1.21.5"']);
  for (const m of [
    'alloc_bytes',
    'alloc_bytes_total',
    'buck_hash_sys_bytes',
    'frees_total',
    'gc_sys_bytes',
    'heap_alloc_bytes',
    'heap_idle_bytes',
    'heap_inuse_bytes',
    'heap_objects',
    'heap_released_bytes',
    'heap_sys_bytes',
    'last_gc_time_seconds',
    'lookups_total',
    'mallocs_total',
    'mcache_inuse_bytes',
    'mcache_sys_bytes',
    'mspan_inuse_bytes',
    'mspan_sys_bytes',
    'next_gc_bytes',
    'other_sys_bytes',
    'stack_inuse_bytes',
    'stack_sys_bytes',
    'sys_bytes',
  ])
    plain(`go_memstats_${m}`, m.endsWith('_total') ? 'counter' : 'gauge');
  plain('go_threads', 'gauge');
  const cpus = [...Array(8).keys()];
  const modes = ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user'];
  labelled(
    'node_cpu_seconds_total',
    'counter',
    cpus.flatMap((c) => modes.map((m) => `cpu="${c}",mode="${m}"`)),
  );
  labelled(
    'node_cpu_guest_seconds_total',
    'counter',
    cpus.flatMap((c) => ['nice', 'user'].map((m) => `cpu="${c}",mode="${m}"`)),
  );
  const disks = ['nvme0n1', 'nvme1n1', 'sda', 'dm-0'].map((d) => `device="${d}"`);
  for (const m of [
    'discard_time_seconds_total',
    'discarded_sectors_total',
    'discards_completed_total',
    'discards_merged_total',
    'flush_requests_time_seconds_total',
    'flush_requests_total',
    'info',
    'io_now',
    'io_time_seconds_total',
    'io_time_weighted_seconds_total',
    'read_bytes_total',
    'read_time_seconds_total',
    'reads_completed_total',
    'reads_merged_total',
    'write_time_seconds_total',
    'writes_completed_total',
    'writes_merged_total',
    'written_bytes_total',
  ])
    labelled(`node_disk_${m}`, m.endsWith('_total') ? 'counter' : 'gauge', disks);
  const fss = ['/', '/boot', '/boot/efi', '/home', '/var', '/run', '/run/lock', '/run/user/1000'].map(
    (m, i) => `device="${i < 5 ? `/dev/nvme0n1p${i + 1}` : 'tmpfs'}",fstype="${i < 5 ? 'ext4' : 'tmpfs'}",mountpoint="${m}"`,
  );
  for (const m of ['avail_bytes', 'device_error', 'files', 'files_free', 'free_bytes', 'readonly', 'size_bytes'])
    labelled(`node_filesystem_${m}`, 'gauge', fss);
  for (const m of [
    'load1',
    'load5',
    'load15',
    'boot_time_seconds',
    'time_seconds',
    'entropy_available_bits',
    'context_switches_total',
    'forks_total',
    'intr_total',
    'procs_blocked',
    'procs_running',
  ])
    plain(`node_${m}`, m.endsWith('_total') ? 'counter' : 'gauge');
  for (const m of [
    'Active_anon_bytes',
    'Active_bytes',
    'Active_file_bytes',
    'AnonHugePages_bytes',
    'AnonPages_bytes',
    'Bounce_bytes',
    'Buffers_bytes',
    'Cached_bytes',
    'CommitLimit_bytes',
    'Committed_AS_bytes',
    'DirectMap1G_bytes',
    'DirectMap2M_bytes',
    'DirectMap4k_bytes',
    'Dirty_bytes',
    'HugePages_Free',
    'HugePages_Rsvd',
    'HugePages_Surp',
    'HugePages_Total',
    'Hugepagesize_bytes',
    'Inactive_anon_bytes',
    'Inactive_bytes',
    'Inactive_file_bytes',
    'KernelStack_bytes',
    'Mapped_bytes',
    'MemAvailable_bytes',
    'MemFree_bytes',
    'MemTotal_bytes',
    'Mlocked_bytes',
    'NFS_Unstable_bytes',
    'PageTables_bytes',
    'Percpu_bytes',
    'SReclaimable_bytes',
    'SUnreclaim_bytes',
    'ShmemHugePages_bytes',
    'Shmem_bytes',
    'Slab_bytes',
    'SwapCached_bytes',
    'SwapFree_bytes',
    'SwapTotal_bytes',
    'Unevictable_bytes',
    'VmallocChunk_bytes',
    'VmallocTotal_bytes',
    'VmallocUsed_bytes',
    'WritebackTmp_bytes',
    'Writeback_bytes',
  ])
    plain(`node_memory_${m}`, 'gauge');
  const nics = ['eth0', 'eth1', 'lo', 'docker0', 'veth1a2b3c', 'wlan0'].map((d) => `device="${d}"`);
  for (const m of [
    'address_assign_type',
    'carrier',
    'carrier_changes_total',
    'device_id',
    'dormant',
    'flags',
    'iface_id',
    'iface_link',
    'iface_link_mode',
    'mtu_bytes',
    'net_dev_group',
    'protocol_type',
    'receive_bytes_total',
    'receive_compressed_total',
    'receive_drop_total',
    'receive_errs_total',
    'receive_fifo_total',
    'receive_frame_total',
    'receive_multicast_total',
    'receive_packets_total',
    'speed_bytes',
    'transmit_bytes_total',
    'transmit_carrier_total',
    'transmit_colls_total',
    'transmit_compressed_total',
    'transmit_drop_total',
    'transmit_errs_total',
    'transmit_fifo_total',
    'transmit_packets_total',
    'transmit_queue_length',
    'up',
  ])
    labelled(`node_network_${m}`, m.endsWith('_total') ? 'counter' : 'gauge', nics);
  for (const m of [
    'Icmp6_InErrors',
    'Icmp6_InMsgs',
    'Icmp6_OutMsgs',
    'Icmp_InErrors',
    'Icmp_InMsgs',
    'Icmp_OutMsgs',
    'Ip6_InOctets',
    'Ip6_OutOctets',
    'IpExt_InOctets',
    'IpExt_OutOctets',
    'Ip_Forwarding',
    'TcpExt_ListenDrops',
    'TcpExt_ListenOverflows',
    'TcpExt_SyncookiesFailed',
    'TcpExt_SyncookiesRecv',
    'TcpExt_SyncookiesSent',
    'TcpExt_TCPSynRetrans',
    'TcpExt_TCPTimeouts',
    'Tcp_ActiveOpens',
    'Tcp_CurrEstab',
    'Tcp_InErrs',
    'Tcp_InSegs',
    'Tcp_OutRsts',
    'Tcp_OutSegs',
    'Tcp_PassiveOpens',
    'Tcp_RetransSegs',
    'Udp6_InDatagrams',
    'Udp6_InErrors',
    'Udp6_NoPorts',
    'Udp6_OutDatagrams',
    'Udp6_RcvbufErrors',
    'Udp6_SndbufErrors',
    'UdpLite6_InErrors',
    'UdpLite_InErrors',
    'Udp_InDatagrams',
    'Udp_InErrors',
    'Udp_NoPorts',
    'Udp_OutDatagrams',
    'Udp_RcvbufErrors',
    'Udp_SndbufErrors',
  ])
    plain(`node_netstat_${m}`, 'untyped');
  const chips = ['platform_coretemp_0', 'pci0000:00_0000:00:1d_0_0000:3d:00_0', 'thermal_thermal_zone0'];
  labelled(
    'node_hwmon_temp_celsius',
    'gauge',
    chips.flatMap((c) => ['temp1', 'temp2', 'temp3', 'temp4'].map((s) => `chip="${c}",sensor="${s}"`)),
  );
  labelled(
    'node_hwmon_temp_crit_celsius',
    'gauge',
    chips.flatMap((c) => ['temp1', 'temp2'].map((s) => `chip="${c}",sensor="${s}"`)),
  );
  const collectors = [
    'arp',
    'bcache',
    'bonding',
    'btrfs',
    'conntrack',
    'cpu',
    'cpufreq',
    'diskstats',
    'dmi',
    'edac',
    'entropy',
    'fibrechannel',
    'filefd',
    'filesystem',
    'hwmon',
    'infiniband',
    'ipvs',
    'loadavg',
    'mdadm',
    'meminfo',
    'netclass',
    'netdev',
    'netstat',
    'nfs',
    'nfsd',
    'nvme',
    'os',
    'powersupplyclass',
    'pressure',
    'rapl',
    'schedstat',
    'selinux',
    'sockstat',
    'softnet',
    'stat',
    'tapestats',
    'textfile',
    'thermal_zone',
    'time',
    'timex',
    'udp_queues',
    'uname',
    'vmstat',
    'xfs',
    'zfs',
  ];
  labelled(
    'node_scrape_collector_duration_seconds',
    'gauge',
    collectors.map((c) => `collector="${c}"`),
  );
  labelled(
    'node_scrape_collector_success',
    'gauge',
    collectors.map((c) => `collector="${c}"`),
  );
  labelled('node_uname_info', 'gauge', [
    'domainname="(none)",machine="x86_64",nodename="host-a1",release="6.5.0-14-generic",sysname="Linux",version="#14~22.04.1-Ubuntu SMP PREEMPT_DYNAMIC Mon Nov 20 18:15:30 UTC 2"',
  ]);
  for (const m of ['pgfault', 'pgmajfault', 'pgpgin', 'pgpgout', 'pswpin', 'pswpout', 'oom_kill']) plain(`node_vmstat_${m}`, 'untyped');
  for (const m of [
    'cpu_seconds_total',
    'max_fds',
    'open_fds',
    'resident_memory_bytes',
    'start_time_seconds',
    'virtual_memory_bytes',
    'virtual_memory_max_bytes',
  ])
    plain(`process_${m}`, m.endsWith('_total') ? 'counter' : 'gauge');
  labelled('promhttp_metric_handler_errors_total', 'counter', ['cause="encoding"', 'cause="gathering"']);
  labelled('promhttp_metric_handler_requests_total', 'counter', ['code="200"', 'code="500"', 'code="503"']);
  histogram('promhttp_metric_handler_request_duration_seconds', 'handler="/metrics"', [
    '0.005',
    '0.01',
    '0.025',
    '0.05',
    '0.1',
    '0.25',
    '0.5',
    '1',
    '2.5',
    '5',
    '10',
    '+Inf',
  ]);
  return `${out.join('\n')}\n`;
}

const ALL_POINTS = { counters: 'gauge', histograms: 'gauges', summaries: 'gauges', timestamps: 'keep' };

/** A converter kept across calls, as a scraper keeps one per target (its caches are warm after the first scrape). */
function converterOf(options, write) {
  const writer = write ? new LineWriter() : undefined;
  const state = { points: 0, text: '' };
  const c = new PrometheusConverter({ points: (b) => (writer === undefined ? (state.points += b.length) : (state.text += writer.write(b))) }, options);
  return (bytes) => {
    state.points = 0;
    state.text = '';
    c.reset();
    c.push(bytes);
    c.end();
    return write ? state.text : state.points;
  };
}

function convert(bytes, options, write) {
  return converterOf(options, write)(bytes);
}

function cpuPerCall(fn, minMs = 400) {
  for (let i = 0; i < 3; i++) fn();
  let calls = 0;
  const start = process.cpuUsage();
  let used = 0;
  while (used < minMs * 1000) {
    fn();
    calls++;
    const d = process.cpuUsage(start);
    used = d.user + d.system;
  }
  return used / calls; // µs per call
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const spread = (xs) => `[${Math.min(...xs).toFixed(2)}..${Math.max(...xs).toFixed(2)}]`;
const enc = (t) => new TextEncoder().encode(t);

/**
 * The peer's answer checked: one family per `# TYPE`, and every sample of the counter, gauge and
 * untyped families, with its labels. Its histograms and summaries are not whole: 1.1.1 folds all
 * the series of such a family into one metric keyed by `le` or `quantile` (flattenMetrics), dropping
 * the other labels and every labelled `_sum` and `_count` (it still reads and parses each line). So
 * it returns fewer samples than the page has (printed), and builds less output than we do.
 */
function checkPeer(corpus, text, families) {
  let types = 0;
  let plain = 0;
  let type = '';
  for (const l of text.split('\n')) {
    if (l.startsWith('# TYPE ')) {
      types++;
      type = l.slice(l.lastIndexOf(' ') + 1);
    } else if (l !== '' && !l.startsWith('#') && type !== 'histogram' && type !== 'summary') plain++;
  }
  let peerPlain = 0;
  let peerAll = 0;
  for (const f of families)
    for (const m of f.metrics) {
      const n = m.buckets
        ? Object.keys(m.buckets).length + (m.count !== undefined) + (m.sum !== undefined)
        : m.quantiles
          ? Object.keys(m.quantiles).length + 2
          : 1;
      peerAll += n;
      if (f.type !== 'HISTOGRAM' && f.type !== 'SUMMARY' && m.value !== undefined) peerPlain++;
    }
  if (families.length !== types) throw new Error(`${corpus}: the peer gave ${families.length} families for ${types}`);
  if (peerPlain !== plain) throw new Error(`${corpus}: the peer gave ${peerPlain} counter/gauge/untyped samples for ${plain}`);
  return peerAll;
}

/**
 * Times every contender on one corpus: two scrapes of one target (`texts`, the values differ), the
 * calls alternating between them, as a scraper reads a target again and again.
 */
function run(corpus, texts) {
  const bytes = texts.map(enc);
  const samples = texts[0].split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  // --- outputs checked before timing: ours and parseMetricsBatch give every sample of both scrapes
  let peerGave = 0;
  for (let k = 0; k < 2; k++) {
    const ours = convert(bytes[k], ALL_POINTS, false);
    if (ours !== samples) throw new Error(`${corpus}: ours gave ${ours} points for ${samples} samples`);
    peerGave = checkPeer(corpus, texts[k], parsePrometheusTextFormat(texts[k]));
  }
  const lines = bytes.map((b) => enc(convert(b, ALL_POINTS, true)));
  for (const l of lines) {
    const batch = parseMetricsBatch(l, { now: Date.now() });
    if (batch.length !== samples) throw new Error(`${corpus}: parseMetricsBatch gave ${batch.length} points for ${samples}`);
  }
  const warmBatch = converterOf(ALL_POINTS, false);
  const warmLines = converterOf(ALL_POINTS, true);
  const warmDefault = converterOf({}, true);
  warmDefault(bytes[0]); // the first scrape: counter baselines
  const lineDecoder = new MetricBatchDecoder({ now: 1_700_000_000_000 });
  const alternate = (fn) => {
    let k = 0;
    return () => fn((k ^= 1));
  };
  const contenders = {
    'ours: to batch (all points)': alternate((k) => warmBatch(bytes[k])),
    'ours: to lines (all points)': alternate((k) => warmLines(bytes[k])),
    // the second scrape again and again (deltas of 0): alternating would make every other one a reset
    'ours: default mapping, lines': () => warmDefault(bytes[1]),
    'ours: to batch, fresh converter': alternate((k) => convert(bytes[k], ALL_POINTS, false)),
    'parse-prometheus-text-format': alternate((k) => parsePrometheusTextFormat(texts[k])),
    'parseMetricsBatch (same points as lines)': alternate((k) => {
      lineDecoder.push(lines[k]);
      lineDecoder.end();
    }),
  };
  const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (let r = 0; r < ROUNDS; r++) for (const [k, fn] of Object.entries(contenders)) times[k].push(cpuPerCall(fn));

  console.log(
    `\n${corpus}: ${samples} samples (the peer's answer holds ${peerGave}), ${bytes[0].length} bytes; lines form ${lines[0].length} bytes; ${ROUNDS} rounds; node ${process.version}; CPU time`,
  );
  console.log('contender                                   median µs/call  [min..max]      M points/s');
  for (const [k, xs] of Object.entries(times)) {
    const m = median(xs);
    console.log(
      `${k.padEnd(44)} ${m.toFixed(0).padStart(10)}  [${Math.min(...xs).toFixed(0)}..${Math.max(...xs).toFixed(0)}]  ${(samples / m).toFixed(2).padStart(8)}`,
    );
  }
  const ours = times['ours: to batch (all points)'];
  const vsPeer = ours.map((t, i) => times['parse-prometheus-text-format'][i] / t);
  const vsBatch = ours.map((t, i) => t / times['parseMetricsBatch (same points as lines)'][i]);
  const linesVsPeer = times['ours: to lines (all points)'].map((t, i) => times['parse-prometheus-text-format'][i] / t);
  const freshVsPeer = times['ours: to batch, fresh converter'].map((t, i) => times['parse-prometheus-text-format'][i] / t);
  console.log(`ours (to batch) vs parse-prometheus-text-format: ${median(vsPeer).toFixed(2)}x faster, per round ${spread(vsPeer)} (target >= 10x)`);
  console.log(`ours (to lines) vs parse-prometheus-text-format: ${median(linesVsPeer).toFixed(2)}x faster, per round ${spread(linesVsPeer)}`);
  console.log(`ours (to batch, fresh converter) vs parse-prometheus-text-format: ${median(freshVsPeer).toFixed(2)}x faster, per round ${spread(freshVsPeer)}`);
  console.log(`ours (to batch) / parseMetricsBatch on the same points: ${median(vsBatch).toFixed(2)}x the time, per round ${spread(vsBatch)} (target <= 2x)`);
}

const CORPORA = {
  app: () => [exposition(FAMILIES), exposition(FAMILIES, 1)],
  node: () => [nodePage(), nodePage(1)],
};
for (const name of (process.argv[4] ?? 'app,node').split(',')) {
  const texts = CORPORA[name]();
  run(name === 'app' ? `app exposition (${FAMILIES} families)` : 'node_exporter-like page', texts);
}
