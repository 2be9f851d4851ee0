/**
 * A swept step leaves the store as ONE table: every cell's rows, with the cell's sweep
 * coordinates as typed columns beside the node's own columns, so DuckDB, pandas and polars keep
 * which cell a row came from. Figures contribute the table they plot (their SVG and PNG stay one
 * file per cell); JSON outputs that are flat records (or lists of them) become rows; anything
 * else is written as JSON with a message saying why. Every Parquet file carries, in its key-value
 * metadata, the pipeline, the step, each task's key, params and cell, and the run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Table, Vector } from 'apache-arrow';
import { arrow } from './arrow.ts';
import { decodeJsonValue } from './canonical.ts';
import { encodeTable, fileStem, type TableFormat } from './export.ts';
import type { AxisValue } from './expand.ts';
import type { PortKind } from './ports.ts';
import type { Store } from './store/store.ts';
import { figureParts } from './store/values.ts';
import { tableFromBytes } from './table.ts';

export interface ExportedCell {
  readonly task: string;
  readonly key: string;
  readonly cell: Readonly<Record<string, AxisValue>>;
  readonly params: unknown;
  readonly kind: PortKind;
  readonly hash: string;
}

export interface ExportStepOptions {
  readonly pipeline: string;
  readonly step: string;
  /** file name stem of the combined table (default: the step) */
  readonly stem?: string;
  readonly run?: string;
  readonly formats: readonly TableFormat[];
  /** also write a Hive-partitioned folder `<stem>/<axis>=<value>/…/part.<format>` */
  readonly hive?: boolean;
}

export interface ExportReport {
  readonly written: string[];
  readonly notes: string[];
}

/** The cell's coordinates as flat columns: a zipped axis gives one column per field. */
function coordinates(cell: Readonly<Record<string, AxisValue>>): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [axis, v] of Object.entries(cell)) {
    if (v !== null && typeof v === 'object') for (const [f, x] of Object.entries(v)) out[f] = x;
    else out[axis] = v;
  }
  return out;
}

function column(values: readonly unknown[]): Vector {
  const { Bool, Float64, Utf8, vectorFromArray } = arrow();
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.every((v) => typeof v === 'number')) return vectorFromArray(values.map((v) => (v ?? null) as number | null), new Float64());
  if (present.every((v) => typeof v === 'boolean')) return vectorFromArray(values.map((v) => (v ?? null) as boolean | null), new Bool());
  return vectorFromArray(values.map((v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v))), new Utf8());
}

/** Rows of a JSON value: a flat record is one row, a list of flat records many; else undefined. */
function jsonRows(value: unknown): Record<string, unknown>[] | undefined {
  const flat = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v) && Object.values(v).every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x));
  if (flat(value)) return [value];
  if (Array.isArray(value) && value.length > 0 && value.every(flat)) return value;
  if (['string', 'number', 'boolean'].includes(typeof value)) return [{ value }];
  return undefined;
}

async function cellTable(store: Store, c: ExportedCell): Promise<Table | { json: unknown }> {
  const { Table } = arrow();
  const bytes = await store.getObject(c.hash);
  if (c.kind === 'figure') return tableFromBytes(await store.getObject(figureParts(bytes).table));
  if (c.kind === 'json') {
    const value = decodeJsonValue(new TextDecoder().decode(bytes));
    const rows = jsonRows(value);
    if (!rows) return { json: value };
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return new Table(Object.fromEntries(keys.map((k) => [k, column(rows.map((r) => r[k]))])));
  }
  return tableFromBytes(bytes);
}

/**
 * Node columns and coordinate columns, one table; a coordinate that shadows a column becomes
 * `sweep_<name>`. Each coordinate column's type comes from its values in every cell (`across`),
 * so mixed axes (`[0.1, 'auto']`) are text in every cell, never numbers in some.
 */
function withCoordinates(t: Table, coords: Record<string, unknown>, coordNames: readonly string[], across: Map<string, unknown[]>): Table {
  const { Table } = arrow();
  const cols: Record<string, Vector> = {};
  for (const f of t.schema.fields) cols[f.name] = t.getChild(f.name)!;
  for (const name of coordNames) {
    const out = name in cols ? `sweep_${name}` : name;
    const all = across.get(name)!;
    const typed = column([...all, ...new Array<unknown>(t.numRows).fill(coords[name] ?? null)]);
    cols[out] = typed.slice(all.length);
  }
  return new Table(cols);
}

/** Same column names, in the same order, with the same types: only then may tables be stacked. */
function sameSchema(a: Table, b: Table): boolean {
  const fa = a.schema.fields;
  const fb = b.schema.fields;
  return fa.length === fb.length && fa.every((f, i) => f.name === fb[i]!.name && String(f.type) === String(fb[i]!.type));
}

function withSchemaMetadata(t: Table, metadata: Map<string, string>): Table {
  const { RecordBatch, Schema, Table } = arrow();
  const schema = new Schema(t.schema.fields, metadata);
  return new Table(schema, t.batches.map((b) => new RecordBatch(schema, b.data)));
}

function exportMetadata(o: ExportStepOptions, cells: readonly ExportedCell[], first: Table | undefined): Map<string, string> {
  const meta = new Map(first?.schema.metadata ?? []);
  meta.set(
    'featureflow.export',
    JSON.stringify({ pipeline: o.pipeline, step: o.step, ...(o.run ? { run: o.run } : {}), tasks: cells.map((c) => ({ task: c.task, key: c.key, cell: c.cell, params: c.params })) }),
  );
  return meta;
}

export async function exportStep(store: Store, cells: readonly ExportedCell[], dir: string, o: ExportStepOptions): Promise<ExportReport> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const notes: string[] = [];
  const put = async (path: string, data: Uint8Array | string) => {
    await writeFile(path, data);
    written.push(path);
  };
  const stem = o.stem ?? o.step;
  const tables: Table[] = [];
  const tableCells: ExportedCell[] = [];
  const coordsOf = cells.map((c) => coordinates(c.cell));
  const coordNames = [...new Set(coordsOf.flatMap((c) => Object.keys(c)))];
  const kinds = new Map(coordNames.map((n) => [n, coordsOf.map((c) => c[n])]));
  for (const [i, c] of cells.entries()) {
    if (c.kind === 'figure') {
      const parts = figureParts(await store.getObject(c.hash));
      await put(join(dir, `${fileStem(c.task)}.svg`), await store.getObject(parts.svg));
      if (parts.png) await put(join(dir, `${fileStem(c.task)}.png`), await store.getObject(parts.png));
    }
    const t = await cellTable(store, c);
    if (!(t instanceof arrow().Table)) {
      await put(join(dir, `${fileStem(c.task)}.json`), `${JSON.stringify(t.json, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v), 2)}\n`);
      notes.push(`${c.task}: its JSON output is not a flat record or a list of them, so it was written as JSON, not as a table`);
      continue;
    }
    tables.push(withCoordinates(t, coordsOf[i]!, coordNames, kinds));
    tableCells.push(c);
  }
  if (tables.length === 0) return { written, notes };
  // apache-arrow's concat relabels every batch with the first schema; it must only see equal ones
  if (!tables.every((t) => sameSchema(t, tables[0]!))) {
    notes.push(`${o.step}: the cells' tables have different columns, so each cell was written on its own`);
    for (const [i, t] of tables.entries()) for (const f of o.formats) await put(join(dir, `${fileStem(tableCells[i]!.task)}.${f}`), encodeTable(t, f));
    return { written, notes };
  }
  let combined = tables.slice(1).reduce((a, b) => a.concat(b), tables[0]!);
  combined = withSchemaMetadata(combined, exportMetadata(o, cells, tables[0]));
  for (const f of o.formats) await put(join(dir, `${stem}.${f}`), encodeTable(combined, f));
  if (o.hive && coordNames.length > 0) await writeHive(combined, coordNames, join(dir, stem), o.formats, put);
  return { written, notes };
}

async function writeHive(t: Table, partitions: readonly string[], root: string, formats: readonly TableFormat[], put: (p: string, d: Uint8Array | string) => Promise<void>): Promise<void> {
  const { Table } = arrow();
  const groups = new Map<string, number[]>();
  const cols = partitions.map((p) => t.getChild(p) ?? t.getChild(`sweep_${p}`)!);
  for (let i = 0; i < t.numRows; i++) {
    const path = partitions.map((p, k) => `${p}=${encodeURIComponent(String(cols[k]!.get(i)))}`).join('/');
    (groups.get(path) ?? groups.set(path, []).get(path)!).push(i);
  }
  for (const [path, rows] of groups) {
    const dir = join(root, path);
    await mkdir(dir, { recursive: true });
    const kept = t.schema.fields.filter((f) => !partitions.includes(f.name) && !partitions.map((p) => `sweep_${p}`).includes(f.name));
    const part = new Table(Object.fromEntries(kept.map((f) => [f.name, column(rows.map((r) => t.getChild(f.name)!.get(r)))])));
    for (const f of formats) await put(join(dir, `part.${f}`), encodeTable(withSchemaMetadata(part, t.schema.metadata), f));
  }
}
