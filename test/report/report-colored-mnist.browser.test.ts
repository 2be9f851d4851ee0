import { describe, it } from 'vitest';
import { browserAvailable } from './browser.ts';
import { checkStudyReport } from './study-report.ts';
import { STUDY_SIZES } from './study-sizes.ts';

const size = STUDY_SIZES['colored-mnist']!;

describe.skipIf(!browserAvailable)('the report of colored-mnist in chromium', () => {
  it('opens with no console error and no request, every figure drawn, one box per step, a lineage click shows the cells’ params', async () => {
    await checkStudyReport('colored-mnist', size);
  }, 300_000);
});
