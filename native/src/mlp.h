/*
 * A fully-connected ReLU network trained by plain (subgradient) SGD, float32, parameters held
 * natively between calls. One call runs a whole batch — forward, loss, backward, L1 subgradient,
 * update — on OpenBLAS sgemm, so JS never crosses into native code per operation. N-API free.
 */
#ifndef FF_MLP_H
#define FF_MLP_H

typedef enum { LOSS_SOFTMAX_CE = 0, LOSS_BCE_LOGITS = 1 } MlpLoss;
typedef enum { L1_NOTEBOOK = 0, L1_ELEMENTWISE = 1 } MlpL1Form;

typedef struct {
  int nl;        /* number of weight layers */
  int *sizes;    /* nl + 1 layer widths */
  MlpLoss loss;
  float **W;     /* W[l]: sizes[l+1] × sizes[l], row-major (PyTorch nn.Linear layout) */
  float **b;
  int cap;       /* batch capacity of the buffers below */
  float **act;   /* act[l], l ≥ 1: post-ReLU activations (the last: logits), cap × sizes[l] */
  float **delta; /* delta[l], l ≥ 1: d(data loss)/d(pre-activation of layer l) */
  double *colsum;
  int *maxcol;
  /* training set held for epoch calls */
  float *data_x;
  int *data_y;
  int data_n;
  float *xbuf;
  int *ybuf;
  int xcap;
} Mlp;

typedef struct {
  double lr, l1;
  MlpL1Form form;
} MlpStepOptions;

/* Returns NULL when out of memory. weights/biases are copied. */
Mlp *mlp_create(int nl, const int *sizes, const float *const *weights, const float *const *biases, MlpLoss loss);
void mlp_free(Mlp *m);
/* 0 on success, -1 when out of memory. x: batch × sizes[0], labels validated by the caller. */
int mlp_step(Mlp *m, const float *x, const int *labels, int batch, const MlpStepOptions *o, double *loss, double *penalty);
int mlp_evaluate(Mlp *m, const float *x, const int *labels, int count, double *loss, int *correct);
/* Copies the training set; -1 when out of memory. */
int mlp_set_data(Mlp *m, const float *x, const int *labels, int n);
/* Batches the held set in `order` (indices validated by the caller); out[2k], out[2k+1] = loss, penalty of batch k. */
int mlp_epoch(Mlp *m, const int *order, int n, int batch, const MlpStepOptions *o, double *out);

#endif
