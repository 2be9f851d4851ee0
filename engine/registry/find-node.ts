/**
 * How a worker (a thread today, another machine later) finds the node a task names: import the
 * module that declares it and take the node from the registry. A node made by a factory is
 * registered by whichever module calls the factory, so when the declaring module does not
 * register it, the run's entry module (the pipeline file, or the script that called `run()`) is
 * imported too. Either import runs in worker mode, where a `run()` it reaches starts nothing.
 *
 * A factory called more than once in the coordinator (say `balancingStudy({...})` from a script,
 * after the study module's own default export called it too) leaves several definitions under
 * one name, which may differ in what their closures hold. Then the registry cannot say which one
 * the run used, so the worker evaluates the entry module as the coordinator did and takes the node
 * from the pipeline that module passed to its (inert) `run()`: the same code, the same arguments.
 */
import type { AnyNode } from '../node.ts';
import { moduleFile, moduleId } from './module-id.ts';
import { registeredNode, whenRegistered, type RegisteredNode } from './registry.ts';
import { inertPipeline, inertRunCount, nextInertRun, type InertPipeline } from './worker-mode.ts';

export interface NodeAddress {
  readonly name: string;
  /** URL of the module the node declares as its own (`module: import.meta.url`) */
  readonly module: string;
  /** URL of the module whose evaluation built the run (may register factory-made nodes) */
  readonly entry?: string;
  /** set when the coordinator holds several definitions of the name: the run's pipeline and step */
  readonly madeBy?: { readonly pipeline: string; readonly step: string };
}

export class NodeNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NodeNotFoundError';
  }
}

/** Modules whose evaluation is over, or stopped at an inert `run()`: importing again adds nothing. */
const finished = new Map<string, 'done' | 'inert'>();
let queue: Promise<unknown> = Promise.resolve();
const IMPORT_PATIENCE_MS = 120_000;

/** Import `url` until node `name` is registered (or, with `untilRun`, until the module reaches its `run()`). */
async function importUntilRegistered(url: string, name: string, untilRun = false): Promise<void> {
  if (finished.has(url)) return;
  const registered = whenRegistered(name);
  // whether an inert run() fired during this import, whichever side of the race wins
  const runsBefore = inertRunCount();
  const inert = nextInertRun();
  let timer: NodeJS.Timeout | undefined;
  const patience = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), IMPORT_PATIENCE_MS)));
  const imported = import(url).then(
    () => 'done' as const,
    (err: unknown) => {
      throw new NodeNotFoundError(`cannot import ${moduleFile(url)} to find node "${name}": ${err instanceof Error ? err.message : String(err)}`);
    },
  );
  try {
    const race: Promise<'done' | 'inert' | 'registered' | 'timeout'>[] = [imported, inert.promise.then(() => 'inert' as const), patience];
    if (!untilRun) race.push(registered.promise.then(() => 'registered' as const));
    const how = await Promise.race(race);
    if (how === 'done') finished.set(url, 'done');
    else if (how === 'inert' || inertRunCount() > runsBefore) finished.set(url, 'inert');
    if (how === 'timeout') throw new NodeNotFoundError(`importing ${moduleFile(url)} did not register node "${name}" within ${IMPORT_PATIENCE_MS / 1000} s`);
  } finally {
    clearTimeout(timer);
    registered.cancel();
    inert.cancel();
  }
}

function matches(found: RegisteredNode | undefined, address: NodeAddress): AnyNode | undefined {
  if (!found) return undefined;
  if (found.moduleId !== moduleId(address.module)) {
    throw new NodeNotFoundError(
      `node "${address.name}" was expected from ${moduleFile(address.module)} but ${moduleFile(found.node.module)} defines it here: the two processes see different code`,
    );
  }
  return found.node;
}

async function defaultExportPipeline(entry: string, name: string): Promise<InertPipeline | undefined> {
  if (finished.get(entry) !== 'done') return undefined; // a module stopped at its run() never finishes importing
  const mod = (await import(entry)) as { default?: Partial<InertPipeline> };
  const p = mod.default;
  return p?.name === name && p.steps instanceof Map ? (p as InertPipeline) : undefined;
}

async function findMadeBy(address: NodeAddress, madeBy: NonNullable<NodeAddress['madeBy']>): Promise<AnyNode> {
  const ambiguity = `the run's process defines node "${address.name}" more than once (a factory called with different arguments)`;
  if (!address.entry) {
    throw new NodeNotFoundError(`${ambiguity}, and it has no entry module a worker could evaluate: run with --executor in-process, or give each definition its own name`);
  }
  // a script passed its pipeline to run() (maybe during an earlier lookup); a pipeline file (the
  // CLI's entry) exports it as default
  if (!inertPipeline(madeBy.pipeline)) await importUntilRegistered(address.entry, address.name, true);
  const pipeline = inertPipeline(madeBy.pipeline) ?? (await defaultExportPipeline(address.entry, madeBy.pipeline));
  const node = pipeline?.steps.get(madeBy.step)?.node as AnyNode | undefined;
  if (node?.name !== address.name) {
    throw new NodeNotFoundError(`${ambiguity}; evaluating ${moduleFile(address.entry)} did not run pipeline ${madeBy.pipeline} with node "${address.name}" at step ${madeBy.step}: run with --executor in-process`);
  }
  return node;
}

async function find(address: NodeAddress): Promise<AnyNode> {
  if (address.madeBy) return findMadeBy(address, address.madeBy);
  const candidates = [address.module, ...(address.entry && address.entry !== address.module ? [address.entry] : [])];
  for (const url of candidates) {
    const node = matches(registeredNode(address.name), address);
    if (node) return node;
    await importUntilRegistered(url, address.name);
  }
  const node = matches(registeredNode(address.name), address);
  if (node) return node;
  throw new NodeNotFoundError(
    `node "${address.name}" is not defined by importing ${candidates.map(moduleFile).join(' or ')}. ` +
      'Define each node with `module: import.meta.url` at the top level of a module, or in code that the pipeline file (or your script) runs when it is imported.',
  );
}

/** Find a node by address; lookups run one at a time, so each import is attributed correctly. */
export function findNode(address: NodeAddress): Promise<AnyNode> {
  const result = queue.then(() => find(address));
  queue = result.catch(() => undefined);
  return result;
}
