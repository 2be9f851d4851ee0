/**
 * The default executor: a pool of worker processes, one per core, each running one task at a
 * time. Processes, not threads, so that a task which dies — a segfault in native code, an
 * out-of-memory kill, `process.exit` in a node — fails alone: the pool reports it with the
 * signal or exit code, starts a new process for the next task, and the run goes on.
 *
 * Written here rather than taken from tinypool's child-process runtime: that runtime reports a
 * dead worker only as "Worker exited unexpectedly" (no signal, no task), and its progress channel
 * is a side path; this file is the whole protocol (process-worker.ts is the other side).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { FromWorker, ToWorker } from './process-worker.ts';
import { TaskError, type Executor, type TaskHooks, type TaskJob, type TaskResult } from './job.ts';
import { TMP_OWNER } from '../store/atomic.ts';

const GRACE_MS = 2_000;
const ENTRY = fileURLToPath(new URL('./worker-process.mjs', import.meta.url));

interface Pending {
  readonly id: number;
  readonly job: TaskJob;
  readonly hooks: TaskHooks;
  resolve(r: TaskResult): void;
  reject(e: Error): void;
}

interface Worker {
  readonly child: ChildProcess;
  task: Pending | undefined;
  onAbort: (() => void) | undefined;
  killTimer: NodeJS.Timeout | undefined;
}

function describeDeath(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `was killed by ${signal}${signal === 'SIGKILL' ? ' (out of memory?)' : ''}`;
  return `exited with code ${code}${code === 0 ? '' : ' (a node called process.exit?)'}`;
}

export function processPoolExecutor(concurrency = availableParallelism()): Executor {
  const workers = new Set<Worker>();
  const idle: Worker[] = [];
  const queue: Pending[] = [];
  let nextId = 0;
  let closing = false;

  const spawnWorker = (): Worker => {
    const child = fork(ENTRY, [], {
      serialization: 'advanced',
      // user code's console.log must not mix into --json on stdout
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      env: { ...process.env, FEATUREFLOW_TMP_OWNER: TMP_OWNER },
    });
    child.stdout?.pipe(process.stderr);
    const w: Worker = { child, task: undefined, onAbort: undefined, killTimer: undefined };
    workers.add(w);
    child.on('message', (m: FromWorker) => onMessage(w, m));
    child.on('exit', (code, signal) => onExit(w, code, signal));
    child.on('error', (err) => {
      // without a pid the process never started, and no 'exit' follows: fail its task here
      if (child.pid === undefined) onExit(w, null, null, err);
    });
    return w;
  };

  const release = (w: Worker) => {
    if (w.killTimer) clearTimeout(w.killTimer);
    if (w.task && w.onAbort) w.task.hooks.signal.removeEventListener('abort', w.onAbort);
    w.killTimer = undefined;
    w.onAbort = undefined;
    w.task = undefined;
  };

  const finish = (w: Worker) => {
    release(w);
    if (!closing && workers.has(w)) {
      idle.push(w);
      dispatch();
    }
  };

  const onMessage = (w: Worker, m: FromWorker) => {
    const t = w.task;
    if (m.type === 'ready' || !t || m.id !== t.id) return;
    if (m.type === 'progress') t.hooks.onProgress(m.fraction, m.message);
    else if (m.type === 'warning') t.hooks.onWarning(m.message);
    else if (m.type === 'result') {
      finish(w);
      t.resolve(m.result as TaskResult);
    } else if (m.type === 'error') {
      finish(w);
      t.reject(t.hooks.signal.aborted ? abortError(t) : new TaskError(m.message, m.stack, m.name));
    }
  };

  const onExit = (w: Worker, code: number | null, signal: NodeJS.Signals | null, startError?: Error) => {
    if (!workers.has(w)) return;
    workers.delete(w);
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
    const t = w.task;
    release(w);
    const death = startError ? `could not start: ${startError.message}` : describeDeath(code, signal);
    if (t) t.reject(t.hooks.signal.aborted ? abortError(t) : new TaskError(`the worker process running ${t.job.task} ${death}`, undefined, 'WorkerExit'));
    if (!closing) dispatch();
  };

  const abortError = (t: Pending) => (t.hooks.signal.reason instanceof Error ? t.hooks.signal.reason : new Error('cancelled'));

  function dispatch(): void {
    while (queue.length > 0) {
      let w: Worker | undefined;
      try {
        w = idle.pop() ?? (workers.size < concurrency ? spawnWorker() : undefined);
      } catch (err) {
        // the process could not even start (ENOMEM, EAGAIN): the task waiting for it fails
        queue.shift()!.reject(new TaskError(`cannot start a worker process: ${err instanceof Error ? err.message : String(err)}`));
        continue;
      }
      if (!w) return;
      const t = queue.shift()!;
      if (t.hooks.signal.aborted) {
        idle.push(w);
        t.reject(abortError(t));
        continue;
      }
      w.task = t;
      w.onAbort = () => {
        if (w.task !== t) return;
        w.child.send({ type: 'abort', id: t.id } satisfies ToWorker);
        // a node that ignores its signal is stopped the hard way
        w.killTimer = setTimeout(() => w.child.kill('SIGKILL'), GRACE_MS);
      };
      t.hooks.signal.addEventListener('abort', w.onAbort, { once: true });
      w.child.send({ type: 'task', id: t.id, job: t.job } satisfies ToWorker);
      t.hooks.onStart?.();
    }
  }

  return {
    name: 'processes',
    concurrency,
    inFlight: 2 * concurrency,
    execute(job: TaskJob, hooks: TaskHooks): Promise<TaskResult> {
      return new Promise<TaskResult>((resolve, reject) => {
        queue.push({ id: nextId++, job, hooks, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closing = true;
      const exits = [...workers].map((w) => new Promise<void>((r) => (w.child.exitCode !== null || w.child.signalCode !== null ? r() : w.child.once('exit', () => r()))));
      for (const w of workers) w.child.kill('SIGTERM');
      await Promise.all(exits);
    },
  };
}
