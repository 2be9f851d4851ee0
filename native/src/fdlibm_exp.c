/*
 * exp(x) as V8 computes Math.exp: fdlibm's e_exp.c (src/base/ieee754.cc), including V8's special
 * case exp(1) = E. glibc's exp is also within 1 ulp but rounds about one argument in ten the other
 * way (1.9 million of 2·10⁷ random arguments in [−700, 700]); V8's algorithm keeps the native
 * two-layer kernel bit-identical to the JS reference.
 *
 * ====================================================
 * Copyright (C) 2004 by Sun Microsystems, Inc. All rights reserved.
 *
 * Permission to use, copy, modify, and distribute this
 * software is freely granted, provided that this notice
 * is preserved.
 * ====================================================
 */
#include <stdint.h>
#include <string.h>
#include "two_layer.h"

/* the polynomial's bits depend on evaluation order: no fused multiply-adds here */
#pragma GCC optimize("fp-contract=off")

static uint32_t high_word(double x) {
  uint64_t b;
  memcpy(&b, &x, sizeof b);
  return (uint32_t)(b >> 32);
}

static uint32_t low_word(double x) {
  uint64_t b;
  memcpy(&b, &x, sizeof b);
  return (uint32_t)b;
}

static double from_words(uint32_t hi, uint32_t lo) {
  uint64_t b = ((uint64_t)hi << 32) | lo;
  double x;
  memcpy(&x, &b, sizeof x);
  return x;
}

static const double halF[2] = {0.5, -0.5};
static const double o_threshold = 7.09782712893383973096e+02;  /* 0x40862E42 FEFA39EF */
static const double u_threshold = -7.45133219101941108420e+02; /* 0xC0874910 D52D3051 */
static const double ln2HI[2] = {6.93147180369123816490e-01, -6.93147180369123816490e-01};
static const double ln2LO[2] = {1.90821492927058770002e-10, -1.90821492927058770002e-10};
static const double invln2 = 1.44269504088896338700e+00;
static const double P1 = 1.66666666666666019037e-01;
static const double P2 = -2.77777777770155933842e-03;
static const double P3 = 6.61375632143793436117e-05;
static const double P4 = -1.65339022054652515390e-06;
static const double P5 = 4.13813679705723846039e-08;
static const double E = 2.718281828459045;
static const double huge = 1.0e+300;
static const double twom1000 = 9.33263618503218878990e-302; /* 2**-1000 */
static const double two1023 = 8.988465674311579539e307;     /* 2**1023 */

double ff_fdlibm_exp(double x) {
  double hi = 0, lo = 0, c, t, twopk;
  int32_t k = 0;
  uint32_t hx = high_word(x);
  int xsb = (hx >> 31) & 1; /* sign bit of x */
  hx &= 0x7FFFFFFF;         /* high word of |x| */

  /* non-finite and out-of-range arguments */
  if (hx >= 0x40862E42) { /* |x| ≥ 709.78… */
    if (hx >= 0x7FF00000) {
      if (((hx & 0xFFFFF) | low_word(x)) != 0) return x + x; /* NaN */
      return xsb == 0 ? x : 0.0;                              /* exp(±inf) = {inf, 0} */
    }
    if (x > o_threshold) return huge * huge;          /* overflow */
    if (x < u_threshold) return twom1000 * twom1000;  /* underflow */
  }

  /* argument reduction */
  if (hx > 0x3FD62E42) {   /* |x| > 0.5 ln2 */
    if (hx < 0x3FF0A2B2) { /* and |x| < 1.5 ln2 */
      if (x == 1.0) return E; /* V8's special case: the general path gets the last bit of e wrong */
      hi = x - ln2HI[xsb];
      lo = ln2LO[xsb];
      k = 1 - xsb - xsb;
    } else {
      k = (int32_t)(invln2 * x + halF[xsb]);
      t = k;
      hi = x - t * ln2HI[0]; /* t·ln2HI is exact here */
      lo = t * ln2LO[0];
    }
    x = hi - lo;
  } else if (hx < 0x3E300000) { /* |x| < 2**-28 */
    if (huge + x > 1.0) return 1.0 + x;
  } else {
    k = 0;
  }

  /* x is now in the primary range */
  t = x * x;
  if (k >= -1021)
    twopk = from_words(0x3FF00000 + ((uint32_t)k << 20), 0);
  else
    twopk = from_words(0x3FF00000 + ((uint32_t)(k + 1000) << 20), 0);
  c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  double y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * two1023;
    return y * twopk;
  }
  return y * twopk * twom1000;
}

