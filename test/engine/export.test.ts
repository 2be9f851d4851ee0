import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { columnsTable } from '../../engine/table.ts';
import { tableToCsv, tableToParquet } from '../../engine/export.ts';
import { writeFileSync } from 'node:fs';
import { randomSourceFromSeed } from '../../engine/random.ts';
import { runCli, tempStore, tinyPipelinePath } from './helpers.ts';

async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

describe('export', () => {
  it('writes Parquet that DuckDB reads back value for value, metadata included', async () => {
    const r = randomSourceFromSeed('export');
    const n = 2000;
    const x = r.fillNormal(new Float64Array(n));
    const k = Int32Array.from({ length: n }, (_, i) => i - 1000);
    const s = Array.from({ length: n }, (_, i) => `row,${i}"q"`);
    const table = columnsTable({ x, k, s }, { study: 'export-test', sizes: [1, 2] });
    const dir = mkdtempSync(join(tmpdir(), 'ff-export-'));
    const path = join(dir, 't.parquet');
    writeFileSync(path, tableToParquet(table));
    const rows = await duckRows(`SELECT x, k, s FROM read_parquet('${path}')`);
    expect(rows).toHaveLength(n);
    rows.forEach((row, i) => {
      expect(row.x).toBe(x[i]);
      expect(row.k).toBe(k[i]);
      expect(row.s).toBe(s[i]);
    });
    const meta = await duckRows(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${path}')`);
    expect(meta.map((m) => m.key)).toContain('ARROW:schema');
    expect(JSON.parse(String(meta.find((m) => m.key === 'featureflow')!.value))).toEqual({ study: 'export-test', sizes: [1, 2] });
  });

  it('writes CSV with quoting', () => {
    const csv = tableToCsv(columnsTable({ a: [1.5, 2], b: ['x,y', 'he said "hi"'] }));
    expect(csv).toBe('a,b\n1.5,"x,y"\n2,"he said ""hi"""\n');
  });

  it('exports a run\'s outputs from the CLI in every format', async () => {
    const store = tempStore();
    const out = mkdtempSync(join(tmpdir(), 'ff-out-'));
    expect(runCli(['run', tinyPipelinePath, '--store', store, '--no-results', '--executor', 'in-process']).code).toBe(0);
    const r = runCli(['export', tinyPipelinePath, '--store', store, '--output', 'noise', '--format', 'parquet,csv,arrow', '--out', out]);
    expect(r.code).toBe(0);
    const base = join(out, 'tiny', 'noise', 'noise_seed=1,scale=2');
    const rows = await duckRows(`SELECT count(*)::INTEGER AS n, avg(x) AS m FROM read_parquet('${base}.parquet')`);
    expect(rows[0]!.n).toBe(100);
    expect(readFileSync(`${base}.csv`, 'utf8').split('\n')[0]).toBe('x');
  });
});
