/** The page's stylesheet, inline (the report must open with no network). */
export const PAGE_STYLE = `
:root { --fg:#1d2330; --muted:#5b6476; --line:#d6dbe4; --bg:#fff; --soft:#f4f6fa; --accent:#2b6cb0;
  --computed:#2f855a; --cached:#718096; --failed:#c53030; --running:#d69e2e; --pending:#a0aec0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 0; background: var(--bg); }
header { padding: 14px 22px; border-bottom: 1px solid var(--line); background: var(--soft); }
header h1 { margin: 0 0 4px; font-size: 20px; }
header .sub { color: var(--muted); }
main { padding: 8px 22px 40px; max-width: 1400px; }
h2 { font-size: 17px; margin: 26px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; } h3 small { color: var(--muted); font-weight: normal; }
h4 { font-size: 13px; margin: 10px 0 4px; }
code, pre { font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
.status { padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; }
.status.completed { background: var(--computed); } .status.failed { background: var(--failed); }
.status.cancelled, .status.running { background: var(--running); }
.settings td:first-child { color: var(--muted); padding-right: 16px; white-space: nowrap; vertical-align: top; }
.dagwrap { overflow: auto; border: 1px solid var(--line); border-radius: 6px; padding: 6px; background: var(--soft); }
.dag-step rect { fill: #fff; stroke: var(--cached); stroke-width: 1.5; }
.dag-step.state-computed rect { stroke: var(--computed); } .dag-step.state-failed rect { stroke: var(--failed); fill: #fff5f5; }
.dag-step.state-running rect { stroke: var(--running); fill: #fffbeb; } .dag-step.state-pending rect, .dag-step.state-not-run rect { stroke: var(--pending); stroke-dasharray: 4 3; }
.dag-name { font: 600 12px system-ui, sans-serif; fill: var(--fg); } .dag-counts { font: 11px system-ui, sans-serif; fill: var(--muted); }
.dag-edge { fill: none; stroke: #8a94a6; stroke-width: 1.3; } .dag-edge.gather { stroke-dasharray: 5 3; }
marker path { fill: #8a94a6; }
.legend { color: var(--muted); font-size: 12px; margin: 4px 0; }
.ff-cells { display: flex; flex-wrap: wrap; gap: 14px; }
.ff-cell { border: 1px solid var(--line); border-radius: 6px; padding: 8px; max-width: 100%; }
.ff-cell.is-partial { border-color: var(--running); }
.ff-cellhead { font-size: 12px; color: var(--muted); margin-bottom: 4px; }
.state { border-radius: 8px; padding: 0 6px; font-size: 11px; color: #fff; background: var(--cached); }
.state-computed { background: var(--computed); } .state-failed { background: var(--failed); } .state-running, .state-pending { background: var(--running); }
.partial { margin-left: 6px; color: var(--running); font-weight: 600; }
.ff-figure { margin: 0; cursor: pointer; } .ff-svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 12px; color: var(--muted); max-width: 640px; }
button.lineage-link { font-size: 11px; border: 1px solid var(--accent); color: var(--accent); background: #fff; border-radius: 4px; cursor: pointer; padding: 0 6px; }
.ff-tablewrap { max-height: 420px; overflow: auto; }
.ff-tablebar { font-size: 12px; color: var(--muted); } .ff-tablebar a { margin-left: 8px; }
table.ff-table { border-collapse: collapse; font-size: 12px; }
.ff-table th, .ff-table td { border-bottom: 1px solid var(--line); padding: 2px 8px; text-align: left; }
.ff-table th { background: var(--soft); cursor: pointer; user-select: none; }
.ff-tablewrap .ff-table th { position: sticky; top: 0; }
.ff-table th.asc::after { content: " ▲"; } .ff-table th.desc::after { content: " ▼"; }
.ff-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
.truncated { color: var(--failed); font-size: 12px; margin: 2px 0; }
.ff-reference { margin-top: 8px; padding: 6px 10px; background: var(--soft); border-left: 3px solid var(--accent); }
.note { color: var(--muted); font-size: 12px; margin: 4px 0; }
#lineage { position: fixed; top: 0; right: 0; width: min(760px, 94vw); height: 100vh; overflow: auto; background: #fff;
  border-left: 2px solid var(--accent); box-shadow: -4px 0 16px rgba(0,0,0,.12); padding: 12px 16px; display: none; }
#lineage.open { display: block; } #lineage .close { float: right; }
#lineage pre { white-space: pre-wrap; }
#lineage td:first-child { min-width: 170px; max-width: 230px; overflow-wrap: anywhere; } #lineage td.params { min-width: 220px; }
.changes li { margin: 2px 0; } .notes li { color: var(--failed); }
#live-log { max-height: 160px; overflow: auto; font-size: 12px; background: var(--soft); padding: 6px; border-radius: 4px; }
`;
