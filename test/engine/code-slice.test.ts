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
