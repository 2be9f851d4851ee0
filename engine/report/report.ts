/** `buildReport`: the self-contained HTML page of one run of a pipeline. */
import type { Pipeline } from '../pipeline.ts';
import type { Store } from '../store/store.ts';
import { buildReportModel, type ReportOptions } from './build-model.ts';
import { renderPage } from './render-page.ts';

export type { ReportOptions } from './build-model.ts';
export type { ReportModel } from './model.ts';
export type { ReportReferences } from './references.ts';

export async function buildReport(pipeline: Pipeline, store: Store, options: ReportOptions): Promise<string> {
  return renderPage(await buildReportModel(pipeline, store, options));
}
