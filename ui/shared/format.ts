/**
 * Small formatting helpers shared by the inspector and the playground. Everything they return is
 * plain text: the pages put it into the DOM as text nodes, never as HTML.
 */

/** `1.2 KB`, `3.4 MB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** `13:04:05.123` local time. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const p = (x: number, n = 2): string => String(x).padStart(n, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** The status class for colouring: `s2`, `s4`, `s5`. */
export function statusClass(status: number): string {
  return `status s${Math.floor(status / 100)}`;
}

/** A number as the endpoint would print it, short. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  // large values with an SI prefix (17.58 G, not 1.758e+10); tiny ones in exponent form
  for (const [n, p] of [
    [1e15, 'P'],
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
  ] as const)
    if (a >= n) return `${String(Math.round((v / n) * 100) / 100)} ${p}`;
  if (a !== 0 && a < 1e-3) return v.toExponential(3);
  return String(Math.round(v * 1000) / 1000);
}

/** Splits text into lines as the endpoints count them (LF; a CR before it is not part of the line). */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/** Quotes a string for a POSIX shell (single quotes; a quote inside becomes '\''). */
export function shellQuote(s: string): string {
  return `'${s.split("'").join("'\\''")}'`;
}

/** `1 error`, `2 errors`, `1,500 problems` (`many` for a word whose plural is not `word + s`). */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}
