/**
 * `npm init` writes `"type": "commonjs"`; a TS pipeline there cannot import featureflow, and Node's
 * own error ("Cannot require() ES Module … in a cycle") does not say why. The CLI names the fix.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commonjsHint } from '../../engine/module-type-hint.ts';
import { projectRoot } from '../../engine/project.ts';

const dir = join(projectRoot, 'test/fixtures/generated/commonjs-project');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function project(type: string | undefined): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cjs-user', version: '1.0.0', ...(type ? { type } : {}) }));
  const pipeline = join(dir, 'pipeline.ts');
  writeFileSync(
    pipeline,
    `import { definePipeline } from '../../../../index.ts';\nconst p = definePipeline({ name: 'cjs', description: 'x', module: import.meta.url });\nexport default p;\n`,
  );
  return pipeline;
}

describe('the "type": "commonjs" hint', () => {
  it('names the fix when the package says commonjs or nothing', () => {
    for (const type of ['commonjs', undefined]) {
      const hint = commonjsHint(project(type));
      expect(hint).toMatch(/package\.json says "type": .*set "type": "module" there/);
      expect(hint).not.toContain('\n');
    }
  });

  it('says nothing for an ES module package or an .mts file', () => {
    expect(commonjsHint(project('module'))).toBeUndefined();
    project('commonjs');
    expect(commonjsHint(join(dir, 'pipeline.mts'))).toBeUndefined();
  });

  it('is what `featureflow run` prints when a commonjs project fails to load its pipeline', () => {
    const pipeline = project('commonjs');
    const r = spawnSync(process.execPath, [join(projectRoot, 'bin/featureflow.mjs'), 'run', pipeline, '--store', join(dir, 'store')], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/^featureflow: .*package\.json says "type": "commonjs".*set "type": "module"/);
  });
});
