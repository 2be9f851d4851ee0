/**
 * The Redis pool across a coordinator's death, and a worker whose code is not the run's: a
 * coordinator SIGKILLed mid-run and started again computes no task twice (the task key is the
 * job id, and the store holds what is done), and a worker that imports a node file edited since
 * the run planned refuses its tasks, naming the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, Subject, takeUntil, tap, toArray } from 'rxjs';
import type { RunEvent } from '../../engine/events.ts';
import { projectRoot } from '../../engine/project.ts';
import { run } from '../../engine/run.ts';
import { jsonLines, ofType, spawnCli, summaryOf } from '../engine/helpers.ts';
import { userFolder } from '../engine/trust/fixtures.ts';
import { computations, haveRedis, requireRedisInCi, startRedis, startWorker, type TestRedis, type TestWorker } from './redis-helpers.ts';

requireRedisInCi();

const counted = join(projectRoot, 'test/fixtures/distributed/counted.ts');
const user = userFolder('redis-edited');

describe.skipIf(!haveRedis)('the Redis pool', () => {
  let redis: TestRedis;
  let worker: TestWorker;
  const dir = mkdtempSync(join(tmpdir(), 'ff-redis-restarts-'));
  const store = join(dir, 'store');
  beforeAll(async () => {
    redis = await startRedis();
    worker = startWorker({ url: redis.url, store, jobs: 2, logFile: join(dir, 'worker.log') });
    await worker.ready;
  });
  afterAll(async () => {
    await worker?.stop();
    redis?.stop();
    rmSync(user.dir, { recursive: true, force: true });
  });

  it('computes no task twice when its coordinator is SIGKILLed mid-run and started again', async () => {
    const log = join(dir, 'computed.log');
    const args = ['run', counted, '--executor', 'redis', '--redis', redis.url, '--store', store, '--json', '--no-results', '--set', 'cell.sleepMs=700', '--set', `cell.log=${log}`];
    const first = spawnCli(args);
    const exited = new Promise((r) => first.once('exit', r));
    for (let end = Date.now() + 30_000; computations(log).ends.size < 2 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 25));
    first.kill('SIGKILL');
    await exited;
    const second = spawnCli(args);
    let stdout = '';
    second.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise((r) => second.once('exit', r));
    const events = jsonLines(stdout);
    expect([code, summaryOf(events).failed]).toEqual([0, 0]);
    const { starts, ends } = computations(log);
    expect([...starts.values()]).toEqual(Array(8).fill(1));
    expect([...ends.values()]).toEqual(Array(8).fill(1));
  });

  it('cancels through its own channel: the running task stops, the queued ones go, and a rerun finishes', async () => {
    const log = join(dir, 'cancelled.log');
    const overrides = { i: [10, 11, 12, 13, 14, 15], 'cell.sleepMs': 20_000, 'cell.log': log };
    const stop = new Subject<void>();
    const t0 = Date.now();
    const events = await lastValueFrom(
      run(counted, { store, executor: 'redis', redis: redis.url, fsync: false, overrides }).pipe(
        takeUntil(stop),
        tap((e: RunEvent) => e.type === 'task-progress' && stop.next()),
        toArray(),
      ),
    );
    expect(ofType(events, 'task-done')).toHaveLength(0);
    // the worker hears the cancellation instead of sleeping out its 20 s cells
    for (let end = Date.now() + 10_000; !worker.log().includes(': cancelled') && Date.now() < end; ) await new Promise((r) => setTimeout(r, 25));
    expect(worker.log()).toMatch(/cell\[i=1\d\]: cancelled/);
    await new Promise((r) => setTimeout(r, 500));
    const { starts, ends } = computations(log);
    expect([starts.size <= 2, ends.size]).toEqual([true, 0]); // the queued cells never started
    expect(Date.now() - t0).toBeLessThan(15_000);
    const rerun = await lastValueFrom(run(counted, { store, executor: 'redis', redis: redis.url, fsync: false, overrides: { ...overrides, 'cell.sleepMs': 0 } }).pipe(toArray()));
    expect(summaryOf(rerun).failed).toBe(0);
  });

  it('refuses a task on a worker whose node file differs from the run, naming the file', async () => {
    const source = (factor: number) => `import { z } from 'zod';
import { defineNode } from '${user.engine}/node.ts';
import { definePipeline } from '${user.engine}/pipeline.ts';
import { json } from '${user.engine}/ports.ts';
const cell = defineNode({
  name: 'redis-edited/cell',
  version: 1,
  module: import.meta.url,
  params: z.object({ i: z.number().int() }),
  inputs: {},
  output: json<number>(),
  run: ({ params }) => params.i * ${factor},
});
const p = definePipeline({ name: 'redis-edited', description: '', module: import.meta.url });
p.output('cells', p.step('cell', cell, { params: { i: p.axis('i', [0, 1]) } }));
export default p;
`;
    const file = fileURLToPath(user.write('pipeline.ts', source(2)));
    // the researcher edits the node once the run has planned (fingerprinted) it, before the worker imports it
    const events = await lastValueFrom(
      run(file, { store, executor: 'redis', redis: redis.url, fsync: false }).pipe(
        tap((e: RunEvent) => e.type === 'plan' && writeFileSync(file, source(3))),
        toArray(),
      ),
    );
    const failed = ofType(events, 'task-failed');
    expect(failed).toHaveLength(2);
    expect(failed[0]!.error).toMatch(/this worker's code differs from the run's \(test\/fixtures\/generated\/redis-edited-\w+\/pipeline\.ts differ/);
    expect(ofType(events, 'warning').some((w) => w.message.includes('retrying'))).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('* 3');
  });
});
