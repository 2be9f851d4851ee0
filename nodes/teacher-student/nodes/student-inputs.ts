import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { tensors } from '../../../engine/ports.ts';
import { studentInputs } from '../teacher.ts';
import { matTensor, modulationFromBundle, teacherFromBundle } from './tensors.ts';

/** Student inputs X = Z F and X_test = Z_test F (row form of x = Fᵀz). */
export const studentInputsNode = defineNode({
  name: 'teacher-student/student-inputs',
  version: 1,
  module: import.meta.url,
  params: z.object({}),
  inputs: { teacher: tensors, modulation: tensors },
  output: tensors,
  backends: ['linalg'],
  run(ctx) {
    const { teacher } = teacherFromBundle(ctx.inputs.teacher);
    const { F } = modulationFromBundle(ctx.inputs.modulation);
    if (F.rows !== teacher.Z.cols) throw new Error(`student inputs: F is ${F.rows}×${F.cols} but the teacher has d = ${teacher.Z.cols}`);
    return { X: matTensor(studentInputs(teacher.Z, F, ctx.linalg)), Xtest: matTensor(studentInputs(teacher.Ztest, F, ctx.linalg)) };
  },
});
