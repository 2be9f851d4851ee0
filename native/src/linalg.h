/*
 * Float64 dense linear algebra on row-major matrices, free of N-API so that the same code runs
 * on the JS thread (sync entries) and on the libuv pool (async entries). A job names its inputs
 * (already validated by the caller) and receives malloc'd outputs or an error message.
 */
#ifndef FF_LINALG_H
#define FF_LINALG_H
#include <stddef.h>

typedef enum { OP_EIGH, OP_SVD, OP_SOLVE, OP_LSTSQ, OP_PINV, OP_QR, OP_DGEMM, OP_SGEMM } LinalgOp;

typedef enum { JOB_OK = 0, JOB_LAPACK = 1, JOB_MEMORY = 2 } JobStatus;

typedef struct {
  int rows, cols;
  int f32;     /* data is float* instead of double* */
  int vector;  /* returned as a bare typed array (singular / eigen values) */
  void *data;  /* malloc'd, handed over to the JS side */
} JobOutput;

typedef struct {
  LinalgOp op;
  int thin, trans_a, trans_b;
  int same_ab; /* b is a (same array, same shape): AᵀA and AAᵀ go to dsyrk, as numpy does */
  int ar, ac, br, bc;
  const void *a, *b;   /* row-major inputs: double*, or float* for OP_SGEMM */
  void *own_a, *own_b; /* copies that back a and b when the job runs off the JS thread */
  int nout;
  JobOutput out[3];
  JobStatus status;
  size_t allocated; /* bytes allocated so far: the job as a whole stays under the ceiling (budget.h) */
  char message[256];
} LinalgJob;

/* Runs the job; on failure frees any outputs and sets status and message. */
void linalg_run(LinalgJob *job);
void linalg_job_free_outputs(LinalgJob *job);

#endif
