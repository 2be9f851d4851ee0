/*
 * LAPACK drivers on row-major data. A row-major m×n array is the column-major n×m transpose, so
 * each routine either works on the transpose directly (symmetric eigen, SVD, LU with trans='T')
 * or transposes once into a LAPACK buffer; the O(n²) copies are small next to the O(n³) work.
 * Drivers match numpy's: dsyevd (eigh), dgesdd (svd), dgetrf/dgetrs (solve), dgelsd (lstsq).
 */
#include "linalg.h"
#include "blas.h"
#include "budget.h"
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fail(LinalgJob *j, JobStatus s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(j->message, sizeof j->message, fmt, ap);
  va_end(ap);
  j->status = s;
}

/* count × size bytes for this job: NULL with JOB_MEMORY set on overflow, past the ceiling
 * (budget.h; for one allocation or the job's total), or when malloc fails */
static void *alloc(LinalgJob *j, size_t count, size_t size) {
  if (j->status) return NULL;
  size_t ceiling = ff_memory_ceiling();
  double want = (double)(count ? count : 1) * (double)size;
  size_t bytes = ff_checked_bytes(count, size);
  if (!bytes || j->allocated + bytes > ceiling) {
    fail(j, JOB_MEMORY, "needs %.1f MiB more (%.1f MiB held), past the native memory ceiling of %.1f MiB (FEATUREFLOW_NATIVE_MAX_BYTES)",
         want / 1048576.0, (double)j->allocated / 1048576.0, (double)ceiling / 1048576.0);
    return NULL;
  }
  void *p = malloc(bytes);
  if (!p) {
    fail(j, JOB_MEMORY, "out of memory allocating %.1f MiB", want / 1048576.0);
    return NULL;
  }
  j->allocated += bytes;
  return p;
}

/* LAPACK returns the optimal workspace size as a double; keep it inside int. */
static int work_size(LinalgJob *j, double w) {
  if (!(w >= 1)) return 1;
  if (w > 2147483000.0) {
    fail(j, JOB_MEMORY, "LAPACK workspace of %.0f elements exceeds 32-bit indexing", w);
    return -1;
  }
  return (int)w + 1;
}

static double *output(LinalgJob *j, int slot, int rows, int cols, int vector) {
  double *d = alloc(j, (size_t)rows * (size_t)cols, sizeof(double));
  j->out[slot] = (JobOutput){rows, cols, 0, vector, d};
  if (slot + 1 > j->nout) j->nout = slot + 1;
  return d;
}

/* dst (cols×rows, row-major) = transpose of src (rows×cols, row-major) */
static void transpose(double *dst, const double *src, int rows, int cols) {
  const int B = 32;
  for (int r0 = 0; r0 < rows; r0 += B)
    for (int c0 = 0; c0 < cols; c0 += B) {
      int r1 = r0 + B < rows ? r0 + B : rows, c1 = c0 + B < cols ? c0 + B : cols;
      for (int r = r0; r < r1; r++)
        for (int c = c0; c < c1; c++) dst[(size_t)c * rows + r] = src[(size_t)r * cols + c];
    }
}

static void eigh(LinalgJob *j) {
  int n = j->ar, info = 0, lwork = -1, liwork = -1, iw = 0;
  const double *a = j->a;
  double *z = alloc(j, (size_t)n * n, sizeof(double)), wq = 0;
  double *values = output(j, 0, 1, n, 1), *vectors = output(j, 1, n, n, 0);
  if (j->status) goto done;
  /* symmetrise so the result does not depend on which triangle LAPACK reads */
  for (int r = 0; r < n; r++)
    for (int c = 0; c <= r; c++) {
      double v = 0.5 * (a[(size_t)r * n + c] + a[(size_t)c * n + r]);
      z[(size_t)r * n + c] = v;
      z[(size_t)c * n + r] = v;
    }
  dsyevd_("V", "L", &n, z, &n, values, &wq, &lwork, &iw, &liwork, &info, 1, 1);
  lwork = work_size(j, wq);
  liwork = iw > 0 ? iw : 1;
  if (j->status) goto done;
  double *work = alloc(j, lwork, sizeof(double));
  int *iwork = alloc(j, liwork, sizeof(int));
  if (!j->status) {
    dsyevd_("V", "L", &n, z, &n, values, work, &lwork, iwork, &liwork, &info, 1, 1);
    if (info != 0) fail(j, JOB_LAPACK, "dsyevd failed (info = %d): %s", info, info < 0 ? "invalid argument" : "eigenvalues did not converge");
  }
  free(work);
  free(iwork);
  /* column-major eigenvectors (column j contiguous) → row-major with eigenvectors in columns */
  if (!j->status) transpose(vectors, z, n, n);
done:
  free(z);
}

/* SVD of row-major A (m×n) = dgesdd on its column-major view Aᵀ (n×m) = U' S VT'.
 * Then A = VT'ᵀ S U'ᵀ: VT' as stored is A's U in row-major order; U' needs one transpose. */
static void svd_into(LinalgJob *j, const double *a, int m, int n, int thin, double **U, double **s, double **V, int *ku,
                     int *kv, int to_outputs) {
  int k = m < n ? m : n, info = 0, lwork = -1;
  int ldu = n, ucols = thin ? k : n;   /* U' is n × ucols */
  int ldvt = thin ? k : m;             /* VT' is ldvt × m */
  *ku = ldvt;
  *kv = ucols;
  double *x = alloc(j, (size_t)m * n, sizeof(double));
  double *up = alloc(j, (size_t)n * ucols, sizeof(double));
  int *iwork = alloc(j, 8 * (size_t)k, sizeof(int));
  if (to_outputs) {
    *U = output(j, 0, m, ldvt, 0);
    *s = output(j, 1, 1, k, 1);
    *V = output(j, 2, n, ucols, 0);
  } else {
    *U = alloc(j, (size_t)m * ldvt, sizeof(double));
    *s = alloc(j, k, sizeof(double));
    *V = alloc(j, (size_t)n * ucols, sizeof(double));
  }
  double wq = 0, *work = NULL;
  const char *jobz = thin ? "S" : "A";
  if (j->status) goto done;
  memcpy(x, a, sizeof(double) * (size_t)m * n);
  dgesdd_(jobz, &n, &m, x, &n, *s, up, &ldu, *U, &ldvt, &wq, &lwork, iwork, &info, 1);
  lwork = work_size(j, wq);
  if (j->status) goto done;
  work = alloc(j, lwork, sizeof(double));
  if (j->status) goto done;
  dgesdd_(jobz, &n, &m, x, &n, *s, up, &ldu, *U, &ldvt, work, &lwork, iwork, &info, 1);
  if (info != 0) {
    fail(j, JOB_LAPACK, "dgesdd failed (info = %d): %s", info, info < 0 ? "invalid argument" : "SVD did not converge");
    goto done;
  }
  transpose(*V, up, ucols, n);
done:
  free(x);
  free(up);
  free(iwork);
  free(work);
}

static void svd(LinalgJob *j) {
  double *U, *s, *V;
  int ku, kv;
  svd_into(j, j->a, j->ar, j->ac, j->thin, &U, &s, &V, &ku, &kv, 1);
}

/* rcond shared by lstsq and pinv: singular values below eps·max(m, n)·s_max count as zero (numpy's lstsq) */
static double cutoff_rcond(int m, int n) { return DBL_EPSILON * (m > n ? m : n); }

static void pinv(LinalgJob *j) {
  int m = j->ar, n = j->ac, k = m < n ? m : n, ku, kv;
  double *U = NULL, *s = NULL, *V = NULL;
  double *p = output(j, 0, n, m, 0);
  if (!j->status) svd_into(j, j->a, m, n, 1, &U, &s, &V, &ku, &kv, 0);
  if (!j->status) {
    double cut = cutoff_rcond(m, n) * s[0];
    /* pinv = V diag(1/s) Uᵀ: scale V's columns, then one GEMM */
    for (int r = 0; r < n; r++)
      for (int c = 0; c < k; c++) V[(size_t)r * k + c] = s[c] > cut ? V[(size_t)r * k + c] / s[c] : 0.0;
    double one = 1, zero = 0;
    /* row-major P (n×m) = Vs (n×k) · Uᵀ; column-major: Pᵀ (m×n) = U (as Uᵀ col-major k×m, transposed) · Vsᵀ */
    dgemm_("T", "N", &m, &n, &k, &one, U, &k, V, &k, &zero, p, &m, 1, 1);
  }
  free(U);
  free(s);
  free(V);
}

static void solve(LinalgJob *j) {
  int n = j->ar, nrhs = j->bc, info = 0;
  double *lu = alloc(j, (size_t)n * n, sizeof(double));
  int *ipiv = alloc(j, n, sizeof(int));
  double *bc = alloc(j, (size_t)n * nrhs, sizeof(double));
  double *x = output(j, 0, n, nrhs, 0);
  if (j->status) goto done;
  /* the row-major data is Aᵀ in column-major: factor it and solve with trans = 'T' */
  memcpy(lu, j->a, sizeof(double) * (size_t)n * n);
  transpose(bc, j->b, n, nrhs);
  dgetrf_(&n, &n, lu, &n, ipiv, &info);
  if (info > 0) {
    fail(j, JOB_LAPACK, "matrix is singular: dgetrf found U[%d][%d] = 0", info - 1, info - 1);
    goto done;
  } else if (info < 0) {
    fail(j, JOB_LAPACK, "dgetrf failed (info = %d): invalid argument", info);
    goto done;
  }
  dgetrs_("T", &n, &nrhs, lu, &n, ipiv, bc, &n, &info, 1);
  if (info != 0) {
    fail(j, JOB_LAPACK, "dgetrs failed (info = %d)", info);
    goto done;
  }
  transpose(x, bc, nrhs, n);
  for (size_t i = 0; i < (size_t)n * nrhs; i++)
    if (!isfinite(x[i])) {
      fail(j, JOB_LAPACK, "matrix is singular to working precision: the solution is not finite");
      break;
    }
done:
  free(lu);
  free(ipiv);
  free(bc);
}

static void lstsq(LinalgJob *j) {
  int m = j->ar, n = j->ac, nrhs = j->bc, ldb = m > n ? m : n, k = m < n ? m : n, info = 0, rank = 0, lwork = -1;
  double rcond = cutoff_rcond(m, n), wq = 0;
  int iwq = 0;
  double *ac = alloc(j, (size_t)m * n, sizeof(double));
  double *bc = alloc(j, (size_t)ldb * nrhs, sizeof(double));
  double *s = alloc(j, k, sizeof(double));
  double *x = output(j, 0, n, nrhs, 0), *work = NULL;
  int *iwork = NULL;
  if (j->status) goto done;
  transpose(ac, j->a, m, n);
  memset(bc, 0, sizeof(double) * (size_t)ldb * nrhs);
  for (int r = 0; r < m; r++)
    for (int c = 0; c < nrhs; c++) bc[(size_t)c * ldb + r] = ((const double *)j->b)[(size_t)r * nrhs + c];
  dgelsd_(&m, &n, &nrhs, ac, &m, bc, &ldb, s, &rcond, &rank, &wq, &lwork, &iwq, &info);
  lwork = work_size(j, wq);
  if (j->status) goto done;
  work = alloc(j, lwork, sizeof(double));
  iwork = alloc(j, iwq > 0 ? iwq : 1, sizeof(int));
  if (j->status) goto done;
  dgelsd_(&m, &n, &nrhs, ac, &m, bc, &ldb, s, &rcond, &rank, work, &lwork, iwork, &info);
  if (info != 0) {
    fail(j, JOB_LAPACK, "dgelsd failed (info = %d): %s", info, info < 0 ? "invalid argument" : "SVD did not converge");
    goto done;
  }
  for (int r = 0; r < n; r++)
    for (int c = 0; c < nrhs; c++) x[(size_t)r * nrhs + c] = bc[(size_t)c * ldb + r];
done:
  free(ac);
  free(bc);
  free(s);
  free(work);
  free(iwork);
}

static void qr(LinalgJob *j) {
  int m = j->ar, n = j->ac, k = m < n ? m : n, info = 0, lwork = -1;
  double wq = 0, *work = NULL;
  double *ac = alloc(j, (size_t)m * n, sizeof(double));
  double *tau = alloc(j, k, sizeof(double));
  double *Q = output(j, 0, m, k, 0), *R = output(j, 1, k, n, 0);
  if (j->status) goto done;
  transpose(ac, j->a, m, n);
  dgeqrf_(&m, &n, ac, &m, tau, &wq, &lwork, &info);
  int lw1 = work_size(j, wq);
  lwork = -1;
  dorgqr_(&m, &k, &k, ac, &m, tau, &wq, &lwork, &info);
  int lw2 = work_size(j, wq);
  if (j->status) goto done;
  lwork = lw1 > lw2 ? lw1 : lw2;
  work = alloc(j, lwork, sizeof(double));
  if (j->status) goto done;
  dgeqrf_(&m, &n, ac, &m, tau, work, &lwork, &info);
  if (info != 0) {
    fail(j, JOB_LAPACK, "dgeqrf failed (info = %d)", info);
    goto done;
  }
  for (int r = 0; r < k; r++)
    for (int c = 0; c < n; c++) R[(size_t)r * n + c] = c >= r ? ac[(size_t)c * m + r] : 0.0;
  dorgqr_(&m, &k, &k, ac, &m, tau, work, &lwork, &info);
  if (info != 0) {
    fail(j, JOB_LAPACK, "dorgqr failed (info = %d)", info);
    goto done;
  }
  for (int r = 0; r < m; r++)
    for (int c = 0; c < k; c++) Q[(size_t)r * k + c] = ac[(size_t)c * m + r];
done:
  free(ac);
  free(tau);
  free(work);
}

/* C (n×n) = op(A)op(A)ᵀ in column-major terms, upper triangle from dsyrk, mirrored below */
static void syrk_full(const char *trans, int n, int k, const double *a, int lda, double *c) {
  double one = 1, zero = 0;
  dsyrk_("U", trans, &n, &k, &one, a, &lda, &zero, c, &n, 1, 1);
  for (int col = 0; col < n; col++)
    for (int row = col + 1; row < n; row++) c[(size_t)col * n + row] = c[(size_t)row * n + col];
}

/* Row-major C = op(A) op(B) is column-major Cᵀ = op(B)ᵀ op(A)ᵀ: swap the operands, keep the flags. */
static void gemm(LinalgJob *j) {
  int p = j->trans_a ? j->ac : j->ar, r = j->trans_a ? j->ar : j->ac, q = j->trans_b ? j->br : j->bc;
  int lda = j->ac, ldb = j->bc;
  const char *ta = j->trans_a ? "T" : "N", *tb = j->trans_b ? "T" : "N";
  if (j->op == OP_SGEMM) {
    float *c = alloc(j, (size_t)p * q, sizeof(float));
    j->out[0] = (JobOutput){p, q, 1, 0, c};
    j->nout = 1;
    if (j->status) return;
    float one = 1, zero = 0;
    sgemm_(tb, ta, &q, &p, &r, &one, j->b, &ldb, j->a, &lda, &zero, c, &q, 1, 1);
  } else {
    double *c = output(j, 0, p, q, 0);
    if (j->status) return;
    double one = 1, zero = 0;
    if (j->same_ab && j->trans_a != j->trans_b) {
      /* a Gram matrix: half the flops. The row-major buffer is the column-major Aᵀ (lda = cols),
         so row-major AᵀA is (Aᵀ)(Aᵀ)ᵀ ("N") and AAᵀ is (Aᵀ)ᵀ(Aᵀ) ("T"). */
      syrk_full(j->trans_a ? "N" : "T", p, r, j->a, j->ac, c);
      return;
    }
    dgemm_(tb, ta, &q, &p, &r, &one, j->b, &ldb, j->a, &lda, &zero, c, &q, 1, 1);
  }
}

void linalg_job_free_outputs(LinalgJob *j) {
  for (int i = 0; i < 3; i++) {
    free(j->out[i].data);
    j->out[i].data = NULL;
  }
  j->nout = 0;
}

void linalg_run(LinalgJob *j) {
  j->status = JOB_OK;
  j->message[0] = 0;
  switch (j->op) {
    case OP_EIGH: eigh(j); break;
    case OP_SVD: svd(j); break;
    case OP_SOLVE: solve(j); break;
    case OP_LSTSQ: lstsq(j); break;
    case OP_PINV: pinv(j); break;
    case OP_QR: qr(j); break;
    case OP_DGEMM:
    case OP_SGEMM: gemm(j); break;
  }
  if (j->status) linalg_job_free_outputs(j);
}
