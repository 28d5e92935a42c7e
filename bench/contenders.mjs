// Contenders of the metrics benchmark. Each takes a Uint8Array body (or chunks for the stream
// scenario) and returns { lines, invalid } so its output can be checked before it is timed.

/** The floor of what JS can do: read every byte once (and count LFs). */
export function byteLoop(buf) {
  let lines = 0;
  let acc = 0;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    acc = (acc + c) | 0;
    if (c === 10) lines++;
  }
  return { lines, invalid: acc === -1 ? 1 : 0 };
}

// --- a naive split/regex validator, as exporters and proxies often write one ----------------------
const KEY = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;
const DIM_KEY = /^[a-z_][a-z0-9_:-]*(\.[a-z_][a-z0-9_:-]*)*$/;
const TOKEN = /(?:[^ "\\]|\\.|"(?:[^"\\]|\\.)*")+/g;
const DIM = /(?:[^,"\\]|\\.|"(?:[^"\\]|\\.)*")+/g;
const NUM = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function naiveLine(line) {
  const tokens = line.match(TOKEN);
  if (!tokens || tokens.length < 2 || tokens.length > 3) return false;
  const parts = tokens[0].match(DIM);
  if (!KEY.test(parts[0]) || parts[0].startsWith('dt.')) return false;
  for (let i = 1; i < parts.length; i++) {
    const eq = parts[i].indexOf('=');
    if (eq < 1 || !DIM_KEY.test(parts[i].slice(0, eq))) return false;
  }
  const p = tokens[1];
  if (p.startsWith('gauge,min=')) {
    const f = p
      .slice(6)
      .split(',')
      .map((kv) => Number(kv.split('=')[1]));
    if (f.length !== 4 || f.some((x) => !Number.isFinite(x))) return false;
    const [min, max, sum, count] = f;
    return count > 0 ? min - 1e-6 <= sum / count && sum / count <= max + 1e-6 : min === 0 && max === 0 && sum === 0;
  }
  const v = p.startsWith('gauge,') ? p.slice(6) : p.startsWith('count,delta=') ? p.slice(12) : p;
  return NUM.test(v);
}

/** Splits the text into lines and each line into tokens with string operations and regexes. */
export function naiveSplit(buf) {
  const text = new TextDecoder().decode(buf);
  let lines = 0;
  let invalid = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    lines++;
    if (line.startsWith('#')) continue;
    if (!naiveLine(line)) invalid++;
  }
  return { lines, invalid };
}

// --- renderings of the same records for the general-purpose parsers --------------------------------
// Each corpus line becomes one record: key, dimensions (k=v;k=v), type, value, timestamp. An invalid
// line (as dt-ingest judges it) is rendered with an empty value, so a contender's "invalid" count is
// the number of records without a value: the same line and error counts as every other contender.

/** Records of a body as dt-ingest's typed parse sees them (done once, outside the timing). */
export function recordsOf(lib, body, now) {
  const out = [];
  const p = new lib.MetricsParser({ now, backend: 'js', maxBodyBytes: Infinity }, (view) => {
    if (view.error !== 0) out.push({ key: view.text().slice(0, 40), dims: '', type: 'invalid', value: null, ts: null });
    else if (view.kind === lib.LineKind.METADATA) out.push({ key: view.key(), dims: '', type: 'meta', value: 0, ts: null });
    else {
      const pt = lib.pointOf(view);
      const v = pt.value ?? pt.delta ?? pt.sum ?? 0;
      out.push({
        key: pt.key,
        dims: Object.entries(pt.dimensions ?? {})
          .map(([k, x]) => `${k}=${x}`)
          .join(';'),
        type: pt.type ?? 'gauge',
        value: v,
        ts: pt.timestamp ?? null,
      });
    }
  });
  p.push(body);
  p.end();
  return out;
}

const csvField = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
export function toCsv(records) {
  return (
    records
      .map((r) => [csvField(r.key), csvField(r.dims), r.type, r.value === null ? '' : String(r.value), r.ts === null ? '' : String(r.ts)].join(','))
      .join('\n') + '\n'
  );
}
export function toNdjson(records) {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** `JSON.parse` per line of the NDJSON rendering. */
export function ndjsonParse(text) {
  let lines = 0;
  let invalid = 0;
  let s = 0;
  for (;;) {
    const nl = text.indexOf('\n', s);
    if (nl < 0) break;
    if (nl > s) {
      lines++;
      if (JSON.parse(text.slice(s, nl)).value === null) invalid++;
    }
    s = nl + 1;
  }
  return { lines, invalid };
}

/** uDSV on the CSV rendering (typed rows as arrays). */
export function udsvParse(initParser, schema, text) {
  const parser = initParser(schema);
  const rows = parser.stringArrs(text);
  let invalid = 0;
  for (const r of rows) if (r[3] === '') invalid++;
  return { lines: rows.length, invalid };
}

/** papaparse on the CSV rendering. */
export function papaParse(Papa, text) {
  const { data } = Papa.parse(text, { skipEmptyLines: true });
  let invalid = 0;
  for (const r of data) if (r[3] === '') invalid++;
  return { lines: data.length, invalid };
}

/** split2 for line splitting alone: the chunks through the Transform, counting lines. */
export function split2Lines(split2, chunks) {
  return new Promise((resolve, reject) => {
    let lines = 0;
    const s = split2();
    s.on('data', () => lines++);
    s.on('end', () => resolve({ lines, invalid: 0 }));
    s.on('error', reject);
    for (const c of chunks) s.write(c);
    s.end();
  });
}
