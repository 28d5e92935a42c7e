/**
 * The documentation stays true: the generated tables (rules, options, performance) equal a fresh
 * generation from the tables; every relative link of the README and docs/ reaches a file and, with an
 * anchor, a heading of it; the README is a front page (at most 250 lines) that starts with the two
 * commands CI runs, and .ci/run runs exactly those.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string): string => readFileSync(join(root, file), 'utf8');
const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/**
 * Links that may not resolve yet, each with the reason. docs/native.md is written on the native
 * branch (the lead merges it); remove the entry then.
 */
const PENDING: Readonly<Record<string, string>> = {};

describe('generated tables', () => {
  it('docs/rules.md, docs/options.md and docs/performance.md are a fresh generation (node scripts/gen-docs.mjs)', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'gen-docs.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('hold what the tables hold (the generator is not empty-handed)', () => {
    const rules = read('docs/rules.md');
    expect(rules).toContain('| 3 | `metric-key-char` | error | `invalid metric key` |');
    expect(rules).toContain('| `smartscape-id-pattern` | error | structural |');
    expect(rules.match(/^\| `[a-z0-9-]+` \| (error|warning|info) \| (structural|semantic|request) \|/gm)?.length).toBeGreaterThanOrEqual(50);
    const options = read('docs/options.md');
    for (const row of [
      '| `maxBodyBytes` | `1_048_576` |',
      '| `eventsMaxBodyBytes` | `10_485_760` |',
      '| `summaryRelativeTolerance` | `1e-9` |',
      "| `host` | `'127.0.0.1'` |",
    ])
      expect(options).toContain(row);
    expect(read('docs/performance.md')).toContain(
      read('bench/RESULTS.md')
        .split('\n')
        .find((l) => l.startsWith('| body-1mb | dt-validate-js'))!,
    );
  });
});

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  const out = new Set<string>();
  for (const m of text.matchAll(/^#{1,6} (.+)$/gm)) out.add(slug(m[1]!));
  for (const m of text.matchAll(/<a id="([^"]+)"/g)) out.add(m[1]!);
  return out;
}

describe('links', () => {
  for (const doc of documents) {
    it(`every relative link of ${doc} resolves`, () => {
      // code blocks and inline code are not links
      const text = read(doc)
        .replace(/^```[\s\S]*?^```/gm, '')
        .replace(/`[^`\n]*`/g, '');
      const broken: string[] = [];
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^(https?|mailto):/.test(target)) continue;
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const file = path === '' ? join(root, doc) : resolve(dirname(join(root, doc)), path);
        const name = relative(root, file);
        if (PENDING[name] !== undefined) continue;
        if (!existsSync(file)) broken.push(`${target} (no ${name})`);
        else if (anchor !== undefined && !statSync(file).isDirectory() && !anchorsOf(file).has(anchor))
          broken.push(`${target} (no heading #${anchor} in ${name})`);
      }
      expect(broken).toEqual([]);
    });
  }

  it('the pending links are still pending (remove them from PENDING once they exist)', () => {
    for (const file of Object.keys(PENDING)) expect(existsSync(join(root, file)), file).toBe(false);
  });
});

describe('the README', () => {
  const readme = read('README.md');
  const firstBlock = /^```sh\n([\s\S]*?)\n```/m.exec(readme)![1]!;
  const commands = firstBlock.split('\n').map((l) => l.replace(/#.*$/, '').trim());

  it('is a front page: at most 250 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
  });

  it('starts with the two commands', () => {
    expect(readme.startsWith('# dt-ingest\n\n```sh\n')).toBe(true);
    expect(commands).toEqual(['npm install && npm run example', 'npm test']);
    expect(readme).toContain('npm install dt-ingest');
  });

  it('.ci/run prepares the machine, then runs exactly those two commands (npm flags aside)', () => {
    const script = read('.ci/run')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('set ') && !l.startsWith('cd '))
      .map((l) => l.replace(/ --no-audit| --no-fund/g, ''));
    // the one line before them installs what the machine lacks (a Chromium), never a project step
    expect(script).toEqual(['bash .ci/prepare-machine', ...commands]);
    expect(read('.ci/prepare-machine')).not.toMatch(/\bnpm\b|\bnode\b/);
  });
});
