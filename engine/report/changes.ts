/**
 * What changed since the previous run of the same pipeline: for every task both runs reached,
 * which key components differ (explain's comparison: params by name, code by file, dependencies
 * by package, inputs by cell count), summed per component.
 */
import type { CodeFingerprint } from '../fingerprint.ts';
import { diffRecords, summariseInputChange, type Difference } from '../explain.ts';
import { keyChanges, type KeyComponents } from '../key.ts';
import type { RunRecord } from '../run-record.ts';
import type { ChangeView } from './model.ts';

/** explain's words for the key components */
const COMPONENT: Readonly<Record<string, string>> = { deps: 'dependencies' };

function details(change: string, before: KeyComponents, after: KeyComponents, old: RunRecord, now: RunRecord): Difference[] {
  const prints = (r: RunRecord) => r.fingerprints[after.node] as CodeFingerprint | undefined;
  switch (change) {
    case 'params':
      return diffRecords('params', JSON.parse(before.params) as Record<string, unknown>, JSON.parse(after.params) as Record<string, unknown>);
    case 'code':
      return diffRecords('code', prints(old)?.files ?? {}, prints(now)?.files ?? {});
    case 'deps':
      return diffRecords('dependencies', prints(old)?.depVersions ?? {}, prints(now)?.depVersions ?? {});
    case 'inputs':
      return diffRecords('inputs', before.inputs, after.inputs).map(summariseInputChange);
    case 'backends':
      return diffRecords('backends', before.backends, after.backends);
    default:
      return [{ component: change, what: after.node, before: (before as unknown as Record<string, unknown>)[change], after: (after as unknown as Record<string, unknown>)[change] }];
  }
}

const said = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function changesSince(previous: RunRecord, current: RunRecord): ChangeView {
  const before = new Map(previous.tasks.filter((t) => t.components).map((t) => [t.task, t.components!]));
  const byComponent: Record<string, number> = {};
  const tasks: ChangeView['tasks'][number][] = [];
  let added = 0;
  const seen = new Set<string>();
  for (const t of current.tasks) {
    if (!t.components) continue;
    seen.add(t.task);
    const b = before.get(t.task);
    if (!b) {
      added++;
      continue;
    }
    const changes = keyChanges(b, t.components);
    if (changes.length === 0) continue;
    const components = changes.map((c) => COMPONENT[c] ?? c);
    for (const c of components) byComponent[c] = (byComponent[c] ?? 0) + 1;
    const d = changes.flatMap((c) => details(c, b, t.components!, previous, current));
    tasks.push({ task: t.task, step: t.step, components, details: d.map((x) => `${x.component}: ${x.what}: ${said(x.before)} → ${said(x.after)}`) });
  }
  const removed = [...before.keys()].filter((k) => !seen.has(k)).length;
  return { previousRun: previous.id ?? previous.startedAt, byComponent, tasks, added, removed };
}
