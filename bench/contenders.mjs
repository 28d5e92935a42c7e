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
    const f = p.slice(6).split(',').map((kv) => Number(kv.split('=')[1]));
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
