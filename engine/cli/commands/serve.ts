/**
 * `featureflow serve` (a run with a live page on 127.0.0.1) and `featureflow run --watch` (rerun
 * on save, progress on the console). Each run is a child process (engine/serve/supervisor.ts);
 * Ctrl-C cancels the running one cleanly and ends.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXECUTOR_KINDS } from '../../executors/kinds.ts';
import { resolvePipeline } from '../../load.ts';
import type { LiveChildOptions } from '../../serve/child-options.ts';
import { projectDirOf } from '../../serve/project-dir.ts';
import { LiveServer } from '../../serve/server.ts';
import { RunSupervisor } from '../../serve/supervisor.ts';
import { watchProject, type ProjectWatcher } from '../../serve/watcher.ts';
import { prepareOptions, UsageError, type RunCommandOptions } from '../options.ts';

export type ServeOptions = RunCommandOptions & { port?: string; watch?: boolean };

function childOptions(pipelineArg: string, o: RunCommandOptions, mode: LiveChildOptions['mode']): Omit<LiveChildOptions, 'runNumber'> {
  const p = prepareOptions(o);
  const jobs = o.jobs !== undefined ? Number(o.jobs) : undefined;
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new UsageError(`--jobs ${o.jobs}: expected a positive integer`);
  if (!(EXECUTOR_KINDS as readonly string[]).includes(o.executor)) throw new UsageError(`--executor ${o.executor}: choose ${EXECUTOR_KINDS.join(', ')}`);
  const durability = o.fsync === false ? 'none' : o.durability;
  if (!['each', 'batch', 'none'].includes(durability)) throw new UsageError(`--durability ${o.durability}: choose each, batch or none`);
  return {
    // the module's absolute path: the same module (and run entry) whatever folder the child starts in
    pipeline: fileURLToPath(resolvePipeline(pipelineArg)),
    store: resolve(o.store),
    overrides: [...p.overrides],
    ...(p.profile ? { profile: p.profile } : {}),
    ...(p.backend.length ? { backend: p.backend } : {}),
    ...(p.until ? { until: p.until } : {}),
    executor: o.executor,
    ...(jobs ? { concurrency: jobs } : {}),
    failFast: Boolean(o.failFast),
    durability,
    mode,
    quiet: Boolean(o.quiet),
    verbose: Boolean(o.verbose),
    ...(mode === 'console' && o.results !== false ? { results: resolve(o.results), set: o.set } : {}),
  };
}

/** Resolves on the first Ctrl-C (or SIGTERM); a second one exits at once. */
function interrupted(): Promise<void> {
  return new Promise((resolveStop) => {
    let count = 0;
    const on = () => {
      if (++count > 1) process.exit(130);
      process.stderr.write('\ninterrupted: cancelling the running tasks (finished ones stay cached); press Ctrl-C again to quit now\n');
      resolveStop();
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

function startWatching(pipelineArg: string, o: RunCommandOptions, supervisor: RunSupervisor): ProjectWatcher {
  const dir = projectDirOf(resolvePipeline(pipelineArg));
  const ignore = [resolve(o.store), ...(o.results !== false ? [resolve(o.results)] : [])];
  process.stderr.write(`watching ${dir} (a saved node, pipeline or data file reruns what changed)\n`);
  return watchProject(dir, ignore, (paths) => {
    process.stderr.write(`changed: ${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', …' : ''}: rerunning\n`);
    void supervisor.restart();
  });
}

export async function serveCommand(pipelineArg: string, o: ServeOptions): Promise<number> {
  const port = o.port !== undefined ? Number(o.port) : 7878;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${o.port}: expected a port number (0 picks a free one)`);
  const server = new LiveServer();
  const url = await server.listen(port);
  // stdout carries the URL alone (a script or a test reads it); the rest goes to stderr
  process.stdout.write(`${o.json ? JSON.stringify({ type: 'serve', url }) : `live page: ${url}`}\n`);
  const supervisor = new RunSupervisor(childOptions(pipelineArg, o, 'page'), (m) => server.publish(m), (code, run) => {
    process.stderr.write(`run ${run} ended (${code === 0 ? 'ok' : code === 130 ? 'cancelled' : 'with failures'})${o.watch ? '; watching for changes' : '; serving its page until Ctrl-C'}\n`);
  });
  const stop = interrupted();
  await supervisor.restart();
  const watcher = o.watch ? startWatching(pipelineArg, o, supervisor) : undefined;
  await stop;
  watcher?.close();
  await supervisor.stop();
  await server.close();
  return 130;
}

export async function watchCommand(pipelineArg: string, o: RunCommandOptions): Promise<number> {
  const supervisor = new RunSupervisor(childOptions(pipelineArg, o, 'console'), () => undefined, (code) => {
    process.stderr.write(`${code === 0 ? 'run complete' : code === 130 ? 'run cancelled' : 'run ended with failures'}; watching for changes (Ctrl-C ends)\n`);
  });
  const stop = interrupted();
  await supervisor.restart();
  const watcher = startWatching(pipelineArg, o, supervisor);
  await stop;
  watcher.close();
  await supervisor.stop();
  return 130;
}
