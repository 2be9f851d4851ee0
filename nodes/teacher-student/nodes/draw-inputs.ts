import type { Linalg } from '../../../engine/compute/linalg.ts';
import type { TensorBundle } from '../../../engine/ports.ts';
import { setupFromParts, type SetupDraw } from '../simulate.ts';
import { modulationFromBundle, teacherFromBundle } from './tensors.ts';

/** Rebuild one draw (teacher, F, X = ZF, X_test) from the two upstream tensor bundles. */
export function setupFromBundles(teacherBundle: TensorBundle, modulationBundle: TensorBundle, linalg: Linalg): { draw: SetupDraw; sigma: number } {
  const { teacher, sigma } = teacherFromBundle(teacherBundle);
  const modulation = modulationFromBundle(modulationBundle);
  if (modulation.F.rows !== teacher.Z.cols) {
    throw new Error(`F is ${modulation.F.rows}×${modulation.F.cols} but the teacher has d = ${teacher.Z.cols}: wire the same d into both steps`);
  }
  return { draw: setupFromParts(teacher, modulation, linalg), sigma };
}

/** κ = s_max/s_min of F and the size of its top singular block (p for a bipartite F), for metadata. */
export function modulationSummary(draw: SetupDraw): { kappa: number; p: number } {
  const s = draw.modulation.singularValues;
  let max = 0, min = Infinity;
  for (const v of s) {
    max = Math.max(max, v);
    min = Math.min(min, v);
  }
  let p = 0;
  for (const v of s) if (Math.abs(v - max) <= 1e-12 * max) p++;
  return { kappa: Number((max / min).toPrecision(10)), p };
}
