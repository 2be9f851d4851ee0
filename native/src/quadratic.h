/*
 * Gradient descent on a quadratic ½wᵀAw − bᵀw + (λ/2)‖w‖², many steps per call, so a training
 * loop crosses from JS into native once per stretch of steps instead of once per step.
 * Free of N-API; the caller validates every input first.
 */
#ifndef FF_QUADRATIC_H
#define FF_QUADRATIC_H

/*
 * `steps` iterations, in place on w (length d):
 *   g = A w;  w_j ← w_j − η(k_i g_j − b_j + λ w_j) + ξ_ij
 * A is d×d row-major and symmetric; only its upper triangle is read (as LAPACK's uplo). k_i = scales[i] (1 when scales is NULL), ξ_i = noise[i·d …] (0 when NULL).
 * work holds d doubles. The arithmetic matches the JS loop term for term.
 */
void quadratic_gd_steps(int d, const double *A, const double *b, double *w, double eta, double lambda, int steps,
                        const double *scales, const double *noise, double *work);

#endif
