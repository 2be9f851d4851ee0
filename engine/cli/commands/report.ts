/** `featureflow report`: one self-contained HTML page for the latest run of a pipeline (or `--run <id>`). */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadPipeline } from '../../load.ts';
import { buildReport } from '../../report/report.ts';
import { openForReading, prepareOptions, UsageError, type CommonOptions } from '../options.ts';

export async function reportCommand(pipelineArg: string, o: CommonOptions & { run?: string; out?: string; tableLimit?: string }): Promise<number> {
  const pipeline = await loadPipeline(pipelineArg);
  const store = await openForReading(o.store);
  const limitMb = o.tableLimit !== undefined ? Number(o.tableLimit) : 5;
  if (!(limitMb >= 0)) throw new UsageError(`--table-limit ${o.tableLimit}: expected megabytes, e.g. 5`);
  const { overrides, profile } = prepareOptions(o);
  const html = await buildReport(pipeline, store, { overrides, ...(profile ? { profile } : {}), ...(o.run ? { run: o.run } : {}), tableBytes: limitMb * 1024 * 1024 });
  const out = resolve(o.out ?? `${pipeline.name}-report.html`);
  await writeFile(out, html);
  if (o.json) process.stdout.write(`${JSON.stringify({ type: 'report', path: out, bytes: Buffer.byteLength(html) })}\n`);
  else process.stderr.write(`report: ${out} (${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB)\n`);
  return 0;
}
