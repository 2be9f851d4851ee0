/** `featureflow export`: named outputs or one step as tables (sweep coordinates as columns). */
import { join, resolve } from 'node:path';
import type { TableFormat } from '../../export.ts';
import { exportStep } from '../../export-step.ts';
import { loadPipeline } from '../../load.ts';
import { planPipeline } from '../../plan.ts';
import { listRunRecords } from '../../run-record.ts';
import { openForReading, prepareOptions, UsageError, type CommonOptions } from '../options.ts';

export async function exportCommand(pipelineArg: string, o: CommonOptions & { out: string; format: string; output?: string; hive?: boolean }): Promise<number> {
  const pipeline = await loadPipeline(pipelineArg);
  const store = await openForReading(o.store);
  const formats = o.format.split(',').map((f) => f.trim()) as TableFormat[];
  for (const f of formats) if (!['parquet', 'csv', 'arrow'].includes(f)) throw new UsageError(`--format ${f}: choose parquet, csv or arrow`);
  const { entries, prepared } = await planPipeline(pipeline, store, prepareOptions(o));
  const outputs = prepared.expanded.outputs;
  const steps = new Set(prepared.expanded.tasks.map((t) => t.step));
  if (o.output && !outputs.has(o.output) && !steps.has(o.output)) {
    throw new UsageError(`pipeline ${pipeline.name} has no output or step "${o.output}" (outputs: ${[...outputs.keys()].join(', ')}; steps: ${[...steps].join(', ')})`);
  }
  // what to write: one named output, one step, or every named output; each becomes one table
  const groups = new Map<string, number[]>();
  if (o.output && outputs.has(o.output)) groups.set(o.output, [...outputs.get(o.output)!]);
  else if (o.output) groups.set(o.output, prepared.expanded.tasks.filter((t) => t.step === o.output).map((t) => t.id));
  else for (const [name, ids] of outputs) groups.set(name, [...ids]);
  const run = (await listRunRecords(store, pipeline.name))[0];
  let written = 0;
  let missing = 0;
  const root = join(resolve(o.out), pipeline.name);
  for (const [name, ids] of groups) {
    const cells = [];
    for (const id of ids) {
      const t = prepared.expanded.tasks[id]!;
      const entry = entries[id]!;
      const rec = entry.status === 'cached' && entry.key ? await store.readRecord(entry.key) : undefined;
      if (!rec || rec === 'corrupt') {
        missing++;
        continue;
      }
      cells.push({ task: t.name, key: rec.key, cell: t.cell, params: t.params, kind: rec.output.kind, hash: rec.output.hash });
    }
    if (cells.length === 0) continue;
    const step = prepared.expanded.tasks[ids[0]!]!.step;
    const r = await exportStep(store, cells, join(root, name), { pipeline: pipeline.name, step, stem: name, formats, hive: Boolean(o.hive), ...(run?.id ? { run: run.id } : {}) });
    written += r.written.length;
    for (const n of r.notes) process.stderr.write(`note: ${n}\n`);
  }
  process.stderr.write(`exported ${written} files to ${root}${missing ? `; ${missing} tasks not computed yet (run the pipeline first)` : ''}\n`);
  return missing > 0 && written === 0 ? 1 : 0;
}

