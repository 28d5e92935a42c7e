// Deterministic JSON bodies for the event benchmark (bench/events.mjs) and the peer agreement test
// (test/unit/events/peers.test.ts). One seeded PRNG for the module: the bodies depend on the order of the
// calls, so bench/events.mjs builds them in a fixed order (generic, Smartscape, synthetic).
let seed = 0x2f6b1d;
const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const pick = (a) => a[Math.floor(rand() * a.length)];
const hex16 = () => Array.from({ length: 16 }, () => '0123456789ABCDEF'[Math.floor(rand() * 16)]).join('');
export const NOW = Date.UTC(2024, 0, 1);

/** A generic events array (schemas/generic-events.schema.json) of about `targetBytes` bytes of JSON. */
export function genericBody(targetBytes) {
  const events = [];
  let size = 2;
  for (let i = 0; size < targetBytes; i++) {
    const ev = {
      'event.type': pick(['CUSTOM_INFO', 'CUSTOM_ALERT', 'AVAILABILITY_EVENT']),
      'event.id': i,
      title: `Event number ${i} from the benchmark generator`,
      timestamp: NOW - Math.floor(rand() * 3_600_000),
      'dt.source_entity': `HOST-${hex16()}`,
      'event.provider': 'bench',
      properties: { region: pick(['eu-west-1', 'us-east-1']), value: rand() * 100, tags: ['a', 'b'] },
    };
    const s = JSON.stringify(ev);
    size += s.length + 1;
    events.push(ev);
  }
  return events;
}

/**
 * The same generic events with each epoch-millisecond `timestamp` written as an ISO 8601 (RFC 3339)
 * string, `2024-01-01T00:00:00.000Z`: the same instants, so the verdicts are the same. Draws nothing
 * from the PRNG.
 */
export function withIsoTimestamps(events) {
  return events.map((ev) => ({ ...ev, timestamp: new Date(ev.timestamp).toISOString() }));
}

/** A Smartscape batch (schemas/smartscape-events.schema.json) of `n` events: even ones Mode 2 (type + id_components), odd ones Mode 1 (id). */
export function smartscapeBody(n) {
  const events = [];
  for (let i = 0; i < n; i++) {
    const ev = i % 2 === 0 ? { 'event.version': 1, type: 'HOST', id_components: [{ hostname: `host-${i}.example.com` }] } : { id: `HOST-${hex16()}` };
    ev['dt.security_context'] = 'ctx';
    ev.update_lifetime = true;
    ev.timestamp = '2024-01-01T00:00:00Z';
    ev.name = `host-${i}`;
    ev['ext.custom.region'] = pick(['eu-west-1', 'us-east-1']);
    ev['tags:ext.source'] = { env: 'production', team: 'core' };
    ev.static_edges = { belongs_to: [{ type: 'HOST_GROUP', id_components: [{ group: `grp-${i % 10}` }] }] };
    ev.dynamic_edges = { runs_on: [{ id: `PROCESS_GROUP_INSTANCE-${hex16()}` }, { id: `PROCESS_GROUP_INSTANCE-${hex16()}` }] };
    events.push(ev);
  }
  return events;
}

/** A third-party synthetic body (schemas/synthetic-tests.schema.json) with `monitors` monitors, 3 locations, 3 steps each. */
export function syntheticBody(monitors) {
  const locations = [1, 2, 3].map((k) => ({ id: `Linz${k}`, ip: `127.0.0.${k}`, name: `Linz${k}` }));
  const tests = [];
  const testResults = [];
  for (let m = 0; m < monitors; m++) {
    const locs = m % 2 === 0 ? ['Linz1', 'Linz2'] : ['Linz2', 'Linz3'];
    tests.push({
      id: `3rdPartySyntheticMonitor${m}`,
      title: `example of synthetic monitor - ${m}`,
      scheduleIntervalInSeconds: 300,
      locations: locs.map((id) => ({ id })),
      steps: [1, 2, 3].map((id) => ({ id, title: `Step${m}-${id}` })),
    });
    testResults.push({
      id: `3rdPartySyntheticMonitor${m}`,
      totalStepCount: 3,
      locationResults: locs.map((id, k) => ({
        id,
        startTimestamp: NOW - 10_000 + k,
        success: true,
        stepResults: [1, 2, 3].map((s) => ({ id: s, startTimestamp: NOW - 10_000 + k, responseTimeMillis: Math.floor(rand() * 10_000) })),
      })),
    });
  }
  return {
    syntheticEngineName: 'My third-party synthetic',
    syntheticEngineIconUrl: 'https://static.thenounproject.com/png/1745-200.png',
    messageTimestamp: NOW,
    locations,
    tests,
    testResults,
  };
}

/**
 * The same generic events as users send them with entity ids: each event names its host and process
 * group instance by `dt.entity.*` properties (the OneAgent-style keys of Dynatrace events), derived
 * from the event's index (no PRNG draw, so the bodies above stay the same).
 */
export function withEntityIds(events) {
  const id = (type, i) => `${type}-${(0x1000_0000_0000 + i * 7919).toString(16).toUpperCase().padStart(16, '0')}`;
  return events.map((ev, i) => ({
    ...ev,
    'dt.entity.host': id('HOST', i % 50),
    'dt.entity.process_group_instance': id('PROCESS_GROUP_INSTANCE', i % 200),
    'dt.entity.service': id('SERVICE', i % 20),
  }));
}

/**
 * A custom device push (schemas/custom-device.schema.json) with `series` series of `points` data points
 * each, inside the 30-minute window before NOW. Its own seeded PRNG, so the bodies above stay the same.
 */
export function customDeviceBody(series, points) {
  let s = 0x51ed27;
  const r = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const out = {
    displayName: 'Coffee machine 7',
    group: 'coffee-machines',
    type: 'coffee',
    favicon: 'https://example.com/coffee.png',
    configUrl: 'https://example.com/coffee/7',
    ipAddresses: ['10.0.0.7', '2001:db8::7'],
    listenPorts: [80, '8080'],
    hostNames: ['coffee-7.example.com'],
    tags: ['kitchen', 'floor-3'],
    properties: { vendor: 'Acme', model: 'Brew 3000' },
    series: [],
  };
  for (let i = 0; i < series; i++) {
    const dataPoints = [];
    for (let j = 0; j < points; j++) dataPoints.push([NOW - 1_500_000 + j * 1000 + Math.floor(r() * 500), Math.round(r() * 10_000) / 100]);
    out.series.push({ timeseriesId: `custom:coffee.metric${i % 20}`, dimensions: { cup: `c${i % 8}`, size: r() < 0.5 ? 'small' : 'large' }, dataPoints });
  }
  return out;
}
