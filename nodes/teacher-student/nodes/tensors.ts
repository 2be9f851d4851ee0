import { mat, type Mat } from '../../../engine/compute/matrix.ts';
import type { Tensor, TensorBundle } from '../../../engine/ports.ts';
import type { Modulation } from '../modulation.ts';
import type { TeacherDraw } from '../teacher.ts';

export function matTensor(m: Mat): Tensor {
  return { shape: [m.rows, m.cols], data: m.data };
}

export function vectorTensor(v: Float64Array): Tensor {
  return { shape: [v.length], data: v };
}

function need(bundle: TensorBundle, name: string, what: string): Tensor {
  const t = bundle[name];
  if (!t) throw new Error(`${what}: tensor bundle has no "${name}" (has: ${Object.keys(bundle).join(', ')})`);
  return t;
}

export function tensorMat(bundle: TensorBundle, name: string, what: string): Mat {
  const t = need(bundle, name, what);
  if (t.shape.length !== 2) throw new Error(`${what}: "${name}" must be a matrix, has shape [${t.shape.join(', ')}]`);
  return mat(t.shape[0]!, t.shape[1]!, Float64Array.from(t.data));
}

export function tensorVector(bundle: TensorBundle, name: string, what: string): Float64Array {
  return Float64Array.from(need(bundle, name, what).data);
}

export function teacherBundle(t: TeacherDraw, sigma: number): TensorBundle {
  return {
    Z: matTensor(t.Z),
    Ztest: matTensor(t.Ztest),
    w: vectorTensor(t.w),
    y: vectorTensor(t.y),
    ytest: vectorTensor(t.ytest),
    sigma: vectorTensor(Float64Array.of(sigma)),
  };
}

export function teacherFromBundle(b: TensorBundle): { teacher: TeacherDraw; sigma: number } {
  const what = 'teacher data';
  return {
    teacher: { Z: tensorMat(b, 'Z', what), Ztest: tensorMat(b, 'Ztest', what), w: tensorVector(b, 'w', what), y: tensorVector(b, 'y', what), ytest: tensorVector(b, 'ytest', what) },
    sigma: tensorVector(b, 'sigma', what)[0]!,
  };
}

export function modulationBundle(m: Modulation): TensorBundle {
  return { F: matTensor(m.F), singularValues: vectorTensor(m.singularValues), rightVectors: matTensor(m.rightVectors) };
}

export function modulationFromBundle(b: TensorBundle): Modulation {
  const what = 'modulation';
  return { F: tensorMat(b, 'F', what), singularValues: tensorVector(b, 'singularValues', what), rightVectors: tensorMat(b, 'rightVectors', what) };
}
