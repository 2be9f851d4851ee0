/**
 * Following submitted arrays: one `squeue` per poll for all of them. An element that runs starts
 * its task; an element that ended, or that SLURM no longer lists, settles its task from its result
 * file, or fails it with why it ended and the end of its log. A requeued element stays in the
 * queue (PENDING, then RUNNING again), so its task simply waits for the second run, which finds
 * the output committed and exits at once.
 */
import { TaskError, type TaskHooks, type TaskJob, type TaskResult } from '../job.ts';
import type { BatchPaths } from './batch-file.ts';
import type { ElementStatus, SlurmCommands } from './commands.ts';
import { readElementResult, type ElementResult } from './element-result.ts';
import { endedWithoutResult, hasEnded, isRunning } from './element-state.ts';
import { logTail } from './log-tail.ts';

/**
 * How long an element that ended may go without its result file showing: a shared filesystem
 * (NFS attribute and negative-lookup caches) shows another host's new file late. An element
 * that exited 0 wrote one; one that failed may have; one cancelled or timed out usually not.
 */
const RESULT_PATIENCE_MS: Readonly<Record<string, number>> = { COMPLETED: 30_000, FAILED: 10_000 };
/** How long an element may be missing from squeue before it counts as lost. */
const MISSING_PATIENCE_MS = 10_000;
/** How long squeue may keep failing before the tasks it follows fail. */
const QUEUE_PATIENCE_MS = 120_000;

export interface Element {
  readonly job: TaskJob;
  readonly hooks: TaskHooks;
  settled: boolean;
  /** where it runs, once submitted */
  at?: { readonly jobId: string; readonly index: number; readonly paths: BatchPaths };
  started: boolean;
  /** when it was first seen ended (or missing) without a result file */
  waitingSince?: number;
  succeed(r: TaskResult): void;
  fail(err: unknown): void;
  onSettled?: () => void;
}

const nameOf = (e: Element) => `${e.at!.jobId}_${e.at!.index}`;

export class ArrayFollower {
  private readonly arrays = new Map<string, Element[]>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private failingSince: number | undefined;
  private readonly cancels = new Set<string>();
  private cancelling: Promise<void> | undefined;

  constructor(
    private readonly commands: SlurmCommands,
    private readonly options: { readonly pollMs: number },
  ) {}

  element(job: TaskJob, hooks: TaskHooks, resolve: (r: TaskResult) => void, reject: (e: unknown) => void): Element {
    const e: Element = {
      job,
      hooks,
      settled: false,
      started: false,
      succeed: (r) => {
        if (e.settled) return;
        e.settled = true;
        e.onSettled?.();
        resolve(r);
      },
      fail: (err) => {
        if (e.settled) return;
        e.settled = true;
        e.onSettled?.();
        reject(err);
      },
    };
    return e;
  }

  follow(jobId: string, paths: BatchPaths, elements: readonly Element[]): void {
    elements.forEach((e, index) => (e.at = { jobId, index, paths }));
    this.arrays.set(jobId, [...elements]);
    // cancelled while sbatch ran: it is in the queue now, so scancel it
    for (const e of elements) if (e.settled) this.cancel(e);
    this.schedule();
  }

  /** scancel a submitted element (batched: Ctrl-C cancels a whole run with one scancel) */
  cancel(e: Element): void {
    if (!e.at) return;
    this.cancels.add(nameOf(e));
    this.cancelling ??= new Promise<void>((r) => setImmediate(r)).then(() => this.flushCancels());
  }

  private async flushCancels(): Promise<void> {
    const ids = [...this.cancels];
    this.cancels.clear();
    this.cancelling = undefined;
    await this.commands.cancel(ids).catch(() => undefined); // already ended: nothing to cancel
  }

  private schedule(): void {
    if (this.timer || this.polling || this.arrays.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.polling = this.poll().finally(() => {
        this.polling = undefined;
        this.schedule();
      });
    }, this.options.pollMs);
  }

  private async poll(): Promise<void> {
    let statuses: ElementStatus[];
    try {
      statuses = await this.commands.queue([...this.arrays.keys()]);
      this.failingSince = undefined;
    } catch (err) {
      this.queueFailed(err);
      return;
    }
    const byName = new Map(statuses.map((st) => [`${st.jobId}_${st.index}`, st]));
    for (const [jobId, elements] of this.arrays) {
      const checks: Promise<void>[] = [];
      for (const e of elements) {
        if (e.settled) continue;
        const st = byName.get(nameOf(e)) ?? byName.get(`${jobId}_-1`);
        if (st && isRunning(st.state) && !e.started) {
          e.started = true;
          e.hooks.onStart?.();
        }
        if (!st || hasEnded(st.state)) checks.push(this.settle(e, st));
        // requeued after it ran: its first run may have committed the output; then it need not wait for the second
        else if (e.started && !isRunning(st.state)) checks.push(this.settleIfDone(e));
      }
      await Promise.all(checks);
      if (elements.every((e) => e.settled)) this.arrays.delete(jobId);
    }
  }

  /** squeue fails now and then on a busy cluster; only a long outage fails the tasks */
  private queueFailed(err: unknown): void {
    const now = Date.now();
    this.failingSince ??= now;
    if (now - this.failingSince < QUEUE_PATIENCE_MS) return;
    const message = `squeue has failed for ${Math.round((now - this.failingSince) / 1000)} s, so the run cannot follow its SLURM jobs: ${err instanceof Error ? err.message : String(err)}`;
    for (const elements of this.arrays.values()) for (const e of elements) e.fail(new TaskError(message));
    this.arrays.clear();
  }

  private async settle(e: Element, st: ElementStatus | undefined): Promise<void> {
    const result = await readElementResult(e.at!.paths.result(e.at!.index));
    if (result) return this.fromResult(e, result, st);
    e.waitingSince ??= Date.now();
    const patience = st ? (RESULT_PATIENCE_MS[st.state] ?? 0) : MISSING_PATIENCE_MS;
    if (Date.now() - e.waitingSince < patience) return;
    const why = st ? endedWithoutResult(nameOf(e), st.state, st.reason) : `SLURM no longer lists job ${nameOf(e)} (purged after MinJobAge?) and it left no result`;
    e.fail(new TaskError(await withLog(why, e.at!.paths.log(e.at!.index))));
  }

  private async settleIfDone(e: Element): Promise<void> {
    const result = await readElementResult(e.at!.paths.result(e.at!.index));
    if (result?.ok) await this.fromResult(e, result, undefined);
  }

  private async fromResult(e: Element, r: ElementResult, st: ElementStatus | undefined): Promise<void> {
    for (const w of r.warnings) e.hooks.onWarning(w);
    if (r.ok) {
      if (!e.started) e.hooks.onStart?.();
      // the element committed the objects and wrote the record (remote-task.ts)
      return e.succeed({ hash: r.hash, staged: [], bytes: r.bytes, durationMs: r.durationMs, recorded: true });
    }
    const log = e.at!.paths.log(e.at!.index);
    const tail = await logTail(log);
    // stopped by SLURM (scancel, the time limit): SLURM's reason says more than the SIGTERM the node saw
    const message = st && st.state !== 'FAILED' && st.state !== 'COMPLETED' ? `${endedWithoutResult(nameOf(e), st.state, st.reason)}: ${r.error}` : r.error;
    e.fail(new TaskError(message, [r.stack, tail ? `log ${log}:\n${tail}` : undefined].filter(Boolean).join('\n')));
  }

  /** The run is over: scancel what is left, stop polling. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const left = [...this.arrays.values()].flat().filter((e) => !e.settled);
    for (const e of left) this.cancel(e);
    await this.cancelling;
    for (const e of left) e.fail(new Error('the run ended'));
    this.arrays.clear();
    await this.polling;
  }
}

async function withLog(message: string, log: string): Promise<string> {
  const tail = await logTail(log);
  return tail ? `${message}\n  last lines of ${log}:\n${tail.replace(/^/gm, '    ')}` : `${message} (its log ${log} is empty)`;
}
