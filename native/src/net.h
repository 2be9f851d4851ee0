/*
 * The general trainer's fused full-batch step (engine/compute/trainer.ts), float32, parameters and
 * optimiser state held natively: one call runs `steps` steps on one batch — forward, loss with the
 * logit penalty, backward, SGD-momentum or Adam update — on OpenBLAS sgemm. Dense layers only
 * (ReLU, identity, tanh, sigmoid; optional bias; frozen layers), with batch-norm and dropout from
 * net_layers.c; L1 stays on the JS trainer. Same flat parameter layout as trainer-layout.ts. N-API free.
 */
#ifndef FF_NET_H
#define FF_NET_H

#include "net_layers.h"

typedef enum { ACT_IDENTITY = 0, ACT_RELU = 1, ACT_TANH = 2, ACT_SIGMOID = 3 } NetActivation;
typedef enum { NET_BCE_01 = 0, NET_BCE_PM = 1, NET_SOFTMAX_CE = 2, NET_MSE = 3 } NetLoss;
typedef enum { OPT_SGD = 0, OPT_ADAM = 1 } NetOptimizer;

typedef struct {
  NetOptimizer kind;
  double lr, momentum, weight_decay, beta1, beta2, eps;
} NetOptimizerSpec;

typedef struct {
  int nl;
  int *sizes;        /* nl + 1 widths */
  int *act;          /* NetActivation per layer */
  int *woff, *boff;  /* offsets into p; boff[l] < 0: no bias */
  unsigned char *trainable; /* per parameter */
  int P;
  float *p, *grad, *m1, *m2;
  NetOptimizerSpec opt;
  long t;            /* optimiser steps taken */
  int cap;
  float **a;         /* a[l], l ≥ 1: layer outputs (post-activation), cap × sizes[l] */
  float **d;         /* d[l], l ≥ 1: ∂/∂(pre-activation) of layer l */
  NetExtras *ex;     /* batch-norm and dropout (net_layers.h); NULL for a dense network */
} Net;

typedef struct {
  NetLoss loss;
  double logit_penalty, scale;
} NetObjective;

/*
 * NULL when out of memory; params (P floats) are copied; frozen: one flag per layer;
 * batch_norm (a flag per layer) and dropout (a drop probability per layer) may be NULL
 */
Net *net_create(int nl, const int *sizes, const int *act, const int *has_bias, const int *frozen, const float *params, const NetOptimizerSpec *opt,
                const int *batch_norm, const double *dropout);
void net_free(Net *n);
/* `steps` full-batch steps (with dropout: after net_extras_set_seeds with one seed per step); loss and penalty of the last step, its pre-update logits into logits (rows × outputs) when given. -1: out of memory */
int net_steps(Net *n, const float *x, const float *targets, int rows, const NetObjective *o, int steps, double *loss, double *penalty, float *logits);

/* eval-mode logits of rows inputs into out (rows × outputs). -1: out of memory */
int net_forward(Net *n, const float *x, int rows, float *out);

#endif
