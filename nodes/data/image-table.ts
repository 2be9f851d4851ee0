/**
 * A labelled image split as an Arrow table: one row per image with `split` ('train' | 'test'),
 * `label`, `sourceIndex` (position among the source's images of that label) and `pixels`
 * (a fixed-size list of float32). Study metadata rides in the schema (engine/table.ts).
 */
import type { Data, FixedSizeList, Table } from 'apache-arrow';
import { arrow } from '../../engine/arrow.ts';
import { tableMetadata, withMetadata } from '../../engine/table.ts';

export interface LabelledImages {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly count: number;
}

export interface ImageSplit {
  readonly train: LabelledImages;
  readonly test: LabelledImages;
  /** pixels per image */
  readonly inputSize: number;
}

export interface ImageRows {
  readonly split: readonly ('train' | 'test')[];
  readonly label: Int32Array;
  readonly sourceIndex: Int32Array;
  /** rows×inputSize */
  readonly pixels: Float32Array;
  readonly inputSize: number;
}

export function imageTable(rows: ImageRows, metadata: unknown): Table {
  const { Field, FixedSizeList, Float32, Table, Utf8, makeData, makeVector, vectorFromArray } = arrow();
  const n = rows.label.length;
  const pixelType = new FixedSizeList(rows.inputSize, new Field('pixel', new Float32(), false));
  const pixels = makeVector(
    makeData({ type: pixelType, length: n, nullCount: 0, child: makeData({ type: new Float32(), length: n * rows.inputSize, data: rows.pixels }) }),
  );
  const t = new Table({
    split: vectorFromArray(rows.split as string[], new Utf8()),
    label: makeVector(rows.label),
    sourceIndex: makeVector(rows.sourceIndex),
    pixels,
  });
  return withMetadata(t, metadata);
}

/** The train and test arrays of an image table, in row order. */
export function imageSplit(table: Table): ImageSplit {
  const { FixedSizeList } = arrow();
  const pixelsColumn = table.getChild('pixels');
  const labelColumn = table.getChild('label');
  const splitColumn = table.getChild('split');
  if (!pixelsColumn || !labelColumn || !splitColumn || !(pixelsColumn.type instanceof FixedSizeList)) {
    throw new Error(`not an image table: needs columns split, label and pixels (fixed-size list); has ${table.schema.fields.map((f) => f.name).join(', ')}`);
  }
  const inputSize = (pixelsColumn.type as FixedSizeList).listSize;
  const n = table.numRows;
  const all = new Float32Array(n * inputSize);
  let row = 0;
  for (const chunk of pixelsColumn.data as Data<FixedSizeList>[]) {
    const child = chunk.children[0]!;
    const values = child.values as Float32Array;
    const from = (child.offset + chunk.offset * inputSize);
    all.set(values.subarray(from, from + chunk.length * inputSize), row * inputSize);
    row += chunk.length;
  }
  const labels = Int32Array.from(labelColumn.toArray() as ArrayLike<number>);
  const isTrain = Array.from({ length: n }, (_, i) => splitColumn.get(i) === 'train');
  const pick = (want: boolean): LabelledImages => {
    const idx = isTrain.flatMap((t, i) => (t === want ? [i] : []));
    const x = new Float32Array(idx.length * inputSize);
    const y = new Int32Array(idx.length);
    idx.forEach((src, k) => {
      x.set(all.subarray(src * inputSize, (src + 1) * inputSize), k * inputSize);
      y[k] = labels[src]!;
    });
    return { x, y, count: idx.length };
  };
  return { train: pick(true), test: pick(false), inputSize };
}

export { tableMetadata };
