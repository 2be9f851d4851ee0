import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { definePipeline, gather, type PipelineBuilder } from '../../engine/pipeline.ts';
import { expandPipeline } from '../../engine/expand.ts';
import { PipelineError } from '../../engine/errors.ts';
import { json, many, table } from '../../engine/ports.ts';
import { columnsTable } from '../../engine/table.ts';

const source = defineNode({
  name: 'test/source',
  version: 1,
  module: import.meta.url,
  params: z.object({ a: z.number().default(0), b: z.number().min(0).default(0), name: z.string().default('x') }),
  inputs: {},
  output: table,
  run: () => columnsTable({ x: [1] }),
});
const mapper = defineNode({
  name: 'test/mapper',
  version: 1,
  module: import.meta.url,
  params: z.object({ k: z.number().default(1) }),
  inputs: { t: table },
  output: table,
  run: ({ inputs }) => inputs.t,
});
const reducer = defineNode({
  name: 'test/reducer',
  version: 1,
  module: import.meta.url,
  params: z.object({}),
  inputs: { ts: many(table) },
  output: json<number>(),
  run: ({ inputs }) => inputs.ts.length,
});

const fresh = () => definePipeline({ name: 'x', description: 'test', module: import.meta.url });

describe('sweep expansion', () => {
  it('expands a grid to the Cartesian product and a zip to one cell per index', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), (na, nb, nz) => {
        const p = fresh();
        const { a, b } = p.grid({ a: [...Array(na).keys()], b: [...Array(nb).keys()] });
        p.step('g', source, { params: { a, b } });
        const z2 = p.zip('z', { a: [...Array(nz).keys()], b: [...Array(nz).keys()].map((i) => i * 2) });
        p.step('zz', source, { params: { a: z2.a, b: z2.b } });
        const e = expandPipeline(p);
        const zz = e.tasks.filter((t) => t.step === 'zz');
        return e.tasks.filter((t) => t.step === 'g').length === na * nb && zz.length === nz && zz.every((t) => (t.params as { b: number }).b === 2 * (t.params as { a: number }).a);
      }),
    );
  });

  it('names tasks <step>[axis=value,…] and fills defaults into params', () => {
    const p = fresh();
    const a = p.axis('a', [1, 2]);
    p.step('s', source, { params: { a } });
    const e = expandPipeline(p);
    expect(e.tasks.map((t) => t.name)).toEqual(['s[a=1]', 's[a=2]']);
    expect(e.tasks[0]!.params).toEqual({ a: 1, b: 0, name: 'x' });
  });

  it('maps downstream cells onto upstream cells and gathers along an axis', () => {
    const p = fresh();
    const { a, b } = p.grid({ a: [1, 2, 3], b: [10, 20] });
    const s = p.step('s', source, { params: { a, b } });
    const m = p.step('m', mapper, { inputs: { t: s } });
    p.step('r', reducer, { inputs: { ts: gather(m, 'a') } });
    const e = expandPipeline(p);
    const m12 = e.tasks.find((t) => t.name === 'm[a=1,b=20]')!;
    expect(e.tasks[m12.inputs.t!.tasks[0]!]!.name).toBe('s[a=1,b=20]');
    const r = e.tasks.filter((t) => t.step === 'r');
    expect(r.map((t) => t.name)).toEqual(['r[b=10]', 'r[b=20]']);
    expect(r[1]!.inputs.ts!.tasks.map((id) => e.tasks[id]!.name)).toEqual(['m[a=1,b=20]', 'm[a=2,b=20]', 'm[a=3,b=20]']);
  });

  it('replaces a sweep with --set on a swept param, and sweeps a list given for a scalar param', () => {
    const p = fresh();
    const a = p.axis('a', [1, 2, 3]);
    p.step('s', source, { params: { a } });
    expect(expandPipeline(p, new Map([['s.a', 7]])).tasks.map((t) => t.name)).toEqual(['s[a=7]']);
    expect(expandPipeline(p, new Map([['a', [4, 5]]])).tasks.map((t) => t.name)).toEqual(['s[a=4]', 's[a=5]']);
    expect(expandPipeline(p, new Map<string, unknown>([['s.b', [1, 2]]])).tasks).toHaveLength(6);
  });

  describe('reports mistakes before anything runs, naming the thing', () => {
    const cases: Array<[string, (p: PipelineBuilder) => void, Map<string, unknown> | undefined, RegExp]> = [
      ['an invalid param value', (p) => p.step('s', source, { params: { b: -1 } }), undefined, /s: parameter b=-1: .*test\/source/],
      ['an unknown param in --set', (p) => p.step('s', source, {}), new Map([['s.nope', 1]]), /no parameter "nope".*a, b, name/],
      ['an unknown step in --set', (p) => p.step('s', source, {}), new Map([['t.a', 1]]), /no step "t".*steps: s/],
      ['an ill-typed --set', (p) => p.step('s', source, {}), new Map([['s.a', 'abc']]), /s: parameter a="abc"/],
      ['an unknown axis in --set', (p) => p.step('s', source, {}), new Map([['seed', 1]]), /no step parameter or axis named "seed"/],
    ];
    it.each(cases)('%s', (_name, build, overrides, message) => {
      const p = fresh();
      build(p);
      expect(() => expandPipeline(p, overrides)).toThrow(PipelineError);
      expect(() => expandPipeline(p, overrides)).toThrow(message);
    });

    it('a duplicate step name', () => {
      const p = fresh();
      p.step('s', source, {});
      expect(() => p.step('s', source, {})).toThrow(/duplicate step name "s"/);
    });

    it('a missing input and an unknown upstream (hand-built wiring)', () => {
      const p = fresh();
      (p.steps as Map<string, unknown>).set('m', { name: 'm', node: mapper, params: {}, inputs: {} });
      expect(() => expandPipeline(p)).toThrow(/step m: missing input "t"/);
      const q = fresh();
      (q.steps as Map<string, unknown>).set('m', { name: 'm', node: mapper, params: {}, inputs: { t: { step: 'ghost', gather: null } } });
      expect(() => expandPipeline(q)).toThrow(/unknown step "ghost"/);
    });

    it('a cycle', () => {
      const p = fresh();
      (p.steps as Map<string, unknown>).set('m1', { name: 'm1', node: mapper, params: {}, inputs: { t: { step: 'm2', gather: null } } });
      (p.steps as Map<string, unknown>).set('m2', { name: 'm2', node: mapper, params: {}, inputs: { t: { step: 'm1', gather: null } } });
      expect(() => expandPipeline(p)).toThrow(/cycle among steps m1 → m2/);
    });

    it('gathering along an axis the upstream does not vary on', () => {
      const p = fresh();
      p.axis('a', [1]);
      const s = p.step('s', source, {});
      p.step('r', reducer, { inputs: { ts: gather(s, 'a') } });
      expect(() => expandPipeline(p)).toThrow(/gathers over axis "a"/);
    });
  });
});

describe('file params', () => {
  it('put the content hash of a named file into the canonical params, so new contents give a new key', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const reader = defineNode({
      name: 'test/reader',
      version: 1,
      module: import.meta.url,
      params: z.object({ path: z.string() }),
      fileParams: ['path'],
      inputs: {},
      output: table,
      run: () => columnsTable({ x: [1] }),
    });
    const file = join(mkdtempSync(join(tmpdir(), 'ff-file-')), 'data.bin');
    writeFileSync(file, 'one');
    const p = fresh();
    p.step('r', reader, { params: { path: file } });
    const first = expandPipeline(p).tasks[0]!.paramsCanonical;
    expect(expandPipeline(p).tasks[0]!.paramsCanonical).toBe(first);
    writeFileSync(file, 'two');
    expect(expandPipeline(p).tasks[0]!.paramsCanonical).not.toBe(first);
    const q = fresh();
    q.step('r', reader, { params: { path: `${file}.missing` } });
    expect(() => expandPipeline(q)).toThrow(/r: parameter path=".*missing": no such file or folder/);
  });
});

describe('file params of a folder', () => {
  it('hash every file under it, in subfolders and behind links', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, symlinkSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { contentHash } = await import('../../engine/params.ts');
    const root = mkdtempSync(join(tmpdir(), 'ff-folder-'));
    mkdirSync(join(root, 'data', 'train'), { recursive: true });
    writeFileSync(join(root, 'data', 'train', 'x.bin'), 'a');
    writeFileSync(join(root, 'elsewhere.bin'), 'b');
    symlinkSync(join(root, 'elsewhere.bin'), join(root, 'data', 'linked.bin'));
    const before = contentHash(join(root, 'data'));
    writeFileSync(join(root, 'data', 'train', 'x.bin'), 'changed');
    const afterNested = contentHash(join(root, 'data'));
    writeFileSync(join(root, 'elsewhere.bin'), 'changed too');
    const afterLinked = contentHash(join(root, 'data'));
    expect(new Set([before, afterNested, afterLinked]).size).toBe(3);
  });
});
