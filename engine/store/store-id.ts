/**
 * Every store names itself: `store.json` holds a random id, made once by whichever process
 * opens the store first. It is created without replacing (link, like an object), so two hosts
 * opening a new store at the same moment agree on one id: the loser reads the winner's. Runs,
 * workers and `verify` can then tell that two mount points are one store, or that a worker
 * mounted another store than its coordinator.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitStagedNoReplace, discardTemp, stageFile } from './atomic.ts';
import { StoreError } from './errors.ts';
import { readExpected } from './stale-lookup.ts';

export const STORE_FORMAT = 'featureflow-store/1';

export interface StoreIdentity {
  readonly format: typeof STORE_FORMAT;
  readonly id: string;
  /** informational only */
  readonly createdAt: string;
}

function storeJson(root: string): string {
  return join(root, 'store.json');
}

function parse(root: string, raw: string): string {
  try {
    const s = JSON.parse(raw) as Partial<StoreIdentity>;
    if (s.format === STORE_FORMAT && typeof s.id === 'string' && s.id.length > 0) return s.id;
  } catch {
    // reported below
  }
  const path = storeJson(root);
  throw new StoreError(`store ${root}: ${path} is not a store id (torn or edited): remove it and a new id is made`, { store: root, path });
}

/** The store's id, or undefined for a store made before ids (a read-only open never makes one). */
export function readStoreId(root: string): string | undefined {
  let raw: string;
  try {
    raw = readFileSync(storeJson(root), 'utf8');
  } catch {
    return undefined;
  }
  return parse(root, raw);
}

/** The store's id, made now if it has none. */
export async function ensureStoreId(root: string, tmpDir: string, fsync: boolean): Promise<string> {
  const existing = readStoreId(root);
  if (existing) return existing;
  const mine: StoreIdentity = { format: STORE_FORMAT, id: randomUUID(), createdAt: new Date().toISOString() };
  const tmp = stageFile(`${JSON.stringify(mine)}\n`, tmpDir);
  if ((await commitStagedNoReplace(tmp, storeJson(root), fsync)) === 'created') return mine.id;
  discardTemp(tmp);
  // another process made it first: its id is the store's (it may take a moment to be seen here)
  return parse(root, await readExpected(storeJson(root), () => readFileSync(storeJson(root), 'utf8')));
}
