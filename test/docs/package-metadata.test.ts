/**
 * The package names one home (issue 23: findable from npm): `repository`, `homepage` and `bugs` point
 * at the same repository, and the JSON Schemas' `$id`s live under it, so a move is one edit here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  repository?: { type?: string; url?: string };
  homepage?: string;
  bugs?: { url?: string };
  files?: string[];
};

describe('package metadata', () => {
  const home = (pkg.repository?.url ?? '').replace(/^git\+/, '').replace(/\.git$/, '');

  it('names one repository for the source, the home page and the issues', () => {
    expect(pkg.repository?.type).toBe('git');
    expect(home).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    expect(pkg.homepage).toBe(`${home}#readme`);
    expect(pkg.bugs?.url).toBe(`${home}/issues`);
  });

  it('places every JSON Schema $id under that repository', () => {
    const dir = new URL('schemas/', root);
    const schemas = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(schemas.length).toBeGreaterThan(0);
    for (const f of schemas) {
      const id = (JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { $id?: string }).$id;
      expect(id, f).toBe(`${home}/schemas/${f}`);
    }
  });

  it('ships the docs and the changelog the README links to', () => {
    expect(pkg.files).toEqual(expect.arrayContaining(['docs', 'CHANGELOG.md', 'README.md', 'schemas', 'examples']));
  });
});
