/** The worker-thread side of the pool: find the node through the registry, run it, reply. */
import type { MessagePort } from 'node:worker_threads';
import { checkNodeCode } from '../registry/check-code.ts';
import { findNode } from '../registry/find-node.ts';
import { executeTask } from './execute-task.ts';
import type { TaskJob, TaskResult } from './job.ts';

export interface WorkerMessage {
  readonly job: TaskJob;
  readonly port: MessagePort;
}

export default async function runInWorker({ job, port }: WorkerMessage): Promise<TaskResult> {
  const abort = new AbortController();
  port.on('message', (m: unknown) => {
    if (m === 'abort') abort.abort();
  });
  port.postMessage({ type: 'started' });
  try {
    const node = await findNode(job.node);
    if (job.code) await checkNodeCode(node, { code: job.code.hash, plannedAt: job.code.plannedAt, ...(job.code.files ? { files: job.code.files } : {}) }, job.backends);
    let last = 0;
    return await executeTask(job, node, {
      signal: abort.signal,
      onProgress(fraction, message) {
        const now = performance.now();
        if (now - last < 100 && fraction < 1) return;
        last = now;
        port.postMessage({ type: 'progress', fraction, message });
      },
      onWarning(message) {
        port.postMessage({ type: 'warning', message });
      },
    });
  } finally {
    port.close();
  }
}
