/**
 * Character classes of the Prometheus text format 0.0.4 and OpenMetrics 1.0 (the exposition
 * formats' ABNF): one 256-entry table of flags, read by the converter's hot loop with one load and
 * one mask per byte.
 *
 * - metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*`
 * - label names: `[a-zA-Z_][a-zA-Z0-9_]*`
 * - blanks between tokens: space and tab (0.0.4 allows runs of either; OpenMetrics one space)
 *
 * @module
 */

/** A metric name may start with the byte. */
export const P_NAME_START = 1;
/** A metric name may continue with the byte. */
export const P_NAME = 2;
/** A label name may start with the byte. */
export const P_LABEL_START = 4;
/** A label name may continue with the byte. */
export const P_LABEL = 8;
/** Space or tab. */
export const P_BLANK = 16;

function buildPromTable(): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122); // A-Z a-z
    const digit = c >= 48 && c <= 57; // 0-9
    let f = 0;
    if (alpha || c === 95 /* _ */ || c === 58 /* : */) f |= P_NAME_START | P_NAME;
    if (digit) f |= P_NAME | P_LABEL;
    if (alpha || c === 95 /* _ */) f |= P_LABEL_START | P_LABEL;
    if (c === 32 /* space */ || c === 9 /* tab */) f |= P_BLANK;
    t[c] = f;
  }
  return t;
}

/**
 * Flags ({@link P_NAME_START}, {@link P_NAME}, {@link P_LABEL_START}, {@link P_LABEL},
 * {@link P_BLANK}) of each byte; every byte of 128 and above has none.
 * @example (PROM_CHAR[0x3a] & P_NAME) !== 0 // true: ':' continues a metric name
 */
export const PROM_CHAR: Uint8Array = /* @__PURE__ */ buildPromTable();
