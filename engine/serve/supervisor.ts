/**
 * Runs each live run in its own child process (child.ts) and starts the next one when asked
 * (a save under --watch): the running one is cancelled first and waited for, so two runs never
 * write at once and the cache serves the new run everything that did not change.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHILD_OPTIONS_ENV, type LiveChildOptions } from './child-options.ts';
import type { LiveMessage } from './messages.ts';

// bin/ beside engine/ in a checkout; two levels further up from the installed package's dist/engine/serve/
const cli = [new URL('../../bin/featureflow.mjs', import.meta.url), new URL('../../../bin/featureflow.mjs', import.meta.url)].map((u) => fileURLToPath(u)).find((p) => existsSync(p))!;

export class RunSupervisor {
  private child: ChildProcess | undefined;
  private exited: Promise<number> = Promise.resolve(0);
  private runNumber = 0;
  private stopped = false;

  constructor(
    private readonly base: Omit<LiveChildOptions, 'runNumber'>,
    private readonly onMessage: (m: LiveMessage) => void,
    private readonly onExit: (code: number, run: number) => void = () => undefined,
  ) {}

  get runs(): number {
    return this.runNumber;
  }

  private queue: Promise<void> = Promise.resolve();
  private queued = false;

  /**
   * Cancel the running run (if any), wait for it, and start a fresh one. Restarts run one after
   * another, and saves that arrive while one waits share it: never two runs at once.
   */
  restart(): Promise<void> {
    if (this.queued) return this.queue;
    this.queued = true;
    this.queue = this.queue.then(() => {
      this.queued = false;
      return this.startFresh();
    });
    return this.queue;
  }

  private async startFresh(): Promise<void> {
    await this.cancel();
    if (this.stopped) return;
    const options: LiveChildOptions = { ...this.base, runNumber: ++this.runNumber };
    const run = this.runNumber;
    const child = spawn(process.execPath, [cli, '__live-run'], {
      // the child reads its options from the environment; in console mode it prints to our terminal
      env: { ...process.env, [CHILD_OPTIONS_ENV]: JSON.stringify(options) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    child.on('message', (m: LiveMessage) => this.onMessage(m));
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        const c = code ?? (signal ? 130 : 1);
        if (this.child === child) this.child = undefined;
        this.onExit(c, run);
        resolve(c);
      });
    });
  }

  /** Ask the running run to cancel and wait for its process to end. */
  async cancel(): Promise<void> {
    const c = this.child;
    if (c && c.exitCode === null) {
      if (c.connected) c.send({ type: 'cancel' });
      else c.kill('SIGINT');
    }
    await this.exited;
  }

  /** No more runs: cancel the current one and wait for it. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.cancel();
  }

  /** Resolves when the current run's process has ended. */
  finished(): Promise<number> {
    return this.exited;
  }
}
