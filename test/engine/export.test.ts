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

  it("exports a swept step as one table with the sweep coordinates as typed columns, in every format", async () => {
    const store = tempStore();
    const out = mkdtempSync(join(tmpdir(), 'ff-out-'));
    expect(runCli(['run', tinyPipelinePath, '--store', store, '--no-results', '--executor', 'in-process']).code).toBe(0);
    const r = runCli(['export', tinyPipelinePath, '--store', store, '--output', 'noise', '--format', 'parquet,csv,arrow', '--out', out, '--hive']);
    expect(r.code, r.stderr).toBe(0);
    const base = join(out, 'tiny', 'noise', 'noise');
    const rows = await duckRows(`SELECT seed, scale, count(*)::INTEGER AS n FROM read_parquet('${base}.parquet') GROUP BY seed, scale ORDER BY seed, scale`);
    expect(rows).toHaveLength(8);
    expect(rows[3]).toEqual({ seed: 1, scale: 2, n: 100 });
    expect(readFileSync(`${base}.csv`, 'utf8').split('\n')[0]).toBe('x,seed,scale');
    // the Hive layout reads back with the partitions as columns
    const hive = await duckRows(`SELECT count(*)::INTEGER AS n FROM read_parquet('${base}/*/*/*.parquet', hive_partitioning = true) WHERE seed = 3 AND scale = 1`);
    expect(hive[0]!.n).toBe(100);
    // lineage in the Parquet key-value metadata: pipeline, step, every task's key, params and cell, the run
    const meta = await duckRows(`SELECT decode(value) AS v FROM parquet_kv_metadata('${base}.parquet') WHERE decode(key) = 'featureflow.export'`);
    const lineage = JSON.parse(String(meta[0]!.v)) as { pipeline: string; step: string; run: string; tasks: { task: string; key: string; cell: unknown; params: { size: number } }[] };
    expect(lineage.pipeline).toBe('tiny');
    expect(lineage.step).toBe('noise');
    expect(lineage.run).toMatch(/^\d{4}-/);
    expect(lineage.tasks).toHaveLength(8);
    expect(lineage.tasks[0]!.key).toMatch(/^[0-9a-f]{64}$/);
    expect(lineage.tasks[0]!.params.size).toBe(100);
  });

  it('exports flat JSON outputs as rows with their coordinates', async () => {
    const store = tempStore();
    const out = mkdtempSync(join(tmpdir(), 'ff-out-'));
    expect(runCli(['run', tinyPipelinePath, '--store', store, '--no-results', '--executor', 'in-process']).code).toBe(0);
    expect(runCli(['export', tinyPipelinePath, '--store', store, '--out', out]).code).toBe(0);
    const rows = await duckRows(`SELECT scale, cells::INTEGER AS cells FROM read_parquet('${join(out, 'tiny', 'summary', 'summary.parquet')}') ORDER BY scale`);
    expect(rows).toEqual([{ scale: 1, cells: 4 }, { scale: 2, cells: 4 }]);
  });
});
