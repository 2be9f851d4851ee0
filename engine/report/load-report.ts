/**
 * `buildReport` as the package root and featureflow/core export it: the report code (and dagre,
 * its graph layout) loads when a report is built, not with every import of the engine.
 */
import type { buildReport as BuildReport } from './report.ts';

export async function buildReport(...args: Parameters<typeof BuildReport>): ReturnType<typeof BuildReport> {
  return (await import('./report.ts')).buildReport(...args);
}
