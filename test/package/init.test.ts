/** `featureflow init [dir]`: the files it writes, and that it never overwrites. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initProject, packageNameFor } from '../../engine/cli/init.ts';
import { packageVersion, projectRoot } from '../../engine/project.ts';

const base = join(projectRoot, 'test/fixtures/generated/init');
afterAll(() => rmSync(base, { recursive: true, force: true }));
const fresh = (name: string) => {
  const dir = join(base, name);
  rmSync(dir, { recursive: true, force: true });
  return dir;
};

describe('featureflow init', () => {
  it('writes an ES module project that depends on this featureflow, with a strict NodeNext tsconfig', () => {
    const dir = fresh('My Study');
    expect(initProject(dir).sort()).toEqual(['.gitignore', 'README.md', 'nodes.ts', 'package.json', 'pipeline.ts', 'tsconfig.json']);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'my-study', type: 'module', dependencies: { featureflow: `^${packageVersion()}` } });
    const ts = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).compilerOptions;
    expect(ts).toMatchObject({ module: 'NodeNext', moduleResolution: 'NodeNext', strict: true });
    expect(ts.allowImportingTsExtensions).toBeUndefined();
    expect(readFileSync(join(dir, 'pipeline.ts'), 'utf8')).toMatch(/study\.grid\(/);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('npx featureflow run pipeline.ts');
  });

  it('refuses when a file it would write exists, writes nothing and names the file', () => {
    const dir = fresh('taken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'pipeline.ts'), '// mine\n');
    expect(() => initProject(dir)).toThrow(/already has pipeline\.ts.*never overwrites/);
    expect(readFileSync(join(dir, 'pipeline.ts'), 'utf8')).toBe('// mine\n');
    expect(existsSync(join(dir, 'nodes.ts'))).toBe(false);
  });

  it('is a CLI verb that exits 2 on refusal', () => {
    const dir = fresh('cli');
    const cli = (args: string[]) => spawnSync(process.execPath, [join(projectRoot, 'bin/featureflow.mjs'), ...args], { encoding: 'utf8' });
    const first = cli(['init', dir]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('npx featureflow run pipeline.ts');
    const again = cli(['init', dir]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^featureflow: init: .*already has package\.json/);
  });

  it('makes valid npm names from folder names', () => {
    expect(packageNameFor('/x/My Study (v2)')).toBe('my-study-v2');
    expect(packageNameFor('/x/___')).toBe('featureflow-project');
  });
});
