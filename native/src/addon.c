/*
 * N-API surface of the addon. Every entry validates its arguments (types, shapes, lengths,
 * finiteness, index ranges) before any native memory is touched and throws one of the named
 * error classes the JS loader registers (NativeInputError, NativeLapackError, NativeStateError,
 * NativeMemoryError). Context-aware (NAPI_MODULE_INIT, per-environment instance data), so it
 * loads in worker threads. The *Async entries run on the libuv pool and return promises.
 *
 * Reading a JS property or element can run JS (a getter, a Proxy trap), and JS can detach or
 * shrink any ArrayBuffer. So every entry first reads all the JS values it needs (phase 1), and
 * only then takes raw data pointers (phase 2), with no call that can run JS in between or after:
 * a pointer taken is valid until the entry returns. Every allocation is bounded (budget.h), and
 * every path out of an async entry after its promise exists settles the promise and frees.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "blas.h"
#include "budget.h"
#include "linalg.h"
#include "mlp.h"
#include "net.h"
#include "quadratic.h"
#include "two_layer.h"

/* LAPACK here uses 32-bit integers: every dimension and element count must fit */
#define MAX_ELEMENTS 2147483647.0

typedef enum { ERR_INPUT = 0, ERR_LAPACK = 1, ERR_STATE = 2, ERR_MEMORY = 3, ERR_KINDS = 4 } ErrKind;
static const char *err_names[ERR_KINDS] = {"NativeInputError", "NativeLapackError", "NativeStateError", "NativeMemoryError"};

typedef struct {
  napi_ref ctors[ERR_KINDS];
} Instance;

static Instance *instance(napi_env env) {
  void *d = NULL;
  napi_get_instance_data(env, &d);
  return d;
}

static napi_value throw_error(napi_env env, ErrKind kind, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) return NULL;
  napi_value msg, err = NULL, ctor = NULL;
  napi_create_string_utf8(env, buf, NAPI_AUTO_LENGTH, &msg);
  Instance *inst = instance(env);
  if (inst && inst->ctors[kind]) napi_get_reference_value(env, inst->ctors[kind], &ctor);
  if (!ctor || napi_new_instance(env, ctor, 1, &msg, &err) != napi_ok) {
    napi_value name;
    napi_create_error(env, NULL, msg, &err);
    napi_create_string_utf8(env, err_names[kind], NAPI_AUTO_LENGTH, &name);
    napi_set_named_property(env, err, "name", name);
  }
  napi_throw(env, err);
  return NULL;
}

/* a napi call that should not fail; if it does, surface it as a JS error instead of crashing */
#define NAPI_OK(env, call)                                                             \
  do {                                                                                 \
    if ((call) != napi_ok) return throw_error(env, ERR_STATE, "N-API call failed: %s", #call); \
  } while (0)

/* ---- argument readers: return 0 on success, -1 with a pending exception ---- */

static int read_number(napi_env env, napi_value v, const char *what, double *out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t != napi_number) {
    throw_error(env, ERR_INPUT, "%s must be a number", what);
    return -1;
  }
  napi_get_value_double(env, v, out);
  if (!isfinite(*out)) {
    throw_error(env, ERR_INPUT, "%s must be finite, got %g", what, *out);
    return -1;
  }
  return 0;
}

static int read_dim(napi_env env, napi_value v, const char *what, int *out) {
  double d;
  if (read_number(env, v, what, &d)) return -1;
  if (d != floor(d) || d < 1 || d > MAX_ELEMENTS) {
    int matrix_dim = strstr(what, ".rows") != NULL || strstr(what, ".cols") != NULL;
    throw_error(env, ERR_INPUT, "%s must be an integer in [1, 2^31 - 1], got %g%s", what, d,
                d == 0 && matrix_dim ? " (empty matrices are not supported)" : "");
    return -1;
  }
  *out = (int)d;
  return 0;
}

static int read_bool(napi_env env, napi_value v, const char *what, int *out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_undefined) {
    *out = 0;
    return 0;
  }
  if (t != napi_boolean) {
    throw_error(env, ERR_INPUT, "%s must be a boolean", what);
    return -1;
  }
  bool b;
  napi_get_value_bool(env, v, &b);
  *out = b;
  return 0;
}

/* a typed array of the wanted type; length checked against `expect` when expect ≥ 0 */
static int read_typed(napi_env env, napi_value v, napi_typedarray_type want, const char *what, double expect, void **data,
                      size_t *length) {
  bool is = false;
  napi_is_typedarray(env, v, &is);
  napi_typedarray_type type;
  size_t len = 0;
  void *ptr = NULL;
  napi_value buffer = NULL;
  if (is) napi_get_typedarray_info(env, v, &type, &len, &ptr, &buffer, NULL);
  static const char *tnames[] = {"Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
                                 "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"};
  if (!is || type != want) {
    throw_error(env, ERR_INPUT, "%s must be a %s", what, tnames[want]);
    return -1;
  }
  bool detached = false;
  if (buffer) napi_is_detached_arraybuffer(env, buffer, &detached);
  if (detached) {
    throw_error(env, ERR_INPUT, "%s is detached (its ArrayBuffer was transferred)", what);
    return -1;
  }
  if (expect >= 0 && (double)len != expect) {
    throw_error(env, ERR_INPUT, "%s has length %zu, expected %.0f", what, len, expect);
    return -1;
  }
  if (len > 0 && ptr == NULL) {
    throw_error(env, ERR_INPUT, "%s is detached", what);
    return -1;
  }
  *data = ptr;
  *length = len;
  return 0;
}

static int check_finite_d(napi_env env, const double *x, size_t n, const char *what) {
  for (size_t i = 0; i < n; i++)
    if (!isfinite(x[i])) {
      throw_error(env, ERR_INPUT, "%s has a non-finite value (%g) at index %zu", what, x[i], i);
      return -1;
    }
  return 0;
}

static int check_finite_f(napi_env env, const float *x, size_t n, const char *what) {
  for (size_t i = 0; i < n; i++)
    if (!isfinite(x[i])) {
      throw_error(env, ERR_INPUT, "%s has a non-finite value (%g) at index %zu", what, (double)x[i], i);
      return -1;
    }
  return 0;
}

typedef struct {
  int rows, cols;
  const void *data;
} MatIn;

/* the JS values of a matrix argument, read before any data pointer is taken (phase 1) */
typedef struct {
  napi_value rows, cols, data;
} MatJs;

/* phase 1: {rows, cols, data} as JS values; runs getters, takes no pointer */
static int fetch_mat(napi_env env, napi_value v, const char *what, MatJs *js) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t != napi_object) {
    throw_error(env, ERR_INPUT, "%s must be a matrix object {rows, cols, data}", what);
    return -1;
  }
  if (napi_get_named_property(env, v, "rows", &js->rows) != napi_ok || napi_get_named_property(env, v, "cols", &js->cols) != napi_ok ||
      napi_get_named_property(env, v, "data", &js->data) != napi_ok) {
    throw_error(env, ERR_INPUT, "%s: reading rows, cols or data threw", what);
    return -1;
  }
  return 0;
}

/* phase 2: validate the fetched values and take the data pointer; runs no JS */
static int take_mat(napi_env env, const MatJs *js, const char *what, int f32, MatIn *m) {
  char label[96];
  snprintf(label, sizeof label, "%s.rows", what);
  if (read_dim(env, js->rows, label, &m->rows)) return -1;
  snprintf(label, sizeof label, "%s.cols", what);
  if (read_dim(env, js->cols, label, &m->cols)) return -1;
  double count = (double)m->rows * (double)m->cols;
  if (count > MAX_ELEMENTS) {
    throw_error(env, ERR_INPUT, "%s is %d×%d: more than 2^31 - 1 elements", what, m->rows, m->cols);
    return -1;
  }
  snprintf(label, sizeof label, "%s.data", what);
  void *ptr;
  size_t len;
  if (read_typed(env, js->data, f32 ? napi_float32_array : napi_float64_array, label, count, &ptr, &len)) return -1;
  if (f32 ? check_finite_f(env, ptr, len, label) : check_finite_d(env, ptr, len, label)) return -1;
  m->data = ptr;
  return 0;
}

/* {rows, cols, data} with data a Float64Array (or Float32Array when f32) of rows·cols finite values;
 * for an entry with one matrix argument read last (no JS may run after the pointer is taken) */
static int read_mat(napi_env env, napi_value v, const char *what, int f32, MatIn *m) {
  MatJs js;
  return fetch_mat(env, v, what, &js) || take_mat(env, &js, what, f32, m) ? -1 : 0;
}

/* ---- results ---- */

static napi_value typed_from(napi_env env, const void *src, size_t count, int f32) {
  size_t bytes = count * (f32 ? sizeof(float) : sizeof(double));
  void *dst;
  napi_value ab, arr;
  if (napi_create_arraybuffer(env, bytes, &dst, &ab) != napi_ok) return throw_error(env, ERR_MEMORY, "cannot allocate a %zu-byte result", bytes);
  if (bytes) memcpy(dst, src, bytes);
  NAPI_OK(env, napi_create_typedarray(env, f32 ? napi_float32_array : napi_float64_array, count, ab, 0, &arr));
  return arr;
}

static napi_value make_output(napi_env env, const JobOutput *o) {
  napi_value arr = typed_from(env, o->data, (size_t)o->rows * o->cols, o->f32);
  if (!arr || o->vector) return arr;
  napi_value obj, r, c;
  NAPI_OK(env, napi_create_object(env, &obj));
  napi_create_int32(env, o->rows, &r);
  napi_create_int32(env, o->cols, &c);
  napi_set_named_property(env, obj, "rows", r);
  napi_set_named_property(env, obj, "cols", c);
  napi_set_named_property(env, obj, "data", arr);
  return obj;
}

static napi_value object_of(napi_env env, int n, const char *const *names, napi_value *values) {
  napi_value obj;
  NAPI_OK(env, napi_create_object(env, &obj));
  for (int i = 0; i < n; i++) {
    if (!values[i]) return NULL;
    napi_set_named_property(env, obj, names[i], values[i]);
  }
  return obj;
}

/* builds the op's JS result from a finished job, or throws its error; frees the outputs */
static napi_value job_result(napi_env env, LinalgJob *j) {
  if (j->status != JOB_OK) {
    napi_value e = throw_error(env, j->status == JOB_MEMORY ? ERR_MEMORY : ERR_LAPACK, "%s", j->message);
    linalg_job_free_outputs(j);
    return e;
  }
  napi_value v[3] = {NULL, NULL, NULL}, result = NULL;
  for (int i = 0; i < j->nout; i++) v[i] = make_output(env, &j->out[i]);
  static const char *eig[] = {"values", "vectors"}, *svd[] = {"U", "s", "V"}, *qr[] = {"Q", "R"};
  switch (j->op) {
    case OP_EIGH: result = object_of(env, 2, eig, v); break;
    case OP_SVD: result = object_of(env, 3, svd, v); break;
    case OP_QR: result = object_of(env, 2, qr, v); break;
    default: result = v[0];
  }
  linalg_job_free_outputs(j);
  return result;
}

/* ---- linalg entries: parse + validate on the JS thread, compute here or on the pool ---- */

typedef struct {
  LinalgJob job;
  napi_async_work work;
  napi_deferred deferred;
} AsyncLinalg;

static void free_async_linalg(AsyncLinalg *a) {
  linalg_job_free_outputs(&a->job);
  free(a->job.own_a);
  free(a->job.own_b);
  free(a);
}

static void linalg_execute(napi_env env, void *data) {
  (void)env;
  linalg_run(&((AsyncLinalg *)data)->job);
}

static void linalg_complete(napi_env env, napi_status status, void *data) {
  AsyncLinalg *a = data;
  napi_value result = NULL;
  if (status == napi_ok) result = job_result(env, &a->job);
  else throw_error(env, ERR_STATE, "async work was cancelled");
  if (result) napi_resolve_deferred(env, a->deferred, result);
  else {
    napi_value exc;
    napi_get_and_clear_last_exception(env, &exc);
    napi_reject_deferred(env, a->deferred, exc);
  }
  napi_delete_async_work(env, a->work);
  free_async_linalg(a);
}

static int parse_linalg(napi_env env, napi_callback_info info, LinalgOp op, LinalgJob *j) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_value undef;
  napi_get_undefined(env, &undef);
  for (size_t i = argc; i < 4; i++) argv[i] = undef;
  memset(j, 0, sizeof *j);
  j->op = op;
  MatIn a, b;
  MatJs ajs, bjs;
  int f32 = op == OP_SGEMM;
  int two = op == OP_SOLVE || op == OP_LSTSQ || op == OP_DGEMM || op == OP_SGEMM;
  /* phase 1: every property of A and B (B's getters may detach A's buffer) */
  if (fetch_mat(env, argv[0], "A", &ajs) || (two && fetch_mat(env, argv[1], "B", &bjs))) return -1;
  /* phase 2: no JS runs from here on */
  if (take_mat(env, &ajs, "A", f32, &a)) return -1;
  j->ar = a.rows;
  j->ac = a.cols;
  j->a = a.data;
  if (two) {
    if (take_mat(env, &bjs, "B", f32, &b)) return -1;
    j->br = b.rows;
    j->bc = b.cols;
    j->b = b.data;
    j->same_ab = a.data == b.data && a.rows == b.rows && a.cols == b.cols;
  }
  switch (op) {
    case OP_EIGH: {
      if (a.rows != a.cols) return throw_error(env, ERR_INPUT, "eighSym needs a square matrix, got %d×%d", a.rows, a.cols), -1;
      const double *x = a.data;
      double big = 0, diff = 0;
      size_t n = a.rows;
      for (size_t r = 0; r < n; r++)
        for (size_t c = 0; c < n; c++) {
          double v = fabs(x[r * n + c]), d = fabs(x[r * n + c] - x[c * n + r]);
          if (v > big) big = v;
          if (d > diff) diff = d;
        }
      if (diff > 1e-8 * big)
        return throw_error(env, ERR_INPUT, "eighSym needs a symmetric matrix: max |A - Aᵀ| = %g vs max |A| = %g", diff, big), -1;
      break;
    }
    case OP_SVD: {
      napi_valuetype t;
      napi_typeof(env, argv[1], &t);
      if (t == napi_undefined) j->thin = 1;
      else if (read_bool(env, argv[1], "thin", &j->thin)) return -1;
      break;
    }
    case OP_SOLVE:
      if (a.rows != a.cols) return throw_error(env, ERR_INPUT, "solve needs a square A, got %d×%d", a.rows, a.cols), -1;
      if (b.rows != a.rows) return throw_error(env, ERR_INPUT, "solve: B has %d rows, A has %d", b.rows, a.rows), -1;
      break;
    case OP_LSTSQ:
      if (b.rows != a.rows) return throw_error(env, ERR_INPUT, "lstsq: B has %d rows, A has %d", b.rows, a.rows), -1;
      if ((double)(a.rows > a.cols ? a.rows : a.cols) * b.cols > MAX_ELEMENTS)
        return throw_error(env, ERR_INPUT, "lstsq: right-hand side workspace exceeds 2^31 - 1 elements"), -1;
      break;
    case OP_DGEMM:
    case OP_SGEMM: {
      if (read_bool(env, argv[2], "transA", &j->trans_a) || read_bool(env, argv[3], "transB", &j->trans_b)) return -1;
      int inner_a = j->trans_a ? a.rows : a.cols, inner_b = j->trans_b ? b.cols : b.rows;
      if (inner_a != inner_b)
        return throw_error(env, ERR_INPUT, "gemm: op(A) is %d×%d but op(B) is %d×%d", j->trans_a ? a.cols : a.rows, inner_a, inner_b,
                           j->trans_b ? b.rows : b.cols), -1;
      double outc = (double)(j->trans_a ? a.cols : a.rows) * (j->trans_b ? b.rows : b.cols);
      if (outc > MAX_ELEMENTS) return throw_error(env, ERR_INPUT, "gemm: the product has more than 2^31 - 1 elements"), -1;
      break;
    }
    default: break;
  }
  if (op == OP_SVD && !j->thin && (double)a.rows * a.rows + (double)a.cols * a.cols > 2 * MAX_ELEMENTS)
    return throw_error(env, ERR_INPUT, "full SVD of %d×%d: U and V exceed 2^31 - 1 elements", a.rows, a.cols), -1;
  return 0;
}

static napi_value linalg_sync(napi_env env, napi_callback_info info) {
  void *data;
  size_t argc = 0;
  napi_get_cb_info(env, info, &argc, NULL, NULL, &data);
  LinalgJob j;
  if (parse_linalg(env, info, (LinalgOp)(intptr_t)data, &j)) return NULL;
  linalg_run(&j);
  return job_result(env, &j);
}

static void *memdup(const void *src, size_t bytes) {
  void *d = ff_malloc(bytes, 1);
  if (d && bytes) memcpy(d, src, bytes);
  return d;
}

#define MEMORY_HINT "out of memory or past the native memory ceiling (FEATUREFLOW_NATIVE_MAX_BYTES)"

/* settle `deferred` with an error of `kind` (used once a promise exists: it must never stay pending) */
static void reject_with(napi_env env, napi_deferred deferred, ErrKind kind, const char *message) {
  throw_error(env, kind, "%s", message);
  napi_value exc = NULL;
  napi_get_and_clear_last_exception(env, &exc);
  if (!exc) napi_get_undefined(env, &exc);
  napi_reject_deferred(env, deferred, exc);
}


static napi_value linalg_async(napi_env env, napi_callback_info info) {
  void *data;
  size_t argc = 0;
  napi_get_cb_info(env, info, &argc, NULL, NULL, &data);
  AsyncLinalg *a = calloc(1, sizeof *a);
  if (!a) return throw_error(env, ERR_MEMORY, "out of memory");
  if (parse_linalg(env, info, (LinalgOp)(intptr_t)data, &a->job)) {
    free(a);
    return NULL;
  }
  /* the pool thread must not read JS-owned memory: copy the inputs */
  LinalgJob *j = &a->job;
  size_t el = j->op == OP_SGEMM ? sizeof(float) : sizeof(double);
  j->own_a = memdup(j->a, (size_t)j->ar * j->ac * el);
  if (j->b && !j->same_ab) j->own_b = memdup(j->b, (size_t)j->br * j->bc * el);
  if (!j->own_a || (j->b && !j->same_ab && !j->own_b)) {
    free_async_linalg(a);
    return throw_error(env, ERR_MEMORY, "%s copying the inputs", MEMORY_HINT);
  }
  j->a = j->own_a;
  if (j->b) j->b = j->same_ab ? j->own_a : j->own_b;
  napi_value promise, name;
  if (napi_create_promise(env, &a->deferred, &promise) != napi_ok) {
    free_async_linalg(a);
    return throw_error(env, ERR_STATE, "cannot create a promise");
  }
  if (napi_create_string_utf8(env, "featureflow-native:linalg", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, linalg_execute, linalg_complete, a, &a->work) != napi_ok) {
    reject_with(env, a->deferred, ERR_STATE, "cannot create the async work");
    free_async_linalg(a);
    return promise;
  }
  if (napi_queue_async_work(env, a->work) != napi_ok) {
    napi_delete_async_work(env, a->work);
    reject_with(env, a->deferred, ERR_STATE, "cannot queue the async work");
    free_async_linalg(a);
  }
  return promise;
}

/* ---- gradient descent on a quadratic: many steps per call ---- */

/* an optional Float64Array argument: undefined/null gives NULL */
static int read_optional_f64(napi_env env, napi_value v, const char *what, double expect, const double **out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  *out = NULL;
  if (t == napi_undefined || t == napi_null) return 0;
  void *p;
  size_t len;
  if (read_typed(env, v, napi_float64_array, what, expect, &p, &len) || check_finite_d(env, p, len, what)) return -1;
  *out = p;
  return 0;
}

/*
 * quadraticGdSteps(A, b, w, eta, lambda, steps, scales?, noise?): w updated in place; see
 * quadratic.h. Everything is validated once per call, which is why the loop lives here.
 */
static napi_value quadratic_gd_js(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_value undef;
  napi_get_undefined(env, &undef);
  for (size_t i = argc; i < 8; i++) argv[i] = undef;
  MatIn a;
  if (read_mat(env, argv[0], "A", 0, &a)) return NULL;
  if (a.rows != a.cols) return throw_error(env, ERR_INPUT, "quadraticGdSteps needs a square A, got %d×%d", a.rows, a.cols);
  int d = a.rows;
  void *b, *w;
  size_t len;
  if (read_typed(env, argv[1], napi_float64_array, "b", d, &b, &len) || check_finite_d(env, b, len, "b")) return NULL;
  if (read_typed(env, argv[2], napi_float64_array, "w", d, &w, &len) || check_finite_d(env, w, len, "w")) return NULL;
  double eta, lambda, steps_d;
  if (read_number(env, argv[3], "eta", &eta) || read_number(env, argv[4], "lambda", &lambda) ||
      read_number(env, argv[5], "steps", &steps_d))
    return NULL;
  if (steps_d != floor(steps_d) || steps_d < 0 || steps_d > MAX_ELEMENTS)
    return throw_error(env, ERR_INPUT, "steps must be an integer in [0, 2^31 - 1], got %g", steps_d);
  int steps = (int)steps_d;
  const double *scales, *noise;
  if (read_optional_f64(env, argv[6], "scales", steps, &scales)) return NULL;
  if (read_optional_f64(env, argv[7], "noise", (double)steps * d, &noise)) return NULL;
  double *work = ff_malloc((size_t)d, sizeof(double));
  if (!work) return throw_error(env, ERR_MEMORY, "%s allocating %d doubles", MEMORY_HINT, d);
  quadratic_gd_steps(d, a.data, b, w, eta, lambda, steps, scales, noise, work);
  free(work);
  return NULL;
}

/* ---- first-layer gradient descent of the two-layer study: many steps per call ---- */

static int read_two_layer_activation(napi_env env, napi_value v, TwoLayerActivation *out) {
  char s[32];
  size_t n = 0;
  if (napi_get_value_string_utf8(env, v, s, sizeof s, &n) != napi_ok) {
    throw_error(env, ERR_INPUT, "activation must be a string");
    return -1;
  }
  if (strcmp(s, "sigmoid") == 0) *out = TL_SIGMOID;
  else if (strcmp(s, "tanh") == 0) *out = TL_TANH;
  else if (strcmp(s, "identity") == 0) *out = TL_IDENTITY;
  else {
    throw_error(env, ERR_INPUT, "activation must be sigmoid, tanh or identity, got \"%s\"", s);
    return -1;
  }
  return 0;
}

/* [p, p + bytes) and [q, q + bytes2) share memory */
static int overlaps(const void *p, size_t bytes, const void *q, size_t bytes2) {
  const char *a = p, *b = q;
  return a < b + bytes2 && b < a + bytes;
}

/*
 * firstLayerGdSteps(X, y, a, W, eta, steps, activation) → the training loss before the last step;
 * W updated in place; see two_layer.h. Everything is validated once per call, which is why the
 * loop lives here. Both matrices are fetched (getters may run JS) before any pointer is taken.
 */
static napi_value first_layer_gd_js(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 7) return throw_error(env, ERR_INPUT, "firstLayerGdSteps needs (X, y, a, W, eta, steps, activation), got %zu arguments", argc);
  MatJs xjs, wjs;
  if (fetch_mat(env, argv[0], "X", &xjs) || fetch_mat(env, argv[3], "W", &wjs)) return NULL;
  TwoLayerActivation act;
  double eta, steps_d;
  if (read_two_layer_activation(env, argv[6], &act) || read_number(env, argv[4], "eta", &eta) || read_number(env, argv[5], "steps", &steps_d))
    return NULL;
  if (steps_d != floor(steps_d) || steps_d < 0 || steps_d > MAX_ELEMENTS)
    return throw_error(env, ERR_INPUT, "steps must be an integer in [0, 2^31 - 1], got %g", steps_d);
  MatIn x, w;
  if (take_mat(env, &xjs, "X", 0, &x) || take_mat(env, &wjs, "W", 0, &w)) return NULL;
  if (w.rows != x.cols) return throw_error(env, ERR_INPUT, "firstLayerGdSteps: X is %d×%d, so W needs %d rows, got %d×%d", x.rows, x.cols, x.cols, w.rows, w.cols);
  const int n = x.rows, d = x.cols, h = w.cols;
  if ((double)n * h > MAX_ELEMENTS) return throw_error(env, ERR_INPUT, "firstLayerGdSteps: n·h = %d·%d is more than 2^31 - 1", n, h);
  void *y, *a;
  size_t len;
  if (read_typed(env, argv[1], napi_float64_array, "y", n, &y, &len) || check_finite_d(env, y, len, "y")) return NULL;
  if (read_typed(env, argv[2], napi_float64_array, "a", h, &a, &len) || check_finite_d(env, a, len, "a")) return NULL;
  const size_t wbytes = (size_t)d * h * sizeof(double);
  if (overlaps(w.data, wbytes, x.data, (size_t)n * d * sizeof(double)) || overlaps(w.data, wbytes, y, (size_t)n * sizeof(double)) ||
      overlaps(w.data, wbytes, a, (size_t)h * sizeof(double)))
    return throw_error(env, ERR_INPUT, "firstLayerGdSteps: W.data shares memory with X, y or a; pass a copy");
  const size_t work_count = 2 * (size_t)n * h + (size_t)d * h + (size_t)h;
  double *work = ff_malloc(work_count, sizeof(double));
  if (!work) return throw_error(env, ERR_MEMORY, "%s allocating %zu doubles", MEMORY_HINT, work_count);
  const double loss = two_layer_gd_steps(n, d, h, x.data, y, a, (double *)w.data, eta, (int)steps_d, act, work);
  free(work);
  napi_value out;
  NAPI_OK(env, napi_create_double(env, loss, &out));
  return out;
}

/* ---- MLP trainer handles ---- */

static const napi_type_tag MLP_TAG = {0x6a1f7c2e9b3d4a01ULL, 0x8e5c0b7d2f4a6913ULL};

typedef struct {
  Mlp *m;
  int busy;     /* an async epoch is running on the pool */
  int disposed; /* freed, or to be freed when the running epoch completes */
} Handle;

static void handle_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Handle *h = data;
  mlp_free(h->m);
  free(h);
}

/* the handle behind v, checked for its type tag and state */
static Handle *get_handle(napi_env env, napi_value v) {
  bool tagged = false;
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_external) napi_check_object_type_tag(env, v, &MLP_TAG, &tagged);
  if (!tagged) return throw_error(env, ERR_INPUT, "not an MLP trainer handle"), NULL;
  void *p;
  napi_get_value_external(env, v, &p);
  Handle *h = p;
  if (h->disposed) return throw_error(env, ERR_STATE, "the MLP trainer has been disposed"), NULL;
  if (h->busy) return throw_error(env, ERR_STATE, "the MLP trainer is busy with an epoch; await it first"), NULL;
  return h;
}

static int read_loss_kind(napi_env env, napi_value v, MlpLoss *out) {
  char s[32];
  size_t n = 0;
  if (napi_get_value_string_utf8(env, v, s, sizeof s, &n) != napi_ok) {
    throw_error(env, ERR_INPUT, "loss must be a string");
    return -1;
  }
  if (strcmp(s, "softmax-cross-entropy") == 0) *out = LOSS_SOFTMAX_CE;
  else if (strcmp(s, "bce-with-logits") == 0) *out = LOSS_BCE_LOGITS;
  else {
    throw_error(env, ERR_INPUT, "loss must be softmax-cross-entropy or bce-with-logits, got \"%s\"", s);
    return -1;
  }
  return 0;
}

/* mlpCreate(sizes: Int32Array, weights: Float32Array[], biases: Float32Array[], loss) */
static napi_value mlp_create_js(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 4) return throw_error(env, ERR_INPUT, "mlpCreate(sizes, weights, biases, loss) needs 4 arguments");
  int32_t *sizes;
  size_t nsizes;
  if (read_typed(env, argv[0], napi_int32_array, "sizes", -1, (void **)&sizes, &nsizes)) return NULL;
  if (nsizes < 2 || nsizes > 64) return throw_error(env, ERR_INPUT, "sizes must list 2 to 64 layer widths, got %zu", nsizes);
  int32_t sizes_copy[64]; /* the checked widths: `sizes` itself may be detached by a getter below */
  memcpy(sizes_copy, sizes, nsizes * sizeof(int32_t));
  for (size_t i = 0; i < nsizes; i++)
    if (sizes_copy[i] < 1 || sizes_copy[i] > (1 << 24)) return throw_error(env, ERR_INPUT, "sizes[%zu] = %d is outside [1, 2^24]", i, sizes_copy[i]);
  int nl = (int)nsizes - 1;
  sizes = NULL; /* from here on only sizes_copy */
  MlpLoss loss;
  if (read_loss_kind(env, argv[3], &loss)) return NULL;
  if (loss == LOSS_BCE_LOGITS && sizes_copy[nl] != 1) return throw_error(env, ERR_INPUT, "bce-with-logits needs one output unit, got %d", sizes_copy[nl]);
  for (int k = 1; k <= 2; k++) {
    bool is = false;
    uint32_t len = 0;
    napi_is_array(env, argv[k], &is);
    if (is) napi_get_array_length(env, argv[k], &len);
    if (!is || len != (uint32_t)nl)
      return throw_error(env, ERR_INPUT, "%s must be an array of %d Float32Arrays", k == 1 ? "weights" : "biases", nl);
  }
  /* phase 1: every element (an element getter may detach another array, or `sizes`) */
  napi_value wv[64], bv[64];
  for (int l = 0; l < nl; l++)
    if (napi_get_element(env, argv[1], l, &wv[l]) != napi_ok || napi_get_element(env, argv[2], l, &bv[l]) != napi_ok)
      return throw_error(env, ERR_INPUT, "reading weights[%d] or biases[%d] threw", l, l);
  /* phase 2: no JS runs from here on (the widths come from sizes_copy, whatever a getter did to sizes) */
  const float *ws[64], *bs[64];
  for (int l = 0; l < nl; l++) {
    char what[48];
    size_t len;
    void *p;
    double count = (double)sizes_copy[l] * sizes_copy[l + 1];
    if (count > MAX_ELEMENTS) return throw_error(env, ERR_INPUT, "weights[%d] would have more than 2^31 - 1 entries", l);
    snprintf(what, sizeof what, "weights[%d]", l);
    if (read_typed(env, wv[l], napi_float32_array, what, count, &p, &len) || check_finite_f(env, p, len, what)) return NULL;
    ws[l] = p;
    snprintf(what, sizeof what, "biases[%d]", l);
    if (read_typed(env, bv[l], napi_float32_array, what, sizes_copy[l + 1], &p, &len) || check_finite_f(env, p, len, what)) return NULL;
    bs[l] = p;
  }
  Handle *h = calloc(1, sizeof *h);
  if (h) h->m = mlp_create(nl, sizes_copy, ws, bs, loss);
  if (!h || !h->m) {
    free(h);
    return throw_error(env, ERR_MEMORY, "%s creating the MLP", MEMORY_HINT);
  }
  napi_value ext;
  NAPI_OK(env, napi_create_external(env, h, handle_finalize, NULL, &ext));
  NAPI_OK(env, napi_type_tag_object(env, ext, &MLP_TAG));
  return ext;
}

/* x (batch × in, finite) and labels (batch, each in [0, classes)) */
static int read_batch(napi_env env, Mlp *m, napi_value xv, napi_value yv, const float **x, const int **y, int *batch) {
  void *px, *py;
  size_t nx, ny;
  if (read_typed(env, yv, napi_int32_array, "labels", -1, &py, &ny)) return -1;
  if (ny == 0 || ny > (size_t)MAX_ELEMENTS) return throw_error(env, ERR_INPUT, "labels must hold 1 to 2^31 - 1 entries, got %zu", ny), -1;
  if (read_typed(env, xv, napi_float32_array, "x", (double)ny * m->sizes[0], &px, &nx)) return -1;
  if (check_finite_f(env, px, nx, "x")) return -1;
  int classes = m->loss == LOSS_BCE_LOGITS ? 2 : m->sizes[m->nl];
  const int *lab = py;
  for (size_t i = 0; i < ny; i++)
    if (lab[i] < 0 || lab[i] >= classes)
      return throw_error(env, ERR_INPUT, "label %d at row %zu is outside [0, %d)", lab[i], i, classes), -1;
  *x = px;
  *y = py;
  *batch = (int)ny;
  return 0;
}

static int read_step_options(napi_env env, napi_value lr, napi_value l1, napi_value form, MlpStepOptions *o) {
  if (read_number(env, lr, "lr", &o->lr)) return -1;
  if (read_number(env, l1, "l1", &o->l1)) return -1;
  if (o->lr < 0) return throw_error(env, ERR_INPUT, "lr must be ≥ 0, got %g", o->lr), -1;
  if (o->l1 < 0) return throw_error(env, ERR_INPUT, "l1 must be ≥ 0, got %g", o->l1), -1;
  char s[16];
  size_t n;
  if (napi_get_value_string_utf8(env, form, s, sizeof s, &n) != napi_ok)
    return throw_error(env, ERR_INPUT, "l1Form must be a string"), -1;
  if (strcmp(s, "notebook") == 0) o->form = L1_NOTEBOOK;
  else if (strcmp(s, "elementwise") == 0) o->form = L1_ELEMENTWISE;
  else return throw_error(env, ERR_INPUT, "l1Form must be notebook or elementwise, got \"%s\"", s), -1;
  return 0;
}

static napi_value pair(napi_env env, const char *k1, double v1, const char *k2, double v2) {
  napi_value obj, a, b;
  NAPI_OK(env, napi_create_object(env, &obj));
  napi_create_double(env, v1, &a);
  napi_create_double(env, v2, &b);
  napi_set_named_property(env, obj, k1, a);
  napi_set_named_property(env, obj, k2, b);
  return obj;
}

/* mlpStep(handle, x, labels, lr, l1, l1Form) → {loss, penalty} */
static napi_value mlp_step_js(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 6) return throw_error(env, ERR_INPUT, "mlpStep(handle, x, labels, lr, l1, l1Form) needs 6 arguments");
  Handle *h = get_handle(env, argv[0]);
  if (!h) return NULL;
  const float *x;
  const int *y;
  int batch;
  MlpStepOptions o;
  if (read_batch(env, h->m, argv[1], argv[2], &x, &y, &batch) || read_step_options(env, argv[3], argv[4], argv[5], &o)) return NULL;
  double loss, penalty;
  if (mlp_step(h->m, x, y, batch, &o, &loss, &penalty)) return throw_error(env, ERR_MEMORY, "%s for a batch of %d", MEMORY_HINT, batch);
  return pair(env, "loss", loss, "penalty", penalty);
}

/* mlpEvaluate(handle, x, labels) → {loss, correct, count} */
static napi_value mlp_evaluate_js(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 3) return throw_error(env, ERR_INPUT, "mlpEvaluate(handle, x, labels) needs 3 arguments");
  Handle *h = get_handle(env, argv[0]);
  if (!h) return NULL;
  const float *x;
  const int *y;
  int n, correct;
  double loss;
  if (read_batch(env, h->m, argv[1], argv[2], &x, &y, &n)) return NULL;
  if (mlp_evaluate(h->m, x, y, n, &loss, &correct)) return throw_error(env, ERR_MEMORY, "%s evaluating", MEMORY_HINT);
  napi_value obj = pair(env, "loss", loss, "correct", correct), cnt;
  napi_create_int32(env, n, &cnt);
  napi_set_named_property(env, obj, "count", cnt);
  return obj;
}

/* mlpGetParams(handle) → {weights: Float32Array[], biases: Float32Array[]} (copies) */
static napi_value mlp_params_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1) return throw_error(env, ERR_INPUT, "mlpGetParams(handle) needs the handle");
  Handle *h = get_handle(env, argv[0]);
  if (!h) return NULL;
  Mlp *m = h->m;
  napi_value ws, bs, obj;
  napi_create_array_with_length(env, m->nl, &ws);
  napi_create_array_with_length(env, m->nl, &bs);
  for (int l = 0; l < m->nl; l++) {
    napi_value w = typed_from(env, m->W[l], (size_t)m->sizes[l] * m->sizes[l + 1], 1);
    napi_value b = typed_from(env, m->b[l], m->sizes[l + 1], 1);
    if (!w || !b) return NULL;
    napi_set_element(env, ws, l, w);
    napi_set_element(env, bs, l, b);
  }
  napi_create_object(env, &obj);
  napi_set_named_property(env, obj, "weights", ws);
  napi_set_named_property(env, obj, "biases", bs);
  return obj;
}

/* mlpSetData(handle, x, labels): copies the training set for epoch calls */
static napi_value mlp_set_data_js(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 3) return throw_error(env, ERR_INPUT, "mlpSetData(handle, x, labels) needs 3 arguments");
  Handle *h = get_handle(env, argv[0]);
  if (!h) return NULL;
  const float *x;
  const int *y;
  int n;
  if (read_batch(env, h->m, argv[1], argv[2], &x, &y, &n)) return NULL;
  if (mlp_set_data(h->m, x, y, n)) return throw_error(env, ERR_MEMORY, "%s holding %d examples", MEMORY_HINT, n);
  return NULL;
}

typedef struct {
  Handle *h;
  napi_ref keep; /* keeps the handle alive while the pool runs */
  int *order;
  int n, batch, status;
  MlpStepOptions o;
  double *out;
  napi_async_work work;
  napi_deferred deferred;
} AsyncEpoch;

static void epoch_execute(napi_env env, void *data) {
  (void)env;
  AsyncEpoch *e = data;
  e->status = mlp_epoch(e->h->m, e->order, e->n, e->batch, &e->o, e->out);
}

static void epoch_free(napi_env env, AsyncEpoch *e) {
  if (e->keep) napi_delete_reference(env, e->keep);
  free(e->order);
  free(e->out);
  free(e);
}

static void epoch_complete(napi_env env, napi_status status, void *data) {
  AsyncEpoch *e = data;
  e->h->busy = 0;
  if (e->h->disposed && e->h->m) {
    mlp_free(e->h->m);
    e->h->m = NULL;
  }
  napi_value result = NULL;
  if (status != napi_ok) throw_error(env, ERR_STATE, "the epoch was cancelled");
  else if (e->status) throw_error(env, ERR_MEMORY, "%s during the epoch", MEMORY_HINT);
  else result = typed_from(env, e->out, 2 * (size_t)((e->n + e->batch - 1) / e->batch), 0);
  if (result) napi_resolve_deferred(env, e->deferred, result);
  else {
    napi_value exc;
    napi_get_and_clear_last_exception(env, &exc);
    napi_reject_deferred(env, e->deferred, exc);
  }
  napi_delete_async_work(env, e->work);
  epoch_free(env, e);
}

/* mlpEpoch(handle, order: Int32Array, batch, lr, l1, l1Form, async) → Float64Array [loss, penalty] per batch (or a promise of it) */
static napi_value mlp_epoch_js(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 7) return throw_error(env, ERR_INPUT, "mlpEpoch(handle, order, batch, lr, l1, l1Form, async) needs 7 arguments");
  Handle *h = get_handle(env, argv[0]);
  if (!h) return NULL;
  Mlp *m = h->m;
  if (!m->data_x) return throw_error(env, ERR_STATE, "mlpEpoch needs the training set: call mlpSetData first");
  int32_t *order;
  size_t n;
  int batch, async;
  MlpStepOptions o;
  if (read_typed(env, argv[1], napi_int32_array, "order", -1, (void **)&order, &n)) return NULL;
  if (n == 0) return throw_error(env, ERR_INPUT, "order is empty");
  for (size_t i = 0; i < n; i++)
    if (order[i] < 0 || order[i] >= m->data_n)
      return throw_error(env, ERR_INPUT, "order[%zu] = %d is outside the %d held examples", i, order[i], m->data_n);
  if (read_dim(env, argv[2], "batch", &batch) || read_step_options(env, argv[3], argv[4], argv[5], &o) ||
      read_bool(env, argv[6], "async", &async))
    return NULL;
  size_t nb = (n + batch - 1) / batch;
  AsyncEpoch *e = calloc(1, sizeof *e);
  if (e) {
    e->order = memdup(order, n * sizeof(int));
    e->out = ff_malloc(2 * nb, sizeof(double));
  }
  if (!e || !e->order || !e->out) {
    if (e) epoch_free(env, e);
    return throw_error(env, ERR_MEMORY, "%s for an epoch of %zu examples", MEMORY_HINT, n);
  }
  e->h = h;
  e->n = (int)n;
  e->batch = batch;
  e->o = o;
  if (!async) {
    e->status = mlp_epoch(m, e->order, e->n, batch, &o, e->out);
    napi_value r = e->status ? throw_error(env, ERR_MEMORY, "%s during the epoch", MEMORY_HINT) : typed_from(env, e->out, 2 * nb, 0);
    epoch_free(env, e);
    return r;
  }
  napi_value promise, name;
  if (napi_create_reference(env, argv[0], 1, &e->keep) != napi_ok || napi_create_promise(env, &e->deferred, &promise) != napi_ok) {
    epoch_free(env, e);
    return throw_error(env, ERR_STATE, "cannot create the epoch's promise");
  }
  if (napi_create_string_utf8(env, "featureflow-native:mlp-epoch", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, epoch_execute, epoch_complete, e, &e->work) != napi_ok) {
    reject_with(env, e->deferred, ERR_STATE, "cannot create the epoch's async work");
    epoch_free(env, e);
    return promise;
  }
  if (napi_queue_async_work(env, e->work) != napi_ok) {
    napi_delete_async_work(env, e->work);
    reject_with(env, e->deferred, ERR_STATE, "cannot queue the epoch");
    epoch_free(env, e);
    return promise;
  }
  h->busy = 1;
  return promise;
}

/* mlpDispose(handle): frees the parameters now (or when a running epoch completes) */
static napi_value mlp_dispose_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  bool tagged = false;
  napi_valuetype t = napi_undefined;
  if (argc >= 1) napi_typeof(env, argv[0], &t);
  if (t == napi_external) napi_check_object_type_tag(env, argv[0], &MLP_TAG, &tagged);
  if (!tagged) return throw_error(env, ERR_INPUT, "not an MLP trainer handle");
  void *p;
  napi_get_value_external(env, argv[0], &p);
  Handle *h = p;
  if (!h->disposed) {
    h->disposed = 1;
    if (!h->busy) {
      mlp_free(h->m);
      h->m = NULL;
    }
  }
  return NULL;
}

/* ---- module ---- */

static napi_value set_threads_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int n;
  if (argc < 1 || read_dim(env, argv[0], "threads", &n)) return argc < 1 ? throw_error(env, ERR_INPUT, "setThreads(n) needs n") : NULL;
  if (n > 1024) return throw_error(env, ERR_INPUT, "threads must be ≤ 1024, got %d", n);
  openblas_set_num_threads(n);
  return NULL;
}

static napi_value get_threads_js(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value v;
  napi_create_int32(env, openblas_get_num_threads(), &v);
  return v;
}

/* setMemoryCeiling(bytes): the most one native call may allocate (budget.h); 0 restores the default */
static napi_value set_memory_ceiling_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  double bytes;
  if (argc < 1) return throw_error(env, ERR_INPUT, "setMemoryCeiling(bytes) needs bytes");
  if (read_number(env, argv[0], "bytes", &bytes)) return NULL;
  if (bytes < 0 || bytes != floor(bytes) || bytes > 9007199254740992.0)
    return throw_error(env, ERR_INPUT, "bytes must be a non-negative integer, got %g", bytes);
  ff_set_memory_ceiling((size_t)bytes);
  return NULL;
}

static napi_value get_memory_ceiling_js(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value v;
  napi_create_double(env, (double)ff_memory_ceiling(), &v);
  return v;
}

/* setErrorClasses({NativeInputError, NativeLapackError, NativeStateError, NativeMemoryError}) */
static napi_value set_error_classes_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  Instance *inst = instance(env);
  if (argc < 1 || !inst) return throw_error(env, ERR_INPUT, "setErrorClasses needs an object of error classes");
  for (int k = 0; k < ERR_KINDS; k++) {
    napi_value c;
    napi_valuetype t;
    napi_get_named_property(env, argv[0], err_names[k], &c);
    napi_typeof(env, c, &t);
    if (t != napi_function) return throw_error(env, ERR_INPUT, "setErrorClasses: %s must be a class", err_names[k]);
    if (inst->ctors[k]) napi_delete_reference(env, inst->ctors[k]);
    napi_create_reference(env, c, 1, &inst->ctors[k]);
  }
  return NULL;
}

/* ---- the general trainer's fused steps (net.c) ---- */

static const napi_type_tag NET_TAG = {0x3c9e51a7d40b2f68ULL, 0x91d7e2c4a8f63b05ULL};

typedef struct {
  Net *n;
  int disposed;
} NetHandle;

static void net_handle_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  NetHandle *h = data;
  net_free(h->n);
  free(h);
}

static NetHandle *get_net(napi_env env, napi_value v, int allow_disposed) {
  bool tagged = false;
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_external) napi_check_object_type_tag(env, v, &NET_TAG, &tagged);
  if (!tagged) return throw_error(env, ERR_INPUT, "not a network handle"), NULL;
  void *p;
  napi_get_value_external(env, v, &p);
  NetHandle *h = p;
  if (h->disposed && !allow_disposed) return throw_error(env, ERR_STATE, "the network has been disposed"), NULL;
  return h;
}

/* the optional per-layer batch-norm flags and dropout probabilities of netCreate; NULL when absent */
static int read_layer_extras(napi_env env, napi_value bn_v, napi_value drop_v, int nl, int32_t **bn, double **drop) {
  napi_valuetype t;
  size_t len;
  *bn = NULL;
  *drop = NULL;
  napi_typeof(env, bn_v, &t);
  if (t != napi_undefined && t != napi_null && read_typed(env, bn_v, napi_int32_array, "batchNorm", nl, (void **)bn, &len)) return -1;
  napi_typeof(env, drop_v, &t);
  if (t != napi_undefined && t != napi_null && read_typed(env, drop_v, napi_float64_array, "dropout", nl, (void **)drop, &len)) return -1;
  for (int l = 0; l < nl; l++) {
    if (*bn && (*bn)[l] != 0 && (*bn)[l] != 1) return throw_error(env, ERR_INPUT, "batchNorm[%d] must be 0 or 1, got %d", l, (*bn)[l]), -1;
    if (*drop && !((*drop)[l] >= 0 && (*drop)[l] < 1)) return throw_error(env, ERR_INPUT, "dropout[%d] must be a drop probability in [0, 1), got %g", l, (*drop)[l]), -1;
  }
  return 0;
}

/* netCreate(sizes: Int32Array, activations: Int32Array, hasBias: Int32Array, frozen: Int32Array, params: Float32Array,
 *           optimizer: Float64Array [kind, lr, momentum, weightDecay, beta1, beta2, eps],
 *           batchNorm?: Int32Array (0/1 per layer), dropout?: Float64Array (drop probability per layer)) */
static napi_value net_create_js(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 6) return throw_error(env, ERR_INPUT, "netCreate(sizes, activations, hasBias, frozen, params, optimizer, batchNorm?, dropout?) needs at least 6 arguments");
  napi_value undef;
  napi_get_undefined(env, &undef);
  for (size_t i = argc; i < 8; i++) argv[i] = undef;
  int32_t *sizes, *act, *bias, *frozen;
  size_t ns, len;
  void *pp;
  if (read_typed(env, argv[0], napi_int32_array, "sizes", -1, (void **)&sizes, &ns)) return NULL;
  if (ns < 2 || ns > 64) return throw_error(env, ERR_INPUT, "sizes must list 2 to 64 layer widths, got %zu", ns);
  int nl = (int)ns - 1;
  double P = 0;
  for (int l = 0; l <= nl; l++)
    if (sizes[l] < 1 || sizes[l] > (1 << 24)) return throw_error(env, ERR_INPUT, "sizes[%d] = %d is outside [1, 2^24]", l, sizes[l]);
  if (read_typed(env, argv[1], napi_int32_array, "activations", nl, (void **)&act, &len) ||
      read_typed(env, argv[2], napi_int32_array, "hasBias", nl, (void **)&bias, &len) ||
      read_typed(env, argv[3], napi_int32_array, "frozen", nl, (void **)&frozen, &len))
    return NULL;
  int32_t *bn;
  double *drop;
  if (read_layer_extras(env, argv[6], argv[7], nl, &bn, &drop)) return NULL;
  for (int l = 0; l < nl; l++) {
    if (act[l] < ACT_IDENTITY || act[l] > ACT_SIGMOID) return throw_error(env, ERR_INPUT, "activations[%d] = %d is not 0..3", l, act[l]);
    P += (double)sizes[l] * sizes[l + 1] + (bias[l] ? sizes[l + 1] : 0) + (bn && bn[l] ? 2.0 * sizes[l + 1] : 0);
  }
  if (P > MAX_ELEMENTS) return throw_error(env, ERR_INPUT, "the network would have more than 2^31 - 1 parameters");
  if (read_typed(env, argv[4], napi_float32_array, "params", P, &pp, &len) || check_finite_f(env, pp, len, "params")) return NULL;
  double *o;
  if (read_typed(env, argv[5], napi_float64_array, "optimizer", 7, (void **)&o, &len)) return NULL;
  for (int i = 0; i < 7; i++)
    if (!isfinite(o[i])) return throw_error(env, ERR_INPUT, "optimizer[%d] must be finite", i);
  if (o[0] != OPT_SGD && o[0] != OPT_ADAM) return throw_error(env, ERR_INPUT, "optimizer kind must be 0 (sgd) or 1 (adam), got %g", o[0]);
  if (!(o[1] > 0) || o[2] < 0 || o[3] < 0) return throw_error(env, ERR_INPUT, "optimizer needs lr > 0, momentum ≥ 0, weight decay ≥ 0");
  NetOptimizerSpec spec = {(NetOptimizer)(int)o[0], o[1], o[2], o[3], o[4], o[5], o[6]};
  NetHandle *h = calloc(1, sizeof *h);
  if (h) h->n = net_create(nl, sizes, act, bias, frozen, pp, &spec, bn, drop);
  if (!h || !h->n) {
    free(h);
    return throw_error(env, ERR_MEMORY, "the network needs more memory than the ceiling (%zu bytes; FEATUREFLOW_NATIVE_MAX_BYTES) or the machine has", ff_memory_ceiling());
  }
  napi_value ext;
  NAPI_OK(env, napi_create_external(env, h, net_handle_finalize, NULL, &ext));
  NAPI_OK(env, napi_type_tag_object(env, ext, &NET_TAG));
  return ext;
}

/* targets: one per row (labels) or rows × outputs (mse), each valid for the loss */
static int check_targets(napi_env env, const Net *n, NetLoss loss, const float *t, size_t count) {
  int out = n->sizes[n->nl];
  if ((loss == NET_BCE_01 || loss == NET_BCE_PM) && out != 1) return throw_error(env, ERR_INPUT, "bce-with-logits needs one output unit, got %d", out), -1;
  for (size_t i = 0; i < count; i++) {
    float v = t[i];
    int ok = loss == NET_BCE_01 ? (v == 0 || v == 1) : loss == NET_BCE_PM ? (v == 1 || v == -1)
           : loss == NET_SOFTMAX_CE ? (v == floorf(v) && v >= 0 && v < out) : isfinite(v);
    if (!ok) return throw_error(env, ERR_INPUT, "target %g at %zu is not valid for the loss", (double)v, i), -1;
  }
  return 0;
}

/* netSteps(handle, x: Float32Array, targets: Float32Array, loss, logitPenalty, scale, steps, logits: Float32Array | null,
 *          maskSeeds?: Float64Array (one uniform in [0, 1) per step; required when a layer has dropout)) → {loss, penalty} */
static napi_value net_steps_js(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 8) return throw_error(env, ERR_INPUT, "netSteps(handle, x, targets, loss, logitPenalty, scale, steps, logits, maskSeeds?) needs at least 8 arguments");
  if (argc < 9) napi_get_undefined(env, &argv[8]);
  NetHandle *h = get_net(env, argv[0], 0);
  if (!h) return NULL;
  Net *n = h->n;
  double lossKind, c, scale, steps;
  if (read_number(env, argv[3], "loss", &lossKind) || read_number(env, argv[4], "logitPenalty", &c) || read_number(env, argv[5], "scale", &scale) ||
      read_number(env, argv[6], "steps", &steps))
    return NULL;
  if (lossKind != NET_BCE_01 && lossKind != NET_BCE_PM && lossKind != NET_SOFTMAX_CE && lossKind != NET_MSE) return throw_error(env, ERR_INPUT, "loss must be 0..3, got %g", lossKind);
  if (steps != floor(steps) || steps < 1 || steps > MAX_ELEMENTS) return throw_error(env, ERR_INPUT, "steps must be a positive integer, got %g", steps);
  void *px, *pt;
  size_t nx, nt;
  int in = n->sizes[0], out = n->sizes[n->nl];
  if (read_typed(env, argv[1], napi_float32_array, "x", -1, &px, &nx)) return NULL;
  if (nx == 0 || nx % in != 0 || nx / in > (size_t)MAX_ELEMENTS) return throw_error(env, ERR_INPUT, "x has %zu values, not whole rows of %d", nx, in);
  int rows = (int)(nx / in);
  if (check_finite_f(env, px, nx, "x")) return NULL;
  double expect = lossKind == NET_MSE ? (double)rows * out : rows;
  if (read_typed(env, argv[2], napi_float32_array, "targets", expect, &pt, &nt) || check_targets(env, n, (NetLoss)(int)lossKind, pt, nt)) return NULL;
  float *logits = NULL;
  napi_valuetype lt;
  napi_typeof(env, argv[7], &lt);
  if (lt != napi_null && lt != napi_undefined) {
    void *pl;
    size_t nl;
    if (read_typed(env, argv[7], napi_float32_array, "logits", (double)rows * out, &pl, &nl)) return NULL;
    logits = pl;
  }
  if (net_extras_has_dropout(n->ex)) {
    void *seeds;
    size_t ns;
    napi_valuetype st;
    napi_typeof(env, argv[8], &st);
    if (st == napi_undefined || st == napi_null) return throw_error(env, ERR_INPUT, "this network has dropout: netSteps needs maskSeeds, one uniform per step");
    if (read_typed(env, argv[8], napi_float64_array, "maskSeeds", steps, &seeds, &ns)) return NULL;
    for (size_t i = 0; i < ns; i++) {
      const double u = ((double *)seeds)[i];
      if (!(u >= 0 && u < 1)) return throw_error(env, ERR_INPUT, "maskSeeds[%zu] must be a uniform in [0, 1), got %g", i, u);
    }
    net_extras_set_seeds(n->ex, seeds, (int)ns);
  }
  NetObjective o = {(NetLoss)(int)lossKind, c, scale};
  double loss = 0, penalty = 0;
  if (net_steps(n, px, pt, rows, &o, (int)steps, &loss, &penalty, logits)) return throw_error(env, ERR_MEMORY, "%d rows need more memory than the ceiling (%zu bytes; FEATUREFLOW_NATIVE_MAX_BYTES) or the machine has", rows, ff_memory_ceiling());
  return pair(env, "loss", loss, "penalty", penalty);
}

/* netLogits(handle, x: Float32Array, out: Float32Array): eval-mode logits, rows × outputs */
static napi_value net_logits_js(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 3) return throw_error(env, ERR_INPUT, "netLogits(handle, x, out) needs 3 arguments");
  NetHandle *h = get_net(env, argv[0], 0);
  if (!h) return NULL;
  Net *n = h->n;
  void *px, *po;
  size_t nx, no;
  int in = n->sizes[0], out = n->sizes[n->nl];
  if (read_typed(env, argv[1], napi_float32_array, "x", -1, &px, &nx)) return NULL;
  if (nx == 0 || nx % in != 0 || nx / in > (size_t)MAX_ELEMENTS) return throw_error(env, ERR_INPUT, "x has %zu values, not whole rows of %d", nx, in);
  int rows = (int)(nx / in);
  if (check_finite_f(env, px, nx, "x") || read_typed(env, argv[2], napi_float32_array, "out", (double)rows * out, &po, &no)) return NULL;
  if (net_forward(n, px, rows, po)) return throw_error(env, ERR_MEMORY, "%d rows need more memory than the ceiling (%zu bytes; FEATUREFLOW_NATIVE_MAX_BYTES) or the machine has", rows, ff_memory_ceiling());
  return NULL;
}

/* netGetParams(handle) → Float32Array (a copy); netSetParams(handle, Float32Array) */
static napi_value net_get_params_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1) return throw_error(env, ERR_INPUT, "netGetParams(handle) needs the handle");
  NetHandle *h = get_net(env, argv[0], 0);
  if (!h) return NULL;
  return typed_from(env, h->n->p, h->n->P, 1);
}

static napi_value net_set_params_js(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 2) return throw_error(env, ERR_INPUT, "netSetParams(handle, params) needs 2 arguments");
  NetHandle *h = get_net(env, argv[0], 0);
  if (!h) return NULL;
  void *p;
  size_t len;
  if (read_typed(env, argv[1], napi_float32_array, "params", h->n->P, &p, &len) || check_finite_f(env, p, len, "params")) return NULL;
  memcpy(h->n->p, p, sizeof(float) * len);
  return NULL;
}

/* netRunningStats(handle) → Float64Array: per batch-norm layer in order, its running means then running variances */
static napi_value net_running_stats_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1) return throw_error(env, ERR_INPUT, "netRunningStats(handle) needs the handle");
  NetHandle *h = get_net(env, argv[0], 0);
  if (!h) return NULL;
  const int count = net_extras_running_stats_count(h->n->ex);
  double *stats = ff_malloc(count > 0 ? count : 1, sizeof(double));
  if (!stats) return throw_error(env, ERR_MEMORY, "%s allocating %d doubles", MEMORY_HINT, count);
  net_extras_running_stats(h->n->ex, stats);
  napi_value out = typed_from(env, stats, count, 0);
  free(stats);
  return out;
}

static napi_value net_dispose_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1) return throw_error(env, ERR_INPUT, "netDispose(handle) needs the handle");
  NetHandle *h = get_net(env, argv[0], 1);
  if (!h) return NULL;
  if (!h->disposed) {
    h->disposed = 1;
    net_free(h->n);
    h->n = NULL;
  }
  return NULL;
}

static void instance_finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  Instance *inst = data;
  for (int k = 0; k < ERR_KINDS; k++)
    if (inst->ctors[k]) napi_delete_reference(env, inst->ctors[k]);
  free(inst);
}

static void define(napi_env env, napi_value exports, const char *name, napi_callback cb, void *data) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, data, &fn);
  napi_set_named_property(env, exports, name, fn);
}

NAPI_MODULE_INIT() {
  Instance *inst = calloc(1, sizeof *inst);
  if (inst) napi_set_instance_data(env, inst, instance_finalize, NULL);
  static const struct {
    const char *name;
    LinalgOp op;
  } ops[] = {{"eighSym", OP_EIGH}, {"svd", OP_SVD},     {"solve", OP_SOLVE}, {"lstsq", OP_LSTSQ},
             {"pinv", OP_PINV},    {"qr", OP_QR},       {"gemm", OP_DGEMM},  {"sgemm", OP_SGEMM}};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    char async_name[32];
    snprintf(async_name, sizeof async_name, "%sAsync", ops[i].name);
    define(env, exports, ops[i].name, linalg_sync, (void *)(intptr_t)ops[i].op);
    define(env, exports, async_name, linalg_async, (void *)(intptr_t)ops[i].op);
  }
  define(env, exports, "quadraticGdSteps", quadratic_gd_js, NULL);
  define(env, exports, "firstLayerGdSteps", first_layer_gd_js, NULL);
  define(env, exports, "mlpCreate", mlp_create_js, NULL);
  define(env, exports, "mlpStep", mlp_step_js, NULL);
  define(env, exports, "mlpEvaluate", mlp_evaluate_js, NULL);
  define(env, exports, "mlpGetParams", mlp_params_js, NULL);
  define(env, exports, "mlpSetData", mlp_set_data_js, NULL);
  define(env, exports, "mlpEpoch", mlp_epoch_js, NULL);
  define(env, exports, "mlpDispose", mlp_dispose_js, NULL);
  define(env, exports, "netCreate", net_create_js, NULL);
  define(env, exports, "netSteps", net_steps_js, NULL);
  define(env, exports, "netLogits", net_logits_js, NULL);
  define(env, exports, "netGetParams", net_get_params_js, NULL);
  define(env, exports, "netSetParams", net_set_params_js, NULL);
  define(env, exports, "netRunningStats", net_running_stats_js, NULL);
  define(env, exports, "netDispose", net_dispose_js, NULL);
  define(env, exports, "setThreads", set_threads_js, NULL);
  define(env, exports, "getThreads", get_threads_js, NULL);
  define(env, exports, "setErrorClasses", set_error_classes_js, NULL);
  define(env, exports, "setMemoryCeiling", set_memory_ceiling_js, NULL);
  define(env, exports, "getMemoryCeiling", get_memory_ceiling_js, NULL);
  return exports;
}
