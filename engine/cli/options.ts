/** What the CLI's commands share: their common options and how they become run/plan options. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Store } from '../store/store.ts';
import { parseSetOptions } from './set-values.ts';

/** A flag's value the user got wrong: exit 2 with the message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CommonOptions {
  store: string;
  set: string[];
  profile?: string;
  backend?: string;
  json?: boolean;
  until?: string[];
}

export function prepareOptions(o: CommonOptions) {
  return {
    overrides: parseSetOptions(o.set),
    ...(o.profile ? { profile: o.profile } : {}),
    backend: o.backend ? o.backend.split(',').map((s) => s.trim()).filter(Boolean) : [],
    ...(o.until && o.until.length > 0 ? { until: o.until } : {}),
  };
}

export type RunCommandOptions = CommonOptions & {
  executor: string;
  redis?: string;
  jobs?: string;
  partition?: string;
  time?: string;
  mem?: string;
  cpusPerTask?: string;
  sbatchArg: string[];
  failFast?: boolean;
  results: string | false;
  fsync: boolean;
  durability: string;
  dryRun?: boolean;
  force: string[];
  forceall?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  /** rerun on save (run --watch, serve --watch) */
  watch?: boolean;
};

/**
 * plan, explain and export only read: an existing store is opened read-only, so an archived or
 * shared store (read-only mount, another user's files) can be inspected. A store that does not
 * exist yet is created, as a run would (plan then shows every task as new).
 */
export async function openForReading(root: string): Promise<Store> {
  return existsSync(join(resolve(root), 'objects')) ? Store.open(root, { readOnly: true }) : Store.open(root);
}

