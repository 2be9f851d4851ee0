/**
 * The pipeline drawn as a DAG: dagre places one box per step and routes the edges; this file only
 * turns its coordinates into SVG. A box says the step's cell count and how its cells ended; a
 * gather (many cells into one input) is a dashed edge.
 */
import dagre from '@dagrejs/dagre';
import type { StepView, TaskState } from './model.ts';
import { escapeHtml } from './escape.ts';

const BOX_W = 190;
const BOX_H = 54;

/** The state a box is coloured by: failed beats running beats computed… */
const STATE_ORDER: readonly TaskState[] = ['failed', 'running', 'pending', 'cancelled', 'skipped', 'not-run', 'computed', 'cached'];

export function dominantState(counts: StepView['counts']): TaskState {
  return STATE_ORDER.find((s) => (counts[s] ?? 0) > 0) ?? 'not-run';
}

/** "12 cells · 3 computed · 9 cached" */
export function countsLabel(step: Pick<StepView, 'cells' | 'counts'>): string {
  const parts = STATE_ORDER.filter((s) => (step.counts[s] ?? 0) > 0).map((s) => `${step.counts[s]} ${s}`);
  return `${step.cells} cell${step.cells === 1 ? '' : 's'}${parts.length ? ` · ${parts.join(' · ')}` : ''}`;
}

export interface DagLayout {
  readonly width: number;
  readonly height: number;
  readonly boxes: ReadonlyMap<string, { x: number; y: number }>;
  readonly edges: readonly { from: string; to: string; gather: boolean; points: readonly { x: number; y: number }[] }[];
}

export function layoutSteps(steps: readonly StepView[]): DagLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 46, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const known = new Set(steps.map((s) => s.name));
  for (const s of steps) g.setNode(s.name, { width: BOX_W, height: BOX_H });
  for (const s of steps) for (const i of s.inputs) if (known.has(i.from)) g.setEdge(i.from, s.name, {}, `${i.input}`);
  dagre.layout(g);
  const boxes = new Map(steps.map((s) => [s.name, { x: g.node(s.name).x - BOX_W / 2, y: g.node(s.name).y - BOX_H / 2 }]));
  const edges = steps.flatMap((s) =>
    s.inputs.filter((i) => known.has(i.from)).map((i) => ({ from: i.from, to: s.name, gather: i.gather, points: g.edge({ v: i.from, w: s.name, name: i.input }).points ?? [] })),
  );
  const graph = g.graph();
  return { width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0), boxes, edges };
}

const trim = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function stepBoxSvg(step: StepView, at: { x: number; y: number }): string {
  const label = `${step.name}${step.axes.length ? ` × ${step.axes.join(' × ')}` : ''}`;
  return (
    `<g class="dag-step state-${dominantState(step.counts)}" data-step="${escapeHtml(step.name)}" transform="translate(${at.x},${at.y})" tabindex="0">` +
    `<title>${escapeHtml(`${step.name}: node ${step.node}; ${countsLabel(step)}${step.outputs.length ? `; outputs ${step.outputs.join(', ')}` : ''}`)}</title>` +
    `<rect width="${BOX_W}" height="${BOX_H}" rx="6"/>` +
    `<text x="8" y="20" class="dag-name">${escapeHtml(trim(label, 27))}</text>` +
    `<text x="8" y="40" class="dag-counts">${escapeHtml(trim(countsLabel(step), 34))}</text>` +
    `</g>`
  );
}

/** `layout`: a layout of the same steps made before (the live view lays out once, redraws often). */
export function dagSvg(steps: readonly StepView[], layout: DagLayout = layoutSteps(steps)): string {
  const edges = layout.edges
    .map((e) => `<path class="dag-edge${e.gather ? ' gather' : ''}" d="M${e.points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' L')}" marker-end="url(#ff-arrow)"/>`)
    .join('');
  const boxes = steps.map((s) => stepBoxSvg(s, layout.boxes.get(s.name)!)).join('');
  return (
    `<svg class="dag" xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="pipeline steps">` +
    `<defs><marker id="ff-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>` +
    `${edges}${boxes}</svg>`
  );
}
