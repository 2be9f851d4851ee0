/**
 * Run one task wherever it lands (main thread or a worker): read and verify its inputs, give
 * the node its context, store the output object. Writes nothing but content-addressed objects;
 * the task record is the coordinator's job.
 */
import type { AnyNode, NodeContext } from '../node.ts';
import { arrowReady } from '../arrow.ts';
import { randomSourceFromSeed } from '../random.ts';
import { createNodeContext } from '../context.ts';
import { StoreError } from '../store/errors.ts';
import { Store } from '../store/store.ts';
import { decodeValue, encodeValue } from '../store/values.ts';
import type { TaskHooks, TaskJob, TaskResult } from './job.ts';

const stores = new Map<string, Promise<Store>>();
function storeFor(root: string, fsync: boolean): Promise<Store> {
  const k = `${root}\0${fsync}`;
  if (!stores.has(k)) stores.set(k, Store.open(root, { durability: fsync ? 'each' : 'none' }));
  return stores.get(k)!;
}

/** The random stream of a task: its step id and canonical params, nothing else. */
export function taskSeed(step: string, paramsCanonical: string): string {
  return `featureflow/random/v1\0${step}\0${paramsCanonical}`;
}

export async function executeTask(job: TaskJob, node: AnyNode, hooks: TaskHooks): Promise<TaskResult> {
  await arrowReady();
  const started = performance.now();
  const store = await storeFor(job.storeRoot, job.fsync);
  const get = (h: string) => store.getObject(h);
  const inputs: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(job.inputs)) {
    const values = await Promise.all(input.hashes.map(async (h) => decodeValue(input.kind, await get(h), get)));
    inputs[name] = input.gather ? values.map((value, i) => ({ cell: input.cells[i], value })) : values[0];
  }
  const ctx = await createNodeContext<unknown, unknown>(node, {
    params: job.params,
    inputs,
    random: randomSourceFromSeed(taskSeed(job.step, job.paramsCanonical)),
    backends: job.backends,
    signal: hooks.signal,
    taskName: job.task,
    progress: (f, m) => hooks.onProgress(f, m),
    warn: (m) => hooks.onWarning(m),
  });
  const value = await (node.run as (c: NodeContext<unknown, unknown>) => unknown)(ctx);
  hooks.signal.throwIfAborted();
  const staged: { hash: string; tmp: string }[] = [];
  const stage = async (b: Uint8Array) => {
    const s = await store.stageObject(b);
    if (s.tmp) staged.push({ hash: s.hash, tmp: s.tmp });
    return s.hash;
  };
  let bytes: Uint8Array;
  let hash: string;
  try {
    bytes = await encodeValue(job.outputKind, value, stage).catch((err: unknown) => {
      if (err instanceof StoreError) throw err;
      throw new Error(`node ${node.name} returned a value its ${job.outputKind} output cannot store: ${err instanceof Error ? err.message : String(err)}`);
    });
    hash = await stage(bytes);
  } catch (err) {
    store.discardStaged(staged); // a failed write (a full disk) leaves no temp file behind
    throw err;
  }
  return { hash, staged, bytes: bytes.byteLength, durationMs: performance.now() - started };
}
