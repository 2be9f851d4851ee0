/**
 * What an array element leaves for the coordinator: written by `featureflow exec` as its last
 * act, read by the coordinator when squeue shows the element finished (or sooner: a requeued
 * element's first run may still finish and write it). The task's record in the store stays the
 * truth for a success; this file carries what the store cannot: the error of a failure and the
 * warnings.
 */
import { readFile, readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeTextAtomic } from './write-atomic.ts';

export const RESULT_FORMAT = 'featureflow-slurm-result/1';

export type ElementResult =
  | {
      readonly format: typeof RESULT_FORMAT;
      readonly ok: true;
      readonly task: string;
      readonly hash: string;
      readonly bytes: number;
      readonly durationMs: number;
      readonly startedAt: string;
      readonly host: string;
      /** the key had a record already (a requeued or duplicate element): nothing was computed */
      readonly alreadyRecorded: boolean;
      readonly warnings: readonly string[];
    }
  | {
      readonly format: typeof RESULT_FORMAT;
      readonly ok: false;
      readonly task: string;
      readonly error: string;
      readonly stack?: string;
      readonly host: string;
      readonly warnings: readonly string[];
    };

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export async function writeElementResult(path: string, result: Without<ElementResult, 'format'>): Promise<void> {
  await writeTextAtomic(path, `${JSON.stringify({ format: RESULT_FORMAT, ...result })}\n`);
}

/** The element's result, or undefined while there is none (or it is not ours). */
export async function readElementResult(path: string): Promise<ElementResult | undefined> {
  const read = () => readFile(path, 'utf8');
  let text: string;
  try {
    text = await read().catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      // listing the folder revalidates an NFS client's cached view of it: a file another host
      // created since can otherwise stay "absent" for the directory cache's lifetime
      await readdir(dirname(path));
      return read();
    });
  } catch {
    return undefined;
  }
  try {
    const r = JSON.parse(text) as ElementResult;
    return r?.format === RESULT_FORMAT ? r : undefined;
  } catch {
    return undefined;
  }
}
