import { describe, it, expect } from 'vitest';
import { columnsTable } from '../../engine/table.ts';
import { renderFigure, tableRows } from '../../nodes/plots/index.ts';

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
