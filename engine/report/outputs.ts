/** The named outputs of a run as page views: figures as SVG, tables as rows, JSON pretty-printed. */
import type { Table } from 'apache-arrow';
import type { TaskSpec } from '../expand.ts';
import type { Figure, PortKind, TensorBundle } from '../ports.ts';
import type { Store } from '../store/store.ts';
import { decodeValue } from '../store/values.ts';
import type { OutputCellView, TaskState } from './model.ts';
import { tableView, type TableBudget } from './table-view.ts';

/** JSON outputs can be large (a whole sweep's numbers): the page shows the start. */
const JSON_LIMIT = 20_000;

export interface CellSource {
  readonly task: TaskSpec;
  readonly state: TaskState;
  readonly output?: { readonly kind: PortKind; readonly hash: string };
}

export async function readOutputValue(store: Store, kind: PortKind, hash: string): Promise<unknown> {
  const get = (h: string) => store.getObject(h);
  return decodeValue(kind, await get(hash), get);
}

/** A decoded value as the page shows it. `exportCommand` is named when a table is cut short. */
export function valueView(kind: PortKind, value: unknown, budget: TableBudget, exportCommand: string): Partial<OutputCellView> {
  switch (kind) {
    case 'figure': {
      const f = value as Figure;
      return { figure: { svg: f.svg, ...(f.caption ? { caption: f.caption } : {}), table: tableView(f.table, budget, exportCommand) } };
    }
    case 'table':
      return { table: tableView(value as Table, budget, exportCommand) };
    case 'json': {
      const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) ?? 'null';
      return { json: text.length > JSON_LIMIT ? `${text.slice(0, JSON_LIMIT)}\n… (${text.length} characters; ${exportCommand} writes all of it)` : text };
    }
    case 'tensors':
      return { tensors: Object.entries(value as TensorBundle).map(([name, t]) => ({ name, shape: t.shape, dtype: t.data.constructor.name })) };
  }
}

export function cellOf(task: TaskSpec): Record<string, unknown> {
  return { ...task.cell };
}

export function exportCommandFor(pipeline: string, output: string, settings: string): string {
  return `featureflow export ${pipeline}${settings} --output ${output} --format csv`;
}

export async function outputCellView(store: Store, src: CellSource, budget: TableBudget, exportCommand: string, decoded: unknown[]): Promise<OutputCellView> {
  const base = { task: src.task.name, cell: cellOf(src.task), state: src.state };
  if (!src.output) return { ...base, kind: src.task.node.output.kind as OutputCellView['kind'] };
  const value = await readOutputValue(store, src.output.kind, src.output.hash);
  decoded.push(value);
  return { ...base, kind: src.output.kind, ...valueView(src.output.kind, value, budget, exportCommand) };
}

