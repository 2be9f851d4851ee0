import { describe, it, expect } from 'vitest';
import { columnsTable } from '../../engine/table.ts';
import { renderFigure, tableRows } from '../../nodes/plots/index.ts';
import { renderSvg } from '../../nodes/plots/render-figure.ts';
import { canonicalSvgIds } from '../../nodes/plots/svg-ids.ts';

const spec = {
  mark: 'line',
  encoding: { x: { field: 'x', type: 'quantitative', scale: { type: 'log' } }, y: { field: 'y', type: 'quantitative' }, color: { field: 's', type: 'nominal' } },
};

describe('renderFigure (Vega-Lite → SVG via vega, PNG via resvg)', () => {
  const table = columnsTable({ x: [1, 10, 100, 1000], y: [0.4, 0.2, 0.3, 0.1], s: ['a', 'a', 'b', 'b'] }, { note: 'x' });

  it('gives identical SVG and PNG bytes for the same input', async () => {
    const a = await renderFigure({ spec, table, caption: 'c' });
    const b = await renderFigure({ spec, table, caption: 'c' });
    expect(a.svg).toBe(b.svg);
    expect(Buffer.from(a.png!).equals(Buffer.from(b.png!))).toBe(true);
  });

  it('plots the table: different data, different SVG; caption and table travel with the figure', async () => {
    const a = await renderFigure({ spec, table, caption: 'first' });
    const other = columnsTable({ x: [1, 10, 100, 1000], y: [0.1, 0.2, 0.3, 0.4], s: ['a', 'a', 'b', 'b'] });
    const b = await renderFigure({ spec, table: other });
    expect(a.svg).not.toBe(b.svg);
    expect(a.svg.startsWith('<svg')).toBe(true);
    expect(a.caption).toBe('first');
    expect(a.table).toBe(table);
    expect(Array.from(a.png!.slice(1, 4))).toEqual([0x50, 0x4e, 0x47]);
  });

  it('inlines rows as JSON with NaN as a gap (null)', () => {
    const rows = tableRows(columnsTable({ x: Float64Array.of(1, Number.NaN), s: ['p', 'q'] }));
    expect(rows).toEqual([{ x: 1, s: 'p' }, { x: null, s: 'q' }]);
  });

  it('honours width and height', async () => {
    const small = await renderFigure({ spec, table, width: 200, height: 100 });
    const large = await renderFigure({ spec, table, width: 600, height: 400 });
    const w = (svg: string) => Number(/width="(\d+(\.\d+)?)"/.exec(svg)![1]);
    expect(w(large.svg)).toBeGreaterThan(w(small.svg) + 300);
  });
});

describe('renderSvg is a pure function of spec and table (finding 12.1)', () => {
  // clip: true and a gradient fill make vega number <clipPath> and <linearGradient> ids with
  // counters that live as long as the process; the ids must not depend on what was drawn before
  const clipped = {
    mark: { type: 'area', clip: true, color: { gradient: 'linear', stops: [{ offset: 0, color: 'white' }, { offset: 1, color: 'darkgreen' }] } },
    encoding: { x: { field: 'x', type: 'quantitative', scale: { domain: [1, 100] } }, y: { field: 'y', type: 'quantitative' } },
  };
  const first = columnsTable({ x: [1, 10, 100, 1000], y: [0.4, 0.2, 0.3, 0.1] });
  const second = columnsTable({ x: [2, 20, 200], y: [0.1, 0.5, 0.2] });

  it('gives the same SVG bytes for a figure after other figures were drawn in the same process', async () => {
    const before = await renderSvg({ spec: clipped, table: first });
    expect(before).toMatch(/clip-path="url\(#clip\d+\)"/);
    expect(before).toMatch(/url\(#gradient_\d+\)/);
    await renderSvg({ spec: clipped, table: second });
    await renderSvg({ spec: { ...clipped, layer: undefined }, table: second });
    const again = await renderSvg({ spec: clipped, table: first });
    expect(again).toBe(before);
  });

  it('gives the same bytes when two figures render concurrently', async () => {
    const alone = await renderSvg({ spec: clipped, table: second });
    const [a, , b] = await Promise.all([renderSvg({ spec: clipped, table: second }), renderSvg({ spec: clipped, table: first }), renderSvg({ spec: clipped, table: second })]);
    expect(a).toBe(alone);
    expect(b).toBe(alone);
  });
});

describe('canonicalSvgIds', () => {
  it('renumbers clip and gradient ids (and radial patterns) in order of first appearance, references included', () => {
    const svg = '<g clip-path="url(#clip9)"><path fill="url(#p_gradient_4)"/><path fill="url(#gradient_7)"/></g><defs><pattern id="p_gradient_4"><rect fill="url(#gradient_4)"/></pattern><radialGradient id="gradient_4"/><linearGradient id="gradient_7"/><clipPath id="clip9"/></defs><text>clip9</text>';
    expect(canonicalSvgIds(svg)).toBe(
      '<g clip-path="url(#clip1)"><path fill="url(#p_gradient_0)"/><path fill="url(#gradient_1)"/></g><defs><pattern id="p_gradient_0"><rect fill="url(#gradient_0)"/></pattern><radialGradient id="gradient_0"/><linearGradient id="gradient_1"/><clipPath id="clip1"/></defs><text>clip9</text>',
    );
  });
});
