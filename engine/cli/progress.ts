/**
 * Turns run events into what a person sees: progress bars on a TTY (cli-progress), one line
 * per finished task otherwise, NDJSON with --json.
 */
import cliProgress from 'cli-progress';
import type { RunEvent } from '../events.ts';

export interface EventSink {
  next(e: RunEvent): void;
  stop(): void;
}

export function jsonSink(out: NodeJS.WritableStream = process.stdout): EventSink {
  return {
    next: (e) => out.write(`${JSON.stringify(e)}\n`),
    stop() {},
  };
}

function line(e: RunEvent): string | undefined {
  switch (e.type) {
    case 'info':
      return `info: ${e.message}`;
    case 'warning':
      return `warning: ${e.task ? `${e.task}: ` : ''}${e.message}`;
    case 'task-failed':
      return `FAILED ${e.task}: ${e.error}`;
    case 'task-skipped':
      return e.failed === 'cancelled' ? undefined : `skipped ${e.task} (upstream ${e.failed} failed)`;
    case 'task-waiting': {
      const h = e.holder;
      const who = h.state === 'unknown' ? 'an unreadable lock (taken over shortly)' : `${h.host} pid ${h.pid}, since ${h.since}`;
      return `waiting for ${e.task}: another run is computing it (${who})`;
    }
    default:
      return undefined;
  }
}

export function humanSink(err: NodeJS.WriteStream = process.stderr): EventSink {
  const tty = Boolean(err.isTTY);
  let bars: cliProgress.MultiBar | undefined;
  let overall: cliProgress.SingleBar | undefined;
  const running = new Map<string, cliProgress.SingleBar>();
  let done = 0;
  let total = 0;
  const log = (s: string) => (bars ? bars.log(`${s}\n`) : err.write(`${s}\n`));
  return {
    next(e) {
      switch (e.type) {
        case 'plan':
          total = e.tasks;
          err.write(`${e.pipeline}: ${e.tasks} tasks (${Object.entries(e.steps).map(([s, n]) => `${s} ×${n}`).join(', ')}); store ${e.store}; ${e.executor} ×${e.concurrency}\n`);
          if (tty) {
            bars = new cliProgress.MultiBar({ format: ' {bar} {percentage}% | {value}/{total} | {name}', hideCursor: true, clearOnComplete: true, stream: err }, cliProgress.Presets.shades_classic);
            overall = bars.create(total, 0, { name: 'all tasks' });
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
        case 'task-skipped': {
          done++;
          overall?.update(done);
          const bar = running.get(e.task);
          if (bar) {
            bars!.remove(bar);
            running.delete(e.task);
          }
          const l = line(e);
          if (l) log(l);
          else if (!tty && e.type === 'task-done') err.write(`done ${e.task} (${(e.durationMs / 1000).toFixed(2)} s)\n`);
          return;
        }
        case 'summary':
          bars?.stop();
          bars = undefined;
          err.write(
            `${e.pipeline}: ${e.computed} computed, ${e.cached} cached, ${e.failed} failed, ${e.skipped} skipped in ${(e.durationMs / 1000).toFixed(1)} s${e.cancelled ? ' (cancelled)' : ''}\n`,
          );
          return;
        default: {
          const l = line(e);
          if (l) log(l);
        }
      }
    },
    stop() {
      bars?.stop();
    },
  };
}
