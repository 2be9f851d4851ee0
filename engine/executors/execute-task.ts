/**
 * Run one task wherever it lands (main thread or a worker): read and verify its inputs, give
 * the node its context, store the output object. Writes nothing but content-addressed objects;
 * the task record is the coordinator's job.
 */
import type { AnyNode, NodeContext } from '../node.ts';
import { randomSourceFromSeed } from '../random.ts';
import { selectLinalg, selectMlp } from '../compute/backends.ts';
import type { Linalg } from '../compute/linalg.ts';
import type { MlpCompute } from '../compute/mlp.ts';
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
  const started = performance.now();
  const store = await storeFor(job.storeRoot, job.fsync);
  const get = (h: string) => store.getObject(h);
  const inputs: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(job.inputs)) {
    const values = await Promise.all(input.hashes.map(async (h) => decodeValue(input.kind, await get(h), get)));
    inputs[name] = input.gather ? values.map((value, i) => ({ cell: input.cells[i], value })) : values[0];
  }
  const uses = new Set(node.backends ?? []);
  const linalg = uses.has('linalg') ? (await selectLinalg(job.backendPreference)).impl : undefined;
  const mlp = uses.has('mlp') ? (await selectMlp(job.backendPreference)).impl : undefined;
  const ctx: NodeContext<unknown, unknown> = {
    params: job.params,
    inputs,
    random: randomSourceFromSeed(taskSeed(job.step, job.paramsCanonical)),
    get linalg(): Linalg {
      if (!linalg) throw new Error(`node ${node.name} uses ctx.linalg but does not declare backends: ['linalg']`);
      return linalg;
    },
    get mlp(): MlpCompute {
      if (!mlp) throw new Error(`node ${node.name} uses ctx.mlp but does not declare backends: ['mlp']`);
      return mlp;
    },
    progress: (f, m) => hooks.onProgress(Math.min(1, Math.max(0, f)), m),
    warn: (m) => hooks.onWarning(m),
    signal: hooks.signal,
    taskName: job.task,
  };
  const value = await (node.run as (c: NodeContext<unknown, unknown>) => unknown)(ctx);
  hooks.signal.throwIfAborted();
  const staged: { hash: string; tmp: string }[] = [];
  const stage = async (b: Uint8Array) => {
    const s = await store.stageObject(b);
    if (s.tmp) staged.push({ hash: s.hash, tmp: s.tmp });
    return s.hash;
  };
  const bytes = await encodeValue(job.outputKind, value, stage);
  const hash = await stage(bytes);
  return { hash, staged, bytes: bytes.byteLength, durationMs: performance.now() - started };
}
