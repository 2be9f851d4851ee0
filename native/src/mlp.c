/*
 * Row-major activations (batch × width) and weights (out × in) map onto column-major BLAS as
 * their transposes, so every product below is one sgemm with no copies:
 *   forward   Z = A Wᵀ + b          → Zᵀ = W Aᵀ
 *   backward  Δ_prev = Δ W ⊙ relu'  → Δ_prevᵀ = Wᵀ Δᵀ
 *   update    W ← W − lr Δᵀ A       → Wᵀ ← Wᵀ − lr Aᵀ Δ   (fused into the GEMM, beta = 1)
 * The L1 subgradient step uses the pre-update weights (sign(0) = 0) and is applied before the
 * GEMM update, so W − lr(G + α sign W) is computed as (W − lr α sign W) − lr G.
 */
#include "mlp.h"
#include "blas.h"
#include "budget.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static float *fdup(const float *src, size_t n) {
  float *d = ff_malloc(n, sizeof(float));
  if (d && n) memcpy(d, src, n * sizeof(float));
  return d;
}

void mlp_free(Mlp *m) {
  if (!m) return;
  for (int l = 0; l <= m->nl; l++) {
    if (l < m->nl) {
      if (m->W) free(m->W[l]);
      if (m->b) free(m->b[l]);
    }
    if (m->act) free(m->act[l]);
    if (m->delta) free(m->delta[l]);
  }
  free(m->W);
  free(m->b);
  free(m->act);
  free(m->delta);
  free(m->sizes);
  free(m->colsum);
  free(m->maxcol);
  free(m->data_x);
  free(m->data_y);
  free(m->xbuf);
  free(m->ybuf);
  free(m);
}

Mlp *mlp_create(int nl, const int *sizes, const float *const *weights, const float *const *biases, MlpLoss loss) {
  Mlp *m = ff_calloc(1, sizeof(Mlp));
  if (!m) return NULL;
  m->nl = nl;
  m->loss = loss;
  m->sizes = ff_malloc((size_t)nl + 1, sizeof(int));
  m->W = ff_calloc(nl, sizeof(float *));
  m->b = ff_calloc(nl, sizeof(float *));
  m->act = ff_calloc((size_t)nl + 1, sizeof(float *));
  m->delta = ff_calloc((size_t)nl + 1, sizeof(float *));
  m->maxcol = ff_calloc(nl, sizeof(int));
  int widest = 1;
  if (!m->sizes || !m->W || !m->b || !m->act || !m->delta || !m->maxcol) goto oom;
  for (int l = 0; l <= nl; l++) {
    m->sizes[l] = sizes[l];
    if (sizes[l] > widest) widest = sizes[l];
  }
  m->colsum = ff_malloc(widest, sizeof(double));
  if (!m->colsum) goto oom;
  for (int l = 0; l < nl; l++) {
    m->W[l] = fdup(weights[l], (size_t)sizes[l + 1] * sizes[l]);
    m->b[l] = fdup(biases[l], sizes[l + 1]);
    if (!m->W[l] || !m->b[l]) goto oom;
  }
  return m;
oom:
  mlp_free(m);
  return NULL;
}

static int ensure(Mlp *m, int batch) {
  if (batch <= m->cap) return 0;
  for (int l = 1; l <= m->nl; l++) {
    free(m->act[l]);
    free(m->delta[l]);
    m->act[l] = ff_malloc((size_t)batch * m->sizes[l], sizeof(float));
    m->delta[l] = ff_malloc((size_t)batch * m->sizes[l], sizeof(float));
    if (!m->act[l] || !m->delta[l]) {
      m->cap = 0;
      return -1;
    }
  }
  m->cap = batch;
  return 0;
}

static void forward(Mlp *m, const float *x, int batch) {
  const float one = 1;
  const float *a = x;
  for (int l = 0; l < m->nl; l++) {
    int in = m->sizes[l], out = m->sizes[l + 1];
    float *z = m->act[l + 1];
    const float *bias = m->b[l];
    for (int r = 0; r < batch; r++) memcpy(z + (size_t)r * out, bias, sizeof(float) * out);
    sgemm_("T", "N", &out, &batch, &in, &one, m->W[l], &in, a, &in, &one, z, &out, 1, 1);
    if (l < m->nl - 1) {
      size_t n = (size_t)batch * out;
      for (size_t i = 0; i < n; i++) z[i] = z[i] > 0 ? z[i] : 0;
    }
    a = z;
  }
}

/* batch-mean data loss and correct count; writes d(loss)/d(logits) into delta when given */
static double output_loss(const Mlp *m, const float *logits, const int *labels, int batch, float *delta, int *correct) {
  int out = m->sizes[m->nl];
  double total = 0;
  int ok = 0;
  for (int r = 0; r < batch; r++) {
    const float *z = logits + (size_t)r * out;
    int y = labels[r];
    if (m->loss == LOSS_BCE_LOGITS) {
      double v = z[0];
      total += (v > 0 ? v : 0) - y * v + log1p(exp(-fabs(v)));
      if ((v > 0 ? 1 : 0) == y) ok++;
      if (delta) delta[r] = (float)((1 / (1 + exp(-v)) - y) / batch);
      continue;
    }
    double mx = -INFINITY;
    int arg = 0;
    for (int j = 0; j < out; j++)
      if (z[j] > mx) {
        mx = z[j];
        arg = j;
      }
    double se = 0;
    for (int j = 0; j < out; j++) se += exp(z[j] - mx);
    double lse = mx + log(se);
    total += lse - z[y];
    if (arg == y) ok++;
    if (delta) {
      float *d = delta + (size_t)r * out;
      for (int j = 0; j < out; j++) d[j] = (float)(exp(z[j] - lse) / batch);
      d[y] = (float)((exp(z[y] - lse) - 1.0) / batch);
    }
  }
  if (correct) *correct = ok;
  return total / batch;
}

static inline float sgnf(float v) { return (float)((v > 0) - (v < 0)); }

/* Σ_l (‖W_l‖ + Σ|b_l|); notebook: ‖W‖ = max over input units of Σ_out |w| (first column wins ties) */
static double l1_penalty(Mlp *m, MlpL1Form form) {
  double total = 0;
  for (int l = 0; l < m->nl; l++) {
    int in = m->sizes[l], out = m->sizes[l + 1];
    const float *w = m->W[l];
    if (form == L1_ELEMENTWISE) {
      double s = 0;
      size_t n = (size_t)in * out;
      for (size_t i = 0; i < n; i++) s += fabsf(w[i]);
      total += s;
    } else {
      double *cs = m->colsum;
      for (int i = 0; i < in; i++) cs[i] = 0;
      for (int j = 0; j < out; j++) {
        const float *row = w + (size_t)j * in;
        for (int i = 0; i < in; i++) cs[i] += fabsf(row[i]);
      }
      int best = 0;
      for (int i = 1; i < in; i++)
        if (cs[i] > cs[best]) best = i;
      m->maxcol[l] = best;
      total += cs[best];
    }
    for (int j = 0; j < out; j++) total += fabsf(m->b[l][j]);
  }
  return total;
}

int mlp_step(Mlp *m, const float *x, const int *labels, int batch, const MlpStepOptions *o, double *loss, double *penalty) {
  if (ensure(m, batch)) return -1;
  const double alpha = o->l1;
  const float lr = (float)o->lr, neg_lr = -(float)o->lr, zero = 0, one = 1;
  *penalty = alpha > 0 ? alpha * l1_penalty(m, o->form) : 0;
  forward(m, x, batch);
  *loss = output_loss(m, m->act[m->nl], labels, batch, m->delta[m->nl], NULL);
  for (int l = m->nl - 1; l >= 0; l--) {
    int in = m->sizes[l], out = m->sizes[l + 1];
    float *w = m->W[l], *bias = m->b[l];
    const float *d = m->delta[l + 1];
    const float *a = l == 0 ? x : m->act[l];
    if (l > 0) {
      /* back-propagate through the pre-update weights, then mask by the ReLU */
      float *prev = m->delta[l];
      sgemm_("N", "N", &in, &batch, &out, &one, w, &in, d, &out, &zero, prev, &in, 1, 1);
      size_t n = (size_t)batch * in;
      for (size_t i = 0; i < n; i++)
        if (a[i] <= 0) prev[i] = 0;
    }
    if (alpha > 0) {
      const float step = (float)(o->lr * alpha);
      if (o->form == L1_ELEMENTWISE) {
        size_t n = (size_t)in * out;
        for (size_t i = 0; i < n; i++) w[i] -= step * sgnf(w[i]);
      } else {
        int c = m->maxcol[l];
        for (int j = 0; j < out; j++) w[(size_t)j * in + c] -= step * sgnf(w[(size_t)j * in + c]);
      }
    }
    sgemm_("N", "T", &in, &out, &batch, &neg_lr, a, &in, d, &out, &one, w, &in, 1, 1);
    for (int j = 0; j < out; j++) {
      double g = 0;
      for (int r = 0; r < batch; r++) g += d[(size_t)r * out + j];
      if (alpha > 0) g += alpha * sgnf(bias[j]);
      bias[j] = (float)(bias[j] - (double)lr * g);
    }
  }
  return 0;
}

int mlp_evaluate(Mlp *m, const float *x, const int *labels, int count, double *loss, int *correct) {
  const int chunk = 256;
  if (ensure(m, count < chunk ? count : chunk)) return -1;
  int in = m->sizes[0], ok = 0;
  double sum = 0;
  for (int s = 0; s < count; s += chunk) {
    int n = count - s < chunk ? count - s : chunk, c = 0;
    forward(m, x + (size_t)s * in, n);
    sum += output_loss(m, m->act[m->nl], labels + s, n, NULL, &c) * n;
    ok += c;
  }
  *loss = sum / count;
  *correct = ok;
  return 0;
}

int mlp_set_data(Mlp *m, const float *x, const int *labels, int n) {
  size_t in = m->sizes[0];
  float *nx = fdup(x, (size_t)n * in);
  int *ny = ff_malloc(n, sizeof(int));
  if (!nx || !ny) {
    free(nx);
    free(ny);
    return -1;
  }
  memcpy(ny, labels, sizeof(int) * n);
  free(m->data_x);
  free(m->data_y);
  m->data_x = nx;
  m->data_y = ny;
  m->data_n = n;
  return 0;
}

int mlp_epoch(Mlp *m, const int *order, int n, int batch, const MlpStepOptions *o, double *out) {
  size_t in = m->sizes[0];
  if (batch > m->xcap) {
    free(m->xbuf);
    free(m->ybuf);
    m->xbuf = ff_malloc(in * (size_t)batch, sizeof(float));
    m->ybuf = ff_malloc(batch, sizeof(int));
    m->xcap = m->xbuf && m->ybuf ? batch : 0;
    if (!m->xcap) return -1;
  }
  for (int s = 0, k = 0; s < n; s += batch, k++) {
    int nb = n - s < batch ? n - s : batch;
    for (int r = 0; r < nb; r++) {
      int src = order[s + r];
      memcpy(m->xbuf + r * in, m->data_x + (size_t)src * in, sizeof(float) * in);
      m->ybuf[r] = m->data_y[src];
    }
    if (mlp_step(m, m->xbuf, m->ybuf, nb, o, &out[2 * k], &out[2 * k + 1])) return -1;
  }
  return 0;
}
