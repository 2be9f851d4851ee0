/** The executors by name; `processes` is the default (a task that crashes fails alone). */
export const EXECUTOR_KINDS = ['processes', 'threads', 'in-process'] as const;
export type ExecutorKind = (typeof EXECUTOR_KINDS)[number];
