import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Float64, Utf8, vectorFromArray } from 'apache-arrow';
import { readEmbeddings, embeddingsParams, runStudy, fromBundle, embeddingsNode } from '../../nodes/balancing/index.ts';
import { embeddingsColumns, parquetOf } from '../fixtures/balancing/make-embeddings.ts';
import { runTyped } from '../stats/run-node.ts';
import { tableMetadata } from '../../engine/table.ts';

const dir = mkdtempSync(join(tmpdir(), 'featureflow-embeddings-'));
const file = (name: string, bytes: Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
let good = '';

beforeAll(() => {
  good = file('good.parquet', parquetOf(embeddingsColumns()));
});

describe('reading a Parquet file of embeddings', () => {
  it('splits features, y and a by the split column', async () => {
    const data = await readEmbeddings(embeddingsParams.parse({ path: good }));
    expect([data.train.n, data.val.n, data.test.n]).toEqual([120, 120, 120]);
    expect(data.train.d).toBe(16);
    expect(data.nLabels).toBe(2);
    expect(data.nAttributes).toBe(2);
    expect(data.gamma).toBeUndefined();
  });
  it('the node emits the same data as a tensor bundle', async () => {
    const data = fromBundle(await runTyped(embeddingsNode, { params: { path: good } }));
    expect(data.val.d).toBe(16);
  });
  it('names a missing column', async () => {
    const cols = embeddingsColumns();
    delete cols.a;
    const p = file('missing.parquet', parquetOf(cols));
    await expect(readEmbeddings(embeddingsParams.parse({ path: p }))).rejects.toThrow(/missing group attribute column "a"/);
  });
  it('names the split, the group and the columns when a split lacks a group', async () => {
    const cols = embeddingsColumns();
    const split = cols.split!.toArray() as string[];
    const y = cols.y!.toArray() as Int32Array, a = cols.a!.toArray() as Int32Array;
    // relabel every val example of group (y=1, a=0) as a=1
    const a2 = Array.from(a, (v, i) => (split[i] === 'val' && y[i] === 1 && v === 0 ? 1 : v));
    const p = file('nogroup.parquet', parquetOf({ ...cols, a: vectorFromArray(a2, new Float64()) }));
    await expect(readEmbeddings(embeddingsParams.parse({ path: p }))).rejects.toThrow(/split "val" has no examples of group y=1, a=0/);
  });
  it('names a label column that is not integer', async () => {
    const cols = embeddingsColumns();
    const y = Array.from(cols.y!.toArray() as Int32Array, (v, i) => (i === 5 ? 0.5 : v));
    const p = file('float-labels.parquet', parquetOf({ ...cols, y: vectorFromArray(y, new Float64()) }));
    await expect(readEmbeddings(embeddingsParams.parse({ path: p }))).rejects.toThrow(/column "y" \(label\) must hold non-negative integers; row 5 is 0.5/);
    const s = Array.from(cols.y!.toArray() as Int32Array, (v) => (v ? 'yes' : 'no'));
    const q = file('string-labels.parquet', parquetOf({ ...cols, y: vectorFromArray(s, new Utf8()) }));
    await expect(readEmbeddings(embeddingsParams.parse({ path: q }))).rejects.toThrow(/column "y"/);
  });
  it('accepts integer-valued float labels and the authors\' tr/va/te split names', async () => {
    const cols = embeddingsColumns();
    const y = Array.from(cols.y!.toArray() as Int32Array);
    const s = Array.from(cols.split!.toArray() as string[], (v) => v.slice(0, 1) + (v === 'train' ? 'r' : v === 'val' ? 'a' : 'e'));
    const p = file('floats.parquet', parquetOf({ ...cols, y: vectorFromArray(y, new Float64()), split: vectorFromArray(s, new Utf8()) }));
    const data = await readEmbeddings(embeddingsParams.parse({ path: p }));
    expect(data.test.n).toBe(120);
  });
});

describe("the seven methods on a user's embeddings", () => {
  for (const head of [{ kind: 'linear', hidden: 1, bias: true }, { kind: 'mlp', hidden: 8, bias: true }] as const) {
    it(`run end to end with a ${head.kind} head and put the thesis' Waterbirds numbers beside`, async () => {
      const data = await readEmbeddings(embeddingsParams.parse({ path: good }));
      const study = runStudy({
        dataFor: () => data,
        dataset: 'waterbirds',
        seeds: [0, 1, 2],
        lrs: [0.05],
        weightDecays: [0],
        jtt: { T: [2], up: [5] },
        epochs: 8,
        batchSize: 32,
        head,
      });
      const t = study.table;
      expect(t.numRows).toBe(7);
      expect(t.getChild('thesis_dataset')!.get(0)).toBe('Waterbirds');
      expect(t.getChild('method')!.toArray()).toEqual(['ERM', 'JTT', 'RWY', 'SUBY', 'RWG', 'SUBG', 'gDRO']);
      expect(t.getChild('thesis_mean')!.get(5)).toBe(89.1);
      for (let i = 0; i < 7; i++) {
        const m = t.getChild('test_worst_group_mean')!.get(i) as number;
        expect(m).toBeGreaterThanOrEqual(0);
        expect(m).toBeLessThanOrEqual(100);
      }
      expect((tableMetadata(t) as { thesisDataset: string }).thesisDataset).toBe('Waterbirds');
      // group-balanced training beats ERM on the spuriously correlated groups
      const mean = (name: string) => study.results.find((r) => r.method === name)!.mean;
      expect(mean('SUBG')).toBeGreaterThan(mean('ERM'));
    });
  }
});
