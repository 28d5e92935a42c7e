/**
 * Writes the points of a {@link MetricBatch} as metrics line protocol text: the converters' output
 * stage. A converter fills the batch with keys and dimensions that already pass the rules (through
 * the normalizers of `produce/normalize.ts`), so this only spells them: dimension values with the
 * backslash escapes of `produce/escape.ts`, numbers with `formatMetricNumber` (shortest round trip),
 * payloads as the serializer writes them (`gauge,<v>`, `count,delta=<d>`,
 * `gauge,min=..,max=..,sum=..,count=..`), the timestamp when one is set (`-1`: none).
 *
 * A {@link LineWriter} caches the written form of each interned string (by id, forgotten when the
 * batch's string table starts afresh), so a key or dimension that repeats is escaped once.
 *
 * @module
 */
import { VALUE_STRIDE, type MetricBatch } from '../metrics/batch.js';
import { PayloadType } from '../metrics/view.js';
import { escapeDimensionValue } from '../produce/escape.js';
import { formatMetricNumber } from '../produce/serialize.js';

/**
 * Turns batches into lines, reusing the escaped spelling of every string it has written.
 * @example
 * const writer = new LineWriter();
 * const converter = prometheusConverter({ points: (batch) => out.push(writer.write(batch)) });
 */
export class LineWriter {
  /** Escaped dimension values by string id (`undefined`: not yet written). */
  private escaped: (string | undefined)[] = [];
  private generation = -1;
  private strings: unknown = undefined;

  /**
   * The lines of points `[from, to)` of `batch`, each followed by LF (`''` for none).
   * @example new LineWriter().write(parseMetricsBatch('a,b=c\\ d 1\n')) // 'a,b=c\\ d gauge,1\n'
   */
  write(batch: MetricBatch, from = 0, to: number = batch.length): string {
    if (batch.generation !== this.generation || batch.strings !== this.strings) {
      this.escaped = [];
      this.generation = batch.generation;
      this.strings = batch.strings;
    }
    const strings = batch.strings;
    const escaped = this.escaped;
    const v = batch.values;
    let out = '';
    for (let p = from; p < to; p++) {
      let line = strings.text(batch.keys[p]!);
      for (let k = batch.dimOffsets[p]!, e = batch.dimOffsets[p + 1]!; k < e; k++) {
        const id = batch.dimValues[k]!;
        let value = escaped[id];
        if (value === undefined) escaped[id] = value = escapeDimensionValue(strings.text(id));
        line += ',' + strings.text(batch.dimKeys[k]!) + '=' + value;
      }
      const at = p * VALUE_STRIDE;
      const type = batch.types[p]!;
      if (type === PayloadType.COUNT) line += ' count,delta=' + formatMetricNumber(v[at]!, 'count delta');
      else if (type === PayloadType.SUMMARY)
        line += ` gauge,min=${formatMetricNumber(v[at]!)},max=${formatMetricNumber(v[at + 1]!)},sum=${formatMetricNumber(v[at + 2]!)},count=${String(v[at + 3]!)}`;
      else line += ' gauge,' + formatMetricNumber(v[at]!, 'gauge value');
      const ts = batch.timestamps[p]!;
      if (ts >= 0) line += ' ' + String(ts);
      out += line + '\n';
    }
    return out;
  }
}

/**
 * The lines of every point of a batch (a fresh {@link LineWriter}; keep one across batches instead).
 * @example writeBatchLines(parseMetricsBatch('cpu,host=a 1\n')) // 'cpu,host=a gauge,1\n'
 */
export function writeBatchLines(batch: MetricBatch): string {
  return new LineWriter().write(batch);
}
