/** `featureflow gc`: what the retention keeps, and (with --delete) deleting the rest. */
import { collectGarbage } from '../../gc.ts';
import { Store } from '../../store/store.ts';

export async function gcCommand(o: { store: string; delete?: boolean; json?: boolean }): Promise<number> {
  // a dry run writes nothing, so it opens the store read-only (and works on a read-only one)
  const r = await collectGarbage(await Store.open(o.store, { readOnly: !o.delete }), { dryRun: !o.delete });
  if (o.json) process.stdout.write(`${JSON.stringify({ type: 'gc', ...r })}\n`);
  else {
    for (const u of r.unreadableRuns) process.stderr.write(`warning: run record ${u} cannot be read: gc --delete will refuse until it is repaired or removed\n`);
    process.stdout.write(`keeping what these runs reached:\n${r.keptRuns.map((k) => `  ${k}`).join('\n') || '  (no runs recorded)'}\n`);
    process.stdout.write(
      `${r.dryRun ? 'would delete' : 'deleted'} ${r.objects.deleted} objects (${(r.objects.bytes / 1e6).toFixed(1)} MB) and ${r.records.deleted} task records; keeping ${r.objects.kept} objects, ${r.records.kept} records${r.dryRun ? ' (dry run: pass --delete)' : ''}\n`,
    );
    for (const [pipeline, steps] of Object.entries(r.deletedByStep)) {
      process.stdout.write(`  ${pipeline}: ${Object.entries(steps).map(([step, n]) => `${step} ×${n}`).join(', ')}\n`);
    }
  }
  return 0;
}
