/** The combined export never mislabels values: cells with other columns are written apart, and coordinate columns have one type. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportStep, type ExportedCell } from '../../engine/export-step.ts';
import { Store } from '../../engine/store/store.ts';
import { columnsTable, tableFromBytes, tableToBytes } from '../../engine/table.ts';
import { tempStore } from './helpers.ts';

async function stored(store: Store, columns: Record<string, number[]>): Promise<string> {
  const s = await store.stageObject(tableToBytes(columnsTable(columns)));
  if (s.tmp) await store.commitObject(s.hash, s.tmp);
  return s.hash;
}

const cell = (task: string, lr: number | string, hash: string): ExportedCell => ({ task, key: 'k'.repeat(64), cell: { lr }, params: { lr }, kind: 'table', hash });

describe('exportStep', () => {
  it('writes cells whose columns differ (even only in order) apart, with a note', async () => {
    const store = await Store.open(tempStore());
    const a = await stored(store, { x: [0.5], y: [9] });
    const b = await stored(store, { y: [9], x: [0.5] });
    const out = mkdtempSync(join(tmpdir(), 'ff-export-'));
    const r = await exportStep(store, [cell('s[lr=1]', 1, a), cell('s[lr=2]', 2, b)], out, { pipeline: 'p', step: 's', formats: ['csv'] });
    expect(r.notes.join('\n')).toMatch(/different columns/);
    expect(readdirSync(out).sort()).toEqual(['s_lr=1.csv', 's_lr=2.csv']);
    expect(readFileSync(join(out, 's_lr=2.csv'), 'utf8').split('\n')[0]).toBe('y,x,lr');
  });

  it('types a coordinate column from every cell: a mixed axis is text throughout', async () => {
    const store = await Store.open(tempStore());
    const a = await stored(store, { x: [1] });
    const b = await stored(store, { x: [2] });
    const out = mkdtempSync(join(tmpdir(), 'ff-export-'));
    await exportStep(store, [cell('s[lr=0.1]', 0.1, a), cell('s[lr=auto]', 'auto', b)], out, { pipeline: 'p', step: 's', formats: ['arrow'] });
    const t = tableFromBytes(readFileSync(join(out, 's.arrow')));
    expect(String(t.schema.fields.find((f) => f.name === 'lr')!.type)).toBe('Utf8');
    expect(t.getChild('lr')!.toArray()).toEqual(['0.1', 'auto']);
  });
});
