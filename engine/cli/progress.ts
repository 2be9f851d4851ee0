/**
 * Turns run events into what a person sees. On a TTY: an overall bar and one bar per running
 * task (cli-progress), removed when the task ends. Without a TTY (a log file, CI): one line per
 * finished step, not per task. Always: warnings, failures, the summary. `--quiet` keeps only
 * failures and the summary; `--verbose` adds a failed task's stack. `--json` prints NDJSON.
 */
import type cliProgress from 'cli-progress';
import type { RunEvent } from '../events.ts';

/** cli-progress, loaded only where bars are drawn (a TTY): `--json`, logs and CI never load it. */
export type ProgressBars = typeof cliProgress;
export async function progressBarsFor(err: NodeJS.WriteStream, o: HumanOptions = {}): Promise<ProgressBars | undefined> {
  return err.isTTY && !o.quiet ? (await import('cli-progress')).default : undefined;
}

export interface EventSink {
  next(e: RunEvent): void;
  stop(): void;
}

export interface HumanOptions {
  readonly quiet?: boolean;
  readonly verbose?: boolean;
}

export function jsonSink(out: NodeJS.WritableStream = process.stdout): EventSink {
  return {
    next: (e) => out.write(`${JSON.stringify(e)}\n`),
    stop() {},
  };
}

function line(e: RunEvent, o: HumanOptions): string | undefined {
  switch (e.type) {
    case 'info':
      return o.quiet ? undefined : `info: ${e.message}`;
    case 'warning':
      return o.quiet ? undefined : `warning: ${e.task ? `${e.task}: ` : ''}${e.message}`;
    case 'task-failed':
      return `FAILED ${e.task}: ${e.error}${o.verbose && e.stack ? `\n${e.stack.replace(/^/gm, '    ')}` : ''}`;
    case 'task-skipped':
      return o.quiet ? undefined : `skipped ${e.task} (upstream ${e.failed} failed)`;
    case 'task-waiting': {
      const h = e.holder;
      const who = h.state === 'unknown' ? 'an unreadable lock (taken over shortly)' : `${h.host} pid ${h.pid}, since ${h.since}`;
      return `waiting for ${e.task}: another run is computing it (${who})`;
    }
    default:
      return undefined;
  }
}

type StepCounts = { total: number; computed: number; cached: number; failed: number; skipped: number; cancelled: number };

function stepLine(step: string, c: StepCounts): string {
  const parts = [`${c.computed} computed`, `${c.cached} cached`];
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  if (c.cancelled) parts.push(`${c.cancelled} cancelled`);
  return `step ${step}: ${c.total} task${c.total === 1 ? '' : 's'} (${parts.join(', ')})`;
}

const COUNT_OF = { 'task-done': 'computed', 'task-cached': 'cached', 'task-failed': 'failed', 'task-skipped': 'skipped', 'task-cancelled': 'cancelled' } as const;

/** `progress`: cli-progress (progressBarsFor) to draw bars; without it, lines as on a log file. */
export function humanSink(err: NodeJS.WriteStream = process.stderr, o: HumanOptions = {}, progress?: ProgressBars): EventSink {
  const tty = progress !== undefined && Boolean(err.isTTY) && !o.quiet;
  let bars: cliProgress.MultiBar | undefined;
  let overall: cliProgress.SingleBar | undefined;
  const running = new Map<string, cliProgress.SingleBar>();
  const steps = new Map<string, StepCounts>();
  let done = 0;
  const log = (s: string) => (bars ? bars.log(`${s}\n`) : err.write(`${s}\n`));
  return {
    next(e) {
      switch (e.type) {
        case 'plan':
          for (const [s, n] of Object.entries(e.steps)) steps.set(s, { total: n, computed: 0, cached: 0, failed: 0, skipped: 0, cancelled: 0 });
          if (!o.quiet) err.write(`${e.pipeline}: ${e.tasks} tasks (${Object.entries(e.steps).map(([s, n]) => `${s} ×${n}`).join(', ')}); store ${e.store}; ${e.executor} ×${e.concurrency}\n`);
          if (tty && progress) {
            bars = new progress.MultiBar({ format: ' {bar} {percentage}% | {value}/{total} | {name}', hideCursor: true, clearOnComplete: true, stream: err }, progress.Presets.shades_classic);
            overall = bars.create(e.tasks, 0, { name: 'all tasks' });
          }
          return;
        case 'task-started':
          if (bars) running.set(e.task, bars.create(100, 0, { name: e.task }));
          return;
        case 'task-progress':
          running.get(e.task)?.update(Math.round(e.fraction * 100));
          return;
        case 'task-cached':
        case 'task-done':
        case 'task-failed':
        case 'task-cancelled':
        case 'task-skipped': {
          overall?.update(++done);
          const bar = running.get(e.task);
          if (bar) {
            bars!.remove(bar);
            running.delete(e.task);
          }
          const l = line(e, o);
          if (l) log(l);
          const c = steps.get(e.step);
          if (c) {
            c[COUNT_OF[e.type]]++;
            const ended = c.computed + c.cached + c.failed + c.skipped + c.cancelled;
            if (ended === c.total && !tty && !o.quiet) log(stepLine(e.step, c));
          }
          return;
        }
        case 'summary':
          bars?.stop();
          bars = undefined;
          err.write(
            `${e.pipeline}: ${e.computed} computed, ${e.cached} cached, ${e.failed} failed, ${e.skipped} skipped${e.cancelledTasks ? `, ${e.cancelledTasks} cancelled` : ''} in ${(e.durationMs / 1000).toFixed(1)} s${e.cancelled ? ' (cancelled)' : ''}\n`,
          );
          if (e.error) err.write(`the run failed: ${e.error}\n`);
          return;
        default: {
          const l = line(e, o);
          if (l) log(l);
        }
      }
    },
    stop() {
      bars?.stop();
    },
  };
}
