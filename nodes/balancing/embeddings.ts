/**
 * A user's own data: a Parquet file of embeddings with feature columns, an integer label `y`,
 * an integer group attribute `a` and a `split` column (train / val / test, or the authors'
 * tr / va / te, or 0 / 1 / 2). Every problem is an error naming the column.
 */
import { readFile } from 'node:fs/promises';
import type { Table } from 'apache-arrow';
import { arrow } from '../../engine/arrow.ts';
import { parquetWasm } from '../../engine/parquet-wasm.ts';
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { tensors } from '../../engine/ports.ts';
import { SPLITS, toBundle, type BalancingData, type Split, type SplitName } from './dataset.ts';

export const embeddingsParams = z.object({
  path: z.string().min(1),
  labelColumn: z.string().min(1).default('y'),
  attributeColumn: z.string().min(1).default('a'),
  splitColumn: z.string().min(1).default('split'),
  /** feature columns are the numeric columns starting with this prefix ('' = every other numeric column) */
  featurePrefix: z.string().default(''),
});
export type EmbeddingsParams = z.output<typeof embeddingsParams>;

export function readParquetTable(bytes: Uint8Array): Table {
  return arrow().tableFromIPC(parquetWasm().readParquet(bytes).intoIPCStream());
}

const SPLIT_NAMES: Readonly<Record<string, SplitName>> = {
  train: 'train', tr: 'train', '0': 'train',
  val: 'val', va: 'val', valid: 'val', validation: 'val', '1': 'val',
  test: 'test', te: 'test', '2': 'test',
};

function column(t: Table, name: string, role: string) {
  const c = t.getChild(name);
  if (!c) throw new Error(`embeddings: missing ${role} column "${name}" (columns: ${t.schema.fields.map((f) => f.name).join(', ')})`);
  return c;
}

function integerColumn(t: Table, name: string, role: string): Int32Array {
  const values = column(t, name, role).toArray() as ArrayLike<unknown>;
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const num = typeof v === 'bigint' ? Number(v) : v;
    if (typeof num !== 'number' || !Number.isInteger(num) || num < 0) {
      throw new Error(`embeddings: column "${name}" (${role}) must hold non-negative integers; row ${i} is ${JSON.stringify(typeof v === 'bigint' ? String(v) : v)}`);
    }
    out[i] = num;
  }
  return out;
}

export function embeddingsFromTable(t: Table, p: Omit<EmbeddingsParams, 'path'>): BalancingData {
  const { DataType } = arrow();
  const y = integerColumn(t, p.labelColumn, 'label');
  const a = integerColumn(t, p.attributeColumn, 'group attribute');
  const splitRaw = column(t, p.splitColumn, 'split').toArray() as ArrayLike<unknown>;
  const reserved = new Set([p.labelColumn, p.attributeColumn, p.splitColumn]);
  const features = t.schema.fields.filter((f) => !reserved.has(f.name) && f.name.startsWith(p.featurePrefix));
  for (const f of features) {
    if (!DataType.isFloat(f.type) && !DataType.isInt(f.type)) throw new Error(`embeddings: feature column "${f.name}" is ${f.type}, not numeric (set featurePrefix to select the feature columns)`);
  }
  if (features.length === 0) throw new Error(`embeddings: no feature columns${p.featurePrefix ? ` starting with "${p.featurePrefix}"` : ''}`);
  const splitOf = Array.from({ length: t.numRows }, (_, i) => {
    const s = SPLIT_NAMES[String(splitRaw[i]).toLowerCase()];
    if (!s) throw new Error(`embeddings: column "${p.splitColumn}" row ${i} is ${JSON.stringify(splitRaw[i])}; expected train/val/test (or tr/va/te, 0/1/2)`);
    return s;
  });
  const nLabels = Math.max(...y) + 1, nAttributes = Math.max(...a) + 1;
  if (nLabels < 2) throw new Error(`embeddings: column "${p.labelColumn}" has a single class`);
  const cols = features.map((f) => {
    const arr = t.getChild(f.name)!.toArray() as ArrayLike<number | bigint>;
    return Float32Array.from(arr as ArrayLike<number>, Number);
  });
  const d = cols.length;
  const build = (s: SplitName): Split => {
    const rows: number[] = [];
    for (let i = 0; i < t.numRows; i++) if (splitOf[i] === s) rows.push(i);
    const x = new Float32Array(rows.length * d);
    rows.forEach((r, i) => {
      for (let j = 0; j < d; j++) {
        const v = cols[j]![r]!;
        if (!Number.isFinite(v)) throw new Error(`embeddings: feature column "${features[j]!.name}" row ${r} is ${v}`);
        x[i * d + j] = v;
      }
    });
    const split: Split = { n: rows.length, d, x, y: Int32Array.from(rows, (r) => y[r]!), a: Int32Array.from(rows, (r) => a[r]!) };
    const seen = new Set<number>();
    for (let i = 0; i < split.n; i++) seen.add(nAttributes * split.y[i]! + split.a[i]!);
    for (let yy = 0; yy < nLabels; yy++) for (let aa = 0; aa < nAttributes; aa++) {
      if (!seen.has(nAttributes * yy + aa)) {
        throw new Error(`embeddings: split "${s}" has no examples of group ${p.labelColumn}=${yy}, ${p.attributeColumn}=${aa}; every (label, attribute) group must appear in train, val and test (column "${p.splitColumn}")`);
      }
    }
    return split;
  };
  const [train, val, test] = SPLITS.map(build) as [Split, Split, Split];
  return { train, val, test, nLabels, nAttributes };
}

export async function readEmbeddings(p: EmbeddingsParams): Promise<BalancingData> {
  const bytes = new Uint8Array(await readFile(p.path));
  return embeddingsFromTable(readParquetTable(bytes), p);
}

export const embeddingsNode = defineNode({
  name: 'balancing/parquet-embeddings',
  version: 1,
  description: "a user's embeddings (features, y, a, split) from Parquet, checked and split",
  module: import.meta.url,
  params: embeddingsParams,
  fileParams: ['path'],
  inputs: {},
  output: tensors,
  run: async ({ params }) => toBundle(await readEmbeddings(params)),
});
