/**
 * The node registry: every `defineNode` registers its node by name, with the module that
 * defines it. One name, one node: the same name from two modules is an error at load time,
 * naming both files, because the task key identifies a node by its name. A worker finds the
 * node it must run here (after importing its module), never through a pipeline's steps.
 */
import type { AnyNode } from '../node.ts';
import { moduleFile, moduleId } from './module-id.ts';

export class NodeIdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NodeIdentityError';
  }
}

export interface RegisteredNode {
  readonly node: AnyNode;
  /** `<package>:<path>`, the same on every checkout (see module-id.ts) */
  readonly moduleId: string;
  /**
   * How many definitions this process has registered under the name. More than one means a
   * factory made it with arguments that may differ between calls (see find-node.ts).
   */
  readonly definitions: number;
}

const byName = new Map<string, RegisteredNode>();
const waiting = new Map<string, Set<(n: RegisteredNode) => void>>();

export function registerNode(node: AnyNode): void {
  const existing = byName.get(node.name);
  if (existing && moduleFile(existing.node.module) !== moduleFile(node.module)) {
    throw new NodeIdentityError(
      `two modules define a node named "${node.name}": ${moduleFile(existing.node.module)} and ${moduleFile(node.module)}. ` +
        'A node name identifies the node in every task key, so it must be unique: rename one of them.',
    );
  }
  // the same module evaluated again (a test re-import, a factory called twice) replaces it;
  // a pipeline that mixes two such definitions is refused when it is expanded
  const definitions = existing ? existing.definitions + (existing.node === node ? 0 : 1) : 1;
  const entry = { node, moduleId: moduleId(node.module), definitions };
  byName.set(node.name, entry);
  for (const resolve of waiting.get(node.name) ?? []) resolve(entry);
  waiting.delete(node.name);
}

export function registeredNode(name: string): RegisteredNode | undefined {
  return byName.get(name);
}

/** Resolves when a node of that name is registered (at once if it is). */
export function whenRegistered(name: string): { promise: Promise<RegisteredNode>; cancel(): void } {
  const now = byName.get(name);
  if (now) return { promise: Promise.resolve(now), cancel() {} };
  let resolve!: (n: RegisteredNode) => void;
  const promise = new Promise<RegisteredNode>((r) => (resolve = r));
  let set = waiting.get(name);
  if (!set) waiting.set(name, (set = new Set()));
  set.add(resolve);
  return { promise, cancel: () => set.delete(resolve) };
}

/** The module id of a node as registered (or computed from its `module`). */
export function nodeModuleId(node: AnyNode): string {
  const entry = byName.get(node.name);
  return entry && entry.node === node ? entry.moduleId : moduleId(node.module);
}
