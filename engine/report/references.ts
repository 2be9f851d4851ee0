/**
 * The hook that puts a paper's numbers beside ours: a pipeline module may export
 * `reportReferences`, a function of the run's named outputs (decoded, in cell order) that returns
 * tables to show beside them. The engine knows no paper; the studies ship their own.
 */
import type { ReferenceBlock } from './model.ts';

export type ReportReferences = (outputs: ReadonlyMap<string, readonly unknown[]>) => readonly ReferenceBlock[];

/** The module's `reportReferences` export, if it has one (a pipeline without one shows none). */
export async function referencesOf(moduleUrl: string): Promise<ReportReferences | undefined> {
  try {
    const mod = (await import(moduleUrl)) as { reportReferences?: unknown };
    return typeof mod.reportReferences === 'function' ? (mod.reportReferences as ReportReferences) : undefined;
  } catch {
    return undefined;
  }
}
