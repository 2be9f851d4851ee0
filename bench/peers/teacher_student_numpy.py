"""Peer timings for bench/teacher-student.ts: the same workload in numpy on the same inputs.

  teacher_student_numpy.py DIR   reads DIR/cases.json and, per case, DIR/<case>_{X,y,s,W}.f64
                                 (raw float64, row-major); prints {name: median seconds} as JSON

Workloads (the same algorithms as the TypeScript side):
  exact:  XᵀX, eigh once, P = MᵀS²M and P⁻¹ = MᵀS⁻²M with M = WᵀV, then R(t), Q(t) at 200
          log-spaced t, each O(d²) (hᵀ(P∘P⁻¹)h)
  stages: the exact curve's four stages timed separately (XᵀX; eigh; P, P⁻¹ and P∘P⁻¹; the
          200 time points), for the profile rows
  gd:     10,000 explicit steps w ← w − η(XᵀX w − Xᵀy) with XᵀX, Xᵀy, η formed beforehand
Run with Debian's /usr/bin/python3 (numpy 1.24 + OpenBLAS from apt).
"""
import json
import os
import sys
import time

import numpy as np

from timing import median, median_time


def load(d, name, shape):
    return np.fromfile(os.path.join(d, name), dtype=np.float64).reshape(shape)


def spectrum(G):
    """eigh of XᵀX, eigenvalues clamped at 0, and x_j = η l_j with η = 1/l_max (top one exactly 1)"""
    L, V = np.linalg.eigh(G)
    L = np.maximum(L, 0.0)
    x = np.minimum(1.0, L / L[-1])
    x[-1] = 1.0
    return x, V


def hadamard(s, W, V):
    """P ∘ P⁻¹ with P = MᵀS²M, P⁻¹ = MᵀS⁻²M, M = WᵀV"""
    M = W.T @ V
    SM = s[:, None] * M
    SiM = (1.0 / s)[:, None] * M
    return (SM.T @ SM) * (SiM.T @ SiM)


def curve_points(x, H, ts):
    """R(t), Q(t) at every t (σ = λ = 0, so h = D)"""
    d = len(x)
    R = np.empty(len(ts))
    Q = np.empty(len(ts))
    with np.errstate(divide="ignore", invalid="ignore"):
        for i, t in enumerate(ts):
            D = -np.expm1(t * np.log1p(-x))
            D[x >= 1.0] = 1.0
            R[i] = D.sum() / d
            Q[i] = D @ H @ D / d
    return R, Q


def exact_curve(X, s, W, ts):
    x, V = spectrum(X.T @ X)
    return curve_points(x, hadamard(s, W, V), ts)


def exact_curve_stages(X, s, W, ts, reps):
    """median seconds of each stage of exact_curve, named as the TypeScript profile rows"""
    stages = {"xtx": [], "eigh": [], "p": [], "t": []}
    for _ in range(reps + 1):
        t0 = time.perf_counter()
        G = X.T @ X
        t1 = time.perf_counter()
        x, V = spectrum(G)
        t2 = time.perf_counter()
        H = hadamard(s, W, V)
        t3 = time.perf_counter()
        curve_points(x, H, ts)
        t4 = time.perf_counter()
        for key, v in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            stages[key].append(v)
    return {k: median(v[1:]) for k, v in stages.items()}  # the first pass warms up


def gd(G, b, eta, steps):
    w = np.zeros(G.shape[0])
    for _ in range(steps):
        w = w - eta * (G @ w - b)
    return w


def main():
    d = sys.argv[1]
    cases = json.load(open(os.path.join(d, "cases.json")))
    out = {"numpy": np.__version__}
    for c in cases:
        n, dim, name = c["n"], c["d"], c["name"]
        X = load(d, f"{name}_X.f64", (n, dim))
        y = load(d, f"{name}_y.f64", (n,))
        s = load(d, f"{name}_s.f64", (dim,))
        W = load(d, f"{name}_W.f64", (dim, dim))
        ts = 10.0 ** np.linspace(-3, 6, 200)
        reps = c["reps"]
        out[f"{name}/exact"] = median_time(lambda: exact_curve(X, s, W, ts), reps)
        for key, v in exact_curve_stages(X, s, W, ts, reps).items():
            out[f"{name}/stage/{key}"] = v
        G = X.T @ X
        b = X.T @ y
        eta = 1.0 / np.linalg.eigvalsh(G)[-1]
        out[f"{name}/gd"] = median_time(lambda: gd(G, b, eta, c["steps"]), reps)
        R, Q = exact_curve(X, s, W, ts)
        out[f"{name}/check"] = [float(R[100]), float(Q[100])]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
