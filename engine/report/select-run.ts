/** Which run a report shows: the one named by `--run`, else the latest with the same settings. */
import { canonicalJson } from '../canonical.ts';
import { UsageError } from '../cli/options.ts';
import type { RunRecord } from '../run-record.ts';

export interface RunSettings {
  readonly profile?: string;
  readonly overrides: ReadonlyMap<string, unknown>;
}

const sameSettings = (r: RunRecord, s: RunSettings) =>
  (r.request?.profile ?? undefined) === (s.profile ?? undefined) && canonicalJson(r.request?.overrides ?? {}) === canonicalJson(Object.fromEntries(s.overrides));

/** `--profile x --set a=1`, as the commands that reproduce these settings take them. */
export function settingsFlags(request: RunRecord['request'] | undefined): string {
  if (!request) return '';
  const sets = Object.entries(request.overrides).map(([k, v]) => ` --set '${k}=${JSON.stringify(v)}'`);
  return `${request.profile ? ` --profile ${request.profile}` : ''}${sets.join('')}`;
}

/** The chosen run and the run before it (records newest first). Errors name what exists and the fix. */
export function selectRun(records: readonly RunRecord[], pipeline: string, settings: RunSettings, runId?: string): { run: RunRecord; previous?: RunRecord } {
  const idOf = (r: RunRecord) => r.id ?? r.startedAt;
  const index = runId !== undefined ? records.findIndex((r) => idOf(r) === runId) : records.findIndex((r) => sameSettings(r, settings));
  if (index < 0) {
    const known = records.slice(0, 5).map((r) => `${idOf(r)}${settingsFlags(r.request) || ' (default settings)'}`);
    const which = runId !== undefined ? `no run "${runId}" of pipeline ${pipeline}` : `no run of pipeline ${pipeline} with these settings (${settingsFlags({ ...(settings.profile ? { profile: settings.profile } : {}), overrides: Object.fromEntries(settings.overrides), executor: '', concurrency: 0 }).trim() || 'default'})`;
    const fix = records.length === 0 ? `run \`featureflow run ${pipeline}\` first` : `run it first, or name one with --run: ${known.join('; ')}`;
    throw new UsageError(`${which} in this store: ${fix}`);
  }
  const run = records[index]!;
  return { run, ...(records[index + 1] ? { previous: records[index + 1] } : {}) };
}
