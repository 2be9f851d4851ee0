/*
 * Batch-norm and dropout of the general trainer's fused step; see net_layers.h. Statistics and
 * the normalised values run in double, as the JS trainer's kernels do, and store float32.
 */
#include "net_layers.h"
#include "budget.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BN_EPS 1e-5
#define BN_MOMENTUM 0.1

typedef struct {
  int units;
  int gamma; /* offset of γ in the parameters (β at gamma + units), −1: no batch-norm */
  double drop;
  double *mean, *var; /* running statistics */
  double *xhat;       /* rows × units, the last pass's normalised z */
  double *inv_std;    /* per unit */
  double *sum_a, *sum_b; /* per-unit sums of the pass in progress */
  float *mask;        /* rows × units: 0 or 1/(1 − p) */
} LayerExtras;

struct NetExtras {
  int nl, cap;
  LayerExtras *layer;
  uint32_t s[4]; /* xoshiro128** state, as compute/mask-stream.ts */
  const double *seeds;
  int nseeds, next_seed;
};

void net_extras_free(NetExtras *ex) {
  if (!ex) return;
  for (int l = 0; l < ex->nl; l++) {
    LayerExtras *e = &ex->layer[l];
    free(e->mean); free(e->var); free(e->xhat); free(e->inv_std); free(e->sum_a); free(e->sum_b); free(e->mask);
  }
  free(ex->layer);
  free(ex);
}

NetExtras *net_extras_create(int nl, const int *units, const int *gamma_off, const double *dropout, int *oom) {
  *oom = 0;
  int any = 0;
  for (int l = 0; l < nl; l++) any |= gamma_off[l] >= 0 || dropout[l] > 0;
  if (!any) return NULL;
  NetExtras *ex = ff_calloc(1, sizeof *ex);
  if (ex) ex->layer = ff_calloc(nl, sizeof(LayerExtras));
  if (!ex || !ex->layer) goto oom;
  ex->nl = nl;
  for (int l = 0; l < nl; l++) {
    LayerExtras *e = &ex->layer[l];
    e->units = units[l];
    e->gamma = gamma_off[l];
    e->drop = dropout[l];
    if (e->gamma < 0) continue;
    e->mean = ff_calloc(units[l], sizeof(double));
    e->var = ff_malloc(units[l], sizeof(double));
    e->inv_std = ff_malloc(units[l], sizeof(double));
    e->sum_a = ff_malloc(units[l], sizeof(double));
    e->sum_b = ff_malloc(units[l], sizeof(double));
    if (!e->mean || !e->var || !e->inv_std || !e->sum_a || !e->sum_b) goto oom;
    for (int u = 0; u < units[l]; u++) e->var[u] = 1;
  }
  return ex;
oom:
  *oom = 1;
  net_extras_free(ex);
  return NULL;
}

int net_extras_has_dropout(const NetExtras *ex) {
  for (int l = 0; ex && l < ex->nl; l++)
    if (ex->layer[l].drop > 0) return 1;
  return 0;
}

void net_extras_set_seeds(NetExtras *ex, const double *seeds, int count) {
  ex->seeds = seeds;
  ex->nseeds = count;
  ex->next_seed = 0;
}

/* ---- the mask stream: compute/mask-stream.ts, bit for bit ---- */

static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static void reseed(NetExtras *ex, double u) {
  uint32_t x = (uint32_t)floor(u * 4294967296.0);
  for (int i = 0; i < 4; i++) { /* splitmix32 */
    x += 0x9e3779b9u;
    uint32_t z = x;
    z = (z ^ (z >> 16)) * 0x85ebca6bu;
    z = (z ^ (z >> 13)) * 0xc2b2ae35u;
    ex->s[i] = z ^ (z >> 16);
  }
  if ((ex->s[0] | ex->s[1] | ex->s[2] | ex->s[3]) == 0) ex->s[0] = 1;
}

/* the 32 random bits behind the JS stream's uniform(), which is bits / 2³² */
static inline uint32_t uniform_bits(NetExtras *ex) {
  uint32_t *s = ex->s;
  const uint32_t result = rotl(s[1] * 5, 7) * 9;
  const uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

void net_extras_begin_pass(NetExtras *ex) {
  if (!ex || !net_extras_has_dropout(ex)) return;
  /* the caller passed one seed per step (the addon checks the count) */
  if (ex->next_seed < ex->nseeds) reseed(ex, ex->seeds[ex->next_seed++]);
}

/* the per-row buffers for `rows`; -1 when out of memory */
static int ensure_rows(NetExtras *ex, int rows) {
  if (rows <= ex->cap) return 0;
  for (int l = 0; l < ex->nl; l++) {
    LayerExtras *e = &ex->layer[l];
    size_t n = (size_t)rows * e->units;
    if (e->gamma >= 0) {
      free(e->xhat);
      if (!(e->xhat = ff_malloc(n, sizeof(double)))) return ex->cap = 0, -1;
    }
    if (e->drop > 0) {
      free(e->mask);
      if (!(e->mask = ff_malloc(n, sizeof(float)))) return ex->cap = 0, -1;
    }
  }
  ex->cap = rows;
  return 0;
}

/*
 * train mode: batch statistics, running statistics updated (trainer-js-kernels.ts
 * batchNormForward). The sums run over rows in row order for every unit, as the JS loops, but
 * row by row across units, so memory is read contiguously.
 */
static void batch_norm_forward(LayerExtras *e, float *z, int rows, const float *p) {
  const int U = e->units;
  const float *gamma = p + e->gamma, *beta = p + e->gamma + U;
  double *mu = e->sum_a, *v = e->sum_b;
  for (int u = 0; u < U; u++) mu[u] = v[u] = 0;
  for (int r = 0; r < rows; r++)
    for (int u = 0; u < U; u++) mu[u] += z[(size_t)r * U + u];
  for (int u = 0; u < U; u++) mu[u] /= rows;
  for (int r = 0; r < rows; r++)
    for (int u = 0; u < U; u++) {
      const double c = z[(size_t)r * U + u] - mu[u];
      v[u] += c * c;
    }
  for (int u = 0; u < U; u++) {
    v[u] /= rows;
    e->mean[u] = (1 - BN_MOMENTUM) * e->mean[u] + BN_MOMENTUM * mu[u];
    e->var[u] = (1 - BN_MOMENTUM) * e->var[u] + BN_MOMENTUM * (rows > 1 ? (v[u] * rows) / (rows - 1) : v[u]);
    e->inv_std[u] = 1 / sqrt(v[u] + BN_EPS);
  }
  for (int r = 0; r < rows; r++)
    for (int u = 0; u < U; u++) {
      const size_t j = (size_t)r * U + u;
      const double xh = (z[j] - mu[u]) * e->inv_std[u];
      e->xhat[j] = xh;
      z[j] = (float)(gamma[u] * xh + beta[u]);
    }
}

/*
 * Inverted dropout, the masks drawn in the JS trainer's order (row-major, layer by layer). JS drops
 * a unit when bits/2³² < p, i.e. when bits < p·2³² (exact: a power-of-two scaling), i.e. when
 * bits < ⌈p·2³²⌉; the mask is 0 or keep, chosen with a bit mask, not a branch: a branch on a
 * random draw mispredicts on a good share of the units.
 */
static void dropout_forward(NetExtras *ex, LayerExtras *e, float *z, int rows) {
  const size_t n = (size_t)rows * e->units;
  const float keep = (float)(1 / (1 - e->drop));
  uint32_t keep_bits;
  memcpy(&keep_bits, &keep, sizeof keep_bits);
  const uint64_t threshold = (uint64_t)ceil(e->drop * 4294967296.0);
  float *mask = e->mask;
  for (size_t j = 0; j < n; j++) {
    const uint32_t bits = keep_bits & (0u - (uint32_t)((uint64_t)uniform_bits(ex) >= threshold));
    float m;
    memcpy(&m, &bits, sizeof m);
    mask[j] = m;
    z[j] *= m;
  }
}

int net_extras_forward(NetExtras *ex, int l, float *z, int rows, const float *p) {
  LayerExtras *e = &ex->layer[l];
  if (e->gamma < 0 && !(e->drop > 0)) return 0;
  if (ensure_rows(ex, rows)) return -1;
  if (e->gamma >= 0) batch_norm_forward(e, z, rows, p);
  if (e->drop > 0) dropout_forward(ex, e, z, rows);
  return 0;
}

/* train mode: dz = γ/σ · (dy − mean dy − x̂ · mean(dy x̂)) (trainer-js-kernels.ts batchNormBackward), row by row */
static void batch_norm_backward(LayerExtras *e, float *d, int rows, const float *p, float *grad) {
  const int U = e->units;
  double *sum_d = e->sum_a, *sum_dx = e->sum_b;
  for (int u = 0; u < U; u++) sum_d[u] = sum_dx[u] = 0;
  for (int r = 0; r < rows; r++)
    for (int u = 0; u < U; u++) {
      const size_t j = (size_t)r * U + u;
      sum_d[u] += d[j];
      sum_dx[u] += d[j] * e->xhat[j];
    }
  for (int u = 0; u < U; u++) {
    grad[e->gamma + u] = (float)sum_dx[u];
    grad[e->gamma + U + u] = (float)sum_d[u];
  }
  for (int r = 0; r < rows; r++)
    for (int u = 0; u < U; u++) {
      const size_t j = (size_t)r * U + u;
      const double g_inv = p[e->gamma + u] * e->inv_std[u];
      d[j] = (float)(g_inv * (d[j] - sum_d[u] / rows - (e->xhat[j] * sum_dx[u]) / rows));
    }
}

void net_extras_backward(NetExtras *ex, int l, float *d, int rows, const float *p, float *grad) {
  LayerExtras *e = &ex->layer[l];
  if (e->drop > 0) {
    const size_t n = (size_t)rows * e->units;
    for (size_t j = 0; j < n; j++) d[j] *= e->mask[j];
  }
  if (e->gamma >= 0) batch_norm_backward(e, d, rows, p, grad);
}

int net_extras_running_stats_count(const NetExtras *ex) {
  int count = 0;
  for (int l = 0; ex && l < ex->nl; l++)
    if (ex->layer[l].gamma >= 0) count += 2 * ex->layer[l].units;
  return count;
}

int net_extras_running_stats(const NetExtras *ex, double *out) {
  int at = 0;
  for (int l = 0; ex && l < ex->nl; l++) {
    const LayerExtras *e = &ex->layer[l];
    if (e->gamma < 0) continue;
    for (int u = 0; u < e->units; u++) out[at++] = e->mean[u];
    for (int u = 0; u < e->units; u++) out[at++] = e->var[u];
  }
  return at;
}
