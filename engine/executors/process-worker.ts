/**
 * The child side of the process pool: one task at a time, sent over the IPC channel; progress
 * and warnings go back as messages; `abort` aborts the task's signal. A crash of this process
 * (a signal in native code, `process.exit` in a node) fails only the task it was running.
 */
import { checkNodeCode } from '../registry/check-code.ts';
import { findNode } from '../registry/find-node.ts';
import { executeTask } from './execute-task.ts';
import type { TaskJob } from './job.ts';

export type ToWorker = { readonly type: 'task'; readonly id: number; readonly job: TaskJob } | { readonly type: 'abort'; readonly id: number };
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly id: number; readonly fraction: number; readonly message?: string }
  | { readonly type: 'warning'; readonly id: number; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly result: unknown }
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly stack?: string };

const send = (m: FromWorker) => process.send?.(m);

export function serveTasks(): void {
  const aborts = new Map<number, AbortController>();
  process.on('message', (m: ToWorker) => {
    if (m.type === 'abort') aborts.get(m.id)?.abort(new Error('cancelled'));
    else if (m.type === 'task') void runTask(m.id, m.job, aborts);
  });
  // the coordinator going away must not leave this process behind
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}

async function runTask(id: number, job: TaskJob, aborts: Map<number, AbortController>): Promise<void> {
  const abort = new AbortController();
  aborts.set(id, abort);
  let last = 0;
  try {
    const node = await findNode(job.node);
    if (job.code) await checkNodeCode(node, { code: job.code.hash, plannedAt: job.code.plannedAt, ...(job.code.files ? { files: job.code.files } : {}) }, job.backends);
    const result = await executeTask(job, node, {
      signal: abort.signal,
      onProgress(fraction, message) {
        const now = performance.now();
        if (now - last < 100 && fraction < 1) return;
        last = now;
        send({ type: 'progress', id, fraction, ...(message ? { message } : {}) });
      },
      onWarning: (message) => send({ type: 'warning', id, message }),
    });
    send({ type: 'result', id, result });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    send({ type: 'error', id, message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
  } finally {
    aborts.delete(id);
  }
}
