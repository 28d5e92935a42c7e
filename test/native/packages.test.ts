/**
 * The platform packages and the main package agree: every target of scripts/native-platforms.mjs has
 * its npm/<target>/package.json as the script writes it (name, version, os/cpu/libc), the main package
 * lists exactly them as optional dependencies at its own version, the loader derives the same names,
 * and the main package has no install script and ships what its README and help point to (docs/, the
 * changelog, the example, action.yml).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nativePackageName } from '../../src/backend/node-addon.js';
import { PLATFORMS } from '../../scripts/native-platforms.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown> & {
  version: string;
  scripts: Record<string, string>;
  files: string[];
  optionalDependencies: Record<string, string>;
};

describe('the platform packages', () => {
  it('npm/<target>/package.json are as scripts/native-platforms.mjs writes them (node scripts/native-platforms.mjs)', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'native-platforms.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('each is named as the loader looks for it, for its os, cpu and libc, at the main version', () => {
    for (const p of PLATFORMS) {
      const m = JSON.parse(readFileSync(join(root, 'npm', p.target, 'package.json'), 'utf8')) as Record<string, unknown>;
      expect(m.name).toBe(nativePackageName(p.os, p.cpu, p.libc));
      expect(m.version).toBe(pkg.version);
      expect(m.os).toEqual([p.os]);
      expect(m.cpu).toEqual([p.cpu]);
      expect(m.libc).toEqual(p.libc === undefined ? undefined : [p.libc]);
      expect(m.scripts).toBeUndefined();
    }
    expect(Object.keys(pkg.optionalDependencies).sort()).toEqual(PLATFORMS.map((p) => nativePackageName(p.os, p.cpu, p.libc)).sort());
    for (const v of Object.values(pkg.optionalDependencies)) expect(v).toBe(pkg.version);
  });
});

describe('the main package', () => {
  it('has no install script, and no dependency that needs one (node-gyp-build is gone)', () => {
    for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[s], s).toBeUndefined();
    expect(pkg.dependencies).not.toHaveProperty('node-gyp-build');
    expect(pkg.gypfile).toBeUndefined();
  });

  it('ships the docs, the changelog, the example and action.yml, and leaves out the ESM twin of the CLI', () => {
    for (const f of ['docs', 'CHANGELOG.md', 'examples', 'action.yml', '!dist/cli.js']) expect(pkg.files).toContain(f);
    for (const f of ['CHANGELOG.md', 'action.yml', 'docs/cli.md', 'docs/packaging.md']) expect(existsSync(join(root, f)), f).toBe(true);
    expect(pkg.files).not.toContain('native/prebuilds');
  });

  it('action.yml runs dt-ingest validate with SARIF, uploads it, then fails as the CLI exit code says', () => {
    const action = readFileSync(join(root, 'action.yml'), 'utf8');
    expect(action).toMatch(/^ {2}using: composite$/m);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the action's own ${{ }} and shell ${} syntax
    expect(action).toContain('validate "${DT_INGEST_FAMILY}" ${{ inputs.files }} ${{ inputs.args }} --format sarif --output-file "${DT_INGEST_SARIF}"');
    expect(action).toContain('uses: github/codeql-action/upload-sarif@v3');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the action's own ${{ }} syntax
    expect(action.indexOf('upload-sarif@v3')).toBeLessThan(action.indexOf('run: exit ${{ steps.validate.outputs.exit-code }}'));
  });
});
