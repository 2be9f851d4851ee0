"""Peer timings for bench/two-layer.ts: the same work in numpy (Debian python3-numpy, OpenBLAS).

  two_layer_numpy.py DIR   reads DIR/config.json and DIR/gd_{X,y,W,a}.f64 (raw float64, row-major);
                           prints JSON: {numpy, rf_s, rf_risk: [...], gd_s, gd_W_checksum}

Workloads (the same algorithms as the TypeScript side):
  rf:  random-features risk, n = 400, d = 200, 12 values of h, 20 draws each: Phi = relu(X W),
       P = pinv(Phi), bias and variance exact in x (arc-cosine kernel), own random numbers
  gd:  6000 full-batch GD steps on the first layer of f = a^T sigmoid(W^T x), on the given inputs
"""
import json
import os
import sys
import time

import numpy as np


def arc_cosine(W):
    G = W.T @ W
    norms = np.sqrt(np.diag(G))
    nn = np.outer(norms, norms)
    cos = np.clip(G / nn, -1.0, 1.0)
    theta = np.arccos(cos)
    return nn * (np.sqrt(1.0 - cos * cos) + (np.pi - theta) * cos) / (2.0 * np.pi)


def rf_draw(rng, n, d, h, r, sigma):
    X = rng.standard_normal((n, d))
    W = rng.standard_normal((d, h)) / np.sqrt(d)
    theta = rng.standard_normal(d)
    theta *= r / np.linalg.norm(theta)
    P = np.linalg.pinv(np.maximum(X @ W, 0.0))
    a0 = P @ (X @ theta)
    S = arc_cosine(W)
    c = (W.T @ theta) / 2.0
    bias = max(0.0, r * r - 2.0 * c @ a0 + a0 @ S @ a0)
    variance = sigma * sigma * np.sum((S @ P) * P)
    return bias + variance


def rf_estimate(cfg):
    rng = np.random.default_rng(0)
    return [float(np.mean([rf_draw(rng, cfg["n"], cfg["d"], h, 1.0, 0.5) for _ in range(cfg["draws"])])) for h in cfg["hs"]]


def gd(X, y, W, a, eta, steps):
    n = X.shape[0]
    W = W.copy()
    for _ in range(steps):
        s = 1.0 / (1.0 + np.exp(-(X @ W)))
        e = s @ a - y
        G = (e[:, None] * a[None, :]) * (s * (1.0 - s)) / n
        W -= eta * (X.T @ G)
    return W


def main():
    d = sys.argv[1]
    cfg = json.load(open(os.path.join(d, "config.json")))
    load = lambda name, shape: np.fromfile(os.path.join(d, f"gd_{name}.f64"), dtype=np.float64).reshape(shape)
    g = cfg["gd"]
    X, y, W, a = load("X", (g["n"], g["d"])), load("y", (g["n"],)), load("W", (g["d"], g["h"])), load("a", (g["h"],))
    t0 = time.perf_counter()
    Wt = gd(X, y, W, a, g["eta"], g["steps"])
    gd_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    risks = rf_estimate(cfg["rf"])
    rf_s = time.perf_counter() - t0
    print(json.dumps({"numpy": np.__version__, "rf_s": rf_s, "rf_risk": risks, "gd_s": gd_s, "gd_W_checksum": float(np.sum(Wt * Wt))}))


if __name__ == "__main__":
    main()
