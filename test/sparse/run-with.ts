/** Run the training node on a chosen MlpCompute (runNode picks backends by name; 'js' may not be registered). */
import type { Table } from 'apache-arrow';
import type { z } from 'zod';
import type { MlpCompute } from '../../engine/compute/mlp.ts';
import { randomSourceFromSeed } from '../../engine/random.ts';
import { trainSparseMlp, trainSparseMlpParams } from '../../nodes/sparse/train-sparse-mlp.ts';

export interface TrainRunOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (fraction: number, message?: string) => void;
}

export async function trainWith(mlp: MlpCompute, data: Table, params: z.input<typeof trainSparseMlpParams>, options: TrainRunOptions = {}): Promise<Table> {
  const parsed = trainSparseMlpParams.parse(params);
  return trainSparseMlp.run({
    params: parsed,
    inputs: { data },
    random: randomSourceFromSeed(`${trainSparseMlp.name}:${JSON.stringify(parsed)}`),
    mlp,
    get linalg(): never {
      throw new Error('sparse/train-mlp must not use linalg');
    },
    get trainer(): never {
      throw new Error('sparse/train-mlp must not use trainer');
    },
    progress: (f, m) => options.onProgress?.(f, m),
    warn: () => {},
    signal: options.signal ?? new AbortController().signal,
    taskName: 'train',
  });
}
