/**
 * An Arrow table as page rows plus a CSV download, within a byte budget shared by every table
 * of the page: a table that does not fit is shown in part and names the command that writes it.
 */
import type { Table } from 'apache-arrow';
import type { TableView } from './model.ts';

/** Bytes of CSV the whole page may still embed (default 5 MB); tables draw it down in page order. */
export class TableBudget {
  constructor(public remaining: number) {}
}

export const DEFAULT_TABLE_BUDGET = 5 * 1024 * 1024;

/** A cell as the page shows it: numbers stay numbers (sortable), everything else becomes text. */
function plainValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify((v as { toJSON(): unknown }).toJSON());
  if (ArrayBuffer.isView(v)) return `[${Array.from(v as unknown as ArrayLike<number>).join(' ')}]`;
  return String(v);
}

function csvField(v: unknown): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\n`;
}

export function tableRows(table: Table): { columns: string[]; rows: unknown[][] } {
  const columns = table.schema.fields.map((f) => f.name);
  const vectors = columns.map((_, i) => table.getChildAt(i)!);
  const rows: unknown[][] = [];
  for (let r = 0; r < table.numRows; r++) rows.push(vectors.map((v) => plainValue(v.get(r))));
  return { columns, rows };
}

/** Rows that fit the budget (all of them when they do), the CSV of those, and how to get the rest. */
export function tableView(table: Table, budget: TableBudget, exportCommand: string): TableView {
  const { columns, rows } = tableRows(table);
  let csv = csvLine(columns);
  let shown = 0;
  for (const row of rows) {
    const line = csvLine(row);
    if (csv.length + line.length > budget.remaining) break;
    csv += line;
    shown++;
  }
  budget.remaining = Math.max(0, budget.remaining - csv.length);
  return {
    columns,
    rows: rows.slice(0, shown),
    totalRows: rows.length,
    ...(shown > 0 || rows.length === 0 ? { csvUri: `data:text/csv;charset=utf-8,${encodeURIComponent(csv)}` } : {}),
    ...(shown < rows.length ? { truncated: { shown, command: exportCommand } } : {}),
  };
}
