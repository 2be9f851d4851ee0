/**
 * Thesis ch. 8, Table 2: test worst-group accuracy (%) mean ± std over 5 seeds on the four real
 * benchmarks. Shipped as data so a user's results on these datasets sit beside the thesis'.
 */
export const THESIS_DATASETS = ['CelebA', 'Waterbirds', 'MultiNLI', 'CivilComments'] as const;
export type ThesisDataset = (typeof THESIS_DATASETS)[number];

type Row = Readonly<Record<ThesisDataset, readonly [mean: number, std: number]>>;

export const THESIS_WORST_GROUP: Readonly<Record<string, Row>> = {
  ERM: { CelebA: [79.7, 3.7], Waterbirds: [85.5, 1.0], MultiNLI: [67.6, 1.2], CivilComments: [61.3, 2.0] },
  JTT: { CelebA: [75.6, 7.7], Waterbirds: [85.6, 0.2], MultiNLI: [67.5, 1.9], CivilComments: [67.8, 1.6] },
  RWY: { CelebA: [82.9, 2.2], Waterbirds: [86.1, 0.7], MultiNLI: [68.0, 1.9], CivilComments: [67.5, 0.6] },
  SUBY: { CelebA: [79.9, 3.3], Waterbirds: [82.4, 1.7], MultiNLI: [64.9, 1.4], CivilComments: [51.2, 3.0] },
  RWG: { CelebA: [84.3, 1.8], Waterbirds: [87.6, 1.6], MultiNLI: [69.6, 1.0], CivilComments: [72.0, 1.9] },
  SUBG: { CelebA: [85.6, 2.3], Waterbirds: [89.1, 1.1], MultiNLI: [68.9, 0.8], CivilComments: [71.8, 1.4] },
  gDRO: { CelebA: [86.9, 1.1], Waterbirds: [87.1, 3.4], MultiNLI: [78.0, 0.7], CivilComments: [69.9, 1.2] },
};

/** Thesis Table 1 group counts [y][a] (fixtures for the samplers). */
export const THESIS_GROUP_COUNTS = {
  CelebA: { labels: ['not blond', 'blond'], attributes: ['female', 'male'], counts: [[71629, 66874], [22880, 1387]] },
  Waterbirds: { labels: ['land bird', 'water bird'], attributes: ['water', 'land'], counts: [[56, 1057], [3498, 184]] },
} as const;

/** The thesis dataset a user's dataset name refers to, ignoring case and punctuation. */
export function matchThesisDataset(name: string): ThesisDataset | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
  return THESIS_DATASETS.find((d) => norm(d) === norm(name));
}
