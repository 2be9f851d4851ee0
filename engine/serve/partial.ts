/**
 * The live view of an output whose inputs are not all done: a gather over a sweep runs on the
 * cells done so far, in this process and in memory, so the page can redraw with them. Nothing is
 * written to the store: a partial value has no key. Only tasks downstream of an incomplete gather
 * are evaluated here; a task whose inputs are all done waits for the executor like any other.
 */
import { selectBackend, type BackendChoice } from '../compute/backends.ts';
import { createNodeContext } from '../context.ts';
import type { ExpandedPipeline, TaskSpec } from '../expand.ts';
import { taskSeed } from '../executors/execute-task.ts';
import type { BackendUse, NodeContext } from '../node.ts';
import { randomSourceFromSeed } from '../random.ts';
import type { Store } from '../store/store.ts';
import { readOutputValue } from '../report/outputs.ts';
import type { PortKind } from '../ports.ts';

export interface Available {
  readonly value: unknown;
  /** gathered cells behind it that are done, of how many; absent when nothing is missing */
  readonly partial?: { readonly done: number; readonly of: number };
}

export class PartialEvaluator {
  private readonly memo = new Map<number, Promise<Available | undefined>>();

  constructor(
    private readonly expanded: ExpandedPipeline,
    private readonly store: Store,
    /** task id → its output, once done or cached in the store */
    private readonly done: (id: number) => { kind: PortKind; hash: string } | undefined,
    private readonly backend: readonly string[] = [],
    /** decoded store values by object hash, shared across evaluations (a done value never changes) */
    private readonly decoded: Map<string, unknown> = new Map(),
  ) {}

  /** The task's value: from the store when done, else from the done part of its gathers, else undefined. */
  value(id: number): Promise<Available | undefined> {
    let p = this.memo.get(id);
    if (!p) {
      p = this.evaluate(this.expanded.tasks[id]!);
      this.memo.set(id, p);
    }
    return p;
  }

  private async evaluate(task: TaskSpec): Promise<Available | undefined> {
    const out = this.done(task.id);
    if (out) {
      if (!this.decoded.has(out.hash)) this.decoded.set(out.hash, await readOutputValue(this.store, out.kind, out.hash));
      return { value: this.decoded.get(out.hash) };
    }
    const inputs: Record<string, unknown> = {};
    let done = 0;
    let of = 0;
    for (const [name, input] of Object.entries(task.inputs)) {
      if (input.gather) {
        const values = await Promise.all(input.tasks.map((u) => (this.done(u) ? this.value(u) : Promise.resolve(undefined))));
        const ready = input.tasks.flatMap((u, i) => (values[i] ? [{ cell: this.expanded.tasks[u]!.cell, value: values[i]!.value }] : []));
        if (ready.length === 0) return undefined;
        inputs[name] = ready;
        done += ready.length;
        of += input.tasks.length;
      } else {
        const v = await this.value(input.tasks[0]!);
        if (!v) return undefined;
        inputs[name] = v.value;
        if (v.partial) {
          done += v.partial.done;
          of += v.partial.of;
        }
      }
    }
    // every input complete: the executor computes this task; the page waits for it
    if (done === of) return undefined;
    return { value: await this.runInMemory(task, inputs), partial: { done, of } };
  }

  private async runInMemory(task: TaskSpec, inputs: Record<string, unknown>): Promise<unknown> {
    const backends: Partial<Record<BackendUse, BackendChoice>> = {};
    for (const kind of task.node.backends ?? []) {
      const s = await selectBackend(kind, this.backend);
      backends[kind] = { name: s.name, identity: s.identity };
    }
    const ctx = await createNodeContext<unknown, unknown>(task.node, {
      params: task.params,
      inputs,
      random: randomSourceFromSeed(taskSeed(task.step, task.paramsCanonical)),
      backends,
      signal: new AbortController().signal,
      taskName: `${task.name} (partial)`,
      progress: () => undefined,
      warn: () => undefined,
    });
    return (task.node.run as (c: NodeContext<unknown, unknown>) => unknown)(ctx);
  }
}
