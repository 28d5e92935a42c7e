#!/usr/bin/env node
// Generates native/src/rules.h from the TypeScript sources (src/protocol/rules.ts, src/metrics/view.ts,
// src/protocol/native-layout.ts), so the C++ addon and the TypeScript reference share one table.
//
//   node scripts/gen-rules-header.mjs            writes the header
//   node scripts/gen-rules-header.mjs --stdout   prints it (the test compares this to the file)
//
// Needs esbuild (a dev dependency, through tsup): the header is committed, so installing the
// package never runs this.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles the constant objects out of the TS sources and imports them. */
async function loadTables() {
  const entry = [
    "export { RuleCode } from './src/protocol/rules.ts';",
    "export { LineKind, PayloadType, KeySuffix } from './src/metrics/view.ts';",
    "export { NativeOption, NativeHeader, NativeRecord, NativeNumber } from './src/protocol/native-layout.ts';",
  ].join('\n');
  const out = await build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: 'gen-entry.ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].text;
  return import('data:text/javascript;base64,' + Buffer.from(code).toString('base64'));
}

function block(name, prefix, obj) {
  const lines = [`/* ${name} */`, `enum ${name} : int32_t {`];
  for (const [k, v] of Object.entries(obj)) {
    if (!Number.isInteger(v)) throw new Error(`${name}.${k} is not an integer`);
    lines.push(`  ${prefix}${k} = ${v},`);
  }
  lines.push('};', '');
  return lines.join('\n');
}

export async function generate() {
  const t = await loadTables();
  return [
    '// generated, do not edit: produced by scripts/gen-rules-header.mjs from src/protocol/rules.ts,',
    '// src/metrics/view.ts and src/protocol/native-layout.ts. Run `npm run build:native`.',
    '#pragma once',
    '#include <cstdint>',
    '',
    'namespace dt {',
    '',
    block('RuleCode', 'RC_', t.RuleCode),
    block('LineKind', 'KIND_', t.LineKind),
    block('PayloadType', 'PT_', t.PayloadType),
    block('KeySuffix', 'KS_', t.KeySuffix),
    block('NativeOption', 'OPT_', t.NativeOption),
    block('NativeHeader', 'HDR_', t.NativeHeader),
    block('NativeRecord', 'REC_', t.NativeRecord),
    block('NativeNumber', 'NUM_', t.NativeNumber),
    '}  // namespace dt',
    '',
  ].join('\n');
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const text = await generate();
  if (process.argv.includes('--stdout')) process.stdout.write(text);
  else writeFileSync(join(root, 'native', 'src', 'rules.h'), text);
}
