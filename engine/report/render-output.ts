/** One named output as HTML: each cell's figure (an SVG image), table or value, with its lineage link. */
import { escapeHtml } from './escape.ts';
import type { OutputCellView, OutputView, ReferenceBlock, TableView } from './model.ts';

const fmt = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString()) : String(v));

export function tableHtml(t: Pick<TableView, 'columns' | 'rows'>, className = 'ff-table'): string {
  const head = t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((v) => `<td${typeof v === 'number' ? ' class="num"' : ''}>${escapeHtml(fmt(v))}</td>`).join('')}</tr>`).join('');
  return `<table class="${className} sortable"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export function tableViewHtml(t: TableView, fileName: string): string {
  const download = t.csvUri ? `<a class="csv" download="${escapeHtml(fileName)}.csv" href="${t.csvUri}">CSV</a>` : '';
  const cut = t.truncated
    ? `<p class="truncated">showing ${t.truncated.shown} of ${t.totalRows} rows (the page's table size limit); all of them: <code>${escapeHtml(t.truncated.command)}</code></p>`
    : '';
  return `<div class="ff-tablewrap"><div class="ff-tablebar">${t.totalRows} rows ${download}</div>${cut}${tableHtml(t)}</div>`;
}

function cellLabel(c: OutputCellView): string {
  const coords = Object.entries(c.cell).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return coords.length ? coords.join(', ') : c.task;
}

function svgImage(svg: string, alt: string): string {
  return `<img class="ff-svg" alt="${escapeHtml(alt)}" src="data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}">`;
}

export function cellHtml(output: string, c: OutputCellView): string {
  const label = cellLabel(c);
  const partial = c.partial ? `<span class="partial">partial: ${c.partial.done} of ${c.partial.of} cells</span>` : '';
  const head = `<div class="ff-cellhead"><span class="cell-label">${escapeHtml(label)}</span> <span class="state state-${c.state}">${c.state}</span>${partial} <button class="lineage-link" data-task="${escapeHtml(c.task)}">lineage</button></div>`;
  let body = '';
  if (c.figure) {
    body = `<figure class="ff-figure" data-task="${escapeHtml(c.task)}">${svgImage(c.figure.svg, `${output} ${label}`)}${c.figure.caption ? `<figcaption>${escapeHtml(c.figure.caption)}</figcaption>` : ''}</figure>`;
    body += `<details class="ff-figtable"><summary>the table it plots</summary>${tableViewHtml(c.figure.table, `${output}-${label}`)}</details>`;
  } else if (c.table) body = tableViewHtml(c.table, `${output}${c.cell && Object.keys(c.cell).length ? `-${label}` : ''}`);
  else if (c.json !== undefined) body = `<pre class="ff-json">${escapeHtml(c.json)}</pre>`;
  else if (c.tensors) body = tableHtml({ columns: ['tensor', 'shape', 'dtype'], rows: c.tensors.map((t) => [t.name, `[${t.shape.join(', ')}]`, t.dtype]) });
  else body = `<p class="missing">no value: this cell is ${c.state}</p>`;
  return `<div class="ff-cell${c.partial ? ' is-partial' : ''}" data-task="${escapeHtml(c.task)}" data-output="${escapeHtml(output)}">${head}${body}</div>`;
}

export function referenceHtml(r: ReferenceBlock): string {
  return `<div class="ff-reference"><h4>${escapeHtml(r.title)}</h4>${tableHtml({ columns: r.columns, rows: r.rows }, 'ff-table ref')}${r.note ? `<p class="note">${escapeHtml(r.note)}</p>` : ''}</div>`;
}

export function outputCellsHtml(o: OutputView): string {
  return o.cells.map((c) => cellHtml(o.name, c)).join('');
}

export function outputSectionHtml(o: OutputView, references: readonly ReferenceBlock[]): string {
  const refs = references.filter((r) => r.output === o.name).map(referenceHtml).join('');
  return (
    `<section class="ff-output" id="out-${escapeHtml(o.name)}" data-output="${escapeHtml(o.name)}">` +
    `<h3>${escapeHtml(o.name)} <small>step ${escapeHtml(o.step)} · ${o.cells.length} cell${o.cells.length === 1 ? '' : 's'}</small></h3>` +
    `<div class="ff-cells">${outputCellsHtml(o)}</div>${refs}</section>`
  );
}
