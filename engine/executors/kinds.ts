/** The executors by name; `processes` is the default (a task that crashes fails alone); `redis` needs a URL; `slurm` submits sbatch arrays. */
export const EXECUTOR_KINDS = ['processes', 'threads', 'in-process', 'redis', 'slurm'] as const;
export type ExecutorKind = (typeof EXECUTOR_KINDS)[number];
