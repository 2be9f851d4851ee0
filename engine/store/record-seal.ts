/**
 * A task record carries a seal: the SHA-256 of its own JSON without the seal. A record edited by
 * hand or by a buggy tool — one rewritten to name another task's output, with the right key and
 * valid JSON — no longer matches its seal, reads as corrupt and is recomputed, never served. The
 * seal guards against mistakes, not against someone who recomputes it; `verify --recompute` is
 * the check for that. A record without a seal is treated the same way: a tool that rebuilt it
 * dropped the seal, and records from before seals existed are recomputed once (the key changes
 * of the same release recompute them anyway).
 */
import { sha256 } from '../hash.ts';
import type { TaskRecord } from './records.ts';

const PREFIX = 'sha256:';

function digestOf(recordWithoutSeal: object): string {
  return PREFIX + sha256(new TextEncoder().encode(JSON.stringify(recordWithoutSeal)));
}

/** The record with its seal as the last field (so reading it back keeps the sealed field order). */
export function sealRecord(record: TaskRecord): TaskRecord {
  const { integrity: _old, ...rest } = record;
  return { ...rest, integrity: digestOf(rest) };
}

export function checkSeal(record: TaskRecord): 'sealed' | 'unsealed' | 'mismatch' {
  if (record.integrity === undefined) return 'unsealed';
  const { integrity, ...rest } = record;
  return integrity === digestOf(rest) ? 'sealed' : 'mismatch';
}
