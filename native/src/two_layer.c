#include "two_layer.h"
#include <math.h>
#include "blas.h"

/* the JS reference sums and multiplies in a fixed order; contracting into FMAs would change bits */
#pragma GCC optimize("fp-contract=off")

/* φ and φ′ of one row of pre-activations */
static void evaluate_row(TwoLayerActivation act, int h, const double *z, double *phi, double *dphi) {
  switch (act) {
    case TL_SIGMOID:
      ff_sigmoid_row(h, z, phi, dphi);
      break;
    case TL_TANH:
      /* libm's tanh, not V8's: the one activation whose bits may differ from the JS path */
      for (int i = 0; i < h; i++) {
        const double t = tanh(z[i]);
        phi[i] = t;
        dphi[i] = 1 - t * t;
      }
      break;
    case TL_IDENTITY:
      for (int i = 0; i < h; i++) {
        phi[i] = z[i];
        dphi[i] = 1;
      }
      break;
  }
}

/* Z = XW, row-major: the column-major Zᵀ = WᵀXᵀ, as the addon's gemm calls it */
static void forward(int n, int d, int h, const double *X, const double *W, double *Z) {
  const double one = 1, zero = 0;
  dgemm_("N", "N", &h, &n, &d, &one, W, &h, X, &d, &zero, Z, &h, 1, 1);
}

/* grad = XᵀG, row-major d×h: the column-major gradᵀ = GᵀX, as the addon's gemm(X, G, transA) */
static void backward(int n, int d, int h, const double *X, const double *G, double *grad) {
  const double one = 1, zero = 0;
  dgemm_("N", "T", &h, &d, &n, &one, G, &h, X, &d, &zero, grad, &h, 1, 1);
}

double two_layer_gd_steps(int n, int d, int h, const double *X, const double *y, const double *a, double *W, double eta,
                          int steps, TwoLayerActivation act, double *work) {
  const size_t nh = (size_t)n * h, dh = (size_t)d * h;
  double *Z = work, *G = work + nh, *grad = work + 2 * nh, *phi = work + 2 * nh + dh;
  double loss = NAN;
  for (int t = 0; t < steps; t++) {
    forward(n, d, h, X, W, Z);
    loss = 0;
    for (int k = 0; k < n; k++) {
      double *z = Z + (size_t)k * h, *g = G + (size_t)k * h;
      evaluate_row(act, h, z, phi, g); /* φ′ straight into G, to be scaled in place */
      double f = 0;
      for (int i = 0; i < h; i++) f += a[i] * phi[i];
      const double e = f - y[k];
      loss += e * e;
      const double scale = e / n;
      for (int i = 0; i < h; i++) g[i] = scale * a[i] * g[i];
    }
    loss /= 2.0 * n;
    backward(n, d, h, X, G, grad);
    for (size_t j = 0; j < dh; j++) W[j] -= eta * grad[j];
  }
  return loss;
}
