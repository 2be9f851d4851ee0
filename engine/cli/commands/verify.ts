/** `featureflow verify`: re-hash objects, check records and lineage, optionally recompute. */
import { Store } from '../../store/store.ts';
import { verifyFailed, verifyStore } from '../../verify.ts';
import { UsageError } from '../options.ts';

export async function verifyCommand(o: { store: string; recompute: string; json?: boolean }): Promise<number> {
  const n = Number(o.recompute);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--recompute ${o.recompute}: expected a non-negative integer`);
  const store = await Store.open(o.store, { readOnly: n === 0 });
  const r = await verifyStore(store, { recompute: n });
  if (o.json) process.stdout.write(`${JSON.stringify({ type: 'verify', storeId: store.id ?? null, ...r })}\n`);
  else {
    process.stdout.write(`${r.objects} objects re-hashed: ${r.corrupt.length === 0 ? 'all good' : `${r.corrupt.length} corrupt:\n${r.corrupt.map((h) => `  ${h}`).join('\n')}`}\n`);
    for (const u of r.unreadable) process.stdout.write(`cannot list ${u}: what it holds was not checked\n`);
    process.stdout.write(`${r.records} task records checked: ${r.recordProblems.length === 0 ? 'all consistent' : `${r.recordProblems.length} problems:`}\n`);
    for (const p of r.recordProblems) process.stdout.write(`  record ${p.key.slice(0, 16)}…${p.task ? ` (${p.task})` : ''}: ${p.problem}\n`);
    for (const n of r.notes) process.stderr.write(`note: ${n}\n`);
    for (const x of r.recomputed) process.stdout.write(`recomputed ${x.task}: ${x.same ? 'identical bytes' : `MISMATCH: ${x.detail}`}\n`);
  }
  return verifyFailed(r) ? 1 : 0;
}
