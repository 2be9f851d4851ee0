/**
 * The shared figure renderer: a Vega-Lite spec plus the Arrow table it plots become an SVG (vega's
 * own SVG renderer, no canvas) and a PNG (resvg). The table's rows are inlined as the spec's
 * data, so the figure and its numbers can never disagree. Same input, same bytes: vega's SVG
 * output is a pure function of spec and data once its clip and gradient ids are renumbered (see
 * svg-ids.ts), and resvg rasterises deterministically with the fonts it is given.
 */
import { existsSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import type { Figure } from '../../engine/ports.ts';
import { canonicalSvgIds } from './svg-ids.ts';

// vega, vega-lite and resvg take ~0.35 s to import: load them on the first figure drawn, so a run
// whose figures are all cached (and every process that only plans) never pays for them
let renderers: Promise<[typeof import('vega'), typeof import('vega-lite'), typeof import('@resvg/resvg-js')]> | undefined;
function loadRenderers() {
  return (renderers ??= Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]));
}

/** A Vega-Lite specification as plain JSON; its top-level `data` is replaced by the table. */
export type VegaLiteSpec = Readonly<Record<string, unknown>>;

export interface RenderFigureOptions {
  readonly spec: VegaLiteSpec;
  readonly table: Table;
  readonly caption?: string;
  /** default plot size in pixels when the spec does not set one */
  readonly width?: number;
  readonly height?: number;
  /** PNG resolution relative to the SVG's pixel size (default 2) */
  readonly pngScale?: number;
}

/** Font used for every text mark (resvg needs a real font file to draw text). */
export const FIGURE_FONT = 'DejaVu Sans';

const FONT_FILES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
];

/** Font files found on this machine; empty means PNGs come out without text (SVGs are unaffected). */
export function figureFontFiles(): string[] {
  return FONT_FILES.filter((f) => existsSync(f));
}

/** Arrow rows as plain JSON objects; typed-array cells and bigints become numbers, NaN becomes null. */
export function tableRows(table: Table): Record<string, unknown>[] {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((n) => table.getChild(n)!.toArray() as ArrayLike<unknown>);
  const rows: Record<string, unknown>[] = new Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) {
      let v = columns[c]![r];
      if (typeof v === 'bigint') v = Number(v);
      if (typeof v === 'number' && !Number.isFinite(v)) v = null;
      row[names[c]!] = v;
    }
    rows[r] = row;
  }
  return rows;
}

function themedSpec(o: RenderFigureOptions): Record<string, unknown> {
  const spec: Record<string, unknown> = { ...o.spec };
  spec.data = { values: tableRows(o.table) };
  const config = (spec.config ?? {}) as Record<string, unknown>;
  spec.config = {
    font: FIGURE_FONT,
    background: 'white',
    // no per-mark ARIA labels: they triple the size of dense SVGs (heat-maps) and no one reads them here
    aria: false,
    ...config,
    view: { continuousWidth: o.width ?? 360, continuousHeight: o.height ?? 260, ...((config.view as object | undefined) ?? {}) },
  };
  if (o.caption !== undefined && spec.description === undefined) spec.description = o.caption;
  return spec;
}

export async function renderSvg(o: RenderFigureOptions): Promise<string> {
  const [vega, vegaLite] = await loadRenderers();
  // vega-lite's spec warnings (e.g. merged legend properties) are not errors: keep them off stdout
  const compiled = vegaLite.compile(themedSpec(o) as never, { logger: vega.logger(vega.Error) }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return canonicalSvgIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const [, , { Resvg }] = await loadRenderers();
  const fontFiles = figureFontFiles();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: {
      // only the listed files, never a scan of the system: the same fonts give the same pixels
      loadSystemFonts: fontFiles.length === 0,
      fontFiles,
      defaultFontFamily: FIGURE_FONT,
      sansSerifFamily: FIGURE_FONT,
    },
  });
  return new Uint8Array(resvg.render().asPng());
}

export async function renderFigure(o: RenderFigureOptions): Promise<Figure> {
  const svg = await renderSvg(o);
  const png = await svgToPng(svg, o.pngScale ?? 2);
  return o.caption === undefined ? { svg, png, table: o.table } : { svg, png, table: o.table, caption: o.caption };
}
