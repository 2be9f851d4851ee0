/** The executors by name; `processes` is the default (a task that crashes fails alone); `slurm` submits sbatch arrays. */
export const EXECUTOR_KINDS = ['processes', 'threads', 'in-process', 'slurm'] as const;
export type ExecutorKind = (typeof EXECUTOR_KINDS)[number];
