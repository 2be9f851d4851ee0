/**
 * The Redis pool end to end: a run on two `featureflow worker`s gives the same bytes as the thread
 * pool, a later local run finds everything cached, and the run reports the workers' progress.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../engine/events.ts';
import { ofType, runAll, runCli, summaryOf, tempStore, tinyPipelinePath } from '../engine/helpers.ts';
import { haveRedis, requireRedisInCi, startRedis, startWorker, type TestRedis, type TestWorker } from './redis-helpers.ts';

requireRedisInCi();

const outputs = (events: readonly RunEvent[]) =>
  Object.fromEntries([...ofType(events, 'task-done'), ...ofType(events, 'task-cached')].map((e) => [e.task, e.output]));

describe.skipIf(!haveRedis)('the Redis pool', () => {
  let redis: TestRedis;
  const store = tempStore();
  const workers: TestWorker[] = [];
  const logs = mkdtempSync(join(tmpdir(), 'ff-redis-'));
  beforeAll(async () => {
    redis = await startRedis();
    for (const n of [1, 2]) workers.push(startWorker({ url: redis.url, store, jobs: 1, logFile: join(logs, `worker-${n}.log`) }));
    await Promise.all(workers.map((w) => w.ready));
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    redis?.stop();
  });

  it('computes byte-identical objects to the thread pool, and a later local run finds all of them cached', async () => {
    const pooled = await runAll(tinyPipelinePath, { store, executor: 'redis', redis: redis.url });
    const trouble = pooled.filter((e) => e.type === 'task-failed' || e.type === 'warning');
    expect(summaryOf(pooled).computed, JSON.stringify(trouble)).toBe(10);
    expect(ofType(pooled, 'task-started')).toHaveLength(10);
    const threads = await runAll(tinyPipelinePath, { store: tempStore(), executor: 'threads', concurrency: 2 });
    expect(outputs(pooled)).toEqual(outputs(threads));
    const local = summaryOf(await runAll(tinyPipelinePath, { store, executor: 'threads', concurrency: 2 }));
    expect([local.computed, local.cached]).toEqual([0, 10]);
    // both workers took part
    expect(workers.every((w) => w.log().includes('done in'))).toBe(true);
  });

  it('fails a node error at once with its message, and refuses bad flags with the fix', async () => {
    const events = await runAll(tinyPipelinePath, { store, executor: 'redis', redis: redis.url, overrides: { 'noise.failOnSeed': 2 } });
    const failed = ofType(events, 'task-failed');
    expect(failed.map((f) => f.error)).toEqual([expect.stringContaining('asked to fail (seed 2)'), expect.stringContaining('asked to fail (seed 2)')]);
    const noUrl = runCli(['run', tinyPipelinePath, '--executor', 'redis', '--store', store]);
    expect([noUrl.code, noUrl.stderr]).toEqual([2, expect.stringContaining('--executor redis needs --redis URL')]);
    const down = runCli(['run', tinyPipelinePath, '--executor', 'redis', '--redis', 'redis://127.0.0.1:1', '--store', store]);
    expect([down.code, down.stderr]).toEqual([2, expect.stringContaining('cannot reach Redis at redis://127.0.0.1:1')]);
  });
});
