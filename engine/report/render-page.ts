/** The whole page for a report model: one self-contained HTML document, no external asset. */
import { dagSvg } from './dag-layout.ts';
import { escapeHtml, scriptJson } from './escape.ts';
import type { ChangeView, ReportModel } from './model.ts';
import { PAGE_SCRIPT } from './page-script.ts';
import { PAGE_STYLE } from './page-style.ts';
import { outputSectionHtml } from './render-output.ts';

function settingsHtml(m: ReportModel): string {
  const r = m.run;
  const req = r.request;
  const sets = req ? Object.entries(req.overrides).map(([k, v]) => `${k}=${JSON.stringify(v)}`) : [];
  const rows: [string, string][] = [
    ['run', r.id ?? r.startedAt],
    ['status', `${r.status}${r.error ? `: ${r.error}` : ''}`],
    ['started', `${r.startedAt}${r.finishedAt ? ` → ${r.finishedAt}` : ''}`],
    ['wall time', r.wallMs !== undefined ? `${(r.wallMs / 1000).toFixed(2)} s` : '—'],
    ['profile', req?.profile ?? '(default)'],
    ['--set', sets.length ? sets.join('  ') : '(none)'],
    ['executor', req ? `${req.executor} × ${req.concurrency}` : '—'],
    ['backends', Object.entries(r.backends ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ') || '(none declared)'],
    ['host', r.host ?? '—'],
    ['versions', r.versions ? `node ${r.versions.node} · featureflow ${r.versions.featureflow}` : '—'],
    ['git commit', r.gitCommit ?? '(not a git project)'],
  ];
  if (req?.force) rows.push(['--force', req.force === 'all' ? 'all' : req.force.join(', ')]);
  if (req?.until) rows.push(['--until', req.until.join(', ')]);
  return `<table class="settings">${rows.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

const SHOWN_CHANGES = 60;

export function changesHtml(c: ChangeView | undefined): string {
  if (!c) return '<p class="note">no earlier run of this pipeline in this store</p>';
  const parts = Object.entries(c.byComponent).map(([k, n]) => `${n} task${n === 1 ? '' : 's'}: ${k}`);
  const summary = `compared with run ${c.previousRun}: ${parts.length ? parts.join('; ') : 'no key component changed'}${c.added ? `; ${c.added} new tasks` : ''}${c.removed ? `; ${c.removed} tasks no longer in the pipeline` : ''}`;
  const items = c.tasks
    .slice(0, SHOWN_CHANGES)
    .map((t) => `<li><code>${escapeHtml(t.task)}</code>: ${escapeHtml(t.components.join(', '))}${t.details.length ? `<br><small>${t.details.slice(0, 4).map(escapeHtml).join('<br>')}</small>` : ''}</li>`)
    .join('');
  const more = c.tasks.length > SHOWN_CHANGES ? `<p class="note">… and ${c.tasks.length - SHOWN_CHANGES} more; <code>featureflow explain &lt;pipeline&gt; '&lt;task&gt;'</code> tells one task's story</p>` : '';
  return `<p>${escapeHtml(summary)}</p><ul class="changes">${items}</ul>${more}`;
}

export interface PageOptions {
  /** the live page: connects to /events and redraws */
  readonly live?: boolean;
}

export function renderPage(m: ReportModel, options: PageOptions = {}): string {
  const title = `${m.pipeline.name} — featureflow ${options.live ? 'live' : 'report'}`;
  const data = { tasks: m.tasks, lineage: m.lineage, fingerprints: m.fingerprints };
  const notes = m.notes.length ? `<h2>Notes</h2><ul class="notes">${m.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head>
<body data-run-status="${escapeHtml(m.run.status)}" data-final="${String((m.run.status as string) !== 'running')}">
<header><h1>${escapeHtml(m.pipeline.name)} <span id="run-status" class="status ${escapeHtml(m.run.status)}">${escapeHtml(m.run.status)}</span></h1>
<div class="sub">${escapeHtml(m.pipeline.description)}</div></header>
<main>
${options.live ? '<h2>Live</h2><div id="live-log"></div>' : ''}
<h2>Pipeline</h2><p class="legend">one box per step (its sweep axes, cell count and how the cells ended); a dashed edge gathers many cells into one input</p>
<div class="dagwrap" id="dag">${dagSvg(m.steps)}</div>
<h2>Outputs</h2><p class="legend">click a figure (or “lineage”) for the tasks behind it; click a column header to sort</p>
${m.outputs.map((o) => outputSectionHtml(o, m.references)).join('\n')}
<h2>What changed since the previous run</h2>${changesHtml(m.changes)}
<h2>Run settings</h2>${settingsHtml(m)}
${notes}
</main>
<aside id="lineage" aria-label="lineage"></aside>
<script type="application/json" id="ff-data">${scriptJson(data)}</script>
<script>${options.live ? 'window.FF_LIVE = true;' : ''}${PAGE_SCRIPT}</script>
</body></html>
`;
}
