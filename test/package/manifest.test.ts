/**
 * What the package promises in package.json and ships in its tarball (issue 13: "exports at .ts",
 * "262 files, 93 of them tests, benches or docs", "invalid: file:native"). Reads the manifest and
 * `npm pack --dry-run` (scripts ignored, so no build runs and nothing is written).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../engine/project.ts';

const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { types: string; default: string }>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
};

function packedFiles(): string[] {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: projectRoot, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
}

describe('package manifest', () => {
  it('exports compiled JavaScript with declarations; TS sources only under the development condition', () => {
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (subpath === './package.json') continue;
      expect(typeof target, subpath).toBe('object');
      const t = target as Record<string, string>;
      expect(Object.keys(t), subpath).toEqual(['featureflow-sources', 'types', 'default']);
      expect(t.default, subpath).toMatch(/^\.\/dist\/.*\.js$/);
      expect(t.types, subpath).toMatch(/^\.\/dist\/.*\.d\.ts$/);
      expect(t['featureflow-sources'], subpath).toMatch(/^\.\/[^/]+(\/\*)?\.ts$|^\.\/pipelines\/\*\.ts$/);
    }
  });

  it('has a light engine entry and one subpath per study', () => {
    expect(Object.keys(manifest.exports)).toEqual(expect.arrayContaining(['.', './core', './studies/*']));
  });

  it('declares what user code needs at run time as dependencies (no phantom zod or rxjs)', () => {
    for (const dep of ['zod', 'rxjs', 'tsx', 'apache-arrow']) expect(manifest.dependencies[dep], dep).toBeDefined();
  });

  it('has no file: dependency, which an installed copy cannot resolve (npm ls: invalid "file:native")', () => {
    const all = { ...manifest.dependencies, ...manifest.optionalDependencies, ...manifest.devDependencies };
    expect(Object.entries(all).filter(([, spec]) => spec.startsWith('file:'))).toEqual([]);
  });

  it("builds the native addon from its own install script, beside the loader it ships", () => {
    expect(manifest.scripts.install).toBe('node native/scripts/install.cjs');
  });

  it('builds dist/ before packing', () => {
    expect(manifest.scripts.prepack).toMatch(/npm run build/);
    expect(manifest.scripts.build).toBeDefined();
  });
});

describe('the tarball', () => {
  const files = packedFiles();

  it('ships no tests, benches, docs, CI scripts or build leftovers', () => {
    const unwanted = files.filter((f) => /^(test|bench|docs|artifacts|results|scripts|\.ci)\/|\.test\.ts$|^native\/build|build-status\.json$|^(tsconfig|vitest)/.test(f));
    expect(unwanted).toEqual([]);
  });

  it('ships the TS sources that code fingerprints hash, and the native sources the install step compiles', () => {
    for (const f of ['index.ts', 'core.ts', 'engine/node.ts', 'pipelines/teacher-student.ts', 'nodes/teacher-student/index.ts', 'native/src/addon.c', 'native/binding.gyp', 'native/scripts/install.cjs', 'native/index.cjs', 'bin/featureflow.mjs', 'README.md', 'package.json']) {
      expect(files, f).toContain(f);
    }
  });
});
