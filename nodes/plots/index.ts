export { renderFigure, renderSvg, svgToPng, tableRows, figureFontFiles, FIGURE_FONT, type RenderFigureOptions, type VegaLiteSpec } from './render-figure.ts';
