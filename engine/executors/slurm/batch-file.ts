/**
 * The files of one submitted array, in the shared store so every node of the cluster reads them:
 *
 *   slurm/<batch>/batch.json        the array's task payloads (the coordinator writes it once)
 *   slurm/<batch>/logs/<i>.log      element i's stdout and stderr (sbatch --output)
 *   slurm/<batch>/results/<i>.json  element i's outcome (`featureflow exec` writes it last)
 *
 * Payloads go through the store's round-trip JSON encoding, so typed-array and bigint params
 * arrive as they left.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { decodeJsonValue, encodeJsonValue } from '../../canonical.ts';
import type { TaskJob } from '../job.ts';
import { writeTextAtomic } from './write-atomic.ts';

export const BATCH_FORMAT = 'featureflow-slurm-batch/1';

export interface BatchFile {
  readonly format: typeof BATCH_FORMAT;
  readonly created: string;
  readonly coordinator: { readonly host: string; readonly pid: number };
  /** element i runs tasks[i] */
  readonly tasks: readonly TaskJob[];
}

export interface BatchPaths {
  readonly dir: string;
  readonly file: string;
  /** sbatch's --output pattern (`%a`: the element's index) */
  readonly logPattern: string;
  log(index: number): string;
  result(index: number): string;
}

export function batchPaths(file: string): BatchPaths {
  const dir = dirname(file);
  return {
    dir,
    file,
    logPattern: join(dir, 'logs', '%a.log'),
    log: (i) => join(dir, 'logs', `${i}.log`),
    result: (i) => join(dir, 'results', `${i}.json`),
  };
}

/** A new batch directory's name: sortable by time, unique across coordinators. */
function batchName(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(4).toString('hex')}`;
}

export async function writeBatch(storeRoot: string, tasks: readonly TaskJob[]): Promise<BatchPaths> {
  const paths = batchPaths(join(storeRoot, 'slurm', batchName(), 'batch.json'));
  await mkdir(join(paths.dir, 'logs'), { recursive: true });
  await mkdir(join(paths.dir, 'results'), { recursive: true });
  const batch: BatchFile = { format: BATCH_FORMAT, created: new Date().toISOString(), coordinator: { host: hostname(), pid: process.pid }, tasks };
  await writeTextAtomic(paths.file, encodeJsonValue(batch));
  return paths;
}

export class BatchFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchFileError';
  }
}

/** The task of element `index`; a missing or foreign file is a clear error. */
export async function readBatchTask(file: string, index: number): Promise<TaskJob> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new BatchFileError(`cannot read batch file ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}): is the store on a filesystem this node shares with the coordinator?`);
  }
  const batch = decodeJsonValue(text) as Partial<BatchFile>;
  if (batch?.format !== BATCH_FORMAT || !Array.isArray(batch.tasks)) throw new BatchFileError(`${file} is not a featureflow batch file (format ${String(batch?.format)}, expected ${BATCH_FORMAT})`);
  const task = batch.tasks[index];
  if (!Number.isInteger(index) || !task) throw new BatchFileError(`${file} has ${batch.tasks.length} tasks: no index ${index}`);
  return task;
}
