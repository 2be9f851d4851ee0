/*
 * Full-batch gradient descent on the first layer of f(x) = Σ_i a_i φ(w_iᵀx) with the second
 * layer a fixed (the two-layer study), many steps per call, so a training loop crosses from JS
 * into native once per stretch of steps instead of four times per step.
 * Free of N-API; the caller validates every input first.
 */
#ifndef FF_TWO_LAYER_H
#define FF_TWO_LAYER_H

/* the activations the kernel computes, each exactly as the JS activation of that name */
typedef enum { TL_SIGMOID = 0, TL_TANH = 1, TL_IDENTITY = 2 } TwoLayerActivation;

/*
 * `steps` iterations, in place on W (d×h, row-major), with X n×d, y length n, a length h:
 *   Z = XW;  e_k = Σ_i a_i φ(Z_ki) − y_k;  G_ki = (e_k/n · a_i) φ′(Z_ki);  W ← W − η XᵀG
 * The two products are dgemm calls with the operands the addon's gemm passes, and every other
 * term is computed in the JS reference's order, so with the same φ the result is the same bits.
 * Returns the training loss ½n⁻¹Σe² before the last step (NaN when steps = 0).
 * work holds 2·n·h + d·h + h doubles.
 */
double two_layer_gd_steps(int n, int d, int h, const double *X, const double *y, const double *a, double *W, double eta,
                          int steps, TwoLayerActivation act, double *work);

/* V8's Math.exp (fdlibm's e_exp.c as V8 ships it), so the C sigmoid is the JS one bit for bit */
double ff_fdlibm_exp(double x);

/* φ and φ′ of the sigmoid over z[0 … h), the JS activation's bits, vectorised (sigmoid_row.c); z must not share memory with phi */
void ff_sigmoid_row(int h, const double *z, double *phi, double *dphi);

#endif
