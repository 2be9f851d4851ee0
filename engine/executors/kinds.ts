/** The executors by name; `processes` is the default (a task that crashes fails alone); `redis` needs a URL. */
export const EXECUTOR_KINDS = ['processes', 'threads', 'in-process', 'redis'] as const;
export type ExecutorKind = (typeof EXECUTOR_KINDS)[number];
