/** Turns a long table (one value column, one group column) into the samples the tests take. */
import type { Table } from 'apache-arrow';

export interface GroupedSamples {
  /** group labels, sorted so that the output does not depend on row order */
  readonly labels: string[];
  readonly samples: Float64Array[];
}

export function samplesFromTable(t: Table, valueColumn: string, groupColumn: string): GroupedSamples {
  const names = t.schema.fields.map((f) => f.name);
  for (const c of [valueColumn, groupColumn]) {
    if (!names.includes(c)) throw new Error(`stats: table has no column "${c}" (columns: ${names.join(', ')})`);
  }
  const values = t.getChild(valueColumn)!.toArray() as ArrayLike<unknown>;
  const groups = t.getChild(groupColumn)!.toArray() as ArrayLike<unknown>;
  const byGroup = new Map<string, number[]>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' && typeof v !== 'bigint') throw new Error(`stats: column "${valueColumn}" row ${i} is not a number (${String(v)})`);
    const key = String(groups[i]);
    let list = byGroup.get(key);
    if (!list) byGroup.set(key, (list = []));
    list.push(Number(v));
  }
  const labels = [...byGroup.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return { labels, samples: labels.map((l) => Float64Array.from(byGroup.get(l)!)) };
}
