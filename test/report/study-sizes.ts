/**
 * Each built-in study at the smallest size that still draws every figure: the browser tests
 * check the page, not the science (each study's own tests do that at its CI size).
 */
export interface StudySize {
  readonly profile?: string;
  readonly overrides: Readonly<Record<string, unknown>>;
  /**
   * worker threads by default, so the test's own thread stays free to answer vitest; in-process
   * where a factory-made node is not found by a worker (data-balancing, a known engine issue)
   */
  readonly executor?: 'threads' | 'in-process';
}

export const STUDY_SIZES: Readonly<Record<string, StudySize>> = {
  'teacher-student': {
    overrides: {
      'fig3-teacher.seed': [0, 1],
      'fig3-modulation.kappa': [1, 50],
      'fig4-analytic.kappa': [1, 100],
      'fig5-analytic.lambda': [1e-1, 1e-3, 1e-8],
      'fig6-teacher.seed': [0],
      'fig6-gd.steps': 2000,
    },
  },
  'sparse-double-descent': { profile: 'ci', overrides: {} },
  'data-balancing': {
    executor: 'in-process',
    overrides: {
      seed: [0, 1],
      lr: [1e-5],
      ...Object.fromEntries(['train-erm', 'train-suby', 'train-subg', 'train-rwy', 'train-rwg', 'train-gdro', 'jtt-phase-two'].map((s) => [`${s}.epochs`, 5])),
    },
  },
  'gradient-starvation': {
    overrides: {
      seed: [0, 1], 'train.steps': 150, 'train.width': 32, 'train.perMoon': 50,
      appendixSeed: [0], 'appendix.steps': 100, 'appendix.width': 32, 'appendix.perMoon': 50,
      'features.steps': 150, 'features.width': 32, 'dual-toy.steps': 500,
    },
  },
  'colored-mnist': {
    profile: 'reduced',
    overrides: { restart: [0], 'digits.trainPerEnv': 150, 'digits.test': 200, 'erm.steps': 40, 'sd.steps': 470 },
  },
  'two-layer': {
    profile: 'reduced',
    overrides: { gamma2: [0.6, 1.3, 3], van_h: [50], 'vanishing.steps': 300, ntk_s: [1], 'ntk.draws': 1, 'ntk.maxSteps': 3000, kernel_h: [100], kernel_s: [1] },
  },
};
