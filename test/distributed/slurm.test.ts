/**
 * `--executor slurm` on a real one-node SLURM (.ci/slurm-localhost.sh): the same bytes as
 * threads, a requeued element that finds its output committed, one task run twice at once,
 * an element scancelled under a run, and slurmd stopped and restarted mid-run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../engine/events.ts';
import { readBatchTask, writeBatch } from '../../engine/executors/slurm/batch-file.ts';
import { slurmCommands } from '../../engine/executors/slurm/commands.ts';
import { readElementResult } from '../../engine/executors/slurm/element-result.ts';
import { elementScript, ownCommand } from '../../engine/executors/slurm/job-script.ts';
import type { SlurmSettings } from '../../engine/executors/slurm/settings.ts';
import { projectRoot } from '../../engine/project.ts';
import { run, type RunOptions } from '../../engine/run.ts';
import { ofType, runAll, summaryOf, tempStore, tinyPipelinePath } from '../engine/helpers.ts';
import { elementsNamed, needCluster, slurmdPid, startLocalSlurm, type Cluster } from './local-slurm.ts';

let cluster: Cluster | undefined;
beforeAll(() => {
  cluster = startLocalSlurm();
}, 150_000);

/** 3 noise cells and their summary: two waves, two arrays */
const SMALL = { seed: [0, 1, 2], scale: [1] };
const onSlurm = (name: string, extra: SlurmSettings = {}): Pick<RunOptions, 'executor' | 'slurm'> => ({
  executor: 'slurm',
  slurm: { pollMs: 200, gatherMs: 50, jobName: `ff-${name}-${process.pid}`, ...extra },
});

/** every object of a store: hash → bytes */
function objects(store: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const shard of readdirSync(join(store, 'objects'))) {
    for (const f of readdirSync(join(store, 'objects', shard))) out.set(shard + f, readFileSync(join(store, 'objects', shard, f)).toString('base64'));
  }
  return out;
}

const batchFiles = (store: string) => readdirSync(join(store, 'slurm')).sort().map((d) => join(store, 'slurm', d, 'batch.json'));
/** a SLURM test waits on a shared 2-core CI machine: generous, never a timing assertion */
const SLOW = 150_000;
const until = async (what: string, cond: () => boolean, seconds = 120) => {
  for (let i = 0; i < seconds * 5 && !cond(); i++) await new Promise((r) => setTimeout(r, 200));
  if (!cond()) throw new Error(`waited ${seconds} s for ${what}`);
};

describe('run --executor slurm on a local cluster', () => {
  const shared = { store: '' };

  it('stores the bytes a threads run stores, and a later local run finds every task cached', async (ctx) => {
    needCluster(cluster, (why) => ctx.skip(why));
    shared.store = tempStore();
    // the profile sets the cells and the sbatch settings; the run's own `slurm` adds the job name
    const events = await runAll(tinyPipelinePath, { store: shared.store, profile: 'cluster', executor: 'slurm', slurm: { jobName: `ff-bytes-${process.pid}` } });
    const s = summaryOf(events);
    expect([s.computed, s.failed], JSON.stringify(ofType(events, 'task-failed'))).toEqual([4, 0]);
    expect(ofType(events, 'plan')[0]!.executor).toBe('slurm');
    expect(batchFiles(shared.store)).toHaveLength(2); // one array per wave
    const comments = execFileSync('squeue', ['-h', '--states=all', `--name=ff-bytes-${process.pid}`, '-o', '%k'], { encoding: 'utf8' });
    expect(new Set(comments.trim().split('\n'))).toEqual(new Set(['from-the-profile']));

    const threads = tempStore();
    await runAll(tinyPipelinePath, { store: threads, overrides: SMALL, executor: 'threads', concurrency: 2 });
    expect(objects(shared.store)).toEqual(objects(threads));
    const local = summaryOf(await runAll(tinyPipelinePath, { store: shared.store, overrides: SMALL, executor: 'in-process' }));
    expect([local.computed, local.cached]).toEqual([0, 4]);
  }, SLOW);

  it('a requeued element whose output is committed exits at once, leaving the record as it was', async (ctx) => {
    needCluster(cluster, (why) => ctx.skip(why));
    if (!shared.store) ctx.skip('needs the first test');
    const [first] = batchFiles(shared.store);
    const job = await readBatchTask(first!, 0);
    const recordPath = join(shared.store, 'tasks', job.record!.key.slice(0, 2), `${job.record!.key}.json`);
    const record = readFileSync(recordPath, 'utf8');
    const before = objects(shared.store);
    const firstWave = Math.min(...[...elementsNamed(`ff-bytes-${process.pid}`).keys()].map((e) => Number(e.split('_')[0])));
    const element = `${firstWave}_0`;
    execFileSync('scontrol', ['requeue', element]);
    execFileSync('scontrol', ['update', `JobId=${element}`, 'StartTime=now']); // a requeue waits 2 min otherwise
    const log = join(first!, '..', 'logs', '0.log');
    await until('the requeued element to finish', () => /already recorded/.test(readFileSync(log, 'utf8')) && elementsNamed(`ff-bytes-${process.pid}`).get(element) === 'COMPLETED');
    expect(readFileSync(recordPath, 'utf8')).toBe(record);
    expect(objects(shared.store)).toEqual(before);
  }, SLOW);

  it('one task run twice at once (two elements, one key): one committed output, no error', async (ctx) => {
    needCluster(cluster, (why) => ctx.skip(why));
    if (!shared.store) ctx.skip('needs the first test');
    const job = await readBatchTask(batchFiles(shared.store)[0]!, 0);
    // the same task, slow enough that both copies compute (the seed, hence the bytes, stays)
    const slowJob = { ...job, params: { ...(job.params as object), sleepMs: 1500 } };
    const store = tempStore();
    const paths = await writeBatch(store, [slowJob, slowJob]);
    const jobId = await slurmCommands().submitArray({ script: elementScript(ownCommand(), paths.file, store), count: 2, output: paths.logPattern, chdir: projectRoot, args: ['--job-name=ff-twice'] });
    const state = () => execFileSync('squeue', ['-h', '-r', '--states=all', `--jobs=${jobId}`, '-o', '%T'], { encoding: 'utf8' }).trim().split('\n');
    await until('both copies to end', () => state().every((s) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(s)));
    expect(state()).toEqual(['COMPLETED', 'COMPLETED']);
    const hashes = (await Promise.all([0, 1].map((i) => readElementResult(paths.result(i))))).map((r) => (r?.ok ? r.hash : `failed: ${JSON.stringify(r)}`));
    expect(hashes[1]).toBe(hashes[0]);
    expect([...objects(store).keys()]).toEqual([hashes[0]]);
    expect(readdirSync(join(store, 'tasks', job.record!.key.slice(0, 2)))).toEqual([`${job.record!.key}.json`]);
  }, SLOW);

  it('an element scancelled under the run fails its task with the reason, and a rerun finishes', async (ctx) => {
    needCluster(cluster, (why) => ctx.skip(why));
    const store = tempStore();
    const overrides = { ...SMALL, 'noise.sleepMs': 2500 };
    const name = `ff-scancel-${process.pid}`;
    let cancelled = false;
    const events = await lastValueFrom(
      run(tinyPipelinePath, { store, fsync: false, overrides, ...onSlurm('scancel') }).pipe(
        tap((e: RunEvent) => {
          if (e.type !== 'task-started' || cancelled) return;
          cancelled = true;
          const runningOne = [...elementsNamed(name)].find(([, st]) => st === 'RUNNING')![0];
          execFileSync('scancel', [runningOne]);
        }),
        toArray(),
      ),
    );
    const failed = ofType(events, 'task-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toMatch(/SLURM job \d+_\d+ was cancelled/);
    expect(ofType(events, 'task-skipped').map((e) => e.step)).toEqual(['summary']);
    const again = summaryOf(await runAll(tinyPipelinePath, { store, overrides, ...onSlurm('scancel-rerun') }));
    expect([again.computed, again.cached, again.failed]).toEqual([2, 2, 0]);
  }, SLOW);

  it('slurmd stopped and started again within SlurmdTimeout: the run finishes', async (ctx) => {
    needCluster(cluster, (why) => ctx.skip(why));
    const store = tempStore();
    let restarted: Promise<void> | undefined;
    const events = await lastValueFrom(
      run(tinyPipelinePath, { store, fsync: false, overrides: { seed: [0, 1], scale: [1], 'noise.sleepMs': 3000 }, ...onSlurm('slurmd') }).pipe(
        tap((e: RunEvent) => {
          if (e.type === 'task-started' && !restarted) restarted = restartSlurmd();
        }),
        toArray(),
      ),
    );
    await restarted;
    const s = summaryOf(events);
    expect([s.computed, s.failed], JSON.stringify(ofType(events, 'task-failed'))).toEqual([3, 0]);
  }, SLOW);
});

/** Stop slurmd (its running jobs live on under slurmstepd), wait a second, start it again. */
async function restartSlurmd(): Promise<void> {
  const pid = slurmdPid();
  if (pid) process.kill(pid, 'SIGTERM');
  await until('slurmd to stop', () => {
    try {
      process.kill(pid!, 0);
      return false;
    } catch {
      return true;
    }
  }, 15);
  await new Promise((r) => setTimeout(r, 1000));
  await new Promise<void>((resolve, reject) => spawn('/usr/sbin/slurmd', [], { stdio: 'ignore' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`slurmd exited ${code}`)))));
}
