/**
 * Issue 12, finding 8: every planned task ends with exactly one terminal event, and the summary's
 * counts add up to the plan — with failures, fail-fast and cancellation at any point.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import type { RunEvent } from '../../engine/events.ts';
import { defineNode } from '../../engine/node.ts';
import { definePipeline, gather, type StepRef } from '../../engine/pipeline.ts';
import { json, many } from '../../engine/ports.ts';
import { executeRun } from '../../engine/run.ts';
import { slowPipelinePath, summaryOf, tempStore, runAll } from './helpers.ts';

const params = z.object({ id: z.number(), fail: z.boolean(), delayMs: z.number() });
async function work(p: z.output<typeof params>, signal: AbortSignal, base = 0): Promise<number> {
  await new Promise((r) => setTimeout(r, p.delayMs));
  signal.throwIfAborted();
  if (p.fail) throw new Error(`task ${p.id} fails`);
  return p.id + base;
}
const root = defineNode({ name: 'accounting/root', version: 1, module: import.meta.url, params, inputs: {}, output: json<number>(), run: ({ params: p, signal }) => work(p, signal) });
const next = defineNode({
  name: 'accounting/next',
  version: 1,
  module: import.meta.url,
  params,
  inputs: { ups: many(json<number>()) },
  output: json<number>(),
  run: ({ params: p, inputs, signal }) => work(p, signal, inputs.ups.reduce((a, u) => a + u.value, 0)),
});

const TERMINAL = new Set(['task-done', 'task-cached', 'task-failed', 'task-skipped', 'task-cancelled']);

/** Steps of 1–3 cells; each step after the first gathers every cell of one earlier step. */
const dag = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc.tuple(
    ...Array.from({ length: n }, (_, i) =>
      fc.record({
        upstream: i === 0 ? fc.constant(-1) : fc.nat(i - 1),
        fail: fc.array(fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x < 0.15), { minLength: 1, maxLength: 3 }),
        delayMs: fc.integer({ min: 0, max: 3 }),
      }),
    ),
  ),
);

let counter = 0;
function pipelineOf(steps: readonly { upstream: number; fail: boolean[]; delayMs: number }[]) {
  const p = definePipeline({ name: `accounting-${counter++}`, description: '', module: import.meta.url });
  const refs: StepRef<number>[] = [];
  steps.forEach((st, i) => {
    const cells = p.zip(`c${i}`, { fail: st.fail, id: st.fail.map((_, k) => i * 10 + k) });
    const ps = { id: cells.id, fail: cells.fail, delayMs: st.delayMs };
    refs.push(st.upstream < 0 ? p.step(`s${i}`, root, { params: ps }) : p.step(`s${i}`, next, { params: ps, inputs: { ups: gather(refs[st.upstream]!, `c${st.upstream}`) } }));
  });
  return p;
}

async function runCollecting(pipeline: ReturnType<typeof pipelineOf>, failFast: boolean, cancelAfter: number | null): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  const cancel = new AbortController();
  await executeRun(
    pipeline,
    { store: tempStore(), executor: 'in-process', concurrency: 2, failFast, fsync: false },
    (e) => {
      events.push(e);
      if (cancelAfter !== null && events.length === cancelAfter) cancel.abort(new Error('run cancelled'));
    },
    cancel.signal,
  );
  return events;
}

function expectExactAccounting(events: readonly RunEvent[]): void {
  const plan = events.find((e) => e.type === 'plan') as Extract<RunEvent, { type: 'plan' }>;
  const terminal = events.filter((e) => TERMINAL.has(e.type)) as unknown as { task: string }[];
  expect(new Set(terminal.map((e) => e.task)).size).toBe(terminal.length);
  expect(terminal.length).toBe(plan.tasks);
  const s = summaryOf(events);
  expect(s.computed + s.cached + s.failed + s.skipped + s.cancelledTasks).toBe(plan.tasks);
  expect(events.at(-1)?.type).toBe('summary');
}

describe('run accounting', () => {
  it('ends every planned task with exactly one terminal event, whatever fails or is cancelled', async () => {
    await fc.assert(
      fc.asyncProperty(dag, fc.boolean(), fc.option(fc.integer({ min: 1, max: 40 })), async (steps, failFast, cancelAfter) => {
        const events = await runCollecting(pipelineOf(steps), failFast, cancelAfter);
        expectExactAccounting(events);
        const s = summaryOf(events);
        if (failFast && cancelAfter === null) expect(s.failed).toBeLessThanOrEqual(1 + 1); // the failure, and at most one racing in flight
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('reports one failure under --fail-fast on threads and cancels the rest', async () => {
    // slow.ts: 12 cells of 150 ms and a gather; cell 1 fails
    const events = await runAll(slowPipelinePath, { store: tempStore(), executor: 'threads', concurrency: 2, failFast: true, overrides: { 'noise.failOnSeed': 1 } });
    expectExactAccounting(events);
    const s = summaryOf(events);
    expect(s.failed).toBe(1);
    expect(s.cancelledTasks).toBeGreaterThan(0);
    const cancelled = events.filter((e) => e.type === 'task-cancelled') as Extract<RunEvent, { type: 'task-cancelled' }>[];
    expect(cancelled.every((e) => /fail-fast: .* failed/.test(e.reason))).toBe(true);
  }, 60_000);
});
