/**
 * How a worker (a thread today, another machine later) finds the node a task names: import the
 * module that declares it and take the node from the registry. A node made by a factory is
 * registered by whichever module calls the factory, so when the declaring module does not
 * register it, the run's entry module (the pipeline file, or the script that called `run()`) is
 * imported too. Either import runs in worker mode, where a `run()` it reaches starts nothing.
 */
import type { AnyNode } from '../node.ts';
import { moduleFile, moduleId } from './module-id.ts';
import { registeredNode, whenRegistered, type RegisteredNode } from './registry.ts';
import { nextInertRun } from './worker-mode.ts';

export interface NodeAddress {
  readonly name: string;
  /** URL of the module the node declares as its own (`module: import.meta.url`) */
  readonly module: string;
  /** URL of the module whose evaluation built the run (may register factory-made nodes) */
  readonly entry?: string;
}

export class NodeNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NodeNotFoundError';
  }
}

/** Modules whose evaluation is over, or stopped at an inert `run()`: importing again adds nothing. */
const finished = new Set<string>();
let queue: Promise<unknown> = Promise.resolve();
const IMPORT_PATIENCE_MS = 120_000;

async function importUntilRegistered(url: string, name: string): Promise<void> {
  if (finished.has(url)) return;
  const registered = whenRegistered(name);
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
    const how = await Promise.race([imported, inert.promise.then(() => 'inert' as const), registered.promise.then(() => 'registered' as const), patience]);
    if (how === 'done' || how === 'inert') finished.add(url);
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

async function find(address: NodeAddress): Promise<AnyNode> {
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
