import { describe, expect, it } from 'vitest';
import { transformSync } from 'esbuild';
import { sliceForNode } from '../../engine/code-slice.ts';

/** The slicer reads esbuild's minified output, as the fingerprint does. */
const slice = (ts: string, node: string) => sliceForNode(transformSync(ts, { loader: 'ts', format: 'esm', minifyWhitespace: true }).code, node);

const module = (extra = '') => `
import { z } from 'zod';
import { defineNode, definePipeline } from 'featureflow';
import { helper, unused } from './helpers.ts';
import './polyfill.ts';
const SCALE = 2;
const table: Record<string, number> = {};
table.a = 1;
function penalty(x: number) { return helper(x) * SCALE + (table.a ?? 0); }
function other() { return unused(); }
export const a = defineNode({ name: 'm/a', module: import.meta.url, params: z.object({}), run: () => penalty(1) });
export const b = defineNode({ name: 'm/b', module: import.meta.url, params: z.object({}), run: () => other() });
const p = definePipeline({ name: 'p' });
p.step('a', a, { params: { lambda: [1, 2, 3] } });
${extra}
export default p;
`;

describe('the code slice of one node', () => {
  it("holds the node's definition, the helpers and state it uses, their imports and side-effect imports", () => {
    const s = slice(module(), 'm/a')!;
    expect(s.text).toContain('penalty');
    expect(s.text).toContain('SCALE=2');
    expect(s.text).toContain('table.a=1'); // a statement that mutates state the node reads
    expect(s.text).toContain('import {helper as helper} from "./helpers.ts"');
    expect(s.imports).toEqual(['./helpers.ts', './polyfill.ts', 'featureflow', 'zod']);
  });

  it('leaves out the neighbouring node, its helpers and the pipeline wiring', () => {
    const s = slice(module(), 'm/a')!;
    expect(s.text).not.toContain('m/b');
    expect(s.text).not.toContain('other');
    expect(s.text).not.toContain('unused');
    expect(s.text).not.toContain('lambda');
    expect(slice(module('p.step("b", b, {});'), 'm/a')!.text).toBe(s.text);
  });

  it('changes when a helper the node calls changes, and not for a neighbour', () => {
    const base = slice(module(), 'm/a')!.text;
    expect(slice(module().replace('* SCALE', '* SCALE * 3'), 'm/a')!.text).not.toBe(base);
    expect(slice(module().replace("run: () => other()", "run: () => other() + 1"), 'm/a')!.text).toBe(base);
  });

  it('falls back to the whole module when no statement names the node literally', () => {
    expect(slice(module(), 'm/computed')).toBeUndefined();
  });
});

/** A behavioural edit to code the node reaches must change its slice (or make the whole module count). */
describe('the code slice never drops code the node can reach', () => {
  const node = (run: string) => `export const n = defineNode({ name: 'm/n', module: import.meta.url, run: () => ${run} });\nexport const other = defineNode({ name: 'm/other', run: () => 1 });\np.step('n', n, {});\n`;
  const cases: Array<[string, string, string]> = [
    ['a name held in a constant', `const NAME = 'm/n';\nexport const n = defineNode({ name: NAME, run: () => 1 });`, `const NAME = 'm/n';\nexport const n = defineNode({ name: NAME, run: () => 2 });`],
    ['state a called function fills', `const arr = [];\nfunction fill() { arr.push(1); }\nfill();\n${node('arr.length')}`, `const arr = [];\nfunction fill() { arr.push(2, 3); }\nfill();\n${node('arr.length')}`],
    ['an imported object changed at load', `import cfg from './cfg.ts';\ncfg.scale = 2;\n${node('cfg.scale')}`, `import cfg from './cfg.ts';\ncfg.scale = 3;\n${node('cfg.scale')}`],
    ['a class static block', `let g = 0;\nclass S { static { g = 1; } }\n${node('g')}`, `let g = 0;\nclass S { static { g = 2; } }\n${node('g')}`],
    ['a var declared in a top-level block', `if (true) { var k = 1; }\n${node('k')}`, `if (true) { var k = 2; }\n${node('k')}`],
    ['a property set on the node itself', `${node('1')}n.factor = 1;\n`, `${node('1')}n.factor = 2;\n`],
    ['a function reassigned', `function h() { return 1; }\nh = () => 5;\n${node('h()')}`, `function h() { return 1; }\nh = () => 6;\n${node('h()')}`],
  ];
  it.each(cases)('%s', (_what, before, after) => {
    const a = slice(before, 'm/n');
    const b = slice(after, 'm/n');
    expect(a === undefined || b === undefined || a.text !== b.text).toBe(true);
  });

  it('counts the whole module when it imports a computed path', () => {
    expect(slice(`${node('1')}export const load = (m: string) => import(\`./models/\${m}.ts\`);`, 'm/n')).toBeUndefined();
  });

  it('still leaves out the wiring and the neighbouring node', () => {
    const text = slice(`import { z } from 'zod';\n${node('z.string()')}study.output('x', other);\n`, 'm/n')!.text;
    expect(text).not.toContain('m/other');
    expect(text).not.toContain('study');
  });
});
