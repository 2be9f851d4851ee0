/**
 * The SLURM executor against a fake of sbatch/squeue/scancel: waves become arrays, element
 * outcomes become task outcomes, cancelling reaches scancel. The real cluster: slurm.test.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeJsonValue } from '../../engine/canonical.ts';
import { slurmSettingsFromFlags } from '../../engine/cli/slurm-flags.ts';
import type { TaskHooks, TaskJob } from '../../engine/executors/job.ts';
import type { BatchFile } from '../../engine/executors/slurm/batch-file.ts';
import { parseQueue, type ArraySubmission, type ElementStatus, type SlurmCommands } from '../../engine/executors/slurm/commands.ts';
import { writeElementResult } from '../../engine/executors/slurm/element-result.ts';
import { slurmExecutor } from '../../engine/executors/slurm/executor.ts';
import { checkSlurmSettings, mergeSlurmSettings, resourceArgs } from '../../engine/executors/slurm/settings.ts';
import { runCli, tempStore } from '../engine/helpers.ts';

class FakeSlurm implements SlurmCommands {
  readonly submissions: ArraySubmission[] = [];
  readonly cancelled: string[][] = [];
  readonly states = new Map<string, ElementStatus>();
  refuse: string | undefined;

  async submitArray(s: ArraySubmission): Promise<string> {
    if (this.refuse) throw new Error(this.refuse);
    this.submissions.push(s);
    const jobId = String(100 + this.submissions.length);
    for (let i = 0; i < s.count; i++) this.states.set(`${jobId}_${i}`, { jobId, index: i, state: 'PENDING', reason: 'Priority' });
    return jobId;
  }
  async queue(jobIds: readonly string[]): Promise<ElementStatus[]> {
    return [...this.states.values()].filter((st) => jobIds.includes(st.jobId));
  }
  async cancel(ids: readonly string[]): Promise<void> {
    this.cancelled.push([...ids]);
  }
  /** the batch directory of submission n (from its --output pattern) */
  dir(n = 0): string {
    return dirname(dirname(this.submissions[n]!.output));
  }
  set(jobId: string, index: number, state: string): void {
    this.states.set(`${jobId}_${index}`, { jobId, index, state, reason: 'None' });
  }
}

const job = (storeRoot: string, task: string) => ({ task, storeRoot, step: 'noise', params: { seed: 1 } }) as unknown as TaskJob;
const hooksFor = (signal = new AbortController().signal) => {
  const seen = { started: 0, warnings: [] as string[] };
  const hooks: TaskHooks = { signal, onStart: () => seen.started++, onProgress() {}, onWarning: (m) => seen.warnings.push(m) };
  return { hooks, seen };
};
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error('condition not reached');
};
const fast = { pollMs: 15, gatherMs: 20 };
const ok = (task: string, hash: string) => ({ ok: true as const, task, hash, bytes: 10, durationMs: 5, startedAt: new Date().toISOString(), host: 'n1', alreadyRecorded: false, warnings: ['w'] });

describe('the SLURM executor (fake sbatch/squeue/scancel)', () => {
  it('sends tasks that become ready together as one array, and takes each task outcome from its element result', async () => {
    const fake = new FakeSlurm();
    const store = tempStore();
    const ex = slurmExecutor(fast, { commands: fake, command: { argv: ['/usr/bin/node', '/p/bin/featureflow.mjs'] }, cwd: '/project' });
    const a = hooksFor();
    const runs = ['t0', 't1', 't2'].map((t, i) => ex.execute(job(store, t), i === 0 ? a.hooks : hooksFor().hooks));
    await until(() => fake.submissions.length === 1);
    const s = fake.submissions[0]!;
    expect([s.count, s.chdir]).toEqual([3, '/project']);
    expect(s.script).toContain(`'/usr/bin/node' '/p/bin/featureflow.mjs' exec --batch '${join(fake.dir(), 'batch.json')}' --index "$SLURM_ARRAY_TASK_ID" --store '${store}'`);
    const batch = decodeJsonValue(readFileSync(join(fake.dir(), 'batch.json'), 'utf8')) as BatchFile;
    expect(batch.tasks.map((t) => t.task)).toEqual(['t0', 't1', 't2']);

    fake.set('101', 0, 'RUNNING');
    await until(() => a.seen.started === 1);
    for (let i = 0; i < 3; i++) {
      await writeElementResult(join(fake.dir(), 'results', `${i}.json`), ok(`t${i}`, `h${i}`));
      fake.set('101', i, 'COMPLETED');
    }
    const results = await Promise.all(runs);
    expect(results.map((r) => [r.hash, r.recorded, r.staged.length])).toEqual([['h0', true, 0], ['h1', true, 0], ['h2', true, 0]]);
    expect(a.seen.warnings).toEqual(['w']);
    await ex.close();
    expect(fake.cancelled).toEqual([]);
  });

  it('fails a task whose element ended without a result with SLURM state and the end of its log', async () => {
    const fake = new FakeSlurm();
    const ex = slurmExecutor(fast, { commands: fake });
    const running = ex.execute(job(tempStore(), 't0'), hooksFor().hooks);
    await until(() => fake.submissions.length === 1);
    mkdirSync(join(fake.dir(), 'logs'), { recursive: true });
    writeFileSync(join(fake.dir(), 'logs', '0.log'), 'featureflow exec: task t0\nslurmstepd: error: *** JOB 101 CANCELLED ***\n');
    fake.set('101', 0, 'CANCELLED');
    const err = (await running.catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/SLURM job 101_0 was cancelled \(scancel, or an administrator\)/);
    expect(err.message).toContain('*** JOB 101 CANCELLED ***');
    await ex.close();
  });

  it("fails a task with its own error when the element reported one, the log's end in the detail", async () => {
    const fake = new FakeSlurm();
    const ex = slurmExecutor(fast, { commands: fake });
    const running = ex.execute(job(tempStore(), 't0'), hooksFor().hooks);
    await until(() => fake.submissions.length === 1);
    await writeElementResult(join(fake.dir(), 'results', '0.json'), { ok: false, task: 't0', error: 'asked to fail (seed 1)', stack: 'Error: asked to fail\n    at run (nodes.ts:3)', host: 'n1', warnings: [] });
    fake.set('101', 0, 'FAILED');
    const err = (await running.catch((e: unknown) => e)) as Error & { detail?: string };
    expect(err.message).toBe('asked to fail (seed 1)');
    expect(err.detail).toContain('nodes.ts:3');
    await ex.close();
  });

  it('cancelling scancels the submitted elements in one call; a task still gathering never reaches sbatch', async () => {
    const fake = new FakeSlurm();
    const ex = slurmExecutor(fast, { commands: fake });
    const stop = new AbortController();
    const runs = ['t0', 't1'].map((t) => ex.execute(job(tempStore(), t), hooksFor(stop.signal).hooks).catch((e: unknown) => e));
    await until(() => fake.submissions.length === 1);
    stop.abort(new Error('interrupted'));
    expect((await Promise.all(runs)).map(String)).toEqual(['Error: interrupted', 'Error: interrupted']);
    await until(() => fake.cancelled.length === 1);
    expect(fake.cancelled).toEqual([['101_0', '101_1']]);

    const slow = slurmExecutor({ ...fast, gatherMs: 5_000 }, { commands: fake });
    const early = new AbortController();
    const gathering = slow.execute(job(tempStore(), 't9'), hooksFor(early.signal).hooks).catch((e: unknown) => e);
    early.abort(new Error('stop'));
    expect(String(await gathering)).toBe('Error: stop');
    await slow.close();
    expect(fake.submissions.length).toBe(1);
    await ex.close();
  });

  it("names SLURM's reason when the node reported being stopped (a time limit), and takes a whole array's state for its elements", async () => {
    const fake = new FakeSlurm();
    const ex = slurmExecutor(fast, { commands: fake });
    const runs = ['t0', 't1'].map((t) => ex.execute(job(tempStore(), t), hooksFor().hooks).catch((e: unknown) => e));
    await until(() => fake.submissions.length === 1);
    await writeElementResult(join(fake.dir(), 'results', '0.json'), { ok: false, task: 't0', error: 'stopped by SIGTERM (scancel or the time limit)', host: 'n1', warnings: [] });
    fake.states.clear();
    fake.states.set('101_-1', { jobId: '101', index: -1, state: 'TIMEOUT', reason: 'None' }); // squeue: "101|N/A|TIMEOUT"
    const [a, b] = (await Promise.all(runs)).map(String);
    expect(a).toMatch(/SLURM job 101_0 ran out of its time limit: ask for more with --time: stopped by SIGTERM/);
    expect(b).toMatch(/SLURM job 101_1 ran out of its time limit/);
    await ex.close();
  });

  it('settles a requeued element from the output its first run committed, without waiting for the second run', async () => {
    const fake = new FakeSlurm();
    const ex = slurmExecutor(fast, { commands: fake });
    const running = ex.execute(job(tempStore(), 't0'), hooksFor().hooks);
    await until(() => fake.submissions.length === 1);
    fake.set('101', 0, 'RUNNING');
    await new Promise((r) => setTimeout(r, 60));
    fake.states.set('101_0', { jobId: '101', index: 0, state: 'PENDING', reason: 'BeginTime' }); // requeued
    await new Promise((r) => setTimeout(r, 60));
    await writeElementResult(join(fake.dir(), 'results', '0.json'), ok('t0', 'h0')); // the first run finishes after all
    expect((await running).hash).toBe('h0');
    await ex.close();
  });

  it("fails the wave's tasks with sbatch's own message when it refuses the array", async () => {
    const fake = new FakeSlurm();
    fake.refuse = 'sbatch failed: sbatch: error: invalid partition specified: gpu';
    const ex = slurmExecutor({ ...fast, partition: 'gpu' }, { commands: fake });
    const err = await ex.execute(job(tempStore(), 't0'), hooksFor().hooks).catch((e: unknown) => e);
    expect(String(err)).toContain('invalid partition specified: gpu');
    await ex.close();
  });

  it('closing the executor scancels what is still queued', async () => {
    const fake = new FakeSlurm();
    const ex = slurmExecutor(fast, { commands: fake });
    const running = ex.execute(job(tempStore(), 't0'), hooksFor().hooks).catch((e: unknown) => e);
    await until(() => fake.submissions.length === 1);
    await ex.close();
    expect(fake.cancelled).toEqual([['101_0']]);
    expect(String(await running)).toMatch(/the run ended/);
  });
});

describe('squeue output', () => {
  it('reads elements, and a pending array not yet split as its range of elements', () => {
    expect(parseQueue('7|0|RUNNING|None\n7|2-4%2|PENDING|JobArrayTaskLimit\n8|1,3|PENDING|Priority\n9|N/A|CANCELLED|None\n')).toEqual([
      { jobId: '7', index: 0, state: 'RUNNING', reason: 'None' },
      ...[2, 3, 4].map((index) => ({ jobId: '7', index, state: 'PENDING', reason: 'JobArrayTaskLimit' })),
      ...[1, 3].map((index) => ({ jobId: '8', index, state: 'PENDING', reason: 'Priority' })),
      { jobId: '9', index: -1, state: 'CANCELLED', reason: 'None' },
    ]);
  });
});

describe('SLURM settings', () => {
  it('refuse a bad value naming its flag and the form it takes', () => {
    expect(() => checkSlurmSettings({ time: 'an hour' })).toThrow(/--time an hour: expected minutes, H:MM:SS/);
    expect(() => checkSlurmSettings({ mem: '4 GB' })).toThrow(/--mem 4 GB: expected a size such as 500M or 4G/);
    expect(() => checkSlurmSettings({ cpusPerTask: 0 })).toThrow(/--cpus-per-task 0/);
    expect(() => checkSlurmSettings({ sbatchArgs: ['--array=0-9'] })).toThrow(/--sbatch-arg --array=0-9: featureflow sets this option itself/);
    expect(() => checkSlurmSettings({ sbatchArgs: ['account=lab'] })).toThrow(/expected an sbatch option/);
  });

  it('are refused with another executor, and taken from the flags with slurm', () => {
    expect(() => slurmSettingsFromFlags({ executor: 'threads', partition: 'gpu', sbatchArg: [] })).toThrow(/--partition: only for --executor slurm/);
    expect(slurmSettingsFromFlags({ executor: 'slurm', partition: 'gpu', time: '1:00:00', mem: '4G', cpusPerTask: '2', sbatchArg: ['--qos=short'] })).toEqual({
      partition: 'gpu',
      time: '1:00:00',
      mem: '4G',
      cpusPerTask: 2,
      sbatchArgs: ['--qos=short'],
    });
  });

  it("layer a profile's settings under the command line's, key by key, sbatch args added", () => {
    const merged = mergeSlurmSettings({ partition: 'cpu', time: '10', sbatchArgs: ['--account=lab'] }, { time: '1:00:00', sbatchArgs: ['--qos=short'] });
    expect(merged).toEqual({ partition: 'cpu', time: '1:00:00', sbatchArgs: ['--account=lab', '--qos=short'] });
    expect(resourceArgs(merged)).toEqual(['--partition=cpu', '--time=1:00:00', '--cpus-per-task=1', '--job-name=featureflow', '--account=lab', '--qos=short']);
  });
});

describe('featureflow exec', () => {
  it('refuses a bad index or an unreadable batch file with exit 2 and what to fix', () => {
    const store = tempStore();
    const badIndex = runCli(['exec', '--batch', join(store, 'b.json'), '--index', 'x', '--store', store]);
    expect([badIndex.code, badIndex.stderr]).toEqual([2, expect.stringMatching(/--index x: expected the element's index \(SLURM sets \$SLURM_ARRAY_TASK_ID\)/)]);
    const missing = runCli(['exec', '--batch', join(store, 'none.json'), '--index', '0', '--store', store]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/cannot read batch file .*none\.json \(ENOENT\): is the store on a filesystem this node shares/)]);
  });
});
