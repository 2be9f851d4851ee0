/**
 * The Redis pool when things break: a worker SIGKILLed mid-task (its task is retried by another
 * worker and finished once), and Redis killed and restarted empty mid-run (the coordinator finds
 * what the store holds, enqueues the lost rest again, and the run finishes).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../engine/project.ts';
import { runAll, summaryOf, tempStore } from '../engine/helpers.ts';
import { computations, haveRedis, requireRedisInCi, startRedis, startWorker, type TestRedis, type TestWorker } from './redis-helpers.ts';

requireRedisInCi();

const counted = join(projectRoot, 'test/fixtures/distributed/counted.ts');
const until = async (what: () => boolean, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe.skipIf(!haveRedis)('the Redis pool under faults', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  const setup = async () => {
    const redis: TestRedis = await startRedis();
    cleanup.push(() => redis.stop());
    const dir = mkdtempSync(join(tmpdir(), 'ff-redis-faults-'));
    const worker = (n: number, jobs = 1): TestWorker => {
      const w = startWorker({ url: redis.url, store: join(dir, 'store'), jobs, lockMs: 1_000, logFile: join(dir, `worker-${n}.log`) });
      cleanup.push(() => w.stop());
      return w;
    };
    return { redis, dir, store: join(dir, 'store'), log: join(dir, 'computed.log'), worker };
  };

  it('retries the task of a worker SIGKILLed mid-task on another worker, and finishes every task once', async () => {
    const { redis, store, log, worker } = await setup();
    const doomed = worker(1);
    await doomed.ready;
    const run = runAll(counted, { store, executor: 'redis', redis: redis.url, overrides: { i: [0, 1, 2], 'cell.sleepMs': 1_500, 'cell.log': log } });
    await until(() => computations(log).starts.size > 0);
    const [killed] = [...computations(log).starts.keys()];
    doomed.child.kill('SIGKILL');
    await worker(2).ready;
    const events = await run;
    const s = summaryOf(events);
    expect([s.computed, s.failed], JSON.stringify(events.filter((e) => e.type === 'task-failed'))).toEqual([4, 0]);
    const { starts, ends } = computations(log);
    expect(starts.get(killed!)).toBe(2); // begun on the killed worker, done on the other
    expect([...ends.values()]).toEqual([1, 1, 1]);
    expect(events.some((e) => e.type === 'task-progress')).toBe(true); // the workers' progress reached the run
  });

  it('finishes a run whose Redis was killed and restarted empty mid-run', async () => {
    const { redis, store, log, worker } = await setup();
    await worker(1, 2).ready;
    const run = runAll(counted, { store, executor: 'redis', redis: redis.url, overrides: { 'cell.sleepMs': 300, 'cell.log': log } });
    await until(() => computations(log).ends.size >= 2);
    await redis.restart(300);
    const events = await run;
    const s = summaryOf(events);
    expect([s.computed, s.failed], JSON.stringify(events.filter((e) => e.type === 'task-failed' || e.type === 'warning'))).toEqual([9, 0]);
    expect(events.some((e) => e.type === 'warning' && e.message.includes('lost this task'))).toBe(true);
    const again = summaryOf(await runAll(counted, { store, executor: 'in-process', overrides: { 'cell.sleepMs': 300, 'cell.log': log } }));
    expect([again.computed, again.cached]).toEqual([0, 9]);
  });
});
