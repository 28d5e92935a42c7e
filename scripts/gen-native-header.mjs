#!/usr/bin/env node
// Generates native/src/generated.h from the TypeScript protocol tables (src/protocol/*.ts and the
// line kinds of src/metrics/view.ts): rule codes, line kinds, the record layout, the char-class
// tables, the fixed words of the grammar, the summary tolerance, and the C++ `Options` struct with
// its reader and defaults. The C++ scanner includes only this header for protocol data, so the two
// sides cannot drift apart (test/native/header.test.ts checks that the committed file is fresh).
//
//   node scripts/gen-native-header.mjs            writes the header
//   node scripts/gen-native-header.mjs --stdout   prints it
//
// Needs esbuild (a dev dependency, through tsup): the header is committed, so installing the
// package never runs this.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const HEADER_PATH = join(root, 'native', 'src', 'generated.h');

/** Bundles the tables out of the TS sources and imports them. */
async function loadTables() {
  const entry = [
    "export { RuleCode } from './src/protocol/rules.ts';",
    "export * as chars from './src/protocol/chars.ts';",
    "export { WORDS } from './src/protocol/words.ts';",
    "export { METRICS_DEFAULTS, SUMMARY_TOLERANCE } from './src/protocol/options.ts';",
    "export { LineKind, PayloadType, KeySuffix, MetaProp } from './src/metrics/view.ts';",
    "export { NATIVE_OPTION_SLOTS, NativeOption, NativeHeader, NativeRecord, NativeNumber, KEY_HASH_FNV, packNativeOptions } from './src/protocol/native-layout.ts';",
  ].join('\n');
  const out = await build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: 'gen-entry.ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
  });
  return import('data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64'));
}

function enumBlock(name, prefix, obj) {
  const lines = [`enum ${name} : int32_t {`];
  for (const [k, v] of Object.entries(obj)) {
    if (!Number.isInteger(v)) throw new Error(`${name}.${k} is not an integer`);
    lines.push(`  ${prefix}${k} = ${v},`);
  }
  lines.push('};', '');
  return lines.join('\n');
}

/** A 256-entry byte table, 16 per row with the characters they stand for (undici's style). */
function tableBlock(name, table) {
  const lines = [`constexpr uint8_t ${name}[256] = {`];
  for (let row = 0; row < 256; row += 16) {
    const cells = [];
    let chars = '';
    for (let c = row; c < row + 16; c++) {
      cells.push(String(table[c]).padStart(3));
      chars += c > 32 && c < 127 && c !== 92 ? String.fromCharCode(c) : '.';
    }
    lines.push(`    ${cells.join(',')},  // ${String(row).padStart(3)}-${String(row + 15).padStart(3)} ${chars}`);
  }
  lines.push('};', '');
  return lines.join('\n');
}

function cString(s) {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c < 32 || c > 126 || ch === '"' || ch === '\\') throw new Error(`word ${JSON.stringify(s)} needs escaping`);
    out += ch;
  }
  return `"${out}"`;
}

function snake(slot) {
  return slot.toLowerCase();
}

export async function generate() {
  const t = await loadTables();
  const c = t.chars;
  const classBits = Object.entries(c).filter(([k, v]) => /^C_[A-Z_]+$/.test(k) && typeof v === 'number');
  const delimiters = ['LF', 'CR', 'SPACE', 'QUOTE', 'HASH', 'COMMA', 'MINUS', 'DOT', 'EQUALS', 'BACKSLASH', 'UNDERSCORE'];
  const slots = t.NATIVE_OPTION_SLOTS;
  // the defaults with now = 0: the timestamp bounds are then -past and +future, relative to now
  const packed = t.packNativeOptions({ ...t.METRICS_DEFAULTS, now: 0 }, { wantNumbers: false, skipValid: false });
  const defaults = slots.map((_d, k) => (Number.isFinite(packed[k]) ? String(packed[k]) : 'INFINITY'));
  const out = [
    '// generated, do not edit: produced by scripts/gen-native-header.mjs from src/protocol/*.ts and',
    '// src/metrics/view.ts. Run `npm run build:native` after changing those tables.',
    '#pragma once',
    '#include <cmath>',
    '#include <cstddef>',
    '#include <cstdint>',
    '',
    'namespace dt {',
    '',
    '// ---- rule codes (src/protocol/rules.ts) -----------------------------------------------------',
    enumBlock('RuleCode', 'RC_', t.RuleCode),
    '// ---- what a line is and what it holds (src/metrics/view.ts) ----------------------------------',
    enumBlock('LineKind', 'KIND_', t.LineKind),
    enumBlock('PayloadType', 'PT_', t.PayloadType),
    enumBlock('KeySuffix', 'KS_', t.KeySuffix),
    enumBlock('MetaProp', 'META_', t.MetaProp),
    '// ---- the layout shared with the JS side (src/protocol/native-layout.ts) ----------------------',
    enumBlock('NativeOption', 'OPT_', t.NativeOption),
    enumBlock('NativeHeader', 'HDR_', t.NativeHeader),
    enumBlock('NativeRecord', 'REC_', t.NativeRecord),
    enumBlock('NativeNumber', 'NUM_', t.NativeNumber),
    '// ---- character classes (src/protocol/chars.ts) ----------------------------------------------',
    ...classBits.map(([k, v]) => `constexpr uint8_t ${k} = ${v};`),
    '',
    tableBlock('CHAR_CLASS', c.CHAR_CLASS),
    '// metadata unit characters, 1 or 0',
    tableBlock('UNIT_CHAR', c.UNIT_CHAR),
    ...delimiters.map((k) => `constexpr uint8_t ${k} = ${c[k]};`),
    '',
    '// ---- the fixed words of the grammar (src/protocol/words.ts) ------------------------------------',
    ...Object.entries(t.WORDS).flatMap(([k, v]) => [`constexpr char W_${k}[] = ${cString(v)};`, `constexpr size_t W_${k}_LEN = ${v.length};`]),
    '',
    '// FNV-1a parameters of the metric key hash (hashKeyBytes in src/protocol/native-layout.ts)',
    `constexpr uint32_t KEY_HASH_OFFSET = ${t.KEY_HASH_FNV.OFFSET >>> 0}u;`,
    `constexpr uint32_t KEY_HASH_PRIME = ${t.KEY_HASH_FNV.PRIME >>> 0}u;`,
    '',
    '// tolerance of the summary check min - t <= sum/count <= max + t (src/protocol/options.ts)',
    `constexpr double SUMMARY_TOLERANCE = ${String(t.SUMMARY_TOLERANCE)};`,
    '',
    '// ---- options, in the order of the options array (src/protocol/native-layout.ts) -------------',
    '// Limits stay doubles: the JS options are any non-negative numbers (Infinity, fractions), and',
    '// comparing an integer count with the same double gives the same answer on both sides.',
    'struct Options {',
    ...slots.map((d) => `  ${d.type} ${snake(d.slot)};${d.note ? `  // ${d.note.replace(/`/g, '')}` : ''}`),
    '',
    '  // Reads the options array (OPT_COUNT doubles).',
    '  static Options from_array(const double* a) {',
    '    Options o;',
    ...slots.map((d) => `    o.${snake(d.slot)} = ${d.type === 'bool' ? `a[OPT_${d.slot}] != 0` : `a[OPT_${d.slot}]`};`),
    '    return o;',
    '  }',
    '};',
    '',
    '// The default options (METRICS_DEFAULTS) with now = 0: add now to OPT_TIMESTAMP_MIN and _MAX.',
    `constexpr double DEFAULT_OPTIONS[OPT_COUNT] = {${defaults.join(', ')}};`,
    '',
    '}  // namespace dt',
    '',
  ];
  return out.join('\n');
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const text = await generate();
  if (process.argv.includes('--stdout')) process.stdout.write(text);
  else writeFileSync(HEADER_PATH, text);
}
