/**
 * Leaving the store: tables as Parquet (parquet-wasm, Snappy), CSV or Arrow IPC; figures as
 * their SVG and PNG plus the table they plot; JSON as JSON. Study metadata travels in the
 * Arrow schema metadata, which Parquet keeps.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { arrow } from './arrow.ts';
import { parquetWasm } from './parquet-wasm.ts';
import type { PortKind } from './ports.ts';
import type { Store } from './store/store.ts';
import { figureParts } from './store/values.ts';
import { tableFromBytes, tableToBytes } from './table.ts';

export type TableFormat = 'parquet' | 'csv' | 'arrow';


export function tableToParquet(table: Table): Uint8Array {
  const { Compression, Table: WasmTable, WriterPropertiesBuilder, writeParquet } = parquetWasm();
  const wasmTable = WasmTable.fromIPCStream(arrow().tableToIPC(table, 'stream'));
  // schema metadata also as plain Parquet key-value metadata, which DuckDB and polars show
  const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).setKeyValueMetadata(new Map(table.schema.metadata)).build();
  return writeParquet(wasmTable, props);
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  const s = v instanceof Uint8Array ? Buffer.from(v).toString('base64') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tableToCsv(table: Table): string {
  const names = table.schema.fields.map((f) => f.name);
  const cols = names.map((n) => table.getChild(n)!);
  const lines = [names.map(csvCell).join(',')];
  for (let i = 0; i < table.numRows; i++) lines.push(cols.map((c) => csvCell(c.get(i))).join(','));
  return `${lines.join('\n')}\n`;
}

export function encodeTable(table: Table, format: TableFormat): Uint8Array | string {
  switch (format) {
    case 'parquet':
      return tableToParquet(table);
    case 'csv':
      return tableToCsv(table);
    case 'arrow':
      return tableToBytes(table);
  }
}

/** A file-system-friendly name for a task, e.g. `fig3[kappa=50]` → `fig3_kappa=50`. */
export function fileStem(taskName: string): string {
  return taskName.replace(/\[/, '_').replace(/\]$/, '').replace(/[^A-Za-z0-9_.=,+-]/g, '_');
}

/** Write one stored output under `dir` as `stem.*`; returns the paths written. */
export async function exportObject(store: Store, kind: PortKind, hash: string, dir: string, stem: string, formats: readonly TableFormat[] = ['parquet']): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const put = async (name: string, data: Uint8Array | string) => {
    const p = join(dir, name);
    await writeFile(p, data);
    written.push(p);
  };
  const bytes = await store.getObject(hash);
  switch (kind) {
    case 'table':
    case 'tensors': {
      const table = tableFromBytes(bytes);
      for (const f of formats) await put(`${stem}.${f}`, encodeTable(table, f));
      break;
    }
    case 'json':
      await put(`${stem}.json`, `${JSON.stringify(JSON.parse(new TextDecoder().decode(bytes)), null, 2)}\n`);
      break;
    case 'figure': {
      const parts = figureParts(bytes);
      await put(`${stem}.svg`, await store.getObject(parts.svg));
      if (parts.png) await put(`${stem}.png`, await store.getObject(parts.png));
      const table = tableFromBytes(await store.getObject(parts.table));
      for (const f of formats) await put(`${stem}.${f}`, encodeTable(table, f));
      break;
    }
  }
  return written;
}
