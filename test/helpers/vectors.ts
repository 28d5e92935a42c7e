import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One row of test/fixtures/vectors/metrics.tsv (a copy of the shared vectors). */
export interface VectorRow {
  kind: string;
  input: string;
  expect: string;
  detail: string;
  evidence: string;
  /** 1-based row number in the file (for test names). */
  row: number;
}

/** Decodes the input column: `\t` `\n` `\r` `\uXXXX`; any other backslash is literal (vectors/README.md). */
export function decodeVectorInput(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      const d = s[i + 1]!;
      if (d === 't') {
        out += '\t';
        i++;
        continue;
      }
      if (d === 'n') {
        out += '\n';
        i++;
        continue;
      }
      if (d === 'r') {
        out += '\r';
        i++;
        continue;
      }
      if (d === 'u' && i + 5 < s.length + 0 && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
        i += 5;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** The vendored copies of the shared vectors (see test/fixtures/README.md for their origin). */
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** All rows of the metrics vectors. */
export function loadMetricVectors(): VectorRow[] {
  const text = readFileSync(FIXTURES_DIR + 'vectors/metrics.tsv', 'utf8');
  const lines = text.split('\n');
  const rows: VectorRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const [kind = '', input = '', expect = '', detail = '', evidence = ''] = line.split('\t');
    rows.push({ kind, input: decodeVectorInput(input), expect, detail: decodeVectorInput(detail), evidence, row: i + 1 });
  }
  return rows;
}
