import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fingerprintAll, isOrchestrationModule } from '../../engine/fingerprint.ts';
import { projectRoot } from '../../engine/project.ts';

const dir = join(projectRoot, 'test/fixtures/generated/fingerprint');
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return pathToFileURL(path).href;
}

async function print(module: string) {
  return (await fingerprintAll([{ module }]))[0]!;
}

const helper = `export function scale(x: number): number {\n  return x * 2;\n}\n`;
const node = `import { scale } from './helper.ts';\nimport { Table } from 'apache-arrow';\nimport { defineNode } from '../../../../engine/node.ts';\nexport const k = () => scale(3) + (Table ? 1 : 0);\nexport const d = defineNode;\n`;

describe('code fingerprints', () => {
  it('ignore comment and whitespace edits', async () => {
    write('helper.ts', helper);
    const mod = write('node.ts', node);
    const before = await print(mod);
    write('helper.ts', `// a comment\nexport function scale(x: number): number {\n\n    /* doubled */ return x   *   2;\n}\n`);
    write('node.ts', `/** docs */\n${node.replace(/\n/g, '\n\n')}`);
    const after = await print(mod);
    expect(after.code).toBe(before.code);
  });

  it('change when an imported project module changes behaviour', async () => {
    write('helper.ts', helper);
    const mod = write('node.ts', node);
    const before = await print(mod);
    write('helper.ts', helper.replace('x * 2', 'x * 3'));
    const after = await print(mod);
    expect(after.code).not.toBe(before.code);
    expect(Object.keys(after.files).some((f) => f.endsWith('fingerprint/helper.ts'))).toBe(true);
  });

  it('record the installed versions of imported packages, and leave engine orchestration out', async () => {
    write('helper.ts', helper);
    const fp = await print(write('node.ts', node));
    expect(fp.depVersions['apache-arrow']).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(fp.files).some((f) => f === 'engine/node.ts')).toBe(false);
    expect(isOrchestrationModule('engine/run.ts')).toBe(true);
    expect(isOrchestrationModule('engine/compute/backends.ts')).toBe(false);
    expect(isOrchestrationModule('compute/mlp-js.ts')).toBe(false);
    expect(isOrchestrationModule('engine/random.ts')).toBe(false);
  });
});

describe('code fingerprints of computed imports', () => {
  it('change when a file a computed import() may load changes', async () => {
    mkdirSync(join(dir, 'models'), { recursive: true });
    writeFileSync(join(dir, 'models', 'a.ts'), 'export const k = 1;\n');
    const mod = write('loader.ts', "import { defineNode } from '../../../../engine/node.ts';\nexport const d = defineNode;\nexport const load = (m: string) => import(`./models/${m}.ts`);\n");
    const before = (await fingerprintAll([{ module: mod, node: 'x/loader' }]))[0]!;
    writeFileSync(join(dir, 'models', 'a.ts'), 'export const k = 2;\n');
    const after = (await fingerprintAll([{ module: mod, node: 'x/loader' }]))[0]!;
    expect(after.code).not.toBe(before.code);
  });
});
