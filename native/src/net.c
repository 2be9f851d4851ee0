/*
 * The fused step of the general trainer. Products as in mlp.c (row-major activations are the
 * transposes column-major BLAS sees): forward Zᵀ = W Aᵀ, backward Gᵀ_W = Aᵀ Δ (gradient, not a
 * fused update: the optimiser needs it) and Δ_prevᵀ = Wᵀ Δᵀ. Gradients are float32 like torch's;
 * the loss and the optimiser arithmetic run in double and store float32.
 */
#include "net.h"
#include "budget.h"
#include "blas.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

void net_free(Net *n) {
  if (!n) return;
  for (int l = 0; l <= n->nl; l++) {
    if (n->a) free(n->a[l]);
    if (n->d) free(n->d[l]);
  }
  free(n->a); free(n->d); free(n->sizes); free(n->act); free(n->woff); free(n->boff); free(n->trainable);
  free(n->p); free(n->grad); free(n->m1); free(n->m2);
  net_extras_free(n->ex);
  free(n);
}

Net *net_create(int nl, const int *sizes, const int *act, const int *has_bias, const int *frozen, const float *params, const NetOptimizerSpec *opt,
                const int *batch_norm, const double *dropout) {
  Net *n = ff_calloc(1, sizeof(Net));
  if (!n) return NULL;
  n->nl = nl;
  n->opt = *opt;
  n->sizes = ff_malloc((nl + 1), sizeof(int));
  n->act = ff_malloc(nl, sizeof(int));
  n->woff = ff_malloc(nl, sizeof(int));
  n->boff = ff_malloc(nl, sizeof(int));
  n->a = ff_calloc(nl + 1, sizeof(float *));
  n->d = ff_calloc(nl + 1, sizeof(float *));
  if (!n->sizes || !n->act || !n->woff || !n->boff || !n->a || !n->d) goto oom;
  memcpy(n->sizes, sizes, sizeof(int) * (nl + 1));
  memcpy(n->act, act, sizeof(int) * nl);
  int at = 0;
  for (int l = 0; l < nl; l++) {
    n->woff[l] = at;
    at += sizes[l + 1] * sizes[l];
    n->boff[l] = has_bias[l] ? at : -1;
    if (has_bias[l]) at += sizes[l + 1];
    if (batch_norm && batch_norm[l]) at += 2 * sizes[l + 1]; /* γ, β */
  }
  n->P = at;
  n->p = ff_malloc(at, sizeof(float));
  n->grad = ff_malloc(at, sizeof(float));
  n->m1 = ff_calloc(at, sizeof(float));
  n->m2 = ff_calloc(at, sizeof(float));
  n->trainable = ff_malloc(at, 1);
  if (!n->p || !n->grad || !n->m1 || !n->m2 || !n->trainable) goto oom;
  memcpy(n->p, params, sizeof(float) * at);
  for (int l = 0; l < nl; l++) {
    int end = l + 1 < nl ? n->woff[l + 1] : at;
    memset(n->trainable + n->woff[l], frozen[l] ? 0 : 1, end - n->woff[l]);
  }
  if (batch_norm || dropout) {
    int gamma_off[64], oom = 0; /* nl ≤ 64: the addon's limit */
    double none[64] = {0};
    for (int l = 0; l < nl; l++)
      gamma_off[l] = batch_norm && batch_norm[l] ? n->woff[l] + sizes[l + 1] * sizes[l] + (has_bias[l] ? sizes[l + 1] : 0) : -1;
    n->ex = net_extras_create(nl, sizes + 1, gamma_off, dropout ? dropout : none, &oom);
    if (oom) goto oom;
  }
  return n;
oom:
  net_free(n);
  return NULL;
}

static int ensure(Net *n, int rows) {
  if (rows <= n->cap) return 0;
  for (int l = 1; l <= n->nl; l++) {
    free(n->a[l]);
    free(n->d[l]);
    n->a[l] = ff_malloc((size_t)rows * n->sizes[l], sizeof(float));
    n->d[l] = ff_malloc((size_t)rows * n->sizes[l], sizeof(float));
    if (!n->a[l] || !n->d[l]) {
      n->cap = 0;
      return -1;
    }
  }
  n->cap = rows;
  return 0;
}

static void activate(int kind, float *z, size_t count) {
  switch (kind) {
  case ACT_RELU: for (size_t i = 0; i < count; i++) z[i] = z[i] > 0 ? z[i] : 0; break;
  case ACT_TANH: for (size_t i = 0; i < count; i++) z[i] = tanhf(z[i]); break;
  case ACT_SIGMOID: for (size_t i = 0; i < count; i++) z[i] = (float)(1 / (1 + exp(-(double)z[i]))); break;
  default: break;
  }
}

/* d ← d ⊙ φ′, read from the layer's output a (ReLU: a > 0 exactly when the input was) */
static void activation_backward(int kind, const float *a, float *d, size_t count) {
  switch (kind) {
  case ACT_RELU: for (size_t i = 0; i < count; i++) if (!(a[i] > 0)) d[i] = 0; break;
  case ACT_TANH: for (size_t i = 0; i < count; i++) d[i] *= 1 - a[i] * a[i]; break;
  case ACT_SIGMOID: for (size_t i = 0; i < count; i++) d[i] *= a[i] * (1 - a[i]); break;
  default: break;
  }
}

/* -1: out of memory (batch-norm or dropout buffers) */
static int forward(Net *n, const float *x, int rows) {
  const float one = 1, zero = 0;
  const float *in = x;
  for (int l = 0; l < n->nl; l++) {
    int k = n->sizes[l], u = n->sizes[l + 1];
    float *z = n->a[l + 1];
    const float *W = n->p + n->woff[l];
    if (n->boff[l] >= 0)
      for (int r = 0; r < rows; r++) memcpy(z + (size_t)r * u, n->p + n->boff[l], sizeof(float) * u);
    sgemm_("T", "N", &u, &rows, &k, &one, W, &k, in, &k, n->boff[l] >= 0 ? &one : &zero, z, &u, 1, 1);
    if (n->ex && net_extras_forward(n->ex, l, z, rows, n->p)) return -1;
    activate(n->act[l], z, (size_t)rows * u);
    in = z;
  }
  return 0;
}

/* the objective and scale·∂/∂logits into d (float32) */
static void objective(const Net *n, const float *z, const float *t, int rows, const NetObjective *o, float *d, double *loss, double *penalty) {
  int out = n->sizes[n->nl];
  size_t count = (size_t)rows * out;
  double total = 0, sq = 0, s = o->scale;
  for (int r = 0; r < rows; r++) {
    const float *zr = z + (size_t)r * out;
    float *dr = d + (size_t)r * out;
    if (o->loss == NET_BCE_01 || o->loss == NET_BCE_PM) {
      double y = o->loss == NET_BCE_01 ? 2.0 * t[r] - 1 : t[r], m = y * zr[0];
      total += (-m > 0 ? -m : 0) + log1p(exp(-fabs(m)));
      double sig = m >= 0 ? exp(-m) / (1 + exp(-m)) : 1 / (1 + exp(m)); /* σ(−m) */
      dr[0] = (float)(s * -y * sig / rows);
    } else if (o->loss == NET_SOFTMAX_CE) {
      int y = (int)t[r];
      double mx = -INFINITY, se = 0;
      for (int j = 0; j < out; j++) if (zr[j] > mx) mx = zr[j];
      for (int j = 0; j < out; j++) se += exp(zr[j] - mx);
      double lse = mx + log(se);
      total += lse - zr[y];
      for (int j = 0; j < out; j++) dr[j] = (float)(s * (exp(zr[j] - lse) - (j == y ? 1.0 : 0.0)) / rows);
    } else {
      for (int j = 0; j < out; j++) {
        double e = (double)zr[j] - t[(size_t)r * out + j];
        total += e * e;
        dr[j] = (float)(s * 2 * e / count);
      }
    }
  }
  *loss = o->loss == NET_MSE ? total / count : total / rows;
  *penalty = 0;
  if (o->logit_penalty != 0) {
    for (size_t j = 0; j < count; j++) {
      sq += (double)z[j] * z[j];
      d[j] = (float)(d[j] + s * 2 * o->logit_penalty * z[j] / count);
    }
    *penalty = o->logit_penalty * sq / count;
  }
}

static void backward(Net *n, const float *x, int rows) {
  const float one = 1, zero = 0;
  for (int l = n->nl - 1; l >= 0; l--) {
    int k = n->sizes[l], u = n->sizes[l + 1];
    float *dl = n->d[l + 1];
    activation_backward(n->act[l], n->a[l + 1], dl, (size_t)rows * u);
    if (n->ex) net_extras_backward(n->ex, l, dl, rows, n->p, n->grad);
    const float *in = l == 0 ? x : n->a[l];
    /* G_W (u × k row-major) = Δᵀ A: column-major G_Wᵀ (k × u) = Aᵀ Δ */
    sgemm_("N", "T", &k, &u, &rows, &one, in, &k, dl, &u, &zero, n->grad + n->woff[l], &k, 1, 1);
    if (n->boff[l] >= 0) {
      float *gb = n->grad + n->boff[l];
      for (int j = 0; j < u; j++) gb[j] = 0;
      for (int r = 0; r < rows; r++) for (int j = 0; j < u; j++) gb[j] += dl[(size_t)r * u + j];
    }
    if (l > 0) sgemm_("N", "N", &k, &rows, &u, &one, n->p + n->woff[l], &k, dl, &u, &zero, n->d[l], &k, 1, 1);
  }
}

/* PyTorch's SGD (no dampening, buffer = first gradient) and Adam, coupled weight decay */
static void update(Net *n) {
  const NetOptimizerSpec *o = &n->opt;
  n->t++;
  if (o->kind == OPT_SGD) {
    for (int i = 0; i < n->P; i++) {
      if (!n->trainable[i]) continue;
      float g = n->grad[i];
      if (o->weight_decay != 0) g = (float)(g + o->weight_decay * n->p[i]);
      if (o->momentum != 0) {
        n->m1[i] = n->t == 1 ? g : (float)(o->momentum * n->m1[i] + g);
        g = n->m1[i];
      }
      n->p[i] = (float)(n->p[i] - o->lr * g);
    }
    return;
  }
  double c1 = 1 - pow(o->beta1, (double)n->t), c2 = sqrt(1 - pow(o->beta2, (double)n->t)), step = o->lr / c1;
  for (int i = 0; i < n->P; i++) {
    if (!n->trainable[i]) continue;
    double g = n->grad[i];
    if (o->weight_decay != 0) g = (float)(g + o->weight_decay * n->p[i]);
    n->m1[i] = (float)(n->m1[i] * o->beta1 + (1 - o->beta1) * g);
    n->m2[i] = (float)(n->m2[i] * o->beta2 + (1 - o->beta2) * g * g);
    n->p[i] = (float)(n->p[i] - step * n->m1[i] / (sqrt(n->m2[i]) / c2 + o->eps));
  }
}

int net_steps(Net *n, const float *x, const float *targets, int rows, const NetObjective *o, int steps, double *loss, double *penalty, float *logits) {
  if (ensure(n, rows)) return -1;
  int out = n->sizes[n->nl];
  for (int s = 0; s < steps; s++) {
    net_extras_begin_pass(n->ex);
    if (forward(n, x, rows)) return -1;
    float *z = n->a[n->nl];
    if (logits && s == steps - 1) memcpy(logits, z, sizeof(float) * (size_t)rows * out);
    objective(n, z, targets, rows, o, n->d[n->nl], loss, penalty);
    backward(n, x, rows);
    update(n);
  }
  return 0;
}

/* eval-mode logits (a dense network has no dropout or batch-norm: eval is the training forward),
 * in blocks of at most max(cap, 1024) rows so a large input (a decision grid) does not grow the
 * step's work buffers beyond what training already holds */
int net_forward(Net *n, const float *x, int rows, float *out) {
  int block = n->cap > 1024 ? n->cap : 1024, in = n->sizes[0], o = n->sizes[n->nl];
  if (block > rows) block = rows;
  if (ensure(n, block)) return -1;
  for (int r = 0; r < rows; r += block) {
    int m = rows - r < block ? rows - r : block;
    forward(n, x + (size_t)r * in, m);
    memcpy(out + (size_t)r * o, n->a[n->nl], sizeof(float) * (size_t)m * o);
  }
  return 0;
}
