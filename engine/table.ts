import type { Table, Vector } from 'apache-arrow';
import { arrow } from './arrow.ts';

export type ColumnValues = Float64Array | Float32Array | Int32Array | Uint8Array | readonly number[] | readonly string[] | readonly boolean[];

/** The schema-metadata key under which a table carries its study metadata (JSON). */
export const METADATA_KEY = 'featureflow';

/**
 * Build an Arrow table from equal-length columns, with `metadata` (any JSON) stored in the
 * schema so that it travels into Parquet and every export.
 */
export function columnsTable(columns: Readonly<Record<string, ColumnValues>>, metadata?: unknown): Table {
  const lengths = new Set(Object.values(columns).map((c) => c.length));
  if (lengths.size > 1) {
    throw new RangeError(`columnsTable: columns differ in length (${Object.entries(columns).map(([k, c]) => `${k}: ${c.length}`).join(', ')})`);
  }
  // Strings become plain Utf8, never dictionaries: dictionary ids are process-global counters
  // in apache-arrow, which would make the same table serialise to different bytes.
  const { Bool, Table, Utf8, vectorFromArray } = arrow();
  const vectors: Record<string, Vector> = {};
  for (const [name, values] of Object.entries(columns)) {
    if (ArrayBuffer.isView(values)) vectors[name] = vectorFromArray(values as Float64Array);
    else if (typeof values[0] === 'string') vectors[name] = vectorFromArray(values as string[], new Utf8());
    else if (typeof values[0] === 'boolean') vectors[name] = vectorFromArray(values as boolean[], new Bool());
    else vectors[name] = vectorFromArray(Float64Array.from(values as number[]));
  }
  const t = new Table(vectors);
  return metadata === undefined ? t : withMetadata(t, metadata);
}

export function withMetadata(t: Table, metadata: unknown): Table {
  const { RecordBatch, Schema, Table } = arrow();
  const meta = new Map(t.schema.metadata);
  meta.set(METADATA_KEY, JSON.stringify(metadata));
  const schema = new Schema(t.schema.fields, meta);
  return new Table(schema, t.batches.map((b) => new RecordBatch(schema, b.data)));
}

export function tableMetadata(t: Table): unknown {
  const raw = t.schema.metadata.get(METADATA_KEY);
  return raw === undefined ? undefined : JSON.parse(raw);
}

/** A column as a plain float64 array (numbers) — convenient for numeric nodes. */
export function numericColumn(t: Table, name: string): Float64Array {
  const col = t.getChild(name);
  if (!col) throw new Error(`table has no column "${name}" (columns: ${t.schema.fields.map((f) => f.name).join(', ')})`);
  return Float64Array.from(col.toArray() as ArrayLike<number>, Number);
}

export function tableToBytes(t: Table): Uint8Array {
  return arrow().tableToIPC(t, 'file');
}

export function tableFromBytes(bytes: Uint8Array): Table {
  return arrow().tableFromIPC(bytes);
}
