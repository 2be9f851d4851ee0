/*
 * Batch-norm and dropout for the general trainer's fused step (net.c), kept apart from the dense
 * path: net.c calls these hooks only when the network has such a layer (Net.ex non-NULL).
 * Semantics as compute/trainer-js-kernels.ts and trainer-js.ts (PyTorch's BatchNorm1d in train
 * mode: biased batch variance, eps 1e-5, running statistics with momentum 0.1 and the unbiased
 * variance; inverted dropout), and the dropout masks are the JS trainer's own: xoshiro128**
 * (compute/mask-stream.ts) reseeded per forward pass from one uniform the caller draws from the
 * node's seeded source, so both backends drop the same units. N-API free.
 */
#ifndef FF_NET_LAYERS_H
#define FF_NET_LAYERS_H

typedef struct NetExtras NetExtras;

/*
 * NULL with *oom = 0 when no layer has batch-norm or dropout (the dense path runs unchanged);
 * NULL with *oom = 1 when out of memory. units: the nl layer widths; gamma_off[l]: where layer
 * l's γ sits in the flat parameters (β follows), or −1; dropout[l]: the drop probability, 0 for none.
 */
NetExtras *net_extras_create(int nl, const int *units, const int *gamma_off, const double *dropout, int *oom);
void net_extras_free(NetExtras *ex);

/* whether some layer has dropout (a step then needs one seed) */
int net_extras_has_dropout(const NetExtras *ex);

/* the per-step seeds (uniforms in [0, 1)) of the next `count` forward passes; read, not copied */
void net_extras_set_seeds(NetExtras *ex, const double *seeds, int count);

/* before each train-mode forward pass: reseeds the mask stream from the next seed */
void net_extras_begin_pass(NetExtras *ex);

/* z ← dropout(batchnorm(z)) for layer l, in place, rows × units; caches what backward needs. -1: out of memory */
int net_extras_forward(NetExtras *ex, int l, float *z, int rows, const float *p);

/* d ← ∂/∂z from ∂/∂(dropout(batchnorm(z))), in place; writes layer l's ∂/∂γ, ∂/∂β into grad */
void net_extras_backward(NetExtras *ex, int l, float *d, int rows, const float *p, float *grad);

/* running mean then running variance of every batch-norm layer, in layer order, into out; returns the count */
int net_extras_running_stats(const NetExtras *ex, double *out);
int net_extras_running_stats_count(const NetExtras *ex);

#endif
