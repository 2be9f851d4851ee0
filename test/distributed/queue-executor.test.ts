/**
 * The coordinator's queue executor over a scripted in-memory queue: the store is the truth when
 * queue events go missing, a key the queue lost is enqueued again, and a queue that stays away
 * fails the pending tasks with a message that says the finished ones are kept.
 */
import { describe, expect, it } from 'vitest';
import type { TaskHooks, TaskJob } from '../../engine/executors/job.ts';
import { queueExecutor } from '../../engine/executors/redis/queue-executor.ts';
import type { QueueEvent, QueuedState, TaskQueue } from '../../engine/executors/redis/task-queue.ts';
import type { TaskRecord } from '../../engine/store/records.ts';

const record = (key: string) => ({ key, output: { kind: 'json', hash: `h-${key}`, bytes: 2 }, timing: { startedAt: '', durationMs: 1 } }) as unknown as TaskRecord;
const job = (key: string) => ({ task: `t[${key}]`, record: { key, output: { kind: 'json' } } }) as unknown as TaskJob;

/** A queue whose workers write records but whose events the test decides about. */
function scriptedQueue(o: { dropCompletions?: boolean; loseFirstEnqueue?: boolean; down?: boolean }) {
  const records = new Map<string, TaskRecord>();
  const listeners: ((e: QueueEvent) => void)[] = [];
  const enqueued: string[] = [];
  const queue: TaskQueue = {
    where: 'scripted',
    async enqueue(key) {
      if (o.down) throw new Error('connection refused');
      enqueued.push(key);
      if (o.loseFirstEnqueue && enqueued.filter((k) => k === key).length === 1) return; // accepted, then lost
      setTimeout(() => {
        records.set(key, record(key));
        if (!o.dropCompletions) listeners.forEach((l) => l({ type: 'completed', key, result: { hash: `h-${key}`, bytes: 2, staged: [], durationMs: 1, recorded: true } }));
      }, 5);
    },
    onEvent: (l) => void listeners.push(l),
    async states(keys) {
      if (o.down) throw new Error('connection refused');
      return new Map<string, QueuedState>(keys.map((k) => [k, { state: 'absent' }]));
    },
    cancel: async () => {},
    workers: async () => 1,
    close: async () => {},
  };
  const store = { root: '/shared/store', readRecord: async (k: string) => records.get(k) };
  return { queue, store, enqueued };
}

const hooks = (warnings: string[] = []): TaskHooks => ({ signal: new AbortController().signal, onProgress() {}, onWarning: (m) => warnings.push(m) });
const options = { name: 'test', inFlight: 8, retry: { attempts: 1, backoffMs: 1 }, checkEveryMs: 20, patienceMs: 200, startWorkerHint: '-' };

describe('the queue executor', () => {
  it('takes a result from the store when the completion event never arrives', async () => {
    const { queue, store } = scriptedQueue({ dropCompletions: true });
    const ex = queueExecutor(queue, { ...options, store });
    await expect(ex.execute(job('a'), hooks())).resolves.toMatchObject({ hash: 'h-a', recorded: true });
    await ex.close();
  });

  it('enqueues a key the queue lost again, with a warning, and finishes it', async () => {
    const { queue, store, enqueued } = scriptedQueue({ loseFirstEnqueue: true });
    const ex = queueExecutor(queue, { ...options, store });
    const warnings: string[] = [];
    await expect(ex.execute(job('b'), hooks(warnings))).resolves.toMatchObject({ hash: 'h-b' });
    expect(enqueued).toEqual(['b', 'b']);
    expect(warnings).toEqual([expect.stringContaining('lost this task')]);
    await ex.close();
  });

  it('fails pending tasks clearly when the queue stays unreachable past its patience', async () => {
    const { queue, store } = scriptedQueue({ down: true });
    const ex = queueExecutor(queue, { ...options, store });
    await expect(ex.execute(job('c'), hooks())).rejects.toThrow(/lost the queue at scripted for \d+ s \(connection refused\): the tasks finished so far are in the store; run again/);
    await ex.close();
  });
});
