import type { L1Form } from '../../compute/extensions/l1-forms.ts';

/** What each `l1Form` computes, stated in every output so a reader never has to guess. */
export const L1_FORM_DESCRIPTIONS: Readonly<Record<L1Form, string>> = {
  notebook:
    'α·Σ_p ‖p‖₁ with torch.linalg.norm(p, 1) as in the paper\'s notebook: induced matrix 1-norm (max over input units of the column Σ|w|) for each weight matrix, Σ|b| for each bias',
  elementwise: 'α·Σ_p Σ_i |p_i| over every weight and bias entry',
};
