/*
 * The sigmoid of a row of pre-activations, bit for bit as nodes/two-layer/activations.ts computes
 * it in V8 (u ≥ 0: 1/(1 + exp(−u)); u < 0: e/(1 + e), e = exp(u); exp is fdlibm's, as V8's), but
 * in a loop the compiler vectorises. Both branches' exponent is −|u|, so one exp and a select on
 * the numerator replace the sign branch; fdlibm's reduction paths become selects too:
 *   - k = −1 on 0.5 ln2 < |x| < 1.5 ln2 gives the same hi, lo as the general reduction, since
 *     t·ln2HI and t·ln2LO are exact for t = ±1;
 *   - (x·c)/(2 − c) is −(x·c)/(c − 2) exactly, so one division serves both final formulas.
 * The rare arguments (|u| < 2⁻²⁸, |u| ≥ 700 where 2^k needs fdlibm's 2⁻¹⁰⁰⁰ scaling, NaN) are
 * recomputed afterwards by the scalar ff_fdlibm_exp. Checked bit for bit against the JS path in
 * test/native/first-layer-gd.test.ts.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "two_layer.h"

/* no FMAs (they change bits); FP exceptions are not observed, so selects may become blends */
#pragma GCC optimize("fp-contract=off", "no-trapping-math")

static const double invln2 = 1.44269504088896338700e+00;
static const double ln2HI = 6.93147180369123816490e-01;
static const double ln2LO = 1.90821492927058770002e-10;
static const double P1 = 1.66666666666666019037e-01;
static const double P2 = -2.77777777770155933842e-03;
static const double P3 = 6.61375632143793436117e-05;
static const double P4 = -1.65339022054652515390e-06;
static const double P5 = 4.13813679705723846039e-08;

static inline double from_high_word(uint64_t hi) {
  const uint64_t b = hi << 32;
  double x;
  memcpy(&x, &b, sizeof x);
  return x;
}

/* fdlibm's exp for −700 < x ≤ −2⁻²⁸, branch-free */
static inline double exp_negative(double x) {
  const double ax = -x;
  const int reduce = ax >= from_high_word(0x3FD62E43); /* high word of |x| > 0x3FD62E42 */
  const int middle = ax < from_high_word(0x3FF0A2B2);  /* high word of |x| < 0x3FF0A2B2 */
  const int32_t general = (int32_t)(invln2 * x - 0.5);
  const int32_t k = reduce ? (middle ? -1 : general) : 0;
  const double tk = k;
  const double hi = x - tk * ln2HI, lo = tk * ln2LO;
  const double r = reduce ? hi - lo : x;
  const double t = r * r;
  const double c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const double q = (r * c) / (c - 2.0);
  const double twopk = from_high_word((uint64_t)(0x3FF00000 + (int64_t)k * (1 << 20)));
  const double reduced = (1.0 - ((lo + q) - hi)) * twopk, unreduced = 1.0 - (q - r);
  return reduce ? reduced : unreduced;
}

static inline int rare(double u) {
  const double au = fabs(u);
  return !(au >= 0x1p-28 && au < 700.0); /* NaN is rare too */
}

void ff_sigmoid_row(int h, const double *z, double *phi, double *dphi) {
  for (int i = 0; i < h; i++) {
    const double u = z[i];
    /* clamped into the fast range; the rare ones are recomputed below */
    const double au = fabs(u);
    const double e = exp_negative(au > 700.0 ? -700.0 : au < 0x1p-28 ? -0x1p-28 : -au);
    const double s = (u >= 0 ? 1.0 : e) / (1 + e);
    phi[i] = s;
    dphi[i] = s * (1 - s);
  }
  for (int i = 0; i < h; i++) {
    const double u = z[i];
    if (!rare(u)) continue;
    const double e = ff_fdlibm_exp(-fabs(u));
    const double s = (u >= 0 ? 1.0 : e) / (1 + e);
    phi[i] = s;
    dphi[i] = s * (1 - s);
  }
}
